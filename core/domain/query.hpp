// Listing customers (spec §4): a list request's filters, sorting, page and limit parsed with 422 details
// on bad values, then answered from the organization's indexes.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/workspace.hpp"
#include "index/search_index.hpp"
#include "model/fields.hpp"

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

// A list's `page` or `limit` (>= 1, 422 greater_than_equal below; `fallback` when absent). Callers cap
// `limit` at kMaxLimit, as Polar does.
size_t parse_positive(const json& q, std::string_view key, size_t fallback, Problems& p);
inline constexpr size_t kMaxLimit = 100;

// The organizations a list or export reads: `orgs` (what the caller may see) intersected with the
// query's `organization_id` filter (a string or a list of strings) when it has one, as Polar filters:
// another organization's id lists nothing, and beside the caller's own it changes nothing.
std::vector<std::string> filter_organizations(const std::vector<std::string>& orgs, const json& q, Problems& p);

struct Page {
    std::vector<Customer> items;
    size_t total_count = 0;
    size_t max_page = 0;
};

class Listing {
public:
    explicit Listing(const Workspace& w) : w_(w) {}
    Result<Page> list(const std::vector<std::string>& orgs, const json& query) const;

private:
    // Candidates from the most selective index, then every other condition checked on each.
    void gather(const SearchIndex& index, const std::string& org, const ListQuery& q, std::vector<uint32_t>& hits) const;
    std::string_view sort_key(uint32_t slot, SortKey key) const;

    const Workspace& w_;
};

}  // namespace clientele
