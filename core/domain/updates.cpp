// Store::update — the update rules of spec §3, applied to a copy so one broken rule changes nothing.
#include "rules/email.hpp"
#include "domain/store.hpp"

namespace clientele {

namespace {
const json kBody = json::array({"body"});
json at(std::string_view key) { return loc_append(kBody, std::string(key)); }

template <class T>
void assign(std::optional<T>& target, const Field<T>& f) {
    if (f.set()) target = f.value;
    if (f.null()) target.reset();
}

void apply_email(Customer& next, const Field<std::string>& f) {
    if (!f.set() || (next.email && email::email_key(*next.email) == email::email_key(f.value))) return;
    next.email = f.value;
    next.email_verified = false;
    if (next.type == CustomerType::Individual)
        for (auto& m : next.members)
            if (m.role == MemberRole::Owner && !m.deleted_at) m.email = f.value;
}

void apply_address(Customer& next, const Field<Address>& f, Problems& p) {
    if (f.null() && next.billing_address)
        p.add(at("billing_address"), "value_error", "Customer billing address cannot be reset to null once set.",
              nullptr);
    if (f.set()) next.billing_address = f.value;
}

void apply_external_id(Customer& next, const Field<std::string>& f, Problems& p) {
    if (!f.present()) return;
    if (!next.external_id) {
        if (f.set()) next.external_id = f.value;
        return;
    }
    if (f.set() && f.value == *next.external_id) return;
    p.add(at("external_id"), "value_error", "Customer external ID cannot be updated.", f.set() ? json(f.value) : json());
}

void apply_type(Customer& next, const Field<CustomerType>& f, Problems& p) {
    if (!f.set()) return;
    if (next.type == CustomerType::Team && f.value == CustomerType::Individual) {
        p.add(at("type"), "value_error", "Customer type cannot be downgraded from 'team' to 'individual'.",
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

Result<std::pair<uint32_t, Customer>> Store::prepare_update(const std::string& org, std::string_view id, const json& body) const {
    auto slot = find(org, id);
    if (!slot) return slot.error();
    Problems p;
    const CustomerUpdate u = parse_update(body, p);
    const Customer old = load(*slot);
    Customer next = old;
    apply_email(next, u.email);
    assign(next.name, u.name);
    assign(next.billing_name, u.billing_name);
    assign(next.locale, u.locale);
    apply_address(next, u.billing_address, p);
    apply_external_id(next, u.external_id, p);
    apply_type(next, u.type, p);
    apply_tax_id(next, u.tax_id, next.billing_address != old.billing_address, p);
    if (u.metadata.set()) next.metadata = u.metadata.value;
    check_unique(org, next, *slot, p);
    if (!p.empty()) return p.to_error();
    return std::pair{*slot, std::move(next)};
}

Result<Unit> Store::check_update(const std::string& org, std::string_view id, const json& body) const {
    auto r = prepare_update(org, id, body);
    if (!r) return r.error();
    return Unit{};
}

Result<Customer> Store::update(const std::string& org, std::string_view id, const json& body) {
    auto prepared = prepare_update(org, id, body);
    if (!prepared) return prepared.error();
    const uint32_t slot = prepared->first;
    Customer& next = prepared->second;
    const Customer old = load(slot);
    auto members = [](const Customer& c) {
        json all = json::array();
        for (const auto& m : c.members) all.push_back(to_json(m));
        return all;
    };
    if (to_json(next) == to_json(old) && members(next) == members(old)) return old;  // nothing changed: no event
    next.modified_at = clock_.now();
    replace(slot, next);
    emit("customer.updated", next);
    emit_state(next);
    return next;
}

}  // namespace clientele
