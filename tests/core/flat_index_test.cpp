// FlatIndex (storage/flat_index) against a std::map through inserts and erasures.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "storage/flat_index.hpp"

namespace clientele {
namespace {

TEST(FlatIndex, MatchesAMapThroughInsertsAndErasures) {
    // Keys are the values' own numbers, hashed into few buckets so runs collide and wrap.
    std::mt19937 rnd(3);
    FlatIndex index;
    std::map<uint32_t, bool> model;
    auto hash = [](uint32_t v) { return v % 13; };
    for (int step = 0; step < 20000; ++step) {
        const uint32_t v = rnd() % 500;
        auto is_v = [v](uint32_t x) { return x == v; };
        if (model.count(v)) {
            EXPECT_TRUE(index.erase(hash(v), is_v));
            model.erase(v);
        } else {
            EXPECT_FALSE(index.find(hash(v), is_v));
            index.insert(hash(v), v);
            model[v] = true;
        }
    }
    EXPECT_EQ(index.size(), model.size());
    for (uint32_t v = 0; v < 500; ++v)
        EXPECT_EQ(index.find(hash(v), [v](uint32_t x) { return x == v; }).has_value(), model.count(v) == 1) << v;
}

}  // namespace
}  // namespace clientele
