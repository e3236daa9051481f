#include "api/api.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "domain/export_csv.hpp"
#include "io/json_text.hpp"
#include "io/json_writer.hpp"
#include "model/billing_json.hpp"
#include "webhooks/webhook.hpp"

namespace clientele {

json error_body(const Error& e) {
    switch (e.kind) {
        case ErrorKind::Validation: {
            json detail = json::array();
            for (const auto& d : e.detail)
                detail.push_back({{"type", d.type}, {"loc", d.loc}, {"msg", d.msg}, {"input", d.input}});
            return {{"error", "PolarRequestValidationError"}, {"detail", detail}};
        }
        case ErrorKind::NotFound: return {{"error", "ResourceNotFound"}, {"detail", e.message}};
        case ErrorKind::NotPermitted: return {{"error", "NotPermitted"}, {"detail", e.message}};
        case ErrorKind::Unauthorized: return {{"error", "Unauthorized"}, {"detail", e.message}};
        case ErrorKind::WebhookVerification: return {{"error", "WebhookVerificationError"}, {"detail", e.message}};
        case ErrorKind::Internal: return {{"error", "InternalError"}, {"detail", e.message}};
    }
    return {};
}

const char* error_code(const Error& e) {
    switch (e.kind) {
        case ErrorKind::Validation: {
            const bool conflict = !e.detail.empty() &&
                std::all_of(e.detail.begin(), e.detail.end(), [](const ErrorDetail& d) { return d.duplicate; });
            return conflict ? "conflict" : "validation";
        }
        case ErrorKind::NotFound: return "not_found";
        case ErrorKind::NotPermitted: return "not_permitted";
        case ErrorKind::Unauthorized: return "unauthorized";
        case ErrorKind::WebhookVerification: return "webhook_verification";
        case ErrorKind::Internal: return "internal";
    }
    return "internal";
}

int error_status(const Error& e) {
    switch (e.kind) {
        case ErrorKind::Validation: return 422;
        case ErrorKind::NotFound: return 404;
        case ErrorKind::NotPermitted: return 403;
        case ErrorKind::Unauthorized: return 401;
        case ErrorKind::WebhookVerification: return 400;
        case ErrorKind::Internal: return 500;
    }
    return 500;
}

namespace {
// Serializes without throwing: invalid UTF-8 (e.g. echoed in an error) is replaced, not fatal.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A value already written as JSON text (an answer's hot part, written without a DOM).
struct JsonText {
    std::string text;
};
// Envelopes are answered as JSON text: {"ok":true,"value":…} or {"ok":false,"status":…,"error":…}.
std::string ok(JsonText value) { return R"({"ok":true,"value":)" + value.text + "}"; }
std::string ok(const json& value) { return ok(JsonText{dump(value)}); }
// An answer whose large text went beside the envelope: `field` names where in the value it belongs.
std::string ok_beside(JsonText value, std::string_view field) {
    return R"({"ok":true,"value":)" + value.text + R"(,"beside":")" + std::string(field) + "\"}";
}
// A long text answered as a JSON string, escaped straight into the envelope (no DOM copy of it).
JsonText string_value(std::string_view text) {
    JsonText out;
    out.text.reserve(text.size() + text.size() / 8 + 2);
    append_json_string(out.text, text);
    return out;
}
std::string fail(const Error& e) {
    return dump({{"ok", false}, {"status", error_status(e)}, {"code", error_code(e)}, {"error", error_body(e)}});
}

Error invalid(json loc, std::string type, std::string msg, json input = nullptr) {
    Problems p;
    p.add(std::move(loc), std::move(type), std::move(msg), std::move(input));
    return p.to_error();
}

template <class T, class F>
std::string answer(const Result<T>& r, F render) {
    return r ? ok(render(r.value())) : fail(r.error());
}
JsonText customer(const Customer& c) {
    JsonText out;
    append_json(out.text, c);
    return out;
}

std::string text_arg(const json& args, const char* key) {
    auto it = args.find(key);
    return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
}

JsonText page_json(const Page& page) {
    JsonText out;
    out.text.reserve(64 + 640 * page.items.size());  // a customer's JSON is 500-600 bytes
    {  // the writer closes the object as it goes out of scope: before `out` is returned
        JsonObjectWriter w(out.text);
        std::string& items = w.key("items");
        items += '[';
        for (const Customer& c : page.items) {
            if (&c != page.items.data()) items += ',';
            append_json(items, c);
        }
        items += ']';
        w.object("pagination", [&](JsonObjectWriter& p) {
            p.number("max_page", page.max_page);
            p.number("total_count", page.total_count);
        });
    }
    return out;
}

struct Call {
    Store& store;
    const json& args;
    LineSource* lines;    // a text passed beside the JSON, or nullptr
    std::string* beside;  // where a large text answer goes instead of into the JSON, or nullptr
    std::string org() const { return text_arg(args, "organization_id"); }
    std::vector<std::string> ids() const {  // the string entries of "ids"
        std::vector<std::string> out;
        for (const auto& id : args.value("ids", json::array()))
            if (id.is_string()) out.push_back(id.get<std::string>());
        return out;
    }
    // A large text argument, required: the one passed beside the JSON, else the JSON's own `key` (a string),
    // read in place; f(lines) answers the call.
    template <class F>
    std::string with_lines(const char* key, F f) const {
        if (lines) return f(*lines);
        const auto it = args.find(key);
        if (it == args.end()) return fail(invalid(json::array({key}), "missing", "Field required"));
        if (!it->is_string()) return fail(invalid(json::array({key}), "string_type", "Input should be a valid string", *it));
        TextLines own(it->get_ref<const std::string&>());
        return f(own);
    }
    std::string id() const { return text_arg(args, "id"); }
    const json& body() const {
        static const json empty = json::object();
        auto it = args.find("body");
        return it == args.end() ? empty : *it;
    }
};

// An answer holding snapshot lines: `head` is its value's JSON up to a last member "jsonl": (written
// `{"ids":[…],"jsonl":`); the lines go beside the envelope when the caller takes them there, else into it.
std::string lines_answer(const Call& c, JsonText head, std::string jsonl) {
    if (!c.beside) {
        head.text += string_value(jsonl).text + "}";
        return ok(std::move(head));
    }
    head.text += "null}";
    *c.beside = std::move(jsonl);
    return ok_beside(std::move(head), "jsonl");
}

using Handler = std::function<std::string(Call&)>;

json member_page(const MemberPage& page) {
    json items = json::array();
    for (const Member& m : page.items) items.push_back(to_json(m));
    return {{"items", items}, {"pagination", {{"total_count", page.total_count}, {"max_page", page.max_page}}}};
}
json replica_outcome(const ReplicaOutcome& o) {
    json out = {{"applied", o.applied}, {"id", o.id}};
    if (!o.reason.empty()) out["reason"] = o.reason;
    return out;
}

JsonText member(const Member& m) {
    JsonText out;
    append_json(out.text, m);
    return out;
}
json csv_chunk(const CsvChunk& chunk) { return {{"csv", chunk.text}, {"next", chunk.next ? json(*chunk.next) : json()}}; }

// The member `id` names; within the customer `customer_id` names when the call gives one (a route
// under /customers/{id}/members).
Result<Member> scoped_member(Call& c) {
    if (c.args.contains("customer_id")) return c.store.member_of(c.org(), text_arg(c.args, "customer_id"), c.id());
    return c.store.get_member(c.org(), c.id());
}
// The member `external_id` names, of the customer `external_customer_id` names.
Result<Member> external_member(Call& c) {
    return c.store.member_by_external_id(c.org(), text_arg(c.args, "external_customer_id"), text_arg(c.args, "external_id"));
}
template <class F>
std::string with_member(const Result<Member>& m, F then) {
    return m ? then(m.value()) : fail(m.error());
}
json nothing(const Unit&) { return nullptr; }
json same(const json& j) { return j; }

// Resolves {external_id} to the customer's id, for the *External variants.
Result<std::string> external(Call& c) {
    auto r = c.store.get_external(c.org(), text_arg(c.args, "external_id"));
    if (!r) return r.error();
    return r->id;
}
template <class F>
std::string by_external(Call& c, F then) {
    auto id = external(c);
    return id ? then(id.value()) : fail(id.error());
}
// A boolean argument of a command: false when absent; anything but true or false (a string "true", 1,
// null) is refused, never read as false.
Result<bool> bool_arg(const json& args, const char* key) {
    auto it = args.find(key);
    if (it == args.end()) return false;
    if (it->is_boolean()) return it->get<bool>();
    return invalid(json::array({key}), "bool_type", "Input should be a valid boolean", *it);
}

std::string delete_customer(Call& c, const std::string& id) {
    const auto anonymize = bool_arg(c.args, "anonymize");
    if (!anonymize) return fail(anonymize.error());
    return answer(c.store.remove(c.org(), id, anonymize.value()), customer);
}

json import_report(const ImportReport& r) {
    json failed = json::array();
    for (const auto& d : r.failed) failed.push_back({{"type", d.type}, {"loc", d.loc}, {"msg", d.msg}});
    return {{"imported", r.imported}, {"failed", failed}};
}

// A billing call answers a summary of the object it recorded (its fields as customer state lists them).
json subscription(const Subscription& s) {
    json out = pick(to_json(s), {"id", "status", "product_id"});
    out["seats"] = s.seats ? json(*s.seats) : json();
    return out;
}
json grant(const BenefitGrant& g) { return pick(to_json(g), {"id", "benefit_id"}); }
json meter(const Meter& m) { return pick(to_json(m), {"id", "meter_id", "consumed_units", "credited_units", "balance"}); }

const std::map<std::string, Handler, std::less<>>& routes() {
    static const std::map<std::string, Handler, std::less<>> table = {
        {"customers.create", [](Call& c) { return answer(c.store.create(c.org(), c.body()), customer); }},
        {"customers.get", [](Call& c) { return answer(c.store.get(c.org(), c.id()), customer); }},
        {"customers.getExternal",
         [](Call& c) { return answer(c.store.get_external(c.org(), text_arg(c.args, "external_id")), customer); }},
        {"customers.validate", [](Call& c) { return answer(c.store.check_create(c.org(), c.body()), nothing); }},
        {"customers.validateUpdate",
         [](Call& c) { return answer(c.store.check_update(c.org(), c.id(), c.body()), nothing); }},
        {"customers.update", [](Call& c) { return answer(c.store.update(c.org(), c.id(), c.body()), customer); }},
        {"customers.updateExternal",
         [](Call& c) {
             return by_external(c, [&](const std::string& id) { return answer(c.store.update(c.org(), id, c.body()), customer); });
         }},
        {"customers.delete", [](Call& c) { return delete_customer(c, c.id()); }},
        {"customers.deleteExternal", [](Call& c) { return by_external(c, [&](const std::string& id) { return delete_customer(c, id); }); }},
        {"customers.getState", [](Call& c) { return answer(c.store.state(c.org(), c.id()), same); }},
        {"customers.getStateExternal",
         [](Call& c) {
             return by_external(c, [&](const std::string& id) { return answer(c.store.state(c.org(), id), same); });
         }},
        {"customers.list",
         [](Call& c) {
             const json& q = c.args.contains("query") ? c.args["query"] : json::object();
             return answer(c.store.list({c.org()}, q), page_json);
         }},
        {"members.create",
         [](Call& c) {
             const json& b = c.body();
             const std::string customer_id = b.is_object() ? text_arg(b, "customer_id") : std::string();
             return answer(c.store.add_member(c.org(), customer_id, b), member);
         }},
        {"members.validate",
         [](Call& c) {
             const json& b = c.body();
             const std::string customer_id = b.is_object() ? text_arg(b, "customer_id") : std::string();
             return answer(c.store.check_add_member(c.org(), customer_id, b), nothing);
         }},
        {"members.createExternal",
         [](Call& c) {
             auto customer = c.store.get_external(c.org(), text_arg(c.args, "external_customer_id"));
             return customer ? answer(c.store.add_member(c.org(), customer->id, c.body()), member) : fail(customer.error());
         }},
        {"members.list",
         [](Call& c) {
             const json q = c.args.value("query", json::object());
             // A customer named by a route's path (customer_id or external_customer_id beside the query) must exist.
             if (c.args.contains("customer_id") || c.args.contains("external_customer_id")) {
                 auto customer = c.args.contains("customer_id") ? c.store.get(c.org(), text_arg(c.args, "customer_id"))
                                                                : c.store.get_external(c.org(), text_arg(c.args, "external_customer_id"));
                 return customer ? answer(c.store.list_members(c.org(), q, &customer.value()), member_page)
                                 : fail(customer.error());
             }
             return answer(c.store.list_members(c.org(), q), member_page);
         }},
        {"members.get", [](Call& c) { return answer(scoped_member(c), member); }},
        {"members.getExternal", [](Call& c) { return answer(external_member(c), member); }},
        {"members.update",
         [](Call& c) {
             return with_member(scoped_member(c), [&](const Member& m) { return answer(c.store.update_member(c.org(), m.id, c.body()), member); });
         }},
        {"members.updateExternal",
         [](Call& c) {
             return with_member(external_member(c), [&](const Member& m) { return answer(c.store.update_member(c.org(), m.id, c.body()), member); });
         }},
        {"members.delete",
         [](Call& c) {
             return with_member(scoped_member(c), [&](const Member& m) { return answer(c.store.remove_member(c.org(), m.id), nothing); });
         }},
        {"members.deleteExternal",
         [](Call& c) {
             return with_member(external_member(c), [&](const Member& m) { return answer(c.store.remove_member(c.org(), m.id), nothing); });
         }},
        {"customers.export", [](Call& c) { return answer(export_csv_chunk(c.store, c.org(), c.args), csv_chunk); }},
        {"checkouts.complete", [](Call& c) { return answer(c.store.record_checkout(c.org(), c.body()), customer); }},
        {"orders.create", [](Call& c) { return answer(c.store.record_order(c.org(), c.body()), customer); }},
        {"subscriptions.create",
         [](Call& c) { return answer(c.store.record_subscription(c.org(), c.body()), subscription); }},
        {"subscriptions.update",
         [](Call& c) { return answer(c.store.update_subscription(c.org(), c.id(), c.body()), subscription); }},
        {"benefits.grant",
         [](Call& c) {
             return answer(c.store.grant_benefit(c.org(), text_arg(c.args, "customer_id"), c.body()), grant);
         }},
        {"benefits.revoke", [](Call& c) { return answer(c.store.revoke_benefit(c.org(), c.id()), nothing); }},
        {"meters.record",
         [](Call& c) { return answer(c.store.record_meter(c.org(), text_arg(c.args, "customer_id"), c.body()), meter); }},
        {"snapshot.export",
         [](Call& c) {
             std::string text = c.store.export_snapshot(c.org());
             if (!c.beside) return ok(string_value(text));
             *c.beside = std::move(text);
             return ok_beside(JsonText{"null"}, "");
         }},
        {"snapshot.import",
         [](Call& c) {
             ImportOptions options;
             options.atomic = c.args.value("atomic", json(true)) != json(false);
             options.replace_existing = c.args.value("replace", json(false)) == json(true);
             options.report_lines = c.args.value("report_lines", json(false)) == json(true);
             return c.with_lines("jsonl", [&](LineSource& jsonl) {
                 auto report = c.store.import_snapshot(c.org(), jsonl, options);
                 if (!report || !options.report_lines) return answer(std::move(report), import_report);
                 json value = import_report(*report);
                 value["ids"] = std::move(report->lines.ids);
                 std::string head = dump(value);
                 head.pop_back();  // its closing brace: the lines follow as its last member
                 return lines_answer(c, JsonText{head + R"(,"jsonl":)"}, std::move(report->lines.jsonl));
             });
         }},
        {"snapshot.forget",
         [](Call& c) { return ok(c.store.forget(c.org(), c.ids())); }},
        {"snapshot.records",
         [](Call& c) { return ok(c.store.snapshot_records(c.org(), c.ids())); }},
        {"snapshot.lines",
         [](Call& c) {
             SnapshotLines lines = c.store.snapshot_lines(c.org(), c.ids());
             return lines_answer(c, JsonText{R"({"ids":)" + dump(json(lines.ids)) + R"(,"jsonl":)"}, std::move(lines.jsonl));
         }},
        {"replica.apply",
         [](Call& c) {
             const auto at = c.args.find("timestamp");
             const std::optional<int64_t> seconds = at != c.args.end() && at->is_number_integer() ? std::optional<int64_t>(at->get<int64_t>()) : std::nullopt;
             const json& data = c.args.contains("data") ? c.args["data"] : json();
             return answer(c.store.replica_apply(c.org(), text_arg(c.args, "type"), data, text_arg(c.args, "webhook_id"), seconds), replica_outcome);
         }},
        {"events.since",
         [](Call& c) {
             const auto after = c.args.value("after", json(0));
             JsonText out{"["};
             if (after.is_number_unsigned() || after.is_number_integer())
                 for (const auto& e : c.store.events().since(after.get<uint64_t>(), c.org())) {
                     if (out.text.size() > 1) out.text += ',';
                     append_json(out.text, e);
                 }
             out.text += ']';
             return ok(std::move(out));
         }},
    };
    return table;
}
}  // namespace

// Methods that touch no store and need no organization: webhook signing and verification.
namespace {
WebhookKey webhook_key(const json& args) {
    return {text_arg(args, "secret"), args.value("polar_compatible", json(false)) == json(true)};
}
int64_t int_arg(const json& args, const char* key, int64_t fallback) {
    auto it = args.find(key);
    return it != args.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

using Stateless = std::function<std::string(const json& args, int64_t now_seconds)>;

const std::map<std::string, Stateless, std::less<>>& stateless_routes() {
    static const std::map<std::string, Stateless, std::less<>> table = {
        {"webhooks.sign",
         [](const json& a, int64_t) {
             return answer(webhook_signature(webhook_key(a), text_arg(a, "id"), text_arg(a, "timestamp"), text_arg(a, "body")),
                           [](const std::string& s) { return json(s); });
         }},
        {"webhooks.verify",
         [](const json& a, int64_t now) {
             const WebhookDelivery d{text_arg(a, "id"), text_arg(a, "timestamp"), text_arg(a, "signature"), text_arg(a, "body")};
             return answer(verify_webhook(webhook_key(a), d, int_arg(a, "now", now), int_arg(a, "tolerance_seconds", 300)), same);
         }},
    };
    return table;
}
}  // namespace

std::string Api::route(std::string_view method, const json& args, LineSource* lines, std::string* beside) {
    try {
        if (!args.is_object()) return fail(invalid(json::array({"body"}), "model_attributes_type", "Arguments must be an object"));
        if (auto s = stateless_routes().find(method); s != stateless_routes().end()) return s->second(args, store_.now() / 1000);
        auto it = routes().find(method);
        if (it == routes().end())
            return fail(Error{ErrorKind::NotFound, {}, "Unknown method: " + std::string(method)});
        if (text_arg(args, "organization_id").empty())
            return fail(invalid(json::array({"organization_id"}), "missing", "organization_id is required"));
        if (broken_) return fail(Error{ErrorKind::Internal, {}, kBroken});
        Call c{store_, args, lines, beside};
        store_.begin_call();
        try {
            std::string answer = it->second(c);
            store_.end_call();
            return answer;
        } catch (...) {
            if (!store_.undo_call()) broken_ = true;  // nothing may be read from a store left half-written
            throw;
        }
    } catch (const std::exception& e) {
        return fail(Error{ErrorKind::Internal, {}, std::string("Internal error: ") + e.what()});
    } catch (...) {
        return fail(Error{ErrorKind::Internal, {}, "Internal error"});
    }
}

std::string Api::call(std::string_view method, std::string_view args_json, LineSource* lines, std::string* beside) {
    try {
        auto args = parse_json_text(args_json);
        if (!args) return fail(invalid(json::array({"body"}), "json_invalid", args.error()));
        return route(method, args.value(), lines, beside);
    } catch (const std::exception& e) {
        return fail(Error{ErrorKind::Internal, {}, std::string("Internal error: ") + e.what()});
    } catch (...) {
        return fail(Error{ErrorKind::Internal, {}, "Internal error"});
    }
}

}  // namespace clientele
