// Reading request JSON into typed fields, collecting every problem as a 422 detail entry
// (pydantic's types and wording, so errors look like Polar's). Nothing here knows about customers.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"
#include "util/utf8.hpp"

namespace clientele {

// Every broken rule of one request, reported at once.
class Problems {
public:
    void add(json loc, std::string type, std::string msg, json input = nullptr);
    void add(json loc, const Problem& p, json input = nullptr) { add(std::move(loc), p.type, p.msg, std::move(input)); }
    // A unique key (email, external id) that another record already holds: Polar's 422 value_error,
    // marked so the error's code says "conflict".
    void add_duplicate(json loc, std::string msg, json input);
    bool empty() const { return list_.empty(); }
    size_t size() const { return list_.size(); }
    Error to_error() const { return Error{ErrorKind::Validation, list_, "Validation error"}; }

private:
    std::vector<ErrorDetail> list_;
};

json loc_append(const json& loc, const json& key);  // ["body"] + "email" -> ["body","email"]
const json& body_loc();                           // ["body"]: where a request body's problems are reported
json body_at(std::string_view key);               // ["body", key]
const json& query_loc();                          // ["query"]: where a list query's problems are reported
json query_at(std::string_view key);              // ["query", key]

// Absent (key not sent), Null (sent as null) or Set.
enum class Presence { Absent, Null, Set };
template <class T>
struct Field {
    Presence presence = Presence::Absent;
    T value{};
    bool set() const { return presence == Presence::Set; }
    bool null() const { return presence == Presence::Null; }
    bool present() const { return presence != Presence::Absent; }
    std::optional<T> as_optional() const { return set() ? std::optional<T>(value) : std::nullopt; }
};

// A string field: wrong type -> string_type; NUL inside -> "This value contains invalid characters".
Field<std::string> read_string(const json& obj, std::string_view key, const json& loc, Problems& p);
Field<bool> read_bool(const json& obj, std::string_view key, const json& loc, Problems& p);
Field<int64_t> read_int(const json& obj, std::string_view key, const json& loc, Problems& p);
// An object field (dict_type when not an object).
Field<json> read_object(const json& obj, std::string_view key, const json& loc, Problems& p);

// Refuses keys outside `allowed` (extra_forbidden); `obj` must be an object.
void forbid_unknown(const json& obj, std::initializer_list<std::string_view> allowed, const json& loc, Problems& p);
// Requires `body` to be an object (model_type); false when it is not.
bool require_object(const json& body, const json& loc, Problems& p);

std::string_view trim_view(std::string_view s);  // without leading and trailing ASCII whitespace
std::string trim(std::string_view s);             // the same, as a string
std::optional<std::string> trim_to_null(std::string_view s);
bool has_nul(std::string_view s);

}  // namespace clientele
