// The event log of spec §7: customer.* and member.* events in emission order, bounded, readable
// from a sequence number, and redactable when a customer is anonymized.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace clientele {

struct Event {
    uint64_t seq = 0;
    std::string type;         // "customer.created", ...
    Millis timestamp = 0;
    std::string organization_id;  // whose log it belongs to: read back only by that organization
    std::string customer_id;      // whose data the payload carries
    std::string data;             // the payload as JSON text, written once when the event is emitted
};

json to_json(const Event& e);                     // { "type", "timestamp", "data" } plus "seq"
void append_json(std::string& out, const Event& e);  // the same object as JSON text, payload copied as it is

class EventLog {
public:
    explicit EventLog(size_t capacity = 1000) : capacity_(capacity) {}
    void emit(std::string type, Millis at, const std::string& org, std::string customer_id, std::string data);
    std::vector<Event> since(uint64_t after_seq, const std::string& org) const;  // oldest first
    uint64_t last_seq() const { return next_seq_ - 1; }
    // Rewrites the payload of every held event about `customer_id` with `rewrite(type, data)`.
    template <class F>
    void rewrite(const std::string& customer_id, F rewrite) {
        for (auto& e : events_) {
            if (e.customer_id != customer_id) continue;
            std::string data = rewrite(e.type, e.data);
            if (marked_) rewritten_.emplace_back(e.seq, std::move(e.data));
            e.data = std::move(data);
        }
    }
    void set_enabled(bool on) { enabled_ = on; }  // off while importing a snapshot
    // A failed call's events taken back: from mark() on, events pushed out by newer ones and payloads as
    // they were before a rewrite are kept aside until unmark(); roll_back() drops the events since the
    // mark and puts those back.
    void mark();
    void unmark() { marked_ = false, evicted_.clear(), rewritten_.clear(); }
    void roll_back();

private:
    size_t capacity_;
    bool enabled_ = true;
    bool marked_ = false;
    uint64_t mark_ = 0;
    std::deque<Event> evicted_;
    std::vector<std::pair<uint64_t, std::string>> rewritten_;  // payloads as they were before a rewrite
    uint64_t next_seq_ = 1;
    std::deque<Event> events_;
};

}  // namespace clientele
