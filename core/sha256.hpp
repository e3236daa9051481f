// SHA-256 (FIPS 180-4), used to derive anonymized emails from customer ids.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace clientele {

std::array<uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);  // lower-case hex

}  // namespace clientele
