// Case folding for search and comparison (util/text): ASCII, Latin, Greek, Cyrillic.
#include "test_support.hpp"

#include "util/text.hpp"

using namespace clientele;

TEST(Text, FoldsAsciiLatinGreekCyrillic) {
    EXPECT_EQ(fold_case("ABC xyz"), "abc xyz");
    EXPECT_EQ(fold_case("ZOË ÅNGSTRÖM"), "zoë ångström");
    EXPECT_EQ(fold_case("ŁÓDŹ"), "łódź");
    EXPECT_EQ(fold_case("ΑΘΉΝΑ"), "αθήνα");
    EXPECT_EQ(fold_case("МОСКВА"), "москва");
    EXPECT_EQ(fold_case("北京"), "北京");
    EXPECT_EQ(fold_case(std::string("\xC3", 1)), std::string("\xC3", 1));  // truncated sequence kept
}
