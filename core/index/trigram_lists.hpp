// Trigram posting lists over a SearchText, for substring queries of 3+ bytes: per trigram key the rows
// holding it, compressed. Lists are built as queries need them (only the keys a query lacks, in one pass
// over the rows) until kPasses such passes; the next missing key builds every list at once.
#pragma once
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/posting_list.hpp"
#include "index/search_text.hpp"

namespace clientele {

class TrigramLists {
public:
    static constexpr unsigned kPasses = 8;

    void add(const SearchText& text, uint32_t row);   // a new row, into the lists built so far
    void drop(const SearchText& text, uint32_t row);  // before the row's text is zeroed
    void renumbered(const SearchText& text);          // the text was compacted: rows have new numbers
    // Rows that may contain `folded` (3+ bytes), ascending: exact for 3 bytes, to be checked for more.
    std::vector<uint32_t> candidates(const SearchText& text, std::string_view folded) const;
    size_t size() const { return lists_.size(); }  // keys with a list built

private:
    void need(const SearchText& text, const std::vector<uint32_t>& keys) const;  // these keys' lists, built if missing
    void build(const SearchText& text, const std::vector<uint32_t>* only = nullptr) const;  // these keys' lists, or every key's

    mutable std::unordered_map<uint32_t, PostingList> lists_;  // trigram key -> rows, ascending (each complete)
    mutable bool all_ = false;      // every key has its list: a key without one is in no row
    mutable unsigned passes_ = 0;   // passes that built some keys' lists
};

}  // namespace clientele
