// Email syntax and normalization (rules/email): what email-validator accepts, its reasons for refusing, length limits, case-insensitive keys.
#include "test_support.hpp"

#include "rules/email.hpp"

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

// Characters email-validator calls unsafe: invisible format and bidi controls, the BOM, separators and
// non-ASCII spaces anywhere, a combining mark first; named as it names them. So two addresses cannot
// differ by an invisible character alone.
TEST(Email, RefusesUnsafeCharactersByName) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"a\u200Bb@example.com", "ZERO WIDTH SPACE"},
        {"ab@exa\u202Emple.com", "RIGHT-TO-LEFT OVERRIDE"},
        {"\uFEFFab@example.com", "ZERO WIDTH NO-BREAK SPACE"},
        {"a\u00ADb@example.com", "SOFT HYPHEN"},
        {"a\u00A0b@example.com", "NO-BREAK SPACE"},
        {"a\u2028b@example.com", "LINE SEPARATOR"},
        {"a\u2063b@example.com", "U+2063"},
        {"\u0301ab@example.com", "U+0301"},
        {"a\U000E0041b@example.com", "U+000E0041"},
    };
    for (const auto& [address, name] : cases) {
        auto r = email::normalize_email(address);
        ASSERT_FALSE(r) << name;
        EXPECT_EQ(r.error().msg, "value is not a valid email address: The email address contains unsafe characters: " + name + ".");
    }
    EXPECT_TRUE(email::normalize_email("e\u0301x@example.com")) << "a combining mark after a letter is fine";
    Store s = clientele::testing::make_store();
    ASSERT_TRUE(s.create(clientele::testing::kOrg, json{{"email", "ab@example.com"}}));
    auto twin = s.create(clientele::testing::kOrg, json{{"email", "a\u200Bb@example.com"}});
    ASSERT_FALSE(twin);
    EXPECT_TRUE(clientele::testing::has_problem(twin.error(), json::array({"body", "email"}), "unsafe characters"));
}

// Addresses are stored in NFC, as email-validator normalizes them, so "é" as one code point and as
// "e" + U+0301 is one customer: stored once, a conflict the second time, found by either spelling.
TEST(Email, ComparesAndStoresInNfc) {
    const std::string composed = "jos\u00E9@caf\u00E9.example", decomposed = "jose\u0301@cafe\u0301.example";
    EXPECT_EQ(email::normalize_email(decomposed).value(), composed);
    EXPECT_EQ(email::normalize_email("\u1100\u1161\u11A8@example.com").value(), "\uAC01@example.com");  // Hangul jamo
    Store s = clientele::testing::make_store();
    auto first = s.create(clientele::testing::kOrg, json{{"email", decomposed}});
    ASSERT_TRUE(first);
    EXPECT_EQ(first.value().email, composed);
    auto twin = s.create(clientele::testing::kOrg, json{{"email", composed}});
    ASSERT_FALSE(twin);
    EXPECT_TRUE(clientele::testing::has_problem(twin.error(), json::array({"body", "email"}), "already exists"));
    auto found = s.list({clientele::testing::kOrg}, json{{"email", "  JOSE\u0301@cafe\u0301.example "}});
    ASSERT_TRUE(found);
    ASSERT_EQ(found.value().items.size(), 1u);
    EXPECT_EQ(found.value().items[0].email, composed);
}
