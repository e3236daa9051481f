// Errors as values for the whole core: Result<T, E>, the field-level Problem,
// and the API-level Error that maps onto Polar's 422/404/403/401 answers.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace clientele {

using json = nlohmann::json;

// What a single-field checker reports: the 422 `type` (e.g. "value_error") and `msg`.
struct Problem {
    std::string type;
    std::string msg;
};

// One entry of the 422 `detail` array.
struct ErrorDetail {
    std::string type;
    json loc;  // array of strings/ints, e.g. ["body","billing_address","state"]
    std::string msg;
    json input;
    bool duplicate = false;  // a unique key (email, external id) another record holds; not on the wire
};

enum class ErrorKind { Validation, NotFound, NotPermitted, Unauthorized, WebhookVerification, Internal };

struct Error {
    ErrorKind kind = ErrorKind::Validation;
    std::vector<ErrorDetail> detail;  // Validation only
    std::string message;              // every other kind
};

// The machine-readable kind of an error, for callers that must not read English: "validation",
// "conflict" (every detail is a duplicate unique key), "not_found", "not_permitted", "unauthorized",
// "webhook_verification", "internal" (an exception inside a command: a 500).
const char* error_code(const Error& e);

template <class T, class E = Error>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    E& error() { return std::get<1>(v_); }
    const E& error() const { return std::get<1>(v_); }

private:
    std::variant<T, E> v_;
};

struct Unit {};

}  // namespace clientele
