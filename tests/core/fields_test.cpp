// Field checkers: email syntax and normalization, BCP 47 locales, ISO 3166 geography, SHA-256.
#include "test_support.hpp"

#include "rules/email.hpp"
#include "rules/geo.hpp"
#include "rules/locale.hpp"
#include "util/sha256.hpp"

using namespace clientele;

TEST(Email, AcceptsAndNormalizes) {
    EXPECT_EQ(email::normalize_email("  Ada.Lovelace+tag@Example.COM ").value(), "Ada.Lovelace+tag@example.com");
    EXPECT_EQ(email::normalize_email("o'brien@sub.example.co.uk").value(), "o'brien@sub.example.co.uk");
    EXPECT_EQ(email::normalize_email("zoë@bücher.de").value(), "zoë@bücher.de");  // internationalized
    EXPECT_EQ(email::normalize_email("x@xn--bcher-kva.example").value(), "x@xn--bcher-kva.example");
}

TEST(Email, RefusesWithEmailValidatorsReasons) {
    auto reason = [](const char* input) { return email::normalize_email(input).error().msg; };
    EXPECT_EQ(reason("plain"), "value is not a valid email address: An email address must have an @-sign.");
    EXPECT_NE(reason("@example.com").find("something before the @-sign"), std::string::npos);
    EXPECT_NE(reason("a@").find("something after the @-sign"), std::string::npos);
    EXPECT_NE(reason("a@localhost").find("It should have a period"), std::string::npos);
    EXPECT_NE(reason(".a@example.com").find("cannot start with a period"), std::string::npos);
    EXPECT_NE(reason("a.@example.com").find("period immediately before the @-sign"), std::string::npos);
    EXPECT_NE(reason("a..b@example.com").find("two periods in a row"), std::string::npos);
    EXPECT_NE(reason("a b@example.com").find("invalid characters before the @-sign: ' '"), std::string::npos);
    EXPECT_NE(reason("a@b@example.com").find("invalid characters before the @-sign"), std::string::npos);
    EXPECT_NE(reason("a@exa_mple.com").find("invalid characters: '_'"), std::string::npos);
    EXPECT_NE(reason("a@-example.com").find("hyphen"), std::string::npos);
    EXPECT_NE(reason("a@example.123").find("top-level domain"), std::string::npos);
    EXPECT_NE(reason("a@[127.0.0.1]").find("invalid characters"), std::string::npos);
    EXPECT_NE(reason("\xff@example.com").find("invalid characters"), std::string::npos);
    EXPECT_EQ(email::normalize_email("nope").error().type, "value_error");
}

TEST(Email, LengthBoundaries) {
    const std::string dom = "@example.com";
    EXPECT_TRUE(email::normalize_email(std::string(64, 'a') + dom));
    EXPECT_NE(email::normalize_email(std::string(65, 'a') + dom).error().msg.find("too long before the @-sign (1 character too many)"), std::string::npos);
    const std::string label(63, 'b');
    const std::string long_domain = label + "." + label + "." + label + ".com";  // 195
    const std::string at_limit = std::string(254 - 1 - long_domain.size(), 'a') + "@" + long_domain;
    ASSERT_EQ(at_limit.size(), 254u);
    EXPECT_TRUE(email::normalize_email(at_limit));
    EXPECT_NE(email::normalize_email("a" + at_limit).error().msg.find("too long"), std::string::npos);
    EXPECT_NE(email::normalize_email("a@" + std::string(64, 'x') + ".com").error().msg.find("label is too long"), std::string::npos);
}

TEST(Email, KeyIsCaseInsensitive) {
    EXPECT_EQ(email::email_key("Ada@example.com"), email::email_key("ADA@example.com"));
    EXPECT_EQ(email::email_key("ZOË@example.com"), email::email_key("zoë@example.com"));
    EXPECT_NE(email::email_key("ada@example.com"), email::email_key("adb@example.com"));
    // has_key: the same comparison against a key, with no copy of the address made
    EXPECT_TRUE(email::has_key("ZOË@Example.com", email::email_key("zoë@example.COM")));
    EXPECT_TRUE(email::has_key("ДИМА@example.com", "дима@example.com"));
    EXPECT_FALSE(email::has_key("ada@example.com", "adb@example.com"));
    EXPECT_FALSE(email::has_key("ada@example.com", "ada@example.co"));
    EXPECT_FALSE(email::has_key("ada@example.co", "ada@example.com"));
}

TEST(Locale, CanonicalCase) {
    EXPECT_EQ(locale::normalize_locale("EN").value(), "en");
    EXPECT_EQ(locale::normalize_locale("pt_br").value(), "pt-BR");
    EXPECT_EQ(locale::normalize_locale("zh-hant-tw").value(), "zh-Hant-TW");
    EXPECT_EQ(locale::normalize_locale("sr-LATN").value(), "sr-Latn");
    EXPECT_EQ(locale::normalize_locale("es-419").value(), "es-419");
    EXPECT_EQ(locale::normalize_locale("de-CH-1996").value(), "de-CH-1996");
    EXPECT_EQ(locale::normalize_locale("en-US-u-ca-GREGORY").value(), "en-US-u-ca-gregory");
    EXPECT_EQ(locale::normalize_locale("en-x-Private").value(), "en-x-private");
    EXPECT_EQ(locale::normalize_locale("fil-PH").value(), "fil-PH");  // three-letter language
}

TEST(Locale, RefusesMalformedOrUnrealLanguages) {
    for (const char* bad : {"", "e", "zz", "qq-US", "x-private", "en-", "en--US", "en-US-u", "en-x", "english", "en US", "12", "en-ABCDEFGHI"}) {
        auto r = locale::normalize_locale(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().msg, "Invalid IETF BCP 47 language tag");
    }
}

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

TEST(Sha256, FipsVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(sha256_hex(std::string(55, 'x')).size(), 64u);  // padding edge: 55, 56, 64 bytes
    EXPECT_NE(sha256_hex(std::string(56, 'x')), sha256_hex(std::string(55, 'x')));
}
