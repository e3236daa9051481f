#include "io/json_text.hpp"

namespace clientele {

JsonShape json_shape(std::string_view text) {
    JsonShape shape;
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            shape.depth = std::max(shape.depth, ++depth);
            ++shape.items;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if (c == ',' || c == ':') {
            ++shape.items;
        }
    }
    return shape;
}

std::optional<std::string> too_costly(std::string_view text) {
    const JsonShape shape = json_shape(text);
    if (shape.depth > kMaxJsonDepth) return "JSON decode error: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    if (const size_t items = shape.items; items > kMaxJsonItems && items * kMinJsonBytesPerItem > text.size())
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
