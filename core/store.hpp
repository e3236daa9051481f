// The in-memory customer store: records scoped by organization, their indexes (id, email, external id,
// member id), and every command of the domain. Each command validates fully before it mutates anything.
// Commands are grouped by concern: store.cpp (create/get/update), members.cpp, deletion.cpp, billing.cpp
// (subscriptions, grants, meters, automatic creation), state.cpp, query.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "customer.hpp"
#include "events.hpp"
#include "fields.hpp"
#include "query.hpp"
#include "search_index.hpp"
#include "validation.hpp"

namespace clientele {

struct ImportReport {
    size_t imported = 0;
    std::vector<ErrorDetail> failed;  // one entry per unreadable line, loc ["line", N, ...]
};

struct Page {
    std::vector<const Customer*> items;
    size_t total_count = 0;
    size_t max_page = 0;
};

class Store {
public:
    Store() = default;
    Store(Clock clock, IdGenerator ids, size_t event_capacity = 1000)
        : clock_(std::move(clock)), ids_(std::move(ids)), events_(event_capacity) {}

    // Customers (store.cpp)
    Result<const Customer*> create(const std::string& org, const json& body);
    Result<const Customer*> get(const std::string& org, std::string_view id) const;
    Result<const Customer*> get_external(const std::string& org, std::string_view external_id) const;
    Result<const Customer*> update(const std::string& org, std::string_view id, const json& body);
    // Every problem create/update would report for this body, changing nothing (live form validation).
    Result<Unit> check_create(const std::string& org, const json& body) const;
    Result<Unit> check_update(const std::string& org, std::string_view id, const json& body) const;
    size_t size() const { return records_.size(); }

    // Listing and search (query.cpp)
    Result<Page> list(const std::vector<std::string>& orgs, const json& query) const;

    // Deletion and anonymization (deletion.cpp): returns the record as it is after the delete.
    Result<Customer> remove(const std::string& org, std::string_view id, bool anonymize);

    // Members (members.cpp)
    Result<const Member*> add_member(const std::string& org, std::string_view customer_id, const json& body);
    Result<std::vector<const Member*>> members(const std::string& org, std::string_view customer_id) const;
    Result<const Member*> get_member(const std::string& org, std::string_view member_id) const;
    Result<const Member*> update_member(const std::string& org, std::string_view member_id, const json& body);
    Result<Unit> remove_member(const std::string& org, std::string_view member_id);

    // Billing objects and automatic creation (billing.cpp)
    Result<const Customer*> record_checkout(const std::string& org, const json& body);
    Result<const Customer*> record_order(const std::string& org, const json& body);
    Result<const Subscription*> record_subscription(const std::string& org, const json& body);
    Result<const Subscription*> update_subscription(const std::string& org, std::string_view id, const json& body);
    Result<const BenefitGrant*> grant_benefit(const std::string& org, std::string_view customer_id, const json& body);
    Result<Unit> revoke_benefit(const std::string& org, std::string_view grant_id);
    Result<const Meter*> record_meter(const std::string& org, std::string_view customer_id, const json& body);

    // Snapshots (import.cpp): JSON Lines of every record of an organization, creation order.
    std::string export_snapshot(const std::string& org) const;
    // atomic: any bad line refuses the whole import; else good lines load and bad ones are reported.
    // replace: a line whose id the organization already has replaces that record (syncing from storage).
    Result<ImportReport> import_snapshot(const std::string& org, std::string_view jsonl, bool atomic, bool replace_existing = false);
    // Drops these customers entirely, bytes zeroed (undoing changes storage could not keep); answers the count.
    size_t forget(const std::string& org, const std::vector<std::string>& ids);
    // The snapshot lines of these customers (deleted ones included), for write-through persistence.
    json snapshot_records(const std::string& org, const std::vector<std::string>& ids) const;

    // Customer state (state.cpp): cached, dropped on every change of that customer.
    Result<json> state(const std::string& org, std::string_view id) const;

    const EventLog& events() const { return events_; }
    Millis now() const { return clock_.now(); }

private:
    struct OrgIndex {
        std::unordered_map<std::string, uint32_t> email;        // email_key of live customers
        std::unordered_map<std::string, uint32_t> external_id;  // live customers, case-sensitive
        std::vector<uint32_t> slots;                            // every customer of the org, creation order
        SearchIndex search;                                     // live customers: query, sort, metadata
    };

    Result<uint32_t> find(const std::string& org, std::string_view id) const;  // live customers only
    void gather(const OrgIndex& idx, const ListQuery& q, std::vector<uint32_t>& hits) const;
    std::string_view sort_key(uint32_t slot, SortKey key) const;
    const OrgIndex* org_index(const std::string& org) const;
    void check_unique(const std::string& org, const Customer& c, std::optional<uint32_t> self, Problems& p) const;
    void index(uint32_t slot);
    void unindex(uint32_t slot);
    uint32_t insert(Customer c);
    void reserve(const std::string& org, size_t more);  // room for `more` customers in every index
    void replace(uint32_t slot, Customer c);  // swaps in an updated record and reindexes it
    Customer build(const std::string& org, const CustomerCreate& in) const;
    Result<Customer> prepare_create(const std::string& org, const json& body) const;
    Result<std::pair<uint32_t, Customer>> prepare_update(const std::string& org, std::string_view id, const json& body) const;
    void register_children(const Customer& c, uint32_t slot);
    void changed(const Customer& c);          // drops cached state
    void emit(const char* type, const Customer& c);
    void emit_state(const Customer& c);
    void emit_member(const char* type, const Member& m);
    json state_json(const Customer& c) const;
    Result<std::pair<uint32_t, size_t>> find_member(const std::string& org, std::string_view member_id) const;
    std::optional<uint32_t> live_by_email(const std::string& org, const std::string& email) const;
    Result<uint32_t> find_or_create(const std::string& org, const json& body, bool verify);

    Clock clock_;
    IdGenerator ids_;
    EventLog events_;
    std::vector<std::unique_ptr<Customer>> records_;
    std::unordered_map<std::string, uint32_t> by_id_;
    std::unordered_map<std::string, uint32_t> child_slot_;  // member, subscription, grant, meter id -> customer slot
    std::unordered_map<std::string, OrgIndex> orgs_;
    mutable std::unordered_map<std::string, json> state_cache_;
};

// The seat limit of a team: the seats of its active seat-based subscriptions (none: unlimited).
std::optional<int64_t> seat_limit(const Customer& c);
bool is_active_subscription(const Subscription& s);  // active, trialing or past_due

Error not_found();
Error not_permitted(std::string message);

}  // namespace clientele
