// The customer store of one process: every organization's customers and the commands of the domain,
// each in its own class (customers, members, deletion, billing, state, listing, snapshots) working on one
// shared Workspace. Each command validates fully before it changes anything; answers are copies.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "domain/billing.hpp"
#include "domain/customer_state.hpp"
#include "domain/customers.hpp"
#include "domain/deletion.hpp"
#include "domain/members.hpp"
#include "domain/query.hpp"
#include "domain/replica.hpp"
#include "domain/snapshots.hpp"
#include "domain/workspace.hpp"
#include "io/line_source.hpp"

namespace clientele {

class Store {
public:
    Store() = default;
    Store(Clock clock, IdGenerator ids, size_t event_capacity = 1000)
        : w_(std::move(clock), std::move(ids), event_capacity) {}

    // Customers
    Result<Customer> create(const std::string& org, const json& body) { return Customers(w_).create(org, body); }
    Result<Customer> get(const std::string& org, std::string_view id) const { return Customers(w_).get(org, id); }
    Result<Customer> get_external(const std::string& org, std::string_view external_id) const {
        return Customers(w_).get_external(org, external_id);
    }
    Result<Customer> update(const std::string& org, std::string_view id, const json& body) {
        return Customers(w_).update(org, id, body);
    }
    Result<Unit> check_create(const std::string& org, const json& body) const { return Customers(w_).check_create(org, body); }
    Result<Unit> check_update(const std::string& org, std::string_view id, const json& body) const {
        return Customers(w_).check_update(org, id, body);
    }
    size_t size() const { return w_.records().size(); }

    // Listing and search
    Result<Page> list(const std::vector<std::string>& orgs, const json& query) const { return Listing(w_).list(orgs, query); }

    // Deletion and anonymization: the record as it is after the delete.
    Result<Customer> remove(const std::string& org, std::string_view id, bool anonymize) {
        return Deletion(w_).remove(org, id, anonymize);
    }

    // Members
    Result<Member> add_member(const std::string& org, std::string_view customer_id, const json& body) {
        return Members(w_).add(org, customer_id, body);
    }
    Result<Unit> check_add_member(const std::string& org, std::string_view customer_id, const json& body) const {
        return Members(w_).check_add(org, customer_id, body);
    }
    Result<std::vector<Member>> members(const std::string& org, std::string_view customer_id) const {
        return Members(w_).list(org, customer_id);
    }
    Result<Member> get_member(const std::string& org, std::string_view member_id) const { return Members(w_).get(org, member_id); }
    Result<Member> update_member(const std::string& org, std::string_view member_id, const json& body) {
        return Members(w_).update(org, member_id, body);
    }
    Result<Unit> remove_member(const std::string& org, std::string_view member_id) { return Members(w_).remove(org, member_id); }

    // Billing objects and automatic creation
    Result<Customer> record_checkout(const std::string& org, const json& body) { return Billing(w_).record_checkout(org, body); }
    Result<Customer> record_order(const std::string& org, const json& body) { return Billing(w_).record_order(org, body); }
    Result<Subscription> record_subscription(const std::string& org, const json& body) {
        return Billing(w_).record_subscription(org, body);
    }
    Result<Subscription> update_subscription(const std::string& org, std::string_view id, const json& body) {
        return Billing(w_).update_subscription(org, id, body);
    }
    Result<BenefitGrant> grant_benefit(const std::string& org, std::string_view customer_id, const json& body) {
        return Billing(w_).grant_benefit(org, customer_id, body);
    }
    Result<Unit> revoke_benefit(const std::string& org, std::string_view grant_id) { return Billing(w_).revoke_benefit(org, grant_id); }
    Result<Meter> record_meter(const std::string& org, std::string_view customer_id, const json& body) {
        return Billing(w_).record_meter(org, customer_id, body);
    }

    // Customer state: cached, dropped on every change of that customer.
    Result<json> state(const std::string& org, std::string_view id) const { return CustomerState(w_).get(org, id); }

    // Snapshots: JSON Lines of every record of an organization, creation order.
    std::string export_snapshot(const std::string& org) const { return Snapshots(w_).export_all(org); }
    Result<ImportReport> import_snapshot(const std::string& org, LineSource& lines, ImportOptions options) {
        return Snapshots(w_).import(org, lines, options);
    }
    Result<ImportReport> import_snapshot(const std::string& org, std::string_view jsonl, ImportOptions options) {
        TextLines lines(jsonl);
        return import_snapshot(org, lines, options);
    }
    Result<ImportReport> import_snapshot(const std::string& org, std::string_view jsonl, bool atomic, bool replace_existing = false) {
        return import_snapshot(org, jsonl, ImportOptions{atomic, replace_existing});
    }
    size_t forget(const std::string& org, const std::vector<std::string>& ids) { return Snapshots(w_).forget(org, ids); }
    json snapshot_records(const std::string& org, const std::vector<std::string>& ids) const { return Snapshots(w_).records(org, ids); }
    SnapshotLines snapshot_lines(const std::string& org, const std::vector<std::string>& ids) const { return Snapshots(w_).lines(org, ids); }

    // A replica of a Polar organization: Polar's records applied as its truth (spec §9).
    Result<ReplicaOutcome> replica_apply(const std::string& org, std::string_view type, const json& data, const std::string& webhook_id,
                                         std::optional<int64_t> at) {
        return Replica(w_, replica_log_).apply(org, type, data, webhook_id, at);
    }

    // Members as the member routes find them (Polar's list with its filters, paged; by customer; by external ids).
    Result<MemberPage> list_members(const std::string& org, const json& query, const Customer* of = nullptr) const {
        return clientele::list_members(WorkspaceCustomers(w_, org), query, of);
    }
    Result<Member> member_of(const std::string& org, std::string_view customer_id, std::string_view member_id) const {
        return clientele::member_of(WorkspaceCustomers(w_, org), customer_id, member_id);
    }
    Result<Member> member_by_external_id(const std::string& org, std::string_view customer_external_id,
                                         std::string_view member_external_id) const {
        return clientele::member_by_external_id(WorkspaceCustomers(w_, org), customer_external_id, member_external_id);
    }

    // One call's writes, undone if it fails part-way (Workspace::begin_call).
    void begin_call() { w_.begin_call(); }
    void end_call() { w_.end_call(); }
    bool undo_call() { return w_.undo_call(); }

    const EventLog& events() const { return w_.events(); }
    uint64_t erasures() const { return w_.erasures(); }  // anonymizations and forgotten customers so far
    Millis now() const { return w_.now(); }

private:
    // The commands read through a const Workspace where they only read; the state cache is mutable.
    mutable Workspace w_;
    ReplicaLog replica_log_;
};

}  // namespace clientele
