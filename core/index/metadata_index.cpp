#include "index/metadata_index.hpp"

#include <algorithm>
#include <iterator>

#include "io/cbor.hpp"

namespace clientele {

namespace {
// The one rule of how a metadata value reads as text, for values read from JSON or in place from CBOR.
void append_metadata_text(std::string& out, const Scalar& v) {
    using K = Scalar::Kind;
    switch (v.kind) {
        case K::Text: out += v.text; return;
        case K::Bool: out += v.b ? "true" : "false"; return;
        case K::Unsigned: out += std::to_string(v.u); return;
        case K::Integer: out += std::to_string(v.i); return;
        case K::Float: out += json(v.d).dump(); return;
        case K::Null: out += "null"; return;
    }
}

void append_metadata_text(std::string& out, const json& v) {
    using K = Scalar::Kind;
    Scalar s;
    if (v.is_string()) s.kind = K::Text, s.text = v.get_ref<const std::string&>();
    else if (v.is_boolean()) s.kind = K::Bool, s.b = v.get<bool>();
    else if (v.is_number_unsigned()) s.kind = K::Unsigned, s.u = v.get<uint64_t>();
    else if (v.is_number_integer()) s.kind = K::Integer, s.i = v.get<int64_t>();
    else if (v.is_number_float()) s.kind = K::Float, s.d = v.get<double>();
    else if (!v.is_null()) return void(out += v.dump());  // a list or an object: its JSON
    append_metadata_text(out, s);
}

// A list's key for one entry (key \0 text), written into `out`, reused entry after entry (a local
// of the caller: freed, and so zeroed, when it returns).
template <class V>
const std::string& entry_key(std::string& out, std::string_view key, const V& value) {
    out.assign(key);
    out += '\0';
    append_metadata_text(out, value);
    return out;
}

// Calls f(entry key) for each entry of metadata kept as CBOR: read in place (metadata is a map of
// scalars), or through the JSON for anything else.
template <class F>
void each_entry_key(std::string_view cbor, F f) {
    std::string buffer;
    if (each_cbor_entry(cbor, [&](std::string_view key, const Scalar& v) { f(entry_key(buffer, key, v)); })) return;
    const json j = json::from_cbor(cbor.begin(), cbor.end(), true, false);
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it) f(entry_key(buffer, it.key(), it.value()));
}
}  // namespace

std::string metadata_text(const json& v) {
    std::string out;
    append_metadata_text(out, v);
    return out;
}

void MetadataIndex::add(uint32_t slot, std::string_view cbor) {
    each_entry_key(cbor, [&](const std::string& key) {
        auto found = lists_.find(key);
        (found != lists_.end() ? found->second : lists_[key]).insert(slot);  // an import appends
    });
}

void MetadataIndex::drop(uint32_t slot, std::string_view cbor) {
    each_entry_key(cbor, [&](const std::string& key) {
        auto m = lists_.find(key);
        if (m == lists_.end()) return;
        m->second.erase(slot);
        if (m->second.empty()) lists_.erase(m);
    });
}

std::vector<uint32_t> MetadataIndex::with(const std::string& key, const std::vector<std::string>& texts) const {
    std::vector<uint32_t> out, one, merged;
    std::string buffer;
    for (const auto& text : texts) {
        auto m = lists_.find(entry_key(buffer, key, Scalar{.kind = Scalar::Kind::Text, .text = text}));
        if (m == lists_.end()) continue;
        if (out.empty()) {
            m->second.decode(out);
            continue;
        }
        one.clear(), merged.clear();
        m->second.decode(one);
        std::set_union(out.begin(), out.end(), one.begin(), one.end(), std::back_inserter(merged));
        out.swap(merged);
    }
    return out;
}

}  // namespace clientele
