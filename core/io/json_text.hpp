// Reading JSON text safely: nlohmann's copy, dump and destruction recurse, so text nested deeper than
// kMaxJsonDepth is refused before parsing (deep input would otherwise overflow the WASM call stack); and
// a parsed value costs tens of bytes however short its text, so dense text (more than kMaxJsonItems values
// and keys, and more than one per kMinJsonBytesPerItem bytes) is refused too: no text can grow memory,
// which WebAssembly never gives back, by more than a small multiple of its own size.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace clientele {

inline constexpr size_t kMaxJsonDepth = 64;
inline constexpr size_t kMaxJsonItems = 50000, kMinJsonBytesPerItem = 16;

// In one linear scan outside strings (no allocation): the deepest nesting of [ and {, and the values and
// keys (its commas, colons and opening brackets, plus one).
struct JsonShape {
    size_t depth = 0, items = 1;
};
JsonShape json_shape(std::string_view text);
// The refusal for text nested deeper than kMaxJsonDepth or too dense (see above), or nullopt.
std::optional<std::string> too_costly(std::string_view text);

// The parsed value, or why the text was refused ("JSON decode error: …" / nesting depth).
Result<json, std::string> parse_json_text(std::string_view text);

}  // namespace clientele
