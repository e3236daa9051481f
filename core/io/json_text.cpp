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

size_t json_items(std::string_view text) {
    size_t items = 1;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ',' || c == ':' || c == '[' || c == '{') {
            ++items;
        }
    }
    return items;
}

std::optional<std::string> too_costly(std::string_view text) {
    if (json_depth(text) > kMaxJsonDepth) return "JSON decode error: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (const size_t items = json_items(text); items > kMaxJsonItems && items * kMinJsonBytesPerItem > text.size())
        return "JSON decode error: " + std::to_string(items) + " values in " + std::to_string(text.size()) + " bytes (at most " +
               std::to_string(kMaxJsonItems) + ", or one per " + std::to_string(kMinJsonBytesPerItem) + " bytes)";
    return std::nullopt;
}

Result<json, std::string> parse_json_text(std::string_view text) {
    if (auto refusal = too_costly(text)) return *refusal;
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e999
        return std::string("JSON decode error: ") + e.what();
    }
}

}  // namespace clientele
