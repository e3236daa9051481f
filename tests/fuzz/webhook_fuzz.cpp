// libFuzzer target for webhook verification input: the fuzzed bytes are split on '\n' into secret, id,
// timestamp, signature header and body. Verification never crashes, accepts only JSON under a usable key,
// and a delivery the core signed itself always verifies.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "io/json_text.hpp"
#include "webhooks/webhook.hpp"

namespace {
std::string_view next(std::string_view& rest) {
    const auto nl = rest.find('\n');
    const std::string_view part = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return part;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const bool polar = data[0] & 1;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const clientele::WebhookKey key{std::string(next(rest)), polar};
    clientele::WebhookDelivery d{std::string(next(rest)), std::string(next(rest)), std::string(next(rest)), std::string(rest)};
    auto verdict = clientele::verify_webhook(key, d, 1'700'000'000);
    auto real = clientele::webhook_signature(key, d.id, d.timestamp, d.body);
    // Accepted means the secret was a key and the body is JSON.
    if (verdict && (!real || !clientele::parse_json_text(d.body))) std::abort();
    if (real && !d.id.empty() && !d.timestamp.empty() && d.timestamp.size() <= 15 &&
        d.timestamp.find_first_not_of("0123456789") == std::string::npos) {
        d.signatures = real.value();
        const int64_t now = std::stoll(d.timestamp);
        auto own = clientele::verify_webhook(key, d, now);
        const bool body_is_json = bool(clientele::parse_json_text(d.body));
        if (bool(own) != body_is_json) std::abort();  // our own signature must verify
    }
    return 0;
}
