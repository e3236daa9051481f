#include "storage/record_store.hpp"

#include <algorithm>

#include "util/reserve.hpp"

namespace clientele {

std::optional<uint32_t> RecordStore::org_number(const std::string& org) const {
    auto it = org_numbers_.find(org);
    return it == org_numbers_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
}

uint32_t RecordStore::org_for(const std::string& org) {
    if (auto it = org_numbers_.find(org); it != org_numbers_.end()) return it->second;  // no node built to look
    org_numbers_.emplace(org, static_cast<uint32_t>(orgs_.size()));
    orgs_.push_back(OrgKeys{org, {}, {}, {}});
    return static_cast<uint32_t>(orgs_.size() - 1);
}

Customer RecordStore::load(uint32_t slot) const {
    const Column& col = columns_[slot];
    return decode_record(records_.get(col.at), org_of(slot), col.created_at);
}

std::optional<uint32_t> RecordStore::slot_of_id(std::string_view id) const {
    return by_id_.find(hash_text(id), [&](uint32_t slot) { return view(slot).id == id; });
}

std::optional<uint32_t> RecordStore::slot_of_child(std::string_view id) const {
    return by_child_.find(hash_text(id), [&](uint32_t slot) {
        bool has = false;
        for_each_child_id(load(slot), [&](const std::string& child) { has = has || child == id; });
        return has;
    });
}

std::optional<uint32_t> RecordStore::slot_of_email(uint32_t org, std::string_view key) const {
    return orgs_[org].email.find(hash_text(key), [&](uint32_t slot) {
        const auto email = view(slot).email;
        return email && keys_.has_key(*email, key);
    });
}

std::optional<uint32_t> RecordStore::slot_of_external_id(uint32_t org, std::string_view external_id) const {
    return orgs_[org].external_id.find(hash_text(external_id),
                                       [&](uint32_t slot) { return view(slot).external_id == external_id; });
}

void RecordStore::key(uint32_t slot, const Customer& c) {
    for_each_child_id(c, [&](const std::string& child) { by_child_.insert(hash_text(child), slot); });
    if (c.deleted_at) return;
    OrgKeys& org = orgs_[columns_[slot].org];
    if (c.email) org.email.insert(keys_.hash(*c.email), slot);
    if (c.external_id) org.external_id.insert(hash_text(*c.external_id), slot);
}

void RecordStore::unkey(uint32_t slot) {
    Customer c;
    decode_record(bytes(slot), org_of(slot), columns_[slot].created_at, c, false);
    OrgKeys& org = orgs_[columns_[slot].org];
    auto is_slot = [slot](uint32_t v) { return v == slot; };
    for_each_child_id(c, [&](const std::string& child) { by_child_.erase(hash_text(child), is_slot); });
    if (c.deleted_at) return;
    if (c.email) org.email.erase(keys_.hash(*c.email), is_slot);
    if (c.external_id) org.external_id.erase(hash_text(*c.external_id), is_slot);
}

RecordStore::Ref RecordStore::write(const Customer& c, Ref old, std::optional<std::string_view> metadata_cbor) {
    encode_record(c, scratch_, metadata_cbor);
    const Ref at = old == kNone ? records_.add(scratch_) : records_.replace(old, scratch_);
    std::fill(scratch_.begin(), scratch_.end(), '\0');
    return at;
}

RecordStore::Ref RecordStore::stage(const Customer& c, std::optional<std::string_view> metadata_cbor) {
    return write(c, kNone, metadata_cbor);
}

void RecordStore::place(uint32_t slot, const Customer& c, bool flag, Ref at) {
    Column& col = columns_[slot];
    if (at == kNone) {
        at = write(c, col.at);  // written now, over the old bytes when it fits
    } else if (col.at != kNone && col.at != at) {
        records_.drop(col.at);
    }
    col.at = at;
    col.created_at = c.created_at;
    col.deleted = c.deleted_at.has_value();
    col.flag = flag;
}

uint32_t RecordStore::insert(const Customer& c, bool flag, Ref at) {
    const auto slot = static_cast<uint32_t>(columns_.size());
    const uint32_t org = org_for(c.organization_id);
    columns_.push_back(Column{c.created_at, org, kNone, false, false});
    place(slot, c, flag, at);
    if (at == kNone) compact_if_worth();
    by_id_.insert(hash_text(c.id), slot);
    orgs_[org].slots.push_back(slot);
    key(slot, c);
    return slot;
}

void RecordStore::replace(uint32_t slot, const Customer& c, bool flag, Ref at) {
    unkey(slot);
    place(slot, c, flag, at);
    if (at == kNone) compact_if_worth();
    key(slot, c);
}

void RecordStore::forget(uint32_t slot) {
    const std::string id = view(slot).id.text();
    unkey(slot);
    auto& slots = orgs_[columns_[slot].org].slots;
    slots.erase(std::remove(slots.begin(), slots.end(), slot), slots.end());
    by_id_.erase(hash_text(id), [&](uint32_t v) { return v == slot; });
    records_.drop(columns_[slot].at);  // a tombstone no index or listing reaches
    columns_[slot] = Column{};
}

void RecordStore::reserve(const std::string& org, size_t more) {
    by_id_.reserve(by_id_.size() + more);
    by_child_.reserve(by_child_.size() + more);
    OrgKeys& keys = orgs_[org_for(org)];
    keys.email.reserve(keys.email.size() + more);
    keys.external_id.reserve(keys.external_id.size() + more);
    reserve_more(keys.slots, more);
}

void RecordStore::compact_if_worth() {
    if (records_.dead_bytes() > (size_t(1) << 20) && records_.dead_bytes() > records_.live_bytes()) compact();
}

void RecordStore::compact() {
    RecordArena fresh;
    for (size_t slot = 0; slot < columns_.size(); ++slot)
        if (Column& col = columns_[slot]; col.at != kNone) col.at = fresh.add(records_.get(col.at));
    records_ = std::move(fresh);  // the old chunks are freed, and zeroed as they are
}

RecordStore::Saved RecordStore::save(uint32_t slot) const {
    const Column& col = columns_[slot];
    return Saved{slot, col, col.at == kNone ? std::string() : std::string(records_.get(col.at))};
}

void RecordStore::restore(const Saved& saved) {
    Column& col = columns_[saved.slot];
    const Ref at = saved.column.at == kNone ? kNone : records_.add(saved.bytes);
    if (col.at != kNone) records_.drop(col.at);
    col = saved.column;
    col.at = at;
}

void RecordStore::truncate(size_t size) {
    for (size_t slot = size; slot < columns_.size(); ++slot)
        if (columns_[slot].at != kNone) records_.drop(columns_[slot].at);
    columns_.truncate(size);
}

void RecordStore::rekey() {
    by_id_.clear(), by_child_.clear();
    for (OrgKeys& org : orgs_) org.email.clear(), org.external_id.clear(), org.slots.clear();
    Customer c;
    for (uint32_t slot = 0; slot < columns_.size(); ++slot) {
        const Column& col = columns_[slot];
        if (col.at == kNone) continue;
        decode_record(bytes(slot), org_of(slot), col.created_at, c, false);
        by_id_.insert(hash_text(c.id), slot);
        orgs_[col.org].slots.push_back(slot);  // slots are numbered in creation order
        key(slot, c);
    }
}

}  // namespace clientele
