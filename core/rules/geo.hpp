// Geography for billing addresses: ISO 3166-1 alpha-2 countries (the full assigned list), the embargoed
// ones, US states (+ DC) and Canadian provinces/territories as ISO 3166-2 codes.
#pragma once
#include <string_view>
#include <vector>

namespace clientele::geo {

bool is_country(std::string_view upper_alpha2);
bool is_embargoed(std::string_view upper_alpha2);    // CU, IR, KP, SY, RU
bool is_us_state(std::string_view code);             // "US-CA"; the 50 states and US-DC
bool is_ca_subdivision(std::string_view code);       // "CA-QC"; 10 provinces, 3 territories
const std::vector<std::string_view>& countries();    // sorted

}  // namespace clientele::geo
