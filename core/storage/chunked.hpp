// Storage that grows in fixed chunks and never moves what it holds: a table of a million rows grows
// without its old and new copies alive at once (a vector growing by half needs 2.5x its size at that
// moment) and leaves no holes behind in WebAssembly memory, which never shrinks.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clientele {

// Items by index, in chunks of 4096.
template <class T>
class ChunkedVector {
public:
    T& operator[](size_t i) { return chunks_[i >> kShift][i & kMask]; }
    const T& operator[](size_t i) const { return chunks_[i >> kShift][i & kMask]; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T& back() { return (*this)[size_ - 1]; }
    void push_back(const T& item) {
        if (size_ == chunks_.size() << kShift) chunks_.push_back(std::make_unique<T[]>(kChunk));
        (*this)[size_++] = item;
    }
    void resize(size_t n, const T& fill) {  // growing only
        while (size_ < n) push_back(fill);
    }
    void truncate(size_t n) {  // the items past n reset, their room kept
        for (; size_ > n; --size_) (*this)[size_ - 1] = T{};
    }
    void swap(ChunkedVector& other) noexcept { chunks_.swap(other.chunks_), std::swap(size_, other.size_); }

private:
    static constexpr unsigned kShift = 12;
    static constexpr size_t kChunk = size_t(1) << kShift, kMask = kChunk - 1;
    std::vector<std::unique_ptr<T[]>> chunks_;
    size_t size_ = 0;
};

// Runs of bytes back to back in chunks of up to 1 MiB (or one larger run at offset 0); a run is named by
// a 32-bit reference, chunk << 20 | offset, and never straddles two chunks. The first chunks are small
// (16 KiB, doubling up to 1 MiB), so a store or an organization holding a few records reserves little.
class ChunkedBytes {
public:
    using Ref = uint32_t;
    static constexpr unsigned kShift = 20;
    static constexpr size_t kChunk = size_t(1) << kShift;
    static constexpr size_t kFirstChunk = size_t(16) << 10;

    // The bytes chunk i holds before the next begins: 16 KiB, 32 KiB, ... 1 MiB, 1 MiB, ...
    static constexpr size_t room_of(size_t i) { return i >= kShift - 14 ? kChunk : kFirstChunk << i; }

    // A run of these bytes followed by `more`, copied in (later rewritten in place through data()).
    Ref add(std::string_view bytes, std::string_view more = {}) {
        const size_t n = bytes.size() + more.size();
        if (chunks_.empty() || chunks_.back().size() + n > room_of(chunks_.size() - 1)) {
            const size_t room = room_of(chunks_.size());
            chunks_.emplace_back().reserve(n > room ? n : room);
        }
        std::string& chunk = chunks_.back();
        const Ref ref = static_cast<Ref>((chunks_.size() - 1) << kShift | chunk.size());
        chunk.append(bytes).append(more);
        size_ += n;
        return ref;
    }
    size_t size() const { return size_; }  // bytes in runs
    char* data(Ref ref) { return chunks_[ref >> kShift].data() + (ref & (kChunk - 1)); }
    const char* data(Ref ref) const { return chunks_[ref >> kShift].data() + (ref & (kChunk - 1)); }
    size_t chunk_count() const { return chunks_.size(); }
    std::string_view chunk(size_t i) const { return chunks_[i]; }  // its runs back to back
    static Ref ref(size_t chunk, size_t offset) { return static_cast<Ref>(chunk << kShift | offset); }
    void swap(ChunkedBytes& other) noexcept { chunks_.swap(other.chunks_), std::swap(size_, other.size_); }

private:
    std::vector<std::string> chunks_;  // each reserved once, never reallocated
    size_t size_ = 0;
};

}  // namespace clientele
