#include "domain/replica.hpp"

#include <array>

#include "domain/customers.hpp"
#include "domain/snapshot.hpp"
#include "rules/email.hpp"
#include "domain/snapshots.hpp"
#include "io/line_source.hpp"

namespace clientele {

void ReplicaLog::applied(const std::string& webhook_id, const std::string& record_id, std::optional<int64_t> at) {
    if (!webhook_id.empty() && ids_.insert(webhook_id).second) {
        order_.push_back(webhook_id);
        if (order_.size() > kKept) ids_.erase(order_.front()), order_.pop_front();
    }
    if (at) at_[record_id] = *at;
}

std::optional<int64_t> ReplicaLog::last_at(const std::string& record_id) const {
    auto it = at_.find(record_id);
    return it == at_.end() ? std::nullopt : std::optional<int64_t>(it->second);
}

bool ReplicaLog::older(std::optional<Millis> incoming, Millis held, const std::string& record_id, std::optional<int64_t> at) const {
    if (!incoming) return false;
    const auto last = last_at(record_id);
    return *incoming < held || (*incoming == held && at && last && *at < *last);
}

namespace {
constexpr std::array<std::string_view, 8> kTypes = {"customer.created", "customer.updated", "customer.deleted", "customer.state_changed",
                                                    "customer.pulled",  "member.created",   "member.updated",   "member.deleted"};

std::string text_of(const json& data, const char* key) {
    auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A record's time for ordering: its modified_at, else its created_at (absent or unreadable: nullopt).
std::optional<Millis> time_of(const json& data) {
    for (const char* key : {"modified_at", "created_at"}) {
        auto it = data.find(key);
        if (it != data.end() && it->is_string()) return parse_rfc3339(it->get<std::string>());
    }
    return std::nullopt;
}

Millis time_of(const Customer& c) { return c.modified_at.value_or(c.created_at); }
Millis time_of(const Member& m) { return m.modified_at.value_or(m.created_at); }

Error invalid(json loc, const char* type, std::string msg, json input = nullptr) {
    Problems p;
    p.add(std::move(loc), type, std::move(msg), std::move(input));
    return p.to_error();
}

// Problems of the one line loaded, named under ["data", ...] as the caller sent it.
Error under_data(Error e) {
    for (auto& d : e.detail)
        if (d.loc.is_array() && d.loc.size() >= 2 && d.loc[0] == "line") {
            json loc = json::array({"data"});
            for (size_t i = 2; i < d.loc.size(); ++i) loc.push_back(d.loc[i]);
            d.loc = std::move(loc);
        }
    return e;
}
}  // namespace

Result<ReplicaOutcome> Replica::apply(const std::string& org, std::string_view type, const json& data, const std::string& webhook_id,
                                      std::optional<int64_t> at) {
    if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
        return invalid(json::array({"type"}), "enum", "Input should be a Polar customer or member webhook type, or 'customer.pulled'",
                       std::string(type));
    if (!data.is_object()) return invalid(json::array({"data"}), "model_attributes_type", "Input should be an object", data);
    const bool member = type.rfind("member.", 0) == 0;
    if (!webhook_id.empty() && log_.seen(webhook_id))
        return ReplicaOutcome{false, "duplicate", text_of(data, member ? "customer_id" : "id")};
    auto out = member ? apply_member(org, type, data, at) : apply_customer(org, type, data, at);
    // A record handled (applied, or older than what is held) is not applied again; a member of a customer
    // not held yet is not handled: Polar's retry may find the customer.
    if (out && out.value().reason != "unknown_customer")
        log_.applied(webhook_id, member ? text_of(data, "id") : out.value().id, out.value().applied ? at : std::nullopt);
    return out;
}

Result<ReplicaOutcome> Replica::apply_customer(const std::string& org, std::string_view type, const json& data, std::optional<int64_t> at) {
    const std::string id = text_of(data, "id");
    if (id.empty()) return invalid(json::array({"data", "id"}), "missing", "Field required");
    const auto slot = w_.slot_of_id(id);
    const bool held = slot && w_.org_of(*slot) == org;
    const bool deleting = type == "customer.deleted" || (data.contains("deleted_at") && !data["deleted_at"].is_null());
    json line = json::object();
    std::optional<std::string> held_email;
    if (held) {
        const Customer existing = w_.load(*slot);
        held_email = existing.email;
        const auto incoming = time_of(data);
        // Two versions with different emails: the email changed by the later one's time, in whichever
        // order they arrive (an owner member from before then takes the newer email, spec §3).
        const std::string email = text_of(data, "email");
        if (!email.empty() && existing.email && email::email_key(email) != email::email_key(*existing.email))
            log_.email_changed(id, std::max(incoming.value_or(0), time_of(existing)));
        if (existing.deleted_at && !deleting) return ReplicaOutcome{false, "deleted", id};
        // A creation is the first version: it never replaces a record held (whose times may tie with it).
        if (type == "customer.created" || log_.older(incoming, time_of(existing), id, at)) return ReplicaOutcome{false, "stale", id};
        line = to_snapshot(existing);
    }
    const json before = line;
    for (const auto& [key, value] : data.items())
        if (key != "active_subscriptions" && key != "granted_benefits" && key != "active_meters") line[key] = value;
    if (type == "customer.state_changed") {  // the state's current lists stand for the record's
        for (const auto& [from, to] : {std::pair{"active_subscriptions", "subscriptions"}, {"granted_benefits", "grants"}, {"active_meters", "meters"}})
            if (data.contains(from)) line[to] = data[from];
    }
    for (const char* list : {"members", "subscriptions", "grants", "meters"})
        if (line.contains(list) && line[list].is_null()) line.erase(list);
    if (deleting && (!line.contains("deleted_at") || line["deleted_at"].is_null())) line["deleted_at"] = format_rfc3339(at ? *at * 1000 : w_.now());
    auto loaded = load(org, line);
    if (!loaded) return loaded.error();
    if (held && loaded.value().email && (!held_email || email::email_key(*held_email) != email::email_key(*loaded.value().email))) {
        Customer synced = loaded.value();  // Polar sends no member event for the owner's email following its customer's
        sync_owner_email(synced);
        if (to_snapshot(synced) != to_snapshot(loaded.value())) loaded = load(org, to_snapshot(synced));
        if (!loaded) return loaded.error();
    }
    const Customer& c = loaded.value();
    if (!held || to_snapshot(c) != before) {  // events only for a change (a resync of an unchanged record makes none)
        w_.emit(deleting ? "customer.deleted" : held ? "customer.updated" : "customer.created", c);
        w_.emit_state(c);
    }
    return ReplicaOutcome{true, "", id};
}

Result<ReplicaOutcome> Replica::apply_member(const std::string& org, std::string_view type, const json& data, std::optional<int64_t> at) {
    const std::string id = text_of(data, "id"), customer_id = text_of(data, "customer_id");
    if (id.empty()) return invalid(json::array({"data", "id"}), "missing", "Field required");
    if (customer_id.empty()) return invalid(json::array({"data", "customer_id"}), "missing", "Field required");
    const auto slot = w_.slot_of_id(customer_id);
    if (!slot || w_.org_of(*slot) != org) return ReplicaOutcome{false, "unknown_customer", customer_id};
    const Customer existing = w_.load(*slot);
    if (existing.deleted_at || (type != "member.deleted" && log_.member_was_deleted(id))) return ReplicaOutcome{false, "deleted", customer_id};
    json line = to_snapshot(existing);
    json members = line.value("members", json::array());
    size_t found = members.size();
    for (size_t i = 0; i < members.size(); ++i)
        if (members[i].value("id", "") == id) found = i;
    if (found < members.size()) {
        const Member& held = existing.members[found];
        if (type == "member.created" || log_.older(time_of(data), time_of(held), id, at)) return ReplicaOutcome{false, "stale", customer_id};
    }
    std::optional<Member> removed;
    if (type == "member.deleted") {
        log_.member_deleted(id);  // a member.created of it delivered later is not applied
        if (found == members.size()) return ReplicaOutcome{true, "", customer_id};  // not held: nothing to remove
        removed = existing.members[found];
        members.erase(members.begin() + static_cast<std::ptrdiff_t>(found));
    } else {
        json member = data;
        // An individual's owner from before its customer's email last changed has that email now.
        const auto changed = log_.email_changed_at(customer_id);
        const auto since = time_of(data);
        if (changed && since && *since <= *changed && existing.type == CustomerType::Individual && existing.email &&
            member.value("role", "") == "owner")
            member["email"] = *existing.email;
        if (found < members.size()) members[found] = std::move(member);
        else members.push_back(std::move(member));
    }
    if (members.empty()) line.erase("members");
    else line["members"] = std::move(members);
    auto loaded = load(org, line);
    if (!loaded) return loaded.error();
    const Customer& c = loaded.value();
    if (removed) {
        w_.emit_member("member.deleted", org, *removed);
    } else {
        for (const Member& m : c.members)
            if (m.id == id) w_.emit_member(std::string(type).c_str(), org, m);
    }
    w_.emit_state(c);
    return ReplicaOutcome{true, "", customer_id};
}

Result<Customer> Replica::load(const std::string& org, const json& line) {
    const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace);
    TextLines lines(text);
    ImportOptions options;
    options.replace_existing = true;
    options.trusted = true;
    auto report = Snapshots(w_).import(org, lines, options);
    if (!report) return under_data(report.error());
    return w_.load(*w_.slot_of_id(line.value("id", "")));
}

}  // namespace clientele
