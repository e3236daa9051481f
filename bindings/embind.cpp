// The Embind layer: exposes the core's JSON entry point (Api::call) to JS as a `Store` class.
// Thin by design: strings in, a parsed JS value out; Api::call never throws, and this layer adds a
// last catch so no C++ exception can cross into JS (one that did would arrive as a bare number).
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cstring>
#include <memory>

#include "api.hpp"

namespace {

emscripten::val parse(const std::string& text) { return emscripten::val::global("JSON").call<emscripten::val>("parse", text); }

// The envelope `run` answers, or a 500 envelope if anything threw on the way.
template <class F>
std::string guarded(F run) {
    try {
        return run();
    } catch (...) {
        return R"({"ok":false,"status":500,"error":{"error":"InternalError","detail":"unexpected failure"}})";
    }
}

// A Uint8Array of UTF-8 (or a string) in the heap. TypedArray.set copies it in at once (Embind's own
// std::string conversion copies a Uint8Array byte by byte in JS), into memory not zero-filled first since
// it is overwritten at once (zero_on_free clears it when it is freed).
struct Bytes {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    std::string_view view() const { return {data.get(), size}; }
};

Bytes bytes_of(const emscripten::val& bytes) {
    if (bytes.isString()) {
        const std::string text = bytes.as<std::string>();
        Bytes out{std::unique_ptr<char[]>(new char[text.size()]), text.size()};
        std::memcpy(out.data.get(), text.data(), text.size());
        return out;
    }
    const auto size = bytes["length"].as<size_t>();
    Bytes out{std::unique_ptr<char[]>(new char[size]), size};
    // No allocation between this view and its use, so the memory under it cannot move.
    emscripten::val(emscripten::typed_memory_view(size, reinterpret_cast<uint8_t*>(out.data.get()))).call<void>("set", bytes);
    return out;
}

class JsStore {
public:
    // Returns {ok:true, value} or {ok:false, status, error}.
    emscripten::val call(const std::string& method, const std::string& args) { return parse(callJson(method, args)); }
    // The same with a large text argument beside the JSON: snapshot.import's JSON Lines.
    emscripten::val callWithText(const std::string& method, const std::string& args, const emscripten::val& bytes) {
        return parse(guarded([&] {
            const Bytes text = bytes_of(bytes);
            return api_.call(std::string_view(method), std::string_view(args), text.view());
        }));
    }
    // The same, answering the raw JSON text (for callers that forward it unparsed, e.g. an HTTP body).
    std::string callJson(const std::string& method, const std::string& args) {
        return guarded([&] { return api_.call(std::string_view(method), std::string_view(args)); });
    }

private:
    clientele::Api api_;
};

// Bytes of the heap malloc has handed out and not had back (the heap itself only grows).
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(clientele) {
    emscripten::function("heapInUse", &heap_in_use);
    emscripten::class_<JsStore>("Store")
        .constructor<>()
        .function("call", &JsStore::call)
        .function("callWithText", &JsStore::callWithText)
        .function("callJson", &JsStore::callJson);
}
