#include "json_tree.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "json_text.hpp"

namespace clientele {

// Appends nodes and links each to its parent's last child.
class JsonTreeBuilder {
public:
    explicit JsonTreeBuilder(JsonTree& tree) : t_(tree) {}

    bool null() { return add(JsonTree::Kind::Null), true; }
    bool boolean(bool v) { return add(JsonTree::Kind::Bool).value.b = v, true; }
    bool number_integer(int64_t v) { return add(JsonTree::Kind::Int).value.i = v, true; }
    bool number_unsigned(uint64_t v) { return add(JsonTree::Kind::Uint).value.u = v, true; }
    bool number_float(double v) { return add(JsonTree::Kind::Float).value.f = v, true; }
    bool string(std::string_view v) {
        auto& n = add(JsonTree::Kind::String);
        n.text = static_cast<uint32_t>(t_.text_.size()), n.text_len = static_cast<uint32_t>(v.size());
        t_.text_ += v;
        return true;
    }
    bool start_object() { return open(JsonTree::Kind::Object); }
    bool start_array() { return open(JsonTree::Kind::Array); }
    bool end_container() { return close(); }
    bool key(std::string_view k) {
        key_ = static_cast<uint32_t>(t_.text_.size()), key_len_ = static_cast<uint32_t>(k.size());
        t_.text_ += k;
        return true;
    }
private:
    struct Open {
        uint32_t node, last_child;
    };
    JsonTree::Node& add(JsonTree::Kind kind) {
        const auto index = static_cast<uint32_t>(t_.nodes_.size());
        JsonTree::Node& n = t_.nodes_.emplace_back();
        n.kind = kind;
        if (!stack_.empty()) {
            Open& parent = stack_.back();
            if (t_.nodes_[parent.node].kind == JsonTree::Kind::Object) n.key = key_, n.key_len = key_len_;
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
    std::vector<Open> stack_;
    uint32_t key_ = 0, key_len_ = 0;
};

namespace {
// RFC 8259 JSON, read in one pass with the same verdicts as nlohmann's parser (a leading UTF-8 BOM is
// skipped, a NUL byte after the value ends the input, strings must be well-formed UTF-8, integers beyond 64 bits become doubles, a double beyond
// range is an error); snapshot_fuzz holds the two to agreement. Nesting depth is checked before.
class TextParser {
public:
    TextParser(std::string_view text, JsonTreeBuilder& b) : p_(text.data()), end_(text.data() + text.size()), b_(b) {}

    bool run() {
        if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
        skip();
        if (!value()) return false;
        skip();
        // nlohmann ends the input at a NUL byte between tokens; so does this parser.
        return p_ == end_ || *p_ == '\0' || fail("unexpected characters after the value");
    }
    std::string error;

private:
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
            case '"': return string(scratch_) && b_.string(scratch_);
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
        ++p_;
        object ? b_.start_object() : b_.start_array();
        skip();
        if (at(close)) return ++p_, b_.end_container();
        for (;;) {
            skip();
            if ((object && !member_name()) || !value()) return false;
            skip();
            if (at(',')) {
                ++p_;
                continue;
            }
            if (at(close)) return ++p_, b_.end_container();
            return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    bool member_name() {
        if (!at('"')) return fail("expected a member name");
        if (!string(scratch_)) return false;
        b_.key(scratch_);
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
        append_utf8(out, cp);
        return true;
    }
    // One well-formed UTF-8 sequence of 2 to 4 bytes (Unicode Table 3-7), copied to `out`.
    bool multibyte(std::string& out) {
        const auto b0 = uint8_t(*p_);
        size_t n;
        uint8_t lo = 0x80, hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
        else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3, lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
        else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4, lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
        else return fail("invalid UTF-8");
        if (size_t(end_ - p_) < n) return fail("invalid UTF-8");
        for (size_t i = 1; i < n; ++i) {
            const auto b = uint8_t(p_[i]);
            if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return fail("invalid UTF-8");
        }
        out.append(p_, n);
        p_ += n;
        return true;
    }
    bool string(std::string& out) {
        out.clear();
        ++p_;  // the opening quote
        for (;;) {
            const char* run = p_;
            while (p_ < end_ && *p_ != '"' && *p_ != '\\' && uint8_t(*p_) >= 0x20 && uint8_t(*p_) < 0x80) ++p_;
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
    std::string scratch_, number_;
};
}  // namespace

Result<Unit, std::string> JsonTree::parse(std::string_view text) {
    nodes_.clear();
    text_.clear();
    if (auto refusal = too_deep(text)) return *refusal;
    JsonTreeBuilder builder(*this);
    TextParser parser(text, builder);
    if (!parser.run()) return parser.error;
    return Unit{};
}

const JsonTree::Node* JsonTree::find(const Node& object, std::string_view name) const {
    if (object.kind != Kind::Object) return nullptr;
    const Node* found = nullptr;
    for (const Node* c = first(object); c; c = next(*c))
        if (key(*c) == name) found = c;
    return found;
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
