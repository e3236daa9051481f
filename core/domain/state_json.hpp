// The JSON of customer state (spec §6): the customer plus its current subscriptions, granted benefits
// and meters, built anew from the record (what customer.state_changed carries, and what the cache holds).
#pragma once
#include "model/customer.hpp"

namespace clientele {

json state_json(const Customer& c);
std::string state_text(const Customer& c);  // the same object as JSON text

}  // namespace clientele
