// Parsing of a list request (spec §4): filters, sorting, page and limit, with 422 details on bad values.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/fields.hpp"
#include "index/search_index.hpp"

namespace clientele {

struct SortCriterion {
    SortKey key = SortKey::CreatedAt;
    bool descending = true;
};

struct ListQuery {
    std::optional<std::string> email;        // exact, case-insensitive
    std::optional<std::string> external_id;  // exact
    std::optional<std::string> query;        // folded; substring of email/name/billing_name, prefix of external_id
    std::optional<bool> active;
    std::vector<std::pair<std::string, std::vector<std::string>>> metadata;  // key -> any of these texts
    std::vector<SortCriterion> sorting{SortCriterion{}};
    size_t page = 1, limit = 10;
};

ListQuery parse_list_query(const json& q, Problems& p);

}  // namespace clientele
