// PostingList (index/posting_list) against a plain sorted vector: appends, inserts, erasures, sizes, intersection.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "index/posting_list.hpp"

namespace clientele {
namespace {

std::vector<uint32_t> rows_of(const PostingList& list) {
    std::vector<uint32_t> out;
    list.decode(out);
    return out;
}

// Inserts land anywhere (before the first row, inside a block, into a full block that must split),
// and inserting a present row or erasing an absent one changes nothing.
TEST(PostingList, MatchesASortedSetThroughAppendsInsertsAndErasures) {
    std::mt19937 rnd(7);
    PostingList list;
    std::vector<uint32_t> model;
    uint32_t next = 1000;
    for (int step = 0; step < 30000; ++step) {
        const unsigned op = rnd() % 6;
        if (model.empty() || op < 3) {
            next += 1 + rnd() % (rnd() % 10 ? 3 : 5000);  // mostly small gaps, some multi-byte ones
            list.append(next);
            model.push_back(next);
        } else if (op < 5) {
            const uint32_t row = rnd() % (next + 1);
            list.insert(row);
            const auto pos = std::lower_bound(model.begin(), model.end(), row);
            if (pos == model.end() || *pos != row) model.insert(pos, row);
            list.insert(row);  // inserting a present row changes nothing
        } else {
            const uint32_t victim = model[rnd() % model.size()];
            list.erase(victim);
            model.erase(std::find(model.begin(), model.end(), victim));
            list.erase(victim);  // erasing an absent row changes nothing
        }
        if (step % 997 == 0) {
            ASSERT_EQ(rows_of(list), model) << "step " << step;
            ASSERT_EQ(list.back(), model.back()) << "step " << step;
        }
    }
    ASSERT_EQ(rows_of(list), model);
    EXPECT_EQ(list.size(), model.size());
    EXPECT_EQ(list.back(), model.back());
    for (uint32_t probe = 0; probe <= next + 1; probe += 7)
        EXPECT_EQ(list.contains(probe), std::binary_search(model.begin(), model.end(), probe)) << probe;
    std::vector<uint32_t> every(next + 2);
    std::iota(every.begin(), every.end(), 0u);
    list.intersect(every);
    EXPECT_EQ(every, model);
    for (uint32_t row = 0; row < 200; ++row) list.insert(row);  // dense inserts at the front split block after block
    for (uint32_t row = 0; row < 200; ++row) model.insert(std::lower_bound(model.begin(), model.end(), row), row);
    model.erase(std::unique(model.begin(), model.end()), model.end());
    EXPECT_EQ(rows_of(list), model);
    EXPECT_EQ(list.size(), model.size());
}

// A list reserved from its Size takes every row without growing; one reserved for fewer rows must grow.
TEST(PostingList, SizeCountsExactlyWhatAppendsNeed) {
    std::mt19937 rnd(5);
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; rows.size() < 1000; r += 1 + rnd() % (rnd() % 10 ? 3 : 300000)) rows.push_back(r);
    const auto built = [&](size_t counted) {
        PostingList::Size size;
        for (size_t i = 0; i < counted; ++i) size.add(rows[i]);
        PostingList list;
        list.reserve(size);
        const size_t reserved = list.capacity_bytes();
        for (uint32_t r : rows) list.append(r);
        EXPECT_EQ(rows_of(list), rows);
        return list.capacity_bytes() - reserved;
    };
    EXPECT_EQ(built(rows.size()), 0u);      // counted every row: no growth
    EXPECT_GT(built(rows.size() - 1), 0u);  // one row short: the gaps' bytes had to grow
    EXPECT_GT(built(rows.size() - 40), 0u);  // into a block it had not counted: the block arrays too
}

TEST(PostingList, IntersectKeepsExactlyTheCommonRows) {
    std::mt19937 rnd(11);
    PostingList list;
    std::vector<uint32_t> model;
    for (uint32_t r = 0; r < 50000; r += 1 + rnd() % 4) list.append(r), model.push_back(r);
    for (size_t every : {1u, 3u, 97u, 5000u}) {
        std::vector<uint32_t> candidates;
        for (uint32_t r = 0; r < 52000; r += static_cast<uint32_t>(every)) candidates.push_back(r);
        std::vector<uint32_t> expected;
        std::set_intersection(candidates.begin(), candidates.end(), model.begin(), model.end(), std::back_inserter(expected));
        list.intersect(candidates);
        EXPECT_EQ(candidates, expected) << "every " << every;
    }
    std::vector<uint32_t> none{60000, 70000};
    list.intersect(none);
    EXPECT_TRUE(none.empty());
    PostingList empty;
    std::vector<uint32_t> some{1, 2, 3};
    empty.intersect(some);
    EXPECT_TRUE(some.empty());
}

}  // namespace
}  // namespace clientele
