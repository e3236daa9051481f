#include "domain/workspace.hpp"

#include "domain/state_json.hpp"
#include <algorithm>

#include "rules/email.hpp"
#include "rules/subscriptions.hpp"

namespace clientele {

Error not_found() { return Error{ErrorKind::NotFound, {}, "Not found"}; }
Error not_permitted(std::string message) { return Error{ErrorKind::NotPermitted, {}, std::move(message)}; }

namespace {
uint32_t email_hash(std::string_view email) { return email::with_key(email, hash_text); }  // hash_text of its key
const EmailKeys kEmailKeys{email_hash, email::has_key};
bool has_active_subscription(const Customer& c) {
    return std::any_of(c.subscriptions.begin(), c.subscriptions.end(), is_active_subscription);
}
}  // namespace

Workspace::Workspace(Clock clock, IdGenerator ids, size_t event_capacity)
    : clock_(std::move(clock)), ids_(std::move(ids)), events_(event_capacity), records_(kEmailKeys) {}

Result<uint32_t> Workspace::find(const std::string& org, std::string_view id) const {
    const auto slot = records_.slot_of_id(id);
    if (!live_in(org, slot)) return not_found();
    return *slot;
}

bool Workspace::live_in(const std::string& org, std::optional<uint32_t> slot) const {
    return slot && !records_.deleted(*slot) && records_.org_of(*slot) == org;
}

std::optional<uint32_t> Workspace::slot_of_email_key(const std::string& org, std::string_view key) const {
    const auto number = records_.org_number(org);
    return number ? records_.slot_of_email(*number, key) : std::nullopt;
}

std::optional<uint32_t> Workspace::live_by_email(const std::string& org, std::string_view email) const {
    return slot_of_email_key(org, email::email_key(email));
}

std::optional<uint32_t> Workspace::slot_of_external_id(const std::string& org, std::string_view external_id) const {
    const auto number = records_.org_number(org);
    return number ? records_.slot_of_external_id(*number, external_id) : std::nullopt;
}

const SearchIndex* Workspace::search(const std::string& org) const {
    const auto number = records_.org_number(org);
    return number && *number < search_.size() ? &search_[*number] : nullptr;
}

const std::vector<uint32_t>& Workspace::order(const SearchIndex& index, SortKey key) const {
    const SearchIndex::Ties ties{[this](uint32_t slot) { return records_.created_at(slot); },
                                 [this](uint32_t slot) { return record_id(records_.bytes(slot)); }};
    return index.order(key, ties);
}

SearchIndex& Workspace::search_of_org(uint32_t org) {
    while (search_.size() <= org) search_.emplace_back(*search_rows_);
    return search_[org];
}

void Workspace::reserve(const std::string& org, size_t more) {
    records_.reserve(org, more);
    search_of_org(*records_.org_number(org));  // the organization and its index come into being together
}

Workspace::Ref Workspace::stage(const Customer& c, std::optional<std::string_view> metadata_cbor) {
    const Ref at = records_.stage(c, metadata_cbor);
    if (journal_.on) journal_.staged.insert(staged_key(at), at);
    return at;
}

void Workspace::unstage(Ref at) {
    records_.unstage(at);
    unjournal(at);
}

void Workspace::save(uint32_t slot) {
    if (!journal_.on || slot >= journal_.slots || journal_.saved_slots.count(slot)) return;
    journal_.saved_slots.insert(slot);
    journal_.saved.push_back(records_.save(slot));
}

void Workspace::begin_call() {
    journal_.on = true;
    journal_.slots = records_.size();
    events_.mark();
}

void Workspace::end_call() {
    journal_ = Journal{};
    events_.unmark();
}

bool Workspace::undo_call() {
    if (!journal_.on) return true;
    ++writes_;
    try {
        journal_.staged.for_each([&](Ref at) { records_.unstage(at); });
        for (const auto& saved : journal_.saved) records_.restore(saved);
        records_.truncate(journal_.slots);
        records_.rekey();
        reindex();
        state_cache_.clear();
        events_.roll_back();
        end_call();
        return true;
    } catch (...) {
        end_call();
        return false;
    }
}

void Workspace::reindex() {
    search_.clear();
    *search_rows_ = ChunkedVector<uint32_t>();
    for (uint32_t org = 0; org < records_.org_count(); ++org) search_of_org(org);
    for (uint32_t slot = 0; slot < records_.size(); ++slot)
        if (records_.has(slot) && !records_.deleted(slot)) search_for(slot).put(slot, records_.load(slot), records_.view(slot).metadata);
}

uint32_t Workspace::insert(const Customer& c, Ref at) {
    ++writes_;
    const uint32_t slot = records_.insert(c, has_active_subscription(c), at);
    if (at != kNone) unjournal(at);  // the slot's now: a failed call drops it with the slot
    if (!c.deleted_at) search_for(slot).put(slot, c, records_.view(slot).metadata);
    return slot;  // a new id: no state of it is cached
}

void Workspace::replace(uint32_t slot, const Customer& c, Ref at) {
    ++writes_;
    save(slot);
    SearchIndex& search = search_for(slot);
    if (!records_.deleted(slot)) search.erase(slot, records_.view(slot).metadata);
    records_.replace(slot, c, has_active_subscription(c), at);
    if (at != kNone) unjournal(at);
    if (!c.deleted_at) search.put(slot, c, records_.view(slot).metadata);
    changed(c);
}

void Workspace::forget(uint32_t slot) {
    ++writes_;
    save(slot);
    if (!records_.deleted(slot)) search_for(slot).erase(slot, records_.view(slot).metadata);
    state_cache_.erase(records_.view(slot).id.text());
    records_.forget(slot);  // its bytes zeroed; no decoded copy of the record is made
    erased_personal_data();
}

const std::vector<MemberPlace>& Workspace::member_order(uint32_t org) const {
    MemberOrder& order = member_orders_[org];
    if (order.writes == writes_) return order.places;
    order.places.clear();
    for (uint32_t slot : records_.slots(org)) {
        if (!records_.has(slot) || records_.deleted(slot)) continue;
        const Customer c = records_.load(slot);
        for (uint32_t i = 0; i < c.members.size(); ++i)
            if (!c.members[i].deleted_at) order.places.push_back({c.members[i].created_at, c.members[i].id, slot, i, c.members[i].role});
    }
    std::sort(order.places.begin(), order.places.end(),
              [](const MemberPlace& a, const MemberPlace& b) { return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id; });
    order.writes = writes_;
    return order.places;
}

void Workspace::emit(const char* type, const Customer& c) {
    std::string data;
    append_json(data, c);
    events_.emit(type, c.modified_at.value_or(c.created_at), c.organization_id, c.id, std::move(data));
}

void Workspace::emit_state(const Customer& c) {
    events_.emit("customer.state_changed", clock_.now(), c.organization_id, c.id, state_text(c));
}

void Workspace::emit_member(const char* type, const std::string& org, const Member& m) {
    std::string data;
    append_json(data, m);
    events_.emit(type, clock_.now(), org, m.customer_id, std::move(data));
}

}  // namespace clientele
