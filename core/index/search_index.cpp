#include "index/search_index.hpp"

namespace clientele {

void SearchIndex::put(uint32_t slot, const Customer& c, std::string_view metadata) {
    const auto row = text_.put(slot, c);
    if (!row) return;  // the store erases before it changes a record
    grams_.add(text_, *row);
    metadata_.add(slot, metadata);
    orders_.touch(slot, text_.live());
}

void SearchIndex::erase(uint32_t slot, std::string_view metadata) {
    const auto row = text_.row_of(slot);
    if (!row) return;
    grams_.drop(text_, *row);  // reads the row's text: before it is zeroed
    text_.erase(slot);
    metadata_.drop(slot, metadata);
    orders_.touch(slot, text_.live());
    if (text_.compact_if_worth()) grams_.renumbered(text_);
}

bool SearchIndex::contains(uint32_t slot, std::string_view folded) const {
    const auto row = text_.row_of(slot);
    return row && !folded.empty() && text_.row_contains(text_.row(*row), folded);
}

}  // namespace clientele
