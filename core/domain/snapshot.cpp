#include "domain/snapshot.hpp"

#include "io/json_writer.hpp"
#include "model/billing_json.hpp"

#include <algorithm>
#include <cstdint>

#include "rules/email.hpp"
#include "storage/record_codec.hpp"
#include "rules/validation.hpp"

namespace clientele {

namespace {

// Typed reads from one snapshot object; a wrong or missing field becomes a problem at its loc.
class Reader {
public:
    using Kind = JsonTree::Kind;
    // Its location is built only when a problem is reported: `loc` for the line's object, else the parent's
    // location with the list key and index.
    // free_form false: free-form objects are checked for their type and left empty (a checking pass).
    // rules: the create rules are checked too (an import), not only the types.
    Reader(const JsonTree& tree, const JsonTree::Node& obj, const json& loc, Problems& p, bool free_form, bool rules)
        : free_form(free_form), rules(rules), t_(tree), obj_(obj), base_(&loc), p_(p) {
        check_object();
    }
    Reader(const JsonTree& tree, const JsonTree::Node& obj, const Reader& parent, const char* key, size_t index, Problems& p)
        : free_form(parent.free_form), rules(parent.rules), t_(tree), obj_(obj), parent_(&parent), key_(key), index_(index), p_(p) {
        check_object();
    }
    // Fields are read into records reused line after line: strings keep their capacity, so a bulk load
    // allocates little per line. Every read assigns (a missing field clears), so nothing stale is left.
    void str(JsonKey key, std::string& out) {
        const auto v = text(key, true);
        out.assign(v ? *v : std::string_view());
    }
    void opt_str(JsonKey key, std::optional<std::string>& out) {
        const auto v = text(key, false);
        if (!v) out.reset();
        else if (out) out->assign(*v);
        else out.emplace(*v);
    }
    std::string_view enum_text(JsonKey key) { return text(key, true).value_or(""); }
    Millis time(JsonKey key) { return opt_time(key, true).value_or(0); }
    std::optional<Millis> opt_time(JsonKey key, bool required = false) {
        const auto s = text(key, required);
        if (!s) return std::nullopt;
        auto t = parse_rfc3339(*s);
        if (!t) wrong(key, "datetime_parsing", "Input should be a valid RFC 3339 datetime");
        return t;
    }
    bool boolean(JsonKey key) {
        const JsonTree::Node* v = get(key);
        if (v && v->kind == Kind::Bool) return v->value.b;
        if (v && v->kind != Kind::Null) wrong(key, "bool_type", "Input should be a valid boolean");
        return false;
    }
    double number(JsonKey key) {
        const JsonTree::Node* v = get(key);
        if (v && v->kind == Kind::Int) return static_cast<double>(v->value.i);
        if (v && v->kind == Kind::Uint) return static_cast<double>(v->value.u);
        if (v && v->kind == Kind::Float) return v->value.f;
        if (v && v->kind != Kind::Null) wrong(key, "float_type", "Input should be a valid number");
        return 0;
    }
    std::optional<int64_t> opt_int(JsonKey key) {
        const JsonTree::Node* v = get(key);
        if (v && v->kind == Kind::Int) return v->value.i;
        if (v && v->kind == Kind::Uint && v->value.u <= INT64_MAX) return static_cast<int64_t>(v->value.u);
        if (v && v->kind != Kind::Null) wrong(key, "int_type", "Input should be a valid integer");
        return std::nullopt;
    }
    void object(JsonKey key, json& out) {
        const JsonTree::Node* v = get(key);
        if (v && v->kind == Kind::Object && v->first && free_form) out = t_.to_json(*v);
        else if (!out.is_object() || !out.empty()) out = json::object();
        if (v && v->kind != Kind::Object && v->kind != Kind::Null) wrong(key, "dict_type", "Input should be a valid dictionary");
    }
    // The same object as the CBOR a record keeps (record_codec), no JSON built for an object of scalars.
    void object_cbor(JsonKey key, std::string& out) {
        const JsonTree::Node* v = get(key);
        if (v && v->kind == Kind::Object && free_form) cbor_of_object(t_, *v, out);
        else out.clear();
        if (v && v->kind != Kind::Object && v->kind != Kind::Null) wrong(key, "dict_type", "Input should be a valid dictionary");
    }
    // A list of objects, read into `out`'s items by read_one(reader, item).
    template <class T, class F>
    void list(JsonKey key, std::vector<T>& out, F read_one) {
        const JsonTree::Node* v = get(key);
        const bool is_list = v && v->kind == Kind::Array;
        if (v && !is_list && v->kind != Kind::Null) wrong(key, "list_type", "Input should be a valid list");
        out.resize(is_list ? t_.size(*v) : 0);
        size_t i = 0;
        for (const JsonTree::Node* item = is_list ? t_.first(*v) : nullptr; item; item = t_.next(*item), ++i) {
            Reader r(t_, *item, *this, key.name, i, p_);
            read_one(r, out[i]);
        }
    }
    // A present, non-null member, or nullptr.
    const JsonTree::Node* present(JsonKey key) const {
        const JsonTree::Node* v = get(key);
        return v && v->kind != Kind::Null ? v : nullptr;
    }
    json at(JsonKey key) const { return loc_append(loc(), key.name); }
    json at(JsonKey key, size_t index, const char* field) const { return loc_append(loc_append(at(key), index), field); }
    Problems& problems() { return p_; }
    const JsonTree& tree() const { return t_; }
    // Checks a present metadata object with the create rules (kept: reserved keys the record may carry).
    void check_metadata(JsonKey key, bool (*kept)(std::string_view, const void*) = nullptr, const void* ctx = nullptr) {
        const JsonTree::Node* v = present(key);
        if (v && v->kind == Kind::Object) clientele::check_metadata(t_, *v, [&] { return at(key); }, p_, kept, ctx);
    }
    // A canonical UUID id (an id that is not one, or empty, reported at its loc).
    void check_id(JsonKey key, const std::string& id) {
        if (!is_uuid(id)) p_.add(at(key), "uuid_parsing", kUuidMessage, id);
    }
    const bool free_form;
    const bool rules;

private:
    // A present string's text (a problem when it is another type or holds a NUL), or nullopt.
    std::optional<std::string_view> text(JsonKey key, bool required) {
        const JsonTree::Node* v = get(key);
        if (!v || v->kind == Kind::Null) return required ? missing(key), std::nullopt : std::nullopt;
        if (v->kind == Kind::String && !v->has_nul) return t_.string(*v);
        return wrong(key, "string_type", "Input should be a valid string"), std::nullopt;
    }
    json loc() const { return parent_ ? loc_append(loc_append(parent_->loc(), key_), index_) : *base_; }
    void check_object() {
        if (obj_.kind != Kind::Object) p_.add(loc(), "dict_type", "Input should be a valid dictionary", nullptr);
    }
    const JsonTree::Node* get(JsonKey key) const { return members_.find(key); }
    void missing(JsonKey key) { p_.add(at(key), "missing", "Field required"); }
    void wrong(JsonKey key, const char* type, const char* msg) { p_.add(at(key), type, msg, t_.to_json(*get(key))); }

    const JsonTree& t_;
    const JsonTree::Node& obj_;
    JsonMembers members_{t_, obj_};
    const json* base_ = nullptr;
    const Reader* parent_ = nullptr;
    const char* key_ = nullptr;
    size_t index_ = 0;
    Problems& p_;
};

json member_snapshot(const Member& m) {
    json j = to_json(m);
    j["deleted_at"] = nullable_time(m.deleted_at);
    return j;
}

void read_member(Reader& r, Member& m) {
    r.str("id", m.id);
    r.str("customer_id", m.customer_id);
    m.created_at = r.time("created_at");
    m.modified_at = r.opt_time("modified_at");
    m.deleted_at = r.opt_time("deleted_at");
    r.str("email", m.email);
    r.opt_str("name", m.name);
    r.opt_str("external_id", m.external_id);
    const std::string_view role = r.enum_text("role");
    const auto named = member_role_named(role);
    m.role = named.value_or(MemberRole::Member);
    if (!named) r.problems().add(r.at("role"), "enum", kMemberRoleChoices, std::string(role));
    if (!r.rules) return;
    Problems& p = r.problems();
    r.check_id("id", m.id);  // the email: with the customer's (check_customer), usually the same one
    check_name(m.name, [&] { return r.at("name"); }, p);
    check_external_id(m.external_id, [&] { return r.at("external_id"); }, p);
}

// The state shape (model/billing_json) with what only a snapshot keeps: seats, revocation; no balance.
json subscription_snapshot(const Subscription& s) {
    json j = to_json(s);
    j.erase("meters");
    j["seats"] = s.seats ? json(*s.seats) : json();
    return j;
}

void read_subscription(Reader& r, Subscription& s) {
    r.str("id", s.id);
    s.created_at = r.time("created_at");
    s.modified_at = r.opt_time("modified_at");
    r.object("metadata", s.metadata);
    r.str("status", s.status);
    s.amount = r.opt_int("amount").value_or(0);
    r.str("currency", s.currency);
    r.str("recurring_interval", s.recurring_interval);
    s.current_period_start = r.time("current_period_start");
    s.current_period_end = r.time("current_period_end");
    s.trial_start = r.opt_time("trial_start");
    s.trial_end = r.opt_time("trial_end");
    s.canceled_at = r.opt_time("canceled_at");
    s.started_at = r.opt_time("started_at");
    s.ends_at = r.opt_time("ends_at");
    s.cancel_at_period_end = r.boolean("cancel_at_period_end");
    r.str("product_id", s.product_id);
    r.opt_str("discount_id", s.discount_id);
    s.seats = r.opt_int("seats");
    if (!r.rules) return;
    Problems& p = r.problems();
    r.check_id("id", s.id);
    r.check_metadata("metadata");
    if (r.present("status")) check_choice(s.status, kSubscriptionStatuses, [&] { return r.at("status"); }, p);
    if (r.present("recurring_interval"))
        check_choice(s.recurring_interval, kRecurringIntervals, [&] { return r.at("recurring_interval"); }, p);
    check_range(s.amount, 0, kMaxSubscriptionAmount, [&] { return r.at("amount"); }, p);
    if (s.seats) check_range(*s.seats, 1, kMaxSubscriptionSeats, [&] { return r.at("seats"); }, p);
}

json grant_snapshot(const BenefitGrant& g) {
    json j = to_json(g);
    j["revoked_at"] = nullable_time(g.revoked_at);
    return j;
}

void read_grant(Reader& r, BenefitGrant& g) {
    r.str("id", g.id);
    g.created_at = r.time("created_at");
    g.modified_at = r.opt_time("modified_at");
    g.revoked_at = r.opt_time("revoked_at");
    g.granted_at = r.time("granted_at");
    r.str("benefit_id", g.benefit_id);
    r.str("benefit_type", g.benefit_type);
    r.object("benefit_metadata", g.benefit_metadata);
    r.object("properties", g.properties);
    if (!r.rules) return;
    r.check_id("id", g.id);
    r.check_metadata("benefit_metadata");
    if (r.present("benefit_type")) check_choice(g.benefit_type, kBenefitTypes, [&] { return r.at("benefit_type"); }, r.problems());
}

json meter_snapshot(const Meter& m) {
    json j = to_json(m);
    j.erase("balance");
    return j;
}

void read_meter(Reader& r, Meter& m) {
    r.str("id", m.id);
    m.created_at = r.time("created_at");
    m.modified_at = r.opt_time("modified_at");
    r.str("meter_id", m.meter_id);
    m.consumed_units = r.number("consumed_units");
    m.credited_units = r.number("credited_units");
    if (!r.rules) return;
    r.check_id("id", m.id);
    check_units(m.consumed_units, [&] { return r.at("consumed_units"); }, r.problems());
    check_units(m.credited_units, [&] { return r.at("credited_units"); }, r.problems());
}

// Nulls and empty lists are left out of snapshot objects (a reader takes a missing field as null, or as
// an empty list): about a third of a typical line.
json without_empty(json j) {
    for (auto it = j.begin(); it != j.end();) it = it->is_null() || (it->is_array() && it->empty()) ? j.erase(it) : std::next(it);
    return j;
}

template <class T, class F>
json all(const std::vector<T>& items, F render) {
    json out = json::array();
    for (const auto& x : items) out.push_back(without_empty(render(x)));
    return out;
}
}  // namespace

json to_snapshot(const Customer& c) {
    json j = to_json(c);
    j["billing_name"] = nullable(c.billing_name);  // the stored value, not the response fallback
    j["anonymized_at"] = nullable_time(c.anonymized_at);
    j["members"] = all(c.members, member_snapshot);
    j["subscriptions"] = all(c.subscriptions, subscription_snapshot);
    j["grants"] = all(c.grants, grant_snapshot);
    j["meters"] = all(c.meters, meter_snapshot);
    return without_empty(std::move(j));
}

void append_snapshot(std::string& out, const Customer& c) {
    JsonObjectWriter w(out);
    append_snapshot_fields(w, c);
    if (c.anonymized_at) w.text("anonymized_at", format_rfc3339(*c.anonymized_at));
    if (!c.members.empty()) {
        std::string& list = w.key("members");
        list += '[';
        for (size_t i = 0; i < c.members.size(); ++i) {
            if (i) list += ',';
            JsonObjectWriter member(list);
            append_snapshot_fields(member, c.members[i]);
        }
        list += ']';
    }
    if (!c.subscriptions.empty()) w.value("subscriptions", all(c.subscriptions, subscription_snapshot));
    if (!c.grants.empty()) w.value("grants", all(c.grants, grant_snapshot));
    if (!c.meters.empty()) w.value("meters", all(c.meters, meter_snapshot));
}

namespace {
// The reserved metadata keys the core writes itself, on the records it writes them to: a deleted
// customer's `__external_id` and `__anonymized_at` (spec §5).
bool kept_by_core(std::string_view key, const Customer& c) {
    return c.deleted_at && (key == "__external_id" || key == "__anonymized_at");
}

// A line's metadata may hold the keys the core writes itself; every other reserved key is refused (here,
// or by the create rules' metadata check when those run). A line written before records had
// `anonymized_at` is anonymized by its `__anonymized_at`.
void check_reserved_metadata(const JsonTree& tree, Reader& r, Customer& c, Problems& p) {
    const JsonTree::Node* metadata = r.present("metadata");
    if (!metadata || metadata->kind != JsonTree::Kind::Object) return;
    for (const JsonTree::Node* m = tree.first(*metadata); m; m = tree.next(*m)) {
        const std::string_view key = tree.key(*m);
        if (!is_reserved_metadata_key(key)) continue;
        if (!kept_by_core(key, c)) {
            if (!r.rules)
                p.add(loc_append(loc_append(r.at("metadata"), std::string(key)), "[key]"), "value_error", kReservedMetadataKey,
                      std::string(key));
        } else if (key == "__anonymized_at" && !c.anonymized_at) {
            const auto at = m->kind == JsonTree::Kind::String ? parse_rfc3339(tree.string(*m)) : std::nullopt;
            c.anonymized_at = at.value_or(*c.deleted_at);
        }
    }
}

// Folded keys of the live members' emails and external ids, to find one used twice (spec §2).
bool repeats(std::vector<std::string>& keys) {
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

// Spec §2 on a customer's members: each belongs to it; a live individual has at most one live member,
// its owner; a live team exactly one live owner; live members' emails (case-insensitive) and external ids
// are unique within the customer.
void check_members(Reader& r, const Customer& c, Problems& p) {
    size_t live = 0, owners = 0;
    for (size_t i = 0; i < c.members.size(); ++i) {
        const Member& m = c.members[i];
        if (m.customer_id != c.id) p.add(r.at("members", i, "customer_id"), "value_error", "A member belongs to another customer.", m.customer_id);
        if (m.deleted_at) continue;
        ++live;
        owners += m.role == MemberRole::Owner;
    }
    if (c.deleted_at) return;  // deleting a customer deletes its members
    if (c.type == CustomerType::Individual && (live != 1 || owners != 1))
        p.add(r.at("members"), "value_error", "An individual customer has exactly one member, its owner.", static_cast<int64_t>(live));
    if (c.type == CustomerType::Team && owners != 1)
        p.add(r.at("members"), "value_error", "A team customer has exactly one owner.", static_cast<int64_t>(owners));
    if (live < 2) return;
    const auto unique = [&](const char* field, const char* msg, auto key_of) {
        std::vector<std::string> keys;
        for (const Member& m : c.members)
            if (auto k = m.deleted_at ? std::nullopt : key_of(m)) keys.push_back(std::move(*k));
        if (!repeats(keys)) return;
        std::vector<std::string> seen;  // report the second of each pair, at its own loc
        for (size_t i = 0; i < c.members.size(); ++i) {
            auto k = c.members[i].deleted_at ? std::nullopt : key_of(c.members[i]);
            if (!k) continue;
            if (std::find(seen.begin(), seen.end(), *k) != seen.end())
                p.add(r.at("members", i, field), "value_error", msg, field == std::string_view("email") ? json(c.members[i].email) : json(*k));
            else
                seen.push_back(std::move(*k));
        }
    };
    unique("email", "A member with this email already exists.",
           [](const Member& m) { return std::optional<std::string>(email::email_key(m.email)); });
    unique("external_id", "A member with this external ID already exists.", [](const Member& m) { return m.external_id; });
}

// The create rules on the customer's own fields (values normalized as create normalizes them), its
// tax ID re-validated against its country, its metadata, its members.
void check_customer(Reader& r, Customer& c, bool address_ok, Problems& p) {
    r.check_id("id", c.id);
    // Members' emails are mostly the customer's own (an individual's owner): normalized once.
    std::optional<std::string> email;
    if (c.email) email = normalized_email(*c.email, [&] { return r.at("email"); }, p);
    else if (c.type == CustomerType::Individual && !c.deleted_at) p.add(r.at("email"), "missing", "Field required");
    for (size_t i = 0; i < c.members.size(); ++i) {
        Member& m = c.members[i];
        if (!c.email || m.email != *c.email) check_email(m.email, [&] { return r.at("members", i, "email"); }, p);
        else if (email && *email != m.email) m.email = *email;
    }
    if (email && *email != *c.email) *c.email = std::move(*email);
    check_name(c.name, [&] { return r.at("name"); }, p);
    check_name(c.billing_name, [&] { return r.at("billing_name"); }, p);
    check_external_id(c.external_id, [&] { return r.at("external_id"); }, p);
    check_locale(c.locale, [&] { return r.at("locale"); }, p);
    if (c.tax_id && address_ok) {
        if (c.billing_address) check_tax_id(*c.tax_id, c.billing_address->country, [&] { return r.at("tax_id"); }, p);
        else if (c.deleted_at) check_tax_id(*c.tax_id, std::nullopt, [&] { return r.at("tax_id"); }, p);  // anonymized: no address
        else p.add(r.at("billing_address"), "missing", "Country is required to validate tax ID.", nullptr);
    }
    r.check_metadata("metadata", [](std::string_view key, const void* ctx) { return kept_by_core(key, *static_cast<const Customer*>(ctx)); }, &c);
    check_members(r, c, p);
}
}  // namespace

void read_snapshot(const JsonTree& tree, const json& loc, Problems& p, Customer& c, bool free_form, std::string* metadata_cbor,
                   bool rules) {
    Reader r(tree, tree.root(), loc, p, free_form, rules);
    r.str("id", c.id);
    r.str("organization_id", c.organization_id);
    c.created_at = r.time("created_at");
    c.modified_at = r.opt_time("modified_at");
    c.deleted_at = r.opt_time("deleted_at");
    const std::string_view type = r.enum_text("type");
    const auto named = customer_type_named(type);
    c.type = named.value_or(CustomerType::Individual);
    if (!named) p.add(r.at("type"), "enum", kCustomerTypeChoices, std::string(type));
    r.opt_str("email", c.email);
    if (!rules && c.email && !email::normalize_email(*c.email))
        p.add(r.at("email"), "value_error", "value is not a valid email address", *c.email);
    c.email_verified = r.boolean("email_verified");
    r.opt_str("name", c.name);
    r.opt_str("billing_name", c.billing_name);
    r.opt_str("external_id", c.external_id);
    r.opt_str("locale", c.locale);
    r.opt_str("avatar_url", c.avatar_url);
    r.opt_str("default_payment_method_id", c.default_payment_method_id);
    c.first_user_event_at = r.opt_time("first_user_event_at");
    c.billing_address.reset();
    bool address_ok = true;
    if (const JsonTree::Node* address = r.present("billing_address")) {
        auto a = check_address(json{{"billing_address", tree.to_json(*address)}}, loc, p);
        if (a.set()) c.billing_address = a.value;
        address_ok = a.set();
    }
    c.tax_id.reset();
    if (const JsonTree::Node* t = r.present("tax_id")) {
        const JsonTree::Node* value = tree.first(*t);
        const JsonTree::Node* format = value ? tree.next(*value) : nullptr;
        const auto is_string = [](const JsonTree::Node* n) { return n && n->kind == JsonTree::Kind::String; };
        if (t->kind == JsonTree::Kind::Array && tree.size(*t) == 2 && is_string(value) && is_string(format))
            c.tax_id = TaxId{std::string(tree.string(*value)), std::string(tree.string(*format))};
        else
            p.add(r.at("tax_id"), "list_type", "Input should be a [value, format] pair", tree.to_json(*t));
    }
    c.anonymized_at = r.opt_time("anonymized_at");
    check_reserved_metadata(tree, r, c, p);
    if (c.anonymized_at && !c.deleted_at)
        p.add(r.at("anonymized_at"), "value_error", "Only a deleted customer can be anonymized.", format_rfc3339(*c.anonymized_at));
    if (metadata_cbor) {
        r.object_cbor("metadata", *metadata_cbor);
        if (!c.metadata.is_object() || !c.metadata.empty()) c.metadata = json::object();
    } else {
        r.object("metadata", c.metadata);
    }
    r.list("members", c.members, read_member);
    r.list("subscriptions", c.subscriptions, read_subscription);
    r.list("grants", c.grants, read_grant);
    r.list("meters", c.meters, read_meter);
    if (rules) check_customer(r, c, address_ok, p);
}

Customer from_snapshot(const JsonTree& tree, const json& loc, Problems& p) {
    Customer c;
    read_snapshot(tree, loc, p, c);
    return c;
}

}  // namespace clientele
