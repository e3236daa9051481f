// Email addresses: offline syntax check in the manner of python's email-validator (which Polar uses,
// without DNS), normalization (NFC, domain lower-cased, local part's case kept) and the case-insensitive key
// under which uniqueness is checked.
#pragma once
#include <algorithm>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace clientele::email {

Result<std::string, Problem> normalize_email(std::string_view input);
// Lower-cased whole address (ASCII plus the two-byte scripts text.hpp folds); equal keys = same customer.
std::string email_key(std::string_view normalized);
void email_key(std::string_view normalized, std::string& out);  // the same, written over `out`
// The key of an address as a caller wrote it in a lookup (trimmed, NFC), not checked as an address.
std::string lookup_key(std::string_view input);
// Calls f(key) with this address's key, folded into a reused buffer that is zeroed afterwards (nothing
// allocated once warm, no copy of the address left behind), and answers what f answers.
template <class F>
auto with_key(std::string_view normalized, F f) {
    thread_local std::string folded;
    email_key(normalized, folded);
    auto answer = f(std::string_view(folded));
    std::fill(folded.begin(), folded.end(), '\0');
    return answer;
}
// Whether this address's key is `key`.
bool has_key(std::string_view normalized, std::string_view key);

}  // namespace clientele::email
