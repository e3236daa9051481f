// Deletion and anonymization (spec §5): order of effects, soft delete, the anonymization table,
// idempotence, and that no personal data survives in records, indexes or stored events.
#include "test_support.hpp"

#include "domain/anonymize.hpp"
#include "util/sha256.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
struct DeletionTest : ::testing::Test {
    Store s = make_store();
    std::string id;
    void SetUp() override {
        id = ok(s.create(kOrg, json{{"email", "Grace.Hopper@Navy.mil"}, {"name", "Grace Hopper"}, {"billing_name", "G. Hopper"},
                                    {"external_id", "gh-1"}, {"metadata", {{"tier", "gold"}}},
                                    {"billing_address", {{"country", "US"}, {"state", "VA"}, {"line1", "1 Cobol Way"}, {"city", "Arlington"}, {"postal_code", "22201"}}}})).id;
        ok(s.record_subscription(kOrg, json{{"customer_id", id}, {"product_id", "pro"}, {"amount", 1000}}));
        ok(s.grant_benefit(kOrg, id, json{{"benefit_id", "b1"}}));
    }
};

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }
}  // namespace

TEST_F(DeletionTest, SoftDeleteCancelsRevokesHidesAndFreesTheExternalId) {
    const auto seq = s.events().last_seq();
    Customer after = ok(s.remove(kOrg, id, false));
    EXPECT_TRUE(after.deleted_at);
    EXPECT_EQ(after.subscriptions[0].status, "canceled");
    EXPECT_TRUE(after.subscriptions[0].canceled_at);
    EXPECT_TRUE(after.grants[0].revoked_at);
    EXPECT_TRUE(after.members[0].deleted_at);
    EXPECT_FALSE(after.external_id);
    EXPECT_EQ(after.metadata["__external_id"], "gh-1");
    EXPECT_EQ(after.email, "Grace.Hopper@navy.mil");  // data kept without anonymize
    EXPECT_FALSE(s.get(kOrg, id));
    EXPECT_FALSE(s.get_external(kOrg, "gh-1"));
    EXPECT_EQ(ok(s.list({kOrg}, json::object())).total_count, 0u);
    std::vector<std::string> types;
    for (const auto& e : s.events().since(seq, kOrg)) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"member.deleted", "customer.deleted", "customer.state_changed"}));
    // The email and external id can be used again.
    EXPECT_TRUE(s.create(kOrg, json{{"email", "grace.hopper@navy.mil"}, {"external_id", "gh-1"}}));
}

TEST_F(DeletionTest, SecondDeleteIsNotFound) {
    ok(s.remove(kOrg, id, false));
    auto again = s.remove(kOrg, id, false);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::NotFound);
    EXPECT_FALSE(s.remove(kOtherOrg, id, true));
}

TEST_F(DeletionTest, AnonymizeAppliesTheTable) {
    Customer after = ok(s.remove(kOrg, id, true));
    EXPECT_EQ(after.email, sha256_hex(id) + "@anonymized.invalid");
    EXPECT_FALSE(after.email_verified);
    EXPECT_EQ(after.name, "[deleted]");
    EXPECT_EQ(after.billing_name, "[deleted]");
    EXPECT_FALSE(after.billing_address);
    EXPECT_TRUE(after.metadata.contains("__anonymized_at"));
    EXPECT_EQ(after.metadata["tier"], "gold");
    EXPECT_EQ(after.metadata["__external_id"], "gh-1");
}

TEST_F(DeletionTest, AnonymizeKeepsTheNameOfABusiness) {
    const std::string biz = ok(s.create(kOrg, json{{"email", "vat@acme.fr"}, {"name", "Acme SAS"},
                                                   {"billing_address", {{"country", "FR"}}}, {"tax_id", "FR40303265045"}})).id;
    Customer after = ok(s.remove(kOrg, biz, true));
    EXPECT_EQ(after.name, "Acme SAS");
    EXPECT_EQ(after.tax_id->value, "FR40303265045");
}

TEST_F(DeletionTest, AnonymizingAgainIsANoOpThatSucceeds) {
    Customer first = ok(s.remove(kOrg, id, true));
    const auto seq = s.events().last_seq();
    Customer second = ok(s.remove(kOrg, id, true));
    EXPECT_EQ(to_json(first), to_json(second));
    EXPECT_EQ(s.events().last_seq(), seq);
}

TEST_F(DeletionTest, AnonymizingAfterAPlainDeleteWorks) {
    ok(s.remove(kOrg, id, false));
    Customer after = ok(s.remove(kOrg, id, true));
    EXPECT_EQ(after.name, "[deleted]");
}

TEST_F(DeletionTest, NoPersonalDataSurvivesInRecordsIndexesOrEvents) {
    ok(s.update(kOrg, id, json{{"name", "Grace B. Hopper"}}));
    ok(s.remove(kOrg, id, true));
    std::string everything;
    for (const auto& e : s.events().since(0, kOrg)) everything += to_json(e).dump();
    Customer rec = ok(s.remove(kOrg, id, true));
    everything += to_json(rec).dump();
    for (const auto& m : rec.members) everything += to_json(m).dump();
    for (const char* pii : {"Hopper", "hopper", "navy.mil", "Cobol", "Arlington", "22201", "G. Hopper"})
        EXPECT_FALSE(contains(everything, pii)) << pii;
    // Not findable through any index or search either.
    EXPECT_EQ(ok(s.list({kOrg}, json{{"email", "grace.hopper@navy.mil"}})).total_count, 0u);
    EXPECT_EQ(ok(s.list({kOrg}, json{{"query", "hopper"}})).total_count, 0u);
}

// "Is anonymized" is a field of the record that only anonymization sets; the `__` metadata keys the core
// writes (spec §5) cannot be written by a caller, so they cannot be forged to skip anonymization.
TEST_F(DeletionTest, ReservedMetadataKeysAreRefusedOnCreateAndUpdate) {
    for (const char* key : {"__anonymized_at", "__external_id", "__anything"}) {
        const json metadata = {{key, "2026-01-01T00:00:00Z"}};
        auto created = s.create(kOrg, json{{"email", "forger@example.com"}, {"metadata", metadata}});
        ASSERT_FALSE(created) << key;
        EXPECT_TRUE(has_problem(created.error(), json::array({"body", "metadata", key, "[key]"}), "reserved")) << key;
        auto updated = s.update(kOrg, id, json{{"metadata", metadata}});
        ASSERT_FALSE(updated) << key;
        EXPECT_TRUE(has_problem(updated.error(), json::array({"body", "metadata", key, "[key]"}), "reserved")) << key;
        auto sub = s.record_subscription(kOrg, json{{"customer_id", id}, {"product_id", "p"}, {"metadata", metadata}});
        EXPECT_FALSE(sub) << key;
    }
    EXPECT_EQ(ok(s.get(kOrg, id)).metadata, (json{{"tier", "gold"}})) << "nothing written";
    EXPECT_EQ(ok(s.list({kOrg}, json{{"email", "forger@example.com"}})).total_count, 0u);
    // A single underscore is an ordinary key.
    EXPECT_TRUE(s.update(kOrg, id, json{{"metadata", {{"_tier", "x"}}}}));
}

TEST_F(DeletionTest, AnonymizedIsARecordFieldThatSurvivesASnapshot) {
    EXPECT_FALSE(ok(s.get(kOrg, id)).anonymized_at);
    Customer after = ok(s.remove(kOrg, id, true));
    ASSERT_TRUE(after.anonymized_at);
    EXPECT_EQ(after.metadata["__anonymized_at"], format_rfc3339(*after.anonymized_at));
    Store copy = make_store();
    ASSERT_TRUE(copy.import_snapshot(kOrg, s.export_snapshot(kOrg), true));
    const json line = json::parse(copy.export_snapshot(kOrg));
    EXPECT_EQ(line["anonymized_at"], format_rfc3339(*after.anonymized_at));
    Customer again = ok(copy.remove(kOrg, id, true));  // anonymizing again: a no-op that succeeds
    EXPECT_EQ(again.anonymized_at, after.anonymized_at);
    EXPECT_EQ(again.email, after.email);
}

// An import applies the same rule: reserved keys only where the core writes them (a deleted record), and a
// line marked anonymized (by the field, or by an older line's `__anonymized_at`) holds no personal data,
// whatever it says.
TEST_F(DeletionTest, AnImportCannotForgeAnonymization) {
    const std::string live = s.export_snapshot(kOrg);
    json line = json::parse(live);
    for (const char* key : {"__anonymized_at", "__external_id", "__x"}) {
        json forged = line;
        forged["metadata"][key] = "2026-01-01T00:00:00.000Z";
        Store b = make_store();
        auto r = b.import_snapshot(kOrg, forged.dump(), true);
        ASSERT_FALSE(r) << key;
        EXPECT_TRUE(has_problem(r.error(), json::array({"line", 1, "metadata", key, "[key]"}), "reserved")) << key;
    }
    json marked = line;
    marked["anonymized_at"] = "2026-01-01T00:00:00.000Z";
    EXPECT_FALSE(make_store().import_snapshot(kOrg, marked.dump(), true)) << "a live record cannot be anonymized";

    // A deleted record marked anonymized (the old way) that still carries personal data loads redacted.
    json old_style = line;
    old_style["deleted_at"] = "2026-01-02T00:00:00.000Z";
    old_style["metadata"]["__anonymized_at"] = "2026-01-02T00:00:00.000Z";
    old_style.erase("external_id");
    Store b = make_store();
    ASSERT_TRUE(b.import_snapshot(kOrg, old_style.dump(), true));
    const std::string out = b.export_snapshot(kOrg);
    for (const char* personal : {"Grace", "Hopper", "Navy", "Cobol", "Arlington", "22201"})
        EXPECT_FALSE(contains(out, personal)) << personal;
    const json loaded = json::parse(out);
    EXPECT_EQ(loaded["email"], sha256_hex(id) + "@anonymized.invalid");
    EXPECT_EQ(loaded["anonymized_at"], "2026-01-02T00:00:00.000Z");
}

// A record anonymized elsewhere (another tab's store) and loaded over this one in replace mode redacts the
// events this store still holds about the customer, as anonymizing here does.
TEST_F(DeletionTest, ReplacingWithAnAnonymizedRecordRedactsTheHeldEvents) {
    Store other = make_store();
    ASSERT_TRUE(other.import_snapshot(kOrg, s.export_snapshot(kOrg), true));
    ok(other.remove(kOrg, id, true));
    const auto held = [&] {
        std::string all;
        for (const auto& e : s.events().since(0, kOrg)) all += e.data;
        return all;
    };
    ASSERT_TRUE(contains(held(), "Grace")) << "the events hold the data before";
    const uint64_t erasures = s.erasures();
    ASSERT_TRUE(s.import_snapshot(kOrg, other.export_snapshot(kOrg), ImportOptions{true, true}));
    for (const char* personal : {"Grace", "Hopper", "Navy", "Cobol", "Arlington"}) EXPECT_FALSE(contains(held(), personal)) << personal;
    EXPECT_EQ(s.erasures(), erasures + 1) << "the binding clears the stack after this call";
}
