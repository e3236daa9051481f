#include "storage/record_codec.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <type_traits>

#include "util/varint.hpp"

namespace clientele {

namespace {
constexpr size_t kUuidText = 36, kUuidBytes = 16;

int hex_value(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }
bool is_dash_at(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

// The 16 bytes of a canonical lower-case UUID, or false when `s` is not one.
bool pack_uuid(std::string_view s, char* out) {
    if (s.size() != kUuidText) return false;
    size_t k = 0;
    for (size_t i = 0; i < kUuidText; ++i) {
        if (is_dash_at(i)) {
            if (s[i] != '-') return false;
            continue;
        }
        const int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[k++] = static_cast<char>(hi << 4 | lo);
        ++i;
    }
    return true;
}

// The canonical text of 16 packed bytes, written over `out` (a reused string keeps its capacity).
void unpack_uuid(std::string_view bytes, std::string& out) {
    static const char* digits = "0123456789abcdef";
    out.resize(kUuidText);
    size_t at = 0;
    for (size_t k = 0; k < bytes.size() && at + 1 < kUuidText; ++k) {
        if (is_dash_at(at)) out[at++] = '-';
        const auto b = static_cast<uint8_t>(bytes[k]);
        out[at++] = digits[b >> 4], out[at++] = digits[b & 15];
    }
    out.resize(at);
}

// One field list per type serves both directions: `io` is a Writer or a Reader.
template <class IO, class A>
void fields_of_address(IO& io, A& a) { io(a.country), io(a.line1), io(a.line2), io(a.postal_code), io(a.city), io(a.state); }

// customer_id is the record's own id; email, name and external id are mostly the customer's own (the
// owner's), so each is a flag when it is, and created_at is kept as the gap from the customer's.
template <class IO, class M>
void fields_of_member(IO& io, M& m, const Customer& parent) {
    io.id(m.id), io.delta(m.created_at, parent.created_at), io(m.modified_at), io(m.deleted_at), io(m.role);
    io.same_or(m.email, parent.email), io.same_or(m.name, parent.name), io.same_or(m.external_id, parent.external_id);
}

template <class IO, class S>
void fields_of_subscription(IO& io, S& s) {
    io.id(s.id), io(s.created_at), io(s.modified_at), io(s.metadata), io(s.status), io(s.amount), io(s.currency),
        io(s.recurring_interval), io(s.current_period_start), io(s.current_period_end), io(s.trial_start), io(s.trial_end),
        io(s.canceled_at), io(s.started_at), io(s.ends_at), io(s.cancel_at_period_end), io(s.product_id),
        io(s.discount_id), io(s.seats);
}

template <class IO, class G>
void fields_of_grant(IO& io, G& g) {
    io.id(g.id), io(g.created_at), io(g.modified_at), io(g.revoked_at), io(g.granted_at), io(g.benefit_id),
        io(g.benefit_type), io(g.benefit_metadata), io(g.properties);
}

template <class IO, class M>
void fields_of_meter(IO& io, M& m) {
    io.id(m.id), io(m.created_at), io(m.modified_at), io(m.meter_id), io(m.consumed_units), io(m.credited_units);
}

template <class IO, class C>
void fields_of_customer(IO& io, C& c) {
    io.id(c.id), io(c.email), io(c.name), io(c.billing_name), io(c.external_id), io.metadata(c.metadata);  // what view_record reads
    io(c.modified_at), io(c.deleted_at), io(c.type), io(c.email_verified), io(c.locale),
        io(c.billing_address), io(c.tax_id), io(c.avatar_url), io(c.default_payment_method_id),
        io(c.first_user_event_at), io.members(c.members, c), io(c.subscriptions), io(c.grants), io(c.meters),
        io(c.anonymized_at);
}

// Dispatch from a record type to its field list.
template <class IO, class T>
void fields(IO& io, T& x) {
    using U = std::remove_const_t<T>;
    if constexpr (std::is_same_v<U, Address>) fields_of_address(io, x);
    else if constexpr (std::is_same_v<U, TaxId>) io(x.value), io(x.format);
    else if constexpr (std::is_same_v<U, Subscription>) fields_of_subscription(io, x);
    else if constexpr (std::is_same_v<U, BenefitGrant>) fields_of_grant(io, x);
    else if constexpr (std::is_same_v<U, Meter>) fields_of_meter(io, x);
    else fields_of_customer(io, x);
}

template <class T>
constexpr bool is_record = std::is_same_v<T, Address> || std::is_same_v<T, TaxId> || std::is_same_v<T, Subscription> || std::is_same_v<T, BenefitGrant> || std::is_same_v<T, Meter>;

class Writer {
public:
    explicit Writer(std::string& out, std::optional<std::string_view> metadata = std::nullopt) : out_(out), metadata_(metadata) {}
    void metadata(const json& j) {
        if (metadata_) text(*metadata_);
        else (*this)(j);
    }
    void operator()(const std::string& s) { text(s); }
    void id(const std::string& s) {  // a flag, then 16 bytes for a UUID or the text
        char packed[kUuidBytes];
        const bool uuid = pack_uuid(s, packed);
        (*this)(uuid);
        if (uuid) out_.append(packed, kUuidBytes);
        else text(s);
    }
    void operator()(int64_t v) { varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }  // zigzag
    void operator()(bool b) { out_.push_back(b ? 1 : 0); }
    void operator()(double d) { out_.append(reinterpret_cast<const char*>(&d), sizeof d); }
    void operator()(const json& j) {  // CBOR; an empty object (most metadata) is zero bytes
        if (j.is_object() && j.empty()) return varint(0);
        cbor_.clear();
        json::to_cbor(j, cbor_);
        text(cbor_);
    }
    template <class E>
        requires std::is_enum_v<E>
    void operator()(E e) { out_.push_back(static_cast<char>(e)); }
    template <class T>
    void operator()(const std::optional<T>& o) {
        out_.push_back(o ? 1 : 0);
        if (o) (*this)(*o);
    }
    template <class T>
    void operator()(const std::vector<T>& items) {
        varint(items.size());
        for (const auto& x : items) fields(*this, x);
    }
    template <class T>
        requires is_record<T>
    void operator()(const T& x) { fields(*this, x); }
    void members(const std::vector<Member>& items, const Customer& parent) {
        varint(items.size());
        for (const auto& m : items) fields_of_member(*this, m, parent);
    }
    void delta(int64_t v, int64_t base) { (*this)(v - base); }
    void same_or(const std::string& v, const std::optional<std::string>& parent) {
        const bool same = parent && *parent == v;
        (*this)(same);
        if (!same) (*this)(v);
    }
    void same_or(const std::optional<std::string>& v, const std::optional<std::string>& parent) {
        const bool same = v == parent;
        (*this)(same);
        if (!same) (*this)(v);
    }

private:
    void varint(uint64_t v) { put_varint(out_, v); }
    void text(std::string_view s) { varint(s.size()), out_.append(s); }
    std::string& out_;
    std::optional<std::string_view> metadata_;  // the metadata's CBOR, when given instead of its JSON
    std::string cbor_;
};

// Reads what Writer wrote; the bytes are the store's own, so a short read yields empty values, not UB.
class Reader {
public:
    Reader(std::string_view in, bool free_form = true) : in_(in), free_form_(free_form) {}
    void operator()(std::string& s) { s.assign(text()); }  // keeps the capacity of a reused record
    void id(std::string& s) { stored_id().text(s); }
    StoredId stored_id() {
        if (!byte()) return {text(), false};
        const std::string_view b = in_.substr(std::min(pos_, in_.size()), kUuidBytes);
        pos_ += b.size();
        return {b, true};
    }
    void operator()(int64_t& v) {
        const uint64_t z = varint();
        v = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
    }
    void operator()(bool& b) { b = byte() != 0; }
    void metadata(json& j) { (*this)(j); }
    void operator()(double& d) {
        d = 0;
        if (in_.size() - pos_ >= sizeof d) std::memcpy(&d, in_.data() + pos_, sizeof d), pos_ += sizeof d;
    }
    void operator()(json& j) {
        const std::string_view b = text();
        if (b.empty() || !free_form_) {
            if (!j.is_object() || !j.empty()) j = json::object();
            return;
        }
        j = json::from_cbor(b.begin(), b.end(), true, false);
        if (j.is_discarded()) j = json::object();
    }
    template <class E>
        requires std::is_enum_v<E>
    void operator()(E& e) { e = static_cast<E>(byte()); }
    template <class T>
    void operator()(std::optional<T>& o) {
        if (!byte()) return o.reset();
        if (!o) o.emplace();
        (*this)(*o);
    }
    template <class T>
    void operator()(std::vector<T>& items) {
        items.resize(static_cast<size_t>(std::min<uint64_t>(varint(), in_.size())));
        for (auto& x : items) fields(*this, x);
    }
    template <class T>
        requires is_record<T>
    void operator()(T& x) { fields(*this, x); }
    void members(std::vector<Member>& items, const Customer& parent) {
        items.resize(static_cast<size_t>(std::min<uint64_t>(varint(), in_.size())));
        for (auto& m : items) fields_of_member(*this, m, parent);
    }
    void delta(int64_t& v, int64_t base) { (*this)(v), v += base; }
    template <class T>
    void same_or(T& v, const std::optional<std::string>& parent) {
        if (!byte()) return (*this)(v);
        if constexpr (std::is_same_v<T, std::string>) {
            if (parent) v.assign(*parent);  // v keeps its capacity
            else v.clear();
        } else {
            v = parent;
        }
    }

    std::string_view text() {
        const auto n = static_cast<size_t>(std::min<uint64_t>(varint(), in_.size() - pos_));
        const std::string_view s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    std::optional<std::string_view> opt_text() {
        if (!byte()) return std::nullopt;
        return text();
    }

private:
    uint8_t byte() { return pos_ < in_.size() ? static_cast<uint8_t>(in_[pos_++]) : 0; }
    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const uint8_t b = byte();
            v |= uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80)) break;
        }
        return v;
    }
    std::string_view in_;
    size_t pos_ = 0;
    bool free_form_;  // false: free-form JSON is skipped, left as empty objects
};
}  // namespace

void encode_record(const Customer& c, std::string& out, std::optional<std::string_view> metadata_cbor) {
    out.clear();
    Writer w(out, metadata_cbor);
    fields(w, c);
}

void decode_record(std::string_view bytes, const std::string& organization_id, Millis created_at, Customer& c, bool free_form) {
    c.created_at = created_at;  // before the members, whose times are kept as gaps from it
    Reader r(bytes, free_form);
    fields(r, c);
    c.organization_id = organization_id;
    for (auto& m : c.members) m.customer_id = c.id;
}

Customer decode_record(std::string_view bytes, const std::string& organization_id, Millis created_at) {
    Customer c;
    decode_record(bytes, organization_id, created_at, c);
    return c;
}

void StoredId::text(std::string& out) const {
    if (uuid) unpack_uuid(bytes, out);
    else out.assign(bytes);
}

std::string StoredId::text() const {
    std::string out;
    text(out);
    return out;
}

bool StoredId::operator==(std::string_view id) const {
    if (!uuid) return bytes == id;
    char packed[kUuidBytes];
    return pack_uuid(id, packed) && bytes == std::string_view(packed, kUuidBytes);
}

bool operator<(const StoredId& a, const StoredId& b) {
    if (a.uuid == b.uuid) return a.bytes < b.bytes;
    return a.text() < b.text();
}

StoredId record_id(std::string_view bytes) { return Reader(bytes).stored_id(); }

RecordView view_record(std::string_view bytes) {
    Reader r(bytes);
    RecordView v;
    v.id = r.stored_id();
    v.email = r.opt_text();
    v.name = r.opt_text();
    v.billing_name = r.opt_text();
    v.external_id = r.opt_text();
    v.metadata = r.text();
    return v;
}

}  // namespace clientele
