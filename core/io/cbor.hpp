// CBOR for free-form JSON (metadata and the like) as records keep it: written straight from a parse tree
// (byte for byte what nlohmann's to_cbor writes), and a map of scalars read in place without building JSON.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "io/json_tree.hpp"

namespace clientele {

// The CBOR a record keeps for a JSON object, written from a parse tree: straight from the tree for an
// object of scalars (the bytes nlohmann's to_cbor writes: keys sorted, the last of repeated keys kept),
// through JSON for anything else; nothing for an empty object.
void cbor_of_object(const JsonTree& tree, const JsonTree::Node& object, std::string& out);
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
