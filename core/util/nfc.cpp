#include "util/nfc.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "util/utf8.hpp"

namespace clientele {

namespace {
#include "util/nfc_tables.inc"

constexpr uint32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr uint32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;
constexpr uint64_t kField = (uint64_t(1) << 21) - 1;

uint32_t decomposed_cp(uint64_t e) { return uint32_t(e >> 42 & kField); }

uint8_t combining_class(uint32_t cp) {
    const auto it = std::lower_bound(std::begin(kCombiningClass), std::end(kCombiningClass), cp << 8);
    return it != std::end(kCombiningClass) && (*it >> 8) == cp ? uint8_t(*it & 0xFF) : 0;
}

const uint64_t* decomposition(uint32_t cp) {
    const auto it = std::lower_bound(std::begin(kDecomposition), std::end(kDecomposition), cp,
                                     [](uint64_t e, uint32_t c) { return decomposed_cp(e) < c; });
    return it != std::end(kDecomposition) && decomposed_cp(*it) == cp ? &*it : nullptr;
}

void decompose(uint32_t cp, std::vector<uint32_t>& out) {
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const uint32_t s = cp - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + s % kNCount / kTCount);
        if (s % kTCount) out.push_back(kTBase + s % kTCount);
    } else if (const uint64_t* e = decomposition(cp)) {
        decompose(uint32_t(*e >> 21 & kField), out);
        if (const uint32_t second = uint32_t(*e & kField)) decompose(second, out);
    } else {
        out.push_back(cp);
    }
}

// Primary composites by (first, second), sorted; built once.
const std::vector<std::pair<uint64_t, uint32_t>>& compositions() {
    static const auto table = [] {
        std::vector<std::pair<uint64_t, uint32_t>> t;
        for (uint64_t e : kDecomposition)
            if (e >> 63) t.emplace_back(e & ((uint64_t(1) << 42) - 1), decomposed_cp(e));
        std::sort(t.begin(), t.end());
        return t;
    }();
    return table;
}

uint32_t compose(uint32_t a, uint32_t b) {  // 0: none
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
        return a + (b - kTBase);
    const auto& t = compositions();
    const uint64_t key = uint64_t(a) << 21 | b;
    const auto it = std::lower_bound(t.begin(), t.end(), std::pair<uint64_t, uint32_t>(key, 0));
    return it != t.end() && it->first == key ? it->second : 0;
}

uint32_t decode(std::string_view s, size_t i, size_t n) {
    const auto b = [&](size_t k) { return uint32_t(static_cast<unsigned char>(s[i + k])); };
    if (n == 1) return b(0);
    if (n == 2) return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
    if (n == 3) return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
    return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
}

void encode(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | cp >> 6), out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | cp >> 12), out += char(0x80 | (cp >> 6 & 0x3F)), out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | cp >> 18), out += char(0x80 | (cp >> 12 & 0x3F)), out += char(0x80 | (cp >> 6 & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}
}  // namespace

std::string to_nfc(std::string_view s) {
    // Every code point below U+0300 (lead bytes below 0xCC) is already in NFC and never composes.
    if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0xCC; })) return std::string(s);
    std::vector<uint32_t> cps;
    for (size_t i = 0; i < s.size();) {
        const size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : utf8_sequence(s, i);
        if (n == 0) return std::string(s);
        decompose(decode(s, i, n), cps);
        i += n;
    }
    // Canonical ordering: each run of non-starters sorted by class, stably.
    for (size_t i = 0; i < cps.size();) {
        if (combining_class(cps[i]) == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < cps.size() && combining_class(cps[j]) != 0) ++j;
        std::stable_sort(cps.begin() + i, cps.begin() + j, [](uint32_t a, uint32_t b) { return combining_class(a) < combining_class(b); });
        i = j;
    }
    // Canonical composition: a character joins the last starter unless something between blocks it.
    std::vector<uint32_t> out;
    out.reserve(cps.size());
    size_t starter = SIZE_MAX;
    uint8_t last_class = 0;
    for (uint32_t cp : cps) {
        const uint8_t cc = combining_class(cp);
        if (starter != SIZE_MAX && (out.size() - 1 == starter || (last_class != 0 && last_class < cc))) {
            if (const uint32_t c = compose(out[starter], cp)) {
                out[starter] = c;
                continue;
            }
        }
        if (cc == 0) starter = out.size();
        last_class = cc;
        out.push_back(cp);
    }
    std::string text;
    text.reserve(s.size());
    for (uint32_t cp : out) encode(cp, text);
    return text;
}

}  // namespace clientele
