#include "util/text.hpp"

namespace clientele {

namespace {
// Lower-case mapping of a code point in U+0080..U+07FF (two-byte UTF-8); unchanged when none.
unsigned lower2(unsigned cp) {
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) return cp + 0x20;              // Latin-1
    if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x138 && cp != 0x149) {  // Latin Extended-A
        const bool odd_pairs = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        if (odd_pairs) return (cp % 2 == 1) ? cp + 1 : cp;
        return (cp % 2 == 0 && cp != 0x178) ? cp + 1 : (cp == 0x178 ? 0xFF : cp);
    }
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 0x20;  // Greek
    if (cp == 0x386) return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A) return cp + 0x25;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;  // Cyrillic
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    return cp;
}
}  // namespace

// Folding keeps every character's byte length, so the output is written in place, a byte for a byte.
void append_folded(std::string& out, std::string_view s) {
    const size_t at = out.size();
    out.resize(at + s.size());
    char* o = out.data() + at;
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            o[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if ((c & 0xE0) == 0xC0 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
            const unsigned cp = lower2(((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu));
            o[i] = static_cast<char>(0xC0 | (cp >> 6));
            o[i + 1] = static_cast<char>(0x80 | (cp & 0x3F));
            ++i;
        } else {
            o[i] = static_cast<char>(c);
        }
    }
}

std::string fold_case(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_folded(out, s);
    return out;
}

}  // namespace clientele
