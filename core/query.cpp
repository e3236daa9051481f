// Store::list — filters, sort and pagination of spec §4.
#include "query.hpp"

#include <algorithm>

#include "email.hpp"
#include "store.hpp"
#include "text.hpp"

namespace clientele {

namespace {
const json kQuery = json::array({"query"});
json at(std::string_view key) { return loc_append(kQuery, std::string(key)); }

std::optional<SortCriterion> parse_sort(const json& v) {
    if (!v.is_string()) return std::nullopt;
    std::string s = v.get<std::string>();
    SortCriterion c{SortKey::CreatedAt, false};
    if (!s.empty() && s[0] == '-') c.descending = true, s.erase(0, 1);
    if (s == "created_at") c.key = SortKey::CreatedAt;
    else if (s == "email") c.key = SortKey::Email;
    else if (s == "name") c.key = SortKey::Name;
    else return std::nullopt;
    return c;
}

std::vector<SortCriterion> parse_sorting(const json& v, Problems& p) {
    const json list = v.is_array() ? v : json::array({v});
    std::vector<SortCriterion> out;
    for (const auto& item : list) {
        auto c = parse_sort(item);
        if (!c) {
            p.add(at("sorting"), "enum", "Invalid sorting criterion.", item);
            return {SortCriterion{}};
        }
        out.push_back(*c);
    }
    return out.empty() ? std::vector<SortCriterion>{SortCriterion{}} : out;
}

size_t parse_positive(const json& q, std::string_view key, size_t fallback, Problems& p) {
    auto f = read_int(q, key, kQuery, p);
    if (!f.set()) return fallback;
    if (f.value < 1) {
        p.add(at(key), "greater_than_equal", "Input should be greater than or equal to 1", f.value);
        return fallback;
    }
    return static_cast<size_t>(std::min<int64_t>(f.value, 1'000'000'000));
}

void parse_metadata_filter(const json& v, ListQuery& out, Problems& p) {
    if (!v.is_object()) return p.add(at("metadata"), "dict_type", "Input should be a valid dictionary", v);
    for (auto it = v.begin(); it != v.end(); ++it) {
        std::vector<std::string> texts;
        const json list = it.value().is_array() ? it.value() : json::array({it.value()});
        for (const auto& item : list) {
            if (item.is_structured() || item.is_null()) {
                p.add(loc_append(at("metadata"), it.key()), "metadata_value_type",
                      "Input should be a valid string, integer, number or boolean", item);
                continue;
            }
            texts.push_back(metadata_text(item));
        }
        out.metadata.emplace_back(it.key(), std::move(texts));
    }
}
}  // namespace

std::string metadata_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

ListQuery parse_list_query(const json& q, Problems& p) {
    ListQuery out;
    if (q.is_null()) return out;
    if (!require_object(q, kQuery, p)) return out;
    forbid_unknown(q, {"organization_id", "email", "external_id", "query", "active", "metadata", "sorting", "page", "limit"},
                   kQuery, p);
    auto email = read_string(q, "email", kQuery, p);
    if (email.set()) out.email = email::email_key(trim(email.value));
    out.external_id = read_string(q, "external_id", kQuery, p).as_optional();
    auto query = read_string(q, "query", kQuery, p);
    if (query.set() && !trim(query.value).empty()) out.query = fold_case(trim(query.value));
    out.active = read_bool(q, "active", kQuery, p).as_optional();
    if (auto it = q.find("metadata"); it != q.end() && !it->is_null()) parse_metadata_filter(*it, out, p);
    if (auto it = q.find("sorting"); it != q.end() && !it->is_null()) out.sorting = parse_sorting(*it, p);
    out.page = parse_positive(q, "page", 1, p);
    out.limit = std::min<size_t>(parse_positive(q, "limit", 10, p), 100);
    return out;
}

namespace {
bool has_active_subscription(const Customer& c) {
    for (const auto& s : c.subscriptions)
        if (is_active_subscription(s)) return true;
    return false;
}

bool matches_query(const Customer& c, const std::string& q) {
    auto contains = [&](const std::optional<std::string>& s) { return s && fold_case(*s).find(q) != std::string::npos; };
    if (contains(c.email) || contains(c.name) || contains(c.billing_name)) return true;
    return c.external_id && fold_case(*c.external_id).rfind(q, 0) == 0;
}

bool matches_metadata(const Customer& c, const ListQuery& q) {
    for (const auto& [key, texts] : q.metadata) {
        auto it = c.metadata.find(key);
        if (it == c.metadata.end()) return false;
        if (std::find(texts.begin(), texts.end(), metadata_text(*it)) == texts.end()) return false;
    }
    return true;
}

bool matches(const Customer& c, const ListQuery& q) {
    if (c.deleted_at) return false;
    if (q.email && (!c.email || email::email_key(*c.email) != *q.email)) return false;
    if (q.external_id && c.external_id != q.external_id) return false;
    if (q.active && has_active_subscription(c) != *q.active) return false;
    if (q.query && !matches_query(c, *q.query)) return false;
    return matches_metadata(c, q);
}

int compare(const Customer& a, const Customer& b, SortKey key) {
    switch (key) {
        case SortKey::CreatedAt: return a.created_at < b.created_at ? -1 : a.created_at > b.created_at;
        case SortKey::Email: return fold_case(a.email.value_or("")).compare(fold_case(b.email.value_or("")));
        case SortKey::Name: return fold_case(a.name.value_or("")).compare(fold_case(b.name.value_or("")));
    }
    return 0;
}
}  // namespace

Result<Page> Store::list(const std::vector<std::string>& orgs, const json& query) const {
    Problems p;
    const ListQuery q = parse_list_query(query, p);
    if (!p.empty()) return p.to_error();
    std::vector<const Customer*> hits;
    for (const auto& org : orgs) {
        const OrgIndex* idx = org_index(org);
        if (!idx) continue;
        for (uint32_t slot : idx->slots)
            if (matches(*records_[slot], q)) hits.push_back(records_[slot].get());
    }
    auto less = [&](const Customer* a, const Customer* b) {
        for (const auto& s : q.sorting)
            if (int c = compare(*a, *b, s.key)) return s.descending ? c > 0 : c < 0;
        return a->id < b->id;
    };
    Page page;
    page.total_count = hits.size();
    page.max_page = (hits.size() + q.limit - 1) / q.limit;
    const auto skip = static_cast<uint64_t>(q.page - 1) * q.limit;  // 64-bit: size_t is 32-bit in WASM
    const size_t begin = static_cast<size_t>(std::min<uint64_t>(hits.size(), skip));
    const size_t end = std::min(hits.size(), begin + q.limit);
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(), less);
    page.items.assign(hits.begin() + static_cast<std::ptrdiff_t>(begin), hits.begin() + static_cast<std::ptrdiff_t>(end));
    return page;
}

}  // namespace clientele
