#include "customer.hpp"

namespace clientele {

const char* to_string(CustomerType t) { return t == CustomerType::Team ? "team" : "individual"; }

const char* to_string(MemberRole r) {
    switch (r) {
        case MemberRole::Owner: return "owner";
        case MemberRole::BillingManager: return "billing_manager";
        case MemberRole::Member: return "member";
    }
    return "member";
}

namespace {
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt_time(const std::optional<Millis>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); }
}  // namespace

json to_json(const Address& a) {
    return {{"line1", opt(a.line1)}, {"line2", opt(a.line2)}, {"postal_code", opt(a.postal_code)},
            {"city", opt(a.city)},   {"state", opt(a.state)}, {"country", a.country}};
}

json to_json(const Member& m) {
    return {{"id", m.id},
            {"created_at", format_rfc3339(m.created_at)},
            {"modified_at", opt_time(m.modified_at)},
            {"customer_id", m.customer_id},
            {"email", m.email},
            {"name", opt(m.name)},
            {"external_id", opt(m.external_id)},
            {"role", to_string(m.role)}};
}

json to_json(const Customer& c) {
    return {{"id", c.id},
            {"created_at", format_rfc3339(c.created_at)},
            {"modified_at", opt_time(c.modified_at)},
            {"metadata", c.metadata},
            {"external_id", opt(c.external_id)},
            {"email", opt(c.email)},
            {"email_verified", c.email_verified},
            {"type", to_string(c.type)},
            {"name", opt(c.name)},
            {"billing_name", c.billing_name ? json(*c.billing_name) : opt(c.name)},
            {"billing_address", c.billing_address ? to_json(*c.billing_address) : json(nullptr)},
            {"tax_id", c.tax_id ? json::array({c.tax_id->value, c.tax_id->format}) : json(nullptr)},
            {"locale", opt(c.locale)},
            {"organization_id", c.organization_id},
            {"default_payment_method_id", opt(c.default_payment_method_id)},
            {"deleted_at", opt_time(c.deleted_at)},
            {"avatar_url", opt(c.avatar_url)}};
}

}  // namespace clientele
