// Geography (rules/geo): every ISO 3166-1 country and the subdivisions the address rules know.
#include "test_support.hpp"

#include "rules/geo.hpp"

using namespace clientele;

TEST(Geo, FullCountryListAndSubdivisions) {
    EXPECT_EQ(geo::countries().size(), 249u);
    for (const char* c : {"FR", "US", "JP", "AQ", "AX", "BQ", "SS", "XK"}) EXPECT_EQ(geo::is_country(c), std::string(c) != "XK") << c;
    EXPECT_FALSE(geo::is_country("fr"));
    EXPECT_FALSE(geo::is_country("UK"));
    for (const char* c : {"CU", "IR", "KP", "SY", "RU"}) EXPECT_TRUE(geo::is_embargoed(c)) << c;
    EXPECT_FALSE(geo::is_embargoed("UA"));
    int us = 0, ca = 0;
    for (char a = 'A'; a <= 'Z'; ++a)
        for (char b = 'A'; b <= 'Z'; ++b) {
            us += geo::is_us_state(std::string("US-") + a + b);
            ca += geo::is_ca_subdivision(std::string("CA-") + a + b);
        }
    EXPECT_EQ(us, 51);
    EXPECT_EQ(ca, 13);
    EXPECT_TRUE(geo::is_us_state("US-DC"));
    EXPECT_FALSE(geo::is_us_state("US-PR"));
    EXPECT_TRUE(geo::is_ca_subdivision("CA-YT"));
}
