// UTF-8: the one check of a well-formed sequence (Unicode Table 3-7: no overlongs, no surrogates, nothing
// past U+10FFFF), used by the JSON reader and the email rules, and a count of code points.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace clientele {

// Length of the well-formed multi-byte sequence (2 to 4 bytes) starting at s[i]; 0 when there is none
// (ASCII, a stray continuation byte, or a malformed or cut-off sequence).
constexpr size_t utf8_sequence(std::string_view s, size_t i) {
    const auto b0 = static_cast<uint8_t>(s[i]);
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3, lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4, lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    if (s.size() - i < n) return 0;
    for (size_t k = 1; k < n; ++k) {
        const auto b = static_cast<uint8_t>(s[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    }
    return n;
}

// Code points of well-formed UTF-8 (pydantic counts characters): every byte but continuation bytes.
constexpr size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace clientele
