#include "rules/email.hpp"

#include <cstdio>
#include <cstring>
#include <optional>

#include "model/fields.hpp"
#include "util/nfc.hpp"
#include "util/text.hpp"

namespace clientele::email {

namespace {
constexpr size_t kMaxLocal = 64, kMaxTotal = 254, kMaxLabel = 63;

Problem invalid(const std::string& reason) { return Problem{"value_error", "value is not a valid email address: " + reason}; }

bool is_atext(unsigned char c) { return std::isalnum(c) || (c && std::strchr("!#$%&'*+-/=?^_`{|}~", c)); }
bool is_label_char(unsigned char c) { return std::isalnum(c) || c == '-'; }

// Code points email-validator calls unsafe (its check_unsafe_chars): controls and format characters
// (category C: zero-width and bidi controls, BOM, soft hyphen, tags), line and paragraph separators and
// spaces (Z), private use; a combining mark (M) only as the first character. Named as it names them.
struct Unsafe {
    uint32_t first, last;
    const char* name;  // nullptr: shown as U+XXXX
};
constexpr Unsafe kUnsafe[] = {
    {0x80, 0x9F, nullptr}, {0xA0, 0xA0, "NO-BREAK SPACE"}, {0xAD, 0xAD, "SOFT HYPHEN"},
    {0x600, 0x605, nullptr}, {0x61C, 0x61C, "ARABIC LETTER MARK"}, {0x6DD, 0x6DD, "ARABIC END OF AYAH"},
    {0x70F, 0x70F, "SYRIAC ABBREVIATION MARK"}, {0x890, 0x891, nullptr}, {0x8E2, 0x8E2, "ARABIC DISPUTED END OF AYAH"},
    {0x1680, 0x1680, "OGHAM SPACE MARK"}, {0x180E, 0x180E, "MONGOLIAN VOWEL SEPARATOR"},
    {0x2000, 0x200A, nullptr}, {0x200B, 0x200B, "ZERO WIDTH SPACE"}, {0x200C, 0x200C, "ZERO WIDTH NON-JOINER"},
    {0x200D, 0x200D, "ZERO WIDTH JOINER"}, {0x200E, 0x200E, "LEFT-TO-RIGHT MARK"}, {0x200F, 0x200F, "RIGHT-TO-LEFT MARK"},
    {0x2028, 0x2028, "LINE SEPARATOR"}, {0x2029, 0x2029, "PARAGRAPH SEPARATOR"},
    {0x202A, 0x202A, "LEFT-TO-RIGHT EMBEDDING"}, {0x202B, 0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, 0x202C, "POP DIRECTIONAL FORMATTING"}, {0x202D, 0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, 0x202E, "RIGHT-TO-LEFT OVERRIDE"}, {0x202F, 0x202F, "NARROW NO-BREAK SPACE"},
    {0x205F, 0x205F, "MEDIUM MATHEMATICAL SPACE"}, {0x2060, 0x2060, "WORD JOINER"}, {0x2061, 0x2064, nullptr},
    {0x2066, 0x206F, nullptr}, {0x3000, 0x3000, "IDEOGRAPHIC SPACE"}, {0xD800, 0xF8FF, nullptr},
    {0xFEFF, 0xFEFF, "ZERO WIDTH NO-BREAK SPACE"}, {0xFFF9, 0xFFFB, nullptr}, {0x110BD, 0x110BD, nullptr},
    {0x110CD, 0x110CD, nullptr}, {0x13430, 0x1343F, nullptr}, {0x1BCA0, 0x1BCA3, nullptr}, {0x1D173, 0x1D17A, nullptr},
    {0xE0001, 0xE0001, "LANGUAGE TAG"}, {0xE0020, 0xE007F, nullptr}, {0xF0000, 0x10FFFF, nullptr},
};
// Combining marks of the common scripts: unsafe as an address's first character.
constexpr Unsafe kCombining[] = {{0x300, 0x36F, nullptr}, {0x483, 0x489, nullptr}, {0x591, 0x5BD, nullptr},
                                 {0x1AB0, 0x1AFF, nullptr}, {0x1DC0, 0x1DFF, nullptr}, {0x20D0, 0x20FF, nullptr},
                                 {0xFE20, 0xFE2F, nullptr}};

uint32_t code_point(std::string_view s, size_t i, size_t n) {
    const auto b = [&](size_t k) { return uint32_t(static_cast<unsigned char>(s[i + k])); };
    if (n == 2) return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
    if (n == 3) return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
    return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
}

template <size_t N>
const Unsafe* find(const Unsafe (&table)[N], uint32_t cp) {
    for (const Unsafe& u : table)
        if (cp >= u.first && cp <= u.last) return &u;
    return nullptr;
}

// The first unsafe character of the address, as email-validator names it ("ZERO WIDTH SPACE", "U+2063").
std::optional<std::string> unsafe_char(std::string_view address) {
    for (size_t i = 0; i < address.size();) {
        const size_t n = static_cast<unsigned char>(address[i]) < 0x80 ? 1 : utf8_sequence(address, i);
        if (n < 2) {
            i += 1;
            continue;
        }
        const uint32_t cp = code_point(address, i, n);
        const Unsafe* u = find(kUnsafe, cp);
        if (!u && i == 0) u = find(kCombining, cp);
        if (u) {
            if (u->name) return std::string(u->name);
            char hex[16];
            std::snprintf(hex, sizeof hex, cp <= 0xFFFF ? "U+%04X" : "U+%08X", cp);
            return std::string(hex);
        }
        i += n;
    }
    return std::nullopt;
}

std::string quote(std::string_view s, size_t i) {
    const size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : std::max<size_t>(1, utf8_sequence(s, i));
    return "'" + std::string(s.substr(i, n)) + "'";
}

// Checks every character of a part; ASCII via `ok`, non-ASCII must be well-formed UTF-8 (internationalized).
std::optional<size_t> bad_char(std::string_view part, bool (*ok)(unsigned char)) {
    for (size_t i = 0; i < part.size();) {
        const auto c = static_cast<unsigned char>(part[i]);
        if (c < 0x80) {
            if (!ok(c) && c != '.') return i;
            ++i;
        } else if (size_t n = utf8_sequence(part, i)) {
            i += n;
        } else {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<Problem> check_dots(std::string_view part, bool local) {
    if (part.front() == '.') return invalid(local ? "An email address cannot start with a period." : "An email address cannot have a period immediately after the @-sign.");
    if (part.back() == '.') return invalid(local ? "An email address cannot have a period immediately before the @-sign." : "An email address cannot end with a period.");
    if (part.find("..") != std::string_view::npos) return invalid("An email address cannot have two periods in a row.");
    return std::nullopt;
}

std::optional<Problem> check_local(std::string_view local) {
    if (local.empty()) return invalid("There must be something before the @-sign.");
    if (const size_t n = utf8_length(local); n > kMaxLocal)
        return invalid("The email address is too long before the @-sign (" + std::to_string(n - kMaxLocal) + " character" + (n - kMaxLocal > 1 ? "s" : "") + " too many).");
    if (auto i = bad_char(local, is_atext)) return invalid("The email address contains invalid characters before the @-sign: " + quote(local, *i) + ".");
    return check_dots(local, true);
}

std::optional<Problem> check_domain(std::string_view domain) {
    if (domain.empty()) return invalid("There must be something after the @-sign.");
    if (auto i = bad_char(domain, is_label_char)) return invalid("The part after the @-sign contains invalid characters: " + quote(domain, *i) + ".");
    if (auto p = check_dots(domain, false)) return p;
    if (domain.find('.') == std::string_view::npos) return invalid("The part after the @-sign is not valid. It should have a period.");
    size_t start = 0;
    std::string_view label;
    while (start <= domain.size()) {
        size_t end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        label = domain.substr(start, end - start);
        if (label.front() == '-' || label.back() == '-') return invalid("The part after the @-sign is not valid. A label cannot start or end with a hyphen.");
        if (utf8_length(label) > kMaxLabel) return invalid("The part after the @-sign is not valid. A label is too long.");
        start = end + 1;
    }
    bool numeric = true;
    for (char c : label) numeric = numeric && c >= '0' && c <= '9';
    if (numeric) return invalid("The part after the @-sign is not valid. It is not within a valid top-level domain.");
    return std::nullopt;
}
}  // namespace

Result<std::string, Problem> normalize_email(std::string_view input) {
    const std::string_view trimmed = trim_view(input);
    const size_t at = trimmed.rfind('@');
    if (at == std::string::npos) return invalid("An email address must have an @-sign.");
    if (auto c = unsafe_char(trimmed)) return invalid("The email address contains unsafe characters: " + *c + ".");
    // NFC, as email-validator normalizes: the local part as given otherwise, the domain lower-cased.
    const std::string local = to_nfc(trimmed.substr(0, at));
    std::string out = local + '@' + to_nfc(trimmed.substr(at + 1));
    for (size_t i = local.size() + 1; i < out.size(); ++i) out[i] = static_cast<char>(out[i] >= 'A' && out[i] <= 'Z' ? out[i] + 32 : out[i]);
    if (auto p = check_local(local)) return *p;
    if (auto p = check_domain(std::string_view(out).substr(local.size() + 1))) return *p;
    if (const size_t n = utf8_length(out); n > kMaxTotal)
        return invalid("The email address is too long (" + std::to_string(n - kMaxTotal) + " character" + (n - kMaxTotal > 1 ? "s" : "") + " too many).");
    return out;
}

std::string email_key(std::string_view normalized) { return fold_case(normalized); }

std::string lookup_key(std::string_view input) { return fold_case(to_nfc(trim_view(input))); }

void email_key(std::string_view normalized, std::string& out) {
    out.clear();
    append_folded(out, normalized);
}

bool has_key(std::string_view normalized, std::string_view key) {
    // folding keeps every character's byte count
    return normalized.size() == key.size() && with_key(normalized, [&](std::string_view k) { return k == key; });
}

}  // namespace clientele::email
