// JSON objects built field by field, straight as text (JsonObjectWriter: byte for byte what nlohmann's dump
// writes, so a hot answer such as a page of customers needs no DOM) or as a DOM (JsonObjectBuilder). Both
// have one interface, so one list of fields serves both.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace clientele {

void append_json_string(std::string& out, std::string_view s);  // quoted and escaped

// One JSON object, its members appended in the order given (nlohmann's dump sorts them: give them sorted).
class JsonObjectWriter {
public:
    explicit JsonObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
    ~JsonObjectWriter() { out_ += '}'; }
    JsonObjectWriter(const JsonObjectWriter&) = delete;
    JsonObjectWriter& operator=(const JsonObjectWriter&) = delete;

    std::string& key(std::string_view k);  // writes `"k":` and answers the text to write its value into
    void text(std::string_view k, std::string_view v) { append_json_string(key(k), v); }
    void text(std::string_view k, const std::string& v) { text(k, std::string_view(v)); }
    void text(std::string_view k, const std::optional<std::string>& v) { v ? text(k, *v) : null(k); }
    void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }
    void number(std::string_view k, uint64_t v) { key(k) += std::to_string(v); }
    void null(std::string_view k) { key(k) += "null"; }
    void value(std::string_view k, const json& v);  // any JSON, as nlohmann dumps it
    template <class F>
    void object(std::string_view k, F fields) {  // fields(JsonObjectWriter&) writes the members
        JsonObjectWriter inner(key(k));
        fields(inner);
    }

private:
    std::string& out_;
    bool first_ = true;
};

class JsonObjectBuilder {
public:
    json built = json::object();

    void text(std::string_view k, std::string_view v) { at(k) = v; }
    void text(std::string_view k, const std::string& v) { at(k) = v; }
    void text(std::string_view k, const std::optional<std::string>& v) { v ? text(k, *v) : null(k); }
    void boolean(std::string_view k, bool v) { at(k) = v; }
    void number(std::string_view k, uint64_t v) { at(k) = v; }
    void null(std::string_view k) { at(k) = nullptr; }
    void value(std::string_view k, const json& v) { at(k) = v; }
    template <class F>
    void object(std::string_view k, F fields) {
        JsonObjectBuilder inner;
        fields(inner);
        at(k) = std::move(inner.built);
    }

private:
    json& at(std::string_view k) { return built[std::string(k)]; }
};

}  // namespace clientele
