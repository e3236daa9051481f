#include "record_arena.hpp"

#include <algorithm>

namespace clientele {

namespace {
void put_length(std::string& out, size_t n) {
    for (; n >= 0x80; n >>= 7) out.push_back(static_cast<char>(n | 0x80));
    out.push_back(static_cast<char>(n));
}

size_t length_size(size_t n) {
    size_t k = 1;
    for (; n >= 0x80; n >>= 7) ++k;
    return k;
}

// The length prefix at `p`, and where the bytes start.
size_t read_length(const char*& p) {
    size_t n = 0;
    for (unsigned shift = 0;; shift += 7) {
        const auto b = static_cast<uint8_t>(*p++);
        n |= size_t(b & 0x7F) << shift;
        if (!(b & 0x80)) return n;
    }
}
}  // namespace

RecordArena::Ref RecordArena::add(std::string_view bytes) {
    const size_t need = length_size(bytes.size()) + bytes.size();
    if (chunks_.empty() || chunks_.back().size() + need > chunks_.back().capacity() || chunks_.back().size() >= kChunk) {
        chunks_.emplace_back().reserve(std::max(kChunk, need));
    }
    std::string& chunk = chunks_.back();
    const Ref ref = static_cast<Ref>((chunks_.size() - 1) << kShift | chunk.size());
    put_length(chunk, bytes.size());
    chunk.append(bytes);
    used_ += need;
    return ref;
}

std::string_view RecordArena::get(Ref ref) const {
    const char* p = chunks_[ref >> kShift].data() + (ref & (kChunk - 1));
    const size_t n = read_length(p);
    return {p, n};
}

size_t RecordArena::extent(Ref ref) const {
    const std::string_view v = get(ref);
    return length_size(v.size()) + v.size();
}

RecordArena::Ref RecordArena::replace(Ref ref, std::string_view bytes) {
    const size_t old = extent(ref), need = length_size(bytes.size()) + bytes.size();
    if (need > old) {
        drop(ref);
        return add(bytes);
    }
    std::string& chunk = chunks_[ref >> kShift];
    const size_t at = ref & (kChunk - 1);
    std::string head;
    put_length(head, bytes.size());
    std::copy(head.begin(), head.end(), chunk.begin() + static_cast<std::ptrdiff_t>(at));
    std::copy(bytes.begin(), bytes.end(), chunk.begin() + static_cast<std::ptrdiff_t>(at + head.size()));
    std::fill_n(chunk.begin() + static_cast<std::ptrdiff_t>(at + need), old - need, '\0');
    dead_ += old - need;
    return ref;
}

void RecordArena::drop(Ref ref) {
    const size_t n = extent(ref);
    std::string& chunk = chunks_[ref >> kShift];
    std::fill_n(chunk.begin() + static_cast<std::ptrdiff_t>(ref & (kChunk - 1)), n, '\0');
    dead_ += n;
}

}  // namespace clientele
