// A replica of a Polar organization (domain/replica, spec §9): Polar's records kept as given, each webhook
// id once, older records and late updates of deleted customers ignored, members of unknown customers left
// for Polar's retry, events only for a change.
#include "test_support.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
// A customer as Polar's API writes it (this store's own API JSON has Polar's shape), with its members.
json polar_customer(const std::string& id, const std::string& email, const std::string& modified_at) {
    return json{{"id", id},
                {"organization_id", kOrg},
                {"created_at", "2025-03-01T10:00:00Z"},
                {"modified_at", modified_at},
                {"deleted_at", nullptr},
                {"email", email},
                {"email_verified", true},
                {"name", "Ada"},
                {"billing_name", nullptr},
                {"billing_address", nullptr},
                {"tax_id", nullptr},
                {"external_id", "u-" + id.substr(0, 4)},
                {"avatar_url", nullptr},
                {"metadata", json::object()},
                {"type", "individual"},
                {"locale", nullptr},
                {"default_payment_method_id", nullptr}};
}

json polar_member(const std::string& id, const std::string& customer_id, const std::string& email, const std::string& modified_at) {
    return json{{"id", id},           {"customer_id", customer_id}, {"email", email},         {"name", nullptr},
                {"external_id", nullptr}, {"role", "owner"},       {"created_at", "2025-03-01T10:00:00Z"}, {"modified_at", modified_at}};
}

const std::string kId = "0b5c5f0e-6a0c-4c2f-9a53-3c1c4b8f2a11";
const std::string kMember = "9f1d2c3b-4a5e-4f60-8b71-2c3d4e5f6a7b";

json apply(Api& api, const std::string& type, const json& data, const std::string& webhook_id = "", std::optional<int64_t> at = std::nullopt) {
    json args = {{"type", type}, {"data", data}};
    if (!webhook_id.empty()) args["webhook_id"] = webhook_id;
    if (at) args["timestamp"] = *at;
    return call(api, "replica.apply", args);
}
}  // namespace

TEST(Replica, APulledCustomerKeepsPolarsIdsTimestampsAndMembers) {
    Api api(make_store());
    json customer = polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z");
    customer["members"] = json::array({polar_member(kMember, kId, "ada@example.com", "2025-03-01T10:00:00Z")});
    const json r = apply(api, "customer.pulled", customer);
    ASSERT_EQ(r["ok"], true) << r.dump();
    EXPECT_EQ(r["value"], (json{{"applied", true}, {"id", kId}}));
    const json got = call(api, "customers.get", {{"id", kId}})["value"];
    EXPECT_EQ(got["created_at"], "2025-03-01T10:00:00.000Z") << "Polar's instants, written to the millisecond";
    EXPECT_EQ(got["modified_at"], "2025-04-01T00:00:00.000Z");
    EXPECT_EQ(got["email_verified"], true);
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["value"]["customer_id"], kId);
    EXPECT_EQ(call(api, "customers.list", {{"query", {{"query", "ada"}}}})["value"]["pagination"]["total_count"], 1) << "indexed";
}

TEST(Replica, ACustomerWithoutMembersIsPolarsTruthToo) {
    Api api(make_store());
    EXPECT_EQ(apply(api, "customer.created", polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z"), "msg_1", 100)["value"]["applied"], true);
    EXPECT_EQ(call(api, "customers.get", {{"id", kId}})["value"]["email"], "ada@example.com");
}

TEST(Replica, EachWebhookIdIsAppliedOnce) {
    Api api(make_store());
    ASSERT_EQ(apply(api, "customer.created", polar_customer(kId, "a@example.com", "2025-04-01T00:00:00Z"), "msg_1", 100)["value"]["applied"], true);
    const json again = apply(api, "customer.updated", polar_customer(kId, "b@example.com", "2025-05-01T00:00:00Z"), "msg_1", 100)["value"];
    EXPECT_EQ(again["applied"], false);
    EXPECT_EQ(again["reason"], "duplicate");
    EXPECT_EQ(call(api, "customers.get", {{"id", kId}})["value"]["email"], "a@example.com");
}

TEST(Replica, AnOlderRecordNeverReplacesANewerOne) {
    Api api(make_store());
    ASSERT_EQ(apply(api, "customer.updated", polar_customer(kId, "new@example.com", "2025-05-01T00:00:00Z"), "msg_2", 200)["value"]["applied"], true);
    const json older = apply(api, "customer.updated", polar_customer(kId, "old@example.com", "2025-04-01T00:00:00Z"), "msg_1", 100)["value"];
    EXPECT_EQ(older["reason"], "stale");
    // The same modified_at: the webhook's timestamp orders them.
    const json same_older = apply(api, "customer.updated", polar_customer(kId, "tie@example.com", "2025-05-01T00:00:00Z"), "msg_0", 50)["value"];
    EXPECT_EQ(same_older["reason"], "stale");
    EXPECT_EQ(call(api, "customers.get", {{"id", kId}})["value"]["email"], "new@example.com");
    EXPECT_EQ(apply(api, "customer.updated", polar_customer(kId, "tie@example.com", "2025-05-01T00:00:00Z"), "msg_3", 300)["value"]["applied"], true);
    EXPECT_EQ(call(api, "customers.get", {{"id", kId}})["value"]["email"], "tie@example.com");
}

TEST(Replica, ADeletedCustomerIsNeverBroughtBackAndKeepsPolarsAnonymizedForm) {
    Api api(make_store());
    ASSERT_EQ(apply(api, "customer.created", polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z"), "msg_1", 100)["value"]["applied"], true);
    json deleted = polar_customer(kId, kId + "@anonymized.polar.sh", "2025-06-01T00:00:00Z");
    deleted["deleted_at"] = "2025-06-01T00:00:00Z";
    deleted["name"] = nullptr;
    deleted["external_id"] = nullptr;
    deleted["metadata"] = {{"__external_id", "u-0b5c"}, {"__anonymized_at", "2025-06-01T00:00:00Z"}};
    const json r = apply(api, "customer.deleted", deleted, "msg_3", 300);
    ASSERT_EQ(r["value"]["applied"], true) << r.dump();
    const json late = apply(api, "customer.updated", polar_customer(kId, "ada@example.com", "2025-07-01T00:00:00Z"), "msg_2", 200)["value"];
    EXPECT_EQ(late["applied"], false);
    EXPECT_EQ(late["reason"], "deleted");
    const json line = json::parse(call(api, "snapshot.export", json::object())["value"].get<std::string>());
    EXPECT_EQ(line["email"], kId + "@anonymized.polar.sh") << "Polar's form kept";
    EXPECT_TRUE(line.contains("anonymized_at")) << "Polar's __anonymized_at sets the record's anonymized state";
    EXPECT_EQ(call(api, "customers.get", {{"id", kId}})["status"], 404);
    // The same reserved keys from a caller stay refused.
    const json forged = call(api, "customers.create", {{"body", {{"email", "x@example.com"}, {"metadata", {{"__anonymized_at", "x"}}}}}});
    EXPECT_EQ(forged["status"], 422);
}

TEST(Replica, AMemberOfACustomerNotHeldWaitsForPolarsRetry) {
    Api api(make_store());
    const json early = apply(api, "member.created", polar_member(kMember, kId, "dev@example.com", "2025-04-02T00:00:00Z"), "msg_m", 150)["value"];
    EXPECT_EQ(early["applied"], false);
    EXPECT_EQ(early["reason"], "unknown_customer");
    ASSERT_EQ(apply(api, "customer.created", polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z"), "msg_c", 100)["value"]["applied"], true);
    EXPECT_EQ(apply(api, "member.created", polar_member(kMember, kId, "dev@example.com", "2025-04-02T00:00:00Z"), "msg_m", 150)["value"]["applied"], true)
        << "the retry of the same delivery applies";
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["value"]["email"], "dev@example.com");
    const json stale = apply(api, "member.updated", polar_member(kMember, kId, "old@example.com", "2025-04-01T12:00:00Z"), "msg_old", 120)["value"];
    EXPECT_EQ(stale["reason"], "stale");
    ASSERT_EQ(apply(api, "member.deleted", polar_member(kMember, kId, "dev@example.com", "2025-04-03T00:00:00Z"), "msg_d", 160)["value"]["applied"], true);
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["status"], 404);
}

TEST(Replica, EventsAreEmittedOnlyForAChange) {
    Api api(make_store());
    const json customer = polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z");
    ASSERT_EQ(apply(api, "customer.pulled", customer)["value"]["applied"], true);
    json events = call(api, "events.since", {{"after", 0}})["value"];
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0]["type"], "customer.created");
    EXPECT_EQ(events[1]["type"], "customer.state_changed");
    ASSERT_EQ(apply(api, "customer.pulled", customer)["value"]["applied"], true);
    EXPECT_EQ(call(api, "events.since", {{"after", 0}})["value"].size(), 2u) << "a resync of an unchanged record says nothing";
    json renamed = customer;
    renamed["name"] = "Ada L.";
    renamed["modified_at"] = "2025-04-02T00:00:00Z";
    ASSERT_EQ(apply(api, "customer.updated", renamed, "msg_u", 10)["value"]["applied"], true);
    events = call(api, "events.since", {{"after", 2}})["value"];
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0]["type"], "customer.updated");
    EXPECT_EQ(events[0]["data"]["name"], "Ada L.");
}

TEST(Replica, BadInputNamesTheFieldAndChangesNothing) {
    Api api(make_store());
    EXPECT_EQ(apply(api, "order.created", json::object())["error"]["detail"][0]["loc"], json::array({"type"}));
    EXPECT_EQ(apply(api, "customer.created", json::array())["error"]["detail"][0]["loc"], json::array({"data"}));
    json other = polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z");
    other["organization_id"] = kOtherOrg;
    const json r = apply(api, "customer.created", other, "msg_x", 1);
    ASSERT_EQ(r["status"], 422);
    EXPECT_EQ(r["error"]["detail"][0]["loc"], json::array({"data", "organization_id"}));
    json bad_email = polar_customer(kId, "not an email", "2025-04-01T00:00:00Z");
    EXPECT_EQ(apply(api, "customer.created", bad_email, "msg_y", 1)["error"]["detail"][0]["loc"], json::array({"data", "email"}));
    EXPECT_EQ(call(api, "snapshot.export", json::object())["value"], "");
    EXPECT_EQ(apply(api, "customer.created", polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z"), "msg_x", 1)["value"]["applied"], true)
        << "a refused delivery is not marked as applied";
}

TEST(Replica, AMemberDeletedBeforeItsCreationArrivesStaysDeleted) {
    Api api(make_store());
    ASSERT_EQ(apply(api, "customer.created", polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z"), "msg_c", 100)["value"]["applied"], true);
    EXPECT_EQ(apply(api, "member.deleted", polar_member(kMember, kId, "dev@example.com", "2025-04-03T00:00:00Z"), "msg_d", 300)["value"]["applied"], true);
    const json late = apply(api, "member.created", polar_member(kMember, kId, "dev@example.com", "2025-04-02T00:00:00Z"), "msg_m", 200)["value"];
    EXPECT_EQ(late["applied"], false);
    EXPECT_EQ(late["reason"], "deleted");
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["status"], 404);
}

TEST(Replica, ACreationNeverReplacesARecordHeldEvenWhenTheirTimesTie) {
    Api api(make_store());
    json updated = polar_customer(kId, "new@example.com", "2025-03-01T10:00:00Z");  // modified when created
    ASSERT_EQ(apply(api, "customer.updated", updated, "msg_u", 100)["value"]["applied"], true);
    json created = polar_customer(kId, "first@example.com", "2025-03-01T10:00:00Z");
    created["modified_at"] = nullptr;
    EXPECT_EQ(apply(api, "customer.created", created, "msg_c", 100)["value"]["reason"], "stale");
    EXPECT_EQ(call(api, "customers.get", {{"id", kId}})["value"]["email"], "new@example.com");
    json member = polar_member(kMember, kId, "dev@example.com", "2025-03-01T10:00:00Z");
    member["role"] = "member";
    ASSERT_EQ(apply(api, "member.updated", member, "msg_mu", 100)["value"]["applied"], true);
    json first = member;
    first["modified_at"] = nullptr;
    first["role"] = "owner";
    EXPECT_EQ(apply(api, "member.created", first, "msg_mc", 100)["value"]["reason"], "stale");
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["value"]["role"], "member");
}

TEST(Replica, AnIndividualsOwnerTakesTheNewEmailOfItsCustomer) {
    Api api(make_store());
    json customer = polar_customer(kId, "ada@example.com", "2025-04-01T00:00:00Z");
    customer["members"] = json::array({polar_member(kMember, kId, "ada@example.com", "2025-03-01T10:00:00Z")});
    ASSERT_EQ(apply(api, "customer.pulled", customer)["value"]["applied"], true);
    ASSERT_EQ(apply(api, "customer.updated", polar_customer(kId, "moved@example.com", "2025-05-01T00:00:00Z"), "msg_u", 10)["value"]["applied"], true);
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["value"]["email"], "moved@example.com") << "spec §3, as the upstream applies it";
}

TEST(Replica, AnOwnerDeliveredAfterItsCustomersEmailChangeTakesTheNewEmail) {
    Api api(make_store());
    ASSERT_EQ(apply(api, "customer.created", polar_customer(kId, "ada@example.com", "2025-03-01T10:00:00Z"), "msg_c", 100)["value"]["applied"], true);
    ASSERT_EQ(apply(api, "customer.updated", polar_customer(kId, "moved@example.com", "2025-05-01T00:00:00Z"), "msg_u", 300)["value"]["applied"], true);
    json owner = polar_member(kMember, kId, "ada@example.com", "2025-03-01T10:00:00Z");
    owner["modified_at"] = nullptr;
    ASSERT_EQ(apply(api, "member.created", owner, "msg_m", 100)["value"]["applied"], true);
    EXPECT_EQ(call(api, "members.get", {{"id", kMember}})["value"]["email"], "moved@example.com");
}
