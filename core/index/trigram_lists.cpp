#include "index/trigram_lists.hpp"

#include <algorithm>
#include <iterator>

#include "storage/flat_index.hpp"

namespace clientele {

namespace {
void append_once(PostingList& list, uint32_t row) {  // rows arrive in ascending order; a trigram may repeat in one
    if (list.empty() || list.back() != row) list.append(row);
}
}  // namespace

void TrigramLists::add(const SearchText& text, uint32_t row) {
    if (lists_.empty() && !all_) return;
    text.each_gram(text.row(row), [&](uint32_t key) {
        if (all_) return append_once(lists_[key], row);
        if (auto it = lists_.find(key); it != lists_.end()) append_once(it->second, row);
    });
}

void TrigramLists::drop(const SearchText& text, uint32_t row) {
    if (lists_.empty()) return;
    text.each_gram(text.row(row), [&](uint32_t key) {
        auto it = lists_.find(key);
        if (it == lists_.end()) return;  // a trigram repeated within the row: already gone
        it->second.erase(row);
        if (it->second.empty()) lists_.erase(it);  // no rows; or, until every list is built, to be found again
    });
}

void TrigramLists::renumbered(const SearchText& text) {
    if (all_) build(text);  // lists built for some keys are found again as needed
    else lists_.clear();
}

void TrigramLists::need(const SearchText& text, const std::vector<uint32_t>& keys) const {
    if (all_) return;
    std::vector<uint32_t> missing;
    for (uint32_t key : keys)
        if (!lists_.count(key)) missing.push_back(key);
    if (missing.empty()) return;
    if (++passes_ > kPasses) return build(text);
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    build(text, &missing);
}

// Two passes over every trigram of every row: the first numbers the trigrams (in a flat table, not the
// node map queries use: tens of millions of lookups at 1M) and counts what each list needs, the second
// builds every list at its exact size. With `only`, just those keys are numbered (an empty list for a
// key in no row), every other trigram is passed over, and one pass builds the lists.
void TrigramLists::build(const SearchText& text, const std::vector<uint32_t>* only) const {
    constexpr uint32_t kSkip = 0xFFFFFFFFu;
    if (!only) lists_.clear();  // first, so the lists built below reuse the memory of those dropped
    // Spreads the packed bytes into the high bits the table uses; times an odd number, so one hash is one
    // key and a matching hash needs no look at `keys`.
    const auto hash_of = [](uint32_t key) { return key * 0x9E3779B1u; };
    FlatIndex numbers;
    std::vector<uint32_t> keys;
    std::vector<PostingList::Size> sizes;
    std::vector<uint64_t> maybe;  // with `only`: a bit per value of the top 16 bits of a key's hash
    const auto number_of = [&](uint32_t key, bool add) {
        const uint32_t hash = hash_of(key);
        if (!maybe.empty() && !(maybe[hash >> 22] >> (hash >> 16 & 63) & 1)) return kSkip;  // most trigrams
        if (auto n = numbers.find(hash, [](uint32_t) { return true; })) return *n;
        if (!add) return kSkip;
        numbers.insert(hash, static_cast<uint32_t>(keys.size()));
        keys.push_back(key), sizes.emplace_back();
        return static_cast<uint32_t>(keys.size() - 1);
    };
    if (only) {
        for (uint32_t key : *only) number_of(key, true);
        maybe.resize(1024);
        for (uint32_t key : keys) maybe[hash_of(key) >> 22] |= uint64_t(1) << (hash_of(key) >> 16 & 63);
    }
    const auto each_key = [&](bool add, auto f) {  // f(number, row) for every numbered key of every live row
        for (uint32_t row = 0; row < text.rows(); ++row)
            if (text.row(row).live) text.each_gram(text.row(row), [&](uint32_t key) {
                if (const uint32_t n = number_of(key, add); n != kSkip) f(n, row);
            });
    };
    if (!only)  // thousands of lists: counted first, so each is built at its exact size
        each_key(true, [&](uint32_t n, uint32_t row) {
            if (sizes[n].rows == 0 || sizes[n].last != row) sizes[n].add(row);
        });
    std::vector<PostingList> lists(keys.size());
    for (size_t i = 0; i < sizes.size(); ++i) lists[i].reserve(sizes[i]);
    each_key(false, [&](uint32_t n, uint32_t row) { append_once(lists[n], row); });
    if (only)  // a few lists, grown as they filled: trimmed to their size
        for (PostingList& list : lists) list.shrink_to_fit();
    if (!only) lists_.reserve(keys.size()), all_ = true;
    for (size_t i = 0; i < lists.size(); ++i) lists_.emplace(keys[i], std::move(lists[i]));
}

std::vector<uint32_t> TrigramLists::candidates(const SearchText& text, std::string_view folded) const {
    std::vector<uint32_t> keys;  // the query's trigrams, then its first 3 bytes as an external id's prefix
    for (size_t i = 0; i + 3 <= folded.size(); ++i) keys.push_back(SearchText::gram(folded.data() + i));
    keys.push_back(SearchText::gram(folded.data()) | SearchText::kExternalPrefix);
    need(text, keys);
    auto posting = [&](uint32_t key) -> const PostingList* {
        auto it = lists_.find(key);
        return it == lists_.end() ? nullptr : &it->second;
    };
    // Inside a field every trigram of the query must be there: intersect, rarest list first.
    std::vector<const PostingList*> lists;
    for (size_t i = 0; i + 1 < keys.size(); ++i) lists.push_back(posting(keys[i]));
    std::vector<uint32_t> inside;
    if (std::find(lists.begin(), lists.end(), nullptr) == lists.end()) {
        std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
        lists[0]->decode(inside);
        for (size_t i = 1; i < lists.size() && !inside.empty(); ++i) lists[i]->intersect(inside);
    }
    const auto* prefix = posting(keys.back());
    if (!prefix) return inside;
    std::vector<uint32_t> starts, out;
    prefix->decode(starts);
    std::set_union(inside.begin(), inside.end(), starts.begin(), starts.end(), std::back_inserter(out));
    return out;
}

}  // namespace clientele
