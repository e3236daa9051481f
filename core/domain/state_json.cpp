#include "domain/state_json.hpp"

#include "model/billing_json.hpp"
#include "rules/subscriptions.hpp"

namespace clientele {

json state_json(const Customer& c) {
    json out = to_json(c);
    json subs = json::array(), grants = json::array(), meters = json::array();
    for (const auto& s : c.subscriptions)
        if (is_current_subscription(s)) subs.push_back(to_json(s));
    for (const auto& g : c.grants)
        if (!g.revoked_at) grants.push_back(to_json(g));
    for (const auto& m : c.meters) meters.push_back(to_json(m));
    out["active_subscriptions"] = std::move(subs);
    out["granted_benefits"] = std::move(grants);
    out["active_meters"] = std::move(meters);
    return out;
}

std::string state_text(const Customer& c) {
    std::string out;
    append_json(out, c);
    out.pop_back();  // the customer object stays open for the three lists
    const auto list = [&out](const char* key, const auto& items, auto keep) {
        out += ",\"";
        out += key;
        out += "\":[";
        bool first = true;
        for (const auto& item : items) {
            if (!keep(item)) continue;
            if (!first) out += ',';
            first = false;
            out += to_json(item).dump(-1, ' ', false, json::error_handler_t::replace);
        }
        out += ']';
    };
    list("active_subscriptions", c.subscriptions, [](const Subscription& s) { return is_current_subscription(s); });
    list("granted_benefits", c.grants, [](const BenefitGrant& g) { return !g.revoked_at; });
    list("active_meters", c.meters, [](const Meter&) { return true; });
    out += '}';
    return out;
}

}  // namespace clientele
