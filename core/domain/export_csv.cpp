// Polar's CSV export of an organization's customers, a chunk at a time.
#include "domain/export_csv.hpp"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "domain/query.hpp"
#include "domain/store.hpp"
#include "util/utf8.hpp"

namespace clientele {

namespace {
constexpr const char* kColumns[] = {
    "ID",
    "External ID",
    "Created At",
    "Email",
    "Name",
    "Tax ID",
    "Billing Address Line 1",
    "Billing Address Line 2",
    "Billing Address City",
    "Billing Address State",
    "Billing Address Zip",
    "Billing Address Country",
    "Metadata",
};

void optional_field(std::string& out, const std::optional<std::string>& v) {
    if (v) append_csv_field(out, *v);
}

// Python's datetime.isoformat() of a UTC time: no fraction when it is zero, else microseconds.
std::string python_isoformat(Millis t) {
    std::string s = format_rfc3339(t);  // "2026-01-01T00:00:01.123Z"
    const size_t dot = s.rfind('.');
    if (dot == std::string::npos) return s;
    std::string out = s.substr(0, dot);
    const std::string fraction = s.substr(dot + 1, s.size() - dot - 2);
    if (fraction != "000") out += "." + fraction + "000";
    return out + "+00:00";
}

void append_hex4(std::string& out, uint32_t unit) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

// A string as Python's json.dumps writes it (ensure_ascii: everything outside space..~ escaped).
void append_python_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<uint8_t>(s[i]);
        if (b < 0x80) {
            ++i;
            switch (b) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                default:
                    if (b < 0x20 || b == 0x7F) append_hex4(out, b);
                    else out += static_cast<char>(b);
            }
            continue;
        }
        const size_t n = utf8_sequence(s, i);
        if (n == 0) {  // not UTF-8 (never stored): the replacement character, as a lenient decoder reads it
            append_hex4(out, 0xFFFD);
            ++i;
            continue;
        }
        uint32_t cp = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_hex4(out, 0xD800 + (cp >> 10));
            append_hex4(out, 0xDC00 + (cp & 0x3FF));
        } else {
            append_hex4(out, cp);
        }
    }
    out += '"';
}

// Metadata as Polar's export writes it: json.dumps (", " and ": " separators) of the JSONB column,
// whose keys Postgres keeps shorter first, then by bytes.
std::string python_json_metadata(const json& metadata) {
    std::vector<const std::string*> keys;
    for (auto it = metadata.begin(); it != metadata.end(); ++it) keys.push_back(&it.key());
    std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) {
        return a->size() != b->size() ? a->size() < b->size() : *a < *b;
    });
    std::string out = "{";
    for (const std::string* key : keys) {
        if (out.size() > 1) out += ", ";
        append_python_json_string(out, *key);
        out += ": ";
        const json& v = metadata.at(*key);
        if (v.is_string()) append_python_json_string(out, v.get_ref<const std::string&>());
        else out += v.dump();  // booleans, integers; floats as the core writes JSON
    }
    return out + "}";
}

// The key of the export's order: creation time, then id.
struct RowKey {
    Millis created_at = 0;
    std::string id;
};
bool comes_after(const Customer& c, const RowKey& k) { return c.created_at != k.created_at ? c.created_at > k.created_at : c.id > k.id; }
bool is_key(const Customer& c, const RowKey& k) { return c.created_at == k.created_at && c.id == k.id; }

// "<position of the next row>:<created_at>:<id of the last row written>".
std::string cursor_text(size_t position, const RowKey& last) {
    return std::to_string(position) + ":" + std::to_string(last.created_at) + ":" + last.id;
}
std::optional<std::pair<size_t, RowKey>> parse_cursor(std::string_view text) {
    const size_t a = text.find(':'), b = a == std::string_view::npos ? a : text.find(':', a + 1);
    if (b == std::string_view::npos || b + 1 >= text.size()) return std::nullopt;
    size_t position = 0;
    RowKey key;
    const char* end = text.data() + a;
    if (auto r = std::from_chars(text.data(), end, position); r.ec != std::errc() || r.ptr != end) return std::nullopt;
    end = text.data() + b;
    if (auto r = std::from_chars(text.data() + a + 1, end, key.created_at); r.ec != std::errc() || r.ptr != end) return std::nullopt;
    key.id = std::string(text.substr(b + 1));
    return std::pair{position, std::move(key)};
}

// The organization's live customers in creation order, read by position through the Store's list.
class Rows {
public:
    Rows(const Store& store, std::vector<std::string> orgs) : store_(store), orgs_(std::move(orgs)) {}
    size_t total() const { return orgs_.empty() ? 0 : page(1, 1).total_count; }
    Customer at(size_t position) const { return page(position + 1, 1).items.at(0); }
    // Rows [from, to), a list page of kMaxLimit at a time.
    template <class F>
    void each(size_t from, size_t to, F f) const {
        while (from < to) {
            const size_t number = from / kMaxLimit + 1, before = from;
            Page p = page(number, kMaxLimit);
            for (size_t i = from - (number - 1) * kMaxLimit; i < p.items.size() && from < to; ++i, ++from) f(p.items[i]);
            if (from == before) break;  // the list ended early (it cannot within one call; never loop)
        }
    }

private:
    Page page(size_t number, size_t limit) const {
        auto r = store_.list(orgs_, json{{"sorting", "created_at"}, {"page", number}, {"limit", limit}});
        return r ? std::move(r.value()) : Page{};
    }
    const Store& store_;
    std::vector<std::string> orgs_;
};

// The position of the first row after `key`: the cursor's own position when the row before it is
// still the last one written, else a binary search over the order.
size_t resume(const Rows& rows, size_t total, size_t position, const RowKey& key) {
    if (position >= 1 && position <= total && is_key(rows.at(position - 1), key)) return position;
    size_t lo = 0, hi = total;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (comes_after(rows.at(mid), key)) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}
}  // namespace

void append_csv_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void append_csv_header(std::string& out) {
    for (const char* column : kColumns) {
        if (column != kColumns[0]) out += ',';
        out += column;
    }
    out += "\r\n";
}

void append_csv_row(std::string& out, const Customer& c) {
    const Address* a = c.billing_address ? &*c.billing_address : nullptr;
    append_csv_field(out, c.id), out += ',';
    optional_field(out, c.external_id), out += ',';
    append_csv_field(out, python_isoformat(c.created_at)), out += ',';
    optional_field(out, c.email), out += ',';
    optional_field(out, c.name), out += ',';
    if (c.tax_id) append_csv_field(out, c.tax_id->value);
    out += ',';
    if (a) optional_field(out, a->line1);
    out += ',';
    if (a) optional_field(out, a->line2);
    out += ',';
    if (a) optional_field(out, a->city);
    out += ',';
    if (a) optional_field(out, a->state);
    out += ',';
    if (a) optional_field(out, a->postal_code);
    out += ',';
    if (a) append_csv_field(out, a->country);
    out += ',';
    if (c.metadata.is_object() && !c.metadata.empty()) append_csv_field(out, python_json_metadata(c.metadata));
    out += "\r\n";
}

Result<CsvChunk> export_csv_chunk(const Store& store, const std::string& org, const json& args) {
    Problems p;
    static const json no_query = json::object();
    auto q = args.find("query");
    const json& query = q == args.end() || q->is_null() ? no_query : *q;
    if (require_object(query, query_loc(), p)) forbid_unknown(query, {"organization_id"}, query_loc(), p);
    std::vector<std::string> orgs = filter_organizations({org}, query, p);
    size_t limit = kCsvChunkRows;
    if (auto f = read_int(args, "rows_per_chunk", json::array(), p); f.set()) {
        const json loc = json::array({"rows_per_chunk"});
        if (f.value < 1) p.add(loc, "greater_than_equal", "Input should be greater than or equal to 1", f.value);
        else if (f.value > static_cast<int64_t>(kCsvMaxChunkRows))
            p.add(loc, "less_than_equal", "Input should be less than or equal to " + std::to_string(kCsvMaxChunkRows), f.value);
        else limit = static_cast<size_t>(f.value);
    }
    std::optional<std::pair<size_t, RowKey>> after;
    if (auto it = args.find("after"); it != args.end() && !it->is_null()) {
        if (it->is_string()) after = parse_cursor(it->get_ref<const std::string&>());
        if (!after) p.add(json::array({"after"}), "value_error", "Value error, not a cursor this export answered", *it);
    }
    if (!p.empty()) return p.to_error();

    const Rows rows(store, std::move(orgs));
    const size_t total = rows.total();
    const size_t from = after ? resume(rows, total, after->first, after->second) : 0;
    const size_t to = std::min(total, from + limit);
    CsvChunk chunk;
    chunk.text.reserve(64 + 256 * (to - from));
    if (!after) append_csv_header(chunk.text);
    RowKey last;
    rows.each(from, to, [&](const Customer& c) {
        append_csv_row(chunk.text, c);
        last = {c.created_at, c.id};
    });
    if (to < total) chunk.next = cursor_text(to, last);
    return chunk;
}

}  // namespace clientele
