// Every record's bytes back to back in 1 MiB chunks, so keeping a record allocates nothing of its own;
// a record is named by a 32-bit reference. Bytes that die (overwritten, moved or dropped) are zeroed at once.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/chunked.hpp"

namespace clientele {

class RecordArena {
public:
    using Ref = ChunkedBytes::Ref;
    static constexpr Ref kNone = 0xFFFFFFFFu;

    Ref add(std::string_view bytes);
    std::string_view get(Ref ref) const;
    Ref replace(Ref ref, std::string_view bytes);  // in place when it fits, else added anew
    void drop(Ref ref);                            // zeroes the record's bytes
    size_t live_bytes() const { return bytes_.size() - dead_; }
    size_t dead_bytes() const { return dead_; }

private:
    size_t extent(Ref ref) const;          // length prefix and bytes
    void write(Ref ref, std::string_view bytes);  // length prefix and bytes at ref

    ChunkedBytes bytes_;
    size_t dead_ = 0;
};

}  // namespace clientele
