#include "events.hpp"

namespace clientele {

json to_json(const Event& e) {
    return {{"seq", e.seq}, {"type", e.type}, {"timestamp", format_rfc3339(e.timestamp)}, {"data", e.data}};
}

void EventLog::emit(std::string type, Millis at, const std::string& org, std::string customer_id, json data) {
    if (!enabled_) return;
    events_.push_back(Event{next_seq_++, std::move(type), at, org, std::move(customer_id), std::move(data)});
    while (events_.size() > capacity_) events_.pop_front();
}

std::vector<Event> EventLog::since(uint64_t after_seq, const std::string& org) const {
    std::vector<Event> out;
    for (const auto& e : events_)
        if (e.seq > after_seq && e.organization_id == org) out.push_back(e);
    return out;
}

}  // namespace clientele
