// An organization's search structures behind list queries (spec §4), kept in step as customers change:
// the folded text of their fields (search_text), trigram lists over it for substring queries of 3+ bytes
// (trigram_lists; shorter queries scan the text), the ready-made sort orders (sort_orders) and the
// metadata index (metadata_index). Text of removed customers is zeroed in place.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/metadata_index.hpp"
#include "index/search_text.hpp"
#include "index/sort_orders.hpp"
#include "index/trigram_lists.hpp"
#include "model/customer.hpp"

namespace clientele {

class SearchIndex {
public:
    // `rows` maps every slot of the store to its row here (shared by the organizations' indexes); it
    // must outlive this index.
    explicit SearchIndex(ChunkedVector<uint32_t>& rows) : text_(rows) {}

    // Indexes a live customer, its metadata read from the CBOR its record keeps (RecordView::metadata; the
    // record's own JSON may be left empty). Call erase() with the record as put before the record changes.
    void put(uint32_t slot, const Customer& c, std::string_view metadata);
    void erase(uint32_t slot, std::string_view metadata);  // forgets it and its metadata, zeroing its text
    size_t size() const { return text_.live(); }

    // Calls on_hit(slot) once for each customer whose email, name or billing name contains `folded`,
    // or whose external id starts with it. `folded` must come from fold_query().
    template <class F>
    void scan(std::string_view folded, F on_hit) const;
    bool contains(uint32_t slot, std::string_view folded) const;  // the same test for one customer
    size_t trigram_postings() const { return grams_.size(); }     // trigram keys with a list built
    static constexpr unsigned kGramPasses = TrigramLists::kPasses;

    std::string_view email_key(uint32_t slot) const { return text_.email_key(slot); }  // folded, for sorting
    std::string_view name_key(uint32_t slot) const { return text_.name_key(slot); }
    using Ties = SortTies;
    // Live slots in ascending order of `key`, ties by id, kept up to date.
    const std::vector<uint32_t>& order(SortKey key, const Ties& ties) const { return orders_.order(text_, key, ties); }
    // Slots whose metadata `key` has one of these text values (sorted, no duplicates).
    std::vector<uint32_t> with_metadata(const std::string& key, const std::vector<std::string>& texts) const {
        return metadata_.with(key, texts);
    }

private:
    SearchText text_;
    TrigramLists grams_;
    SortOrders orders_;
    MetadataIndex metadata_;
};

template <class F>
void SearchIndex::scan(std::string_view folded, F on_hit) const {
    if (folded.empty()) return;
    if (folded.size() < 3) return text_.scan(folded, on_hit);
    for (uint32_t row : grams_.candidates(text_, folded)) {  // exact for 3 bytes, candidates to check for more
        const SearchText::Row& r = text_.row(row);
        if (r.live && (folded.size() == 3 || text_.row_contains(r, folded))) on_hit(r.slot);
    }
}

}  // namespace clientele
