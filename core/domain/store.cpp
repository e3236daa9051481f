#include "domain/store.hpp"

#include <algorithm>

#include "rules/email.hpp"
#include "util/reserve.hpp"

namespace clientele {

Error not_found() { return Error{ErrorKind::NotFound, {}, "Not found"}; }
Error not_permitted(std::string message) { return Error{ErrorKind::NotPermitted, {}, std::move(message)}; }

namespace {
const json kBody = json::array({"body"});
std::string key_of(const std::optional<std::string>& email) { return email ? email::email_key(*email) : std::string(); }
uint32_t email_hash(std::string_view email) { return email::with_key(email, hash_text); }  // hash_text of its key
}  // namespace

const Store::OrgIndex* Store::org_index(const std::string& org) const {
    auto it = org_numbers_.find(org);
    return it == org_numbers_.end() ? nullptr : &orgs_[it->second];
}

uint32_t Store::org_number_for(const std::string& org) {
    if (auto it = org_numbers_.find(org); it != org_numbers_.end()) return it->second;  // no node built to look
    org_numbers_.emplace(org, static_cast<uint32_t>(orgs_.size()));
    orgs_.emplace_back(org, *search_rows_);
    return static_cast<uint32_t>(orgs_.size() - 1);
}

Customer Store::load(uint32_t slot) const {
    const Column& col = columns_[slot];
    return decode_record(records_.get(col.at), org_of(slot).id, col.created_at);
}

std::optional<uint32_t> Store::slot_of_id(std::string_view id) const {
    return by_id_.find(hash_text(id), [&](uint32_t slot) { return view(slot).id == id; });
}

std::optional<uint32_t> Store::slot_of_child(std::string_view id) const {
    return by_child_.find(hash_text(id), [&](uint32_t slot) {
        bool has = false;
        for_children(load(slot), [&](const std::string& child) { has = has || child == id; });
        return has;
    });
}

std::optional<uint32_t> Store::slot_of_email(const OrgIndex& idx, std::string_view key) const {
    return idx.email.find(hash_text(key), [&](uint32_t slot) {
        const auto email = view(slot).email;
        return email && email::has_key(*email, key);
    });
}

std::optional<uint32_t> Store::slot_of_external_id(const OrgIndex& idx, std::string_view external_id) const {
    return idx.external_id.find(hash_text(external_id), [&](uint32_t slot) { return view(slot).external_id == external_id; });
}

Result<uint32_t> Store::find(const std::string& org, std::string_view id) const {
    const auto slot = slot_of_id(id);
    if (!live_in(org, slot)) return not_found();
    return *slot;
}

bool Store::live_in(const std::string& org, std::optional<uint32_t> slot) const {
    return slot && !columns_[*slot].deleted && org_of(*slot).id == org;
}

Result<Customer> Store::get(const std::string& org, std::string_view id) const {
    auto slot = find(org, id);
    if (!slot) return slot.error();
    return load(*slot);
}

Result<Customer> Store::get_external(const std::string& org, std::string_view external_id) const {
    const OrgIndex* idx = org_index(org);
    const auto slot = idx ? slot_of_external_id(*idx, external_id) : std::nullopt;
    if (!slot) return not_found();
    return load(*slot);
}

std::optional<uint32_t> Store::live_by_email(const std::string& org, const std::string& email) const {
    const OrgIndex* idx = org_index(org);
    return idx ? slot_of_email(*idx, email::email_key(email)) : std::nullopt;
}

void Store::check_unique(const std::string& org, const Customer& c, std::optional<uint32_t> self, Problems& p) const {
    const OrgIndex* idx = org_index(org);
    if (!idx) return;
    if (c.email) {
        auto slot = slot_of_email(*idx, key_of(c.email));
        if (slot && slot != self)
            p.add_duplicate(loc_append(kBody, "email"), "A customer with this email address already exists.",
                  *c.email);
    }
    if (c.external_id) {
        auto slot = slot_of_external_id(*idx, *c.external_id);
        if (slot && slot != self)
            p.add_duplicate(loc_append(kBody, "external_id"), "A customer with this external ID already exists.",
                  *c.external_id);
    }
}

void Store::index(uint32_t slot, const Customer& c) {
    for_children(c, [&](const std::string& child) { by_child_.insert(hash_text(child), slot); });
    if (c.deleted_at) return;
    OrgIndex& idx = orgs_[columns_[slot].org];
    if (c.email) idx.email.insert(email_hash(*c.email), slot);
    if (c.external_id) idx.external_id.insert(hash_text(*c.external_id), slot);
    idx.search.put(slot, c, view(slot).metadata);
}

// Reads the record as it is indexed now (its free-form JSON as stored), so call it before the record changes.
void Store::unindex(uint32_t slot) {
    Customer c;
    decode_record(bytes(slot), org_of(slot).id, columns_[slot].created_at, c, false);
    OrgIndex& idx = orgs_[columns_[slot].org];
    auto is_slot = [slot](uint32_t v) { return v == slot; };
    for_children(c, [&](const std::string& child) { by_child_.erase(hash_text(child), is_slot); });
    if (c.deleted_at) return;
    idx.search.erase(slot, view(slot).metadata);
    if (c.email) idx.email.erase(email_hash(*c.email), is_slot);
    if (c.external_id) idx.external_id.erase(hash_text(*c.external_id), is_slot);
}

RecordArena::Ref Store::write_record(const Customer& c, RecordArena::Ref old, std::optional<std::string_view> metadata_cbor) {
    encode_record(c, scratch_, metadata_cbor);
    const RecordArena::Ref at = old == RecordArena::kNone ? records_.add(scratch_) : records_.replace(old, scratch_);
    std::fill(scratch_.begin(), scratch_.end(), '\0');
    return at;
}

void Store::save(uint32_t slot, const Customer& c) {
    Column& col = columns_[slot];
    col.at = write_record(c, col.at);
    place(slot, c, col.at);
    compact_if_worth();
}

void Store::place(uint32_t slot, const Customer& c, RecordArena::Ref at) {
    Column& col = columns_[slot];
    if (col.at != RecordArena::kNone && col.at != at) records_.drop(col.at);
    col.at = at;
    col.created_at = c.created_at;
    col.deleted = c.deleted_at.has_value();
    col.active = std::any_of(c.subscriptions.begin(), c.subscriptions.end(), is_active_subscription);
}

void Store::compact_if_worth() {
    if (records_.dead_bytes() > (size_t(1) << 20) && records_.dead_bytes() > records_.live_bytes()) compact_records();
}

void Store::compact_records() {
    RecordArena fresh;
    for (size_t slot = 0; slot < columns_.size(); ++slot)
        if (Column& col = columns_[slot]; col.at != RecordArena::kNone) col.at = fresh.add(records_.get(col.at));
    records_ = std::move(fresh);  // the old chunks are freed, and zeroed as they are
}

uint32_t Store::insert(const Customer& c, RecordArena::Ref at) {
    const auto slot = static_cast<uint32_t>(columns_.size());
    const uint32_t org = org_number_for(c.organization_id);
    columns_.push_back(Column{c.created_at, org, RecordArena::kNone, false, false});
    if (at == RecordArena::kNone) save(slot, c);
    else place(slot, c, at);
    by_id_.insert(hash_text(c.id), slot);
    orgs_[org].slots.push_back(slot);
    index(slot, c);
    return slot;
}

void Store::reserve(const std::string& org, size_t more) {
    by_id_.reserve(by_id_.size() + more);
    by_child_.reserve(by_child_.size() + more);
    OrgIndex& idx = orgs_[org_number_for(org)];
    idx.email.reserve(idx.email.size() + more);
    idx.external_id.reserve(idx.external_id.size() + more);
    reserve_more(idx.slots, more);
}

void Store::replace(uint32_t slot, const Customer& c, RecordArena::Ref at) {
    unindex(slot);
    if (at == RecordArena::kNone) save(slot, c);
    else place(slot, c, at);
    index(slot, c);
    changed(c);
}

template <class F>
void Store::for_children(const Customer& c, F f) const {
    for (const auto& m : c.members) f(m.id);
    for (const auto& s : c.subscriptions) f(s.id);
    for (const auto& g : c.grants) f(g.id);
    for (const auto& m : c.meters) f(m.id);
}

void Store::changed(const Customer& c) { state_cache_.erase(c.id); }

void Store::emit(const char* type, const Customer& c) { events_.emit(type, c.modified_at.value_or(c.created_at), c.organization_id, c.id, to_json(c)); }

void Store::emit_state(const Customer& c) { events_.emit("customer.state_changed", clock_.now(), c.organization_id, c.id, state_json(c)); }

void Store::emit_member(const char* type, const std::string& org, const Member& m) {
    events_.emit(type, clock_.now(), org, m.customer_id, to_json(m));
}

Customer Store::build(const std::string& org, const CustomerCreate& in) const {
    Customer c;
    c.organization_id = org;
    c.type = in.type;
    c.email = in.email;
    c.email_verified = in.email_verified;
    c.name = in.name;
    c.billing_name = in.billing_name;
    c.external_id = in.external_id;
    c.locale = in.locale;
    c.billing_address = in.billing_address;
    c.tax_id = in.tax_id;
    c.metadata = in.metadata;
    Member owner;
    owner.role = MemberRole::Owner;
    if (in.owner) {
        owner.email = in.owner->email;
        owner.name = in.owner->name;
        owner.external_id = in.owner->external_id;
    } else {
        owner.email = in.email.value_or("");
        owner.name = in.name;
        owner.external_id = in.external_id;
    }
    c.members.push_back(std::move(owner));
    return c;
}

Result<Customer> Store::prepare_create(const std::string& org, const json& body) const {
    Problems p;
    CustomerCreate in = parse_create(body, p);
    Customer c = build(org, in);
    check_unique(org, c, std::nullopt, p);
    if (!p.empty()) return p.to_error();
    return c;
}

Result<Unit> Store::check_create(const std::string& org, const json& body) const {
    auto r = prepare_create(org, body);
    if (!r) return r.error();
    return Unit{};
}

Result<Customer> Store::create(const std::string& org, const json& body) {
    auto prepared = prepare_create(org, body);
    if (!prepared) return prepared.error();
    Customer c = std::move(prepared.value());
    c.id = ids_.uuid4();
    c.created_at = clock_.now();
    Member& owner = c.members.front();
    owner.id = ids_.uuid4();
    owner.customer_id = c.id;
    owner.created_at = c.created_at;
    insert(c);
    emit("customer.created", c);
    emit_member("member.created", org, c.members.front());
    emit_state(c);
    return c;
}

}  // namespace clientele
