// Email addresses: offline syntax check in the manner of python's email-validator (which Polar uses,
// without DNS), normalization (domain lower-cased, local part kept) and the case-insensitive key
// under which uniqueness is checked.
#pragma once
#include <string>
#include <string_view>

#include "result.hpp"

namespace clientele::email {

Result<std::string, Problem> normalize_email(std::string_view input);
// Lower-cased whole address (ASCII plus the two-byte scripts text.hpp folds); equal keys = same customer.
std::string email_key(std::string_view normalized);
void email_key(std::string_view normalized, std::string& out);  // the same, written over `out`
// Whether this address's key is `key` (nothing allocated, no copy of the address left behind).
bool has_key(std::string_view normalized, std::string_view key);

}  // namespace clientele::email
