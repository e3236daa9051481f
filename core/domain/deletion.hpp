// Deleting a customer in the order of spec §5 (subscriptions, grants, members, customer), then
// optionally anonymizing it. Deleting twice is not found; anonymizing a deleted customer again succeeds.
#pragma once
#include <string>
#include <string_view>

#include "domain/workspace.hpp"

namespace clientele {

class Deletion {
public:
    explicit Deletion(Workspace& w) : w_(w) {}
    // The record as it is after the delete.
    Result<Customer> remove(const std::string& org, std::string_view id, bool anonymize);

private:
    Workspace& w_;
};

}  // namespace clientele
