// hash_text: a fast 32-bit hash of a text, for in-memory hash tables (never persisted).
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace clientele {

// Eight bytes a step (a UUID is five multiplications, not 36), then mixed so nearby keys spread; also at
// compile time (a JSON member name the reader asks for). Only ever kept in memory: the value may differ
// between builds and machines.
constexpr uint32_t hash_text(std::string_view s) {
    const auto word = [&](size_t i, size_t n) {
        uint64_t w = 0;
        if (std::is_constant_evaluated())
            for (size_t k = 0; k < n; ++k) w |= uint64_t(static_cast<unsigned char>(s[i + k])) << (8 * k);
        else
            std::memcpy(&w, s.data() + i, n);
        return w;
    };
    uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) h = (h ^ word(i, 8)) * 0xFF51AFD7ED558CCDull, h ^= h >> 29;
    if (i < s.size()) h = (h ^ word(i, s.size() - i)) * 0xFF51AFD7ED558CCDull, h ^= h >> 29;
    h ^= h >> 32, h *= 0xC4CEB9FE1A85EC53ull, h ^= h >> 29;
    return static_cast<uint32_t>(h);
}

}  // namespace clientele
