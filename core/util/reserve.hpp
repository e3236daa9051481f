// Room for `more` items in a vector or string, growing by at least half its capacity: an import in
// chunks of 50k lines would otherwise reallocate its largest buffers on every chunk (each time the old
// and new copies alive together, the old one a hole the next, larger one cannot reuse).
#pragma once
#include <algorithm>
#include <cstddef>

namespace clientele {

template <class Buffer>
void reserve_more(Buffer& b, size_t more) {
    const size_t need = b.size() + more;
    if (need > b.capacity()) b.reserve(std::max(need, b.capacity() + b.capacity() / 2));
}

}  // namespace clientele
