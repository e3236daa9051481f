#include "record_arena.hpp"

#include <algorithm>

#include "varint.hpp"

namespace clientele {

RecordArena::Ref RecordArena::add(std::string_view bytes) {
    const size_t need = varint_size(bytes.size()) + bytes.size();
    if (chunks_.empty() || chunks_.back().size() + need > chunks_.back().capacity() || chunks_.back().size() >= kChunk) {
        chunks_.emplace_back().reserve(std::max(kChunk, need));
    }
    std::string& chunk = chunks_.back();
    const Ref ref = static_cast<Ref>((chunks_.size() - 1) << kShift | chunk.size());
    put_varint(chunk, bytes.size());
    chunk.append(bytes);
    used_ += need;
    return ref;
}

std::string_view RecordArena::get(Ref ref) const {
    const char* p = chunks_[ref >> kShift].data() + (ref & (kChunk - 1));
    const auto n = static_cast<size_t>(read_varint(p));
    return {p, n};
}

size_t RecordArena::extent(Ref ref) const {
    const std::string_view v = get(ref);
    return varint_size(v.size()) + v.size();
}

RecordArena::Ref RecordArena::replace(Ref ref, std::string_view bytes) {
    const size_t old = extent(ref), need = varint_size(bytes.size()) + bytes.size();
    if (need > old) {
        drop(ref);
        return add(bytes);
    }
    std::string& chunk = chunks_[ref >> kShift];
    const size_t at = ref & (kChunk - 1);
    std::string head;
    put_varint(head, bytes.size());
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
