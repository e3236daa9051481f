// A customer record as compact bytes, the form the store keeps it in (varints, length-prefixed text,
// CBOR for free-form JSON: io/cbor), and a view of its leading fields (id, email, names, external id) read in place.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/customer.hpp"
#include "io/cbor.hpp"
#include "io/json_tree.hpp"

namespace clientele {

// Every field but organization_id and created_at, which the store keeps per slot; `out` is overwritten.
// metadata_cbor: the customer's metadata as the CBOR a record keeps (empty: none), given instead of its JSON.
void encode_record(const Customer& c, std::string& out, std::optional<std::string_view> metadata_cbor = std::nullopt);
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

}  // namespace clientele
