// Snapshot import applies the create rules (spec §1–§2) to every line, plus the rules of what only a
// stored record carries: a line that breaks one is refused in atomic mode (at the field's loc) and
// reported in partial mode, and the store is left unchanged; valid exports still round-trip.
#include <functional>

#include "test_support.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
// A team (two members, a seat-based subscription, a grant, a meter) and an individual, as lines.
struct Lines {
    json team, single;
};

Lines source_lines() {
    Store s = make_store();
    const std::string team = ok(s.create(kOrg, json{{"type", "team"}, {"email", "t@acme.io"}, {"name", "Acme"},
                                                   {"billing_address", {{"country", "FR"}}}, {"tax_id", "FR40303265045"},
                                                   {"locale", "fr-FR"}, {"metadata", {{"plan", "pro"}}}, {"external_id", "acme"}})).id;
    ok(s.add_member(kOrg, team, json{{"email", "dev@acme.io"}, {"role", "billing_manager"}}));
    ok(s.record_subscription(kOrg, json{{"customer_id", team}, {"product_id", "p"}, {"seats", 5}, {"amount", 500}, {"metadata", {{"k", "v"}}}}));
    ok(s.grant_benefit(kOrg, team, json{{"benefit_id", "b"}, {"benefit_metadata", {{"k", "v"}}}}));
    ok(s.record_meter(kOrg, team, json{{"meter_id", "m"}, {"credited_units", 10}}));
    const std::string single = ok(s.create(kOrg, json{{"email", "solo@example.com"}, {"name", "Solo"}})).id;
    Lines out;
    out.team = s.snapshot_records(kOrg, {team})[0];
    out.single = s.snapshot_records(kOrg, {single})[0];
    return out;
}

// A store holding one customer of its own (not in the lines), so "unchanged" means something.
Store target() {
    Store s(Clock([] { return Millis(1767225600000); }), IdGenerator(7));  // other ids than source_lines'

    ok(s.create(kOrg, json{{"email", "resident@example.com"}}));
    return s;
}

bool has_loc(const std::vector<ErrorDetail>& detail, const json& loc) {
    for (const auto& d : detail)
        if (d.loc == loc) return true;
    return false;
}

std::string dump_locs(const std::vector<ErrorDetail>& detail) {
    json out = json::array();
    for (const auto& d : detail) out.push_back({{"loc", d.loc}, {"type", d.type}, {"msg", d.msg}});
    return out.dump();
}

struct Case {
    const char* name;
    bool team;                         // mutate the team's line (else the individual's)
    std::function<void(json&)> breaks;
    json loc;                          // after ["line", 1]
};

json line_loc(const json& rest) {
    json loc = json::array({"line", 1});
    for (const auto& k : rest) loc.push_back(k);
    return loc;
}

void expect_refused(const Case& k) {
    SCOPED_TRACE(k.name);
    const Lines lines = source_lines();
    json bad = k.team ? lines.team : lines.single;
    k.breaks(bad);
    const json& good = k.team ? lines.single : lines.team;
    const std::string text = bad.dump() + "\n" + good.dump() + "\n";
    // Atomic: refused at the field's loc, the store unchanged.
    Store s = target();
    const std::string before = fingerprint(s) + s.export_snapshot(kOrg);
    auto refused = s.import_snapshot(kOrg, text, true);
    ASSERT_FALSE(refused) << "atomic import accepted the line";
    EXPECT_TRUE(has_loc(refused.error().detail, line_loc(k.loc))) << dump_locs(refused.error().detail);
    EXPECT_EQ(fingerprint(s) + s.export_snapshot(kOrg), before);
    // Partial: the line is reported and not loaded; the good line loads.
    ImportReport r = ok(s.import_snapshot(kOrg, text, false));
    EXPECT_EQ(r.imported, 1u);
    EXPECT_TRUE(has_loc(r.failed, line_loc(k.loc))) << dump_locs(r.failed);
    for (const auto& d : r.failed) EXPECT_EQ(d.loc[1], 1) << "only the broken line fails: " << dump_locs(r.failed);
    EXPECT_FALSE(s.get(kOrg, bad["id"].get<std::string>()));
    EXPECT_TRUE(s.get(kOrg, good["id"].get<std::string>()));
    EXPECT_EQ(s.size(), 2u);
}

json many_keys(size_t n) {
    json m = json::object();
    for (size_t i = 0; i < n; ++i) m["k" + std::to_string(i)] = "v";
    return m;
}

const std::string kUuid = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
}  // namespace

// §1: the customer's own fields, as create checks them.
TEST(ImportRules, CustomerFieldsFollowTheCreateRules) {
    const std::vector<Case> cases = {
        {"name of 70,000 characters", false, [](json& j) { j["name"] = std::string(70000, 'a'); }, {"name"}},
        {"name of 257 characters", false, [](json& j) { j["name"] = std::string(257, 'a'); }, {"name"}},
        {"billing_name too long", true, [](json& j) { j["billing_name"] = std::string(300, 'b'); }, {"billing_name"}},
        {"external_id too long", true, [](json& j) { j["external_id"] = std::string(257, 'x'); }, {"external_id"}},
        {"email invalid", false, [](json& j) { j["email"] = "not-an-email"; }, {"email"}},
        {"locale invalid", false, [](json& j) { j["locale"] = "!!-??"; }, {"locale"}},
        {"locale without a real language", false, [](json& j) { j["locale"] = "zz"; }, {"locale"}},
        {"tax id garbage", true, [](json& j) { j["tax_id"] = {"garbage", "eu_vat"}; }, {"tax_id"}},
        {"tax id with another format", true, [](json& j) { j["tax_id"] = {"FR40303265045", "gb_vat"}; }, {"tax_id"}},
        {"tax id not compact", true, [](json& j) { j["tax_id"] = {"FR 40 303 265 045", "eu_vat"}; }, {"tax_id"}},
        {"tax id of another country", true, [](json& j) { j["billing_address"]["country"] = "US"; }, {"tax_id"}},
        {"tax id without a country on a live record", true, [](json& j) { j.erase("billing_address"); }, {"billing_address"}},
        {"billing address embargoed", true, [](json& j) { j["billing_address"]["country"] = "KP"; }, {"billing_address", "country"}},
    };
    for (const auto& k : cases) expect_refused(k);
}

TEST(ImportRules, MetadataFollowsTheCreateRules) {
    const std::vector<Case> cases = {
        {"60 keys", false, [](json& j) { j["metadata"] = many_keys(60); }, {"metadata"}},
        {"an object value", false, [](json& j) { j["metadata"]["o"] = {{"a", 1}}; }, {"metadata", "o"}},
        {"an array value", false, [](json& j) { j["metadata"]["o"] = {1, 2}; }, {"metadata", "o"}},
        {"a null value", false, [](json& j) { j["metadata"]["o"] = nullptr; }, {"metadata", "o"}},
        {"an empty string", false, [](json& j) { j["metadata"]["o"] = ""; }, {"metadata", "o"}},
        {"a value of 501 characters", false, [](json& j) { j["metadata"]["o"] = std::string(501, 'v'); }, {"metadata", "o"}},
        {"an integer beyond int64", false, [](json& j) { j["metadata"]["o"] = 18446744073709551615ull; }, {"metadata", "o"}},
        {"a key of 41 characters", false, [](json& j) { j["metadata"][std::string(41, 'k')] = 1; }, {"metadata", std::string(41, 'k'), "[key]"}},
        {"an empty key", false, [](json& j) { j["metadata"][""] = 1; }, {"metadata", "", "[key]"}},
        {"subscription metadata object", true, [](json& j) { j["subscriptions"][0]["metadata"]["o"] = json::object(); },
         {"subscriptions", 0, "metadata", "o"}},
        {"subscription metadata 51 keys", true, [](json& j) { j["subscriptions"][0]["metadata"] = many_keys(51); }, {"subscriptions", 0, "metadata"}},
        {"subscription metadata reserved key", true, [](json& j) { j["subscriptions"][0]["metadata"]["__x"] = 1; },
         {"subscriptions", 0, "metadata", "__x", "[key]"}},
        {"grant metadata 60 keys", true, [](json& j) { j["grants"][0]["benefit_metadata"] = many_keys(60); }, {"grants", 0, "benefit_metadata"}},
        {"grant metadata array", true, [](json& j) { j["grants"][0]["benefit_metadata"]["a"] = {1}; }, {"grants", 0, "benefit_metadata", "a"}},
    };
    for (const auto& k : cases) expect_refused(k);
}

// §2: members as create and the member commands keep them.
TEST(ImportRules, MembersFollowTheCreateRules) {
    const std::vector<Case> cases = {
        {"member email invalid", true, [](json& j) { j["members"][1]["email"] = "nope"; }, {"members", 1, "email"}},
        {"owner email invalid", false, [](json& j) { j["members"][0]["email"] = "nope@"; }, {"members", 0, "email"}},
        {"member name too long", true, [](json& j) { j["members"][1]["name"] = std::string(257, 'n'); }, {"members", 1, "name"}},
        {"member external id too long", true, [](json& j) { j["members"][1]["external_id"] = std::string(257, 'e'); },
         {"members", 1, "external_id"}},
        {"member role unknown", true, [](json& j) { j["members"][1]["role"] = "boss"; }, {"members", 1, "role"}},
    };
    for (const auto& k : cases) expect_refused(k);
}

TEST(ImportRules, OwnersAndMemberCounts) {
    const auto member = [](const json& line, const std::string& id, const char* email, const char* role) {
        json m = line["members"][0];
        m["id"] = id, m["email"] = email, m["role"] = role;
        return m;
    };
    const std::vector<Case> cases = {
        {"an individual with 3 members", false,
         [&](json& j) {
             j["members"].push_back(member(j, "aaaaaaaa-0000-4000-8000-000000000001", "x@example.com", "member"));
             j["members"].push_back(member(j, "aaaaaaaa-0000-4000-8000-000000000002", "y@example.com", "member"));
         },
         {"members"}},
        {"an individual whose one member is not the owner", false, [](json& j) { j["members"][0]["role"] = "member"; }, {"members"}},
        {"a team with 2 owners", true, [](json& j) { j["members"][1]["role"] = "owner"; }, {"members"}},
        {"a team without a live owner", true, [](json& j) { j["members"][0]["deleted_at"] = "2026-01-03T00:00:00.000Z"; }, {"members"}},
        {"a team without members", true, [](json& j) { j["members"] = json::array(); }, {"members"}},
        {"a member of another customer", true, [](json& j) { j["members"][1]["customer_id"] = kUuid; }, {"members", 1, "customer_id"}},
        {"two live members with one email", true, [](json& j) { j["members"][1]["email"] = "T@ACME.io"; }, {"members", 1, "email"}},
    };
    for (const auto& k : cases) expect_refused(k);
}

TEST(ImportRules, BillingObjectsFollowTheBillingRules) {
    const std::vector<Case> cases = {
        {"subscription status unknown", true, [](json& j) { j["subscriptions"][0]["status"] = "bogus"; }, {"subscriptions", 0, "status"}},
        {"negative seats", true, [](json& j) { j["subscriptions"][0]["seats"] = -3; }, {"subscriptions", 0, "seats"}},
        {"zero seats", true, [](json& j) { j["subscriptions"][0]["seats"] = 0; }, {"subscriptions", 0, "seats"}},
        {"too many seats", true, [](json& j) { j["subscriptions"][0]["seats"] = 1000001; }, {"subscriptions", 0, "seats"}},
        {"negative amount", true, [](json& j) { j["subscriptions"][0]["amount"] = -1; }, {"subscriptions", 0, "amount"}},
        {"amount too large", true, [](json& j) { j["subscriptions"][0]["amount"] = 100000000000; }, {"subscriptions", 0, "amount"}},
        {"recurring interval unknown", true, [](json& j) { j["subscriptions"][0]["recurring_interval"] = "decade"; },
         {"subscriptions", 0, "recurring_interval"}},
        {"benefit type unknown", true, [](json& j) { j["grants"][0]["benefit_type"] = "bogus"; }, {"grants", 0, "benefit_type"}},
        {"negative consumed units", true, [](json& j) { j["meters"][0]["consumed_units"] = -1; }, {"meters", 0, "consumed_units"}},
        {"negative credited units", true, [](json& j) { j["meters"][0]["credited_units"] = -0.5; }, {"meters", 0, "credited_units"}},
    };
    for (const auto& k : cases) expect_refused(k);
}

TEST(ImportRules, IdsAreCanonicalUuids) {
    const std::vector<Case> cases = {
        {"member id", true, [](json& j) { j["members"][1]["id"] = "m1"; }, {"members", 1, "id"}},
        {"subscription id", true, [](json& j) { j["subscriptions"][0]["id"] = "../s"; }, {"subscriptions", 0, "id"}},
        {"grant id", true, [](json& j) { j["grants"][0]["id"] = "g1"; }, {"grants", 0, "id"}},
        {"meter id", true, [](json& j) { j["meters"][0]["id"] = ""; }, {"meters", 0, "id"}},
    };
    for (const auto& k : cases) expect_refused(k);
}

// Child ids are unique across the whole store (every organization) and the batch, as customer and member
// ids already were: another organization's or customer's subscription, grant or meter id is refused.
TEST(ImportRules, ChildIdsAreUniqueAcrossTheStoreAndTheBatch) {
    const Lines lines = source_lines();
    for (const char* list : {"subscriptions", "grants", "meters"}) {
        SCOPED_TRACE(list);
        // Another organization holds the team (same child ids) under other customer and member ids.
        Store s = make_store();
        json theirs = lines.team;
        theirs["organization_id"] = kOtherOrg;
        theirs["id"] = kUuid;
        for (auto& m : theirs["members"]) m["customer_id"] = kUuid, m["id"] = "bbbbbbbb-0000-4000-8000-00000000000" + std::to_string(&m - &theirs["members"][0]);
        for (const char* other : {"subscriptions", "grants", "meters"})
            if (std::string(other) != list) theirs[other] = json::array();
        ok(s.import_snapshot(kOtherOrg, theirs.dump(), true));
        const std::string before = fingerprint(s) + s.export_snapshot(kOrg) + s.export_snapshot(kOtherOrg);
        auto refused = s.import_snapshot(kOrg, lines.team.dump(), true);
        ASSERT_FALSE(refused);
        EXPECT_TRUE(has_problem(refused.error(), json::array({"line", 1, list, 0, "id"}), "Duplicate")) << dump_locs(refused.error().detail);
        EXPECT_EQ(fingerprint(s) + s.export_snapshot(kOrg) + s.export_snapshot(kOtherOrg), before);
        ImportReport partial = ok(s.import_snapshot(kOrg, lines.team.dump(), false));
        EXPECT_EQ(partial.imported, 0u);
        EXPECT_TRUE(has_loc(partial.failed, json::array({"line", 1, list, 0, "id"})));
        // Within the batch: the individual carries the team's child id.
        Store b = make_store();
        json single = lines.single;
        single[list] = json::array({lines.team[list][0]});
        ImportReport r = ok(b.import_snapshot(kOrg, lines.team.dump() + "\n" + single.dump(), false));
        EXPECT_EQ(r.imported, 1u);
        EXPECT_TRUE(has_loc(r.failed, json::array({"line", 2, list, 0, "id"}))) << dump_locs(r.failed);
        // And a child id equal to a customer id.
        single[list][0]["id"] = lines.team["id"];
        ImportReport r2 = ok(make_store().import_snapshot(kOrg, lines.team.dump() + "\n" + single.dump(), false));
        EXPECT_TRUE(has_loc(r2.failed, json::array({"line", 2, list, 0, "id"}))) << dump_locs(r2.failed);
    }
}

// Replacing a record frees its own child ids for the line that replaces it.
TEST(ImportRules, AReplacedRecordKeepsItsChildIds) {
    const Lines lines = source_lines();
    Store s = make_store();
    ok(s.import_snapshot(kOrg, lines.team.dump(), true));
    ImportReport r = ok(s.import_snapshot(kOrg, lines.team.dump(), true, true));
    EXPECT_EQ(r.imported, 1u);
}

// What create normalizes, an import loads normalized: the email's domain lower-cased, names trimmed,
// the locale in canonical case. An upper-case UUID is an id as the store keeps ids (as its text).
TEST(ImportRules, ValuesLoadAsCreateNormalizesThem) {
    const Lines lines = source_lines();
    json j = lines.single;
    j["email"] = "Solo@EXAMPLE.com";
    j["members"][0]["email"] = "Solo@EXAMPLE.com";
    j["name"] = "  Solo  ";
    j["billing_name"] = "   ";
    j["locale"] = "EN-us";
    Store s = make_store();
    ok(s.import_snapshot(kOrg, j.dump(), true));
    const Customer c = ok(s.get(kOrg, j["id"].get<std::string>()));
    EXPECT_EQ(c.email, "Solo@example.com");
    EXPECT_EQ(c.name, "Solo");
    EXPECT_FALSE(c.billing_name);
    EXPECT_EQ(c.locale, "en-US");
    EXPECT_EQ(ok(s.members(kOrg, c.id))[0].email, "Solo@example.com");
    EXPECT_FALSE(s.create(kOrg, json{{"email", "solo@example.COM"}})) << "the normalized email is taken";

    json upper = lines.team;
    std::string id = upper["id"];
    for (auto& ch : id) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    upper["id"] = id;
    for (auto& m : upper["members"]) m["customer_id"] = id;
    Store u = make_store();
    ok(u.import_snapshot(kOrg, upper.dump(), true));
    EXPECT_TRUE(u.get(kOrg, id));
}

// The reserved keys the core writes on deleted records do not count against the 50 keys, and a deleted
// customer's members are all deleted: no owner to look for.
TEST(ImportRules, DeletedRecordsKeepWhatTheCoreWrote) {
    Store s = make_store();
    json metadata = many_keys(50);
    const std::string id = ok(s.create(kOrg, json{{"email", "full@example.com"}, {"external_id", std::string(256, 'e')},
                                                  {"billing_address", {{"country", "FR"}}}, {"tax_id", "FR40303265045"},
                                                  {"metadata", metadata}})).id;
    ok(s.remove(kOrg, id, true));
    const std::string text = s.export_snapshot(kOrg);
    ASSERT_NE(text.find("__anonymized_at"), std::string::npos);
    Store b = make_store();
    ok(b.import_snapshot(kOrg, text, true));
    EXPECT_EQ(b.export_snapshot(kOrg), text);
}

// A store with teams, members (one deleted), subscriptions, grants, meters, a deleted and an anonymized
// customer round-trips through export and import byte for byte.
TEST(ImportRules, AValidExportRoundTrips) {
    Store s = make_store();
    const std::string team = ok(s.create(kOrg, json{{"type", "team"}, {"email", "t@acme.io"}, {"name", "Acme"}, {"billing_name", "Acme Inc"},
                                                   {"billing_address", {{"country", "US"}, {"state", "CA"}}}, {"locale", "en-US"},
                                                   {"metadata", {{"plan", "pro"}, {"n", 3}, {"f", 1.5}, {"b", true}}}, {"external_id", "acme"}})).id;
    ok(s.add_member(kOrg, team, json{{"email", "dev@acme.io"}, {"role", "billing_manager"}, {"name", "Dev"}}));
    const std::string leaving = ok(s.add_member(kOrg, team, json{{"email", "tmp@acme.io"}})).id;
    ok(s.remove_member(kOrg, leaving));
    ok(s.record_subscription(kOrg, json{{"customer_id", team}, {"product_id", "p"}, {"seats", 5}, {"amount", 500},
                                        {"recurring_interval", "year"}, {"trial_days", 7}, {"metadata", {{"k", "v"}}}}));
    ok(s.grant_benefit(kOrg, team, json{{"benefit_id", "b"}, {"benefit_type", "license_keys"}, {"benefit_metadata", {{"k", 1}}},
                                        {"properties", {{"nested", {{"a", json::array({1, 2})}}}}}}));
    ok(s.record_meter(kOrg, team, json{{"meter_id", "m"}, {"credited_units", 10}, {"consumed_units", 2.5}}));
    const std::string gone = ok(s.create(kOrg, json{{"email", "gone@example.com"}, {"external_id", "g"}})).id;
    ok(s.record_subscription(kOrg, json{{"customer_id", gone}, {"product_id", "p"}}));
    ok(s.remove(kOrg, gone, false));
    const std::string anon = ok(s.create(kOrg, json{{"email", "anon@example.com"}, {"name", "Anon"}, {"billing_address", {{"country", "DE"}}},
                                                   {"tax_id", "DE136695976"}, {"external_id", "a"}})).id;
    ok(s.remove(kOrg, anon, true));
    ok(s.create(kOrg, json{{"email", "plain@example.com"}}));
    const std::string text = s.export_snapshot(kOrg);
    Store b = make_store();
    ImportReport r = ok(b.import_snapshot(kOrg, text, true));
    EXPECT_EQ(r.imported, 4u);
    EXPECT_EQ(b.export_snapshot(kOrg), text);
    Store c = make_store();
    EXPECT_EQ(ok(c.import_snapshot(kOrg, text, false)).failed.size(), 0u);
}

// A customer's own id is a canonical UUID, and a live individual has exactly one member, its owner.
TEST(ImportRules, CustomerIdsAreUuidsAndIndividualsHaveTheirOwner) {
    const std::vector<Case> cases = {
        {"customer id a path", false, [](json& j) { j["id"] = "../../etc"; }, {"id"}},
        {"customer id a UUID without dashes", false, [](json& j) { j["id"] = "aaaaaaaabbbb4ccc8dddeeeeeeeeeeee"; }, {"id"}},
        {"customer id with braces", false, [](json& j) { j["id"] = "{" + kUuid + "}"; }, {"id"}},
        {"an individual without members", false, [](json& j) { j.erase("members"); }, {"members"}},
    };
    for (const auto& k : cases) expect_refused(k);
}
