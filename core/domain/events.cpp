#include "domain/events.hpp"

#include <algorithm>

#include "io/json_writer.hpp"

namespace clientele {

json to_json(const Event& e) {
    return {{"seq", e.seq}, {"type", e.type}, {"timestamp", format_rfc3339(e.timestamp)}, {"data", json::parse(e.data)}};
}

void append_json(std::string& out, const Event& e) {
    out += R"({"seq":)";
    out += std::to_string(e.seq);
    out += R"(,"type":)";
    append_json_string(out, e.type);
    out += R"(,"timestamp":")";
    out += format_rfc3339(e.timestamp);
    out += R"(","data":)";
    out += e.data;
    out += '}';
}

void EventLog::emit(std::string type, Millis at, const std::string& org, std::string customer_id, std::string data) {
    if (!enabled_) return;
    events_.push_back(Event{next_seq_++, std::move(type), at, org, std::move(customer_id), std::move(data)});
    while (events_.size() > capacity_) {
        if (marked_) evicted_.push_back(std::move(events_.front()));
        events_.pop_front();
    }
}

void EventLog::mark() {
    marked_ = true, mark_ = next_seq_;
    evicted_.clear();
}

void EventLog::roll_back() {
    while (!events_.empty() && events_.back().seq >= mark_) events_.pop_back();
    for (auto it = evicted_.rbegin(); it != evicted_.rend(); ++it) events_.push_front(std::move(*it));
    for (auto it = rewritten_.rbegin(); it != rewritten_.rend(); ++it) {  // the first payload of each wins
        // events of the failed call itself are gone already
        if (events_.empty() || it->first < events_.front().seq || it->first >= mark_) continue;
        events_[static_cast<size_t>(it->first - events_.front().seq)].data = std::move(it->second);
    }
    next_seq_ = mark_;
    unmark();
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
