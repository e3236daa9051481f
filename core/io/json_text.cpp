#include "io/json_text.hpp"

namespace clientele {

size_t json_depth(std::string_view text) {
    size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

std::optional<std::string> too_deep(std::string_view text) {
    if (json_depth(text) <= kMaxJsonDepth) return std::nullopt;
    return "JSON decode error: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
}

Result<json, std::string> parse_json_text(std::string_view text) {
    if (auto refusal = too_deep(text)) return *refusal;
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e999
        return std::string("JSON decode error: ") + e.what();
    }
}

}  // namespace clientele
