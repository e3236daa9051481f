// Team members (spec §2): owner rules, roles, uniqueness, individuals, seats, events.
#include <cctype>
#include <functional>

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

TEST_F(MembersTest, TheOnlyOwnerCannotBeDemotedOrDeletedA422AtTheBody) {
    const std::string owner = owner_id();
    add("dev@acme.io");
    const std::string before = fingerprint(s);
    for (const char* role : {"member", "billing_manager"}) {
        auto demote = s.update_member(kOrg, owner, json{{"role", role}});
        ASSERT_FALSE(demote);
        EXPECT_EQ(demote.error().kind, ErrorKind::Validation);
        EXPECT_EQ(detail_of(demote.error()), json::array({{{"type", "value_error"}, {"loc", json::array({"body"})},
                                                           {"msg", "Cannot demote the only owner. Transfer ownership first."}}}));
        EXPECT_EQ(demote.error().detail[0].input, role);
    }
    auto del = s.remove_member(kOrg, owner);
    ASSERT_FALSE(del);
    EXPECT_EQ(del.error().kind, ErrorKind::Validation);
    EXPECT_EQ(detail_of(del.error()), json::array({{{"type", "value_error"}, {"loc", json::array({"body"})},
                                                    {"msg", "Cannot delete the only owner. Transfer ownership first."}}}));
    EXPECT_EQ(del.error().detail[0].input, owner);
    EXPECT_EQ(fingerprint(s), before);
    EXPECT_EQ(ok(s.get_member(kOrg, owner)).role, MemberRole::Owner);
    // Through the JSON entry point: 422 with code "validation" (not 403).
    Api api(std::move(s));
    json args = {{"organization_id", kOrg}, {"id", owner}};
    json r = json::parse(api.call("members.delete", args.dump()));
    EXPECT_EQ(r["status"], 422);
    EXPECT_EQ(r["code"], "validation");
    EXPECT_EQ(r["error"]["detail"][0]["loc"], json::array({"body"}));
}

TEST_F(MembersTest, AnOwnerWhoIsNoLongerTheOwnerCanBeDeleted) {
    const std::string old_owner = owner_id();
    const std::string dev = add("dev@acme.io").id;
    ok(s.update_member(kOrg, dev, json{{"role", "owner"}}));
    ok(s.update_member(kOrg, old_owner, json{{"role", "member"}}));  // a billing manager now: no owner rule
    ok(s.remove_member(kOrg, old_owner));
    EXPECT_EQ(ok(s.members(kOrg, team)).size(), 1u);
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

// Polar's member list (GET /v1/members/): the whole organization, filters, sorting, pages.
namespace {
// An organization's live customers read through the Store's commands (as the Api reads them).
class OrgCustomers final : public CustomerReader {
public:
    OrgCustomers(const Store& s, std::string org) : s_(s), org_(std::move(org)) {}
    Result<Customer> get(std::string_view id) const override { return s_.get(org_, id); }
    Result<Customer> get_external(std::string_view e) const override { return s_.get_external(org_, e); }
    void each(const std::function<void(const Customer&)>& f) const override {
        const Page all = ok(s_.list({org_}, json{{"limit", 100}}));
        for (const Customer& c : all.items) f(c);
    }

private:
    const Store& s_;
    std::string org_;
};

struct MemberListTest : MembersTest {
    std::string other_team, solo, foreign;
    std::vector<std::string> created;  // every live member's id, oldest first
    void SetUp() override {
        MembersTest::SetUp();
        created.push_back(owner_id());
        created.push_back(add("dev@acme.io").id);
        created.push_back(add("money@acme.io", "billing_manager").id);
        other_team = ok(s.create(kOrg, json{{"type", "team"}, {"email", "ops@beta.io"}, {"external_id", "beta"}})).id;
        created.push_back(ok(s.members(kOrg, other_team))[0].id);
        created.push_back(ok(s.add_member(kOrg, other_team, json{{"email", "dev@beta.io"}, {"external_id", "m-dev"}})).id);
        solo = ok(s.create(kOrg, json{{"email", "solo@example.com"}})).id;
        created.push_back(ok(s.members(kOrg, solo))[0].id);
        foreign = ok(s.create(kOtherOrg, json{{"type", "team"}, {"email", "x@other.io"}})).id;
    }
    MemberPage page(json q) { return ok(list_members(OrgCustomers(s, kOrg), q)); }
    static std::vector<std::string> ids(const MemberPage& p) {
        std::vector<std::string> out;
        for (const auto& m : p.items) out.push_back(m.id);
        return out;
    }
    std::vector<std::string> newest_first() const { return {created.rbegin(), created.rend()}; }
};
}  // namespace

TEST_F(MemberListTest, NoFilterListsEveryMemberOfTheOrganizationNewestFirst) {
    const MemberPage all = page(json::object());
    EXPECT_EQ(ids(all), newest_first());
    EXPECT_EQ(all.total_count, 6u);
    EXPECT_EQ(all.max_page, 1u);
    EXPECT_EQ(ids(page({{"sorting", "created_at"}})), created);
    EXPECT_EQ(ids(page({{"sorting", json::array({"-created_at", "created_at"})}})), newest_first());
}

TEST_F(MemberListTest, PagesAndLimits) {
    const MemberPage second = page({{"page", 2}, {"limit", 4}, {"sorting", "created_at"}});
    EXPECT_EQ(ids(second), (std::vector<std::string>{created[4], created[5]}));
    EXPECT_EQ(second.total_count, 6u);
    EXPECT_EQ(second.max_page, 2u);
    EXPECT_TRUE(page({{"page", 9}}).items.empty());
    EXPECT_EQ(page({{"limit", 1000}}).items.size(), 6u);  // read as 100
    auto zero = list_members(OrgCustomers(s, kOrg), json{{"page", 0}});
    ASSERT_FALSE(zero);
    EXPECT_TRUE(has_problem(zero.error(), json::array({"query", "page"}), "greater than or equal to 1"));
}

TEST_F(MemberListTest, FiltersByCustomerExternalCustomerAndRole) {
    EXPECT_EQ(ids(page({{"customer_id", team}, {"sorting", "created_at"}})),
              (std::vector<std::string>{created[0], created[1], created[2]}));
    EXPECT_EQ(ids(page({{"external_customer_id", "beta"}, {"sorting", "created_at"}})),
              (std::vector<std::string>{created[3], created[4]}));
    EXPECT_EQ(ids(page({{"role", "owner"}, {"sorting", "created_at"}})), (std::vector<std::string>{created[0], created[3], created[5]}));
    EXPECT_EQ(ids(page({{"role", "billing_manager"}})), (std::vector<std::string>{created[2]}));
    EXPECT_EQ(ids(page({{"customer_id", team}, {"role", "member"}})), (std::vector<std::string>{created[1]}));
    // Both filters must name the same customer.
    EXPECT_TRUE(page({{"customer_id", team}, {"external_customer_id", "beta"}}).items.empty());
    EXPECT_EQ(page({{"customer_id", other_team}, {"external_customer_id", "beta"}}).total_count, 2u);
}

TEST_F(MemberListTest, ACustomerTheOrganizationCannotSeeListsNothing) {
    for (const json& q : {json{{"customer_id", foreign}}, json{{"customer_id", "00000000-0000-4000-8000-000000000000"}},
                          json{{"external_customer_id", "nobody"}}}) {
        const MemberPage p = page(q);
        EXPECT_TRUE(p.items.empty()) << q.dump();
        EXPECT_EQ(p.total_count, 0u);
        EXPECT_EQ(p.max_page, 0u);
    }
    ok(s.remove(kOrg, other_team, false));
    EXPECT_TRUE(page({{"customer_id", other_team}}).items.empty());
    EXPECT_EQ(page(json::object()).total_count, 4u);  // a deleted customer's members are gone from the list
    // Another organization's list does not see these members.
    EXPECT_EQ(ok(list_members(OrgCustomers(s, kOtherOrg), json::object())).total_count, 1u);
}

TEST_F(MemberListTest, AMalformedCustomerIdIsNotFoundAsPolarAnswers) {
    auto r = list_members(OrgCustomers(s, kOrg), json{{"customer_id", "not-a-uuid"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
    EXPECT_EQ(r.error().message, "Invalid customer ID format");
}

TEST_F(MemberListTest, BadQueriesAnswer422AtTheirName) {
    auto role = list_members(OrgCustomers(s, kOrg), json{{"role", "boss"}});
    ASSERT_FALSE(role);
    EXPECT_EQ(detail_of(role.error()), json::array({{{"type", "enum"}, {"loc", json::array({"query", "role"})}, {"msg", kMemberRoleChoices}}}));
    auto sorting = list_members(OrgCustomers(s, kOrg), json{{"sorting", json::array({"created_at", "email"})}});
    ASSERT_FALSE(sorting);
    EXPECT_EQ(detail_of(sorting.error()),
              json::array({{{"type", "enum"}, {"loc", json::array({"query", "sorting"})}, {"msg", "Invalid sorting criterion."}}}));
    auto extra = list_members(OrgCustomers(s, kOrg), json{{"customerid", team}});
    ASSERT_FALSE(extra);
    EXPECT_TRUE(has_problem(extra.error(), json::array({"query", "customerid"}), "Extra inputs"));
    auto typed = list_members(OrgCustomers(s, kOrg), json{{"customer_id", 5}});
    ASSERT_FALSE(typed);
    EXPECT_EQ(typed.error().detail.at(0).type, "string_type");
}

TEST_F(MemberListTest, OneCustomersRouteListsOnlyItsMembersAndTakesNoCustomerFilter) {
    const Customer c = ok(s.get(kOrg, team));
    EXPECT_EQ(ok(list_members(OrgCustomers(s, kOrg), json{{"role", "member"}}, &c)).items.at(0).id, created[1]);
    EXPECT_EQ(ok(list_members(OrgCustomers(s, kOrg), json::object(), &c)).total_count, 3u);
    auto r = list_members(OrgCustomers(s, kOrg), json{{"customer_id", other_team}}, &c);
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_problem(r.error(), json::array({"query", "customer_id"}), "Extra inputs"));
}

TEST_F(MemberListTest, MembersByTheirCustomerAndByExternalIds) {
    EXPECT_EQ(ok(member_of(OrgCustomers(s, kOrg), team, created[1])).email, "dev@acme.io");
    std::string upper = created[1];
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(ok(member_of(OrgCustomers(s, kOrg), team, upper)).id, created[1]);  // a UUID in either case
    EXPECT_FALSE(member_of(OrgCustomers(s, kOrg), other_team, created[1]));  // another customer's member
    EXPECT_FALSE(member_of(OrgCustomers(s, kOrg), "00000000-0000-4000-8000-000000000000", created[1]));
    EXPECT_EQ(ok(member_by_external_id(OrgCustomers(s, kOrg), "beta", "m-dev")).id, created[4]);
    EXPECT_FALSE(member_by_external_id(OrgCustomers(s, kOrg), "beta", "m-nobody"));
    EXPECT_FALSE(member_by_external_id(OrgCustomers(s, kOrg), "nobody", "m-dev"));
    EXPECT_FALSE(member_by_external_id(OrgCustomers(s, kOtherOrg), "beta", "m-dev"));
    ok(s.remove_member(kOrg, created[4]));
    EXPECT_FALSE(member_by_external_id(OrgCustomers(s, kOrg), "beta", "m-dev"));  // deleted members are not found
}

// The member routes through the JSON entry point: by external ids, and scoped to a customer.
TEST_F(MemberListTest, ExternalAndScopedRoutesThroughTheApi) {
    Api api(std::move(s));
    auto call = [&](const char* method, json args) {
        args["organization_id"] = kOrg;
        return json::parse(api.call(method, args.dump()));
    };
    json made = call("members.createExternal", {{"external_customer_id", "beta"}, {"body", {{"email", "new@beta.io"}, {"external_id", "m-new"}}}});
    ASSERT_EQ(made["ok"], true) << made.dump();
    EXPECT_EQ(made["value"]["customer_id"], other_team);
    EXPECT_EQ(made["value"]["role"], "member");
    EXPECT_EQ(call("members.getExternal", {{"external_customer_id", "beta"}, {"external_id", "m-new"}})["value"]["id"], made["value"]["id"]);
    json renamed = call("members.updateExternal", {{"external_customer_id", "beta"}, {"external_id", "m-new"}, {"body", {{"name", "New"}}}});
    EXPECT_EQ(renamed["value"]["name"], "New");
    EXPECT_EQ(call("members.deleteExternal", {{"external_customer_id", "beta"}, {"external_id", "m-new"}})["ok"], true);
    EXPECT_EQ(call("members.getExternal", {{"external_customer_id", "beta"}, {"external_id", "m-new"}})["status"], 404);
    EXPECT_EQ(call("members.createExternal", {{"external_customer_id", "nobody"}, {"body", {{"email", "a@b.io"}}}})["status"], 404);
    // Scoped to a customer: another customer's member is 404 for get, update and delete, and stays.
    EXPECT_EQ(call("members.get", {{"customer_id", team}, {"id", created[1]}})["value"]["email"], "dev@acme.io");
    for (const char* method : {"members.get", "members.update", "members.delete"})
        EXPECT_EQ(call(method, {{"customer_id", other_team}, {"id", created[1]}, {"body", {{"name", "x"}}}})["status"], 404) << method;
    EXPECT_EQ(call("members.get", {{"id", created[1]}})["value"]["name"], nullptr);
    // Lists: the organization's, and one customer's route (404 for an unknown customer).
    json all = call("members.list", {{"query", {{"limit", 2}}}});
    EXPECT_EQ(all["value"]["pagination"], (json{{"total_count", 6}, {"max_page", 3}}));
    EXPECT_EQ(call("members.list", {{"customer_id", team}, {"query", json::object()}})["value"]["pagination"]["total_count"], 3);
    EXPECT_EQ(call("members.list", {{"external_customer_id", "beta"}})["value"]["pagination"]["total_count"], 2);
    EXPECT_EQ(call("members.list", {{"customer_id", foreign}})["status"], 404);
    EXPECT_EQ(call("members.list", {{"query", {{"customer_id", foreign}}}})["value"]["items"], json::array());
}

// The Store lists from the organization's ready member order; the reader above walks every customer.
// Both give the same pages, and the order follows every write.
TEST_F(MemberListTest, TheReadyOrderListsAsAWalkOfEveryCustomerDoes) {
    const auto same = [&](const char* when) {
        for (const json& q : {json{{"limit", 2}}, json{{"limit", 2}, {"page", 2}}, json{{"limit", 4}, {"page", 2}}, json{{"sorting", "created_at"}, {"limit", 3}},
                              json{{"role", "member"}}, json{{"role", "owner"}, {"sorting", "created_at"}}, json{{"page", 9}}}) {
            const MemberPage fast = ok(s.list_members(kOrg, q)), walked = page(q);
            EXPECT_EQ(ids(fast), ids(walked)) << when << " " << q.dump();
            EXPECT_EQ(fast.total_count, walked.total_count) << when << " " << q.dump();
            EXPECT_EQ(fast.max_page, walked.max_page) << when << " " << q.dump();
        }
    };
    same("at first");
    const std::string added = ok(s.add_member(kOrg, other_team, json{{"email", "late@beta.io"}})).id;
    same("after a member was added");
    EXPECT_EQ(ids(ok(s.list_members(kOrg, json{{"limit", 1}})))[0], added) << "newest first";
    ok(s.remove_member(kOrg, added));
    ok(s.remove(kOrg, solo, true));
    same("after a member and a customer were removed");
    EXPECT_EQ(ok(s.list_members(kOrg, json::object())).total_count, created.size() - 1);
}

TEST_F(MembersTest, ValidateAnswersWhatAddWouldRefuseAndWritesNothing) {
    Api api(std::move(s));
    const std::string team = call(api, "customers.create", {{"body", {{"type", "team"}, {"email", "t@acme.io"}}}})["value"]["id"];
    const std::string solo = call(api, "customers.create", {{"body", {{"email", "solo@example.com"}}}})["value"]["id"];
    const std::string before = call(api, "snapshot.export", json::object())["value"];
    const auto seq = call(api, "events.since", {{"after", 0}})["value"].size();
    EXPECT_EQ(call(api, "members.validate", {{"body", {{"customer_id", team}, {"email", "dev@acme.io"}}}})["value"], nullptr);
    const json bad = call(api, "members.validate", {{"body", {{"customer_id", team}, {"email", "nope"}, {"role", "owner"}}}});
    EXPECT_EQ(bad["status"], 422);
    EXPECT_EQ(bad["error"]["detail"].size(), 2u) << "every problem at once";
    EXPECT_EQ(call(api, "members.validate", {{"body", {{"customer_id", solo}, {"email", "second@example.com"}}}})["status"], 403);
    EXPECT_EQ(call(api, "members.validate", {{"body", {{"customer_id", "00000000-0000-4000-8000-000000000000"}, {"email", "a@b.io"}}}})["status"], 404);
    EXPECT_EQ(call(api, "snapshot.export", json::object())["value"], before) << "nothing written";
    EXPECT_EQ(call(api, "events.since", {{"after", 0}})["value"].size(), seq);
}
