// The inverted index of metadata values (spec §4's `metadata` filter): per key and value text, the slots
// whose metadata has it, as compressed posting lists. Values compare as their text form.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/posting_list.hpp"
#include "util/result.hpp"

namespace clientele {

std::string metadata_text(const json& v);  // "1", "true", "x": how metadata values compare

class MetadataIndex {
public:
    // Metadata as the CBOR a record keeps (RecordView::metadata; empty: none).
    void add(uint32_t slot, std::string_view cbor);
    void drop(uint32_t slot, std::string_view cbor);
    // Slots whose metadata `key` has one of these text values (sorted, no duplicates).
    std::vector<uint32_t> with(const std::string& key, const std::vector<std::string>& texts) const;

private:
    std::unordered_map<std::string, PostingList> lists_;  // key \0 text -> slots (1-2 bytes each)
};

}  // namespace clientele
