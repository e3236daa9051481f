#include "index/search_text.hpp"

#include <algorithm>
#include <cstring>

#include "model/fields.hpp"
#include "util/text.hpp"

namespace clientele {

namespace {
constexpr char kField = '\x1f', kRow = '\x1e';

// Folded text with control characters blanked, so no field or query can contain a separator.
void append_field(std::string& text, const std::optional<std::string>& s, char end) {
    const size_t start = text.size();
    if (s) append_folded(text, *s);
    for (size_t i = start; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) < 0x20) text[i] = ' ';
    text.push_back(end);
}

uint16_t len16(size_t n) { return static_cast<uint16_t>(std::min<size_t>(n, 0xFFFF)); }
}  // namespace

std::string fold_query(std::string_view query) {
    std::string out = fold_case(trim(query));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out;
}

std::optional<uint32_t> SearchText::row_of(uint32_t slot) const {
    if (slot >= row_of_->size()) return std::nullopt;
    const uint32_t row = (*row_of_)[slot];
    if (row >= rows_.size() || rows_[row].slot != slot || !rows_[row].live) return std::nullopt;
    return row;
}

void SearchText::set_row(uint32_t slot, uint32_t row) {
    row_of_->resize(slot + 1, kNoRow);
    (*row_of_)[slot] = row;
}

std::optional<uint32_t> SearchText::put(uint32_t slot, const Customer& c) {
    if (row_of(slot)) return std::nullopt;  // the store erases before it changes a record
    Row r{slot, 0, 0, 0, 0, 0, true};
    std::string& t = scratch_;
    size_t mark = 0;
    append_field(t, c.email, kField);
    r.email_len = len16(t.size() - mark - 1), mark = t.size();
    append_field(t, c.name, kField);
    r.name_len = len16(t.size() - mark - 1), mark = t.size();
    append_field(t, c.billing_name, kField);
    r.billing_len = len16(t.size() - mark - 1), mark = t.size();
    append_field(t, c.external_id, kRow);
    r.ext_len = len16(t.size() - mark - 1);
    r.offset = text_.add(std::string_view(t.data(), r.size()));
    std::memset(t.data(), 0, t.size());
    t.clear();
    const auto row = static_cast<uint32_t>(rows_.size());
    set_row(slot, row);
    rows_.push_back(r);
    ++live_;
    return row;
}

std::optional<uint32_t> SearchText::erase(uint32_t slot) {
    const auto row = row_of(slot);
    if (!row) return std::nullopt;
    Row& r = rows_[*row];
    std::memset(text_.data(r.offset), 0, r.size());
    dead_bytes_ += r.size();
    r.live = false;
    (*row_of_)[slot] = kNoRow;
    --live_;
    return row;
}

bool SearchText::compact_if_worth() {
    if (dead_bytes_ <= 4096 || dead_bytes_ * 2 <= text_.size()) return false;
    ChunkedBytes text;
    ChunkedVector<Row> rows;
    for (size_t i = 0; i < rows_.size(); ++i) {
        const Row& r = rows_[i];
        if (!r.live) continue;
        Row moved = r;
        moved.offset = text.add(std::string_view(text_.data(r.offset), r.size()));
        set_row(r.slot, static_cast<uint32_t>(rows.size()));
        rows.push_back(moved);
    }
    text_.swap(text);
    rows_.swap(rows);
    dead_bytes_ = 0;
    return true;
}

size_t SearchText::row_at(ChunkedBytes::Ref offset) const {
    size_t low = 0, high = rows_.size();  // rows are in the order of their text: the last at or before offset
    while (low < high) {
        const size_t mid = low + (high - low) / 2;
        if (rows_[mid].offset <= offset) low = mid + 1;
        else high = mid;
    }
    return low - 1;
}

bool SearchText::hit_in(const Row& r, size_t pos) const {
    const size_t ext_start = r.offset + r.email_len + r.name_len + r.billing_len + 3;
    return pos <= ext_start;  // anywhere in email, name or billing name; at the start of the external id
}

bool SearchText::row_contains(const Row& r, std::string_view folded) const {
    const std::string_view text = this->text(r);
    for (size_t pos = text.find(folded); pos != std::string_view::npos; pos = text.find(folded, pos + 1))
        if (hit_in(r, r.offset + pos)) return true;
    return false;
}

std::string_view SearchText::email_key(uint32_t slot) const {
    const Row& r = rows_[*row_of(slot)];
    return text(r).substr(0, r.email_len);
}

std::string_view SearchText::name_key(uint32_t slot) const {
    const Row& r = rows_[*row_of(slot)];
    return text(r).substr(r.email_len + 1, r.name_len);
}

}  // namespace clientele
