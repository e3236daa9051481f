#include "rules/locale.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace clientele::locale {

namespace {
// ISO 639-1: all 184 two-letter codes, sorted.
constexpr std::array<std::string_view, 184> kIso6391 = {
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo",
    "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es",
    "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
    "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv",
    "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
    "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd",
    "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu"};

const Problem kInvalid{"value_error", "Invalid IETF BCP 47 language tag"};

bool all(std::string_view s, int (*pred)(int)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}
bool alpha(std::string_view s, size_t lo, size_t hi) { return s.size() >= lo && s.size() <= hi && all(s, std::isalpha); }
bool alnum(std::string_view s, size_t lo, size_t hi) { return s.size() >= lo && s.size() <= hi && all(s, std::isalnum); }
bool variant(std::string_view s) { return alnum(s, 5, 8) || (s.size() == 4 && std::isdigit(static_cast<unsigned char>(s[0])) && alnum(s, 4, 4)); }

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}
std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == '-') parts.push_back(s.substr(start, i - start)), start = i + 1;
    return parts;
}

// Walks the subtags after the language in RFC 5646 order, appending each in canonical case.
bool rest(const std::vector<std::string_view>& parts, size_t i, std::string& out) {
    auto add = [&](const std::string& s) { out += "-" + s; };
    for (int ext = 0; i < parts.size() && ext < 3 && alpha(parts[i], 3, 3); ++ext) add(lower(parts[i++]));  // extlang
    if (i < parts.size() && alpha(parts[i], 4, 4)) {
        std::string s = lower(parts[i++]);
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
        add(s);
    }
    if (i < parts.size() && (alpha(parts[i], 2, 2) || (parts[i].size() == 3 && all(parts[i], std::isdigit)))) add(upper(parts[i++]));
    while (i < parts.size() && variant(parts[i])) add(lower(parts[i++]));
    while (i < parts.size() && parts[i].size() == 1 && std::isalnum(static_cast<unsigned char>(parts[i][0])) && lower(parts[i]) != "x") {
        add(lower(parts[i++]));
        size_t n = 0;
        for (; i < parts.size() && alnum(parts[i], 2, 8); ++n) add(lower(parts[i++]));
        if (n == 0) return false;
    }
    if (i < parts.size() && lower(parts[i]) == "x") {
        add("x");
        size_t n = 0;
        for (++i; i < parts.size() && alnum(parts[i], 1, 8); ++n) add(lower(parts[i++]));
        if (n == 0) return false;
    }
    return i == parts.size();
}
}  // namespace

Result<std::string, Problem> normalize_locale(std::string_view input) {
    std::string tag(input);
    std::replace(tag.begin(), tag.end(), '_', '-');
    if (tag.empty() || tag.size() > 64) return kInvalid;
    const auto parts = split(tag);
    const std::string language = lower(parts[0]);
    const bool real = (language.size() == 2 && std::binary_search(kIso6391.begin(), kIso6391.end(), language)) ||
                      (language.size() == 3 && alpha(language, 3, 3) && language != "und");  // und: undetermined, no language
    if (!real) return kInvalid;
    std::string out = language;
    if (!rest(parts, 1, out)) return kInvalid;
    return out;
}

}  // namespace clientele::locale
