// The billing objects behind customer state (subscriptions, benefit grants, meters) and the automatic
// creation of spec §6: a checkout, order or subscription for an email reuses the organization's live
// customer with that email, else creates one; a completed checkout verifies the email.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/workspace.hpp"

namespace clientele {

class Billing {
public:
    explicit Billing(Workspace& w) : w_(w) {}
    Result<Customer> record_checkout(const std::string& org, const json& body);
    Result<Customer> record_order(const std::string& org, const json& body);
    Result<Subscription> record_subscription(const std::string& org, const json& body);
    Result<Subscription> update_subscription(const std::string& org, std::string_view id, const json& body);
    Result<BenefitGrant> grant_benefit(const std::string& org, std::string_view customer_id, const json& body);
    Result<Unit> revoke_benefit(const std::string& org, std::string_view grant_id);
    Result<Meter> record_meter(const std::string& org, std::string_view customer_id, const json& body);

private:
    Result<uint32_t> find_or_create(const std::string& org, const json& body, bool verify);

    Workspace& w_;
};

}  // namespace clientele
