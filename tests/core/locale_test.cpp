// Locales (rules/locale): BCP 47 tags in canonical case, a real ISO 639 language required.
#include "test_support.hpp"

#include "rules/locale.hpp"

using namespace clientele;

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

// `und` (undetermined) is well-formed BCP 47 but names no language: Polar refuses it, as here.
TEST(Locale, RefusesUndetermined) {
    EXPECT_FALSE(locale::normalize_locale("und"));
    EXPECT_FALSE(locale::normalize_locale("UND-US"));
    EXPECT_EQ(locale::normalize_locale("haw").value(), "haw");  // other three-letter languages stay
}
