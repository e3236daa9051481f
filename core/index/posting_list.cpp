#include "index/posting_list.hpp"

#include <algorithm>

#include "util/varint.hpp"

namespace clientele {

template <class F>
void PostingList::each_in(size_t block, F f) const {
    const char* p = bytes_.data() + offset_[block];
    uint32_t row = first_[block];
    f(row);
    for (uint8_t i = 1; i < count_[block]; ++i) f(row += static_cast<uint32_t>(read_varint(p)));
}

size_t PostingList::block_of(uint32_t row) const {
    const auto it = std::upper_bound(first_.begin(), first_.end(), row);
    return it == first_.begin() ? 0 : static_cast<size_t>(it - first_.begin()) - 1;
}

void PostingList::append(uint32_t row) {
    if (!first_.empty() && count_.back() < kBlock) {
        put_varint(bytes_, row - last_);
        ++count_.back();
    } else {
        first_.push_back(row);
        offset_.push_back(static_cast<uint32_t>(bytes_.size()));
        count_.push_back(1);
    }
    last_ = row;
    ++size_;
}

bool PostingList::contains(uint32_t row) const {
    if (size_ == 0 || row < first_.front() || row > last_) return false;
    bool found = false;
    each_in(block_of(row), [&](uint32_t r) { found = found || r == row; });
    return found;
}

void PostingList::insert(uint32_t row) {
    if (size_ == 0 || row > last_) return append(row);
    const size_t b = block_of(row);
    std::vector<uint32_t> rows;
    rows.reserve(kBlock + 1);
    bool present = false;
    each_in(b, [&](uint32_t r) {
        present = present || r == row;
        rows.push_back(r);
    });
    if (present) return;
    rows.insert(std::lower_bound(rows.begin(), rows.end(), row), row);
    rewrite(b, rows);
    ++size_;
}

void PostingList::erase(uint32_t row) {
    if (!contains(row)) return;
    const size_t b = block_of(row);
    std::vector<uint32_t> rows;
    each_in(b, [&](uint32_t r) {
        if (r != row) rows.push_back(r);
    });
    rewrite(b, rows);
    --size_;
}

void PostingList::rewrite(size_t b, const std::vector<uint32_t>& rows) {
    const size_t cut = rows.size() > kBlock ? rows.size() / 2 : rows.size();  // where a second block starts
    std::string gaps;
    size_t second = 0;  // the second block's gaps, from the start of the first's
    for (size_t i = 1; i < rows.size(); ++i) {
        if (i == cut) second = gaps.size();
        else put_varint(gaps, rows[i] - rows[i - 1]);
    }
    const size_t start = offset_[b], end = b + 1 < offset_.size() ? offset_[b + 1] : bytes_.size();
    bytes_.replace(start, end - start, gaps);
    for (size_t i = b + 1; i < offset_.size(); ++i) offset_[i] = static_cast<uint32_t>(offset_[i] - (end - start) + gaps.size());
    const auto at = [](auto& v, size_t i) { return v.begin() + static_cast<std::ptrdiff_t>(i); };
    if (rows.empty()) {
        first_.erase(at(first_, b)), offset_.erase(at(offset_, b)), count_.erase(at(count_, b));
    } else {
        first_[b] = rows.front(), count_[b] = static_cast<uint8_t>(cut);
        if (cut < rows.size()) {
            first_.insert(at(first_, b + 1), rows[cut]);
            offset_.insert(at(offset_, b + 1), static_cast<uint32_t>(start + second));
            count_.insert(at(count_, b + 1), static_cast<uint8_t>(rows.size() - cut));
        }
    }
    if (!first_.empty()) each_in(first_.size() - 1, [&](uint32_t r) { last_ = r; });
}

void PostingList::decode(std::vector<uint32_t>& out) const {
    out.reserve(out.size() + size_);
    for (size_t b = 0; b < first_.size(); ++b) each_in(b, [&](uint32_t r) { out.push_back(r); });
}

size_t PostingList::capacity_bytes() const {
    return first_.capacity() * sizeof(uint32_t) + offset_.capacity() * sizeof(uint32_t) + count_.capacity() + bytes_.capacity();
}

void PostingList::reserve(const Size& size) {
    const size_t blocks = (size.rows + kBlock - 1) / kBlock;
    first_.reserve(blocks), offset_.reserve(blocks), count_.reserve(blocks), bytes_.reserve(size.bytes);
}

void PostingList::shrink_to_fit() { first_.shrink_to_fit(), offset_.shrink_to_fit(), count_.shrink_to_fit(), bytes_.shrink_to_fit(); }

void PostingList::intersect(std::vector<uint32_t>& sorted) const {
    size_t keep = 0, i = 0, b = 0;
    while (i < sorted.size() && size_ > 0) {
        const uint32_t x = sorted[i];
        if (x < first_[b]) {  // before this block (or the whole list): absent
            ++i;
            continue;
        }
        b = static_cast<size_t>(std::upper_bound(first_.begin() + static_cast<std::ptrdiff_t>(b), first_.end(), x) - first_.begin()) - 1;
        const uint64_t next = b + 1 < first_.size() ? first_[b + 1] : uint64_t(UINT32_MAX) + 1;
        each_in(b, [&](uint32_t r) {
            while (i < sorted.size() && sorted[i] < r) ++i;
            if (i < sorted.size() && sorted[i] == r) sorted[keep++] = sorted[i++];
        });
        while (i < sorted.size() && sorted[i] < next) ++i;  // in this block's range but not in it
    }
    sorted.resize(keep);
}

}  // namespace clientele
