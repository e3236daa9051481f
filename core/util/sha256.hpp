// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): anonymized emails, webhook signatures.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace clientele {

std::array<uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);  // lower-case hex
std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view message);

}  // namespace clientele
