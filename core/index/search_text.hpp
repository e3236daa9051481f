// The text that substring queries search (spec §4: email, name and billing name contain the query; the
// external id starts with it): per live customer a row of case-folded fields, back to back in chunks,
// scanned directly for short queries and checked row by row for longer ones. A removed row's text is
// zeroed at once; the text is compacted as dead rows pile up, which renumbers the rows.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/customer.hpp"
#include "storage/chunked.hpp"

namespace clientele {

std::string fold_query(std::string_view query);  // a query folded as row text is (case, controls blanked)

class SearchText {
public:
    struct Row {
        uint32_t slot;
        ChunkedBytes::Ref offset;  // of its text: email \x1f name \x1f billing \x1f external_id \x1e
        uint16_t email_len, name_len, billing_len, ext_len;
        bool live;
        uint32_t size() const { return email_len + name_len + billing_len + ext_len + 4; }
        uint32_t end() const { return offset + size(); }
    };

    // `row_of` maps every slot of the store to its row here (shared by the organizations' texts, each row
    // checked against its own slot); it must outlive this text.
    explicit SearchText(ChunkedVector<uint32_t>& row_of) : row_of_(&row_of) {}

    // A new row for a live customer (none if the slot has one); answers its number.
    std::optional<uint32_t> put(uint32_t slot, const Customer& c);
    // The slot's row, zeroed and no longer live; answers its number.
    std::optional<uint32_t> erase(uint32_t slot);
    // Rewrites the text without dead rows once they are many; true when it did (rows renumbered).
    bool compact_if_worth();

    size_t live() const { return live_; }
    size_t rows() const { return rows_.size(); }
    const Row& row(uint32_t n) const { return rows_[n]; }
    std::optional<uint32_t> row_of(uint32_t slot) const;  // its live row
    std::string_view text(const Row& r) const { return {text_.data(r.offset), r.size()}; }
    std::string_view email_key(uint32_t slot) const;  // folded, for sorting
    std::string_view name_key(uint32_t slot) const;

    // Whether row r matches a folded query (contains it in email, name or billing name, or starts its external id).
    bool row_contains(const Row& r, std::string_view folded) const;
    // Calls on_hit(slot) once for each live row matching `folded`, scanning the whole text.
    template <class F>
    void scan(std::string_view folded, F on_hit) const;
    // Calls on_key(key) for each trigram key of a row: every 3 bytes inside email, name or billing name,
    // and (flagged with kExternalPrefix) the first 3 bytes of the external id, which matches by prefix only.
    template <class F>
    void each_gram(const Row& r, F on_key) const;
    static constexpr uint32_t kExternalPrefix = 1u << 24;
    static uint32_t gram(const char* p) {
        return uint32_t(uint8_t(p[0])) << 16 | uint32_t(uint8_t(p[1])) << 8 | uint8_t(p[2]);
    }

private:
    size_t row_at(ChunkedBytes::Ref offset) const;  // the row whose text holds this position
    bool hit_in(const Row& r, size_t pos) const;    // a match at pos counts for row r
    void set_row(uint32_t slot, uint32_t row);

    ChunkedBytes text_;
    std::string scratch_;  // a row's text as it is folded, zeroed after each use
    ChunkedVector<Row> rows_;
    ChunkedVector<uint32_t>* row_of_;  // slot -> index in rows_ (live rows; others kNoRow or another org's)
    static constexpr uint32_t kNoRow = 0xFFFFFFFFu;
    size_t live_ = 0, dead_bytes_ = 0;
};

template <class F>
void SearchText::scan(std::string_view folded, F on_hit) const {
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

template <class F>
void SearchText::each_gram(const Row& r, F on_key) const {
    const char* text = text_.data(r.offset);
    for (uint16_t len : {r.email_len, r.name_len, r.billing_len}) {
        for (size_t i = 0; i + 3 <= len; ++i) on_key(gram(text + i));
        text += len + 1;
    }
    if (r.ext_len >= 3) on_key(gram(text) | kExternalPrefix);
}

}  // namespace clientele
