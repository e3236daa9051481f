#include "index/search_index.hpp"

#include <algorithm>
#include <cstring>

#include "model/fields.hpp"
#include "util/text.hpp"

namespace clientele {

namespace {
// The one rule of how a metadata value reads as text, for values read from JSON or in place from CBOR.
void append_metadata_text(std::string& out, const Scalar& v) {
    using K = Scalar::Kind;
    switch (v.kind) {
        case K::Text: out += v.text; return;
        case K::Bool: out += v.b ? "true" : "false"; return;
        case K::Unsigned: out += std::to_string(v.u); return;
        case K::Integer: out += std::to_string(v.i); return;
        case K::Float: out += json(v.d).dump(); return;
        case K::Null: out += "null"; return;
    }
}

void append_metadata_text(std::string& out, const json& v) {
    using K = Scalar::Kind;
    Scalar s;
    if (v.is_string()) s.kind = K::Text, s.text = v.get_ref<const std::string&>();
    else if (v.is_boolean()) s.kind = K::Bool, s.b = v.get<bool>();
    else if (v.is_number_unsigned()) s.kind = K::Unsigned, s.u = v.get<uint64_t>();
    else if (v.is_number_integer()) s.kind = K::Integer, s.i = v.get<int64_t>();
    else if (v.is_number_float()) s.kind = K::Float, s.d = v.get<double>();
    else if (!v.is_null()) return void(out += v.dump());  // a list or an object: its JSON
    append_metadata_text(out, s);
}

// The metadata_ key of one entry (key \0 text), written into `out`, reused entry after entry (a local
// of the caller: freed, and so zeroed, when it returns).
template <class V>
const std::string& entry_key(std::string& out, std::string_view key, const V& value) {
    out.assign(key);
    out += '\0';
    append_metadata_text(out, value);
    return out;
}

// Calls f(entry key) for each entry of metadata kept as CBOR: read in place (metadata is a map of
// scalars), or through the JSON for anything else.
template <class F>
void each_entry_key(std::string_view cbor, F f) {
    std::string buffer;
    if (each_cbor_entry(cbor, [&](std::string_view key, const Scalar& v) { f(entry_key(buffer, key, v)); })) return;
    const json j = json::from_cbor(cbor.begin(), cbor.end(), true, false);
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it) f(entry_key(buffer, it.key(), it.value()));
}
}  // namespace

std::string metadata_text(const json& v) {
    std::string out;
    append_metadata_text(out, v);
    return out;
}

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

std::string SearchIndex::fold_query(std::string_view query) {
    std::string out = fold_case(trim(query));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out;
}

std::optional<uint32_t> SearchIndex::row_of(uint32_t slot) const {
    if (slot >= row_of_->size()) return std::nullopt;
    const uint32_t row = (*row_of_)[slot];
    if (row >= rows_.size() || rows_[row].slot != slot || !rows_[row].live) return std::nullopt;
    return row;
}

void SearchIndex::set_row(uint32_t slot, uint32_t row) {
    row_of_->resize(slot + 1, kNoRow);
    (*row_of_)[slot] = row;
}

void SearchIndex::put(uint32_t slot, const Customer& c, std::string_view metadata) {
    if (row_of(slot)) return;  // the store erases before it changes a record
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
    r.offset = text_.add(r.size());
    std::memcpy(text_.data(r.offset), t.data(), r.size());
    std::memset(t.data(), 0, t.size());
    t.clear();
    set_row(slot, static_cast<uint32_t>(rows_.size()));
    rows_.push_back(r);
    if (!grams_.empty() || all_grams_) add_grams(static_cast<uint32_t>(rows_.size() - 1));
    ++live_;
    add_metadata(slot, metadata);
    touch(slot);
}

void SearchIndex::erase(uint32_t slot, std::string_view metadata) {
    const auto row = row_of(slot);
    if (!row) return;
    Row& r = rows_[*row];
    if (!grams_.empty()) drop_grams(*row);
    std::memset(text_.data(r.offset), 0, r.size());
    dead_bytes_ += r.size();
    r.live = false;
    drop_metadata(slot, metadata);
    (*row_of_)[slot] = kNoRow;
    --live_;
    touch(slot);
    if (dead_bytes_ > 4096 && dead_bytes_ * 2 > text_.size()) compact();
}

void SearchIndex::compact() {
    ChunkedBytes text;
    ChunkedVector<Row> rows;
    for (size_t i = 0; i < rows_.size(); ++i) {
        const Row& r = rows_[i];
        if (!r.live) continue;
        Row moved = r;
        moved.offset = text.add(r.size());
        std::memcpy(text.data(moved.offset), text_.data(r.offset), r.size());
        set_row(r.slot, static_cast<uint32_t>(rows.size()));
        rows.push_back(moved);
    }
    text_.swap(text);
    rows_.swap(rows);
    dead_bytes_ = 0;
    if (all_grams_) build_grams();  // row numbers changed: lists built for some keys are found again as needed
    else grams_.clear();
}

namespace {
constexpr uint32_t kExtPrefix = 1u << 24;
uint32_t gram(const char* p) {
    return uint32_t(uint8_t(p[0])) << 16 | uint32_t(uint8_t(p[1])) << 8 | uint8_t(p[2]);
}
}  // namespace

template <class F>
void SearchIndex::row_grams(const Row& r, F on_key) const {
    const char* text = text_.data(r.offset);
    for (uint16_t len : {r.email_len, r.name_len, r.billing_len}) {
        for (size_t i = 0; i + 3 <= len; ++i) on_key(gram(text + i));
        text += len + 1;
    }
    if (r.ext_len >= 3) on_key(gram(text) | kExtPrefix);
}

namespace {
void append_once(PostingList& list, uint32_t row) {  // rows arrive in ascending order; a trigram may repeat in one
    if (list.empty() || list.back() != row) list.append(row);
}
}  // namespace

void SearchIndex::add_grams(uint32_t row) const {
    row_grams(rows_[row], [&](uint32_t key) {
        if (all_grams_) return append_once(grams_[key], row);
        if (auto it = grams_.find(key); it != grams_.end()) append_once(it->second, row);
    });
}

void SearchIndex::drop_grams(uint32_t row) {
    row_grams(rows_[row], [&](uint32_t key) {
        auto it = grams_.find(key);
        if (it == grams_.end()) return;  // a trigram repeated within the row: already gone
        it->second.erase(row);
        if (it->second.empty()) grams_.erase(it);  // no rows; or, until every list is built, to be found again
    });
}

void SearchIndex::need_grams(const std::vector<uint32_t>& keys) const {
    if (all_grams_) return;
    std::vector<uint32_t> missing;
    for (uint32_t key : keys)
        if (!grams_.count(key)) missing.push_back(key);
    if (missing.empty()) return;
    if (++gram_passes_ > kGramPasses) return build_grams();
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    build_grams(&missing);
}

// Two passes over every trigram of every row: the first numbers the trigrams (in a flat table, not the
// node map queries use: tens of millions of lookups at 1M) and counts what each list needs, the second
// builds every list at its exact size. With `only`, just those keys are numbered (an empty list for a
// key in no row), every other trigram is passed over, and one pass builds the lists.
void SearchIndex::build_grams(const std::vector<uint32_t>* only) const {
    constexpr uint32_t kSkip = 0xFFFFFFFFu;
    if (!only) grams_.clear();  // first, so the lists built below reuse the memory of those dropped
    // Spreads the packed bytes into the high bits the table uses; times an odd number, so one hash is one
    // key and a matching hash needs no look at `keys`.
    const auto hash_of = [](uint32_t key) { return key * 0x9E3779B1u; };
    FlatIndex numbers;
    std::vector<uint32_t> keys;
    std::vector<PostingList::Size> sizes;
    std::vector<uint64_t> maybe;  // with `only`: a bit per value of the top 16 bits of a key's hash
    const auto number_of = [&](uint32_t key, bool add) {
        const uint32_t hash = hash_of(key);
        if (!maybe.empty() && !(maybe[hash >> 22] >> (hash >> 16 & 63) & 1)) return kSkip;  // most trigrams
        if (auto n = numbers.find(hash, [](uint32_t) { return true; })) return *n;
        if (!add) return kSkip;
        numbers.insert(hash, static_cast<uint32_t>(keys.size()));
        keys.push_back(key), sizes.emplace_back();
        return static_cast<uint32_t>(keys.size() - 1);
    };
    if (only) {
        for (uint32_t key : *only) number_of(key, true);
        maybe.resize(1024);
        for (uint32_t key : keys) maybe[hash_of(key) >> 22] |= uint64_t(1) << (hash_of(key) >> 16 & 63);
    }
    const auto each_key = [&](bool add, auto f) {  // f(number, row) for every numbered key of every live row
        for (uint32_t row = 0; row < rows_.size(); ++row)
            if (rows_[row].live) row_grams(rows_[row], [&](uint32_t key) {
                if (const uint32_t n = number_of(key, add); n != kSkip) f(n, row);
            });
    };
    if (!only)  // thousands of lists: counted first, so each is built at its exact size
        each_key(true, [&](uint32_t n, uint32_t row) {
            if (sizes[n].rows == 0 || sizes[n].last != row) sizes[n].add(row);
        });
    std::vector<PostingList> lists(keys.size());
    for (size_t i = 0; i < sizes.size(); ++i) lists[i].reserve(sizes[i]);
    each_key(false, [&](uint32_t n, uint32_t row) { append_once(lists[n], row); });
    if (only)  // a few lists, grown as they filled: trimmed to their size
        for (PostingList& list : lists) list.shrink_to_fit();
    if (!only) grams_.reserve(keys.size()), all_grams_ = true;
    for (size_t i = 0; i < lists.size(); ++i) grams_.emplace(keys[i], std::move(lists[i]));
}

std::vector<uint32_t> SearchIndex::candidates(std::string_view folded) const {
    std::vector<uint32_t> keys;  // the query's trigrams, then its first 3 bytes as an external id's prefix
    for (size_t i = 0; i + 3 <= folded.size(); ++i) keys.push_back(gram(folded.data() + i));
    keys.push_back(gram(folded.data()) | kExtPrefix);
    need_grams(keys);
    auto posting = [&](uint32_t key) -> const PostingList* {
        auto it = grams_.find(key);
        return it == grams_.end() ? nullptr : &it->second;
    };
    // Inside a field every trigram of the query must be there: intersect, rarest list first.
    std::vector<const PostingList*> lists;
    for (size_t i = 0; i + 1 < keys.size(); ++i) lists.push_back(posting(keys[i]));
    std::vector<uint32_t> inside;
    if (std::find(lists.begin(), lists.end(), nullptr) == lists.end()) {
        std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
        lists[0]->decode(inside);
        for (size_t i = 1; i < lists.size() && !inside.empty(); ++i) lists[i]->intersect(inside);
    }
    const auto* prefix = posting(keys.back());
    if (!prefix) return inside;
    std::vector<uint32_t> starts, out;
    prefix->decode(starts);
    std::set_union(inside.begin(), inside.end(), starts.begin(), starts.end(), std::back_inserter(out));
    return out;
}

size_t SearchIndex::row_at(ChunkedBytes::Ref offset) const {
    size_t low = 0, high = rows_.size();  // rows are in the order of their text: the last at or before offset
    while (low < high) {
        const size_t mid = low + (high - low) / 2;
        if (rows_[mid].offset <= offset) low = mid + 1;
        else high = mid;
    }
    return low - 1;
}

bool SearchIndex::hit_in(const Row& r, size_t pos) const {
    const size_t ext_start = r.offset + r.email_len + r.name_len + r.billing_len + 3;
    return pos <= ext_start;  // anywhere in email, name or billing name; at the start of the external id
}

bool SearchIndex::contains(uint32_t slot, std::string_view folded) const {
    const auto row = row_of(slot);
    return row && !folded.empty() && row_contains(rows_[*row], folded);
}

bool SearchIndex::row_contains(const Row& r, std::string_view folded) const {
    const std::string_view text = this->text(r);
    for (size_t pos = text.find(folded); pos != std::string_view::npos; pos = text.find(folded, pos + 1))
        if (hit_in(r, r.offset + pos)) return true;
    return false;
}

std::string_view SearchIndex::email_key(uint32_t slot) const {
    const Row& r = rows_[*row_of(slot)];
    return text(r).substr(0, r.email_len);
}

std::string_view SearchIndex::name_key(uint32_t slot) const {
    const Row& r = rows_[*row_of(slot)];
    return text(r).substr(r.email_len + 1, r.name_len);
}

namespace {
// What an order is sorted by, kept as small as the key allows (12 bytes in WASM): at 1M customers the
// list of them is the largest buffer a query allocates.
struct TimeItem {
    uint32_t high, low, slot;  // created_at as an unsigned number of the same order (sign bit flipped)
    TimeItem(Millis at, uint32_t s)
        : high(static_cast<uint32_t>(static_cast<uint64_t>(at) >> 32) ^ 0x80000000u), low(static_cast<uint32_t>(at)), slot(s) {}
    uint64_t key() const { return uint64_t(high) << 32 | low; }
};
struct TextItem {
    const char* text;
    uint32_t size, slot;
    TextItem(std::string_view t, uint32_t s) : text(t.data()), size(static_cast<uint32_t>(t.size())), slot(s) {}
    std::string_view key() const { return {text, size}; }
};

// Sorted by key alone, then each run of equal keys by id, every id read once (ties compared through the
// records one pair at a time would read them again and again: names repeat).
template <class Item>
void sort_slots(std::vector<Item>& items, const SearchIndex::Ties& ties, std::vector<uint32_t>& out) {
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key() < b.key(); });
    out.clear();
    out.reserve(items.size());
    std::vector<std::pair<StoredId, uint32_t>> run;
    for (size_t i = 0, j = 0; i < items.size(); i = j) {
        for (j = i + 1; j < items.size() && items[j].key() == items[i].key();) ++j;
        if (j - i == 1) {
            out.push_back(items[i].slot);
            continue;
        }
        run.clear();
        for (size_t k = i; k < j; ++k) run.emplace_back(ties.id(items[k].slot), items[k].slot);
        std::sort(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [id, slot] : run) out.push_back(slot);
    }
}

// Strictly the order a full sort gives: by the key, then by id.
auto order_less(const SearchIndex& index, SortKey key, const SearchIndex::Ties& ties) {
    return [&index, key, &ties](uint32_t a, uint32_t b) {
        if (key == SortKey::CreatedAt) {
            const Millis ta = ties.created_at(a), tb = ties.created_at(b);
            if (ta != tb) return ta < tb;
        } else {
            const auto ka = key == SortKey::Email ? index.email_key(a) : index.name_key(a);
            const auto kb = key == SortKey::Email ? index.email_key(b) : index.name_key(b);
            if (ka != kb) return ka < kb;
        }
        return ties.id(a) < ties.id(b);
    };
}
}  // namespace

void SearchIndex::touch(uint32_t slot) {
    for (size_t k = 0; k < orders_.size(); ++k) {
        if (!built_[k]) continue;
        touched_[k].push_back(slot);
        if (touched_[k].size() > live_ / 8 + 64) built_[k] = false, touched_[k] = {};  // a full sort is cheaper
    }
}

const std::vector<uint32_t>& SearchIndex::order(SortKey key, const Ties& ties) const {
    const auto k = static_cast<size_t>(key);
    if (!built_[k]) build_order(key, ties);
    else if (!touched_[k].empty()) update_order(key, ties);
    return orders_[k];
}

void SearchIndex::build_order(SortKey key, const Ties& ties) const {
    const auto k = static_cast<size_t>(key);
    const auto collect = [&](auto item_of) {
        std::vector<decltype(item_of(rows_[0]))> items;
        items.reserve(live_);
        for (size_t i = 0; i < rows_.size(); ++i)
            if (rows_[i].live) items.push_back(item_of(rows_[i]));
        sort_slots(items, ties, orders_[k]);
    };
    if (key == SortKey::CreatedAt) collect([&](const Row& r) { return TimeItem(ties.created_at(r.slot), r.slot); });
    else if (key == SortKey::Email) collect([&](const Row& r) { return TextItem(text(r).substr(0, r.email_len), r.slot); });
    else collect([&](const Row& r) { return TextItem(text(r).substr(r.email_len + 1, r.name_len), r.slot); });
    built_[k] = true;
    touched_[k] = {};
}

// The touched slots leave the order (each may have moved or gone); those still live are found their
// places by binary search and the order is copied once around them: O(n + t log n) for t touched.
void SearchIndex::update_order(SortKey key, const Ties& ties) const {
    const auto k = static_cast<size_t>(key);
    std::vector<uint32_t>& touched = touched_[k];
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    std::vector<uint32_t>& order = orders_[k];
    std::erase_if(order, [&](uint32_t slot) { return std::binary_search(touched.begin(), touched.end(), slot); });
    const auto less = order_less(*this, key, ties);
    std::vector<uint32_t> back;  // touched and live, in order
    for (uint32_t slot : touched)
        if (row_of(slot)) back.push_back(slot);
    std::sort(back.begin(), back.end(), less);
    std::vector<uint32_t> merged;
    merged.reserve(order.size() + back.size());
    auto from = order.begin();
    for (uint32_t slot : back) {
        const auto at = std::lower_bound(from, order.end(), slot, less);
        merged.insert(merged.end(), from, at);
        merged.push_back(slot);
        from = at;
    }
    merged.insert(merged.end(), from, order.end());
    order.swap(merged);
    touched = {};
}

void SearchIndex::add_metadata(uint32_t slot, std::string_view cbor) {
    each_entry_key(cbor, [&](const std::string& key) {
        auto found = metadata_.find(key);
        (found != metadata_.end() ? found->second : metadata_[key]).insert(slot);  // an import appends
    });
}

void SearchIndex::drop_metadata(uint32_t slot, std::string_view cbor) {
    each_entry_key(cbor, [&](const std::string& key) {
        auto m = metadata_.find(key);
        if (m == metadata_.end()) return;
        m->second.erase(slot);
        if (m->second.empty()) metadata_.erase(m);
    });
}

std::vector<uint32_t> SearchIndex::with_metadata(const std::string& key, const std::vector<std::string>& texts) const {
    std::vector<uint32_t> out, one, merged;
    std::string buffer;
    for (const auto& text : texts) {
        auto m = metadata_.find(entry_key(buffer, key, Scalar{.kind = Scalar::Kind::Text, .text = text}));
        if (m == metadata_.end()) continue;
        if (out.empty()) {
            m->second.decode(out);
            continue;
        }
        one.clear(), merged.clear();
        m->second.decode(one);
        std::set_union(out.begin(), out.end(), one.begin(), one.end(), std::back_inserter(merged));
        out.swap(merged);
    }
    return out;
}

}  // namespace clientele
