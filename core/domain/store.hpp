// The in-memory customer store: records scoped by organization (kept encoded, record_codec), their indexes
// (id, email, external id, member id), and every command of the domain. Each command validates fully
// before it mutates anything; commands answer copies of the records.
// Commands are grouped by concern: store.cpp (create/get/update), members.cpp, deletion.cpp, billing.cpp
// (subscriptions, grants, meters, automatic creation), state.cpp, query.cpp.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/customer.hpp"
#include "domain/events.hpp"
#include "model/fields.hpp"
#include "storage/flat_index.hpp"
#include "io/line_source.hpp"
#include "domain/query.hpp"
#include "storage/record_arena.hpp"
#include "storage/record_codec.hpp"
#include "index/search_index.hpp"
#include "rules/validation.hpp"

namespace clientele {

struct ImportReport {
    size_t imported = 0;
    std::vector<ErrorDetail> failed;  // one entry per unreadable line, loc ["line", N, ...]
    std::vector<std::string> ids;     // the customers loaded, in line order (with ImportOptions::report_ids)
};

struct ImportOptions {
    bool atomic = true;             // any bad line refuses the whole import; else bad lines are reported
    bool replace_existing = false;  // a line whose id the organization has replaces that record
    bool report_ids = false;        // ImportReport::ids lists the loaded customers
};

struct Page {
    std::vector<Customer> items;
    size_t total_count = 0;
    size_t max_page = 0;
};

class Store {
public:
    Store() = default;
    Store(Clock clock, IdGenerator ids, size_t event_capacity = 1000)
        : clock_(std::move(clock)), ids_(std::move(ids)), events_(event_capacity) {}

    // Customers (store.cpp)
    Result<Customer> create(const std::string& org, const json& body);
    Result<Customer> get(const std::string& org, std::string_view id) const;
    Result<Customer> get_external(const std::string& org, std::string_view external_id) const;
    Result<Customer> update(const std::string& org, std::string_view id, const json& body);
    // Every problem create/update would report for this body, changing nothing (live form validation).
    Result<Unit> check_create(const std::string& org, const json& body) const;
    Result<Unit> check_update(const std::string& org, std::string_view id, const json& body) const;
    size_t size() const { return columns_.size(); }

    // Listing and search (query.cpp)
    Result<Page> list(const std::vector<std::string>& orgs, const json& query) const;

    // Deletion and anonymization (deletion.cpp): returns the record as it is after the delete.
    Result<Customer> remove(const std::string& org, std::string_view id, bool anonymize);

    // Members (members.cpp)
    Result<Member> add_member(const std::string& org, std::string_view customer_id, const json& body);
    Result<std::vector<Member>> members(const std::string& org, std::string_view customer_id) const;
    Result<Member> get_member(const std::string& org, std::string_view member_id) const;
    Result<Member> update_member(const std::string& org, std::string_view member_id, const json& body);
    Result<Unit> remove_member(const std::string& org, std::string_view member_id);

    // Billing objects and automatic creation (billing.cpp)
    Result<Customer> record_checkout(const std::string& org, const json& body);
    Result<Customer> record_order(const std::string& org, const json& body);
    Result<Subscription> record_subscription(const std::string& org, const json& body);
    Result<Subscription> update_subscription(const std::string& org, std::string_view id, const json& body);
    Result<BenefitGrant> grant_benefit(const std::string& org, std::string_view customer_id, const json& body);
    Result<Unit> revoke_benefit(const std::string& org, std::string_view grant_id);
    Result<Meter> record_meter(const std::string& org, std::string_view customer_id, const json& body);

    // Snapshots (import.cpp): JSON Lines of every record of an organization, creation order.
    std::string export_snapshot(const std::string& org) const;
    // atomic: any bad line refuses the whole import; else good lines load and bad ones are reported.
    // replace: a line whose id the organization already has replaces that record (syncing from storage).
    Result<ImportReport> import_snapshot(const std::string& org, std::string_view jsonl, ImportOptions options);
    // The same from a text read in pieces (once; twice with replace_existing, to find what it replaces).
    Result<ImportReport> import_snapshot(const std::string& org, LineSource& lines, ImportOptions options);
    Result<ImportReport> import_snapshot(const std::string& org, std::string_view jsonl, bool atomic, bool replace_existing = false) {
        return import_snapshot(org, jsonl, ImportOptions{atomic, replace_existing});
    }
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
        std::string id;
        FlatIndex email;         // live customers, by email_key
        FlatIndex external_id;   // live customers, case-sensitive
        std::vector<uint32_t> slots;  // every customer of the org, creation order
        SearchIndex search;           // live customers: query, sort, metadata
        OrgIndex(std::string org, ChunkedVector<uint32_t>& search_rows) : id(std::move(org)), search(search_rows) {}
    };
    // Where each record's bytes are, and what queries read of it without decoding it.
    struct Column {
        Millis created_at = 0;
        uint32_t org = kNoOrg;
        RecordArena::Ref at = RecordArena::kNone;  // none once forgotten
        bool deleted = false, active = false;      // active: has an active subscription
    };
    static constexpr uint32_t kNoOrg = 0xFFFFFFFFu;

    Result<uint32_t> find(const std::string& org, std::string_view id) const;  // live customers only
    bool live_in(const std::string& org, std::optional<uint32_t> slot) const;  // a live customer of org
    Customer load(uint32_t slot) const;
    std::string_view bytes(uint32_t slot) const { return records_.get(columns_[slot].at); }  // its record as kept
    RecordView view(uint32_t slot) const { return view_record(bytes(slot)); }
    const OrgIndex* org_index(const std::string& org) const;
    uint32_t org_number_for(const std::string& org);  // created on first use
    const OrgIndex& org_of(uint32_t slot) const { return orgs_[columns_[slot].org]; }
    std::optional<uint32_t> slot_of_id(std::string_view id) const;     // any record of any org
    std::optional<uint32_t> slot_of_child(std::string_view id) const;  // member, subscription, grant or meter
    std::optional<uint32_t> slot_of_email(const OrgIndex& idx, std::string_view key) const;
    std::optional<uint32_t> slot_of_external_id(const OrgIndex& idx, std::string_view external_id) const;
    void gather(const OrgIndex& idx, const ListQuery& q, std::vector<uint32_t>& hits) const;
    std::string_view sort_key(uint32_t slot, SortKey key) const;
    const std::vector<uint32_t>& order(const OrgIndex& idx, SortKey key) const;  // ready-made, live slots
    void check_unique(const std::string& org, const Customer& c, std::optional<uint32_t> self, Problems& p) const;
    // c is the record the slot stores (placed first); its metadata is read from the stored bytes, so a
    // record decoded without its free-form JSON indexes the same.
    void index(uint32_t slot, const Customer& c);
    void unindex(uint32_t slot);
    // at: c's bytes when already written by write_record (an import's checking pass), else they are.
    uint32_t insert(const Customer& c, RecordArena::Ref at = RecordArena::kNone);
    void reserve(const std::string& org, size_t more);  // room for `more` customers in every index
    void save(uint32_t slot, const Customer& c);  // encodes the record in place of the old bytes (zeroed)
    // c encoded into the arena, over `old` when it fits; the caller owns the bytes until placed.
    // metadata_cbor: the metadata as a record keeps it, when c's own is left empty (read_snapshot).
    RecordArena::Ref write_record(const Customer& c, RecordArena::Ref old = RecordArena::kNone,
                                  std::optional<std::string_view> metadata_cbor = std::nullopt);
    void place(uint32_t slot, const Customer& c, RecordArena::Ref at);  // `at` becomes the slot's record
    void compact_records();                        // rewrites the arena without its dead bytes
    void compact_if_worth();                       // when dead bytes pass 1 MiB and the live ones
    void replace(uint32_t slot, const Customer& c, RecordArena::Ref at = RecordArena::kNone);  // saves an updated record and reindexes it
    Customer build(const std::string& org, const CustomerCreate& in) const;
    Result<Customer> prepare_create(const std::string& org, const json& body) const;
    Result<std::pair<uint32_t, Customer>> prepare_update(const std::string& org, std::string_view id, const json& body) const;
    template <class F>
    void for_children(const Customer& c, F f) const;
    void changed(const Customer& c);          // drops cached state
    void emit(const char* type, const Customer& c);
    void emit_state(const Customer& c);
    void emit_member(const char* type, const std::string& org, const Member& m);
    json state_json(const Customer& c) const;
    Result<std::pair<uint32_t, size_t>> find_member(const std::string& org, std::string_view member_id) const;
    std::optional<uint32_t> live_by_email(const std::string& org, const std::string& email) const;
    Result<uint32_t> find_or_create(const std::string& org, const json& body, bool verify);

    Clock clock_;
    IdGenerator ids_;
    EventLog events_;
    RecordArena records_;  // encode_record bytes of every slot
    ChunkedVector<Column> columns_;
    std::string scratch_;  // encode_record's buffer, zeroed after each use
    FlatIndex by_id_, by_child_;
    // slot -> its row in its organization's SearchIndex (on the heap: the indexes point at it as the store moves)
    std::unique_ptr<ChunkedVector<uint32_t>> search_rows_ = std::make_unique<ChunkedVector<uint32_t>>();
    std::deque<OrgIndex> orgs_;
    std::unordered_map<std::string, uint32_t> org_numbers_;
    mutable std::unordered_map<std::string, json> state_cache_;
};

// The seat limit of a team: the seats of its active seat-based subscriptions (none: unlimited).
std::optional<int64_t> seat_limit(const Customer& c);
bool is_active_subscription(const Subscription& s);  // active, trialing or past_due

Error not_found();
Error not_permitted(std::string message);

}  // namespace clientele
