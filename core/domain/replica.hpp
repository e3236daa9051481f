// A replica of a Polar organization (spec §9): Polar's own records, pulled from its API or delivered by
// its verified webhooks, applied as Polar's truth (ids, timestamps and values kept as given), each
// webhook id once, an older record never over a newer one, a deleted customer never brought back.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "domain/workspace.hpp"

namespace clientele {

struct ReplicaOutcome {
    bool applied = false;
    std::string reason;  // when not applied: "duplicate", "stale", "deleted" or "unknown_customer"
    std::string id;      // the customer the record is about
};

// What a replica remembers between records: the webhook ids applied (the last kKept of them), per record
// the timestamp of the last webhook applied to it (to order two records of equal modified_at), and the
// members deleted (so a member.created delivered after its member.deleted does not bring one back).
class ReplicaLog {
public:
    static constexpr size_t kKept = 10000;
    bool seen(const std::string& webhook_id) const { return ids_.count(webhook_id) > 0; }
    void applied(const std::string& webhook_id, const std::string& customer_id, std::optional<int64_t> at);
    std::optional<int64_t> last_at(const std::string& customer_id) const;
    // Whether a version of a record (its time, and its webhook's timestamp `at`) is older than the one
    // held at `held`: by time, then, on a tie, by the timestamp of the last webhook applied to it.
    bool older(std::optional<Millis> incoming, Millis held, const std::string& record_id, std::optional<int64_t> at) const;
    void member_deleted(const std::string& member_id) { deleted_members_.insert(member_id); }
    // When a customer's email last changed (its record's time then): an owner member delivered from
    // before that time takes the customer's email (spec §3), as Polar's own record of it has.
    void email_changed(const std::string& customer_id, Millis at) { email_changed_at_[customer_id] = at; }
    std::optional<Millis> email_changed_at(const std::string& customer_id) const {
        auto it = email_changed_at_.find(customer_id);
        return it == email_changed_at_.end() ? std::nullopt : std::optional<Millis>(it->second);
    }
    bool member_was_deleted(const std::string& member_id) const { return deleted_members_.count(member_id) > 0; }

private:
    std::unordered_set<std::string> ids_;
    std::deque<std::string> order_;
    std::unordered_map<std::string, int64_t> at_;
    std::unordered_set<std::string> deleted_members_;
    std::unordered_map<std::string, Millis> email_changed_at_;
};

class Replica {
public:
    Replica(Workspace& w, ReplicaLog& log) : w_(w), log_(log) {}
    // `type`: a Polar webhook type (customer.created|updated|deleted|state_changed, member.created|
    // updated|deleted) or "customer.pulled" (a customer read from Polar's list, with its `members`);
    // `data`: the webhook's data or the listed customer, as Polar writes it; `webhook_id` and `at` (the
    // webhook's id and timestamp, Unix seconds) when it came by webhook. Emits the events the change makes.
    Result<ReplicaOutcome> apply(const std::string& org, std::string_view type, const json& data, const std::string& webhook_id,
                                 std::optional<int64_t> at);

private:
    Result<ReplicaOutcome> apply_customer(const std::string& org, std::string_view type, const json& data, std::optional<int64_t> at);
    Result<ReplicaOutcome> apply_member(const std::string& org, std::string_view type, const json& data, std::optional<int64_t> at);
    // Loads `line` (a snapshot line) over the customer's record as Polar's truth; answers the loaded record.
    Result<Customer> load(const std::string& org, const json& line);
    Workspace& w_;
    ReplicaLog& log_;
};

}  // namespace clientele
