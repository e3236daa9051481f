// JSON Lines read in pieces, as often as the reader needs (an import that replaces records reads its
// text twice: first to find what it replaces). A ChunkedLines source keeps only a window of the text in
// memory: the WASM binding fills it from a JS string a megabyte at a time, so a bulk load does not copy
// the whole text into the heap.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

namespace clientele {

class LineSource {
public:
    virtual ~LineSource() = default;
    // Calls f for each line from the first, '\n' and a final unterminated line included ("" for blank
    // ones); a line's view lasts until f returns.
    virtual void each(const std::function<void(std::string_view)>& f) = 0;
};

// A text already in memory.
class TextLines : public LineSource {
public:
    explicit TextLines(std::string_view text) : text_(text) {}
    void each(const std::function<void(std::string_view)>& f) override;

private:
    std::string_view text_;
};

// A text pulled through `fill`, which writes up to `room` (at least 4) bytes of it at `out` and answers
// how many, 0 once it is all read; `rewind` starts it again from its first byte.
class ChunkedLines : public LineSource {
public:
    using Fill = std::function<size_t(char* out, size_t room)>;
    ChunkedLines(Fill fill, std::function<void()> rewind, size_t chunk = size_t(1) << 20)
        : fill_(std::move(fill)), rewind_(std::move(rewind)), capacity_(chunk < 4 ? 4 : chunk) {}
    void each(const std::function<void(std::string_view)>& f) override;

private:
    Fill fill_;
    std::function<void()> rewind_;
    std::unique_ptr<char[]> buffer_;  // grows only for a line longer than the window
    size_t capacity_;
};

}  // namespace clientele
