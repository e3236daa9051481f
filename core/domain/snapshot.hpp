// Snapshots: every record of an organization as JSON Lines (one customer a line, with its members,
// subscriptions, grants and meters) and back, for persistence (IndexedDB) and users who keep data elsewhere.
#pragma once
#include <string>
#include <string_view>

#include "model/customer.hpp"
#include "model/fields.hpp"
#include "io/json_tree.hpp"

namespace clientele {

json to_snapshot(const Customer& c);  // null fields and empty lists left out
void append_snapshot(std::string& out, const Customer& c);  // the same line as JSON text, no DOM built
// Reads one parsed snapshot line; every unreadable field is reported under `loc`.
Customer from_snapshot(const JsonTree& tree, const json& loc, Problems& p);
// The same into a record reused line after line (every field assigned; its strings keep their capacity).
// free_form false: metadata and the other free-form objects are checked but left empty (a checking pass).
// metadata_cbor: the customer's metadata is written there as a record keeps it (record_codec), not into
// `into` (left empty), building no JSON.
// rules: every field is also checked with the create rules (spec §1–§2, rules/validation), values
// normalized as create normalizes them, plus what only a stored record carries (ids canonical UUIDs,
// members and owners, subscription, grant and meter enums and bounds, a tax ID re-validated): what an
// import loads. Without it only the types are checked (reading a record back).
void read_snapshot(const JsonTree& tree, const json& loc, Problems& p, Customer& into, bool free_form = true,
                   std::string* metadata_cbor = nullptr, bool rules = false);

}  // namespace clientele
