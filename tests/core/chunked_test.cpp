// Chunked storage (storage/chunked): runs and items never move once added, runs never straddle two chunks.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "storage/chunked.hpp"

namespace clientele {
namespace {

// Runs never move once added and never straddle two chunks; one larger than a chunk gets its own.
TEST(ChunkedBytes, RunsStayWhereTheyWereWrittenAndWithinOneChunk) {
    std::mt19937 rnd(9);
    ChunkedBytes bytes;
    struct Run {
        ChunkedBytes::Ref ref;
        const char* at;
        std::string text;
    };
    std::vector<Run> runs;
    size_t total = 0;
    for (int i = 0; i < 20000; ++i) {
        const size_t n = i == 9000 ? ChunkedBytes::kChunk + 17 : rnd() % 300;
        std::string text(n, '\0');
        for (auto& c : text) c = static_cast<char>('a' + rnd() % 26);
        const ChunkedBytes::Ref ref = i % 2 ? bytes.add(text) : bytes.add(std::string_view(text).substr(0, n / 2), std::string_view(text).substr(n / 2));
        runs.push_back({ref, bytes.data(ref), text});
        total += n;
    }
    EXPECT_EQ(bytes.size(), total);
    EXPECT_GT(bytes.chunk_count(), 4u);
    for (const Run& r : runs) {
        ASSERT_EQ(bytes.data(r.ref), r.at) << "a run never moves";
        ASSERT_EQ(std::string_view(r.at, r.text.size()), r.text);
        const size_t offset = r.ref & (ChunkedBytes::kChunk - 1);
        ASSERT_LE(offset + r.text.size(), bytes.chunk(r.ref >> ChunkedBytes::kShift).size()) << "within its chunk";
        ASSERT_TRUE(r.text.size() <= ChunkedBytes::kChunk || offset == 0) << "a large run starts its own chunk";
    }
}

// A few runs take a small first chunk; chunks double up to 1 MiB; a run larger than the room left in a
// chunk starts the next one (at offset 0 when it is larger than that chunk's room).
TEST(ChunkedBytes, ChunksStartSmallAndDoubleUpToTheirFullSize) {
    ChunkedBytes bytes;
    const std::string kib(1024, 'k');
    for (int i = 0; i < 16; ++i) bytes.add(kib);
    EXPECT_EQ(bytes.chunk_count(), 1u) << "16 KiB fit the first chunk";
    const ChunkedBytes::Ref next = bytes.add("x");
    EXPECT_EQ(next, ChunkedBytes::ref(1, 0)) << "the 16 KiB + 1st byte starts the second chunk";
    EXPECT_EQ(ChunkedBytes::room_of(0), 16u << 10);
    EXPECT_EQ(ChunkedBytes::room_of(1), 32u << 10);
    EXPECT_EQ(ChunkedBytes::room_of(6), ChunkedBytes::kChunk);
    EXPECT_EQ(ChunkedBytes::room_of(40), ChunkedBytes::kChunk);
    const ChunkedBytes::Ref big = bytes.add(std::string(100u << 10, 'b'));  // more than the second chunk's 32 KiB
    EXPECT_EQ(big, ChunkedBytes::ref(2, 0));
    EXPECT_EQ(bytes.add("y"), ChunkedBytes::ref(3, 0)) << "a chunk holding a larger run takes nothing more";
}

TEST(ChunkedVector, IndexesLikeAVectorAndNeverMovesItems) {
    ChunkedVector<uint64_t> v;
    std::vector<uint64_t> model;
    for (uint64_t i = 0; i < 10000; ++i) v.push_back(i * 7919), model.push_back(i * 7919);
    const uint64_t* first = &v[0];
    v.resize(20000, 42), model.resize(20000, 42);
    v.resize(100, 0);  // never shrinks
    ASSERT_EQ(v.size(), model.size());
    for (size_t i = 0; i < model.size(); ++i) ASSERT_EQ(v[i], model[i]) << i;
    EXPECT_EQ(&v[0], first);
    EXPECT_EQ(v.back(), 42u);
    ChunkedVector<uint64_t> other;
    other.swap(v);
    EXPECT_TRUE(v.empty());
    EXPECT_EQ(other.size(), model.size());
}

}  // namespace
}  // namespace clientele
