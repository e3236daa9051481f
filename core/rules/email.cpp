#include "rules/email.hpp"

#include <cstring>

#include "model/fields.hpp"
#include "util/text.hpp"

namespace clientele::email {

namespace {
constexpr size_t kMaxLocal = 64, kMaxTotal = 254, kMaxLabel = 63;

Problem invalid(const std::string& reason) { return Problem{"value_error", "value is not a valid email address: " + reason}; }

bool is_atext(unsigned char c) { return std::isalnum(c) || (c && std::strchr("!#$%&'*+-/=?^_`{|}~", c)); }
bool is_label_char(unsigned char c) { return std::isalnum(c) || c == '-'; }

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
    const std::string_view local = trimmed.substr(0, at);
    std::string out(trimmed);  // the local part as given, the domain lower-cased
    for (size_t i = at + 1; i < out.size(); ++i) out[i] = static_cast<char>(out[i] >= 'A' && out[i] <= 'Z' ? out[i] + 32 : out[i]);
    if (auto p = check_local(local)) return *p;
    if (auto p = check_domain(std::string_view(out).substr(at + 1))) return *p;
    if (const size_t n = utf8_length(out); n > kMaxTotal)
        return invalid("The email address is too long (" + std::to_string(n - kMaxTotal) + " character" + (n - kMaxTotal > 1 ? "s" : "") + " too many).");
    return out;
}

std::string email_key(std::string_view normalized) { return fold_case(normalized); }

void email_key(std::string_view normalized, std::string& out) {
    out.clear();
    append_folded(out, normalized);
}

bool has_key(std::string_view normalized, std::string_view key) {
    // folding keeps every character's byte count
    return normalized.size() == key.size() && with_key(normalized, [&](std::string_view k) { return k == key; });
}

}  // namespace clientele::email
