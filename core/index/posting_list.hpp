// An ascending set of row numbers kept compressed: blocks of up to 64 rows, each a raw first row and
// varint gaps to the next. Appends are O(1), inserting or erasing a row rewrites one block (splitting it
// when full), membership tests decode one.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "util/varint.hpp"

namespace clientele {

class PostingList {
public:
    void append(uint32_t row);  // row must be greater than every row in the list
    void insert(uint32_t row);  // anywhere; no-op when present
    void erase(uint32_t row);   // no-op when absent
    bool contains(uint32_t row) const;
    size_t size() const { return size_; }
    uint32_t back() const { return last_; }  // the greatest row; the list must not be empty
    bool empty() const { return size_ == 0; }
    void decode(std::vector<uint32_t>& out) const;  // appends every row, ascending

    // What a new list of these rows will need, counted row by row (ascending) before it is built, so it is
    // built at its exact size: thousands of lists grown by doubling leave holes that WebAssembly memory,
    // which never shrinks, keeps.
    struct Size {
        size_t rows = 0, bytes = 0;
        uint32_t last = 0;
        void add(uint32_t row) {  // as append() lays a row out in a list that has only had appends
            if (rows % kBlock != 0) bytes += varint_size(row - last);
            ++rows, last = row;
        }
    };
    void reserve(const Size& size);
    void shrink_to_fit();  // gives back spare capacity (a list grown by appends)
    size_t capacity_bytes() const;  // what the list holds on the heap, spare capacity included

    // Keeps the rows of `sorted` that this list holds (one pass, skipping blocks without candidates).
    void intersect(std::vector<uint32_t>& sorted) const;

private:
    static constexpr uint8_t kBlock = 64;
    size_t block_of(uint32_t row) const;  // the last block whose first row is <= row (blocks non-empty)
    void rewrite(size_t block, const std::vector<uint32_t>& rows);  // lays rows (<= 2 blocks' worth) out in its place
    template <class F>
    void each_in(size_t block, F f) const;  // the rows of one block, ascending

    std::vector<uint32_t> first_;   // first row of each block
    std::vector<uint32_t> offset_;  // where each block's gaps start in bytes_
    std::vector<uint8_t> count_;    // rows in each block
    std::string bytes_;             // varint gaps, block after block
    uint32_t last_ = 0;             // the greatest row (valid when size_ > 0)
    size_t size_ = 0;
};

}  // namespace clientele
