// Reading JSON text safely: nlohmann's copy, dump and destruction recurse, so text nested deeper than
// kMaxJsonDepth is refused before parsing (deep input would otherwise overflow the WASM call stack).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace clientele {

inline constexpr size_t kMaxJsonDepth = 64;

// The deepest nesting of [ and { in `text`, outside strings (a linear scan, no allocation).
size_t json_depth(std::string_view text);
// The refusal for text nested deeper than kMaxJsonDepth, or nullopt.
std::optional<std::string> too_deep(std::string_view text);

// The parsed value, or why the text was refused ("JSON decode error: …" / nesting depth).
Result<json, std::string> parse_json_text(std::string_view text);

}  // namespace clientele
