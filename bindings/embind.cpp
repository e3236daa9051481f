// The Embind layer: exposes the core's JSON entry point (Api::call) to JS as a `Store` class.
// Thin by design: strings in, a parsed JS value out; Api::call never throws, and this layer adds a
// last catch so no C++ exception can cross into JS (one that did would arrive as a bare number).
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
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

// A text argument written straight into the heap by JS (TextEncoder.encodeInto into textBuffer's view):
// no Uint8Array between the JS string and the heap, no copy. Not zero-filled first since it is written at
// once (zero_on_free clears it when it is freed).
class TextArgument {
public:
    // A view of at least `size` bytes, the bytes written so far kept. Valid until the next allocation.
    emscripten::val view(size_t size) {
        if (size > capacity_) {
            std::unique_ptr<char[]> bigger(new char[size]);
            if (data_) std::memcpy(bigger.get(), data_.get(), capacity_);
            data_ = std::move(bigger), capacity_ = size;
        }
        return emscripten::val(emscripten::typed_memory_view(capacity_, reinterpret_cast<uint8_t*>(data_.get())));
    }
    // The first `length` bytes, handed over once: the buffer is freed when the caller's copy goes.
    std::unique_ptr<char[]> take(size_t& length) {
        length = std::min(length, capacity_);
        capacity_ = 0;
        return std::move(data_);
    }

private:
    std::unique_ptr<char[]> data_;
    size_t capacity_ = 0;
};

class JsStore {
public:
    // Returns {ok:true, value} or {ok:false, status, error}.
    emscripten::val call(const std::string& method, const std::string& args) { return parse(callJson(method, args)); }
    // Where JS writes a large text argument (snapshot.import's JSON Lines) before callWithText.
    emscripten::val textBuffer(size_t size) { return text_.view(size); }
    // The same as call, with the first `length` bytes of the text buffer beside the JSON.
    emscripten::val callWithText(const std::string& method, const std::string& args, size_t length) {
        return parse(guarded([&] {
            const std::unique_ptr<char[]> text = text_.take(length);
            return api_.call(std::string_view(method), std::string_view(args), std::string_view(text.get(), length));
        }));
    }
    // The same, answering the raw JSON text (for callers that forward it unparsed, e.g. an HTTP body).
    std::string callJson(const std::string& method, const std::string& args) {
        return guarded([&] { return api_.call(std::string_view(method), std::string_view(args)); });
    }

private:
    clientele::Api api_;
    TextArgument text_;
};

// Bytes of the heap malloc has handed out and not had back (the heap itself only grows).
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(clientele) {
    emscripten::function("heapInUse", &heap_in_use);
    emscripten::class_<JsStore>("Store")
        .constructor<>()
        .function("call", &JsStore::call)
        .function("textBuffer", &JsStore::textBuffer)
        .function("callWithText", &JsStore::callWithText)
        .function("callJson", &JsStore::callJson);
}
