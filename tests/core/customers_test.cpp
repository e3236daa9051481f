// Create / get / list basics, organization scoping, uniqueness and all-at-once validation (spec §1, §8).
#include "test_support.hpp"

using namespace clientele;
using namespace clientele::testing;

TEST(CustomersTest, CreateAnswersTheFullRecordShape) {
    Store s = make_store();
    const Customer c = ok(s.create(kOrg, json{{"email", "Ada@Example.COM"}, {"name", "  Ada Lovelace "}}));
    json j = to_json(c);
    for (const char* key : {"id", "created_at", "modified_at", "metadata", "external_id", "email", "email_verified", "type",
                            "name", "billing_name", "billing_address", "tax_id", "locale", "organization_id",
                            "default_payment_method_id", "deleted_at", "avatar_url"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["email"], "Ada@example.com");  // domain lower-cased, local part kept
    EXPECT_EQ(j["name"], "Ada Lovelace");      // trimmed
    EXPECT_EQ(j["billing_name"], "Ada Lovelace");  // falls back to name
    EXPECT_EQ(j["type"], "individual");
    EXPECT_EQ(j["email_verified"], false);
    EXPECT_EQ(j["modified_at"], nullptr);
    EXPECT_EQ(j["organization_id"], kOrg);
    EXPECT_EQ(j["created_at"], "2026-01-01T00:00:01.000Z");
    EXPECT_EQ(j["id"].get<std::string>().size(), 36u);
    EXPECT_EQ(j["id"].get<std::string>()[14], '4');  // UUID v4
}

TEST(CustomersTest, GetIsScopedToTheOrganization) {
    Store s = make_store();
    const std::string id = ok(s.create(kOrg, json{{"email", "a@example.com"}})).id;
    EXPECT_TRUE(s.get(kOrg, id));
    auto other = s.get(kOtherOrg, id);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().kind, ErrorKind::NotFound);
    EXPECT_EQ(ok(s.list({kOtherOrg}, json::object())).total_count, 0u);
}

TEST(CustomersTest, EmailIsUniquePerOrganizationCaseInsensitively) {
    Store s = make_store();
    ok(s.create(kOrg, json{{"email", "ada@example.com"}}));
    const std::string before = fingerprint(s);
    auto dup = s.create(kOrg, json{{"email", "ADA@Example.com"}});
    ASSERT_FALSE(dup);
    EXPECT_TRUE(has_problem(dup.error(), json::array({"body", "email"}), "A customer with this email address already exists."));
    EXPECT_EQ(fingerprint(s), before);
    EXPECT_TRUE(s.create(kOtherOrg, json{{"email", "ada@example.com"}}));  // another organization may
}

TEST(CustomersTest, ExternalIdIsUniquePerOrganizationCaseSensitively) {
    Store s = make_store();
    ok(s.create(kOrg, json{{"email", "a@example.com"}, {"external_id", "user_1"}}));
    auto dup = s.create(kOrg, json{{"email", "b@example.com"}, {"external_id", "user_1"}});
    ASSERT_FALSE(dup);
    EXPECT_TRUE(has_problem(dup.error(), json::array({"body", "external_id"}), "already exists"));
    EXPECT_TRUE(s.create(kOrg, json{{"email", "c@example.com"}, {"external_id", "USER_1"}}));
    EXPECT_EQ(ok(s.get_external(kOrg, "user_1")).email, "a@example.com");
    EXPECT_FALSE(s.get_external(kOtherOrg, "user_1"));
}

TEST(CustomersTest, ReportsEveryBrokenRuleAtOnceAndWritesNothing) {
    Store s = make_store();
    const std::string before = fingerprint(s);
    auto r = s.create(kOrg, json{{"email", "not-an-email"},
                                 {"name", std::string(257, 'x')},
                                 {"billing_address", {{"country", "US"}, {"state", "XX"}}},
                                 {"locale", "zz-@@"},
                                 {"metadata", {{"k", json::array()}}},
                                 {"type", "company"},
                                 {"surprise", 1}});
    ASSERT_FALSE(r);
    const Error& e = r.error();
    EXPECT_EQ(e.kind, ErrorKind::Validation);
    EXPECT_TRUE(has_problem(e, json::array({"body", "email"}), "not a valid email"));
    EXPECT_TRUE(has_problem(e, json::array({"body", "name"}), "at most 256"));
    EXPECT_TRUE(has_problem(e, json::array({"body", "billing_address", "state"}), "Invalid US state"));
    EXPECT_TRUE(has_problem(e, json::array({"body", "locale"}), "Invalid IETF BCP 47 language tag"));
    EXPECT_TRUE(has_problem(e, json::array({"body", "metadata", "k"}), "valid string, integer"));
    EXPECT_TRUE(has_problem(e, json::array({"body", "type"}), "'individual' or 'team'"));
    EXPECT_TRUE(has_problem(e, json::array({"body", "surprise"}), "Extra inputs are not permitted"));
    EXPECT_EQ(fingerprint(s), before);
    EXPECT_EQ(s.size(), 0u);
}

TEST(CustomersTest, IndividualNeedsAnEmail) {
    Store s = make_store();
    auto r = s.create(kOrg, json{{"name", "No Mail"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "email"}), "Field required"));
}

TEST(CustomersTest, TeamWithoutEmailNeedsAnOwnerWithEmail) {
    Store s = make_store();
    auto r = s.create(kOrg, json{{"type", "team"}, {"name", "Acme"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "owner"}),
                            "An owner with an email address is required when creating a team customer without an email."));
    const Customer c = ok(s.create(kOrg, json{{"type", "team"}, {"name", "Acme"}, {"owner", {{"email", "boss@acme.io"}, {"name", "Boss"}}}}));
    EXPECT_FALSE(c.email);
    ASSERT_EQ(c.members.size(), 1u);
    EXPECT_EQ(c.members[0].email, "boss@acme.io");
    EXPECT_EQ(c.members[0].role, MemberRole::Owner);
}

TEST(CustomersTest, EveryCustomerGetsAnOwnerFromItsOwnFields) {
    Store s = make_store();
    const Customer c = ok(s.create(kOrg, json{{"email", "a@example.com"}, {"name", "A"}, {"external_id", "x1"}}));
    ASSERT_EQ(c.members.size(), 1u);
    EXPECT_EQ(c.members[0].email, "a@example.com");
    EXPECT_EQ(c.members[0].name, "A");
    EXPECT_EQ(c.members[0].external_id, "x1");
    EXPECT_EQ(c.members[0].customer_id, c.id);
}

TEST(CustomersTest, StringsWithNulAreRefused) {
    Store s = make_store();
    auto r = s.create(kOrg, json{{"email", "a@example.com"}, {"name", std::string("a\0b", 3)}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "name"}), "This value contains invalid characters"));
}

TEST(CustomersTest, EmptyOptionalStringsBecomeNull) {
    Store s = make_store();
    const Customer c = ok(s.create(kOrg, json{{"email", "a@example.com"}, {"name", "   "}, {"external_id", " "}}));
    EXPECT_FALSE(c.name);
    EXPECT_FALSE(c.external_id);
}

TEST(CustomersTest, MetadataLimits) {
    Store s = make_store();
    json many = json::object();
    for (int i = 0; i < 51; ++i) many["k" + std::to_string(i)] = i;
    auto r = s.create(kOrg, json{{"email", "a@example.com"}, {"metadata", many}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "metadata"}), "at most 50 items"));
    auto keys = s.create(kOrg, json{{"email", "a@example.com"}, {"metadata", {{std::string(41, 'k'), 1}, {"", 1}}}});
    ASSERT_FALSE(keys);
    EXPECT_TRUE(has_problem(keys.error(), json::array({"body", "metadata", std::string(41, 'k'), "[key]"}), "at most 40"));
    EXPECT_TRUE(has_problem(keys.error(), json::array({"body", "metadata", "", "[key]"}), "at least 1"));
    auto values = s.create(kOrg, json{{"email", "a@example.com"},
                                      {"metadata", {{"long", std::string(501, 'v')}, {"empty", ""}, {"nul", nullptr}, {"obj", json::object()}}}});
    ASSERT_FALSE(values);
    EXPECT_EQ(values.error().detail.size(), 4u);
    json fifty = json::object();
    for (int i = 0; i < 50; ++i) fifty["k" + std::to_string(i)] = i % 2 ? json("v") : json(i * 1.5);
    fifty["k0"] = true;
    const Customer c = ok(s.create(kOrg, json{{"email", "a@example.com"}, {"metadata", fifty}}));
    EXPECT_EQ(c.metadata.size(), 50u);
}

TEST(CustomersTest, BillingAddressRules) {
    Store s = make_store();
    const Customer c = ok(s.create(kOrg, json{{"email", "a@example.com"},
                                              {"billing_address", {{"country", "us"}, {"state", "ca"}, {"line1", " 1 Main St "}, {"city", ""}}}}));
    ASSERT_TRUE(c.billing_address);
    EXPECT_EQ(c.billing_address->country, "US");
    EXPECT_EQ(c.billing_address->state, "US-CA");
    EXPECT_EQ(c.billing_address->line1, "1 Main St");
    EXPECT_FALSE(c.billing_address->city);
    const Customer ca = ok(s.create(kOrg, json{{"email", "b@example.com"}, {"billing_address", {{"country", "CA"}, {"state", "CA-QC"}}}}));
    EXPECT_EQ(ca.billing_address->state, "CA-QC");
    const Customer fr = ok(s.create(kOrg, json{{"email", "c@example.com"}, {"billing_address", {{"country", "FR"}, {"state", "Île-de-France"}}}}));
    EXPECT_EQ(fr.billing_address->state, "Île-de-France");  // free text elsewhere

    auto bad_ca = s.create(kOrg, json{{"email", "d@example.com"}, {"billing_address", {{"country", "CA"}, {"state", "XX"}}}});
    ASSERT_FALSE(bad_ca);
    EXPECT_TRUE(has_problem(bad_ca.error(), json::array({"body", "billing_address", "state"}), "Invalid CA subdivision"));
    auto unknown = s.create(kOrg, json{{"email", "d@example.com"}, {"billing_address", {{"country", "XK1"}}}});
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(has_problem(unknown.error(), json::array({"body", "billing_address", "country"}), "ISO 3166-1"));
    for (const char* embargoed : {"CU", "IR", "KP", "SY", "RU"}) {
        auto r = s.create(kOrg, json{{"email", "e@example.com"}, {"billing_address", {{"country", embargoed}}}});
        ASSERT_FALSE(r) << embargoed;
        EXPECT_TRUE(has_problem(r.error(), json::array({"body", "billing_address", "country"}), "embargoed"));
    }
    auto missing = s.create(kOrg, json{{"email", "d@example.com"}, {"billing_address", {{"city", "Paris"}}}});
    ASSERT_FALSE(missing);
    EXPECT_TRUE(has_problem(missing.error(), json::array({"body", "billing_address", "country"}), "Field required"));
}

TEST(CustomersTest, TaxIdIsValidatedAgainstTheBillingCountry) {
    Store s = make_store();
    auto no_country = s.create(kOrg, json{{"email", "a@example.com"}, {"tax_id", "FR40303265045"}});
    ASSERT_FALSE(no_country);
    ASSERT_EQ(no_country.error().detail.size(), 1u);
    EXPECT_EQ(no_country.error().detail[0].type, "missing");
    EXPECT_EQ(no_country.error().detail[0].loc, json::array({"body", "billing_address"}));
    EXPECT_EQ(no_country.error().detail[0].msg, "Country is required to validate tax ID.");

    const Customer fr = ok(s.create(kOrg, json{{"email", "a@example.com"}, {"tax_id", "fr 40 303 265 045"}, {"billing_address", {{"country", "FR"}}}}));
    ASSERT_TRUE(fr.tax_id);
    EXPECT_EQ(fr.tax_id->value, "FR40303265045");
    EXPECT_EQ(fr.tax_id->format, "eu_vat");
    EXPECT_EQ(to_json(fr)["tax_id"], json::array({"FR40303265045", "eu_vat"}));

    auto wrong = s.create(kOrg, json{{"email", "b@example.com"}, {"tax_id", "FR40303265046"}, {"billing_address", {{"country", "FR"}}}});
    ASSERT_FALSE(wrong);
    EXPECT_TRUE(has_problem(wrong.error(), json::array({"body", "tax_id"}), "Invalid tax ID."));
    EXPECT_EQ(wrong.error().detail[0].type, "invalid");
}

TEST(CustomersTest, ListIsPagedWithTotals) {
    Store s = make_store();
    for (int i = 0; i < 25; ++i) ok(s.create(kOrg, json{{"email", "u" + std::to_string(i) + "@example.com"}}));
    Page p1 = ok(s.list({kOrg}, json{{"limit", 10}, {"page", 1}}));
    EXPECT_EQ(p1.total_count, 25u);
    EXPECT_EQ(p1.max_page, 3u);
    ASSERT_EQ(p1.items.size(), 10u);
    EXPECT_EQ(*p1.items[0].email, "u24@example.com");  // default -created_at
    Page p3 = ok(s.list({kOrg}, json{{"limit", 10}, {"page", 3}}));
    ASSERT_EQ(p3.items.size(), 5u);
    EXPECT_EQ(*p3.items[4].email, "u0@example.com");
    EXPECT_EQ(ok(s.list({kOrg}, json{{"page", 9}})).items.size(), 0u);
}
