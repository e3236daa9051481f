// The ready-made orders of an organization's live customers (by creation time, email, name; ties by id)
// that list pages walk. Each is sorted on first use; after that, the customers changed since are taken
// out and put back in their places by binary search (a full sort only when they are many).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "index/search_text.hpp"
#include "storage/record_codec.hpp"
#include "util/clock.hpp"

namespace clientele {

enum class SortKey { CreatedAt, Email, Name };

// What the orders need of a slot from the store: its creation time, and its id for ties.
struct SortTies {
    std::function<Millis(uint32_t slot)> created_at;
    std::function<StoredId(uint32_t slot)> id;
};

class SortOrders {
public:
    void touch(uint32_t slot, size_t live);  // its place in every built order is to be found again
    // Live slots of `text` in ascending order of `key`, ties by id.
    const std::vector<uint32_t>& order(const SearchText& text, SortKey key, const SortTies& ties) const;

private:
    void build(const SearchText& text, SortKey key, const SortTies& ties) const;
    void update(const SearchText& text, SortKey key, const SortTies& ties) const;

    mutable std::array<std::vector<uint32_t>, 3> orders_;
    mutable std::array<bool, 3> built_{false, false, false};
    mutable std::array<std::vector<uint32_t>, 3> touched_;  // per built order: slots put or erased since
};

}  // namespace clientele
