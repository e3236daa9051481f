// Customer state (spec §6) and automatic creation from checkouts, orders and subscriptions.
#include "test_support.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
struct State : ::testing::Test {
    Store s = make_store();
    std::string id;
    void SetUp() override { id = ok(s.create(kOrg, json{{"email", "a@example.com"}})).id; }
    json state() { return ok(s.state(kOrg, id)); }
};
}  // namespace

TEST_F(State, ShapeOfAnEmptyState) {
    json st = state();
    EXPECT_EQ(st["id"], id);
    EXPECT_EQ(st["email"], "a@example.com");
    EXPECT_EQ(st["active_subscriptions"], json::array());
    EXPECT_EQ(st["granted_benefits"], json::array());
    EXPECT_EQ(st["active_meters"], json::array());
}

TEST_F(State, SubscriptionsGrantsAndMetersAppearAndCacheIsDropped) {
    json before = state();
    const Subscription sub = ok(s.record_subscription(kOrg, json{{"customer_id", id}, {"product_id", "pro"}, {"amount", 900}, {"currency", "eur"}}));
    const std::string sub_id = sub.id;
    json st = state();
    ASSERT_EQ(st["active_subscriptions"].size(), 1u);
    const json& js = st["active_subscriptions"][0];
    for (const char* key : {"id", "created_at", "modified_at", "metadata", "status", "amount", "currency", "recurring_interval",
                            "current_period_start", "current_period_end", "trial_start", "trial_end", "cancel_at_period_end",
                            "canceled_at", "started_at", "ends_at", "product_id", "discount_id", "meters"})
        EXPECT_TRUE(js.contains(key)) << key;
    EXPECT_EQ(js["amount"], 900);
    ok(s.grant_benefit(kOrg, id, json{{"benefit_id", "b1"}, {"benefit_type", "license_keys"}}));
    ok(s.record_meter(kOrg, id, json{{"meter_id", "m1"}, {"credited_units", 100}, {"consumed_units", 30}}));
    ok(s.record_meter(kOrg, id, json{{"meter_id", "m1"}, {"consumed_units", 20}}));
    st = state();
    EXPECT_EQ(st["granted_benefits"][0]["benefit_type"], "license_keys");
    ASSERT_EQ(st["active_meters"].size(), 1u);
    EXPECT_EQ(st["active_meters"][0]["balance"], 50.0);
    ok(s.update_subscription(kOrg, sub_id, json{{"status", "canceled"}}));
    EXPECT_EQ(state()["active_subscriptions"].size(), 0u);
}

TEST_F(State, EveryChangeEmitsStateChanged) {
    auto seq = s.events().last_seq();
    ok(s.record_subscription(kOrg, json{{"customer_id", id}, {"product_id", "pro"}}));
    auto events = s.events().since(seq, kOrg);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, "customer.state_changed");
    EXPECT_EQ(json::parse(events[0].data)["active_subscriptions"].size(), 1u);
}

TEST_F(State, CheckoutReusesTheCustomerAndVerifiesTheEmail) {
    const Customer c = ok(s.record_checkout(kOrg, json{{"email", "A@Example.com"}}));
    EXPECT_EQ(c.id, id);
    EXPECT_TRUE(c.email_verified);
    const Customer fresh = ok(s.record_checkout(kOrg, json{{"email", "new@example.com"}, {"name", "New"}}));
    EXPECT_NE(fresh.id, id);
    EXPECT_TRUE(fresh.email_verified);
}

TEST_F(State, CheckoutWithAUsAddressNeedsAState) {
    const size_t n = s.size();
    auto r = s.record_checkout(kOrg, json{{"email", "us@example.com"}, {"billing_address", {{"country", "US"}}}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "billing_address", "state"}), "State is required"));
    EXPECT_EQ(s.size(), n);
}

TEST_F(State, OrdersAndSubscriptionsCreateUnverifiedCustomers) {
    const Customer c = ok(s.record_order(kOrg, json{{"email", "buyer@example.com"}}));
    EXPECT_FALSE(c.email_verified);
    const Subscription sub = ok(s.record_subscription(kOrg, json{{"customer", {{"email", "subscriber@example.com"}}}, {"product_id", "p"}}));
    auto found = ok(s.list({kOrg}, json{{"email", "subscriber@example.com"}}));
    ASSERT_EQ(found.total_count, 1u);
    EXPECT_EQ(found.items[0].subscriptions[0].id, sub.id);
}

TEST_F(State, ABadSubscriptionCreatesNoCustomer) {
    const size_t n = s.size();
    auto r = s.record_subscription(kOrg, json{{"customer", {{"email", "x@example.com"}}}, {"product_id", "p"}, {"status", "bogus"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(s.size(), n);
}
