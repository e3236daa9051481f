// The core's single JSON entry point: `call(method, args)` routes a named command to the Store and
// answers an envelope, {"ok":true,"value":…} or {"ok":false,"status":422,"error":{…Polar's error body}}.
// Nothing throws out of it; the bindings, the CLI and the fuzzers all go through here.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "io/line_source.hpp"
#include "domain/store.hpp"

namespace clientele {

json error_body(const Error& e);  // Polar's error JSON for this error
int error_status(const Error& e);  // 422, 404, 403, 401

class Api {
public:
    Api() = default;
    explicit Api(Store store) : store_(std::move(store)) {}
    // `lines`: a large text argument beside the JSON (a snapshot's JSON Lines for snapshot.import), so it
    // is neither escaped into nor parsed out of the arguments (nor, read in pieces, copied whole).
    // `beside`: where an answer's large text goes instead of being escaped into the JSON (snapshot.export's
    // text, snapshot.lines' jsonl); the envelope then names the field of the value it belongs in:
    // "beside":"" for the value itself, "beside":"jsonl" for value.jsonl (left null in the JSON).
    std::string call(std::string_view method, std::string_view args_json, LineSource* lines = nullptr, std::string* beside = nullptr);
    Store& store() { return store_; }
    // A call that fails part-way (an exception such as bad_alloc) answers 500 and leaves the store as it
    // was; if even that undo fails, every later call answers 500 with this message.
    static constexpr const char* kBroken = "The store could not undo a failed call and must be reopened";

private:
    std::string route(std::string_view method, const json& args, LineSource* lines, std::string* beside);  // the envelope, as JSON text
    Store store_;
    bool broken_ = false;  // a failed call could not be undone: every later call answers 500
};

}  // namespace clientele
