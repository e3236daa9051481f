// JSON written straight as text must be exactly what nlohmann's dump writes for the same DOM: answers
// switched from one to the other, and clients may compare bytes (e.g. webhook bodies).
#include "io/json_writer.hpp"

#include "model/customer.hpp"
#include "test_support.hpp"

namespace clientele {
namespace {

std::string nlohmann_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string written(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(JsonWriter, EscapesStringsAsNlohmannDoes) {
    std::string every_control;
    for (char c = 1; c < 0x20; ++c) every_control += c;
    const std::vector<std::string> strings = {
        "", "plain", "quote \" and \\ backslash", every_control, std::string("nul \0 inside", 12), "del \x7f",
        "Zoë Ångström", "北京", "emoji \xF0\x9F\x98\x80", "max \xF4\x8F\xBF\xBF",
        // invalid UTF-8: nlohmann replaces it, and so must the writer
        "lone \x80 continuation", "overlong \xC0\x80", "surrogate \xED\xA0\x80", "too high \xF4\x90\x80\x80",
        "truncated \xE2\x82", "cut at end \xC3", "\xF5\x80\x80\x80 out of range", "ok é then bad \xFF",
    };
    for (const std::string& s : strings) EXPECT_EQ(written(s), nlohmann_text(json(s))) << s;
}

TEST(JsonWriter, ObjectsMatchTheDom) {
    std::string text;
    {
        JsonObjectWriter w(text);
        w.text("a", std::optional<std::string>());
        w.boolean("b", true);
        w.object("c", [](JsonObjectWriter& inner) { inner.number("n", 18446744073709551615u); });
        w.value("d", json::parse(R"({"z":[1,2.5,"x"],"a":null})"));
        w.text("e", std::string("é"));
    }
    JsonObjectBuilder b;
    b.text("a", std::optional<std::string>());
    b.boolean("b", true);
    b.object("c", [](JsonObjectBuilder& inner) { inner.number("n", 18446744073709551615u); });
    b.value("d", json::parse(R"({"z":[1,2.5,"x"],"a":null})"));
    b.text("e", std::string("é"));
    EXPECT_EQ(text, nlohmann_text(b.built));
    EXPECT_EQ(json::parse(text)["c"]["n"], 18446744073709551615u);
}

// A customer with every field set, and one with none: the text and the DOM's dump are the same bytes.
TEST(JsonWriter, CustomerTextIsTheDomDumped) {
    Customer full;
    full.id = "c-1", full.organization_id = "org", full.created_at = 1767225600123, full.modified_at = 1767225601000;
    full.deleted_at = 1767225602000, full.type = CustomerType::Team, full.email = "Zoë@Example.com";
    full.email_verified = true, full.name = "Zoë \"Z\" Ångström\n", full.billing_name = "北京 Ltd", full.external_id = "ext\\1";
    full.locale = "sv-SE", full.billing_address = Address{"SE", "Gatan 1", std::nullopt, "111 22", "Stockholm", "AB"};
    full.tax_id = TaxId{"SE123456789701", "eu_vat"}, full.metadata = json::parse(R"({"plan":"pro","seats":3,"beta":true,"x":1.5})");
    full.avatar_url = "https://example.com/a.png", full.default_payment_method_id = "pm_1";
    Customer bare;
    bare.id = "c-2", bare.organization_id = "org";
    Customer billing_from_name = bare;
    billing_from_name.name = "Ada";
    for (const Customer& c : {full, bare, billing_from_name}) {
        std::string text;
        append_json(text, c);
        EXPECT_EQ(text, nlohmann_text(to_json(c)));
    }
    std::string text;
    append_json(text, billing_from_name);
    EXPECT_EQ(json::parse(text)["billing_name"], "Ada");  // billing name falls back to the name
}

}  // namespace
}  // namespace clientele
