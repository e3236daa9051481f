// Team members (spec §2): owner rules, roles, uniqueness, individuals, seats, events.
#include "test_support.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
struct MembersTest : ::testing::Test {
    Store s = make_store();
    std::string team;
    void SetUp() override {
        team = ok(s.create(kOrg, json{{"type", "team"}, {"email", "billing@acme.io"}, {"name", "Acme"},
                                      {"owner", {{"email", "boss@acme.io"}, {"name", "Boss"}}}})).id;
    }
    Member add(const std::string& email, const std::string& role = "member") {
        return ok(s.add_member(kOrg, team, json{{"email", email}, {"role", role}}));
    }
    std::string owner_id() { return ok(s.members(kOrg, team))[0].id; }
};
}  // namespace

TEST_F(MembersTest, AddListAndDefaultRole) {
    const Member& m = ok(s.add_member(kOrg, team, json{{"email", "dev@acme.io"}, {"name", "Dev"}}));
    EXPECT_EQ(m.role, MemberRole::Member);
    EXPECT_EQ(m.customer_id, team);
    auto all = ok(s.members(kOrg, team));
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].role, MemberRole::Owner);
    EXPECT_EQ(all[0].email, "boss@acme.io");
}

TEST_F(MembersTest, SameEmailReturnsTheExistingMember) {
    const std::string first = add("dev@acme.io").id;
    const auto seq = s.events().last_seq();
    EXPECT_EQ(add("DEV@acme.io").id, first);
    EXPECT_EQ(ok(s.members(kOrg, team)).size(), 2u);
    EXPECT_EQ(s.events().last_seq(), seq);
}

TEST_F(MembersTest, NewMembersCannotBeOwners) {
    auto r = s.add_member(kOrg, team, json{{"email", "x@acme.io"}, {"role", "owner"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Validation);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "role"}), "promote"));
}

TEST_F(MembersTest, MemberExternalIdsAreUniquePerCustomer) {
    ok(s.add_member(kOrg, team, json{{"email", "a@acme.io"}, {"external_id", "m1"}}));
    auto r = s.add_member(kOrg, team, json{{"email", "b@acme.io"}, {"external_id", "m1"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "external_id"}), "already exists"));
}

TEST_F(MembersTest, IndividualsRefuseMoreMembers) {
    const std::string solo = ok(s.create(kOrg, json{{"email", "solo@example.com"}})).id;
    auto r = s.add_member(kOrg, solo, json{{"email", "friend@example.com"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::NotPermitted);
    EXPECT_EQ(r.error().message,
              "Individual customers can only have one member (the owner). Upgrade to a team customer to add more members.");
}

TEST_F(MembersTest, PromotingTransfersOwnership) {
    const std::string old_owner = owner_id();
    const std::string dev = add("dev@acme.io").id;
    ok(s.update_member(kOrg, dev, json{{"role", "owner"}}));
    EXPECT_EQ(ok(s.get_member(kOrg, dev)).role, MemberRole::Owner);
    EXPECT_EQ(ok(s.get_member(kOrg, old_owner)).role, MemberRole::BillingManager);
    int owners = 0;
    for (const auto& m : ok(s.members(kOrg, team))) owners += m.role == MemberRole::Owner;
    EXPECT_EQ(owners, 1);
}

TEST_F(MembersTest, TheOnlyOwnerCannotBeDemotedOrDeleted) {
    const std::string owner = owner_id();
    auto demote = s.update_member(kOrg, owner, json{{"role", "member"}});
    ASSERT_FALSE(demote);
    EXPECT_EQ(demote.error().kind, ErrorKind::NotPermitted);
    auto del = s.remove_member(kOrg, owner);
    ASSERT_FALSE(del);
    EXPECT_EQ(del.error().message, "Cannot delete the only owner. Transfer ownership first.");
    EXPECT_EQ(ok(s.get_member(kOrg, owner)).role, MemberRole::Owner);
}

TEST_F(MembersTest, DeleteHidesTheMemberAndFreesItsEmail) {
    const std::string dev = add("dev@acme.io").id;
    ok(s.remove_member(kOrg, dev));
    EXPECT_FALSE(s.get_member(kOrg, dev));
    EXPECT_EQ(ok(s.members(kOrg, team)).size(), 1u);
    EXPECT_NE(add("dev@acme.io").id, dev);
}

TEST_F(MembersTest, UpdateRefusesAnEmailAnotherMemberHas) {
    add("a@acme.io");
    const std::string b = add("b@acme.io").id;
    auto r = s.update_member(kOrg, b, json{{"email", "A@acme.io"}});
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"body", "email"}), "already exists"));
}

TEST_F(MembersTest, SeatLimitFromSeatBasedSubscriptions) {
    ok(s.record_subscription(kOrg, json{{"customer_id", team}, {"product_id", "seats"}, {"seats", 2}}));
    add("a@acme.io");  // owner + 1 = 2 seats
    auto r = s.add_member(kOrg, team, json{{"email", "b@acme.io"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::NotPermitted);
    EXPECT_NE(r.error().message.find("Seat limit"), std::string::npos);
}

TEST_F(MembersTest, EventsForEachChange) {
    const auto seq = s.events().last_seq();
    const std::string dev = add("dev@acme.io").id;
    ok(s.update_member(kOrg, dev, json{{"name", "Dev"}}));
    ok(s.remove_member(kOrg, dev));
    std::vector<std::string> types;
    for (const auto& e : s.events().since(seq, kOrg)) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"member.created", "member.updated", "member.deleted"}));
}

TEST_F(MembersTest, AnotherOrganizationCannotSeeOrTouchMembers) {
    const std::string owner = owner_id();
    EXPECT_FALSE(s.get_member(kOtherOrg, owner));
    EXPECT_FALSE(s.members(kOtherOrg, team));
    EXPECT_FALSE(s.add_member(kOtherOrg, team, json{{"email", "x@acme.io"}}));
    EXPECT_FALSE(s.update_member(kOtherOrg, owner, json{{"name", "x"}}));
    EXPECT_FALSE(s.remove_member(kOtherOrg, owner));
}
