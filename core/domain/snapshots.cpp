#include "domain/snapshots.hpp"

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "domain/anonymize.hpp"
#include "domain/customers.hpp"
#include "rules/email.hpp"
#include "io/json_text.hpp"
#include "io/line_source.hpp"
#include "domain/snapshot.hpp"

namespace clientele {

namespace {
// Once the first lines are written, room for all of them (by their mean length, plus an eighth), so a
// large text is not copied again and again as it doubles.
void reserve_for(std::string& out, size_t written, size_t total) {
    if (written == 64 && total > written) out.reserve(out.size() / written * total / 8 * 9);
}
}  // namespace

std::string Snapshots::export_all(const std::string& org) const {
    std::string out;
    const auto number = w_.records().org_number(org);
    if (!number) return out;
    const auto& slots = w_.records().slots(*number);
    for (size_t i = 0; i < slots.size(); ++i) {
        reserve_for(out, i, slots.size());
        append_snapshot(out, w_.load(slots[i]));
        out += '\n';
    }
    return out;
}

namespace {
enum class Key { Id, Email, ExternalId };
// The slot the store keeps under a key (ids: any record or child; emails and external ids: this org's).
using Lookup = std::function<std::optional<uint32_t>(Key, std::string_view)>;

// Whether a record's bytes hold this key: its id or a child's (member, subscription, grant, meter), its
// email key, its external id.
bool record_has(std::string_view bytes, Key k, std::string_view key, Customer& scratch) {
    const RecordView v = view_record(bytes);
    if (k == Key::Email) return v.email && email::has_key(*v.email, key);
    if (k == Key::ExternalId) return v.external_id == key;
    if (v.id == key) return true;
    decode_record(bytes, "", 0, scratch, false);  // child ids: only on a hash match, so rarely
    bool has = false;
    for_each_child_id(scratch, [&](const std::string& child) { has = has || child == key; });
    return has;
}

// Keys already taken: by what the store keeps (less the records being replaced), looked up in its own
// indexes, or by an earlier line of the same import that loads. A claim keeps only the key's hash and the
// number the line's record gets among those loading (a FlatIndex doubling as it fills), and a hash match
// is confirmed against that record's bytes, so no key is copied. A line that fails gives its claims up.
class Taken {
public:
    using Bytes = std::function<std::string_view(uint32_t line)>;  // a loading line's record
    Taken(Lookup lookup, const std::unordered_set<uint32_t>& replaced, Bytes bytes)
        : lookup_(std::move(lookup)), replaced_(replaced), bytes_(std::move(bytes)) {}
    void start_line(uint32_t line) { line_ = line, pending_.clear(); }
    void give_up_line() {
        for (const Pending& p : pending_) claims_.erase(p.hash, [&](uint32_t v) { return v == line_; });
        pending_.clear();
    }
    bool claim_email(std::string_view email) { return email::email_key(email, email_key_), claim(Key::Email, email_key_); }
    bool claim(Key k, std::string_view key) {  // false when taken
        if (kept(k, key)) return false;
        const uint32_t h = hash_text(key) ^ static_cast<uint32_t>(k) * 0x9E3779B9u;
        if (claims_.find(h, [&](uint32_t line) { return has(line, k, key); })) return false;
        if (claims_.size() == room_) claims_.reserve(room_ *= 2);
        claims_.insert(h, line_);
        pending_.push_back({h, k, key});
        return true;
    }

private:
    struct Pending {  // the line's own claims, confirmed against it as it is checked
        uint32_t hash;
        Key kind;
        std::string_view key;  // in the line's record, which outlives the line's checks
    };
    bool kept(Key k, std::string_view key) const {
        const auto slot = lookup_(k, key);
        return slot && !replaced_.count(*slot);
    }
    bool has(uint32_t line, Key k, std::string_view key) {
        if (line != line_) return record_has(bytes_(line), k, key, scratch_);
        return std::any_of(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.kind == k && p.key == key; });
    }
    Lookup lookup_;
    const std::unordered_set<uint32_t>& replaced_;
    Bytes bytes_;
    FlatIndex claims_;
    size_t room_ = 1024;
    uint32_t line_ = 0;
    std::vector<Pending> pending_;
    std::string email_key_;  // the line's, which its claim points into
    Customer scratch_;
};

// Keys against the store and the batch: the customer's id and every child id (unique
// across the whole store, every organization: another organization's or customer's subscription, grant or
// meter id is refused), and a live customer's email and external id (unique in the organization).
void check_line(const Customer& c, const json& loc, Taken& taken, Problems& p) {
    auto at = [&](const char* key) { return loc_append(loc, key); };
    if (c.id.empty() || !taken.claim(Key::Id, c.id)) p.add(at("id"), "value_error", "Duplicate or empty id.", c.id);
    const auto children = [&](const char* list, const auto& items) {
        for (size_t i = 0; i < items.size(); ++i)
            if (items[i].id.empty() || !taken.claim(Key::Id, items[i].id))
                p.add(loc_append(loc_append(at(list), i), "id"), "value_error", "Duplicate or empty id.", items[i].id);
    };
    children("members", c.members);
    children("subscriptions", c.subscriptions);
    children("grants", c.grants);
    children("meters", c.meters);
    if (c.deleted_at) return;
    if (c.email && !taken.claim_email(*c.email))
        duplicate_email(p, at("email"), *c.email);
    if (c.external_id && !taken.claim(Key::ExternalId, *c.external_id))
        duplicate_external_id(p, at("external_id"), *c.external_id);
}
}  // namespace

namespace {
// A line of another organization is reported first, whatever else it breaks.
void check_organization(const JsonTree& tree, const std::string& org, const json& loc, Problems& p) {
    const JsonTree::Node* o = tree.root().kind == JsonTree::Kind::Object ? tree.find(tree.root(), "organization_id") : nullptr;
    if (o && o->kind == JsonTree::Kind::String && tree.string(*o) != org)
        p.add(loc_append(loc, "organization_id"), "value_error", "The record belongs to another organization.", tree.string(*o));
}

void report_problems(const Problems& p, ImportReport& report) {
    if (!p.empty())
        for (const auto& d : p.to_error().detail) report.failed.push_back(d);
}

// Calls f(number, line) for each non-blank line (numbers from 1, blank lines counted).
template <class F>
void for_each_line(LineSource& lines, F f) {
    size_t number = 0;
    lines.each([&](std::string_view text) {
        ++number;
        if (text.find_first_not_of(" \t\r") != std::string_view::npos) f(number, text);
    });
}
}  // namespace

// One record, one parse tree and one location are reused line after line, so a bulk load allocates
// little beyond what the store keeps; the lines are read once (twice with replace_existing).
Result<ImportReport> Snapshots::import(const std::string& org, LineSource& lines, ImportOptions options) {
    const bool atomic = options.atomic, replace_existing = options.replace_existing;
    ImportReport report;
    JsonTree tree;
    Customer c;
    std::string metadata;  // the line's, as its record keeps it (no JSON built)
    json loc = json::array({"line", 0});
    const auto read_line = [&](size_t number, std::string_view text, Problems& p, bool whole) {
        loc[1] = number;
        if (!tree.parse(text)) return p.add(loc, "json_invalid", "JSON decode error"), false;
        check_organization(tree, org, loc, p);
        // Finding replaced slots needs no free-form JSON and no rule; a line that loads is checked with the
        // create rules (and normalized as create normalizes).
        read_snapshot(tree, loc, p, c, whole, &metadata, whole && !options.trusted);
        return p.empty();
    };
    // Slots of this organization that readable lines overwrite: their keys are free for the import to take.
    std::unordered_set<uint32_t> replaced;
    if (replace_existing)
        for_each_line(lines, [&](size_t number, std::string_view text) {
            Problems ignored;  // reported by the check below
            auto slot = read_line(number, text, ignored, false) ? w_.slot_of_id(c.id) : std::nullopt;
            if (slot && w_.org_of(*slot) == org) replaced.insert(*slot);
        });
    Lookup lookup = [&](Key k, std::string_view key) -> std::optional<uint32_t> {
        if (k == Key::Id) {
            auto slot = w_.slot_of_id(key);
            return slot ? slot : w_.slot_of_child(key);
        }
        return k == Key::Email ? w_.slot_of_email_key(org, key) : w_.slot_of_external_id(org, key);
    };
    // Each line that reads and checks without a problem is encoded into the arena at once: the second
    // pass loads those bytes (decoding them is far cheaper than parsing the line again). Until then no
    // slot or index reaches them, and a refused import drops (zeroes) them.
    struct Staged {
        Workspace::Ref at;
        Millis created_at;
    };
    std::vector<Staged> staged;
    Taken taken(lookup, replaced, [&](uint32_t line) { return w_.staged(staged[line].at); });
    for_each_line(lines, [&](size_t number, std::string_view text) {
        Problems p;
        taken.start_line(static_cast<uint32_t>(staged.size()));
        if (read_line(number, text, p, true)) {
            // A line marked anonymized holds no personal data, whatever it says (Polar's own are redacted by Polar).
            if (is_anonymized(c) && !options.trusted) redact_personal(c);
            check_line(c, loc, taken, p);
        }
        if (p.empty()) staged.push_back({w_.stage(c, metadata), c.created_at});
        else taken.give_up_line();
        report_problems(p, report);
    });
    if (atomic && !report.failed.empty()) {
        for (const Staged& s : staged) w_.unstage(s.at);
        w_.compact_if_worth();
        return Error{ErrorKind::Validation, report.failed, "Snapshot refused"};
    }
    w_.reserve(org, staged.size());
    if (options.report_lines) report.lines.ids.reserve(staged.size());
    for (const Staged& s : staged) {
        // Indexes read metadata as stored: it is decoded only for the lines reported.
        decode_record(w_.staged(s.at), org, s.created_at, c, options.report_lines);
        // Only a replaced record's id can be in the store already: the check refused every other one.
        if (auto slot = replaced.empty() ? std::nullopt : w_.slot_of_id(c.id)) {
            w_.replace(*slot, c, s.at);
            if (is_anonymized(c)) {  // anonymized elsewhere (another tab): the events held here are redacted too
                redact_events(w_.events(), c);
                w_.erased_personal_data();
            }
        } else {
            w_.insert(c, s.at);
        }
        if (options.report_lines) {
            reserve_for(report.lines.jsonl, report.lines.ids.size(), staged.size());
            append_snapshot(report.lines.jsonl, c);
            report.lines.jsonl += '\n';
            report.lines.ids.push_back(c.id);
        }
    }
    w_.compact_if_worth();
    report.imported = staged.size();
    return report;
}

json Snapshots::records(const std::string& org, const std::vector<std::string>& ids) const {
    json out = json::array();
    for (const auto& id : ids) {
        auto slot = w_.slot_of_id(id);
        if (slot && w_.org_of(*slot) == org) out.push_back(to_snapshot(w_.load(*slot)));
    }
    return out;
}

SnapshotLines Snapshots::lines(const std::string& org, const std::vector<std::string>& ids) const {
    SnapshotLines out;
    for (const auto& id : ids) {
        auto slot = w_.slot_of_id(id);
        if (!slot || w_.org_of(*slot) != org) continue;
        reserve_for(out.jsonl, out.ids.size(), ids.size());
        append_snapshot(out.jsonl, w_.load(*slot));
        out.jsonl += '\n';
        out.ids.push_back(id);
    }
    return out;
}

size_t Snapshots::forget(const std::string& org, const std::vector<std::string>& ids) {
    size_t n = 0;
    for (const auto& id : ids) {
        auto slot = w_.slot_of_id(id);
        if (!slot || w_.org_of(*slot) != org) continue;
        w_.forget(*slot);
        ++n;
    }
    return n;
}

}  // namespace clientele
