#include "json_tree.hpp"

#include "json_text.hpp"

namespace clientele {

// nlohmann's SAX interface, appending nodes and linking each to its parent's last child.
class JsonTreeBuilder {
public:
    explicit JsonTreeBuilder(JsonTree& tree) : t_(tree) {}

    bool null() { return add(JsonTree::Kind::Null), true; }
    bool boolean(bool v) { return add(JsonTree::Kind::Bool).value.b = v, true; }
    bool number_integer(int64_t v) { return add(JsonTree::Kind::Int).value.i = v, true; }
    bool number_unsigned(uint64_t v) { return add(JsonTree::Kind::Uint).value.u = v, true; }
    bool number_float(double v, const std::string&) { return add(JsonTree::Kind::Float).value.f = v, true; }
    bool string(std::string& v) {
        auto& n = add(JsonTree::Kind::String);
        n.text = static_cast<uint32_t>(t_.text_.size()), n.text_len = static_cast<uint32_t>(v.size());
        t_.text_ += v;
        return true;
    }
    bool binary(std::vector<uint8_t>&) { return false; }
    bool start_object(size_t) { return open(JsonTree::Kind::Object); }
    bool start_array(size_t) { return open(JsonTree::Kind::Array); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string& k) {
        key_ = static_cast<uint32_t>(t_.text_.size()), key_len_ = static_cast<uint32_t>(k.size());
        t_.text_ += k;
        return true;
    }
    template <class E>
    bool parse_error(size_t, const std::string&, const E& e) {
        error = std::string("JSON decode error: ") + e.what();
        return false;
    }
    std::string error;

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

Result<Unit, std::string> JsonTree::parse(std::string_view text) {
    nodes_.clear();
    text_.clear();
    if (json_depth(text) > kMaxJsonDepth)
        return std::string("JSON decode error: nested deeper than ") + std::to_string(kMaxJsonDepth) + " levels";
    JsonTreeBuilder builder(*this);
    try {
        if (!json::sax_parse(text.begin(), text.end(), &builder) || nodes_.empty())
            return builder.error.empty() ? std::string("JSON decode error") : builder.error;
    } catch (const json::exception& e) {
        return std::string("JSON decode error: ") + e.what();
    }
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
