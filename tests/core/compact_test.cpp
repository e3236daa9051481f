// The compact storage pieces: PostingList against a plain sorted vector, FlatIndex against a map, and
// the record codec round trip (every field of a customer with members and billing objects).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "storage/chunked.hpp"
#include "storage/flat_index.hpp"
#include "index/posting_list.hpp"
#include "storage/record_arena.hpp"
#include "storage/record_codec.hpp"
#include "domain/snapshot.hpp"
#include "domain/store.hpp"
#include "test_support.hpp"

namespace clientele {
namespace {

std::vector<uint32_t> rows_of(const PostingList& list) {
    std::vector<uint32_t> out;
    list.decode(out);
    return out;
}

// Inserts land anywhere (before the first row, inside a block, into a full block that must split),
// and inserting a present row or erasing an absent one changes nothing.
TEST(PostingList, MatchesASortedSetThroughAppendsInsertsAndErasures) {
    std::mt19937 rnd(7);
    PostingList list;
    std::vector<uint32_t> model;
    uint32_t next = 1000;
    for (int step = 0; step < 30000; ++step) {
        const unsigned op = rnd() % 6;
        if (model.empty() || op < 3) {
            next += 1 + rnd() % (rnd() % 10 ? 3 : 5000);  // mostly small gaps, some multi-byte ones
            list.append(next);
            model.push_back(next);
        } else if (op < 5) {
            const uint32_t row = rnd() % (next + 1);
            list.insert(row);
            const auto pos = std::lower_bound(model.begin(), model.end(), row);
            if (pos == model.end() || *pos != row) model.insert(pos, row);
            list.insert(row);  // inserting a present row changes nothing
        } else {
            const uint32_t victim = model[rnd() % model.size()];
            list.erase(victim);
            model.erase(std::find(model.begin(), model.end(), victim));
            list.erase(victim);  // erasing an absent row changes nothing
        }
        if (step % 997 == 0) {
            ASSERT_EQ(rows_of(list), model) << "step " << step;
            ASSERT_EQ(list.back(), model.back()) << "step " << step;
        }
    }
    ASSERT_EQ(rows_of(list), model);
    EXPECT_EQ(list.size(), model.size());
    EXPECT_EQ(list.back(), model.back());
    for (uint32_t probe = 0; probe <= next + 1; probe += 7)
        EXPECT_EQ(list.contains(probe), std::binary_search(model.begin(), model.end(), probe)) << probe;
    std::vector<uint32_t> every(next + 2);
    std::iota(every.begin(), every.end(), 0u);
    list.intersect(every);
    EXPECT_EQ(every, model);
    for (uint32_t row = 0; row < 200; ++row) list.insert(row);  // dense inserts at the front split block after block
    for (uint32_t row = 0; row < 200; ++row) model.insert(std::lower_bound(model.begin(), model.end(), row), row);
    model.erase(std::unique(model.begin(), model.end()), model.end());
    EXPECT_EQ(rows_of(list), model);
    EXPECT_EQ(list.size(), model.size());
}

// A list reserved from its Size takes every row without growing; one reserved for fewer rows must grow.
TEST(PostingList, SizeCountsExactlyWhatAppendsNeed) {
    std::mt19937 rnd(5);
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; rows.size() < 1000; r += 1 + rnd() % (rnd() % 10 ? 3 : 300000)) rows.push_back(r);
    const auto built = [&](size_t counted) {
        PostingList::Size size;
        for (size_t i = 0; i < counted; ++i) size.add(rows[i]);
        PostingList list;
        list.reserve(size);
        const size_t reserved = list.capacity_bytes();
        for (uint32_t r : rows) list.append(r);
        EXPECT_EQ(rows_of(list), rows);
        return list.capacity_bytes() - reserved;
    };
    EXPECT_EQ(built(rows.size()), 0u);      // counted every row: no growth
    EXPECT_GT(built(rows.size() - 1), 0u);  // one row short: the gaps' bytes had to grow
    EXPECT_GT(built(rows.size() - 40), 0u);  // into a block it had not counted: the block arrays too
}

TEST(PostingList, IntersectKeepsExactlyTheCommonRows) {
    std::mt19937 rnd(11);
    PostingList list;
    std::vector<uint32_t> model;
    for (uint32_t r = 0; r < 50000; r += 1 + rnd() % 4) list.append(r), model.push_back(r);
    for (size_t every : {1u, 3u, 97u, 5000u}) {
        std::vector<uint32_t> candidates;
        for (uint32_t r = 0; r < 52000; r += static_cast<uint32_t>(every)) candidates.push_back(r);
        std::vector<uint32_t> expected;
        std::set_intersection(candidates.begin(), candidates.end(), model.begin(), model.end(), std::back_inserter(expected));
        list.intersect(candidates);
        EXPECT_EQ(candidates, expected) << "every " << every;
    }
    std::vector<uint32_t> none{60000, 70000};
    list.intersect(none);
    EXPECT_TRUE(none.empty());
    PostingList empty;
    std::vector<uint32_t> some{1, 2, 3};
    empty.intersect(some);
    EXPECT_TRUE(some.empty());
}

TEST(FlatIndex, MatchesAMapThroughInsertsAndErasures) {
    // Keys are the values' own numbers, hashed into few buckets so runs collide and wrap.
    std::mt19937 rnd(3);
    FlatIndex index;
    std::map<uint32_t, bool> model;
    auto hash = [](uint32_t v) { return v % 13; };
    for (int step = 0; step < 20000; ++step) {
        const uint32_t v = rnd() % 500;
        auto is_v = [v](uint32_t x) { return x == v; };
        if (model.count(v)) {
            EXPECT_TRUE(index.erase(hash(v), is_v));
            model.erase(v);
        } else {
            EXPECT_FALSE(index.find(hash(v), is_v));
            index.insert(hash(v), v);
            model[v] = true;
        }
    }
    EXPECT_EQ(index.size(), model.size());
    for (uint32_t v = 0; v < 500; ++v)
        EXPECT_EQ(index.find(hash(v), [v](uint32_t x) { return x == v; }).has_value(), model.count(v) == 1) << v;
}

// Runs never move once added and never straddle two chunks; one larger than a chunk gets its own.
TEST(ChunkedBytes, RunsStayWhereTheyWereWrittenAndWithinOneChunk) {
    std::mt19937 rnd(9);
    ChunkedBytes bytes;
    struct Run {
        ChunkedBytes::Ref ref;
        const char* at;
        std::string text;
    };
    std::vector<Run> runs;
    size_t total = 0;
    for (int i = 0; i < 20000; ++i) {
        const size_t n = i == 9000 ? ChunkedBytes::kChunk + 17 : rnd() % 300;
        std::string text(n, '\0');
        for (auto& c : text) c = static_cast<char>('a' + rnd() % 26);
        const ChunkedBytes::Ref ref = bytes.add(n);
        std::copy(text.begin(), text.end(), bytes.data(ref));
        runs.push_back({ref, bytes.data(ref), text});
        total += n;
    }
    EXPECT_EQ(bytes.size(), total);
    EXPECT_GT(bytes.chunk_count(), 4u);
    for (const Run& r : runs) {
        ASSERT_EQ(bytes.data(r.ref), r.at) << "a run never moves";
        ASSERT_EQ(std::string_view(r.at, r.text.size()), r.text);
        const size_t offset = r.ref & (ChunkedBytes::kChunk - 1);
        ASSERT_LE(offset + r.text.size(), bytes.chunk(r.ref >> ChunkedBytes::kShift).size()) << "within its chunk";
        ASSERT_TRUE(r.text.size() <= ChunkedBytes::kChunk || offset == 0) << "a large run starts its own chunk";
    }
}

TEST(ChunkedVector, IndexesLikeAVectorAndNeverMovesItems) {
    ChunkedVector<uint64_t> v;
    std::vector<uint64_t> model;
    for (uint64_t i = 0; i < 10000; ++i) v.push_back(i * 7919), model.push_back(i * 7919);
    const uint64_t* first = &v[0];
    v.resize(20000, 42), model.resize(20000, 42);
    v.resize(100, 0);  // never shrinks
    ASSERT_EQ(v.size(), model.size());
    for (size_t i = 0; i < model.size(); ++i) ASSERT_EQ(v[i], model[i]) << i;
    EXPECT_EQ(&v[0], first);
    EXPECT_EQ(v.back(), 42u);
    ChunkedVector<uint64_t> other;
    other.swap(v);
    EXPECT_TRUE(v.empty());
    EXPECT_EQ(other.size(), model.size());
}

TEST(RecordArena, KeepsEveryRecordThroughReplacesAndDrops) {
    std::mt19937 rnd(5);
    RecordArena arena;
    std::vector<std::pair<RecordArena::Ref, std::string>> model;
    auto text = [&](size_t n) {
        std::string s(n, '\0');
        for (auto& c : s) c = static_cast<char>('a' + rnd() % 26);
        return s;
    };
    for (int i = 0; i < 3000; ++i) {
        const size_t n = i == 1500 ? (size_t(3) << 20) : rnd() % 400;  // one record larger than a chunk
        std::string bytes = text(n);
        model.emplace_back(arena.add(bytes), bytes);
    }
    for (int i = 0; i < 3000; ++i) {
        auto& [ref, bytes] = model[rnd() % model.size()];
        bytes = text(rnd() % 400);  // shorter ones stay in place, longer ones move
        ref = arena.replace(ref, bytes);
    }
    for (const auto& [ref, bytes] : model) ASSERT_EQ(arena.get(ref), bytes);
    const std::string_view before = arena.get(model[7].first);
    const char* where = before.data();
    const size_t n = before.size();
    arena.drop(model[7].first);
    EXPECT_TRUE(std::all_of(where, where + n, [](char c) { return c == '\0'; })) << "dropped bytes are zeroed";
    EXPECT_GT(arena.dead_bytes(), 0u);
}

TEST(RecordArena, StoreRecordsSurviveCompaction) {
    // Growing records move, leaving dead bytes; past 1 MiB of them the store compacts its arena.
    Store s = testing::make_store();
    // 100 records growing to 8 keys of 400 bytes, twice over: about 2.8 MB of moved-out bytes, 320 KB live.
    std::vector<std::string> ids;
    for (int i = 0; i < 100; ++i) ids.push_back(testing::ok(s.create(testing::kOrg, json{{"email", "u" + std::to_string(i) + "@x.io"}})).id);
    for (int round = 0; round < 16; ++round)
        for (int i = 0; i < 100; ++i) {
            json metadata = json::object();
            for (int k = 0; k <= round % 8; ++k) metadata["k" + std::to_string(k)] = std::string(400, char('a' + k));
            ASSERT_TRUE(s.update(testing::kOrg, ids[i], json{{"metadata", metadata}}));
        }
    for (int i = 0; i < 100; ++i) {
        const Customer c = testing::ok(s.get(testing::kOrg, ids[i]));
        EXPECT_EQ(*c.email, "u" + std::to_string(i) + "@x.io");
        ASSERT_EQ(c.metadata.size(), 8u);  // what the last round (15) wrote
        EXPECT_EQ(c.metadata["k7"], std::string(400, 'h'));
    }
}

TEST(RecordCodec, IdsKeepTheirTextAndOrderInEitherForm) {
    const std::vector<std::string> ids = {"326b800c-d212-4e56-86ae-3fcadf6774ea", "326b800c-d212-4e56-86ae-3fcadf6774eb",
                                          "ffffffff-0000-4000-8000-000000000000", "326B800C-D212-4E56-86AE-3FCADF6774EA",
                                          "cus_1", "326b800c", "", "zzz"};
    std::vector<std::string> bytes(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
        Customer c;
        c.id = ids[i];
        encode_record(c, bytes[i]);
        EXPECT_EQ(decode_record(bytes[i], "org", 0).id, ids[i]);
        EXPECT_EQ(view_record(bytes[i]).id.text(), ids[i]);
        EXPECT_TRUE(view_record(bytes[i]).id == ids[i]);
        EXPECT_EQ(view_record(bytes[i]).id.uuid, i < 3) << ids[i];  // canonical lower-case UUIDs only
    }
    for (size_t i = 0; i < ids.size(); ++i)
        for (size_t j = 0; j < ids.size(); ++j) {
            EXPECT_EQ(view_record(bytes[i]).id < view_record(bytes[j]).id, ids[i] < ids[j]) << ids[i] << " vs " << ids[j];
            EXPECT_EQ(view_record(bytes[i]).id == ids[j], i == j);
        }
}

// Metadata is read in place from the CBOR a record keeps: every scalar reads as the JSON the DOM would
// give (floats of both widths, the extremes of the integers, text beyond 23 and 255 bytes); any other
// CBOR is refused whole, for the caller to read through the DOM.
TEST(RecordCodec, MetadataIsReadInPlaceFromItsCbor) {
    const json metadata = {{"plan", "pro"}, {"seats", -3}, {"score", 1.5}, {"pi", 3.141592653589793}, {"beta", true},
                           {"off", false}, {"big", 18446744073709551615ull}, {"low", INT64_MIN}, {"zero", 0}, {"nothing", nullptr},
                           {"name", "Zoë Ångström 北京"}, {std::string(30, 'k'), std::string(300, 'v')}, {"u8", 200}, {"u16", 70000}};
    std::vector<std::uint8_t> cbor;
    json::to_cbor(metadata, cbor);
    const std::string_view bytes(reinterpret_cast<const char*>(cbor.data()), cbor.size());
    json read = json::object();
    ASSERT_TRUE(each_cbor_entry(bytes, [&](std::string_view key, const Scalar& v) {
        using K = Scalar::Kind;
        json& out = read[std::string(key)];
        if (v.kind == K::Text) out = std::string(v.text);
        else if (v.kind == K::Bool) out = v.b;
        else if (v.kind == K::Unsigned) out = v.u;
        else if (v.kind == K::Integer) out = v.i;
        else if (v.kind == K::Float) out = v.d;
    }));
    EXPECT_EQ(read, json::from_cbor(cbor));
    EXPECT_EQ(read.dump(), json::from_cbor(cbor).dump()) << "the same number kinds";
    int calls = 0;
    EXPECT_TRUE(each_cbor_entry("", [&](std::string_view, const Scalar&) { ++calls; })) << "no metadata";
    for (const json& other : {json{{"a", 1}, {"list", {1, 2}}}, json{{"a", 1}, {"o", {{"x", 1}}}}, json::array({1})}) {
        std::vector<std::uint8_t> b;
        json::to_cbor(other, b);
        EXPECT_FALSE(each_cbor_entry(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()),
                                     [&](std::string_view, const Scalar&) { ++calls; })) << other;
    }
    EXPECT_FALSE(each_cbor_entry(bytes.substr(0, bytes.size() - 1), [&](std::string_view, const Scalar&) { ++calls; })) << "cut short";
    EXPECT_EQ(calls, 0) << "refused CBOR calls back for none of its members";
}

// An import writes metadata's CBOR straight from the parse tree: the very bytes nlohmann's to_cbor writes
// for the JSON the tree stands for (keys sorted bytewise, the last of repeated keys, every number width).
TEST(RecordCodec, MetadataCborFromTheTreeIsTheDomsCbor) {
    JsonTree tree;
    std::string out;
    for (const char* text :
         {R"({"z":1,"a":"x","m":true,"b":false,"n":null})", R"({"k":1,"k":"last"})", R"({"é":1,"e":2,"E":3,"北":4,"ea":5})",
          R"({"u":23,"v":24,"w":255,"x":256,"y":65535,"z":65536,"big":4294967296,"max":18446744073709551615})",
          R"({"a":-1,"b":-24,"c":-25,"d":-256,"e":-257,"f":-65537,"g":-4294967297,"min":-9223372036854775808})",
          R"({"f":1.5,"g":0.1,"h":-0.0,"i":1e300,"j":3.4028234663852886e38,"k":1e-45,"l":16777217.0})",
          R"({"s":"0123456789012345678901234","t":"Zoë Ångström 北京"})", R"({"list":[1,2],"a":1})", R"({"o":{"x":1}})", "{}"}) {
        ASSERT_TRUE(tree.parse(text)) << text;
        cbor_of_object(tree, tree.root(), out);
        const json dom = tree.to_json(tree.root());
        std::vector<std::uint8_t> expected;
        if (!dom.empty()) json::to_cbor(dom, expected);
        EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.end()), expected) << text;
    }
    std::string long_text = R"({"s":")" + std::string(300, 'x') + R"("})";
    ASSERT_TRUE(tree.parse(long_text));
    cbor_of_object(tree, tree.root(), out);
    EXPECT_EQ(json::from_cbor(out), tree.to_json(tree.root()));
}

TEST(RecordCodec, EveryFieldSurvivesTheRoundTrip) {
    JsonTree tree;
    ASSERT_TRUE(tree.parse(R"({"id":"c1","organization_id":"org","created_at":"2026-01-02T03:04:05.678Z",
        "modified_at":"2026-01-03T00:00:00.000Z","deleted_at":null,"type":"team","email":"Zoë@Example.com",
        "email_verified":true,"name":"Zoë Ångström","billing_name":"北京 Billing","external_id":"ext_x","locale":"fr-FR",
        "avatar_url":"https://x/a.png","default_payment_method_id":"pm_1","first_user_event_at":"2026-01-04T00:00:00.000Z",
        "billing_address":{"country":"FR","line1":"1 rue","line2":null,"postal_code":"75001","city":"Paris","state":null},
        "tax_id":["FR40303265045","eu_vat"],"metadata":{"plan":"pro","seats":-3,"score":1.5,"beta":true,"big":18446744073709551615},
        "members":[{"id":"m1","customer_id":"c1","created_at":"2026-01-02T03:04:05.678Z","modified_at":null,"deleted_at":null,
                    "email":"Zoë@Example.com","name":"Zoë Ångström","external_id":null,"role":"owner"},
                   {"id":"m2","customer_id":"c1","created_at":"2026-01-05T00:00:00.000Z","modified_at":null,
                    "deleted_at":"2026-01-06T00:00:00.000Z","email":"dev@example.com","name":null,"external_id":"d","role":"billing_manager"}],
        "subscriptions":[{"id":"s1","created_at":"2026-01-02T00:00:00.000Z","modified_at":null,"metadata":{"k":"v"},
            "status":"active","amount":900,"currency":"eur","recurring_interval":"year","current_period_start":"2026-01-02T00:00:00.000Z",
            "current_period_end":"2027-01-02T00:00:00.000Z","trial_start":null,"trial_end":null,"canceled_at":null,
            "started_at":"2026-01-02T00:00:00.000Z","ends_at":null,"cancel_at_period_end":true,"product_id":"p","discount_id":"d1","seats":5}],
        "grants":[{"id":"g1","created_at":"2026-01-02T00:00:00.000Z","modified_at":null,"revoked_at":null,
            "granted_at":"2026-01-02T00:00:00.000Z","benefit_id":"b","benefit_type":"custom","benefit_metadata":{},"properties":{"a":[1,2]}}],
        "meters":[{"id":"mt1","created_at":"2026-01-02T00:00:00.000Z","modified_at":null,"meter_id":"api","consumed_units":2.5,"credited_units":10}]})"));
    Problems p;
    const Customer c = from_snapshot(tree, json::array(), p);
    ASSERT_TRUE(p.empty()) << p.to_error().detail[0].msg;
    std::string bytes;
    encode_record(c, bytes);
    const Customer back = decode_record(bytes, "org", c.created_at);
    EXPECT_EQ(to_snapshot(back), to_snapshot(c));
    const RecordView v = view_record(bytes);
    EXPECT_EQ(v.id.text(), "c1");
    EXPECT_FALSE(v.id.uuid);
    EXPECT_EQ(v.email, "Zoë@Example.com");
    EXPECT_EQ(v.name, "Zoë Ångström");
    EXPECT_EQ(v.billing_name, "北京 Billing");
    EXPECT_EQ(v.external_id, "ext_x");
    EXPECT_EQ(json::from_cbor(v.metadata), c.metadata) << "the metadata's CBOR, in place";
    Customer lean;
    decode_record(bytes, "org", c.created_at, lean, false);
    EXPECT_TRUE(lean.metadata.empty() && lean.grants.at(0).properties.empty()) << "no JSON built";
    EXPECT_EQ(lean.members.size(), 2u);
    EXPECT_EQ(lean.subscriptions.at(0).status, back.subscriptions.at(0).status);
}

}  // namespace
}  // namespace clientele
