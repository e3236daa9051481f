#include "io/json_writer.hpp"

namespace clientele {

namespace {
// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7), or 0.
size_t utf8_sequence(std::string_view s, size_t i) {
    const auto at = [&](size_t k) { return i + k < s.size() ? static_cast<uint8_t>(s[i + k]) : 0; };
    const uint8_t c = at(0);
    const auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xBF) { return at(k) >= lo && at(k) <= hi; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const uint8_t lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return cont(1, lo, hi) && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const uint8_t lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

void append_escaped(std::string& out, uint8_t c) {
    static constexpr char kHex[] = "0123456789abcdef";
    switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        default: out += "\\u00", out += kHex[c >> 4], out += kHex[c & 15];
    }
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    const auto plain = [](uint8_t c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; };
    const size_t start = out.size();
    out += '"';
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<uint8_t>(s[i]);
        if (plain(c)) {
            const size_t run = i;
            while (i < s.size() && plain(static_cast<uint8_t>(s[i]))) ++i;
            out.append(s.substr(run, i - run));
        } else if (c < 0x80) {
            append_escaped(out, c), ++i;
        } else if (const size_t n = utf8_sequence(s, i)) {
            out.append(s.substr(i, n)), i += n;
        } else {  // invalid UTF-8: nlohmann's own rules for replacing it
            out.resize(start);
            out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
            return;
        }
    }
    out += '"';
}

std::string& JsonObjectWriter::key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(out_, k);
    out_ += ':';
    return out_;
}

void JsonObjectWriter::value(std::string_view k, const json& v) {
    key(k) += v.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace clientele
