#include "model/fields.hpp"

namespace clientele {

void Problems::add(json loc, std::string type, std::string msg, json input) {
    list_.push_back(ErrorDetail{std::move(type), std::move(loc), std::move(msg), std::move(input)});
}

void Problems::add_duplicate(json loc, std::string msg, json input) {
    add(std::move(loc), "value_error", std::move(msg), std::move(input));
    list_.back().duplicate = true;
}

const json& body_loc() {
    static const json loc = json::array({"body"});
    return loc;
}
json body_at(std::string_view key) { return json::array({"body", std::string(key)}); }
const json& query_loc() {
    static const json loc = json::array({"query"});
    return loc;
}
json query_at(std::string_view key) { return json::array({"query", std::string(key)}); }

json loc_append(const json& loc, const json& key) {
    json out = loc;
    out.push_back(key);
    return out;
}

namespace {
const json* find(const json& obj, std::string_view key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

template <class T, class Check, class Get>
Field<T> read_as(const json& obj, std::string_view key, const json& loc, Problems& p, Check check, Get get,
                 const char* type, const char* msg) {
    Field<T> f;
    const json* v = find(obj, key);
    if (!v) return f;
    if (v->is_null()) {
        f.presence = Presence::Null;
        return f;
    }
    if (!check(*v)) {
        p.add(loc_append(loc, std::string(key)), type, msg, *v);
        return f;
    }
    f.presence = Presence::Set;
    f.value = get(*v);
    return f;
}
}  // namespace

Field<std::string> read_string(const json& obj, std::string_view key, const json& loc, Problems& p) {
    auto f = read_as<std::string>(
        obj, key, loc, p, [](const json& v) { return v.is_string(); },
        [](const json& v) { return v.get<std::string>(); }, "string_type", "Input should be a valid string");
    if (f.set() && has_nul(f.value)) {
        p.add(loc_append(loc, std::string(key)), "value_error", "This value contains invalid characters", f.value);
        f.presence = Presence::Absent;
    }
    return f;
}

Field<bool> read_bool(const json& obj, std::string_view key, const json& loc, Problems& p) {
    return read_as<bool>(
        obj, key, loc, p, [](const json& v) { return v.is_boolean(); }, [](const json& v) { return v.get<bool>(); },
        "bool_type", "Input should be a valid boolean");
}

Field<int64_t> read_int(const json& obj, std::string_view key, const json& loc, Problems& p) {
    return read_as<int64_t>(
        obj, key, loc, p, [](const json& v) { return v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX); },
        [](const json& v) { return v.get<int64_t>(); }, "int_type", "Input should be a valid integer");
}

Field<json> read_object(const json& obj, std::string_view key, const json& loc, Problems& p) {
    return read_as<json>(
        obj, key, loc, p, [](const json& v) { return v.is_object(); }, [](const json& v) { return v; }, "dict_type",
        "Input should be a valid dictionary");
}

void forbid_unknown(const json& obj, std::initializer_list<std::string_view> allowed, const json& loc, Problems& p) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool known = false;
        for (auto a : allowed) known = known || it.key() == a;
        if (!known) p.add(loc_append(loc, it.key()), "extra_forbidden", "Extra inputs are not permitted", it.value());
    }
}

bool require_object(const json& body, const json& loc, Problems& p) {
    if (body.is_object()) return true;
    p.add(loc, "model_attributes_type", "Input should be a valid dictionary or object to extract fields from", body);
    return false;
}

std::string_view trim_view(std::string_view s) {
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    size_t b = 0, e = s.size();
    while (b < e && ws(s[b])) ++b;
    while (e > b && ws(s[e - 1])) --e;
    return s.substr(b, e - b);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

std::optional<std::string> trim_to_null(std::string_view s) {
    std::string t = trim(s);
    if (t.empty()) return std::nullopt;
    return t;
}

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }


}  // namespace clientele
