// Time and identity for the store: an injectable clock (ms since epoch), RFC 3339 formatting,
// and a UUID v4 generator that can be seeded for reproducible tests.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <random>
#include <string>

namespace clientele {

using Millis = int64_t;  // milliseconds since the Unix epoch, UTC

std::string format_rfc3339(Millis t);  // "2026-11-24T20:53:28.123Z"
// Reads what format_rfc3339 writes (also without fraction, or with a +hh:mm offset); nullopt if malformed.
std::optional<Millis> parse_rfc3339(std::string_view s);
Millis system_now();

class Clock {
public:
    Clock() : now_(system_now) {}
    explicit Clock(std::function<Millis()> now) : now_(std::move(now)) {}
    Millis now() const { return now_(); }

private:
    std::function<Millis()> now_;
};

class IdGenerator {
public:
    IdGenerator();                            // seeded from std::random_device
    explicit IdGenerator(uint64_t seed) : rng_(seed) {}
    std::string uuid4();

private:
    std::mt19937_64 rng_;
};

}  // namespace clientele
