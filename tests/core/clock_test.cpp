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

// Only real calendar days parse: day 31 in a 30-day month, Feb 29 outside leap years, Feb 30 and 31 never.
TEST(Clock, ParsesOnlyRealCalendarDays) {
    for (const char* bad : {"2026-02-31T00:00:00Z", "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                            "2026-06-31T00:00:00Z", "2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "2024-02-30T00:00:00Z"})
        EXPECT_FALSE(parse_rfc3339(bad)) << bad;
    for (const char* good : {"2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2026-01-31T00:00:00Z", "2026-12-31T23:59:59Z",
                             "2026-04-30T00:00:00Z"}) {
        const auto t = parse_rfc3339(good);
        ASSERT_TRUE(t) << good;
        EXPECT_EQ(format_rfc3339(*t).substr(0, 10), std::string(good).substr(0, 10));
    }
}
