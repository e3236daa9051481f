// A customer record as compact bytes, the form the store keeps it in (varints, length-prefixed text,
// CBOR for free-form JSON), and a view of its leading fields (id, email, names, external id) read in place.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "customer.hpp"

namespace clientele {

// Every field but organization_id and created_at, which the store keeps per slot; `out` is overwritten.
void encode_record(const Customer& c, std::string& out);
Customer decode_record(std::string_view bytes, const std::string& organization_id, Millis created_at);
// The same into a record reused call after call (every field assigned, strings keep their capacity).
void decode_record(std::string_view bytes, const std::string& organization_id, Millis created_at, Customer& into);

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
};
RecordView view_record(std::string_view bytes);

}  // namespace clientele
