// Case folding for search and comparison: ASCII plus the common two-byte UTF-8 scripts
// (Latin-1, Latin Extended-A, Greek, Cyrillic). Other code points compare as they are.
#pragma once
#include <string>
#include <string_view>

namespace clientele {

std::string fold_case(std::string_view s);
void append_folded(std::string& out, std::string_view s);

}  // namespace clientele
