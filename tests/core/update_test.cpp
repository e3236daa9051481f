// The update rules of spec §3, one test per row, and atomicity (one broken rule -> nothing changes).
#include "test_support.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
struct Fixture : ::testing::Test {
    Store s = make_store();
    std::string id;
    void SetUp() override {
        id = ok(s.create(kOrg, json{{"email", "ada@example.com"}, {"name", "Ada"}, {"email_verified", true},
                                    {"billing_address", {{"country", "FR"}, {"city", "Paris"}}},
                                    {"tax_id", "FR40303265045"}})).id;
    }
    Customer get() { return ok(s.get(kOrg, id)); }
};
using Update = Fixture;
}  // namespace

TEST_F(Update, OnlyFieldsPresentAreApplied) {
    ok(s.update(kOrg, id, json{{"locale", "fr-fr"}}));
    EXPECT_EQ(get().name, "Ada");
    EXPECT_EQ(get().locale, "fr-FR");
    EXPECT_TRUE(get().modified_at);
}

TEST_F(Update, EmailChangeResetsVerificationAndSyncsTheOwner) {
    ok(s.update(kOrg, id, json{{"email", "ADA@EXAMPLE.com"}}));  // differs only in case: a no-op
    EXPECT_TRUE(get().email_verified);
    EXPECT_EQ(get().email, "ada@example.com");
    ok(s.update(kOrg, id, json{{"email", "lovelace@example.com"}}));
    EXPECT_FALSE(get().email_verified);
    EXPECT_EQ(get().members[0].email, "lovelace@example.com");
    ok(s.update(kOrg, id, json{{"email", nullptr}}));  // ignored
    EXPECT_EQ(get().email, "lovelace@example.com");
}

TEST_F(Update, NameNullClearsIt) {
    ok(s.update(kOrg, id, json{{"name", nullptr}}));
    EXPECT_FALSE(get().name);
}

TEST_F(Update, BillingAddressCannotBeResetToNull) {
    auto r = s.update(kOrg, id, json{{"billing_address", nullptr}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "billing_address"}), "Customer billing address cannot be reset to null once set."));
    EXPECT_TRUE(get().billing_address);
    // The same for a customer that never had an address: null is refused, not a no-op.
    const std::string bare = ok(s.create(kOrg, json{{"email", "bare@example.com"}})).id;
    auto none = s.update(kOrg, bare, json{{"billing_address", nullptr}});
    ASSERT_FALSE(none);
    EXPECT_TRUE(has_problem(none.error(), json::array({"body", "billing_address"}), "cannot be reset to null"));
    EXPECT_EQ(ok(s.get(kOrg, bare)).modified_at, std::nullopt);
}

TEST_F(Update, TaxIdNullClearsAndChangingTheAddressRevalidatesIt) {
    auto moved = s.update(kOrg, id, json{{"billing_address", {{"country", "US"}}}});  // an FR VAT number is no US tax ID
    ASSERT_FALSE(moved);
    EXPECT_TRUE(has_problem(moved.error(), json::array({"body", "tax_id"}), "Invalid tax ID."));
    EXPECT_EQ(get().billing_address->country, "FR");
    ok(s.update(kOrg, id, json{{"tax_id", nullptr}}));
    EXPECT_FALSE(get().tax_id);
    ok(s.update(kOrg, id, json{{"billing_address", {{"country", "DE"}}}, {"tax_id", "DE136695976"}}));
    EXPECT_EQ(get().tax_id->format, "eu_vat");
    // As Polar (stdnum.eu.vat), an EU address takes any member state's VAT number, named by its own prefix.
    ok(s.update(kOrg, id, json{{"tax_id", "FR40303265045"}}));
    EXPECT_EQ(get().tax_id->value, "FR40303265045");
}

TEST_F(Update, ExternalIdCanBeSetOnceThenNeverChanged) {
    ok(s.update(kOrg, id, json{{"external_id", "u1"}}));
    EXPECT_EQ(get().external_id, "u1");
    ok(s.update(kOrg, id, json{{"external_id", "u1"}}));  // the same value is accepted
    for (json v : {json("u2"), json(nullptr)}) {
        auto r = s.update(kOrg, id, json{{"external_id", v}});
        ASSERT_FALSE(r);
        EXPECT_TRUE(has_problem(r.error(), json::array({"body", "external_id"}), "Customer external ID cannot be updated."));
    }
    EXPECT_EQ(get().external_id, "u1");
}

TEST_F(Update, ExternalIdMustStayUnique) {
    ok(s.create(kOrg, json{{"email", "b@example.com"}, {"external_id", "taken"}}));
    auto r = s.update(kOrg, id, json{{"external_id", "taken"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "external_id"}), "A customer with this external ID already exists."));
}

TEST_F(Update, EmailMustStayUnique) {
    ok(s.create(kOrg, json{{"email", "b@example.com"}}));
    auto r = s.update(kOrg, id, json{{"email", "B@example.com"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "email"}), "already exists"));
}

TEST_F(Update, TypeCanOnlyGoFromIndividualToTeam) {
    ok(s.update(kOrg, id, json{{"type", "team"}}));
    EXPECT_EQ(get().type, CustomerType::Team);
    auto r = s.update(kOrg, id, json{{"type", "individual"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "type"}), "Customer type cannot be downgraded from 'team' to 'individual'."));
}

TEST_F(Update, MetadataReplacesTheWholeObject) {
    ok(s.update(kOrg, id, json{{"metadata", {{"a", 1}, {"b", "x"}}}}));
    ok(s.update(kOrg, id, json{{"metadata", {{"c", true}}}}));
    EXPECT_EQ(get().metadata, (json{{"c", true}}));
}

TEST_F(Update, OneBrokenRuleChangesNothing) {
    const std::string before = fingerprint(s);
    auto r = s.update(kOrg, id, json{{"name", "New Name"}, {"metadata", {{"a", 1}}}, {"billing_address", nullptr}});
    ASSERT_FALSE(r);
    EXPECT_EQ(fingerprint(s), before);
    EXPECT_EQ(get().name, "Ada");
}

TEST_F(Update, NoChangeMeansNoEventAndNoModifiedAt) {
    const auto seq = s.events().last_seq();
    ok(s.update(kOrg, id, json{{"name", "Ada"}}));
    EXPECT_EQ(s.events().last_seq(), seq);
    EXPECT_FALSE(get().modified_at);
}

TEST_F(Update, AnotherOrganizationsCustomerIsNotFound) {
    auto r = s.update(kOtherOrg, id, json{{"name", "x"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
}

TEST_F(Update, AnIndividualsOwnerFollowingTheNewEmailIsAMemberUpdateToo) {
    const auto seq = s.events().last_seq();
    const Customer updated = ok(s.update(kOrg, id, json{{"email", "moved@example.com"}}));
    std::vector<std::string> types;
    for (const auto& e : s.events().since(seq, kOrg)) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"customer.updated", "member.updated", "customer.state_changed"}));
    const json member = json::parse(s.events().since(seq, kOrg)[1].data);
    EXPECT_EQ(member["email"], "moved@example.com");
    EXPECT_EQ(member["modified_at"], format_rfc3339(*updated.modified_at)) << "the member's own modified_at orders it for a replica";
    const auto seq2 = s.events().last_seq();
    ok(s.update(kOrg, id, json{{"name", "Only the name"}}));
    types.clear();
    for (const auto& e : s.events().since(seq2, kOrg)) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"customer.updated", "customer.state_changed"}));
}
