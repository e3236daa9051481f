// RecordArena (storage/record_arena): every record kept through replaces, drops and the store's compaction.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "storage/record_arena.hpp"
#include "test_support.hpp"

namespace clientele {
namespace {

TEST(RecordArena, KeepsEveryRecordThroughReplacesAndDrops) {
    std::mt19937 rnd(5);
    RecordArena arena;
    std::vector<std::pair<RecordArena::Ref, std::string>> model;
    auto text = [&](size_t n) {
        std::string s(n, '\0');
        for (auto& c : s) c = static_cast<char>('a' + rnd() % 26);
        return s;
    };
    for (int i = 0; i < 3000; ++i) {
        const size_t n = i == 1500 ? (size_t(3) << 20) : rnd() % 400;  // one record larger than a chunk
        std::string bytes = text(n);
        model.emplace_back(arena.add(bytes), bytes);
    }
    for (int i = 0; i < 3000; ++i) {
        auto& [ref, bytes] = model[rnd() % model.size()];
        bytes = text(rnd() % 400);  // shorter ones stay in place, longer ones move
        ref = arena.replace(ref, bytes);
    }
    for (const auto& [ref, bytes] : model) ASSERT_EQ(arena.get(ref), bytes);
    const std::string_view before = arena.get(model[7].first);
    const char* where = before.data();
    const size_t n = before.size();
    arena.drop(model[7].first);
    EXPECT_TRUE(std::all_of(where, where + n, [](char c) { return c == '\0'; })) << "dropped bytes are zeroed";
    EXPECT_GT(arena.dead_bytes(), 0u);
}

TEST(RecordArena, StoreRecordsSurviveCompaction) {
    // Growing records move, leaving dead bytes; past 1 MiB of them the store compacts its arena.
    Store s = testing::make_store();
    // 100 records growing to 8 keys of 400 bytes, twice over: about 2.8 MB of moved-out bytes, 320 KB live.
    std::vector<std::string> ids;
    for (int i = 0; i < 100; ++i) ids.push_back(testing::ok(s.create(testing::kOrg, json{{"email", "u" + std::to_string(i) + "@x.io"}})).id);
    for (int round = 0; round < 16; ++round)
        for (int i = 0; i < 100; ++i) {
            json metadata = json::object();
            for (int k = 0; k <= round % 8; ++k) metadata["k" + std::to_string(k)] = std::string(400, char('a' + k));
            ASSERT_TRUE(s.update(testing::kOrg, ids[i], json{{"metadata", metadata}}));
        }
    for (int i = 0; i < 100; ++i) {
        const Customer c = testing::ok(s.get(testing::kOrg, ids[i]));
        EXPECT_EQ(*c.email, "u" + std::to_string(i) + "@x.io");
        ASSERT_EQ(c.metadata.size(), 8u);  // what the last round (15) wrote
        EXPECT_EQ(c.metadata["k7"], std::string(400, 'h'));
    }
}

}  // namespace
}  // namespace clientele
