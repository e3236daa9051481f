// The Embind layer: exposes the core's JSON entry point (Api::call) to JS as a `Store` class.
// Thin by design: JSON text in, the envelope's JSON text out (JS parses it with its own JSON.parse, faster
// than building the value through Embind handles); Api::call never throws, and this layer adds a last
// catch so no C++ exception can cross into JS (one that did would arrive as a bare number).
#include <emscripten/bind.h>
#include <emscripten/stack.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <memory>

#include "api/api.hpp"

namespace {

// The envelope `run` answers, or a 500 envelope if anything threw on the way.
template <class F>
std::string guarded(F run) {
    try {
        return run();
    } catch (...) {
        return R"({"ok":false,"status":500,"code":"internal","error":{"error":"InternalError","detail":"unexpected failure"}})";
    }
}

// JSON Lines pulled from JS a window at a time: `source` is {fill(view) -> bytes written, rewind()}, the
// TS package's TextEncoder.encodeInto over a JS string. The whole text is never copied into the heap,
// which WebAssembly memory could never give back. A view is made per fill (memory growth replaces it).
clientele::ChunkedLines lines_from(const emscripten::val& source) {
    return clientele::ChunkedLines(
        [&source](char* out, size_t room) {
            const emscripten::val view(emscripten::typed_memory_view(room, reinterpret_cast<uint8_t*>(out)));
            return source.call<size_t>("fill", view);
        },
        [&source] { source.call<void>("rewind"); });
}

// Zeroes the stack below the current frame, down to its end: the frames of calls that have returned,
// which may still hold personal data the core has since erased (short strings live inline in them).
// No address-taken locals here, so this function itself keeps nothing on the stack it clears.
__attribute__((noinline)) void clear_free_stack() {
    volatile uint8_t* const end = reinterpret_cast<uint8_t*>(emscripten_stack_get_end());
    volatile uint8_t* at = reinterpret_cast<uint8_t*>(emscripten_stack_get_current());
    while (at > end) *--at = 0;
}

class JsStore {
public:
    // Answers {"ok":true,"value":…} or {"ok":false,"status":…,"error":…} as JSON text; a large text
    // answer (the envelope says "beside") follows it after a newline, unescaped (an envelope has none).
    std::string call(const std::string& method, const std::string& args) {
        return erasing([&] {
            std::string beside;
            return joined(api_.call(std::string_view(method), std::string_view(args), nullptr, &beside), beside);
        });
    }
    // The same with a large text beside the JSON (snapshot.import's JSON Lines), pulled from `source`.
    std::string callWithLines(const std::string& method, const std::string& args, const emscripten::val& source) {
        return erasing([&] {
            clientele::ChunkedLines lines = lines_from(source);
            std::string beside;
            return joined(api_.call(std::string_view(method), std::string_view(args), &lines, &beside), beside);
        });
    }

private:
    static std::string joined(std::string envelope, const std::string& beside) {
        if (beside.empty()) return envelope;
        envelope.reserve(envelope.size() + 1 + beside.size());
        envelope += '\n';
        envelope += beside;
        return envelope;
    }
    // The call's envelope; when the call erased personal data (the core counts erasures), the stack the
    // call used is cleared before the envelope goes back to JS.
    template <class F>
    std::string erasing(F run) {
        const uint64_t before = api_.store().erasures();
        std::string out = guarded(run);
        if (api_.store().erasures() != before) clear_free_stack();
        return out;
    }

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
        .function("callWithLines", &JsStore::callWithLines);
}
