#include "io/json_tree.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>


#include "io/json_text.hpp"
#include "util/utf8.hpp"

namespace clientele {

// Appends nodes and links each to its parent's last child.
class JsonTreeBuilder {
public:
    explicit JsonTreeBuilder(JsonTree& tree) : t_(tree), stack_(tree.open_) { stack_.clear(); }

    bool null() { return add(JsonTree::Kind::Null), true; }
    bool boolean(bool v) { return add(JsonTree::Kind::Bool).value.b = v, true; }
    bool number_integer(int64_t v) { return add(JsonTree::Kind::Int).value.i = v, true; }
    bool number_unsigned(uint64_t v) { return add(JsonTree::Kind::Uint).value.u = v, true; }
    bool number_float(double v) { return add(JsonTree::Kind::Float).value.f = v, true; }
    // Strings and member names are parsed straight onto the end of text(), then taken from `start`.
    std::string& text() { return t_.text_; }
    bool string_from(size_t start, bool has_nul) {
        auto& n = add(JsonTree::Kind::String);
        n.text = static_cast<uint32_t>(start), n.text_len = static_cast<uint32_t>(t_.text_.size() - start);
        n.has_nul = has_nul;
        return true;
    }
    bool start_object() { return open(JsonTree::Kind::Object); }
    bool start_array() { return open(JsonTree::Kind::Array); }
    bool end_container() { return close(); }
    void key_from(size_t start) {
        key_ = static_cast<uint32_t>(start), key_len_ = static_cast<uint32_t>(t_.text_.size() - start);
        key_hash_ = hash_text(std::string_view(t_.text_).substr(start));
    }
private:
    JsonTree::Node& add(JsonTree::Kind kind) {
        const auto index = static_cast<uint32_t>(t_.nodes_.size());
        JsonTree::Node& n = t_.nodes_.emplace_back();
        n.kind = kind;
        if (!stack_.empty()) {
            JsonTree::Open& parent = stack_.back();
            if (t_.nodes_[parent.node].kind == JsonTree::Kind::Object) n.key = key_, n.key_len = key_len_, n.key_hash = key_hash_;
            if (parent.last_child) t_.nodes_[parent.last_child].next = index;
            else t_.nodes_[parent.node].first = index;
            parent.last_child = index;
        }
        return n;
    }
    bool open(JsonTree::Kind kind) {
        add(kind);
        stack_.push_back({static_cast<uint32_t>(t_.nodes_.size() - 1), 0});
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }

    JsonTree& t_;
    std::vector<JsonTree::Open>& stack_;
    uint32_t key_ = 0, key_len_ = 0, key_hash_ = 0;
};

namespace {
// Bytes a string copies as they are: printable ASCII other than the quote and the backslash.
constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

// Whether the eight bytes at p are all plain (kPlain), tested at once: none non-ASCII, none below 0x20,
// no quote, no backslash (exact tests for "a byte equal to" and "a byte below", all bytes being ASCII).
inline bool plain8(const char* p) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
    const auto below = [&](uint64_t v, uint64_t n) { return (v - kOnes * n) & ~v & kHighs; };
    return ((x & kHighs) | below(x, 0x20) | below(x ^ (kOnes * '"'), 1) | below(x ^ (kOnes * '\\'), 1)) == 0;
}

// RFC 8259 JSON, read in one pass with the same verdicts as nlohmann's parser (a leading UTF-8 BOM is
// skipped, a NUL byte after the value ends the input, strings must be well-formed UTF-8, integers beyond 64 bits become doubles, a double beyond
// range is an error); snapshot_fuzz holds the two to agreement. Nesting deeper than kMaxJsonDepth is
// refused as it is met (the parser recurses), and, as too_costly() does, in text after an ending NUL byte.
class TextParser {
public:
    TextParser(std::string_view text, JsonTreeBuilder& b) : p_(text.data()), end_(text.data() + text.size()), b_(b) {}

    bool run() {
        if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
        skip();
        if (!value()) return false;
        skip();
        // nlohmann ends the input at a NUL byte between tokens; so does this parser.
        if (p_ == end_) return true;
        if (*p_ != '\0') return fail("unexpected characters after the value");
        if (auto refusal = too_costly(std::string_view(begin_, end_ - begin_))) return error = *refusal, false;
        return true;
    }
    std::string error;

private:
    bool fail_deep() {
        error = "JSON decode error: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return false;
    }
    bool fail(const char* what) {
        error = std::string("JSON decode error: ") + what + " at byte " + std::to_string(p_ - begin_);
        return false;
    }
    void skip() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }
    bool at(char c) const { return p_ < end_ && *p_ == c; }

    bool value() {
        if (p_ == end_) return fail("unexpected end of input");
        switch (*p_) {
            case '{': return container(true);
            case '[': return container(false);
            case '"': {
                const size_t start = b_.text().size();
                nul_ = false;
                return string(b_.text()) && b_.string_from(start, nul_);
            }
            case 't': return literal("true") && b_.boolean(true);
            case 'f': return literal("false") && b_.boolean(false);
            case 'n': return literal("null") && b_.null();
            default: return number();
        }
    }
    bool literal(std::string_view word) {
        if (std::string_view(p_, std::min<size_t>(word.size(), end_ - p_)) != word) return fail("invalid literal");
        p_ += word.size();
        return true;
    }
    // An object or an array: members (a name, ':', a value) or values, separated by commas.
    bool container(bool object) {
        const char close = object ? '}' : ']';
        if (++depth_ > kMaxJsonDepth) return fail_deep();
        ++p_;
        object ? b_.start_object() : b_.start_array();
        skip();
        if (at(close)) return ++p_, --depth_, b_.end_container();
        for (;;) {
            skip();
            if ((object && !member_name()) || !value()) return false;
            skip();
            if (at(',')) {
                ++p_;
                continue;
            }
            if (at(close)) return ++p_, --depth_, b_.end_container();
            return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    bool member_name() {
        if (!at('"')) return fail("expected a member name");
        const size_t start = b_.text().size();
        if (!string(b_.text())) return false;
        b_.key_from(start);
        skip();
        if (!at(':')) return fail("expected ':'");
        ++p_;
        skip();
        return true;
    }

    bool hex4(uint32_t& out) {
        if (end_ - p_ < 4) return fail("truncated \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i, ++p_) {
            const char c = *p_;
            const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (v < 0) return fail("invalid \\u escape");
            out = out << 4 | uint32_t(v);
        }
        return true;
    }
    static void append_utf8(std::string& out, uint32_t cp) {
        if (cp < 0x80) out += char(cp);
        else if (cp < 0x800) out += char(0xC0 | cp >> 6), out += char(0x80 | (cp & 0x3F));
        else if (cp < 0x10000) out += char(0xE0 | cp >> 12), out += char(0x80 | (cp >> 6 & 0x3F)), out += char(0x80 | (cp & 0x3F));
        else out += char(0xF0 | cp >> 18), out += char(0x80 | (cp >> 12 & 0x3F)), out += char(0x80 | (cp >> 6 & 0x3F)), out += char(0x80 | (cp & 0x3F));
    }
    bool escape(std::string& out) {
        ++p_;  // the backslash
        if (p_ == end_) return fail("truncated escape");
        const char c = *p_++;
        switch (c) {
            case '"': case '\\': case '/': out += c; return true;
            case 'b': out += '\b'; return true;
            case 'f': out += '\f'; return true;
            case 'n': out += '\n'; return true;
            case 'r': out += '\r'; return true;
            case 't': out += '\t'; return true;
            case 'u': break;
            default: --p_; return fail("invalid escape");
        }
        uint32_t cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail("high surrogate without a low one");
            p_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("high surrogate without a low one");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        nul_ = nul_ || cp == 0;
        append_utf8(out, cp);
        return true;
    }
    // One well-formed UTF-8 sequence of 2 to 4 bytes (util/utf8.hpp), copied to `out`.
    bool multibyte(std::string& out) {
        const size_t n = utf8_sequence(std::string_view(p_, size_t(end_ - p_)), 0);
        if (!n) return fail("invalid UTF-8");
        out.append(p_, n);
        p_ += n;
        return true;
    }
    // Appends the string's value to `out`.
    bool string(std::string& out) {
        ++p_;  // the opening quote
        for (;;) {
            const char* run = p_;
            while (end_ - p_ >= 8 && plain8(p_)) p_ += 8;
            while (p_ < end_ && kPlain[uint8_t(*p_)]) ++p_;
            out.append(run, p_);
            if (p_ == end_) return fail("unterminated string");
            const auto c = uint8_t(*p_);
            if (c == '"') return ++p_, true;
            if (c < 0x20) return fail("control character in a string");
            if (c == '\\' ? !escape(out) : !multibyte(out)) return false;
        }
    }

    bool digits() {
        const char* start = p_;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        return p_ > start;
    }
    bool number() {
        const char* start = p_;
        if (at('-')) ++p_;
        if (at('0')) ++p_;
        else if (!digits()) return fail("invalid literal");
        bool real = false;
        if (at('.')) {
            ++p_, real = true;
            if (!digits()) return fail("expected a digit after '.'");
        }
        if (at('e') || at('E')) {
            ++p_, real = true;
            if (at('+') || at('-')) ++p_;
            if (!digits()) return fail("expected a digit in the exponent");
        }
        number_.assign(start, p_);
        char* stop = nullptr;
        errno = 0;
        if (!real && *start == '-') {
            const long long v = std::strtoll(number_.c_str(), &stop, 10);
            if (errno == 0) return b_.number_integer(v);
        } else if (!real) {
            const unsigned long long v = std::strtoull(number_.c_str(), &stop, 10);
            if (errno == 0) return b_.number_unsigned(v);
        }
        errno = 0;
        const double v = std::strtod(number_.c_str(), &stop);
        if (std::isinf(v)) return fail("number overflow");
        return b_.number_float(v);
    }

    const char* p_;
    const char* const end_;
    const char* const begin_ = p_;
    JsonTreeBuilder& b_;
    size_t depth_ = 0;
    bool nul_ = false;  // the string being read holds a NUL byte
    std::string number_;
};
}  // namespace

Result<Unit, std::string> JsonTree::parse(std::string_view text) {
    nodes_.clear();
    text_.clear();
    // Dense text is refused as parse_json_text refuses it (text this short cannot hold that many values).
    if (text.size() >= kMaxJsonItems)
        if (auto refusal = too_costly(text)) return *refusal;
    JsonTreeBuilder builder(*this);
    TextParser parser(text, builder);
    if (!parser.run()) return parser.error;
    return Unit{};
}

namespace {
bool same_key(const JsonTree& t, const JsonTree::Node& n, uint32_t hash, std::string_view name) {
    return n.key_hash == hash && t.key(n) == name;
}
}  // namespace

const JsonTree::Node* JsonTree::find(const Node& object, std::string_view name) const {
    if (object.kind != Kind::Object) return nullptr;
    const uint32_t h = hash_text(name);
    const Node* found = nullptr;
    for (const Node* c = first(object); c; c = next(*c))
        if (same_key(*this, *c, h, name)) found = c;
    return found;
}

JsonMembers::JsonMembers(const JsonTree& tree, const JsonTree::Node& object) : tree_(tree), object_(object) {
    if (object.kind != JsonTree::Kind::Object) return;
    if (tree.size(object) > kSlots / 2) {
        scan_ = true;
        return;
    }
    for (const JsonTree::Node* c = tree.first(object); c; c = tree.next(*c)) {
        size_t i = c->key_hash % kSlots;
        while (slots_[i] && !same_key(tree, *slots_[i], c->key_hash, tree.key(*c))) i = (i + 1) % kSlots;
        slots_[i] = c;  // a repeated name: the later member takes the slot
    }
}

const JsonTree::Node* JsonMembers::find(std::string_view name, uint32_t h) const {
    if (scan_) return tree_.find(object_, name);
    for (size_t i = h % kSlots; slots_[i]; i = (i + 1) % kSlots)
        if (same_key(tree_, *slots_[i], h, name)) return slots_[i];
    return nullptr;
}

size_t JsonTree::size(const Node& n) const {
    size_t count = 0;
    for (const Node* c = first(n); c; c = next(*c)) ++count;
    return count;
}

json JsonTree::to_json(const Node& n) const {
    switch (n.kind) {
        case Kind::Null: return nullptr;
        case Kind::Bool: return n.value.b;
        case Kind::Int: return n.value.i;
        case Kind::Uint: return n.value.u;
        case Kind::Float: return n.value.f;
        case Kind::String: return std::string(string(n));
        case Kind::Array: {
            json out = json::array();
            for (const Node* c = first(n); c; c = next(*c)) out.push_back(to_json(*c));
            return out;
        }
        case Kind::Object: {
            json out = json::object();
            for (const Node* c = first(n); c; c = next(*c)) out[std::string(key(*c))] = to_json(*c);
            return out;
        }
    }
    return nullptr;
}

}  // namespace clientele
