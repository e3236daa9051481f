// Time and identity (util/clock): RFC 3339 formatting in UTC, UUID v4 ids.
#include "test_support.hpp"

#include <set>

using namespace clientele;

TEST(Clock, FormatsRfc3339Utc) {
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(1767225600123), "2026-01-01T00:00:00.123Z");
    EXPECT_EQ(format_rfc3339(951782400000), "2000-02-29T00:00:00.000Z");  // leap day
    EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(format_rfc3339(253402300799999), "9999-12-31T23:59:59.999Z");
    EXPECT_EQ(format_rfc3339(253402300800000), "10000-01-01T00:00:00.000Z");  // past 4 digits: printf's widths
    EXPECT_EQ(format_rfc3339(-62167219200000), "0000-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(-62167219200001), "-001-12-31T23:59:59.999Z");
    for (Millis t = -86400000; t < 4102444800000; t += 7919993317)  // every time parsed back unchanged
        EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t) << t;
}

TEST(Ids, Uuid4AreWellFormedAndDistinct) {
    IdGenerator ids(1);
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        std::string id = ids.uuid4();
        ASSERT_EQ(id.size(), 36u);
        EXPECT_EQ(id[8], '-');
        EXPECT_EQ(id[14], '4');
        EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(IdGenerator(5).uuid4(), IdGenerator(5).uuid4());  // seeded: reproducible
}
