#include "domain/events.hpp"

#include <algorithm>

namespace clientele {

json to_json(const Event& e) {
    return {{"seq", e.seq}, {"type", e.type}, {"timestamp", format_rfc3339(e.timestamp)}, {"data", e.data}};
}

void EventLog::emit(std::string type, Millis at, const std::string& org, std::string customer_id, json data) {
    if (!enabled_) return;
    events_.push_back(Event{next_seq_++, std::move(type), at, org, std::move(customer_id), std::move(data)});
    while (events_.size() > capacity_) events_.pop_front();
}

// Held events are numbered without gaps, so the first one after `after_seq` is found by subtraction.
std::vector<Event> EventLog::since(uint64_t after_seq, const std::string& org) const {
    std::vector<Event> out;
    if (events_.empty()) return out;
    const uint64_t first = events_.front().seq;
    const size_t skip = after_seq < first ? 0 : static_cast<size_t>(std::min<uint64_t>(after_seq - first + 1, events_.size()));
    for (auto it = events_.begin() + static_cast<std::ptrdiff_t>(skip); it != events_.end(); ++it)
        if (it->organization_id == org) out.push_back(*it);
    return out;
}

}  // namespace clientele
