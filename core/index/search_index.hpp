// Per-organization search structures behind list queries (spec §4): chunks of case-folded text
// (email, name, billing name, external id), compressed trigram postings over it for substring queries of 3+ bytes
// (shorter ones scan the text), sort orders kept up to date as customers change, and an inverted index of
// metadata values.
// Text of removed customers is zeroed in place and their trigrams leave the postings.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/chunked.hpp"
#include "model/customer.hpp"
#include "storage/flat_index.hpp"
#include "index/posting_list.hpp"
#include "storage/record_codec.hpp"

namespace clientele {

enum class SortKey { CreatedAt, Email, Name };
std::string metadata_text(const json& v);  // "1", "true", "x": how metadata values compare

class SearchIndex {
public:
    // `rows` maps every slot of the store to its row here (shared by the organizations' indexes, each row
    // checked against its own slot); it must outlive this index.
    explicit SearchIndex(ChunkedVector<uint32_t>& rows) : row_of_(&rows) {}

    // Indexes a live customer, its metadata read from the CBOR its record keeps (RecordView::metadata; the
    // record's own JSON may be left empty). Call erase() with the record as put before the record changes.
    void put(uint32_t slot, const Customer& c, std::string_view metadata);
    void erase(uint32_t slot, std::string_view metadata);  // forgets it and its metadata, zeroing its text
    size_t size() const { return live_; }

    // Calls on_hit(slot) once for each customer whose email, name or billing name contains `folded`,
    // or whose external id starts with it. `folded` must come from fold_query().
    template <class F>
    void scan(std::string_view folded, F on_hit) const;
    bool contains(uint32_t slot, std::string_view folded) const;  // the same test for one customer
    size_t trigram_postings() const { return grams_.size(); }     // trigram keys with a list built
    // Trigram lists are built as queries need them, only the keys a query lacks in one pass over the rows,
    // until this many such passes; the next key missing builds every list at once.
    static constexpr unsigned kGramPasses = 8;
    static std::string fold_query(std::string_view query);

    std::string_view email_key(uint32_t slot) const;  // folded, for sorting
    std::string_view name_key(uint32_t slot) const;
    // What the orders need of a slot from the store: its creation time, and its id for ties.
    struct Ties {
        std::function<Millis(uint32_t slot)> created_at;
        std::function<StoredId(uint32_t slot)> id;
    };
    // Live slots in ascending order of `key`, ties by id. Built on first use; after that, the customers
    // changed since are taken out and put back in their places (a full sort only when they are many).
    const std::vector<uint32_t>& order(SortKey key, const Ties& ties) const;
    // Slots whose metadata `key` has one of these text values (sorted, no duplicates).
    std::vector<uint32_t> with_metadata(const std::string& key, const std::vector<std::string>& texts) const;

private:
    struct Row {
        uint32_t slot;
        ChunkedBytes::Ref offset;  // of its text
        uint16_t email_len, name_len, billing_len, ext_len;
        bool live;
        uint32_t size() const { return email_len + name_len + billing_len + ext_len + 4; }
        uint32_t end() const { return offset + size(); }
    };
    size_t row_at(ChunkedBytes::Ref offset) const;  // the row whose text holds this position
    bool hit_in(const Row& r, size_t pos) const;  // a match at pos counts for row r
    bool row_contains(const Row& r, std::string_view folded) const;
    // Trigram keys of a row: every 3 bytes inside email, name or billing name, and (flagged) the first
    // 3 bytes of the external id, since that field matches by prefix only.
    template <class F>
    void row_grams(const Row& r, F on_key) const;
    void add_grams(uint32_t row) const;
    void drop_grams(uint32_t row);
    void need_grams(const std::vector<uint32_t>& keys) const;  // the lists of these keys, built if missing
    void build_grams(const std::vector<uint32_t>* only = nullptr) const;  // these keys' lists, or every key's
    std::vector<uint32_t> candidates(std::string_view folded) const;  // rows that may contain it, ascending
    void compact();
    void add_metadata(uint32_t slot, std::string_view cbor);
    void drop_metadata(uint32_t slot, std::string_view cbor);
    std::optional<uint32_t> row_of(uint32_t slot) const;

    std::string_view text(const Row& r) const { return {text_.data(r.offset), r.size()}; }

    ChunkedBytes text_;  // per row: email \x1f name \x1f billing \x1f external_id \x1e
    std::string scratch_;  // a row's text as it is folded, zeroed after each use
    ChunkedVector<Row> rows_;
    ChunkedVector<uint32_t>* row_of_;  // slot -> index in rows_ (live rows; others kNoRow or another org's)
    static constexpr uint32_t kNoRow = 0xFFFFFFFFu;
    void set_row(uint32_t slot, uint32_t row);
    std::unordered_map<std::string, PostingList> metadata_;  // key \0 text -> slots (compressed: 1-2 bytes each)
    size_t live_ = 0, dead_bytes_ = 0;
    mutable std::unordered_map<uint32_t, PostingList> grams_;  // trigram key -> rows, ascending (each complete)
    mutable bool all_grams_ = false;   // every key has its list: a key without one is in no row
    mutable unsigned gram_passes_ = 0;  // passes that built some keys' lists
    void touch(uint32_t slot);  // its place in every built order is to be found again
    void build_order(SortKey key, const Ties& ties) const;
    void update_order(SortKey key, const Ties& ties) const;

    mutable std::array<std::vector<uint32_t>, 3> orders_;
    mutable std::array<bool, 3> built_{false, false, false};
    mutable std::array<std::vector<uint32_t>, 3> touched_;  // per built order: slots put or erased since
};

template <class F>
void SearchIndex::scan(std::string_view folded, F on_hit) const {
    if (folded.empty()) return;
    if (folded.size() >= 3) {  // postings: exact for 3 bytes, candidates to check for more
        for (uint32_t row : candidates(folded)) {
            const Row& r = rows_[row];
            if (r.live && (folded.size() == 3 || row_contains(r, folded))) on_hit(r.slot);
        }
        return;
    }
    for (size_t chunk = 0; chunk < text_.chunk_count(); ++chunk) {  // rows never straddle two chunks
        const std::string_view text = text_.chunk(chunk);
        const ChunkedBytes::Ref base = ChunkedBytes::ref(chunk, 0);
        size_t pos = text.find(folded);
        while (pos != std::string_view::npos) {
            const Row& r = rows_[row_at(base + static_cast<uint32_t>(pos))];
            if (r.live && hit_in(r, base + pos)) {
                on_hit(r.slot);
                pos = text.find(folded, r.end() - base);
            } else {
                pos = text.find(folded, pos + 1);
            }
        }
    }
}

}  // namespace clientele
