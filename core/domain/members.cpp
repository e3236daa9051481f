// Team members (spec §2): add, list, update role, remove, with the owner and seat rules.
#include "domain/members.hpp"

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

Result<Member> Members::add(const std::string& org, std::string_view customer_id, const json& body) {
    auto slot = w_.find(org, customer_id);
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
    const Customer c = w_.load(*slot);
    if (const Member* existing = live_with_email(c, *email)) return *existing;  // same email: the existing member
    if (c.type == CustomerType::Individual)
        return not_permitted("Individual customers can only have one member (the owner). Upgrade to a team customer to add more members.");
    if (auto limit = seat_limit(c); limit && static_cast<int64_t>(live_count(c)) >= *limit)
        return not_permitted("Seat limit reached: this team has " + std::to_string(*limit) + " seats, all taken.");
    if (external_id_taken(c, ext)) {
        p.add_duplicate(body_at("external_id"), "A member with this external ID already exists.", *ext);
        return p.to_error();
    }
    Member m;
    m.id = w_.new_id();
    m.customer_id = c.id;
    m.created_at = w_.now();
    m.email = *email;
    m.name = name;
    m.external_id = ext;
    m.role = role.set() ? role.value : MemberRole::Member;
    Customer next = c;
    next.members.push_back(m);
    w_.replace(*slot, next);
    w_.emit_member("member.created", org, m);
    return m;
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
    if (role.set() && m.role == MemberRole::Owner && role.value != MemberRole::Owner)
        return not_permitted("Cannot demote the only owner. Transfer ownership first.");
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
    if (next.members[index].role == MemberRole::Owner)
        return not_permitted("Cannot delete the only owner. Transfer ownership first.");
    next.members[index].deleted_at = w_.now();
    w_.replace(slot, next);
    w_.emit_member("member.deleted", org, next.members[index]);
    return Unit{};
}

}  // namespace clientele
