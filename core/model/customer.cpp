#include "model/customer.hpp"

#include "io/json_writer.hpp"

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

std::optional<CustomerType> customer_type_named(std::string_view text) {
    if (text == "individual") return CustomerType::Individual;
    if (text == "team") return CustomerType::Team;
    return std::nullopt;
}

std::optional<MemberRole> member_role_named(std::string_view text) {
    for (MemberRole r : {MemberRole::Owner, MemberRole::BillingManager, MemberRole::Member})
        if (text == to_string(r)) return r;
    return std::nullopt;
}

namespace {
template <class Out>
void time(Out& o, std::string_view k, const std::optional<Millis>& t) {
    t ? o.text(k, format_rfc3339(*t)) : o.null(k);
}

// Members in sorted order (as nlohmann's dump writes a DOM), so both sinks write the same text.
template <class Out>
void address_fields(const Address& a, Out& o) {
    o.text("city", a.city);
    o.text("country", a.country);
    o.text("line1", a.line1);
    o.text("line2", a.line2);
    o.text("postal_code", a.postal_code);
    o.text("state", a.state);
}

template <class Out>
void member_fields(const Member& m, Out& o) {
    o.text("created_at", format_rfc3339(m.created_at));
    o.text("customer_id", m.customer_id);
    o.text("email", m.email);
    o.text("external_id", m.external_id);
    o.text("id", m.id);
    time(o, "modified_at", m.modified_at);
    o.text("name", m.name);
    o.text("role", std::string_view(to_string(m.role)));
}

template <class Out>
void customer_fields(const Customer& c, Out& o) {
    o.text("avatar_url", c.avatar_url);
    if (c.billing_address) o.object("billing_address", [&](auto& inner) { address_fields(*c.billing_address, inner); });
    else o.null("billing_address");
    o.text("billing_name", c.billing_name ? c.billing_name : c.name);
    o.text("created_at", format_rfc3339(c.created_at));
    o.text("default_payment_method_id", c.default_payment_method_id);
    time(o, "deleted_at", c.deleted_at);
    o.text("email", c.email);
    o.boolean("email_verified", c.email_verified);
    o.text("external_id", c.external_id);
    time(o, "first_user_event_at", c.first_user_event_at);
    o.text("id", c.id);
    o.text("locale", c.locale);
    o.value("metadata", c.metadata);
    time(o, "modified_at", c.modified_at);
    o.text("name", c.name);
    o.text("organization_id", c.organization_id);
    if (c.tax_id) o.value("tax_id", json::array({c.tax_id->value, c.tax_id->format}));
    else o.null("tax_id");
    o.text("type", std::string_view(to_string(c.type)));
}
}  // namespace

namespace {
// A sink that hands fields on to a JsonObjectWriter, leaving out nulls and empty lists (as snapshot lines
// do) and the one key `skipped`.
class WithoutEmpty {
public:
    WithoutEmpty(JsonObjectWriter& w, std::string_view skipped = {}) : w_(w), skipped_(skipped) {}
    void text(std::string_view k, std::string_view v) {
        if (k != skipped_) w_.text(k, v);
    }
    void text(std::string_view k, const std::string& v) { text(k, std::string_view(v)); }
    void text(std::string_view k, const std::optional<std::string>& v) {
        if (v) text(k, std::string_view(*v));
    }
    void boolean(std::string_view k, bool v) { w_.boolean(k, v); }
    void number(std::string_view k, uint64_t v) { w_.number(k, v); }
    void null(std::string_view) {}
    void value(std::string_view k, const json& v) {
        if (!v.is_null() && !(v.is_array() && v.empty()) && k != skipped_) w_.value(k, v);
    }
    template <class F>
    void object(std::string_view k, F fields) {  // inside, nulls are written as they are
        w_.object(k, fields);
    }

private:
    JsonObjectWriter& w_;
    std::string_view skipped_;
};
}  // namespace

void append_snapshot_fields(JsonObjectWriter& w, const Customer& c) {
    WithoutEmpty sink(w, "billing_name");
    customer_fields(c, sink);
    if (c.billing_name) w.text("billing_name", *c.billing_name);  // the stored value, not the response fallback
}

void append_snapshot_fields(JsonObjectWriter& w, const Member& m) {
    WithoutEmpty sink(w);
    member_fields(m, sink);
    if (m.deleted_at) w.text("deleted_at", format_rfc3339(*m.deleted_at));
}

json to_json(const Address& a) {
    JsonObjectBuilder b;
    address_fields(a, b);
    return std::move(b.built);
}

json to_json(const Member& m) {
    JsonObjectBuilder b;
    member_fields(m, b);
    return std::move(b.built);
}

json to_json(const Customer& c) {
    JsonObjectBuilder b;
    customer_fields(c, b);
    return std::move(b.built);
}

void append_json(std::string& out, const Member& m) {
    JsonObjectWriter w(out);
    member_fields(m, w);
}

void append_json(std::string& out, const Customer& c) {
    JsonObjectWriter w(out);
    customer_fields(c, w);
}

}  // namespace clientele
