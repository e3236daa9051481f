// LEB128 varints: 7 bits a byte, low bits first, the high bit set on every byte but the last. Used by the
// record codec, the record arena's length prefixes and the compressed postings.
#pragma once
#include <cstdint>
#include <string>

namespace clientele {

inline void put_varint(std::string& out, uint64_t v) {
    for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>(v | 0x80));
    out.push_back(static_cast<char>(v));
}

inline size_t varint_size(uint64_t v) {
    size_t n = 1;
    for (; v >= 0x80; v >>= 7) ++n;
    return n;
}

// Reads one varint at `p` and moves `p` past it; the bytes must hold a whole one (the caller wrote them).
inline uint64_t read_varint(const char*& p) {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        const auto b = static_cast<uint8_t>(*p++);
        v |= uint64_t(b & 0x7F) << shift;
        if (!(b & 0x80) || shift >= 63) return v;
    }
}

}  // namespace clientele
