// Lists and export: Polar's CSV export of an organization's customers (columns, quoting, values, chunks
// that neither skip nor repeat rows while the store changes) and the organization_id filter of lists.
#include <algorithm>
#include <functional>
#include <memory>

#include "test_support.hpp"

#include "domain/export_csv.hpp"

using namespace clientele;
using namespace clientele::testing;

namespace {
const std::string kHeader =
    "ID,External ID,Created At,Email,Name,Tax ID,Billing Address Line 1,Billing Address Line 2,Billing Address City,"
    "Billing Address State,Billing Address Zip,Billing Address Country,Metadata\r\n";

CsvChunk chunk(const Store& s, json args, const std::string& org = kOrg) { return ok(export_csv_chunk(s, org, args)); }

// Every chunk of an export, `limit` rows each; `between` runs before each chunk after the first.
std::vector<CsvChunk> chunks(Store& s, int limit, const std::function<void(size_t)>& between = {}) {
    std::vector<CsvChunk> out{chunk(s, {{"rows_per_chunk", limit}})};
    while (out.back().next) {
        if (between) between(out.size());
        out.push_back(chunk(s, {{"rows_per_chunk", limit}, {"after", *out.back().next}}));
    }
    return out;
}

// The ID column of each row (the header left out).
std::vector<std::string> ids_in(const std::string& csv) {
    std::vector<std::string> out;
    for (size_t at = 0; at < csv.size();) {
        const size_t end = csv.find("\r\n", at);
        const std::string line = csv.substr(at, end - at);
        if (line.rfind("ID,", 0) != 0) out.push_back(line.substr(0, line.find(',')));
        at = end + 2;
    }
    return out;
}
std::vector<std::string> ids_in(const std::vector<CsvChunk>& all) {
    std::string text;
    for (const auto& c : all) text += c.text;
    return ids_in(text);
}

std::vector<std::string> create_many(Store& s, int n, const std::string& org = kOrg) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back(ok(s.create(org, json{{"email", "c" + std::to_string(i) + "@example.com"}})).id);
    return ids;
}
}  // namespace

TEST(CsvExport, FieldsAreQuotedOnlyWhenTheyMustBeAsPythonsCsvModuleDoes) {
    auto field = [](std::string_view v) {
        std::string out;
        append_csv_field(out, v);
        return out;
    };
    EXPECT_EQ(field("plain text"), "plain text");
    EXPECT_EQ(field(""), "");
    EXPECT_EQ(field(" padded "), " padded ");
    EXPECT_EQ(field("a,b"), "\"a,b\"");
    EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(field("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(field("tab\there"), "tab\there");
    // Polar writes formulas as they are (no quote or apostrophe is added), and so does clientele.
    EXPECT_EQ(field("=HYPERLINK(\"x\")"), "\"=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(field("+1"), "+1");
}

TEST(CsvExport, PolarsColumnsAndValues) {
    Store s(Clock([] { return Millis{1767225601000}; }), IdGenerator(42));  // 2026-01-01T00:00:01Z for every record
    const Customer c = ok(s.create(kOrg, json{{"email", "ada@example.com"},
                                              {"name", "Lovelace, \"Ada\""},
                                              {"external_id", "u-1"},
                                              {"billing_address", {{"country", "FR"}, {"line1", "1 rue de la Paix"}, {"line2", "Bât. B"},
                                                                   {"postal_code", "75002"}, {"city", "Paris"}}},
                                              {"tax_id", "FR40303265045"},
                                              {"metadata", {{"plan", "pro"}, {"a", 1}, {"zz", true}, {"\u00e9", "\u00fc\U0001F600"},
                                                            {"quote", "say \"hi\"\n"}, {"ratio", 0.5}}}}));
    const Customer bare = ok(s.create(kOrg, json{{"type", "team"}, {"owner", {{"email", "boss@team.io"}}}}));
    std::string row;
    append_csv_row(row, c);
    // created_at as Python's isoformat; the tax ID's value; metadata as json.dumps in Postgres's key order
    // (shorter keys first, then by bytes: "zz" before "é"), non-ASCII escaped.
    const std::string expected = c.id + ",u-1,2026-01-01T00:00:01+00:00,ada@example.com,\"Lovelace, \"\"Ada\"\"\",FR40303265045," +
                                 "1 rue de la Paix,B\u00e2t. B,Paris,,75002,FR," +
                                 R"("{""a"": 1, ""zz"": true, ""\u00e9"": ""\u00fc\ud83d\ude00"", ""plan"": ""pro"", ""quote"": ""say \""hi\""\n"", ""ratio"": 0.5}")" +
                                 "\r\n";
    EXPECT_EQ(row, expected);
    std::string empty;
    append_csv_row(empty, bare);
    EXPECT_EQ(empty, bare.id + ",,2026-01-01T00:00:01+00:00,,,,,,,,,,\r\n");
    std::string header;
    append_csv_header(header);
    EXPECT_EQ(header, kHeader);
    // One chunk: the header, then the customers oldest first (here all created at once: by id).
    EXPECT_EQ(chunk(s, json::object()).text, kHeader + (c.id < bare.id ? expected + empty : empty + expected));
    EXPECT_FALSE(chunk(s, json::object()).next);
}

TEST(CsvExport, CreatedAtKeepsAFractionAsMicrosecondsAndTiesAreOrderedById) {
    Store s(Clock([] { return Millis{1767225600123}; }), IdGenerator(9));  // every customer in the same millisecond
    std::vector<std::string> ids = create_many(s, 5);
    std::sort(ids.begin(), ids.end());
    const std::string csv = chunk(s, json::object()).text;
    EXPECT_NE(csv.find(",2026-01-01T00:00:00.123000+00:00,"), std::string::npos);
    EXPECT_EQ(ids_in(csv), ids);
    // One row per chunk through the ties, and a delete between chunks skips nothing.
    EXPECT_EQ(ids_in(chunks(s, 1, [&](size_t n) {
                  if (n == 2) ok(s.remove(kOrg, ids[0], false));
              })),
              ids);
}

TEST(CsvExport, ChunksConcatenateToTheWholeExportHeaderFirst) {
    Store s = make_store();
    const auto ids = create_many(s, 7);
    ok(s.remove(kOrg, ids[5], false));  // deleted customers are not exported
    const std::string whole = chunk(s, json::object()).text;
    const auto parts = chunks(s, 3);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].text.rfind(kHeader, 0), 0u);
    EXPECT_EQ(parts[1].text.find("ID,"), std::string::npos);
    EXPECT_EQ(parts[0].text + parts[1].text, whole);
    EXPECT_EQ(ids_in(whole), (std::vector<std::string>{ids[0], ids[1], ids[2], ids[3], ids[4], ids[6]}));
    // Exactly `limit` rows left: the chunk that takes them is the last.
    EXPECT_EQ(chunks(s, 6).size(), 1u);
    EXPECT_EQ(chunks(s, 1).size(), 6u);
}

TEST(CsvExport, ChangesBetweenChunksNeitherSkipNorRepeatRows) {
    Store s = make_store();
    const auto ids = create_many(s, 6);
    // A customer already written is deleted: the rows after it do not shift into the gap.
    EXPECT_EQ(ids_in(chunks(s, 2, [&](size_t n) {
                  if (n == 1) ok(s.remove(kOrg, ids[1], false));
              })),
              ids);
    // A customer not yet written is deleted: it is left out, nothing else is.
    Store t = make_store();
    const auto more = create_many(t, 6);
    EXPECT_EQ(ids_in(chunks(t, 2, [&](size_t n) {
                  if (n == 1) ok(t.remove(kOrg, more[3], false));
              })),
              (std::vector<std::string>{more[0], more[1], more[2], more[4], more[5]}));
    // A customer created meanwhile comes at the end.
    Store u = make_store();
    auto third = create_many(u, 4);
    EXPECT_EQ(ids_in(chunks(u, 2, [&](size_t n) {
                  if (n == 1) third.push_back(ok(u.create(kOrg, json{{"email", "late@example.com"}})).id);
              })),
              third);
}

TEST(CsvExport, BadArgumentsAnswer422AtTheirName) {
    Store s = make_store();
    create_many(s, 2);
    for (const json& after : {json("nope"), json("1:2"), json("x:1:id"), json(5)}) {
        auto r = export_csv_chunk(s, kOrg, json{{"after", after}});
        ASSERT_FALSE(r) << after.dump();
        EXPECT_EQ(r.error().detail.at(0).loc, json::array({"after"}));
    }
    for (int limit : {0, 10001}) {
        auto r = export_csv_chunk(s, kOrg, json{{"rows_per_chunk", limit}});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().detail.at(0).loc, json::array({"rows_per_chunk"}));
    }
    auto extra = export_csv_chunk(s, kOrg, json{{"query", {{"email", "x"}}}});
    ASSERT_FALSE(extra);
    EXPECT_EQ(extra.error().detail.at(0).type, "extra_forbidden");
}

TEST(CsvExport, OrganizationFilterIntersectsWithWhatTheCallerSees) {
    Store s = make_store();
    const auto mine = create_many(s, 2);
    create_many(s, 3, kOtherOrg);
    EXPECT_EQ(chunk(s, json::object()).text.find("c0@example.com") != std::string::npos, true);
    EXPECT_EQ(chunk(s, {{"query", {{"organization_id", kOtherOrg}}}}).text, kHeader);
    EXPECT_EQ(ids_in(chunk(s, {{"query", {{"organization_id", json::array({kOtherOrg, kOrg})}}}}).text), mine);
    EXPECT_EQ(ids_in(chunk(s, {{"query", {{"organization_id", kOrg}}}}).text), mine);
    EXPECT_EQ(ids_in(chunk(s, json::object(), kOtherOrg).text).size(), 3u);
}

TEST(Lists, OrganizationIdGivenSeveralTimesIsAFilterIntersectedWithWhatTheCallerSees) {
    Store s = make_store();
    create_many(s, 2);
    create_many(s, 3, kOtherOrg);
    EXPECT_EQ(ok(s.list({kOrg}, json{{"organization_id", json::array({kOtherOrg, kOrg})}})).total_count, 2u);
    EXPECT_EQ(ok(s.list({kOrg}, json{{"organization_id", kOrg}})).total_count, 2u);
    const Page foreign = ok(s.list({kOrg}, json{{"organization_id", json::array({kOtherOrg})}}));
    EXPECT_EQ(foreign.total_count, 0u);
    EXPECT_EQ(foreign.max_page, 0u);
    EXPECT_TRUE(foreign.items.empty());
    EXPECT_EQ(ok(s.list({kOrg}, json{{"organization_id", kOtherOrg}, {"query", "c1"}})).total_count, 0u);
    auto bad = s.list({kOrg}, json{{"organization_id", json::array({kOrg, 5})}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().detail.at(0).loc, json::array({"query", "organization_id", 1}));
}

TEST(CsvExport, ThroughTheApiAChunkAndItsCursor) {
    Api api(make_store());
    json args = {{"organization_id", kOrg}};
    for (int i = 0; i < 3; ++i) {
        json create = {{"organization_id", kOrg}, {"body", {{"email", "a" + std::to_string(i) + "@example.com"}}}};
        ASSERT_EQ(json::parse(api.call("customers.create", create.dump()))["ok"], true);
    }
    args["rows_per_chunk"] = 2;
    json first = json::parse(api.call("customers.export", args.dump()));
    ASSERT_EQ(first["ok"], true) << first.dump();
    EXPECT_EQ(ids_in(first["value"]["csv"].get<std::string>()).size(), 2u);
    ASSERT_TRUE(first["value"]["next"].is_string());
    args["after"] = first["value"]["next"];
    json second = json::parse(api.call("customers.export", args.dump()));
    EXPECT_EQ(ids_in(second["value"]["csv"].get<std::string>()).size(), 1u);
    EXPECT_EQ(second["value"]["next"], nullptr);
    args["after"] = "garbage";
    json bad = json::parse(api.call("customers.export", args.dump()));
    EXPECT_EQ(bad["status"], 422);
}
