// The record store: customers kept encoded (record_codec) in one arena, a slot each, with the keys that
// must be unique indexed (ids of records and of their children; per organization, email and external
// id) and dead bytes compacted away. It knows no Polar rule: how emails compare comes in as EmailKeys,
// and what may be written is decided by the commands above it.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/customer.hpp"
#include "storage/chunked.hpp"
#include "storage/flat_index.hpp"
#include "storage/record_arena.hpp"
#include "storage/record_codec.hpp"

namespace clientele {

// How emails compare, given by the domain: the hash of an email's key, and whether an email has a key.
struct EmailKeys {
    uint32_t (*hash)(std::string_view email);
    bool (*has_key)(std::string_view email, std::string_view key);
};

class RecordStore {
public:
    using Ref = RecordArena::Ref;
    static constexpr Ref kNone = RecordArena::kNone;
    static constexpr uint32_t kNoOrg = 0xFFFFFFFFu;

    explicit RecordStore(EmailKeys keys) : keys_(keys) {}

    // Slots ever used, forgotten ones included.
    size_t size() const { return columns_.size(); }
    Customer load(uint32_t slot) const;
    std::string_view bytes(uint32_t slot) const { return records_.get(columns_[slot].at); }  // its record as kept
    RecordView view(uint32_t slot) const { return view_record(bytes(slot)); }
    Millis created_at(uint32_t slot) const { return columns_[slot].created_at; }
    bool deleted(uint32_t slot) const { return columns_[slot].deleted; }
    bool has(uint32_t slot) const { return columns_[slot].at != kNone; }  // not forgotten
    bool flagged(uint32_t slot) const { return columns_[slot].flag; }  // as the last write set it
    uint32_t org_number(uint32_t slot) const { return columns_[slot].org; }
    const std::string& org_of(uint32_t slot) const { return orgs_[columns_[slot].org].id; }
    std::optional<uint32_t> org_number(const std::string& org) const;  // none before its first record
    const std::vector<uint32_t>& slots(uint32_t org) const { return orgs_[org].slots; }  // creation order

    std::optional<uint32_t> slot_of_id(std::string_view id) const;     // any record of any organization
    std::optional<uint32_t> slot_of_child(std::string_view id) const;  // the record carrying this child id
    // Live (not deleted) records of an organization by email key or external id.
    std::optional<uint32_t> slot_of_email(uint32_t org, std::string_view key) const;
    std::optional<uint32_t> slot_of_external_id(uint32_t org, std::string_view external_id) const;

    // c encoded into the arena, owned by the caller until inserted (or unstaged, its bytes zeroed).
    // metadata_cbor: the metadata as a record keeps it, when c's own is left empty (read_snapshot).
    Ref stage(const Customer& c, std::optional<std::string_view> metadata_cbor = std::nullopt);
    std::string_view staged(Ref at) const { return records_.get(at); }
    void unstage(Ref at) { records_.drop(at); }
    // A new slot for c (its bytes: `at` when staged, else written now); `flag` is the caller's to read back.
    uint32_t insert(const Customer& c, bool flag, Ref at = kNone);
    // c in place of the slot's record, whose bytes are zeroed; its keys follow.
    void replace(uint32_t slot, const Customer& c, bool flag, Ref at = kNone);
    // The slot emptied: its bytes zeroed, its keys dropped, gone from its organization's slots.
    void forget(uint32_t slot);
    void reserve(const std::string& org, size_t more);  // room for `more` records of org in every index
    void compact_if_worth();  // rewrites the arena once dead bytes pass 1 MiB and the live ones

    // Undo of a failed call (domain/Workspace): a slot as it was (saved before its first write), put back;
    // slots past `size` emptied (bytes zeroed); then every key rebuilt from the records themselves.
    struct Saved;
    Saved save(uint32_t slot) const;
    void restore(const Saved& saved);
    void truncate(size_t size);
    void rekey();
    size_t org_count() const { return orgs_.size(); }

private:
    struct OrgKeys {
        std::string id;
        FlatIndex email;         // live records, by the hash of their email key
        FlatIndex external_id;   // live records, case-sensitive
        std::vector<uint32_t> slots;  // every record of the organization, creation order
    };
    // Where each record's bytes are, and what is read of it without decoding it.
    struct Column {
        Millis created_at = 0;
        uint32_t org = kNoOrg;
        Ref at = kNone;  // none once forgotten
        bool deleted = false, flag = false;
    };

    uint32_t org_for(const std::string& org);  // created on first use
    void key(uint32_t slot, const Customer& c);
    void unkey(uint32_t slot);  // reads the record as keyed now, so call it before the bytes change
    // c encoded into the arena, over `old` when it fits (kNone: added anew); the encoding buffer is zeroed.
    Ref write(const Customer& c, Ref old, std::optional<std::string_view> metadata_cbor = std::nullopt);
    void place(uint32_t slot, const Customer& c, bool flag, Ref at);  // `at` becomes the slot's record
    void compact();

public:
    struct Saved {
        uint32_t slot;
        Column column;
        std::string bytes;  // personal data: zeroed when freed (util/zero_on_free)
    };

private:
    EmailKeys keys_;
    RecordArena records_;
    ChunkedVector<Column> columns_;
    std::string scratch_;  // encode_record's buffer, zeroed after each use
    FlatIndex by_id_, by_child_;
    std::deque<OrgKeys> orgs_;
    std::unordered_map<std::string, uint32_t> org_numbers_;
};

}  // namespace clientele
