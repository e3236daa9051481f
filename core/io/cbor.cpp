#include "io/cbor.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

namespace clientele {

namespace {
// Reads the CBOR items metadata holds (as nlohmann's to_cbor writes them) in place; false on anything else.
class CborScalars {
public:
    explicit CborScalars(std::string_view in) : in_(in) {}
    bool map_size(uint64_t& n) { return head(5, n); }
    bool text(std::string_view& s) {
        uint64_t n = 0;
        if (!head(3, n) || n > in_.size() - pos_) return false;
        s = in_.substr(pos_, static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n);
        return true;
    }
    bool scalar(Scalar& v) {
        if (pos_ >= in_.size()) return false;
        const auto b = static_cast<uint8_t>(in_[pos_]);
        using K = Scalar::Kind;
        switch (b >> 5) {
            case 0: return v.kind = K::Unsigned, head(0, v.u);
            case 1: {
                uint64_t n = 0;
                if (!head(1, n) || n > uint64_t(INT64_MAX)) return false;
                return v.kind = K::Integer, v.i = -1 - static_cast<int64_t>(n), true;
            }
            case 3: return v.kind = K::Text, text(v.text);
        }
        ++pos_;
        if (b == 0xF4 || b == 0xF5) return v.kind = K::Bool, v.b = b == 0xF5, true;
        if (b == 0xF6) return v.kind = K::Null, true;
        if (b == 0xFA) {
            float f = 0;
            if (!fixed(f)) return false;
            return v.kind = K::Float, v.d = f, true;
        }
        if (b == 0xFB) return v.kind = K::Float, fixed(v.d);
        return false;
    }
    bool done() const { return pos_ == in_.size(); }

private:
    // An item's head of this major type; its argument (a length or a number) into n.
    bool head(int major, uint64_t& n) {
        if (pos_ >= in_.size() || static_cast<uint8_t>(in_[pos_]) >> 5 != major) return false;
        const int info = in_[pos_++] & 31;
        if (info < 24) return n = static_cast<uint64_t>(info), true;
        if (info > 27) return false;
        return big_endian(size_t(1) << (info - 24), n);
    }
    bool big_endian(size_t width, uint64_t& n) {
        if (in_.size() - pos_ < width) return false;
        n = 0;
        for (size_t k = 0; k < width; ++k) n = n << 8 | static_cast<uint8_t>(in_[pos_++]);
        return true;
    }
    template <class T>
    bool fixed(T& out) {  // an IEEE float of T's width, big-endian
        uint64_t bits = 0;
        if (!big_endian(sizeof(T), bits)) return false;
        using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
        const auto u = static_cast<U>(bits);
        std::memcpy(&out, &u, sizeof out);
        return true;
    }
    std::string_view in_;
    size_t pos_ = 0;
};

template <class F>
bool walk_cbor_map(std::string_view cbor, F f) {
    if (cbor.empty()) return true;
    CborScalars in(cbor);
    uint64_t n = 0;
    if (!in.map_size(n)) return false;
    for (uint64_t k = 0; k < n; ++k) {
        std::string_view key;
        Scalar value;
        if (!in.text(key) || !in.scalar(value)) return false;
        f(key, value);
    }
    return in.done();
}
}  // namespace

namespace {
void cbor_head(std::string& out, int major, uint64_t n) {  // the shortest head, as nlohmann writes it
    const auto m = static_cast<char>(major << 5);
    if (n < 24) return out.push_back(static_cast<char>(m | static_cast<char>(n)));
    const int width = n <= 0xFF ? 1 : n <= 0xFFFF ? 2 : n <= 0xFFFFFFFFu ? 4 : 8;
    out.push_back(static_cast<char>(m | (width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27)));
    for (int k = width - 1; k >= 0; --k) out.push_back(static_cast<char>(n >> (8 * k)));
}

template <class T>
void cbor_float(std::string& out, char head, T v) {
    using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    U bits;
    std::memcpy(&bits, &v, sizeof bits);
    out.push_back(head);
    for (int k = sizeof(T) - 1; k >= 0; --k) out.push_back(static_cast<char>(bits >> (8 * k)));
}

// One scalar member value; false for a list or an object.
bool cbor_scalar(const JsonTree& tree, const JsonTree::Node& v, std::string& out) {
    using Kind = JsonTree::Kind;
    switch (v.kind) {
        case Kind::Null: return out.push_back(static_cast<char>(0xF6)), true;
        case Kind::Bool: return out.push_back(static_cast<char>(v.value.b ? 0xF5 : 0xF4)), true;
        case Kind::Uint: return cbor_head(out, 0, v.value.u), true;
        case Kind::Int:
            if (v.value.i >= 0) return cbor_head(out, 0, static_cast<uint64_t>(v.value.i)), true;
            return cbor_head(out, 1, static_cast<uint64_t>(-1 - v.value.i)), true;
        case Kind::Float: {
            const double d = v.value.f;  // finite: the parser refuses what JSON cannot hold
            const bool fits = d >= -std::numeric_limits<float>::max() && d <= std::numeric_limits<float>::max() &&
                              static_cast<double>(static_cast<float>(d)) == d;
            if (fits) cbor_float(out, static_cast<char>(0xFA), static_cast<float>(d));
            else cbor_float(out, static_cast<char>(0xFB), d);
            return true;
        }
        case Kind::String: {
            const std::string_view t = tree.string(v);
            return cbor_head(out, 3, t.size()), out.append(t), true;
        }
        default: return false;
    }
}
}  // namespace

void cbor_of_object(const JsonTree& tree, const JsonTree::Node& object, std::string& out) {
    out.clear();
    const size_t n = tree.size(object);
    if (n == 0) return;
    std::array<const JsonTree::Node*, 64> few;  // metadata has at most 50 keys: no allocation
    std::vector<const JsonTree::Node*> many(n > few.size() ? n : 0);
    const JsonTree::Node** members = n > few.size() ? many.data() : few.data();
    size_t count = 0;
    for (const JsonTree::Node* m = tree.first(object); m; m = tree.next(*m)) members[count++] = m;
    const auto before = [&](const JsonTree::Node* a, const JsonTree::Node* b) { return tree.key(*a) < tree.key(*b); };
    if (count > few.size()) std::stable_sort(members, members + count, before);
    else
        for (size_t k = 1; k < count; ++k)  // insertion sort: stable, and no buffer to allocate
            for (size_t j = k; j > 0 && before(members[j], members[j - 1]); --j) std::swap(members[j], members[j - 1]);
    size_t kept = 0;  // the last of each run of equal keys
    for (size_t k = 0; k < count; ++k)
        if (k + 1 == count || tree.key(*members[k + 1]) != tree.key(*members[k])) members[kept++] = members[k];
    cbor_head(out, 5, kept);
    for (const JsonTree::Node* const* it = members; it != members + kept; ++it) {
        const JsonTree::Node* m = *it;
        cbor_head(out, 3, tree.key(*m).size());
        out.append(tree.key(*m));
        if (!cbor_scalar(tree, *m, out)) {  // a list or an object inside: through JSON
            out.clear();
            json::to_cbor(tree.to_json(object), out);
            return;
        }
    }
}

bool each_cbor_entry(std::string_view cbor, const CborEntry& f) {
    if (!walk_cbor_map(cbor, [](std::string_view, const Scalar&) {})) return false;
    return walk_cbor_map(cbor, f);
}

}  // namespace clientele
