// Store::export_snapshot / import_snapshot: JSON Lines in and out. An import checks every line
// (organization, ids, uniqueness, against the store and the rest of the batch) before loading any.
#include <unordered_set>

#include "email.hpp"
#include "snapshot.hpp"
#include "store.hpp"

namespace clientele {

std::string Store::export_snapshot(const std::string& org) const {
    std::string out;
    const OrgIndex* idx = org_index(org);
    if (!idx) return out;
    for (uint32_t slot : idx->slots) out += to_snapshot(*records_[slot]).dump() + "\n";
    return out;
}

namespace {
// Keys already taken, by the store or by earlier lines of the same import.
struct Taken {
    std::unordered_set<std::string> ids, emails, external_ids;
};

void check_line(const Customer& c, const std::string& org, const json& loc, Taken& batch, Problems& p) {
    auto at = [&](const char* key) { return loc_append(loc, key); };
    if (c.organization_id != org)
        p.add(at("organization_id"), "value_error", "The record belongs to another organization.", c.organization_id);
    if (c.id.empty() || !batch.ids.insert(c.id).second) p.add(at("id"), "value_error", "Duplicate or empty id.", c.id);
    for (const auto& m : c.members) {
        if (m.customer_id != c.id) p.add(at("members"), "value_error", "A member belongs to another customer.", m.id);
        if (m.id.empty() || !batch.ids.insert(m.id).second) p.add(at("members"), "value_error", "Duplicate or empty member id.", m.id);
    }
    if (c.deleted_at) return;
    if (c.email && !batch.emails.insert(email::email_key(*c.email)).second)
        p.add(at("email"), "value_error", "A customer with this email address already exists.", *c.email);
    if (c.external_id && !batch.external_ids.insert(*c.external_id).second)
        p.add(at("external_id"), "value_error", "A customer with this external ID already exists.", *c.external_id);
}
}  // namespace

Result<ImportReport> Store::import_snapshot(const std::string& org, std::string_view jsonl, bool atomic) {
    Taken taken;
    for (const auto& [id, slot] : by_id_) taken.ids.insert(id);
    for (const auto& [id, slot] : child_slot_) taken.ids.insert(id);
    if (const OrgIndex* idx = org_index(org)) {
        for (const auto& [key, slot] : idx->email) taken.emails.insert(key);
        for (const auto& [key, slot] : idx->external_id) taken.external_ids.insert(key);
    }
    ImportReport report;
    std::vector<Customer> good;
    size_t line_no = 0;
    for (size_t start = 0; start < jsonl.size();) {
        size_t end = jsonl.find('\n', start);
        if (end == std::string_view::npos) end = jsonl.size();
        const std::string_view line = jsonl.substr(start, end - start);
        start = end + 1;
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        const json loc = json::array({"line", line_no});
        Problems p;
        json j = json::parse(line.begin(), line.end(), nullptr, false);
        if (j.is_discarded()) p.add(loc, "json_invalid", "JSON decode error");
        Customer c = j.is_discarded() ? Customer{} : from_snapshot(j, loc, p);
        if (p.empty()) check_line(c, org, loc, taken, p);
        if (p.empty()) good.push_back(std::move(c));
        for (const auto& d : p.to_error().detail) report.failed.push_back(d);
    }
    if (atomic && !report.failed.empty()) return Error{ErrorKind::Validation, report.failed, "Snapshot refused"};
    for (auto& c : good) {
        const uint32_t slot = insert(std::move(c));
        changed(*records_[slot]);
    }
    report.imported = good.size();
    return report;
}

}  // namespace clientele
