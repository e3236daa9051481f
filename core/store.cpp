#include "store.hpp"

#include "email.hpp"

namespace clientele {

Error not_found() { return Error{ErrorKind::NotFound, {}, "Not found"}; }
Error not_permitted(std::string message) { return Error{ErrorKind::NotPermitted, {}, std::move(message)}; }

namespace {
const json kBody = json::array({"body"});
std::string key_of(const std::optional<std::string>& email) { return email ? email::email_key(*email) : std::string(); }
}  // namespace

const Store::OrgIndex* Store::org_index(const std::string& org) const {
    auto it = orgs_.find(org);
    return it == orgs_.end() ? nullptr : &it->second;
}

Result<uint32_t> Store::find(const std::string& org, std::string_view id) const {
    auto it = by_id_.find(std::string(id));
    if (it == by_id_.end()) return not_found();
    const Customer& c = *records_[it->second];
    if (c.organization_id != org || c.deleted_at) return not_found();
    return it->second;
}

Result<const Customer*> Store::get(const std::string& org, std::string_view id) const {
    auto slot = find(org, id);
    if (!slot) return slot.error();
    return records_[*slot].get();
}

Result<const Customer*> Store::get_external(const std::string& org, std::string_view external_id) const {
    const OrgIndex* idx = org_index(org);
    if (!idx) return not_found();
    auto it = idx->external_id.find(std::string(external_id));
    if (it == idx->external_id.end()) return not_found();
    return records_[it->second].get();
}

std::optional<uint32_t> Store::live_by_email(const std::string& org, const std::string& email) const {
    const OrgIndex* idx = org_index(org);
    if (!idx) return std::nullopt;
    auto it = idx->email.find(email::email_key(email));
    if (it == idx->email.end()) return std::nullopt;
    return it->second;
}

void Store::check_unique(const std::string& org, const Customer& c, std::optional<uint32_t> self, Problems& p) const {
    const OrgIndex* idx = org_index(org);
    if (!idx) return;
    if (c.email) {
        auto it = idx->email.find(key_of(c.email));
        if (it != idx->email.end() && it->second != self)
            p.add(loc_append(kBody, "email"), "value_error", "A customer with this email address already exists.",
                  *c.email);
    }
    if (c.external_id) {
        auto it = idx->external_id.find(*c.external_id);
        if (it != idx->external_id.end() && it->second != self)
            p.add(loc_append(kBody, "external_id"), "value_error", "A customer with this external ID already exists.",
                  *c.external_id);
    }
}

void Store::index(uint32_t slot) {
    const Customer& c = *records_[slot];
    OrgIndex& idx = orgs_[c.organization_id];
    if (c.deleted_at) return;
    if (c.email) idx.email[key_of(c.email)] = slot;
    if (c.external_id) idx.external_id[*c.external_id] = slot;
    idx.search.put(slot, c);
}

void Store::unindex(uint32_t slot) {
    const Customer& c = *records_[slot];
    OrgIndex& idx = orgs_[c.organization_id];
    idx.search.erase(slot);
    if (c.email) {
        auto it = idx.email.find(key_of(c.email));
        if (it != idx.email.end() && it->second == slot) idx.email.erase(it);
    }
    if (c.external_id) {
        auto it = idx.external_id.find(*c.external_id);
        if (it != idx.external_id.end() && it->second == slot) idx.external_id.erase(it);
    }
}

uint32_t Store::insert(Customer c) {
    const auto slot = static_cast<uint32_t>(records_.size());
    by_id_.emplace(c.id, slot);
    register_children(c, slot);
    orgs_[c.organization_id].slots.push_back(slot);
    records_.push_back(std::make_unique<Customer>(std::move(c)));
    index(slot);
    return slot;
}

void Store::reserve(const std::string& org, size_t more) {
    records_.reserve(records_.size() + more);
    by_id_.reserve(by_id_.size() + more);
    child_slot_.reserve(child_slot_.size() + more);
    OrgIndex& idx = orgs_[org];
    idx.email.reserve(idx.email.size() + more);
    idx.external_id.reserve(idx.external_id.size() + more);
    idx.slots.reserve(idx.slots.size() + more);
    idx.search.reserve(more);
}

void Store::replace(uint32_t slot, Customer c) {
    unindex(slot);
    register_children(c, slot);
    *records_[slot] = std::move(c);
    index(slot);
    changed(*records_[slot]);
}

void Store::register_children(const Customer& c, uint32_t slot) {
    for (const auto& m : c.members) child_slot_.emplace(m.id, slot);
    for (const auto& s : c.subscriptions) child_slot_.emplace(s.id, slot);
    for (const auto& g : c.grants) child_slot_.emplace(g.id, slot);
    for (const auto& m : c.meters) child_slot_.emplace(m.id, slot);
}

void Store::changed(const Customer& c) { state_cache_.erase(c.id); }

void Store::emit(const char* type, const Customer& c) { events_.emit(type, c.modified_at.value_or(c.created_at), c.organization_id, c.id, to_json(c)); }

void Store::emit_state(const Customer& c) { events_.emit("customer.state_changed", clock_.now(), c.organization_id, c.id, state_json(c)); }

void Store::emit_member(const char* type, const Member& m) {
    events_.emit(type, clock_.now(), records_[by_id_.at(m.customer_id)]->organization_id, m.customer_id, to_json(m));
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

Result<const Customer*> Store::create(const std::string& org, const json& body) {
    auto prepared = prepare_create(org, body);
    if (!prepared) return prepared.error();
    Customer c = std::move(prepared.value());
    c.id = ids_.uuid4();
    c.created_at = clock_.now();
    Member& owner = c.members.front();
    owner.id = ids_.uuid4();
    owner.customer_id = c.id;
    owner.created_at = c.created_at;
    const Customer& saved = *records_[insert(std::move(c))];
    emit("customer.created", saved);
    emit_member("member.created", saved.members.front());
    emit_state(saved);
    return &saved;
}

}  // namespace clientele
