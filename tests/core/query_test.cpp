// Listing and search (spec §4): filters, sorting with stable ties, pagination limits, 422 on bad values.
#include "test_support.hpp"

#include <functional>
#include <random>

#include "index/search_index.hpp"
#include "util/text.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
struct Query : ::testing::Test {
    Store s = make_store();
    void SetUp() override {
        ok(s.create(kOrg, json{{"email", "zoe@example.com"}, {"name", "Zoë Ångström"}, {"external_id", "ext-100"},
                               {"metadata", {{"plan", "pro"}, {"seats", 5}, {"beta", true}}}}));
        ok(s.create(kOrg, json{{"email", "li@example.cn"}, {"name", "北京 Li"}, {"external_id", "ext-200"},
                               {"metadata", {{"plan", "free"}, {"seats", 1}}}}));
        ok(s.create(kOrg, json{{"email", "bob@Example.org"}, {"name", "Bob"}, {"billing_name", "Bobby Tables Inc"},
                               {"metadata", {{"plan", "enterprise"}}}}));
        ok(s.create(kOtherOrg, json{{"email", "zoe@other.com"}, {"name", "Zoë Other"}}));
    }
    std::vector<std::string> emails(const json& q) {
        std::vector<std::string> out;
        for (const auto& c : ok(s.list({kOrg}, q)).items) out.push_back(c.email.value_or(""));
        return out;
    }
    using V = std::vector<std::string>;
};
}  // namespace

TEST_F(Query, QueryMatchesEmailNameBillingNameCaseInsensitively) {
    EXPECT_EQ(emails({{"query", "ZOË"}}), V{"zoe@example.com"});
    EXPECT_EQ(emails({{"query", "ångström"}}), V{"zoe@example.com"});
    EXPECT_EQ(emails({{"query", "北京"}}), V{"li@example.cn"});
    EXPECT_EQ(emails({{"query", "tables"}}), V{"bob@example.org"});
    EXPECT_EQ(emails({{"query", "EXAMPLE.ORG"}}), V{"bob@example.org"});
}

TEST_F(Query, QueryMatchesAPrefixOfTheExternalIdOnly) {
    EXPECT_EQ(emails({{"query", "ext-2"}}), V{"li@example.cn"});
    EXPECT_EQ(emails({{"query", "200"}}).size(), 0u);
}

TEST_F(Query, QueryHasNoWildcards) {
    EXPECT_EQ(emails({{"query", "%"}}).size(), 0u);
    EXPECT_EQ(emails({{"query", "_"}}).size(), 0u);
}

TEST_F(Query, EmailFilterIsExactAndCaseInsensitive) {
    EXPECT_EQ(emails({{"email", "BOB@example.ORG"}}), V{"bob@example.org"});
    EXPECT_EQ(emails({{"email", "bob@example"}}).size(), 0u);
}

TEST_F(Query, ExternalIdFilter) { EXPECT_EQ(emails({{"external_id", "ext-100"}}), V{"zoe@example.com"}); }

TEST_F(Query, MetadataFilters) {
    EXPECT_EQ(emails({{"metadata", {{"plan", "pro"}}}}), V{"zoe@example.com"});
    EXPECT_EQ(emails({{"metadata", {{"plan", {"pro", "free"}}}}, {"sorting", "email"}}), (V{"li@example.cn", "zoe@example.com"}));
    EXPECT_EQ(emails({{"metadata", {{"plan", {"pro", "free"}}, {"seats", "1"}}}}), V{"li@example.cn"});  // text form
    EXPECT_EQ(emails({{"metadata", {{"beta", true}}}}), V{"zoe@example.com"});
    EXPECT_EQ(emails({{"metadata", {{"missing", "x"}}}}).size(), 0u);
}

TEST_F(Query, Sorting) {
    EXPECT_EQ(emails({{"sorting", "email"}}), (V{"bob@example.org", "li@example.cn", "zoe@example.com"}));
    EXPECT_EQ(emails({{"sorting", "-email"}}), (V{"zoe@example.com", "li@example.cn", "bob@example.org"}));
    EXPECT_EQ(emails({{"sorting", "created_at"}}), (V{"zoe@example.com", "li@example.cn", "bob@example.org"}));
    EXPECT_EQ(emails(json::object()), (V{"bob@example.org", "li@example.cn", "zoe@example.com"}));  // default -created_at
    EXPECT_EQ(emails({{"sorting", {"name"}}}), (V{"bob@example.org", "zoe@example.com", "li@example.cn"}));
}

TEST_F(Query, TiesAreBrokenByIdSoPagesAreStable) {
    auto t = std::make_shared<Millis>(0);
    Store same(Clock([] { return Millis{1000}; }), IdGenerator(7));
    for (int i = 0; i < 30; ++i) ok(same.create(kOrg, json{{"email", "t" + std::to_string(i) + "@x.io"}}));
    std::vector<std::string> ids;
    for (int page = 1; page <= 3; ++page)
        for (const auto& c : ok(same.list({kOrg}, json{{"page", page}, {"limit", 10}})).items) ids.push_back(c.id);
    ASSERT_EQ(ids.size(), 30u);
    EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend())) << "-created_at: ties by id, descending too";
    std::vector<std::string> asc;
    for (const auto& c : ok(same.list({kOrg}, json{{"sorting", "created_at"}, {"limit", 100}})).items) asc.push_back(c.id);
    EXPECT_TRUE(std::is_sorted(asc.begin(), asc.end()));
}

TEST_F(Query, FilteredAndUnfilteredListingsAgreeOnOrder) {
    for (int i = 0; i < 300; ++i)  // over 256 hits: the order-walk path as well as the sorting path
        ok(s.create(kOrg, json{{"email", "p" + std::to_string(i % 7) + "x" + std::to_string(i) + "@example.com"},
                               {"name", i % 3 ? json("Name " + std::to_string(i % 5)) : json(nullptr)}}));
    for (const char* sort : {"email", "-email", "name", "-name", "created_at", "-created_at"}) {
        auto all = emails({{"sorting", sort}, {"limit", 100}});
        auto filtered = emails({{"sorting", sort}, {"limit", 100}, {"query", "@"}});  // matches everyone: walks
        EXPECT_EQ(all, filtered) << sort;
        auto few = emails({{"sorting", sort}, {"limit", 100}, {"query", "p3x"}});  // a few: sorts the hits
        V expected;
        for (int page = 1; page <= 4; ++page)
            for (const auto& e : emails({{"sorting", sort}, {"limit", 100}, {"page", page}}))
                if (e.rfind("p3x", 0) == 0 && expected.size() < 100) expected.push_back(e);
        EXPECT_EQ(few, expected) << sort;
        auto paged = emails({{"sorting", sort}, {"limit", 7}, {"page", 3}});
        EXPECT_EQ(paged, V(all.begin() + 14, all.begin() + 21)) << sort;
    }
}

TEST_F(Query, BadValuesAnswer422) {
    auto sort = s.list({kOrg}, json{{"sorting", "-created"}});
    ASSERT_FALSE(sort);
    EXPECT_EQ(sort.error().detail[0].loc, json::array({"query", "sorting"}));
    EXPECT_EQ(sort.error().detail[0].type, "enum");
    EXPECT_EQ(sort.error().detail[0].msg, "Invalid sorting criterion.");
    for (const char* key : {"page", "limit"}) {
        auto r = s.list({kOrg}, json{{key, 0}});
        ASSERT_FALSE(r) << key;
        EXPECT_EQ(r.error().detail[0].loc, json::array({"query", key}));
    }
    EXPECT_FALSE(s.list({kOrg}, json{{"page", "x"}}));
}

TEST_F(Query, LimitAbove100IsReduced) {
    Page p = ok(s.list({kOrg}, json{{"limit", 1000}}));
    EXPECT_EQ(p.items.size(), 3u);
    EXPECT_EQ(p.max_page, 1u);
    EXPECT_EQ(ok(s.list({kOrg}, json{{"query", "nobody"}})).max_page, 0u);
}

TEST_F(Query, OrganizationsNeverSeeEachOther) {
    EXPECT_EQ(emails({{"query", "zoë"}}), V{"zoe@example.com"});
    auto other = ok(s.list({kOtherOrg}, json{{"query", "zoe"}}));
    ASSERT_EQ(other.total_count, 1u);
    EXPECT_EQ(*other.items[0].email, "zoe@other.com");
}

TEST_F(Query, IndexesFollowUpdatesDeletesAndCompaction) {
    const std::string zoe = ok(s.list({kOrg}, json{{"email", "zoe@example.com"}})).items[0].id;
    ok(s.update(kOrg, zoe, json{{"metadata", {{"plan", "free"}}}, {"name", "Zora"}}));
    EXPECT_EQ(emails({{"metadata", {{"plan", "pro"}}}}).size(), 0u);
    EXPECT_EQ(emails({{"metadata", {{"plan", "free"}}}, {"sorting", "email"}}), (V{"li@example.cn", "zoe@example.com"}));
    EXPECT_EQ(emails({{"query", "ångström"}}).size(), 0u);
    EXPECT_EQ(emails({{"query", "zora"}}), V{"zoe@example.com"});
    for (int i = 0; i < 200; ++i)  // enough rewritten text to trigger compaction of the search arena
        ok(s.update(kOrg, zoe, json{{"name", "Zora " + std::string(40, static_cast<char>('a' + i % 26))}}));
    EXPECT_EQ(emails({{"query", "zora"}}), V{"zoe@example.com"});
    EXPECT_EQ(emails({{"query", "ext-2"}}), V{"li@example.cn"});
    ok(s.remove(kOrg, zoe, false));
    EXPECT_EQ(emails({{"query", "zora"}}).size(), 0u);
    EXPECT_EQ(emails({{"metadata", {{"plan", "free"}}}}), V{"li@example.cn"});
    EXPECT_EQ(ok(s.list({kOrg}, json::object())).total_count, 2u);
}

// Substring queries of 3+ bytes answer from trigram postings, shorter ones from a scan of the text: both
// must agree with the rule checked record by record, through creates, renames, deletes and compaction.
// `pick` chooses each query from a random word.
namespace {
void churn_and_query(std::mt19937& rng, const std::function<std::string(const std::string&)>& pick) {
    Store s = make_store();
    const std::vector<std::string> parts = {"ab", "ba", "abc", "Äb", "ß", "北京", "zoë", "ZOË", "x-1", "ext"};
    auto word = [&](int n) {
        std::string w;
        for (int i = 0; i < n; ++i) w += parts[rng() % parts.size()];
        return w;
    };
    std::vector<std::string> ids;
    auto expected = [&](const std::string& query) {
        const std::string q = fold_case(query);
        size_t n = 0;
        for (const auto& id : ids) {
            auto c = s.get(kOrg, id);
            if (!c) continue;
            const auto has = [&](const std::optional<std::string>& f) { return f && fold_case(*f).find(q) != std::string::npos; };
            const bool ext = c.value().external_id && fold_case(*c.value().external_id).rfind(q, 0) == 0;
            n += has(c.value().email) || has(c.value().name) || has(c.value().billing_name) || ext;
        }
        return n;
    };
    for (int round = 0; round < 600; ++round) {
        const int op = int(rng() % 10);
        if (op < 5 || ids.empty()) {
            json body = {{"email", "u" + std::to_string(round) + "." + word(2) + "@example.com"}, {"name", word(3)}};
            if (rng() % 2) body["external_id"] = word(2) + std::to_string(round);
            if (rng() % 3 == 0) body["billing_name"] = word(2);
            if (auto c = s.create(kOrg, body)) ids.push_back(c.value().id);
        } else if (op < 8) {
            (void)s.update(kOrg, ids[rng() % ids.size()], json{{"name", word(1 + int(rng() % 4))}});
        } else {
            (void)s.remove(kOrg, ids[rng() % ids.size()], rng() % 2);
        }
        if (round % 20 == 0)
            for (int k = 0; k < 12; ++k) {
                const std::string q = pick(word(2));
                EXPECT_EQ(ok(s.list({kOrg}, json{{"query", q}})).total_count, expected(q)) << "round " << round << " query " << q;
            }
    }
}
}  // namespace

// Random queries: after a few rounds they have lacked keys more often than the passes that build some
// lists allow, so every list is built, and kept up to date from then on (a compaction builds them again).
TEST(QueryPostings, AgreeWithTheRuleThroughChurn) {
    std::mt19937 rng(7);
    churn_and_query(rng, [&](const std::string& w) { return w.substr(rng() % w.size(), 1 + rng() % 6); });
}

// Three queries only: their keys' lists are built alone (no list for any other key) and must be kept
// up to date through the same churn, compaction dropping and rebuilding them.
TEST(QueryPostings, ListsBuiltForSomeKeysOnlyAgreeWithTheRuleThroughChurn) {
    const std::vector<std::string> few = {"abc", "zoë", "ext"};
    static_assert(SearchIndex::kGramPasses > 3);
    std::mt19937 rng(11);
    churn_and_query(rng, [&](const std::string&) { return few[rng() % few.size()]; });
}

// Enough customers for several 1 MiB chunks of search text: scans (1-2 bytes) and postings (3+) find
// matches in every chunk, including rows at a chunk's end, as the rule checked customer by customer does.
TEST(QueryPostings, AgreeWithTheRuleAcrossTextChunks) {
    Store s = make_store();
    std::mt19937 rng(3);
    const std::vector<std::string> parts = {"qu", "ix", "Zoë", "北", "ab", "mo", "rt", "ex"};
    struct Known {
        std::string id, email, name, external_id;
    };
    std::vector<Known> known;
    for (int i = 0; i < 24000; ++i) {
        std::string name;
        while (name.size() < 48) name += parts[rng() % parts.size()];
        Known k{"", "c" + std::to_string(i) + "@" + parts[rng() % parts.size()] + ".io", name, "e" + parts[rng() % parts.size()] + std::to_string(i)};
        k.id = ok(s.create(kOrg, json{{"email", k.email}, {"name", k.name}, {"external_id", k.external_id}})).id;
        known.push_back(k);
    }
    for (int i = 0; i < 24000; i += 7) {
        ASSERT_TRUE(s.remove(kOrg, known[i].id, i % 2 == 0));  // deleted, or deleted and anonymized
        known[i].id.clear();
    }
    const auto check = [&](const std::string& when) {
        for (const std::string q : {"q", "ë", "Xq", "ex", "e北", "zoë", "mor", "quix", "@ab.io", "eix1", "c239"}) {
            const std::string f = fold_case(q);
            size_t expected = 0;
            for (const Known& k : known)
                expected += !k.id.empty() && (fold_case(k.email).find(f) != std::string::npos || fold_case(k.name).find(f) != std::string::npos ||
                                              fold_case(k.external_id).rfind(f, 0) == 0);
            EXPECT_EQ(ok(s.list({kOrg}, json{{"query", q}})).total_count, expected) << q << ", " << when;
        }
    };
    check("lists built for the keys these queries lack");
    for (unsigned i = 0; i <= SearchIndex::kGramPasses; ++i)  // queries with keys no list has: then every list is built
        (void)s.list({kOrg}, json{{"query", "zz" + std::to_string(i)}});
    check("every list built");
}

namespace {
// A canonical UUID standing for a short name (its last 6 bytes in the last group, hex-encoded), so imported
// fixtures have the ids the store requires and still sort as their names do.
std::string uuid_of(const std::string& name) {
    static const char* hex = "0123456789abcdef";
    std::string tail;
    for (unsigned char ch : name.substr(name.size() > 6 ? name.size() - 6 : 0)) tail += hex[ch >> 4], tail += hex[ch & 15];
    return "00000000-0000-4000-8000-" + std::string(12 - tail.size(), '0') + tail;
}
// A snapshot line of a live individual with its owner member, as an export writes one.
json snapshot_line(const std::string& id, const std::string& created_at, const std::string& email) {
    std::string owner = id;
    owner[0] = 'f';
    return {{"id", id}, {"organization_id", kOrg}, {"created_at", created_at}, {"type", "individual"}, {"email", email},
            {"members", json::array({{{"id", owner}, {"customer_id", id}, {"created_at", created_at}, {"email", email}, {"role", "owner"}}})}};
}
}  // namespace

// Imported records keep their creation times, before 1970 and far ahead included: the order by
// created_at (and its reverse) follows the times, not how they are stored.
TEST(QueryOrder, CreatedAtSortsAcrossTheEpochAndFarDates) {
    Store s = make_store();
    const std::vector<std::pair<std::string, std::string>> lines = {
        {"c-2030", "2030-05-01T00:00:00.000Z"}, {"c-1969", "1969-12-31T23:59:59.999Z"}, {"c-1970", "1970-01-01T00:00:00.000Z"},
        {"c-1900", "1900-01-01T00:00:00.000Z"}, {"c-9999", "9999-12-31T23:59:59.999Z"}, {"c-2001", "2001-09-09T01:46:40.000Z"}};
    std::string text;
    for (const auto& [id, at] : lines)
        text += snapshot_line(uuid_of(id), at, id + "@x.io").dump() + "\n";
    ok(s.import_snapshot(kOrg, text, true));
    const auto ids = [&](const char* sorting) {
        std::vector<std::string> out;
        for (const auto& c : ok(s.list({kOrg}, json{{"sorting", sorting}})).items) out.push_back(c.email->substr(0, 6));
        return out;
    };
    const std::vector<std::string> ascending = {"c-1900", "c-1969", "c-1970", "c-2001", "c-2030", "c-9999"};
    EXPECT_EQ(ids("created_at"), ascending);
    EXPECT_EQ(ids("-created_at"), std::vector<std::string>(ascending.rbegin(), ascending.rend()));
}

// Orders kept up to date change by change (the changed customers taken out and put back in place) list
// exactly as orders sorted from scratch, in a second store loaded from the first's snapshot: every key,
// both directions, ties by id included (names repeat, and imported customers share a creation time).
TEST(QueryOrder, KeptUpToDateAsCustomersChangeAgreesWithAFreshSort) {
    Store a = make_store();
    std::mt19937 rng(17);
    const std::vector<std::string> names = {"Zoë", "zoe", "Ångström", "北京", "Bob", "bob", "Émile"};
    std::string text;
    for (int i = 0; i < 60; ++i) {
        json line = snapshot_line(uuid_of("same-" + std::to_string(i)), "2026-01-01T00:00:00.000Z", "s" + std::to_string(i) + "@x.io");
        line["name"] = names[i % names.size()];
        text += line.dump() + "\n";
    }
    ok(a.import_snapshot(kOrg, text, true));
    std::vector<std::string> ids;
    for (int i = 0; i < 60; ++i) ids.push_back(uuid_of("same-" + std::to_string(i)));
    const std::vector<std::string> sortings = {"created_at", "-created_at", "email", "-email", "name", "-name"};
    const auto all = [](const Store& s, const std::string& sorting) {
        std::vector<std::string> out;
        for (int page = 1;; ++page) {
            const Page p = ok(s.list({kOrg}, json{{"sorting", sorting}, {"limit", 100}, {"page", page}}));
            for (const auto& c : p.items) out.push_back(c.id);
            if (page >= static_cast<int>(p.max_page)) return out;
        }
    };
    for (int round = 0; round < 1500; ++round) {
        const unsigned op = rng() % 10;
        const std::string& someone = ids[rng() % ids.size()];
        if (op < 4) {
            const std::string email = "u" + std::to_string(round) + "@" + names[rng() % names.size()] + ".io";
            if (auto c = a.create(kOrg, json{{"email", email}, {"name", names[rng() % names.size()]}})) ids.push_back(c.value().id);
        } else if (op < 6) {
            (void)a.update(kOrg, someone, json{{"name", names[rng() % names.size()]}});
        } else if (op < 8) {
            (void)a.update(kOrg, someone, json{{"email", "m" + std::to_string(round) + "@x.io"}});
        } else if (op < 9) {
            (void)a.remove(kOrg, someone, rng() % 2);
        } else {
            (void)all(a, sortings[rng() % sortings.size()]);  // builds or brings up to date one order
        }
        if (round % 250 == 249 || round == 1499) {
            Store b = make_store();
            ok(b.import_snapshot(kOrg, a.export_snapshot(kOrg), true));
            for (const auto& sorting : sortings) ASSERT_EQ(all(a, sorting), all(b, sorting)) << "round " << round << " " << sorting;
        }
    }
}
