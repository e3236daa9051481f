#include "webhooks/webhook.hpp"

#include <algorithm>
#include <array>

#include "io/json_text.hpp"
#include "util/sha256.hpp"

namespace clientele {

namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Error refused(std::string message) { return Error{ErrorKind::WebhookVerification, {}, std::move(message)}; }

int sextet(char c) {
    const auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : int(at);
}

// A key shorter than this signs nothing and verifies nothing: an empty one (whsec_, whsec_=, "") would let
// anyone sign. 16 bytes is the least any generator of Standard Webhooks or Polar secrets makes.
constexpr size_t kMinSecretBytes = 16;
constexpr const char* kShortSecret = "The secret is shorter than 16 bytes";

Result<std::string> key_bytes(const WebhookKey& key) {
    if (key.polar_compatible) {
        if (key.secret.size() < kMinSecretBytes) return refused(kShortSecret);
        return key.secret;
    }
    std::string_view text = key.secret;
    if (text.starts_with("whsec_")) text.remove_prefix(6);
    std::string out;
    if (text.empty() || !base64_decode(text, out)) return refused("The secret is not base64 (whsec_<base64>)");
    if (out.size() < kMinSecretBytes) return refused(kShortSecret);
    return out;
}

bool all_digits(std::string_view s) {
    if (s.empty() || s.size() > 15) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool equal_in_constant_time(std::string_view a, const std::array<uint8_t, 32>& b) {
    if (a.size() != b.size()) return false;
    uint8_t diff = 0;
    for (size_t i = 0; i < b.size(); ++i) diff |= uint8_t(a[i]) ^ b[i];
    return diff == 0;
}

std::array<uint8_t, 32> mac(const std::string& key, std::string_view id, std::string_view timestamp, std::string_view body) {
    std::string content;
    content.reserve(id.size() + timestamp.size() + body.size() + 2);
    content.append(id).append(1, '.').append(timestamp).append(1, '.').append(body);
    return hmac_sha256(key, content);
}

// Any "v1,<base64>" entry of the space-separated list matching `expected`.
bool any_matches(std::string_view signatures, const std::array<uint8_t, 32>& expected) {
    bool found = false;
    while (!signatures.empty()) {
        const auto space = signatures.find(' ');
        const std::string_view entry = signatures.substr(0, space);
        signatures = space == std::string_view::npos ? std::string_view() : signatures.substr(space + 1);
        if (!entry.starts_with("v1,")) continue;
        std::string candidate;
        if (base64_decode(entry.substr(3), candidate) && equal_in_constant_time(candidate, expected)) found = true;
    }
    return found;
}
}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const size_t n = std::min<size_t>(3, bytes.size() - i);
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
        if (n > 1) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
        if (n > 2) v |= uint8_t(bytes[i + 2]);
        for (size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
    }
    return out;
}

bool base64_decode(std::string_view text, std::string& out) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) return false;
    out.clear();
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = sextet(c);
        if (v < 0) return false;
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) bits -= 8, out += char((acc >> bits) & 0xff);
    }
    return true;
}

Result<std::string> webhook_signature(const WebhookKey& key, std::string_view id, std::string_view timestamp,
                                      std::string_view body) {
    auto bytes = key_bytes(key);
    if (!bytes) return bytes.error();
    const auto digest = mac(bytes.value(), id, timestamp, body);
    return "v1," + base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Result<json> verify_webhook(const WebhookKey& key, const WebhookDelivery& d, int64_t now, int64_t tolerance) {
    if (d.id.empty() || d.timestamp.empty() || d.signatures.empty()) return refused("Missing required headers");
    if (!all_digits(d.timestamp)) return refused("Invalid Signature Headers");
    const int64_t sent = std::stoll(d.timestamp);  // at most 15 digits
    // A caller's clock and tolerance are bounded like a timestamp, so the differences cannot overflow.
    constexpr int64_t kMaxSeconds = 999'999'999'999'999;
    now = std::clamp<int64_t>(now, -kMaxSeconds, kMaxSeconds);
    tolerance = std::clamp<int64_t>(tolerance, 0, kMaxSeconds);
    if (now - sent > tolerance) return refused("Message timestamp too old");
    if (sent - now > tolerance) return refused("Message timestamp too new");
    auto bytes = key_bytes(key);
    if (!bytes) return bytes.error();
    if (!any_matches(d.signatures, mac(bytes.value(), d.id, d.timestamp, d.body))) return refused("No matching signature found");
    auto parsed = parse_json_text(d.body);
    if (!parsed) return refused("The signed body is not JSON");
    return std::move(parsed.value());
}

}  // namespace clientele
