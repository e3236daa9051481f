#include "rules/validation.hpp"

#include <cmath>

#include "rules/email.hpp"
#include "rules/geo.hpp"
#include "rules/locale.hpp"
#include "rules/tax_id.hpp"

namespace clientele {

namespace {
json at(const json& loc, std::string_view key) { return loc_append(loc, std::string(key)); }

bool too_long(std::string_view s, size_t max, LazyLoc loc, Problems& p) {
    if (s.size() <= max || utf8_length(s) <= max) return false;  // bytes >= characters
    p.add(loc(), "string_too_long", "String should have at most " + std::to_string(max) + " characters",
          s.size() > 1024 ? json(std::string(s.substr(0, 64)) + "...") : json(s));
    return true;
}

// The rule of a trimmed optional text: the trimmed text (empty: null), or nullopt when too long.
std::optional<std::string_view> text_rule(std::string_view raw, size_t max, LazyLoc loc, Problems& p, bool& ok) {
    const std::string_view v = trim_view(raw);
    ok = v.empty() || !too_long(v, max, loc, p);
    return ok && !v.empty() ? std::optional<std::string_view>(v) : std::nullopt;
}

// A trimmed optional text field: empty -> null, bounded length.
std::optional<std::string> check_text(const Field<std::string>& f, size_t max, const json& loc, Problems& p) {
    if (!f.set()) return std::nullopt;
    bool ok = true;
    const auto v = text_rule(f.value, max, loc, p, ok);
    return v ? std::optional<std::string>(*v) : std::nullopt;
}

// The same on a value in place (a stored record's): trimmed without a copy when it needs none.
bool check_text(std::optional<std::string>& value, size_t max, LazyLoc loc, Problems& p) {
    if (!value) return true;
    bool ok = true;
    const auto v = text_rule(*value, max, loc, p, ok);
    if (!ok) return false;
    if (!v) value.reset();
    else if (v->size() != value->size()) *value = std::string(*v);
    return true;
}

// The locale rule on a trimmed, bounded text: its canonical form, or nullopt (reported).
std::optional<std::string> locale_rule(std::string_view v, LazyLoc loc, Problems& p) {
    auto r = locale::normalize_locale(v);
    if (!r) {
        p.add(loc(), r.error(), v);
        return std::nullopt;
    }
    return r.value();
}

std::optional<std::string> check_locale(const Field<std::string>& f, const json& loc, Problems& p) {
    auto v = check_text(f, Limits::locale, loc, p);
    if (!v) return std::nullopt;
    return locale_rule(*v, loc, p);
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
    auto f = read_object(body, "owner", body_loc(), p);
    if (!f.set()) return std::nullopt;
    const json loc = body_at("owner");
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

namespace {
// The email rule: the normalized address, or nullopt (reported).
std::optional<std::string> email_rule(std::string_view value, LazyLoc loc, Problems& p) {
    if (value.size() > 1024) return too_long(value, 254, loc, p), std::nullopt;
    auto r = email::normalize_email(value);
    if (!r) {
        p.add(loc(), r.error(), value);
        return std::nullopt;
    }
    return std::move(r.value());
}
}  // namespace

std::optional<std::string> check_email(const Field<std::string>& f, const json& loc, Problems& p) {
    if (!f.set()) return std::nullopt;
    return email_rule(f.value, loc, p);
}

std::optional<std::string> normalized_email(std::string_view value, LazyLoc loc, Problems& p) { return email_rule(value, loc, p); }

bool check_email(std::string& value, LazyLoc loc, Problems& p) {
    auto v = email_rule(value, loc, p);
    if (v && *v != value) value = std::move(*v);
    return v.has_value();
}

bool check_name(std::optional<std::string>& value, LazyLoc loc, Problems& p) { return check_text(value, Limits::name, loc, p); }

bool check_external_id(std::optional<std::string>& value, LazyLoc loc, Problems& p) {
    return check_text(value, Limits::external_id, loc, p);
}

bool check_locale(std::optional<std::string>& value, LazyLoc loc, Problems& p) {
    if (!check_text(value, Limits::locale, loc, p)) return false;
    if (!value) return true;
    auto v = locale_rule(*value, loc, p);
    if (v && *v != *value) *value = std::move(*v);
    return v.has_value();
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

namespace {
// One metadata value as either reader has it (nlohmann's DOM, or a snapshot line's JsonTree).
struct MetadataValue {
    enum class Kind { String, Scalar, BigUnsigned, Null, Array, Object } kind;
    std::string_view text;  // a String's
    uint64_t big = 0;       // a BigUnsigned's (beyond int64)
};

bool metadata_count_rule(size_t n, LazyLoc loc, Problems& p) {
    if (n <= Limits::metadata_keys) return true;
    p.add(loc(), "too_long", "Dictionary should have at most 50 items after validation, not " + std::to_string(n), nullptr);
    return false;
}

// The rules of one entry: its key (unless `reserved_ok` and reserved), then its value. The entry's
// location is built only for a problem.
bool metadata_entry_rule(std::string_view k, const MetadataValue& v, bool reserved_ok, LazyLoc loc, Problems& p) {
    const size_t before = p.size();
    const auto kloc = [&] { return at(loc(), k); };
    const auto key_loc = [&] { return loc_append(kloc(), "[key]"); };
    const size_t klen = utf8_length(k);
    if (klen < 1 || klen > Limits::metadata_key)
        p.add(key_loc(), klen < 1 ? "string_too_short" : "string_too_long",
              klen < 1 ? "String should have at least 1 character" : "String should have at most 40 characters", k);
    else if (has_nul(k))
        p.add(key_loc(), "value_error", "This value contains invalid characters", k);
    else if (!reserved_ok && is_reserved_metadata_key(k))
        p.add(key_loc(), "value_error", kReservedMetadataKey, k);
    using Kind = MetadataValue::Kind;
    if (v.kind == Kind::String) {
        const std::string_view s = v.text;
        const size_t len = utf8_length(s);
        if (len < 1) p.add(kloc(), "string_too_short", "String should have at least 1 character", s);
        else if (too_long(s, Limits::metadata_value, kloc, p)) {}
        else if (has_nul(s)) p.add(kloc(), "value_error", "This value contains invalid characters", s);
    } else if (v.kind == Kind::BigUnsigned) {
        p.add(kloc(), "int_type", "Input should be a valid integer, value out of range", v.big);
    } else if (v.kind != Kind::Scalar) {
        p.add(kloc(), "metadata_value_type", "Input should be a valid string, integer, number or boolean",
              v.kind == Kind::Null ? json() : json(v.kind == Kind::Array ? "array" : "object"));
    }
    return p.size() == before;
}

MetadataValue metadata_value(const json& v) {
    using Kind = MetadataValue::Kind;
    if (v.is_string()) return {Kind::String, v.get_ref<const std::string&>()};
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return {Kind::BigUnsigned, {}, v.get<uint64_t>()};
    if (v.is_number() || v.is_boolean()) return {Kind::Scalar, {}};
    return {v.is_null() ? Kind::Null : v.is_array() ? Kind::Array : Kind::Object, {}};
}

MetadataValue metadata_value(const JsonTree& tree, const JsonTree::Node& v) {
    using Kind = MetadataValue::Kind;
    switch (v.kind) {
        case JsonTree::Kind::String: return {Kind::String, tree.string(v)};
        case JsonTree::Kind::Uint:
            if (v.value.u > static_cast<uint64_t>(INT64_MAX)) return {Kind::BigUnsigned, {}, v.value.u};
            return {Kind::Scalar, {}};
        case JsonTree::Kind::Int:
        case JsonTree::Kind::Float:
        case JsonTree::Kind::Bool: return {Kind::Scalar, {}};
        case JsonTree::Kind::Null: return {Kind::Null, {}};
        case JsonTree::Kind::Array: return {Kind::Array, {}};
        case JsonTree::Kind::Object: break;
    }
    return {Kind::Object, {}};
}
}  // namespace

json check_metadata(const json& value, const json& loc, Problems& p) {
    json out = json::object();
    if (!value.is_object()) {
        p.add(loc, "dict_type", "Input should be a valid dictionary", value);
        return out;
    }
    metadata_count_rule(value.size(), loc, p);
    size_t checked = 0;
    for (auto it = value.begin(); it != value.end() && checked++ < 100; ++it) {
        metadata_entry_rule(it.key(), metadata_value(it.value()), false, loc, p);
        out[it.key()] = it.value();
    }
    return out;
}

bool check_metadata(const JsonTree& tree, const JsonTree::Node& object, LazyLoc loc, Problems& p,
                    bool (*kept)(std::string_view key, const void* ctx), const void* ctx) {
    if (object.kind != JsonTree::Kind::Object) {
        p.add(loc(), "dict_type", "Input should be a valid dictionary", tree.to_json(object));
        return false;
    }
    const size_t before = p.size();
    const auto is_kept = [&](std::string_view key) { return kept && is_reserved_metadata_key(key) && kept(key, ctx); };
    size_t n = 0;
    for (const JsonTree::Node* m = tree.first(object); m; m = tree.next(*m)) n += !is_kept(tree.key(*m));
    metadata_count_rule(n, loc, p);
    size_t checked = 0;
    for (const JsonTree::Node* m = tree.first(object); m && checked++ < 100; m = tree.next(*m)) {
        const std::string_view key = tree.key(*m);
        metadata_entry_rule(key, metadata_value(tree, *m), is_kept(key), loc, p);
    }
    return p.size() == before;
}

namespace {
// The tax ID rule for a known country: the normalized pair, or nullopt (the caller reports it).
std::optional<TaxId> tax_id_rule(std::string_view raw, std::string_view country) {
    if (raw.size() <= Limits::tax_id * 4) {
        if (auto m = tax_id::validate(country, raw)) return TaxId{std::move(m->value), std::move(m->format)};
    }
    return std::nullopt;
}

void invalid_tax_id(std::string_view raw, LazyLoc loc, Problems& p) {
    p.add(loc(), "invalid", "Invalid tax ID.", raw.size() > 1024 ? json(raw.substr(0, 64)) : json(raw));
}
}  // namespace

std::optional<TaxId> check_tax_id(const std::string& raw, const std::optional<std::string>& country, Problems& p) {
    if (!country) {
        p.add(body_at("billing_address"), "missing", "Country is required to validate tax ID.", nullptr);
        return std::nullopt;
    }
    if (auto t = tax_id_rule(raw, *country)) return t;
    invalid_tax_id(raw, body_at("tax_id"), p);
    return std::nullopt;
}

bool check_tax_id(const TaxId& stored, const std::optional<std::string>& country, LazyLoc loc, Problems& p) {
    const auto gives = [&](std::string_view c) {
        const auto t = tax_id_rule(stored.value, c);
        return t && *t == stored;
    };
    bool valid = false;
    if (country) {
        valid = gives(*country);
    } else if (stored.format == "eu_vat") {
        valid = gives("FR");  // every EU address takes every EU VAT number: its prefix names the state
    } else {
        for (const auto& f : tax_id::formats())
            if (!valid && f.format == stored.format && f.country != "EU") valid = gives(f.country);
    }
    if (!valid) invalid_tax_id(stored.value, loc, p);
    return valid;
}

namespace {
// Hex digits of either case, by byte.
constexpr std::array<bool, 256> kHex = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return t;
}();
}  // namespace

bool is_uuid(std::string_view id) {
    if (id.size() != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-') return false;
    bool hex = true;
    for (size_t i = 0; i < 36; ++i) hex &= i == 8 || i == 13 || i == 18 || i == 23 || kHex[static_cast<uint8_t>(id[i])];
    return hex;
}

bool check_choice(std::string_view value, std::span<const std::string_view> choices, LazyLoc loc, Problems& p) {
    for (std::string_view c : choices)
        if (value == c) return true;
    std::string msg = "Input should be";
    for (std::string_view c : choices) msg += (msg.back() == 'e' ? " '" : ", '") + std::string(c) + "'";
    p.add(loc(), "enum", msg, value);
    return false;
}

bool check_range(int64_t value, int64_t min, int64_t max, LazyLoc loc, Problems& p) {
    if (value < min) p.add(loc(), "greater_than_equal", "Input should be greater than or equal to " + std::to_string(min), value);
    else if (value > max) p.add(loc(), "less_than_equal", "Input should be less than or equal to " + std::to_string(max), value);
    else return true;
    return false;
}

bool check_units(double value, LazyLoc loc, Problems& p) {
    if (std::isfinite(value) && value >= 0) return true;
    p.add(loc(), "greater_than_equal", "Input should be a number greater than or equal to 0",
          std::isfinite(value) ? json(value) : json(nullptr));
    return false;
}

CustomerCreate parse_create(const json& body, Problems& p) {
    CustomerCreate c;
    if (!require_object(body, body_loc(), p)) return c;
    forbid_unknown(body,
                   {"email", "name", "billing_name", "billing_address", "tax_id", "locale", "metadata", "external_id",
                    "type", "owner", "organization_id", "email_verified"},
                   body_loc(), p);
    auto type = check_type(read_string(body, "type", body_loc(), p), body_at("type"), p);
    if (type.set()) c.type = type.value;
    auto email = read_string(body, "email", body_loc(), p);
    c.email = check_email(email, body_at("email"), p);
    c.name = check_name(read_string(body, "name", body_loc(), p), body_at("name"), p);
    c.billing_name = check_name(read_string(body, "billing_name", body_loc(), p), body_at("billing_name"), p);
    c.external_id = check_external_id(read_string(body, "external_id", body_loc(), p), body_at("external_id"), p);
    c.locale = check_locale(read_string(body, "locale", body_loc(), p), body_at("locale"), p);
    c.email_verified = read_bool(body, "email_verified", body_loc(), p).value;
    read_string(body, "organization_id", body_loc(), p);  // type-checked; the caller's scope decides
    auto address = check_address(body, body_loc(), p);
    if (address.set()) c.billing_address = address.value;
    if (auto it = body.find("metadata"); it != body.end() && !it->is_null())
        c.metadata = check_metadata(*it, body_at("metadata"), p);
    c.owner = check_owner(body, p);
    auto tax = read_string(body, "tax_id", body_loc(), p);
    if (tax.set() && trim_to_null(tax.value) && !(address.present() && !address.set()))
        c.tax_id = check_tax_id(tax.value, country_of(c), p);

    if (c.type == CustomerType::Individual && !email.present())
        p.add(body_at("email"), "missing", "Field required");
    else if (c.type == CustomerType::Individual && email.null())
        p.add(body_at("email"), "string_type", "Input should be a valid string", nullptr);
    else if (c.type == CustomerType::Team && !email.present() && !body.contains("owner"))
        p.add(body_at("owner"), "value_error",
              "An owner with an email address is required when creating a team customer without an email.");
    return c;
}

CustomerUpdate parse_update(const json& body, Problems& p) {
    CustomerUpdate u;
    if (!require_object(body, body_loc(), p)) return u;
    forbid_unknown(body,
                   {"email", "name", "billing_name", "billing_address", "tax_id", "locale", "metadata", "external_id",
                    "type"},
                   body_loc(), p);
    auto keep = [](Field<std::string> raw, const std::optional<std::string>& checked) {
        Field<std::string> f;
        f.presence = raw.set() && !checked ? (trim_to_null(raw.value) ? Presence::Absent : Presence::Null)
                                           : raw.presence;
        if (checked) f.value = *checked;
        return f;
    };
    auto email = read_string(body, "email", body_loc(), p);
    u.email = keep(email, check_email(email, body_at("email"), p));
    if (u.email.null()) u.email.presence = Presence::Absent;  // `email: null` is ignored
    auto name = read_string(body, "name", body_loc(), p);
    u.name = keep(name, check_name(name, body_at("name"), p));
    auto billing_name = read_string(body, "billing_name", body_loc(), p);
    u.billing_name = keep(billing_name, check_name(billing_name, body_at("billing_name"), p));
    auto ext = read_string(body, "external_id", body_loc(), p);
    u.external_id = keep(ext, check_external_id(ext, body_at("external_id"), p));
    auto locale = read_string(body, "locale", body_loc(), p);
    u.locale = keep(locale, check_locale(locale, body_at("locale"), p));
    u.tax_id = read_string(body, "tax_id", body_loc(), p);
    if (u.tax_id.set() && !trim_to_null(u.tax_id.value)) u.tax_id.presence = Presence::Null;
    u.billing_address = check_address(body, body_loc(), p);
    if (u.billing_address.null())  // as Polar's CustomerUpdate validator: whether or not one was set
        p.add(body_at("billing_address"), "value_error", "Customer billing address cannot be reset to null once set.", nullptr);
    u.type = check_type(read_string(body, "type", body_loc(), p), body_at("type"), p);
    if (auto it = body.find("metadata"); it != body.end() && !it->is_null()) {
        u.metadata.presence = Presence::Set;
        u.metadata.value = check_metadata(*it, body_at("metadata"), p);
    }
    return u;
}

}  // namespace clientele
