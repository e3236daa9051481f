#include "domain/customers.hpp"

#include "rules/email.hpp"
#include "rules/validation.hpp"

namespace clientele {

void duplicate_email(Problems& p, json loc, const std::string& email) {
    p.add_duplicate(std::move(loc), "A customer with this email address already exists.", email);
}
void duplicate_external_id(Problems& p, json loc, const std::string& external_id) {
    p.add_duplicate(std::move(loc), "A customer with this external ID already exists.", external_id);
}

void sync_owner_email(Customer& c) {
    if (c.type != CustomerType::Individual || !c.email) return;
    for (auto& m : c.members)
        if (m.role == MemberRole::Owner && !m.deleted_at) m.email = *c.email;
}

namespace {
// The record a create body describes: the customer and its owner member (spec §2), no ids yet.
Customer build(const std::string& org, const CustomerCreate& in) {
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


template <class T>
void assign(std::optional<T>& target, const Field<T>& f) {
    if (f.set()) target = f.value;
    if (f.null()) target.reset();
}

void apply_email(Customer& next, const Field<std::string>& f) {
    if (!f.set() || (next.email && email::email_key(*next.email) == email::email_key(f.value))) return;
    next.email = f.value;
    next.email_verified = false;
    sync_owner_email(next);
}

void apply_address(Customer& next, const Field<Address>& f) {
    if (f.set()) next.billing_address = f.value;  // null was refused with the body
}

void apply_external_id(Customer& next, const Field<std::string>& f, Problems& p) {
    if (!f.present()) return;
    if (!next.external_id) {
        if (f.set()) next.external_id = f.value;
        return;
    }
    if (f.set() && f.value == *next.external_id) return;
    p.add(body_at("external_id"), "value_error", "Customer external ID cannot be updated.", f.set() ? json(f.value) : json());
}

void apply_type(Customer& next, const Field<CustomerType>& f, Problems& p) {
    if (!f.set()) return;
    if (next.type == CustomerType::Team && f.value == CustomerType::Individual) {
        p.add(body_at("type"), "value_error", "Customer type cannot be downgraded from 'team' to 'individual'.",
              "individual");
        return;
    }
    next.type = f.value;
}

void apply_tax_id(Customer& next, const Field<std::string>& f, bool address_changed, Problems& p) {
    auto country = next.billing_address ? std::optional<std::string>(next.billing_address->country) : std::nullopt;
    if (f.null()) next.tax_id.reset();
    if (f.set()) next.tax_id = check_tax_id(f.value, country, p);
    else if (address_changed && next.tax_id)  // a new address re-validates the stored tax ID
        next.tax_id = check_tax_id(next.tax_id->value, country, p);
}
}  // namespace


Result<Customer> Customers::prepare_create(const std::string& org, const json& body) const {
    Problems p;
    CustomerCreate in = parse_create(body, p);
    Customer c = build(org, in);
    check_unique(org, c, std::nullopt, p);
    if (!p.empty()) return p.to_error();
    return c;
}

Result<Unit> Customers::check_create(const std::string& org, const json& body) const {
    auto r = prepare_create(org, body);
    if (!r) return r.error();
    return Unit{};
}

Result<Customer> Customers::create(const std::string& org, const json& body) {
    auto prepared = prepare_create(org, body);
    if (!prepared) return prepared.error();
    Customer c = std::move(prepared.value());
    c.id = w_.new_id();
    c.created_at = w_.now();
    Member& owner = c.members.front();
    owner.id = w_.new_id();
    owner.customer_id = c.id;
    owner.created_at = c.created_at;
    w_.insert(c);
    w_.emit("customer.created", c);
    w_.emit_member("member.created", org, c.members.front());
    w_.emit_state(c);
    return c;
}

Result<Customer> Customers::get(const std::string& org, std::string_view id) const {
    auto slot = w_.find(org, id);
    if (!slot) return slot.error();
    return w_.load(*slot);
}

Result<Customer> Customers::get_external(const std::string& org, std::string_view external_id) const {
    const auto slot = w_.slot_of_external_id(org, external_id);
    if (!slot) return not_found();
    return w_.load(*slot);
}

void Customers::check_unique(const std::string& org, const Customer& c, std::optional<uint32_t> self, Problems& p) const {
    if (c.email) {
        const auto slot = w_.live_by_email(org, *c.email);
        if (slot && slot != self) duplicate_email(p, body_at("email"), *c.email);
    }
    if (c.external_id) {
        const auto slot = w_.slot_of_external_id(org, *c.external_id);
        if (slot && slot != self) duplicate_external_id(p, body_at("external_id"), *c.external_id);
    }
}

Result<std::pair<uint32_t, Customer>> Customers::prepare_update(const std::string& org, std::string_view id, const json& body) const {
    auto slot = w_.find(org, id);
    if (!slot) return slot.error();
    Problems p;
    const CustomerUpdate u = parse_update(body, p);
    const Customer old = w_.load(*slot);
    Customer next = old;
    apply_email(next, u.email);
    assign(next.name, u.name);
    assign(next.billing_name, u.billing_name);
    assign(next.locale, u.locale);
    apply_address(next, u.billing_address);
    apply_external_id(next, u.external_id, p);
    apply_type(next, u.type, p);
    apply_tax_id(next, u.tax_id, next.billing_address != old.billing_address, p);
    if (u.metadata.set()) next.metadata = u.metadata.value;
    check_unique(org, next, *slot, p);
    if (!p.empty()) return p.to_error();
    return std::pair{*slot, std::move(next)};
}

Result<Unit> Customers::check_update(const std::string& org, std::string_view id, const json& body) const {
    auto r = prepare_update(org, id, body);
    if (!r) return r.error();
    return Unit{};
}

Result<Customer> Customers::update(const std::string& org, std::string_view id, const json& body) {
    auto prepared = prepare_update(org, id, body);
    if (!prepared) return prepared.error();
    const uint32_t slot = prepared->first;
    Customer& next = prepared->second;
    const Customer old = w_.load(slot);
    auto members = [](const Customer& c) {
        json all = json::array();
        for (const auto& m : c.members) all.push_back(to_json(m));
        return all;
    };
    if (to_json(next) == to_json(old) && members(next) == members(old)) return old;  // nothing changed: no event
    next.modified_at = w_.now();
    std::vector<size_t> moved;  // an individual's owner that took the new email (spec §3): a member change too
    for (size_t i = 0; i < next.members.size() && i < old.members.size(); ++i)
        if (next.members[i].email != old.members[i].email) next.members[i].modified_at = next.modified_at, moved.push_back(i);
    w_.replace(slot, next);
    w_.emit("customer.updated", next);
    for (size_t i : moved) w_.emit_member("member.updated", org, next.members[i]);
    w_.emit_state(next);
    return next;
}

}  // namespace clientele
