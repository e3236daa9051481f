// A read-only JSON tree in flat arrays, filled by its own one-pass parser and reused line after line:
// reading a snapshot line allocates nothing per value (nlohmann's DOM allocates for every key and string).
// Subtrees become nlohmann json on demand (metadata, an address to validate, an error's input).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/hash.hpp"
#include "util/result.hpp"

namespace clientele {

class JsonTree {
public:
    enum class Kind : uint8_t { Null, Bool, Int, Uint, Float, String, Array, Object };
    struct Node {
        Kind kind = Kind::Null;
        bool has_nul = false;             // a string holding a NUL byte (only a \u0000 escape makes one)
        uint32_t key_hash = 0;            // hash_text of the member name: find compares it first
        uint32_t key = 0, key_len = 0;    // the member name in text_, inside an object
        uint32_t text = 0, text_len = 0;  // a string's value in text_
        uint32_t first = 0, next = 0;     // first child, next sibling (0: none; node 0 is the root)
        union {
            bool b;
            int64_t i;
            uint64_t u;
            double f;
        } value{};
    };

    // Parses one JSON text (refusing nesting deeper than kMaxJsonDepth); the tree holds it until the next parse.
    Result<Unit, std::string> parse(std::string_view text);

    const Node& root() const { return nodes_[0]; }
    // The member `key` of an object (the last one when repeated, as nlohmann's DOM keeps), or nullptr.
    const Node* find(const Node& object, std::string_view key) const;
    std::string_view string(const Node& n) const { return std::string_view(text_).substr(n.text, n.text_len); }
    std::string_view key(const Node& n) const { return std::string_view(text_).substr(n.key, n.key_len); }
    const Node* first(const Node& n) const { return n.first ? &nodes_[n.first] : nullptr; }
    const Node* next(const Node& n) const { return n.next ? &nodes_[n.next] : nullptr; }
    size_t size(const Node& n) const;  // children of an array or object
    json to_json(const Node& n) const;

private:
    friend class JsonTreeBuilder;
    struct Open {  // a container being parsed
        uint32_t node, last_child;
    };
    std::vector<Node> nodes_;
    std::string text_;         // keys and string values, back to back
    std::vector<Open> open_;   // the parser's stack, kept between parses
};

// A member name written in the code, hashed at compile time.
struct JsonKey {
    consteval JsonKey(const char* s) : name(s), hash(hash_text(s)) {}
    const char* name;
    uint32_t hash;
};

// The members of one object by name, for reading many of them: one pass over the object, then each
// lookup is a probe rather than a scan. Answers as JsonTree::find does (the last of repeated names).
class JsonMembers {
public:
    JsonMembers(const JsonTree& tree, const JsonTree::Node& object);
    const JsonTree::Node* find(std::string_view name, uint32_t hash) const;  // hash: hash_text(name)
    const JsonTree::Node* find(JsonKey key) const { return find(key.name, key.hash); }

private:
    static constexpr size_t kSlots = 64;  // an object of more than kSlots / 2 members is scanned instead
    const JsonTree& tree_;
    const JsonTree::Node& object_;
    std::array<const JsonTree::Node*, kSlots> slots_{};
    bool scan_ = false;
};

}  // namespace clientele
