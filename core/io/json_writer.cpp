#include "io/json_writer.hpp"

#include "util/utf8.hpp"

namespace clientele {

namespace {
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
