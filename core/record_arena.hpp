// Every record's bytes back to back in 1 MiB chunks, so keeping a record allocates nothing of its own;
// a record is named by a 32-bit reference. Bytes that die (overwritten, moved or dropped) are zeroed at once.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clientele {

class RecordArena {
public:
    using Ref = uint32_t;  // chunk << 20 | offset: a chunk holds 1 MiB, or one larger record at offset 0
    static constexpr Ref kNone = 0xFFFFFFFFu;

    Ref add(std::string_view bytes);
    std::string_view get(Ref ref) const;
    Ref replace(Ref ref, std::string_view bytes);  // in place when it fits, else added anew
    void drop(Ref ref);                            // zeroes the record's bytes
    size_t live_bytes() const { return used_ - dead_; }
    size_t dead_bytes() const { return dead_; }

private:
    static constexpr unsigned kShift = 20;
    static constexpr size_t kChunk = size_t(1) << kShift;
    size_t extent(Ref ref) const;  // length prefix and bytes

    std::vector<std::string> chunks_;  // each reserved once, never reallocated
    size_t used_ = 0, dead_ = 0;
};

}  // namespace clientele
