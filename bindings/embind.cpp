// The Embind layer: exposes the core's JSON entry point (Api::call) to JS as a `Store` class.
// Thin by design: JSON text in and out as UTF-8 in the module's memory (JS writes the method and
// arguments with TextEncoder.encodeInto where input() says and decodes the answer in one TextDecoder pass;
// Embind's own string conversions walk every byte in JS, several times); Api::call never throws, and this
// layer adds a last catch so no C++ exception can cross into JS (one that did would arrive as a number).
#include <emscripten/bind.h>
#include <emscripten/stack.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <cstring>
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
    // Where JS writes a call's method and then its arguments, UTF-8: room for at least n bytes.
    uintptr_t input(size_t n) {
        if (input_.size() < n) input_ = std::string(std::max(n, 2 * input_.size()), '\0');  // the old room freed, zeroed
        return reinterpret_cast<uintptr_t>(input_.data());
    }
    // Runs the call written at input(): answers where its answer is, answerLengthAt() holding its length.
    // The answer is {"ok":true,"value":…} or {"ok":false,"status":…,"error":…} as JSON text; a large text
    // answer (the envelope says "beside") follows it after a newline, unescaped (an envelope has none).
    uintptr_t run(size_t method_bytes, size_t args_bytes) { return answer(method_bytes, args_bytes, nullptr); }
    // The same with a large text beside the JSON (snapshot.import's JSON Lines), pulled from `source`.
    uintptr_t runWithLines(size_t method_bytes, size_t args_bytes, const emscripten::val& source) {
        return answer(method_bytes, args_bytes, &source);
    }
    // The address of the last answer's length (a 32-bit word, fixed for the life of the store).
    uintptr_t answerLengthAt() const { return reinterpret_cast<uintptr_t>(&answer_length_); }

private:
    uintptr_t answer(size_t method_bytes, size_t args_bytes, const emscripten::val* source) {
        answer_ = std::string();  // the last answer freed (zeroed) before this call runs
        const std::string_view method(input_.data(), method_bytes), args(input_.data() + method_bytes, args_bytes);
        answer_ = erasing([&] {
            std::string beside;
            if (!source) return joined(api_.call(method, args, nullptr, &beside), beside);
            clientele::ChunkedLines lines = lines_from(*source);
            return joined(api_.call(method, args, &lines, &beside), beside);
        });
        std::memset(input_.data(), 0, method_bytes + args_bytes);  // the arguments may hold personal data
        answer_length_ = static_cast<uint32_t>(answer_.size());
        return reinterpret_cast<uintptr_t>(answer_.data());
    }

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
    std::string input_;
    std::string answer_;  // the last answer, kept until the next call (JS reads it in place)
    uint32_t answer_length_ = 0;
};

// Bytes of the heap malloc has handed out and not had back (the heap itself only grows).
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(clientele) {
    emscripten::function("heapInUse", &heap_in_use);
    emscripten::class_<JsStore>("Store")
        .constructor<>()
        .function("input", &JsStore::input)
        .function("run", &JsStore::run)
        .function("runWithLines", &JsStore::runWithLines)
        .function("answerLengthAt", &JsStore::answerLengthAt);
}
