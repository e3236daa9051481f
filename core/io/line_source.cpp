#include "io/line_source.hpp"

#include <cstring>

namespace clientele {

namespace {
// Calls f for each complete line of [data, data + size) and answers where the unfinished rest starts.
size_t complete_lines(const char* data, size_t size, const std::function<void(std::string_view)>& f) {
    size_t start = 0;
    while (start < size) {
        const void* nl = std::memchr(data + start, '\n', size - start);
        if (!nl) break;
        const size_t end = static_cast<size_t>(static_cast<const char*>(nl) - data);
        f(std::string_view(data + start, end - start));
        start = end + 1;
    }
    return start;
}
}  // namespace

void TextLines::each(const std::function<void(std::string_view)>& f) {
    const size_t rest = complete_lines(text_.data(), text_.size(), f);
    if (rest < text_.size()) f(text_.substr(rest));
}

void ChunkedLines::each(const std::function<void(std::string_view)>& f) {
    rewind_();
    if (!buffer_) buffer_.reset(new char[capacity_]);
    size_t have = 0;  // bytes of an unfinished line at the start of the buffer
    for (;;) {
        if (capacity_ - have < 4) {  // a line as long as the window: double it
            std::unique_ptr<char[]> bigger(new char[capacity_ * 2]);
            std::memcpy(bigger.get(), buffer_.get(), have);
            buffer_ = std::move(bigger), capacity_ *= 2;
        }
        const size_t n = fill_(buffer_.get() + have, capacity_ - have);
        if (n == 0) break;
        have += n;
        const size_t rest = complete_lines(buffer_.get(), have, f);
        std::memmove(buffer_.get(), buffer_.get() + rest, have - rest);
        have -= rest;
    }
    if (have) f(std::string_view(buffer_.get(), have));
}

}  // namespace clientele
