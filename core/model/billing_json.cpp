#include "model/billing_json.hpp"

namespace clientele {

json nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json nullable_time(const std::optional<Millis>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); }

double balance(const Meter& m) { return m.credited_units - m.consumed_units; }

json to_json(const Subscription& s) {
    return {{"id", s.id},
            {"created_at", format_rfc3339(s.created_at)},
            {"modified_at", nullable_time(s.modified_at)},
            {"metadata", s.metadata},
            {"status", s.status},
            {"amount", s.amount},
            {"currency", s.currency},
            {"recurring_interval", s.recurring_interval},
            {"current_period_start", format_rfc3339(s.current_period_start)},
            {"current_period_end", format_rfc3339(s.current_period_end)},
            {"trial_start", nullable_time(s.trial_start)},
            {"trial_end", nullable_time(s.trial_end)},
            {"cancel_at_period_end", s.cancel_at_period_end},
            {"canceled_at", nullable_time(s.canceled_at)},
            {"started_at", nullable_time(s.started_at)},
            {"ends_at", nullable_time(s.ends_at)},
            {"product_id", s.product_id},
            {"discount_id", nullable(s.discount_id)},
            {"meters", json::array()}};
}

json to_json(const BenefitGrant& g) {
    return {{"id", g.id},
            {"created_at", format_rfc3339(g.created_at)},
            {"modified_at", nullable_time(g.modified_at)},
            {"granted_at", format_rfc3339(g.granted_at)},
            {"benefit_id", g.benefit_id},
            {"benefit_type", g.benefit_type},
            {"benefit_metadata", g.benefit_metadata},
            {"properties", g.properties}};
}

json to_json(const Meter& m) {
    return {{"id", m.id},
            {"created_at", format_rfc3339(m.created_at)},
            {"modified_at", nullable_time(m.modified_at)},
            {"meter_id", m.meter_id},
            {"consumed_units", m.consumed_units},
            {"credited_units", m.credited_units},
            {"balance", balance(m)}};
}

json pick(const json& object, std::initializer_list<const char*> keys) {
    json out = json::object();
    for (const char* k : keys)
        if (auto it = object.find(k); it != object.end()) out[k] = *it;
    return out;
}

}  // namespace clientele
