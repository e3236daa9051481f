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

}  // namespace clientele
