// Polar's CSV export of an organization's customers (GET /v1/customers/export, customer/endpoints.py):
// Polar's thirteen columns, written as Python's csv module writes them in the "excel" dialect that Polar
// uses (RFC 4180: a field is quoted only when it holds a comma, a double quote, CR or LF, quotes inside
// are doubled, rows end in CRLF), a chunk of rows at a time so no export is ever one giant string.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "domain/workspace.hpp"

namespace clientele {

class Store;

// "ID,External ID,Created At,Email,Name,Tax ID,Billing Address Line 1,…,Billing Address Country,Metadata\r\n"
void append_csv_header(std::string& out);
// One customer's row, as Polar writes it: created_at as Python's isoformat ("2026-01-01T00:00:01+00:00",
// microseconds when there is a fraction), the tax ID's value, the billing address's parts, metadata as
// Python's json.dumps writes it in the key order Postgres keeps (shorter keys first, then by bytes), or
// an empty field when there is none; absent values are empty fields.
void append_csv_row(std::string& out, const Customer& c);
// One field, quoted only when it must be.
void append_csv_field(std::string& out, std::string_view field);

struct CsvChunk {
    std::string text;                 // whole rows; the first chunk starts with the header row
    std::optional<std::string> next;  // the cursor of the next chunk; none after the last one
};

inline constexpr size_t kCsvChunkRows = 1000, kCsvMaxChunkRows = 10000;

// The next chunk of the export: `args` = { query: { organization_id? }, after?, rows_per_chunk? }. Rows are the
// live customers of the organizations visible to `org` that the query's `organization_id` filter keeps
// (filter_organizations), oldest first, ties by id. `after` is the cursor an earlier chunk answered;
// it names the last row written, so customers deleted between two chunks shift nothing and customers
// created meanwhile come at the end. `rows_per_chunk`: 1 to kCsvMaxChunkRows (default kCsvChunkRows).
Result<CsvChunk> export_csv_chunk(const Store& store, const std::string& org, const json& args);

}  // namespace clientele
