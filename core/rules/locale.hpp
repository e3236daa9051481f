// Locales: BCP 47 (RFC 5646) language tags with a real primary language (ISO 639-1, or a three-letter
// ISO 639-2/3 code), answered in canonical case ("pt-BR", "zh-Hant-TW", "sr-Latn").
#pragma once
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace clientele::locale {

Result<std::string, Problem> normalize_locale(std::string_view input);  // accepts '_' as separator

}  // namespace clientele::locale
