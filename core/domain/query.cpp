#include "domain/query.hpp"

#include <algorithm>

#include "rules/email.hpp"

namespace clientele {

namespace {

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
            p.add(query_at("sorting"), "enum", "Invalid sorting criterion.", item);
            return {SortCriterion{}};
        }
        out.push_back(*c);
    }
    return out.empty() ? std::vector<SortCriterion>{SortCriterion{}} : out;
}

void parse_metadata_filter(const json& v, ListQuery& out, Problems& p) {
    if (!v.is_object()) return p.add(query_at("metadata"), "dict_type", "Input should be a valid dictionary", v);
    for (auto it = v.begin(); it != v.end(); ++it) {
        std::vector<std::string> texts;
        const json list = it.value().is_array() ? it.value() : json::array({it.value()});
        for (const auto& item : list) {
            if (item.is_structured() || item.is_null()) {
                p.add(loc_append(query_at("metadata"), it.key()), "metadata_value_type",
                      "Input should be a valid string, integer, number or boolean", item);
                continue;
            }
            texts.push_back(metadata_text(item));
        }
        out.metadata.emplace_back(it.key(), std::move(texts));
    }
}
}  // namespace

size_t parse_positive(const json& q, std::string_view key, size_t fallback, Problems& p) {
    auto f = read_int(q, key, query_loc(), p);
    if (!f.set()) return fallback;
    if (f.value < 1) {
        p.add(query_at(key), "greater_than_equal", "Input should be greater than or equal to 1", f.value);
        return fallback;
    }
    return static_cast<size_t>(std::min<int64_t>(f.value, 1'000'000'000));
}

std::vector<std::string> filter_organizations(const std::vector<std::string>& orgs, const json& q, Problems& p) {
    if (!q.is_object()) return orgs;
    auto it = q.find("organization_id");
    if (it == q.end() || it->is_null()) return orgs;
    const json list = it->is_array() ? *it : json::array({*it});
    std::vector<std::string> out;
    for (size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string()) {
            p.add(it->is_array() ? loc_append(query_at("organization_id"), i) : query_at("organization_id"), "string_type",
                  "Input should be a valid string", list[i]);
            continue;
        }
        const auto& id = list[i].get_ref<const std::string&>();
        if (std::find(orgs.begin(), orgs.end(), id) != orgs.end() && std::find(out.begin(), out.end(), id) == out.end())
            out.push_back(id);
    }
    return out;
}

ListQuery parse_list_query(const json& q, Problems& p) {
    ListQuery out;
    if (q.is_null()) return out;
    if (!require_object(q, query_loc(), p)) return out;
    forbid_unknown(q, {"organization_id", "email", "external_id", "query", "active", "metadata", "sorting", "page", "limit"},
                   query_loc(), p);
    auto email = read_string(q, "email", query_loc(), p);
    if (email.set()) out.email = email::lookup_key(email.value);
    out.external_id = read_string(q, "external_id", query_loc(), p).as_optional();
    auto query = read_string(q, "query", query_loc(), p);
    if (query.set() && !trim(query.value).empty()) out.query = fold_query(query.value);
    out.active = read_bool(q, "active", query_loc(), p).as_optional();
    if (auto it = q.find("metadata"); it != q.end() && !it->is_null()) parse_metadata_filter(*it, out, p);
    if (auto it = q.find("sorting"); it != q.end() && !it->is_null()) out.sorting = parse_sorting(*it, p);
    out.page = parse_positive(q, "page", 1, p);
    out.limit = std::min(parse_positive(q, "limit", 10, p), kMaxLimit);
    return out;
}

namespace {
// Whether to page through the ready-made order (a bitmap of the hits, then a walk of about
// wanted * live / hits entries) rather than partially sort the hits (each comparison reads two records,
// mostly cache misses, so it is weighted at ~20 walk steps).
bool walk_beats_sort(uint64_t hits, uint64_t live, uint64_t wanted) {
    if (hits < 256) return false;
    const uint64_t walk = live / 64 + std::min<uint64_t>(live, wanted * live / hits);
    uint64_t log2 = 1;
    while ((uint64_t(1) << log2) <= wanted) ++log2;
    return walk < hits * log2 * 20;
}

bool has_filters(const ListQuery& q) { return q.email || q.external_id || q.query || q.active || !q.metadata.empty(); }
}  // namespace

// Candidates from the most selective index, then every other condition checked on each (metadata
// against the metadata index, so no record is decoded unless email or external id must be compared).
void Listing::gather(const SearchIndex& index, const std::string& org, const ListQuery& q, std::vector<uint32_t>& hits) const {
    const bool by_metadata = !q.email && !q.external_id && !q.query && !q.metadata.empty();
    const bool by_query = !q.email && !q.external_id && q.query;  // the scan already matched the query
    std::vector<std::vector<uint32_t>> with;  // per metadata condition: the slots that meet it, sorted
    for (const auto& [key, texts] : q.metadata) with.push_back(index.with_metadata(key, texts));
    auto keep = [&](uint32_t slot) {
        if (q.email || q.external_id) {
            const RecordView v = w_.view(slot);
            if (q.email && (!v.email || !email::has_key(*v.email, *q.email))) return;
            if (q.external_id && v.external_id != q.external_id) return;
        }
        if (q.active && w_.records().flagged(slot) != *q.active) return;
        if (q.query && !by_query && !index.contains(slot, *q.query)) return;
        for (size_t i = by_metadata ? 1 : 0; i < with.size(); ++i)  // the index answered condition 0
            if (!std::binary_search(with[i].begin(), with[i].end(), slot)) return;
        hits.push_back(slot);
    };
    if (q.email) {
        if (auto slot = w_.slot_of_email_key(org, *q.email)) keep(*slot);
    } else if (q.external_id) {
        if (auto slot = w_.slot_of_external_id(org, *q.external_id)) keep(*slot);
    } else if (q.query) {
        index.scan(*q.query, keep);
    } else if (by_metadata) {
        for (uint32_t slot : with[0]) keep(slot);
    } else {
        for (uint32_t slot : w_.order(index, SortKey::CreatedAt)) keep(slot);
    }
}

std::string_view Listing::sort_key(uint32_t slot, SortKey key) const {
    const SearchIndex& si = w_.search_of(slot);
    return key == SortKey::Email ? si.email_key(slot) : si.name_key(slot);
}

Result<Page> Listing::list(const std::vector<std::string>& visible, const json& query) const {
    Problems p;
    const ListQuery q = parse_list_query(query, p);
    const std::vector<std::string> orgs = filter_organizations(visible, query, p);
    if (!p.empty()) return p.to_error();
    const auto skip = static_cast<uint64_t>(q.page - 1) * q.limit;  // 64-bit: size_t is 32-bit in WASM
    Page page;
    auto slice = [&](size_t total, auto at) {
        page.total_count = total;
        page.max_page = (total + q.limit - 1) / q.limit;
        for (uint64_t i = skip; i < total && i < skip + q.limit; ++i) page.items.push_back(w_.load(at(i)));
    };
    const SearchIndex* only = orgs.size() == 1 ? w_.search(orgs[0]) : nullptr;
    if (only && !has_filters(q) && q.sorting.size() == 1) {  // every live customer: a ready-made order
        const auto& order = w_.order(*only, q.sorting[0].key);
        const bool desc = q.sorting[0].descending;
        slice(order.size(), [&](uint64_t i) { return order[desc ? order.size() - 1 - i : i]; });
        return page;
    }
    std::vector<uint32_t> hits;
    for (const auto& org : orgs)
        if (const SearchIndex* index = w_.search(org)) gather(*index, org, q, hits);
    if (only && q.sorting.size() == 1 && walk_beats_sort(hits.size(), only->size(), skip + q.limit)) {
        // Many hits: walk the ready-made order and keep the hits, instead of sorting them.
        std::vector<bool> hit(w_.records().size());
        for (uint32_t slot : hits) hit[slot] = true;
        const auto& order = w_.order(*only, q.sorting[0].key);
        const bool desc = q.sorting[0].descending;
        std::vector<uint32_t> sorted;
        for (size_t i = 0; i < order.size() && sorted.size() < skip + q.limit; ++i)
            if (uint32_t slot = order[desc ? order.size() - 1 - i : i]; hit[slot]) sorted.push_back(slot);
        slice(hits.size(), [&](uint64_t i) { return sorted[i]; });
        return page;
    }
    auto less = [&](uint32_t a, uint32_t b) {
        const Millis ta = w_.records().created_at(a), tb = w_.records().created_at(b);
        for (const auto& s : q.sorting) {
            int c = s.key == SortKey::CreatedAt ? (ta < tb ? -1 : ta > tb) : sort_key(a, s.key).compare(sort_key(b, s.key));
            if (c) return s.descending ? c > 0 : c < 0;
        }
        const StoredId ia = record_id(w_.records().bytes(a)), ib = record_id(w_.records().bytes(b));
        return q.sorting[0].descending ? ib < ia : ia < ib;  // ties by id, as the ready-made orders
    };
    const size_t end = static_cast<size_t>(std::min<uint64_t>(hits.size(), skip + q.limit));
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(), less);
    slice(hits.size(), [&](uint64_t i) { return hits[i]; });
    return page;
}

}  // namespace clientele
