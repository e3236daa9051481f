#include "storage/record_arena.hpp"

#include <algorithm>

#include "util/varint.hpp"

namespace clientele {

RecordArena::Ref RecordArena::add(std::string_view bytes) {
    std::string head;
    put_varint(head, bytes.size());
    return bytes_.add(head, bytes);
}

void RecordArena::write(Ref ref, std::string_view bytes) {
    std::string head;
    put_varint(head, bytes.size());
    char* at = bytes_.data(ref);
    std::copy(head.begin(), head.end(), at);
    std::copy(bytes.begin(), bytes.end(), at + head.size());
}

std::string_view RecordArena::get(Ref ref) const {
    const char* p = bytes_.data(ref);
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
    write(ref, bytes);
    std::fill_n(bytes_.data(ref) + need, old - need, '\0');
    dead_ += old - need;
    return ref;
}

void RecordArena::drop(Ref ref) {
    const size_t n = extent(ref);
    std::fill_n(bytes_.data(ref), n, '\0');
    dead_ += n;
}

}  // namespace clientele
