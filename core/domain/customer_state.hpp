// Customer state (spec §6, built by state_json) answered from a per-customer cache that every change of
// the customer drops (Workspace).
#pragma once
#include <string>
#include <string_view>

#include "domain/workspace.hpp"

namespace clientele {

class CustomerState {
public:
    explicit CustomerState(const Workspace& w) : w_(w) {}
    Result<json> get(const std::string& org, std::string_view id) const;

private:
    const Workspace& w_;
};

}  // namespace clientele
