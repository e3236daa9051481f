// The event log (domain/events): bounded, read from a sequence number.
#include "test_support.hpp"

using namespace clientele;

TEST(EventLog, IsBoundedAndReadsFromASequence) {
    EventLog log(3);
    for (int i = 0; i < 5; ++i) log.emit("customer.updated", i, "org", "c", json{{"i", i}}.dump());
    auto all = log.since(0, "org");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all.front().seq, 3u);
    EXPECT_EQ(log.since(4, "org").size(), 1u);
    EXPECT_EQ(log.since(0, "other").size(), 0u);
}
