// Line sources (io/line_source): a text read in pieces gives the same lines as the whole text.
#include <algorithm>
#include <cstring>

#include "test_support.hpp"

#include "io/line_source.hpp"

using namespace clientele;

namespace {
std::vector<std::string> lines_of(LineSource& source) {
    std::vector<std::string> out;
    source.each([&](std::string_view line) { out.emplace_back(line); });
    return out;
}
}  // namespace

TEST(LineSource, PiecesGiveTheSameLinesAsTheWholeText) {
    const std::string long_line(100, 'x');
    for (const std::string& text : {std::string("a\nbb\n\nccc"), std::string("a\n"), std::string(""), std::string("\n\n"),
                                    "Zo\xC3\xAB\n" + long_line + "\n\xE5\x8C\x97\xE4\xBA\xAC"}) {
        TextLines whole(text);
        const auto expected = lines_of(whole);
        for (size_t chunk : {1, 3, 4, 7, 64}) {
            size_t at = 0, fills = 0;
            ChunkedLines pieces(
                [&](char* out, size_t room) {
                    EXPECT_GE(room, 4u) << "room for any UTF-8 character";
                    const size_t n = std::min({room, chunk, text.size() - at});
                    std::memcpy(out, text.data() + at, n);
                    return ++fills, at += n, n;
                },
                [&] { at = 0; }, chunk);
            EXPECT_EQ(lines_of(pieces), expected) << chunk;
            EXPECT_EQ(lines_of(pieces), expected) << "read again from the start";
            EXPECT_GT(fills, 0u);
        }
    }
    TextLines three("a\nb\nc");
    EXPECT_EQ(lines_of(three), (std::vector<std::string>{"a", "b", "c"}));
}
