// Tax IDs: the 76 formats of Polar's TaxIDFormat list, validated against a billing country (formats of
// that country tried in order, the first that validates wins) with check digits where the algorithm is public.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientele::tax_id {

struct Match {
    std::string value;   // compact normalized value, e.g. "FR40303265045"
    std::string format;  // e.g. "eu_vat"
};

struct FormatInfo {
    std::string_view format;
    std::string_view country;  // ISO alpha-2, "EU" for the EU-wide formats
    bool checksum;             // check digits verified (else the pattern only)
};

// Tries each format of `country` (ISO 3166-1 alpha-2, upper case) in order.
std::optional<Match> validate(std::string_view country, std::string_view input);
const std::vector<FormatInfo>& formats();

}  // namespace clientele::tax_id
