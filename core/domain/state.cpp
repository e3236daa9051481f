// Customer state (spec §6): the customer plus its active subscriptions, granted benefits and meters,
// cached per customer and dropped whenever anything of that customer changes (Store::changed).
#include "domain/store.hpp"

namespace clientele {

namespace {
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt_time(const std::optional<Millis>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); }

json to_json(const Subscription& s) {
    return {{"id", s.id},
            {"created_at", format_rfc3339(s.created_at)},
            {"modified_at", opt_time(s.modified_at)},
            {"metadata", s.metadata},
            {"status", s.status},
            {"amount", s.amount},
            {"currency", s.currency},
            {"recurring_interval", s.recurring_interval},
            {"current_period_start", format_rfc3339(s.current_period_start)},
            {"current_period_end", format_rfc3339(s.current_period_end)},
            {"trial_start", opt_time(s.trial_start)},
            {"trial_end", opt_time(s.trial_end)},
            {"cancel_at_period_end", s.cancel_at_period_end},
            {"canceled_at", opt_time(s.canceled_at)},
            {"started_at", opt_time(s.started_at)},
            {"ends_at", opt_time(s.ends_at)},
            {"product_id", s.product_id},
            {"discount_id", opt(s.discount_id)},
            {"meters", json::array()}};
}

json to_json(const BenefitGrant& g) {
    return {{"id", g.id},
            {"created_at", format_rfc3339(g.created_at)},
            {"modified_at", opt_time(g.modified_at)},
            {"granted_at", format_rfc3339(g.granted_at)},
            {"benefit_id", g.benefit_id},
            {"benefit_type", g.benefit_type},
            {"benefit_metadata", g.benefit_metadata},
            {"properties", g.properties}};
}

json to_json(const Meter& m) {
    return {{"id", m.id},
            {"created_at", format_rfc3339(m.created_at)},
            {"modified_at", opt_time(m.modified_at)},
            {"meter_id", m.meter_id},
            {"consumed_units", m.consumed_units},
            {"credited_units", m.credited_units},
            {"balance", m.credited_units - m.consumed_units}};
}
}  // namespace

bool is_active_subscription(const Subscription& s) {
    return s.status == "active" || s.status == "trialing" || s.status == "past_due";
}

json Store::state_json(const Customer& c) const {
    json out = clientele::to_json(c);
    json subs = json::array(), grants = json::array(), meters = json::array();
    for (const auto& s : c.subscriptions)
        if (s.status == "active" || s.status == "trialing") subs.push_back(to_json(s));
    for (const auto& g : c.grants)
        if (!g.revoked_at) grants.push_back(to_json(g));
    for (const auto& m : c.meters) meters.push_back(to_json(m));
    out["active_subscriptions"] = std::move(subs);
    out["granted_benefits"] = std::move(grants);
    out["active_meters"] = std::move(meters);
    return out;
}

Result<json> Store::state(const std::string& org, std::string_view id) const {
    auto slot = find(org, id);
    if (!slot) return slot.error();
    const std::string id_key = view(*slot).id.text();
    auto it = state_cache_.find(id_key);
    if (it == state_cache_.end()) it = state_cache_.emplace(id_key, state_json(load(*slot))).first;
    return it->second;
}

}  // namespace clientele
