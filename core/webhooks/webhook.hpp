// Standard Webhooks (standardwebhooks.com) signing and verification: HMAC-SHA256 over "id.timestamp.body",
// sent as "v1,<base64>". One implementation for every runtime; Polar keys the HMAC with the secret's own bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace clientele {

struct WebhookKey {
    std::string secret;             // "whsec_<base64>" (or bare base64); any text when polar_compatible
    bool polar_compatible = false;  // key with the UTF-8 bytes of the whole secret, as Polar's SDK does
};

// What arrived: the three headers' values (empty when absent) and the raw body.
struct WebhookDelivery {
    std::string id, timestamp, signatures, body;
};

// "v1,<base64 signature>"; an error when the secret is not base64.
Result<std::string> webhook_signature(const WebhookKey& key, std::string_view id, std::string_view timestamp,
                                      std::string_view body);

// The parsed JSON body when one of the signatures matches (compared in constant time) and the timestamp
// is within `tolerance` seconds of `now`; otherwise a WebhookVerification error saying which check failed.
Result<json> verify_webhook(const WebhookKey& key, const WebhookDelivery& delivery, int64_t now, int64_t tolerance = 300);

std::string base64_encode(std::string_view bytes);
bool base64_decode(std::string_view text, std::string& out);  // standard alphabet, padding optional

}  // namespace clientele
