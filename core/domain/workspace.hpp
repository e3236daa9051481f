// What every command works on, behind the few operations the commands need: an organization's live
// customers found by id, child id, email or external id; records loaded and written with every index
// (unique keys, search) kept in step; the clock, ids, events and the state cache.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/events.hpp"
#include "index/search_index.hpp"
#include "storage/flat_index.hpp"
#include "storage/record_store.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace clientele {

Error not_found();
Error not_permitted(std::string message);

// A live member's place in its organization's member list, ordered by (created_at, id).
struct MemberPlace {
    Millis created_at = 0;
    std::string id;
    uint32_t slot = 0;   // its customer's
    uint32_t index = 0;  // in that customer's members
    MemberRole role = MemberRole::Member;
};

class Workspace {
public:
    using Ref = RecordStore::Ref;
    static constexpr Ref kNone = RecordStore::kNone;

    explicit Workspace(Clock clock = Clock(), IdGenerator ids = IdGenerator(), size_t event_capacity = 1000);

    // Finding
    Result<uint32_t> find(const std::string& org, std::string_view id) const;  // a live customer of org
    bool live_in(const std::string& org, std::optional<uint32_t> slot) const;  // a live customer of org
    std::optional<uint32_t> slot_of_id(std::string_view id) const { return records_.slot_of_id(id); }
    std::optional<uint32_t> slot_of_child(std::string_view id) const { return records_.slot_of_child(id); }
    std::optional<uint32_t> slot_of_email_key(const std::string& org, std::string_view key) const;
    std::optional<uint32_t> live_by_email(const std::string& org, std::string_view email) const;
    std::optional<uint32_t> slot_of_external_id(const std::string& org, std::string_view external_id) const;
    Customer load(uint32_t slot) const { return records_.load(slot); }
    RecordView view(uint32_t slot) const { return records_.view(slot); }
    const std::string& org_of(uint32_t slot) const { return records_.org_of(slot); }
    const RecordStore& records() const { return records_; }
    // An organization's search index, none before its first customer.
    const SearchIndex* search(const std::string& org) const;
    const SearchIndex& search_of(uint32_t slot) const { return search_[records_.org_number(slot)]; }
    // Its live customers in ascending order of key, ties by id (ready-made, kept up to date).
    const std::vector<uint32_t>& order(const SearchIndex& index, SortKey key) const;
    // An organization's live members of live customers by (created_at, id), built on first use after a write.
    const std::vector<MemberPlace>& member_order(uint32_t org) const;

    // Writing: the record and every index of it; the customer's cached state is dropped.
    uint32_t insert(const Customer& c, Ref at = kNone);
    void replace(uint32_t slot, const Customer& c, Ref at = kNone);
    void forget(uint32_t slot);  // gone entirely, its bytes zeroed
    // Staging (a bulk load): bytes written before any index reaches them.
    Ref stage(const Customer& c, std::optional<std::string_view> metadata_cbor);
    std::string_view staged(Ref at) const { return records_.staged(at); }
    void unstage(Ref at);
    void reserve(const std::string& org, size_t more);
    void compact_if_worth() { records_.compact_if_worth(); }

    // One call's writes, undone if the call fails part-way (an exception such as bad_alloc): every
    // record it wrote is put back as it was, its new records and staged bytes are zeroed away, every index
    // is rebuilt from the records and its events are taken back. Answers false when the undo itself
    // failed, after which the workspace must not be used.
    void begin_call();
    void end_call();
    bool undo_call();

    // Time, ids, events
    Millis now() const { return clock_.now(); }
    std::string new_id() { return ids_.uuid4(); }
    const EventLog& events() const { return events_; }
    EventLog& events() { return events_; }
    void emit(const char* type, const Customer& c);
    void emit_state(const Customer& c);
    void emit_member(const char* type, const std::string& org, const Member& m);

    // Personal data erased (an anonymization, a forgotten customer): counted, so that a host can clear what
    // the core cannot reach itself, such as stale stack memory below the current call (bindings/).
    void erased_personal_data() { ++erasures_; }
    uint64_t erasures() const { return erasures_; }

    // The state answers built so far, by customer id (dropped on every change of that customer).
    std::unordered_map<std::string, json>& state_cache() const { return state_cache_; }

private:
    SearchIndex& search_for(uint32_t slot) { return search_of_org(records_.org_number(slot)); }
    void save(uint32_t slot);  // its state before the call's first write of it
    // The journal's set of staged bytes, one FlatIndex entry each (no node allocated per staged line).
    static uint32_t staged_key(Ref at) { return at * 0x9E3779B1u; }
    void unjournal(Ref at) { journal_.staged.erase(staged_key(at), [at](uint32_t v) { return v == at; }); }
    void reindex();            // every search index rebuilt from the records
    SearchIndex& search_of_org(uint32_t org);  // created with the organization
    void changed(const Customer& c) { state_cache_.erase(c.id); }
    uint64_t writes_ = 0;  // records written so far: what derived orders are checked against
    struct MemberOrder {
        uint64_t writes = ~uint64_t(0);
        std::vector<MemberPlace> places;
    };
    mutable std::unordered_map<uint32_t, MemberOrder> member_orders_;

    Clock clock_;
    IdGenerator ids_;
    EventLog events_;
    RecordStore records_;
    // slot -> its row in its organization's SearchIndex (on the heap: the indexes point at it as the store moves)
    std::unique_ptr<ChunkedVector<uint32_t>> search_rows_ = std::make_unique<ChunkedVector<uint32_t>>();
    std::deque<SearchIndex> search_;  // by the record store's organization number
    mutable std::unordered_map<std::string, json> state_cache_;
    uint64_t erasures_ = 0;
    // The journal of the call under way (begin_call to end_call).
    struct Journal {
        bool on = false;
        size_t slots = 0;                          // slots existing at the start
        std::vector<RecordStore::Saved> saved;     // first writes' before-images
        std::unordered_set<uint32_t> saved_slots;
        FlatIndex staged;                          // staged and not yet placed in a slot (keyed by staged_key)
    } journal_;
};

}  // namespace clientele
