// What a subscription's status means, decided once: "active" as the list filter and deletion read it
// (spec §4, §5), and "current" as customer state lists it and seats count it (spec §6, §2).
#pragma once
#include "model/customer.hpp"

namespace clientele {

// active, trialing or past_due: the `active` list filter, and what deleting a customer cancels.
inline bool is_active_subscription(const Subscription& s) {
    return s.status == "active" || s.status == "trialing" || s.status == "past_due";
}

// active or trialing: the subscriptions customer state lists, and whose seats a team may use.
inline bool is_current_subscription(const Subscription& s) { return s.status == "active" || s.status == "trialing"; }

}  // namespace clientele
