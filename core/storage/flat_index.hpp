// An open-addressing hash index of 32-bit values (record slots, rows) whose keys live elsewhere: the
// caller hashes the key and tells whether a stored value has it. 8 bytes an entry, linear probing; the
// table is any size (a hash maps onto it by multiply-shift), kept between 2/3 and 4/5 full.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "util/hash.hpp"

namespace clientele {

class FlatIndex {
public:
    // The value whose key has this hash and satisfies `has_key(value)`.
    template <class Eq>
    std::optional<uint32_t> find(uint32_t hash, Eq has_key) const {
        if (size_ == 0) return std::nullopt;
        for (size_t i = home(hash); table_[i].value != kEmpty; i = next(i))
            if (table_[i].hash == hash && has_key(table_[i].value)) return table_[i].value;
        return std::nullopt;
    }
    // Adds a value under `hash` (the caller has made sure no value of the same key is present).
    void insert(uint32_t hash, uint32_t value) {
        if ((size_ + 1) * 5 > table_.size() * 4) grow(size_ + 1);
        size_t i = home(hash);
        while (table_[i].value != kEmpty) i = next(i);
        table_[i] = Entry{hash, value};
        ++size_;
    }
    // Removes the value under `hash` that satisfies `is_it`; true when there was one.
    template <class Eq>
    bool erase(uint32_t hash, Eq is_it) {
        if (size_ == 0) return false;
        size_t i = home(hash);
        for (; table_[i].value != kEmpty; i = next(i))
            if (table_[i].hash == hash && is_it(table_[i].value)) break;
        if (table_[i].value == kEmpty) return false;
        // Backward shift: later entries of the same run move up, so no tombstone is left.
        for (size_t j = next(i); table_[j].value != kEmpty; j = next(j))
            if (distance(home(table_[j].hash), j) >= distance(i, j)) table_[i] = table_[j], i = j;
        table_[i] = Entry{};
        --size_;
        return true;
    }
    void reserve(size_t n) {
        if (n * 5 > table_.size() * 4) grow(n);
    }
    void clear() { table_.clear(), size_ = 0; }
    template <class F>
    void for_each(F f) const {  // every value, in no particular order
        for (const Entry& e : table_)
            if (e.value != kEmpty) f(e.value);
    }
    size_t size() const { return size_; }

private:
    static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
    struct Entry {
        uint32_t hash = 0, value = kEmpty;
    };
    size_t home(uint32_t hash) const { return static_cast<size_t>((uint64_t(hash) * table_.size()) >> 32); }
    size_t next(size_t i) const { return i + 1 == table_.size() ? 0 : i + 1; }
    size_t distance(size_t from, size_t to) const { return to >= from ? to - from : to + table_.size() - from; }
    void grow(size_t n) {
        std::vector<Entry> old(std::max<size_t>(16, n + n / 2));  // 2/3 full
        old.swap(table_);
        size_ = 0;
        for (const Entry& e : old)
            if (e.value != kEmpty) insert(e.hash, e.value);
    }

    std::vector<Entry> table_;
    size_t size_ = 0;
};

}  // namespace clientele
