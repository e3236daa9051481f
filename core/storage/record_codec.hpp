// A customer record as compact bytes, the form the store keeps it in (varints, length-prefixed text,
// CBOR for free-form JSON), and a view of its leading fields (id, email, names, external id) read in place.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/customer.hpp"
#include "io/json_tree.hpp"

namespace clientele {

// Every field but organization_id and created_at, which the store keeps per slot; `out` is overwritten.
// metadata_cbor: the customer's metadata as the CBOR a record keeps (empty: none), given instead of its JSON.
void encode_record(const Customer& c, std::string& out, std::optional<std::string_view> metadata_cbor = std::nullopt);
// The CBOR a record keeps for a JSON object, written from a parse tree: straight from the tree for an
// object of scalars (the bytes nlohmann's to_cbor writes: keys sorted, the last of repeated keys kept),
// through JSON for anything else; nothing for an empty object.
void cbor_of_object(const JsonTree& tree, const JsonTree::Node& object, std::string& out);
Customer decode_record(std::string_view bytes, const std::string& organization_id, Millis created_at);
// The same into a record reused call after call (every field assigned, strings keep their capacity);
// free_form false leaves the free-form JSON (metadata and the like) empty, building no JSON at all.
void decode_record(std::string_view bytes, const std::string& organization_id, Millis created_at, Customer& into, bool free_form = true);

// An id as kept: a canonical lower-case UUID as its 16 bytes, any other id as its text. Ordered as the
// texts are (for UUIDs the bytes' order is the text's).
struct StoredId {
    std::string_view bytes;
    bool uuid = false;
    std::string text() const;
    void text(std::string& out) const;  // the same, written over `out`
    bool operator==(std::string_view id) const;
    friend bool operator<(const StoredId& a, const StoredId& b);
};

// The fields encoded first, as views into the bytes.
struct RecordView {
    StoredId id;
    std::optional<std::string_view> email, name, billing_name, external_id;
    std::string_view metadata;  // CBOR (read it with each_cbor_entry), empty for no metadata
};
RecordView view_record(std::string_view bytes);
StoredId record_id(std::string_view bytes);  // the id alone, the first field

// A scalar of free-form JSON, read in place from its CBOR.
struct Scalar {
    enum class Kind { Null, Bool, Unsigned, Integer, Float, Text } kind = Kind::Null;
    bool b = false;
    uint64_t u = 0;
    int64_t i = 0;
    double d = 0;
    std::string_view text;
};
using CborEntry = std::function<void(std::string_view key, const Scalar& value)>;
// Calls f for each member of CBOR holding a map of text keys to scalars (how records keep metadata; empty
// bytes: an empty map) and answers true; answers false, having called f for none, for any other CBOR.
bool each_cbor_entry(std::string_view cbor, const CborEntry& f);

}  // namespace clientele
