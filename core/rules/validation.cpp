#include "rules/validation.hpp"

#include "rules/email.hpp"
#include "rules/geo.hpp"
#include "rules/locale.hpp"
#include "rules/tax_id.hpp"

namespace clientele {

namespace {
const json kBody = json::array({"body"});

json at(const json& loc, std::string_view key) { return loc_append(loc, std::string(key)); }

bool too_long(const std::string& s, size_t max, const json& loc, Problems& p) {
    if (utf8_length(s) <= max) return false;
    p.add(loc, "string_too_long", "String should have at most " + std::to_string(max) + " characters",
          s.size() > 1024 ? json(s.substr(0, 64) + "...") : json(s));
    return true;
}

// A trimmed optional text field: empty -> null, bounded length.
std::optional<std::string> check_text(const Field<std::string>& f, size_t max, const json& loc, Problems& p) {
    if (!f.set()) return std::nullopt;
    auto v = trim_to_null(f.value);
    if (v && too_long(*v, max, loc, p)) return std::nullopt;
    return v;
}

std::optional<std::string> check_locale(const Field<std::string>& f, const json& loc, Problems& p) {
    auto v = check_text(f, Limits::locale, loc, p);
    if (!v) return std::nullopt;
    auto r = locale::normalize_locale(*v);
    if (!r) {
        p.add(loc, r.error(), *v);
        return std::nullopt;
    }
    return r.value();
}

Field<CustomerType> check_type(const Field<std::string>& f, const json& loc, Problems& p) {
    Field<CustomerType> out;
    out.presence = f.presence;
    if (!f.set()) return out;
    if (auto type = customer_type_named(f.value)) return out.value = *type, out;
    p.add(loc, "enum", kCustomerTypeChoices, f.value);
    out.presence = Presence::Absent;
    return out;
}

std::optional<OwnerInput> check_owner(const json& body, Problems& p) {
    auto f = read_object(body, "owner", kBody, p);
    if (!f.set()) return std::nullopt;
    const json loc = at(kBody, "owner");
    forbid_unknown(f.value, {"email", "name", "external_id"}, loc, p);
    auto email_field = read_string(f.value, "email", loc, p);
    if (!email_field.set() && !email_field.present()) p.add(at(loc, "email"), "missing", "Field required");
    auto email = check_email(email_field, at(loc, "email"), p);
    auto name = check_name(read_string(f.value, "name", loc, p), at(loc, "name"), p);
    auto ext = check_external_id(read_string(f.value, "external_id", loc, p), at(loc, "external_id"), p);
    if (!email) return std::nullopt;
    return OwnerInput{*email, name, ext};
}

std::optional<std::string> country_of(const CustomerCreate& c) {
    return c.billing_address ? std::optional<std::string>(c.billing_address->country) : std::nullopt;
}
}  // namespace

std::optional<std::string> check_email(const Field<std::string>& f, const json& loc, Problems& p) {
    if (!f.set()) return std::nullopt;
    if (f.value.size() > 1024) return too_long(f.value, 254, loc, p), std::nullopt;
    auto r = email::normalize_email(f.value);
    if (!r) {
        p.add(loc, r.error(), f.value);
        return std::nullopt;
    }
    return r.value();
}

std::optional<std::string> check_name(const Field<std::string>& f, const json& loc, Problems& p) {
    return check_text(f, Limits::name, loc, p);
}

std::optional<std::string> check_external_id(const Field<std::string>& f, const json& loc, Problems& p) {
    return check_text(f, Limits::external_id, loc, p);
}

Field<Address> check_address(const json& body, const json& parent, Problems& p) {
    Field<Address> out;
    auto f = read_object(body, "billing_address", parent, p);
    out.presence = f.presence;
    if (!f.set()) return out;
    const json loc = at(parent, "billing_address");
    const size_t before = p.size();
    forbid_unknown(f.value, {"line1", "line2", "postal_code", "city", "state", "country"}, loc, p);
    Address a;
    a.line1 = check_text(read_string(f.value, "line1", loc, p), Limits::address_line, at(loc, "line1"), p);
    a.line2 = check_text(read_string(f.value, "line2", loc, p), Limits::address_line, at(loc, "line2"), p);
    a.postal_code = check_text(read_string(f.value, "postal_code", loc, p), Limits::address_line, at(loc, "postal_code"), p);
    a.city = check_text(read_string(f.value, "city", loc, p), Limits::address_line, at(loc, "city"), p);
    a.state = check_text(read_string(f.value, "state", loc, p), Limits::address_line, at(loc, "state"), p);
    auto country = read_string(f.value, "country", loc, p);
    if (!country.present()) p.add(at(loc, "country"), "missing", "Field required");
    if (country.null()) p.add(at(loc, "country"), "string_type", "Input should be a valid string", nullptr);
    if (country.set()) {
        std::string c = trim(country.value);
        for (auto& ch : c) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
        if (!geo::is_country(c))
            p.add(at(loc, "country"), "enum", "Input should be a valid ISO 3166-1 alpha-2 country code", country.value);
        else if (geo::is_embargoed(c))
            p.add(at(loc, "country"), "value_error", "Country " + c + " is embargoed and not supported", country.value);
        a.country = c;
    }
    const bool us = a.country == "US", ca = a.country == "CA";
    if ((us || ca) && a.state) {
        std::string s = *a.state;
        for (auto& ch : s) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
        if (s.rfind(a.country + "-", 0) != 0) s = a.country + "-" + s;
        if (us && !geo::is_us_state(s)) p.add(at(loc, "state"), "value_error", "Invalid US state", *a.state);
        if (ca && !geo::is_ca_subdivision(s)) p.add(at(loc, "state"), "value_error", "Invalid CA subdivision", *a.state);
        a.state = s;
    }
    if (p.size() != before) out.presence = Presence::Absent;
    out.value = std::move(a);
    return out;
}

bool is_reserved_metadata_key(std::string_view key) { return key.starts_with("__"); }

json check_metadata(const json& value, const json& loc, Problems& p) {
    json out = json::object();
    if (!value.is_object()) {
        p.add(loc, "dict_type", "Input should be a valid dictionary", value);
        return out;
    }
    if (value.size() > Limits::metadata_keys)
        p.add(loc, "too_long",
              "Dictionary should have at most 50 items after validation, not " + std::to_string(value.size()),
              nullptr);
    size_t checked = 0;
    for (auto it = value.begin(); it != value.end() && checked++ < 100; ++it) {
        const std::string& k = it.key();
        const json kloc = at(loc, k);
        const size_t klen = utf8_length(k);
        if (klen < 1 || klen > Limits::metadata_key)
            p.add(loc_append(kloc, "[key]"), klen < 1 ? "string_too_short" : "string_too_long",
                  klen < 1 ? "String should have at least 1 character" : "String should have at most 40 characters", k);
        else if (has_nul(k))
            p.add(loc_append(kloc, "[key]"), "value_error", "This value contains invalid characters", k);
        else if (is_reserved_metadata_key(k))
            p.add(loc_append(kloc, "[key]"), "value_error", kReservedMetadataKey, k);
        const json& v = it.value();
        if (v.is_string()) {
            const auto& s = v.get_ref<const std::string&>();
            const size_t len = utf8_length(s);
            if (len < 1) p.add(kloc, "string_too_short", "String should have at least 1 character", s);
            else if (too_long(s, Limits::metadata_value, kloc, p)) {}
            else if (has_nul(s)) p.add(kloc, "value_error", "This value contains invalid characters", s);
        } else if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
            p.add(kloc, "int_type", "Input should be a valid integer, value out of range", v);
        } else if (!(v.is_number() || v.is_boolean())) {
            p.add(kloc, "metadata_value_type", "Input should be a valid string, integer, number or boolean",
                  v.is_structured() ? json(v.type_name()) : v);
        }
        out[k] = v;
    }
    return out;
}

std::optional<TaxId> check_tax_id(const std::string& raw, const std::optional<std::string>& country, Problems& p) {
    if (!country) {
        p.add(at(kBody, "billing_address"), "missing", "Country is required to validate tax ID.", nullptr);
        return std::nullopt;
    }
    if (raw.size() <= Limits::tax_id * 4) {
        if (auto m = tax_id::validate(*country, raw)) return TaxId{m->value, m->format};
    }
    p.add(at(kBody, "tax_id"), "invalid", "Invalid tax ID.", raw.size() > 1024 ? json(raw.substr(0, 64)) : json(raw));
    return std::nullopt;
}

CustomerCreate parse_create(const json& body, Problems& p) {
    CustomerCreate c;
    if (!require_object(body, kBody, p)) return c;
    forbid_unknown(body,
                   {"email", "name", "billing_name", "billing_address", "tax_id", "locale", "metadata", "external_id",
                    "type", "owner", "organization_id", "email_verified"},
                   kBody, p);
    auto type = check_type(read_string(body, "type", kBody, p), at(kBody, "type"), p);
    if (type.set()) c.type = type.value;
    auto email = read_string(body, "email", kBody, p);
    c.email = check_email(email, at(kBody, "email"), p);
    c.name = check_name(read_string(body, "name", kBody, p), at(kBody, "name"), p);
    c.billing_name = check_name(read_string(body, "billing_name", kBody, p), at(kBody, "billing_name"), p);
    c.external_id = check_external_id(read_string(body, "external_id", kBody, p), at(kBody, "external_id"), p);
    c.locale = check_locale(read_string(body, "locale", kBody, p), at(kBody, "locale"), p);
    c.email_verified = read_bool(body, "email_verified", kBody, p).value;
    read_string(body, "organization_id", kBody, p);  // type-checked; the caller's scope decides
    auto address = check_address(body, kBody, p);
    if (address.set()) c.billing_address = address.value;
    if (auto it = body.find("metadata"); it != body.end() && !it->is_null())
        c.metadata = check_metadata(*it, at(kBody, "metadata"), p);
    c.owner = check_owner(body, p);
    auto tax = read_string(body, "tax_id", kBody, p);
    if (tax.set() && trim_to_null(tax.value) && !(address.present() && !address.set()))
        c.tax_id = check_tax_id(tax.value, country_of(c), p);

    if (c.type == CustomerType::Individual && !email.present())
        p.add(at(kBody, "email"), "missing", "Field required");
    else if (c.type == CustomerType::Individual && email.null())
        p.add(at(kBody, "email"), "string_type", "Input should be a valid string", nullptr);
    else if (c.type == CustomerType::Team && !email.present() && !body.contains("owner"))
        p.add(at(kBody, "owner"), "value_error",
              "An owner with an email address is required when creating a team customer without an email.");
    return c;
}

CustomerUpdate parse_update(const json& body, Problems& p) {
    CustomerUpdate u;
    if (!require_object(body, kBody, p)) return u;
    forbid_unknown(body,
                   {"email", "name", "billing_name", "billing_address", "tax_id", "locale", "metadata", "external_id",
                    "type"},
                   kBody, p);
    auto keep = [](Field<std::string> raw, const std::optional<std::string>& checked) {
        Field<std::string> f;
        f.presence = raw.set() && !checked ? (trim_to_null(raw.value) ? Presence::Absent : Presence::Null)
                                           : raw.presence;
        if (checked) f.value = *checked;
        return f;
    };
    auto email = read_string(body, "email", kBody, p);
    u.email = keep(email, check_email(email, at(kBody, "email"), p));
    if (u.email.null()) u.email.presence = Presence::Absent;  // `email: null` is ignored
    auto name = read_string(body, "name", kBody, p);
    u.name = keep(name, check_name(name, at(kBody, "name"), p));
    auto billing_name = read_string(body, "billing_name", kBody, p);
    u.billing_name = keep(billing_name, check_name(billing_name, at(kBody, "billing_name"), p));
    auto ext = read_string(body, "external_id", kBody, p);
    u.external_id = keep(ext, check_external_id(ext, at(kBody, "external_id"), p));
    auto locale = read_string(body, "locale", kBody, p);
    u.locale = keep(locale, check_locale(locale, at(kBody, "locale"), p));
    u.tax_id = read_string(body, "tax_id", kBody, p);
    if (u.tax_id.set() && !trim_to_null(u.tax_id.value)) u.tax_id.presence = Presence::Null;
    u.billing_address = check_address(body, kBody, p);
    u.type = check_type(read_string(body, "type", kBody, p), at(kBody, "type"), p);
    if (auto it = body.find("metadata"); it != body.end() && !it->is_null()) {
        u.metadata.presence = Presence::Set;
        u.metadata.value = check_metadata(*it, at(kBody, "metadata"), p);
    }
    return u;
}

}  // namespace clientele
