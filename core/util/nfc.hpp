// Unicode Normalization Form C (canonical decomposition, canonical ordering, canonical composition), so
// that "é" written as one code point or as "e" + U+0301 is the same text. Tables: nfc_tables.inc.
#pragma once
#include <string>
#include <string_view>

namespace clientele {

// The NFC form of well-formed UTF-8 (text that is not well-formed comes back as it is).
std::string to_nfc(std::string_view utf8);

}  // namespace clientele
