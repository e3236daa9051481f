// The record codec (storage/record_codec, io/cbor): ids in either form, metadata read in place from its
// CBOR and written from the parse tree as the DOM writes it, and every field of a customer round-tripped.
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/snapshot.hpp"
#include "storage/record_codec.hpp"
#include "test_support.hpp"

namespace clientele {
namespace {

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
