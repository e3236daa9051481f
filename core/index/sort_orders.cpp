#include "index/sort_orders.hpp"

#include <algorithm>

namespace clientele {

namespace {
// What an order is sorted by, kept as small as the key allows (12 bytes in WASM): at 1M customers the
// list of them is the largest buffer a query allocates.
struct TimeItem {
    uint32_t high, low, slot;  // created_at as an unsigned number of the same order (sign bit flipped)
    TimeItem(Millis at, uint32_t s)
        : high(static_cast<uint32_t>(static_cast<uint64_t>(at) >> 32) ^ 0x80000000u), low(static_cast<uint32_t>(at)), slot(s) {}
    uint64_t key() const { return uint64_t(high) << 32 | low; }
};
struct TextItem {
    const char* text;
    uint32_t size, slot;
    TextItem(std::string_view t, uint32_t s) : text(t.data()), size(static_cast<uint32_t>(t.size())), slot(s) {}
    std::string_view key() const { return {text, size}; }
};

// Sorted by key alone, then each run of equal keys by id, every id read once (ties compared through the
// records one pair at a time would read them again and again: names repeat).
template <class Item>
void sort_slots(std::vector<Item>& items, const SortTies& ties, std::vector<uint32_t>& out) {
    const auto by_key = [](const Item& a, const Item& b) { return a.key() < b.key(); };
    if (!std::is_sorted(items.begin(), items.end(), by_key))  // rows loaded in creation order often are
        std::sort(items.begin(), items.end(), by_key);
    out.clear();
    out.reserve(items.size());
    std::vector<std::pair<StoredId, uint32_t>> run;
    for (size_t i = 0, j = 0; i < items.size(); i = j) {
        for (j = i + 1; j < items.size() && items[j].key() == items[i].key();) ++j;
        if (j - i == 1) {
            out.push_back(items[i].slot);
            continue;
        }
        run.clear();
        for (size_t k = i; k < j; ++k) run.emplace_back(ties.id(items[k].slot), items[k].slot);
        std::sort(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [id, slot] : run) out.push_back(slot);
    }
}

// Strictly the order a full sort gives: by the key, then by id.
auto order_less(const SearchText& index, SortKey key, const SortTies& ties) {
    return [&index, key, &ties](uint32_t a, uint32_t b) {
        if (key == SortKey::CreatedAt) {
            const Millis ta = ties.created_at(a), tb = ties.created_at(b);
            if (ta != tb) return ta < tb;
        } else {
            const auto ka = key == SortKey::Email ? index.email_key(a) : index.name_key(a);
            const auto kb = key == SortKey::Email ? index.email_key(b) : index.name_key(b);
            if (ka != kb) return ka < kb;
        }
        return ties.id(a) < ties.id(b);
    };
}
}  // namespace

void SortOrders::touch(uint32_t slot, size_t live) {
    for (size_t k = 0; k < orders_.size(); ++k) {
        if (!built_[k]) continue;
        touched_[k].push_back(slot);
        if (touched_[k].size() > live / 8 + 64) built_[k] = false, touched_[k] = {};  // a full sort is cheaper
    }
}

const std::vector<uint32_t>& SortOrders::order(const SearchText& text, SortKey key, const SortTies& ties) const {
    const auto k = static_cast<size_t>(key);
    if (!built_[k]) build(text, key, ties);
    else if (!touched_[k].empty()) update(text, key, ties);
    return orders_[k];
}

void SortOrders::build(const SearchText& text, SortKey key, const SortTies& ties) const {
    using Row = SearchText::Row;
    const auto k = static_cast<size_t>(key);
    const auto collect = [&](auto item_of) {
        std::vector<decltype(item_of(text.row(0)))> items;
        items.reserve(text.live());
        for (uint32_t i = 0; i < text.rows(); ++i)
            if (text.row(i).live) items.push_back(item_of(text.row(i)));
        sort_slots(items, ties, orders_[k]);
    };
    if (key == SortKey::CreatedAt) collect([&](const Row& r) { return TimeItem(ties.created_at(r.slot), r.slot); });
    else if (key == SortKey::Email) collect([&](const Row& r) { return TextItem(text.text(r).substr(0, r.email_len), r.slot); });
    else collect([&](const Row& r) { return TextItem(text.text(r).substr(r.email_len + 1, r.name_len), r.slot); });
    built_[k] = true;
    touched_[k] = {};
}

// The touched slots leave the order (each may have moved or gone); those still live are found their
// places by binary search and the order is copied once around them: O(n + t log n) for t touched.
void SortOrders::update(const SearchText& text, SortKey key, const SortTies& ties) const {
    const auto k = static_cast<size_t>(key);
    std::vector<uint32_t>& touched = touched_[k];
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    std::vector<uint32_t>& order = orders_[k];
    std::erase_if(order, [&](uint32_t slot) { return std::binary_search(touched.begin(), touched.end(), slot); });
    const auto less = order_less(text, key, ties);
    std::vector<uint32_t> back;  // touched and live, in order
    for (uint32_t slot : touched)
        if (text.row_of(slot)) back.push_back(slot);
    std::sort(back.begin(), back.end(), less);
    std::vector<uint32_t> merged;
    merged.reserve(order.size() + back.size());
    auto from = order.begin();
    for (uint32_t slot : back) {
        const auto at = std::lower_bound(from, order.end(), slot, less);
        merged.insert(merged.end(), from, at);
        merged.push_back(slot);
        from = at;
    }
    merged.insert(merged.end(), from, order.end());
    order.swap(merged);
    touched = {};
}

}  // namespace clientele
