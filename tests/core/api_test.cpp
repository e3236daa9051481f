// The JSON entry point: envelopes, Polar's error bodies, and that nothing throws out of it.
#include <algorithm>
#include <cstring>

#include "test_support.hpp"

#include "io/json_text.hpp"

using namespace clientele;
using namespace clientele::testing;

TEST(Api, CreateThenGetThroughJson) {
    Api api;
    json created = call(api, "customers.create", {{"body", {{"email", "a@example.com"}}}});
    ASSERT_EQ(created["ok"], true);
    json got = call(api, "customers.get", {{"id", created["value"]["id"]}});
    EXPECT_EQ(got["value"], created["value"]);
}

TEST(Api, ValidationErrorsHavePolarsShape) {
    Api api;
    json r = call(api, "customers.create", {{"body", {{"email", "nope"}}}});
    EXPECT_EQ(r["ok"], false);
    EXPECT_EQ(r["status"], 422);
    EXPECT_EQ(r["error"]["error"], "PolarRequestValidationError");
    ASSERT_EQ(r["error"]["detail"].size(), 1u);
    const json& d = r["error"]["detail"][0];
    EXPECT_EQ(d["loc"], json::array({"body", "email"}));
    EXPECT_TRUE(d.contains("type") && d.contains("msg") && d.contains("input"));
}

TEST(Api, NotFoundHasPolarsShape) {
    Api api;
    json r = call(api, "customers.get", {{"id", "00000000-0000-4000-8000-000000000000"}});
    EXPECT_EQ(r["status"], 404);
    EXPECT_EQ(r["error"], (json{{"error", "ResourceNotFound"}, {"detail", "Not found"}}));
}

TEST(Api, MalformedInputNeverThrows) {
    Api api;
    for (const char* text : {"", "{", "[1,2", "{\"body\":", "\xff\xfe", "null", "42", "{\"organization_id\":1}"}) {
        std::string out;
        EXPECT_NO_THROW(out = api.call("customers.create", std::string_view(text))) << text;
        json r = json::parse(out);
        EXPECT_EQ(r["ok"], false) << text;
    }
    json r = json::parse(api.call("customers.create", std::string_view("{")));
    EXPECT_EQ(r["error"]["detail"][0]["type"], "json_invalid");
}

TEST(Api, DeepNestingIsRefusedBeforeParsing) {
    auto nested = [](size_t depth) {  // built in one pass: repeated concatenation is quadratic at 100,000 levels
        std::string m;
        for (size_t i = 0; i < depth; ++i) m += "{\"m\":";
        m += "1" + std::string(depth, '}');
        return R"({"organization_id":"org","body":{"email":"deep@example.com","metadata":{"deep":)" + m + "}}}";
    };
    EXPECT_EQ(json_shape(nested(60)).depth, 63u);
    EXPECT_EQ(json_shape(R"({"a":"[[[{{{\"[[["})").depth, 1u);  // brackets inside strings do not count
    Api api;
    json shallow = json::parse(api.call("customers.create", std::string_view(nested(60))));
    EXPECT_EQ(shallow["error"]["detail"][0]["type"], "metadata_value_type");  // parsed, then refused by the rule
    json deep = json::parse(api.call("customers.create", std::string_view(nested(100000))));
    EXPECT_EQ(deep["error"]["detail"][0]["type"], "json_invalid");
    EXPECT_EQ(deep["error"]["detail"][0]["msg"], "JSON decode error: nested deeper than 64 levels");
    EXPECT_EQ(api.store().size(), 0u);
}

TEST(Api, ErrorsCarryAMachineReadableCode) {
    Api api;
    json first = call(api, "customers.create", {{"body", {{"email", "a@example.com"}, {"external_id", "e1"}}}});
    EXPECT_EQ(first["value"]["email"], "a@example.com");
    EXPECT_FALSE(first.contains("code")) << "a success has no error code";
    // Both unique keys taken: a conflict, and the wire body is Polar's plain 422 (no code inside it).
    json dup = call(api, "customers.create", {{"body", {{"email", "A@example.com"}, {"external_id", "e1"}}}});
    EXPECT_EQ(dup["status"], 422);
    EXPECT_EQ(dup["code"], "conflict");
    EXPECT_EQ(dup["error"]["detail"].size(), 2u);
    EXPECT_FALSE(dup["error"]["detail"][0].contains("code"));
    EXPECT_FALSE(dup["error"]["detail"][0].contains("duplicate"));
    // A duplicate beside another broken rule is a validation error, not a conflict.
    json mixed = call(api, "customers.create", {{"body", {{"email", "a@example.com"}, {"name", 5}}}});
    EXPECT_EQ(mixed["code"], "validation");
    EXPECT_EQ(call(api, "customers.create", {{"body", {{"email", "nope"}}}})["code"], "validation");
    EXPECT_EQ(call(api, "customers.get", {{"id", "00000000-0000-4000-8000-000000000000"}})["code"], "not_found");
    // Members: a duplicate member email on a team is a conflict too.
    json team = call(api, "customers.create", {{"body", {{"email", "t@example.com"}, {"type", "team"}}}});
    const json team_id = team["value"]["id"];
    EXPECT_EQ(call(api, "members.create", {{"body", {{"customer_id", team_id}, {"email", "m@example.com"}}}})["ok"], true);
    json m2 = call(api, "members.create", {{"body", {{"customer_id", team_id}, {"email", "x@example.com"}}}});
    ASSERT_EQ(m2["ok"], true);
    json dup_member = call(api, "members.update", {{"id", m2["value"]["id"]}, {"body", {{"email", "m@example.com"}}}});
    EXPECT_EQ(dup_member["code"], "conflict") << dup_member.dump();
}

TEST(Api, ImportReportsTheLoadedLinesWhenAsked) {
    Api from;
    std::vector<std::string> ids;
    for (const char* email : {"one@example.com", "two@example.com"})
        ids.push_back(call(from, "customers.create", {{"body", {{"email", email}, {"metadata", {{"plan", "pro"}, {"seats", 3}}}}}})["value"]["id"]);
    const std::string jsonl = call(from, "snapshot.export", json::object())["value"];
    Api plain, asked;
    json quiet = call(plain, "snapshot.import", {{"jsonl", jsonl}});
    EXPECT_EQ(quiet["value"]["imported"], 2);
    EXPECT_FALSE(quiet["value"].contains("ids")) << "ids only when report_lines is set";
    EXPECT_FALSE(quiet["value"].contains("jsonl"));
    // A line given in another shape (members reordered, whitespace) is reported as the store writes it.
    const std::string reshaped = json::parse(jsonl.substr(0, jsonl.find('\n'))).dump(2);
    std::string one_line;
    for (char ch : reshaped) if (ch != '\n') one_line += ch;
    json r = call(asked, "snapshot.import", {{"jsonl", one_line + "\n" + jsonl.substr(jsonl.find('\n') + 1)}, {"report_lines", true}});
    EXPECT_EQ(r["value"]["ids"], json(ids));
    const json lines = call(asked, "snapshot.lines", {{"ids", ids}})["value"];
    EXPECT_EQ(r["value"]["jsonl"], lines["jsonl"]) << "the same lines snapshot.lines gives";
    EXPECT_EQ(r["value"]["jsonl"], jsonl);
    // Beside the envelope, as snapshot.lines goes.
    Api beside_api;
    std::string beside;
    TextLines source(jsonl);
    const std::string args = json{{"organization_id", kOrg}, {"report_lines", true}}.dump();
    const json b = json::parse(beside_api.call("snapshot.import", args, &source, &beside));
    EXPECT_EQ(b["beside"], "jsonl");
    EXPECT_EQ(beside, jsonl);
    // Partial import: only the lines that loaded are listed.
    Api partial;
    json some = call(partial, "snapshot.import", {{"jsonl", "{broken\n" + jsonl}, {"atomic", false}, {"report_lines", true}});
    EXPECT_EQ(some["value"]["ids"], json(ids));
    EXPECT_EQ(some["value"]["jsonl"], jsonl);
    EXPECT_EQ(some["value"]["failed"].size(), 1u);
}

TEST(Api, ImportRefusesATextThatIsMissingOrNotAString) {
    Api api;
    const json missing = call(api, "snapshot.import", json::object());
    EXPECT_EQ(missing["status"], 422);
    EXPECT_EQ(missing["error"]["detail"][0]["loc"], json::array({"jsonl"}));
    EXPECT_EQ(missing["error"]["detail"][0]["type"], "missing");
    for (const json& bad : {json(123), json(nullptr), json::array({"x"}), json::object()}) {
        const json r = call(api, "snapshot.import", {{"jsonl", bad}});
        EXPECT_EQ(r["status"], 422) << bad.dump();
        EXPECT_EQ(r["error"]["detail"][0]["loc"], json::array({"jsonl"}));
        EXPECT_EQ(r["error"]["detail"][0]["type"], "string_type");
    }
    EXPECT_EQ(call(api, "snapshot.import", {{"jsonl", ""}})["value"]["imported"], 0) << "an empty text is a snapshot of nothing";
}

TEST(Api, OrganizationIsRequired) {
    Api api;
    json r = json::parse(api.call("customers.list", std::string_view("{}")));
    EXPECT_EQ(r["status"], 422);
    EXPECT_EQ(r["error"]["detail"][0]["loc"], json::array({"organization_id"}));
}

TEST(Api, UnknownMethodIsNotFound) {
    Api api;
    EXPECT_EQ(call(api, "customers.explode", json::object())["status"], 404);
}

TEST(Api, ListAnswersItemsAndPagination) {
    Api api;
    call(api, "customers.create", {{"body", {{"email", "a@example.com"}}}});
    json r = call(api, "customers.list", {{"query", {{"limit", 5}}}});
    EXPECT_EQ(r["value"]["pagination"], (json{{"total_count", 1}, {"max_page", 1}}));
    EXPECT_EQ(r["value"]["items"].size(), 1u);
}

TEST(Api, EventsAreReadPerOrganization) {
    Api api;
    call(api, "customers.create", {{"body", {{"email", "a@example.com"}}}});
    json mine = call(api, "events.since", {{"after", 0}});
    std::vector<std::string> types;
    for (const auto& e : mine["value"]) types.push_back(e["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"customer.created", "member.created", "customer.state_changed"}));
    json theirs = json::parse(api.call("events.since", std::string_view(json{{"organization_id", kOtherOrg}}.dump())));
    EXPECT_EQ(theirs["value"].size(), 0u);
}

TEST(Api, ValidateReportsWhatCreateAndUpdateWouldWithoutWriting) {
    Api api;
    json bad = call(api, "customers.validate", {{"body", {{"email", "x"}, {"billing_address", {{"country", "US"}, {"state", "ZZ"}}}}}});
    EXPECT_EQ(bad["status"], 422);
    EXPECT_EQ(bad["error"]["detail"].size(), 2u);
    json good = call(api, "customers.validate", {{"body", {{"email", "a@example.com"}}}});
    EXPECT_EQ(good["ok"], true);
    EXPECT_EQ(call(api, "customers.list", json::object())["value"]["pagination"]["total_count"], 0) << "validate writes nothing";
    json created = call(api, "customers.create", {{"body", {{"email", "a@example.com"}, {"external_id", "e1"}}}});
    EXPECT_EQ(call(api, "customers.validate", {{"body", {{"email", "A@example.com"}}}})["status"], 422) << "uniqueness too";
    json locked = call(api, "customers.validateUpdate", {{"id", created["value"]["id"]}, {"body", {{"external_id", "e2"}}}});
    EXPECT_EQ(locked["error"]["detail"][0]["msg"], "Customer external ID cannot be updated.");
    EXPECT_EQ(call(api, "customers.get", {{"id", created["value"]["id"]}})["value"]["external_id"], "e1");
}

TEST(Api, SnapshotTextCanTravelBesideTheJson) {
    Api from;
    call(from, "customers.create", {{"body", {{"email", "beside@example.com"}}}});
    const std::string jsonl = call(from, "snapshot.export", json::object())["value"];
    Api to;
    const std::string args = json{{"organization_id", kOrg}, {"atomic", true}}.dump();
    // Pulled 16 bytes at a time, as the WASM binding pulls a JS string (a megabyte at a time).
    size_t at = 0;
    ChunkedLines pieces(
        [&](char* out, size_t room) {
            const size_t n = std::min({room, size_t(16), jsonl.size() - at});
            std::memcpy(out, jsonl.data() + at, n);
            return at += n, n;
        },
        [&] { at = 0; }, 16);
    json r = json::parse(to.call("snapshot.import", std::string_view(args), &pieces));
    EXPECT_EQ(r["value"]["imported"], 1);
    EXPECT_EQ(call(to, "customers.list", json::object())["value"]["items"][0]["email"], "beside@example.com");
    TextLines broken("{not json");
    json bad = json::parse(to.call("snapshot.import", std::string_view(args), &broken));
    EXPECT_EQ(bad["error"]["detail"][0]["type"], "json_invalid");
}

// An exception inside a command is the core's fault, not the caller's: a 500 with code "internal" (never a
// 422 that blames the body), and a create that threw before storing anything leaves the store as it was.
TEST(Api, AnExceptionInsideACommandIs500AndChangesNothing) {
    auto fail = std::make_shared<bool>(false);
    Api api(Store(Clock([fail]() -> Millis {
                      if (*fail) throw std::runtime_error("clock broke");
                      return 1767225600000;
                  }),
                  IdGenerator(7)));
    ASSERT_EQ(call(api, "customers.create", {{"body", {{"email", "kept@example.com"}}}})["ok"], true);
    *fail = true;
    json r = call(api, "customers.create", {{"body", {{"email", "new@example.com"}}}});
    EXPECT_EQ(r["status"], 500);
    EXPECT_EQ(r["code"], "internal");
    EXPECT_EQ(r["error"]["error"], "InternalError");
    *fail = false;
    json list = call(api, "customers.list", json::object());
    EXPECT_EQ(list["value"]["pagination"]["total_count"], 1);
    EXPECT_EQ(list["value"]["items"][0]["email"], "kept@example.com");
}

// Counts that a request gives are bounded (pydantic's le), so no sum or product of them overflows.
TEST(Api, BillingNumbersAreBounded) {
    Api api;
    const json id = call(api, "customers.create", {{"body", {{"email", "b@example.com"}, {"type", "team"}}}})["value"]["id"];
    for (const auto& [key, value] : std::vector<std::pair<std::string, json>>{
             {"trial_days", 1001}, {"trial_days", INT64_MAX}, {"seats", 1'000'001}, {"seats", INT64_MAX}, {"amount", INT64_MAX}}) {
        json body = {{"customer_id", id}, {"product_id", "p"}};
        body[key] = value;
        json r = call(api, "subscriptions.create", {{"body", body}});
        EXPECT_EQ(r["status"], 422) << key;
        EXPECT_EQ(r["error"]["detail"][0]["type"], "less_than_equal") << key;
    }
    json ok_ = call(api, "subscriptions.create", {{"body", {{"customer_id", id}, {"product_id", "p"}, {"trial_days", 1000}, {"seats", 1'000'000}}}});
    EXPECT_EQ(ok_["ok"], true) << ok_.dump();
}

// Found by api_fuzz: an import into a new organization whose every line was refused (partial mode) made
// the organization known to the record store without its search index; listing it then read past the
// indexes. Both now come into being together, and listing an organization with no index answers empty.
TEST(Api, ListingAnOrganizationWhoseOnlyImportLoadedNothing) {
    Api api;
    const auto in = [&](const std::string& org, const char* method, json args) {
        args["organization_id"] = org;
        return json::parse(api.call(method, std::string_view(args.dump())));
    };
    json imported = in("fresh-org", "snapshot.import", {{"jsonl", "{broken"}, {"atomic", false}});
    EXPECT_EQ(imported["value"]["imported"], 0);
    for (const json& query : {json::object(), json{{"query", "abc"}}, json{{"sorting", "-email"}}, json{{"metadata", {{"k", {"3", "2"}}}}}}) {
        json page = in("fresh-org", "customers.list", {{"query", query}});
        EXPECT_EQ(page["value"]["pagination"]["total_count"], 0) << query.dump();
    }
    json created = in("fresh-org", "customers.create", {{"body", {{"email", "late@example.com"}}}});
    EXPECT_EQ(created["ok"], true);
    EXPECT_EQ(in("fresh-org", "customers.list", {{"query", {{"query", "late"}}}})["value"]["pagination"]["total_count"], 1);
}

// `anonymize` is a boolean or absent: a string "true", 1 or null is refused (422 bool_type), never read
// as false, and the customer is neither deleted nor anonymized.
TEST(Api, AnonymizeMustBeABoolean) {
    Api api;
    const json created = call(api, "customers.create", {{"body", {{"email", "kept@example.com"}, {"external_id", "k1"}}}});
    const json id = created["value"]["id"];
    for (const json& value : {json("true"), json(1), json(nullptr), json("yes")}) {
        for (const char* method : {"customers.delete", "customers.deleteExternal"}) {
            json r = call(api, method, {{"id", id}, {"external_id", "k1"}, {"anonymize", value}});
            EXPECT_EQ(r["status"], 422) << method << " " << value.dump();
            EXPECT_EQ(r["error"]["detail"][0]["type"], "bool_type");
            EXPECT_EQ(r["error"]["detail"][0]["loc"], json::array({"anonymize"}));
            EXPECT_EQ(r["error"]["detail"][0]["input"], value);
        }
    }
    EXPECT_EQ(call(api, "customers.get", {{"id", id}})["value"], created["value"]) << "unchanged";
    EXPECT_EQ(call(api, "customers.delete", {{"id", id}})["value"]["email"], "kept@example.com") << "absent: a plain delete";
}

// Spec §1: `first_user_event_at` is part of the customer shape, in customer and state answers: null for a
// customer created here, the stored time for one imported with it.
TEST(Api, FirstUserEventAtIsInEveryCustomerShape) {
    Api api;
    const json created = call(api, "customers.create", {{"body", {{"email", "a@example.com"}}}})["value"];
    ASSERT_TRUE(created.contains("first_user_event_at"));
    EXPECT_TRUE(created["first_user_event_at"].is_null());
    const json state = call(api, "customers.getState", {{"id", created["id"]}})["value"];
    ASSERT_TRUE(state.contains("first_user_event_at"));
    EXPECT_TRUE(state["first_user_event_at"].is_null());
    json line = json::parse(call(api, "snapshot.export", json::object())["value"].get<std::string>());
    line["first_user_event_at"] = "2026-01-04T00:00:00Z";
    line["id"] = "7a0f3f35-3c55-4c9b-9d2a-3b8d1f0e6a11";
    line["email"] = "b@example.com";
    line["members"][0]["id"] = "5b1e6c2a-8f3d-4e7a-9c0b-2d4f6a8e1c33";
    line["members"][0]["customer_id"] = line["id"];
    line["members"][0]["email"] = "b@example.com";
    const json imported = call(api, "snapshot.import", {{"jsonl", line.dump()}});
    ASSERT_EQ(imported["ok"], true) << imported.dump();
    const json got = call(api, "customers.get", {{"id", line["id"]}})["value"];
    EXPECT_EQ(got["first_user_event_at"], "2026-01-04T00:00:00.000Z");
    EXPECT_EQ(call(api, "customers.getState", {{"id", line["id"]}})["value"]["first_user_event_at"], "2026-01-04T00:00:00.000Z");
}

TEST(Api, LargeTextAnswersGoBesideTheEnvelopeWhenAsked) {
    Api api;
    std::vector<std::string> ids;
    for (const char* email : {"one@example.com", "two@example.com"})
        ids.push_back(call(api, "customers.create", {{"body", {{"email", email}, {"name", "Quote \" and \\n"}}}})["value"]["id"]);
    const std::string args = json{{"organization_id", kOrg}, {"ids", ids}}.dump();
    const std::string exported = call(api, "snapshot.export", json::object())["value"];

    std::string text;
    const json env = json::parse(api.call("snapshot.export", json{{"organization_id", kOrg}}.dump(), nullptr, &text));
    EXPECT_EQ(env["beside"], "") << "the value itself";
    EXPECT_TRUE(env["value"].is_null());
    EXPECT_EQ(text, exported) << "unescaped, the same text";

    const json inline_lines = json::parse(api.call("snapshot.lines", args));
    std::string jsonl;
    const json lines = json::parse(api.call("snapshot.lines", args, nullptr, &jsonl));
    EXPECT_EQ(lines["beside"], "jsonl");
    EXPECT_TRUE(lines["value"]["jsonl"].is_null());
    EXPECT_EQ(lines["value"]["ids"], json(ids));
    EXPECT_EQ(jsonl, inline_lines["value"]["jsonl"]);
    EXPECT_EQ(jsonl, exported);
    EXPECT_FALSE(inline_lines.contains("beside"));

    std::string untouched;
    const json created = json::parse(api.call("customers.get", json{{"organization_id", kOrg}, {"id", ids[0]}}.dump(), nullptr, &untouched));
    EXPECT_FALSE(created.contains("beside"));
    EXPECT_TRUE(untouched.empty()) << "other answers stay in the JSON";
}
