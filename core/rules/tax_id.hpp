// Tax IDs: the 76 formats of Polar's TaxIDFormat list, validated as Polar's server does: the billing
// country picks the formats to try (first valid wins), python-stdnum's checks where stdnum covers the format.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientele::tax_id {

struct Match {
    std::string value;   // stdnum's compact form, e.g. "FR40303265045"
    std::string format;  // e.g. "eu_vat"
};

struct FormatInfo {
    std::string_view format;
    std::string_view country;  // ISO alpha-2, "EU" for the EU-wide formats
    std::string_view stdnum;   // the python-stdnum module Polar checks it with; empty: a pattern only
};

// Tries the formats Polar lists for `country` (ISO 3166-1 alpha-2, upper case) in Polar's order.
// `input` is UTF-8; stdnum's Unicode look-alikes of digits, dashes and spaces are read as ASCII.
std::optional<Match> validate(std::string_view country, std::string_view input);
const std::vector<FormatInfo>& formats();

}  // namespace clientele::tax_id
