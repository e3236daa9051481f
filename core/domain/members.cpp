// Team members (spec §2): add, list, update role, remove, with the owner and seat rules; Polar's member
// list and lookups.
#include "domain/members.hpp"

#include <algorithm>
#include <cctype>

#include "domain/customers.hpp"
#include "domain/query.hpp"
#include "rules/email.hpp"
#include "rules/subscriptions.hpp"
#include "rules/validation.hpp"

namespace clientele {

namespace {
bool live(const Member& m) { return !m.deleted_at; }

Field<MemberRole> check_role(const Field<std::string>& f, Problems& p) {
    Field<MemberRole> out;
    out.presence = f.presence;
    if (!f.set()) return out;
    if (auto role = member_role_named(f.value)) out.value = *role;
    else p.add(body_at("role"), "enum", kMemberRoleChoices, f.value), out.presence = Presence::Absent;
    return out;
}

const Member* live_with_email(const Customer& c, const std::string& email, std::string_view except_id = {}) {
    const std::string key = email::email_key(email);
    for (const auto& m : c.members)
        if (live(m) && m.id != except_id && email::email_key(m.email) == key) return &m;
    return nullptr;
}

bool external_id_taken(const Customer& c, const std::optional<std::string>& ext, std::string_view except_id = {}) {
    if (!ext) return false;
    for (const auto& m : c.members)
        if (live(m) && m.id != except_id && m.external_id == ext) return true;
    return false;
}

size_t live_count(const Customer& c) {
    size_t n = 0;
    for (const auto& m : c.members) n += live(m);
    return n;
}
}  // namespace

std::optional<int64_t> seat_limit(const Customer& c) {
    std::optional<int64_t> seats;
    for (const auto& s : c.subscriptions) {
        if (!s.seats || !is_current_subscription(s)) continue;
        int64_t sum;  // saturates: an imported record's seats are not bounded as a request's are
        seats = __builtin_add_overflow(seats.value_or(0), std::max<int64_t>(*s.seats, 0), &sum) ? INT64_MAX : sum;
    }
    return seats;
}

Result<std::pair<uint32_t, size_t>> Members::find(const std::string& org, std::string_view member_id) const {
    const auto slot = w_.slot_of_child(member_id);
    if (!w_.live_in(org, slot)) return not_found();
    const Customer c = w_.load(*slot);
    for (size_t i = 0; i < c.members.size(); ++i)
        if (c.members[i].id == member_id && live(c.members[i])) return std::pair{*slot, i};
    return not_found();
}

namespace {
// What an add checked: the customer, and the member it makes (or the live one with that email).
struct AddPlan {
    uint32_t slot = 0;
    Customer customer;
    Member member;          // without id and created_at yet
    bool existing = false;  // the customer's live member with that email, answered as it is
};

Result<AddPlan> plan_add(const Workspace& w, const std::string& org, std::string_view customer_id, const json& body) {
    auto slot = w.find(org, customer_id);
    if (!slot) return slot.error();
    Problems p;
    if (!require_object(body, body_loc(), p)) return p.to_error();
    forbid_unknown(body, {"email", "name", "external_id", "role", "customer_id"}, body_loc(), p);
    auto email_field = read_string(body, "email", body_loc(), p);
    if (!email_field.present()) p.add(body_at("email"), "missing", "Field required");
    auto email = check_email(email_field, body_at("email"), p);
    auto name = check_name(read_string(body, "name", body_loc(), p), body_at("name"), p);
    auto ext = check_external_id(read_string(body, "external_id", body_loc(), p), body_at("external_id"), p);
    auto role = check_role(read_string(body, "role", body_loc(), p), p);
    if (role.set() && role.value == MemberRole::Owner)
        p.add(body_at("role"), "value_error", "A new member can only be 'member' or 'billing_manager'; promote a member to transfer ownership.", "owner");
    if (!p.empty()) return p.to_error();
    AddPlan plan;
    plan.slot = *slot;
    plan.customer = w.load(*slot);
    const Customer& c = plan.customer;
    if (const Member* existing = live_with_email(c, *email)) {  // same email: the existing member
        plan.member = *existing, plan.existing = true;
        return plan;
    }
    if (c.type == CustomerType::Individual)
        return not_permitted("Individual customers can only have one member (the owner). Upgrade to a team customer to add more members.");
    if (auto limit = seat_limit(c); limit && static_cast<int64_t>(live_count(c)) >= *limit)
        return not_permitted("Seat limit reached: this team has " + std::to_string(*limit) + " seats, all taken.");
    if (external_id_taken(c, ext)) {
        p.add_duplicate(body_at("external_id"), "A member with this external ID already exists.", *ext);
        return p.to_error();
    }
    plan.member.customer_id = c.id;
    plan.member.email = *email;
    plan.member.name = name;
    plan.member.external_id = ext;
    plan.member.role = role.set() ? role.value : MemberRole::Member;
    return plan;
}
}  // namespace

Result<Member> Members::add(const std::string& org, std::string_view customer_id, const json& body) {
    auto plan = plan_add(w_, org, customer_id, body);
    if (!plan) return plan.error();
    if (plan->existing) return plan->member;
    Member m = std::move(plan->member);
    m.id = w_.new_id();
    m.created_at = w_.now();
    Customer next = std::move(plan->customer);
    next.members.push_back(m);
    w_.replace(plan->slot, next);
    w_.emit_member("member.created", org, m);
    return m;
}

Result<Unit> Members::check_add(const std::string& org, std::string_view customer_id, const json& body) const {
    auto plan = plan_add(w_, org, customer_id, body);
    if (!plan) return plan.error();
    return Unit{};
}

Result<std::vector<Member>> Members::list(const std::string& org, std::string_view customer_id) const {
    auto slot = w_.find(org, customer_id);
    if (!slot) return slot.error();
    std::vector<Member> out = w_.load(*slot).members;
    std::erase_if(out, [](const Member& m) { return !live(m); });
    return out;
}

Result<Member> Members::get(const std::string& org, std::string_view member_id) const {
    auto where = find(org, member_id);
    if (!where) return where.error();
    return w_.load(where->first).members[where->second];
}

Result<Member> Members::update(const std::string& org, std::string_view member_id, const json& body) {
    auto where = find(org, member_id);
    if (!where) return where.error();
    auto [slot, index] = *where;
    Problems p;
    if (!require_object(body, body_loc(), p)) return p.to_error();
    forbid_unknown(body, {"email", "name", "role"}, body_loc(), p);
    auto email_field = read_string(body, "email", body_loc(), p);
    auto email = check_email(email_field, body_at("email"), p);
    auto name_field = read_string(body, "name", body_loc(), p);
    auto name = check_name(name_field, body_at("name"), p);
    auto role = check_role(read_string(body, "role", body_loc(), p), p);
    if (!p.empty()) return p.to_error();
    const Customer old = w_.load(slot);
    Customer next = old;
    Member& m = next.members[index];
    if (email && live_with_email(next, *email, m.id)) {
        p.add_duplicate(body_at("email"), "A member with this email address already exists.", *email);
        return p.to_error();
    }
    if (role.set() && m.role == MemberRole::Owner && role.value != MemberRole::Owner) {
        // A customer has exactly one owner: this one (Polar's words and place, member/service.py).
        p.add(body_loc(), "value_error", "Cannot demote the only owner. Transfer ownership first.", to_string(role.value));
        return p.to_error();
    }
    const Millis now = w_.now();
    if (role.set() && role.value == MemberRole::Owner && m.role != MemberRole::Owner)
        for (auto& other : next.members)
            if (live(other) && other.role == MemberRole::Owner) other.role = MemberRole::BillingManager, other.modified_at = now;
    if (email) m.email = *email;
    if (name_field.set() || name_field.null()) m.name = name;
    if (role.set()) m.role = role.value;
    if (to_json(m) == to_json(old.members[index])) return old.members[index];
    m.modified_at = now;
    const Member saved = m;
    w_.replace(slot, next);
    w_.emit_member("member.updated", org, saved);
    return saved;
}

Result<Unit> Members::remove(const std::string& org, std::string_view member_id) {
    auto where = find(org, member_id);
    if (!where) return where.error();
    auto [slot, index] = *where;
    Customer next = w_.load(slot);
    if (next.members[index].role == MemberRole::Owner) {  // the only owner (Polar's words and place)
        Problems p;
        p.add(body_loc(), "value_error", "Cannot delete the only owner. Transfer ownership first.", next.members[index].id);
        return p.to_error();
    }
    next.members[index].deleted_at = w_.now();
    w_.replace(slot, next);
    w_.emit_member("member.deleted", org, next.members[index]);
    return Unit{};
}

MemberListQuery parse_member_list_query(const json& q, Problems& p, bool scoped) {
    MemberListQuery out;
    if (q.is_null() || !require_object(q, query_loc(), p)) return out;
    if (scoped) forbid_unknown(q, {"role", "sorting", "page", "limit"}, query_loc(), p);
    else forbid_unknown(q, {"customer_id", "external_customer_id", "role", "sorting", "page", "limit"}, query_loc(), p);
    out.customer_id = read_string(q, "customer_id", query_loc(), p).as_optional();
    out.external_customer_id = read_string(q, "external_customer_id", query_loc(), p).as_optional();
    auto role = read_string(q, "role", query_loc(), p);
    if (role.set()) {
        if (auto r = member_role_named(role.value)) out.role = *r;
        else p.add(query_at("role"), "enum", kMemberRoleChoices, role.value);
    }
    if (auto it = q.find("sorting"); it != q.end() && !it->is_null()) {
        const json list = it->is_array() ? *it : json::array({*it});
        for (size_t i = 0; i < list.size(); ++i) {  // one key: the first criterion decides, the rest tie
            const bool known = list[i] == "created_at" || list[i] == "-created_at";
            if (!known) {
                p.add(query_at("sorting"), "enum", "Invalid sorting criterion.", list[i]);
                break;
            }
            if (i == 0) out.descending = list[i] == "-created_at";
        }
    }
    out.page = parse_positive(q, "page", 1, p);
    out.limit = std::min(parse_positive(q, "limit", 10, p), kMaxLimit);
    return out;
}

namespace {
// The customer a member filter names, if the organization can see it: both filters must name the same one.
std::optional<Customer> filtered_customer(const CustomerReader& customers, const MemberListQuery& q) {
    std::optional<Customer> c;
    if (q.customer_id) {
        auto r = customers.get(*q.customer_id);
        if (!r) return std::nullopt;
        c = std::move(r.value());
    }
    if (q.external_customer_id) {
        auto r = customers.get_external(*q.external_customer_id);
        if (!r || (c && c->id != r->id)) return std::nullopt;
        if (!c) c = std::move(r.value());
    }
    return c;
}
// Ids compare as UUIDs do: hex digits in either case.
bool same_id(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}
}  // namespace

namespace {
// A page of the organization's member list read from its ready order: only the page's customers are loaded.
MemberPage page_of(const CustomerReader& customers, const std::vector<MemberPlace>& order, const MemberListQuery& q) {
    std::vector<const MemberPlace*> hits;
    hits.reserve(q.role ? 0 : order.size());
    for (const MemberPlace& m : order)
        if (!q.role || m.role == *q.role) hits.push_back(&m);
    if (q.descending) std::reverse(hits.begin(), hits.end());
    MemberPage page;
    page.total_count = hits.size();
    page.max_page = (hits.size() + q.limit - 1) / q.limit;
    const uint64_t skip = static_cast<uint64_t>(q.page - 1) * q.limit;  // 64-bit: size_t is 32-bit in WASM
    for (uint64_t i = skip; i < hits.size() && i < skip + q.limit; ++i) {
        const Customer c = customers.customer_at(hits[i]->slot);
        page.items.push_back(c.members[hits[i]->index]);
    }
    return page;
}
}  // namespace

Result<MemberPage> list_members(const CustomerReader& customers, const json& query, const Customer* of) {
    Problems p;
    const MemberListQuery q = parse_member_list_query(query, p, of != nullptr);
    if (!p.empty()) return p.to_error();
    if (q.customer_id && !is_uuid(*q.customer_id)) return Error{ErrorKind::NotFound, {}, "Invalid customer ID format"};
    const auto* order = of || q.customer_id || q.external_customer_id ? nullptr : customers.member_order();
    if (order) return page_of(customers, *order, q);
    std::vector<Member> found;
    auto take = [&](const Customer& c) {
        for (const Member& m : c.members)
            if (live(m) && (!q.role || m.role == *q.role)) found.push_back(m);
    };
    if (of) {
        take(*of);
    } else if (q.customer_id || q.external_customer_id) {
        if (auto c = filtered_customer(customers, q)) take(*c);
    } else {
        customers.each(take);
    }
    std::sort(found.begin(), found.end(), [&](const Member& a, const Member& b) {
        if (a.created_at != b.created_at) return q.descending ? a.created_at > b.created_at : a.created_at < b.created_at;
        return q.descending ? a.id > b.id : a.id < b.id;
    });
    MemberPage page;
    page.total_count = found.size();
    page.max_page = (found.size() + q.limit - 1) / q.limit;
    const uint64_t skip = static_cast<uint64_t>(q.page - 1) * q.limit;  // 64-bit: size_t is 32-bit in WASM
    for (uint64_t i = skip; i < found.size() && i < skip + q.limit; ++i) page.items.push_back(std::move(found[i]));
    return page;
}

Result<Member> member_of(const CustomerReader& customers, std::string_view customer_id, std::string_view member_id) {
    auto c = customers.get(customer_id);
    if (!c) return c.error();
    for (const Member& m : c->members)
        if (live(m) && same_id(m.id, member_id)) return m;
    return not_found();
}

Result<Member> member_by_external_id(const CustomerReader& customers, std::string_view customer_external_id,
                                     std::string_view member_external_id) {
    auto c = customers.get_external(customer_external_id);
    if (!c) return c.error();
    for (const Member& m : c->members)
        if (live(m) && m.external_id == member_external_id) return m;
    return not_found();
}

Result<Customer> WorkspaceCustomers::get(std::string_view id) const { return Customers(w_).get(org_, id); }

Result<Customer> WorkspaceCustomers::get_external(std::string_view external_id) const {
    return Customers(w_).get_external(org_, external_id);
}

const std::vector<MemberPlace>* WorkspaceCustomers::member_order() const {
    const auto org = w_.records().org_number(org_);
    return org ? &w_.member_order(*org) : nullptr;
}

void WorkspaceCustomers::each(const std::function<void(const Customer&)>& f) const {
    const auto org = w_.records().org_number(org_);
    if (!org) return;
    for (uint32_t slot : w_.records().slots(*org))
        if (w_.records().has(slot) && !w_.records().deleted(slot)) f(w_.load(slot));
}

}  // namespace clientele
