// The JSON of the billing objects behind customer state, one builder each (the shape customer state
// lists them in, spec §6); snapshots and call answers take their fields from these.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>

#include "model/customer.hpp"

namespace clientele {

json nullable(const std::optional<std::string>& s);  // the text, or null
json nullable_time(const std::optional<Millis>& t);  // RFC 3339, or null

double balance(const Meter& m);  // credited − consumed units

json to_json(const Subscription& s);  // with "meters": [] as Polar's state lists them
json to_json(const BenefitGrant& g);
json to_json(const Meter& m);  // with its balance

json pick(const json& object, std::initializer_list<const char*> keys);  // those members only

}  // namespace clientele
