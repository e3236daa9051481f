// Customers (spec §1, §3): create, read and update, each checked in full before anything changes; the
// checks alone serve live form validation. Uniqueness of email and external id is decided here.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/workspace.hpp"
#include "model/fields.hpp"

namespace clientele {

// The 422 detail of a unique key another customer holds (spec §1: email, external id).
void duplicate_email(Problems& p, json loc, const std::string& email);
void duplicate_external_id(Problems& p, json loc, const std::string& external_id);
// Spec §3: an individual customer's live owner member takes the customer's email when it changes.
void sync_owner_email(Customer& c);

class Customers {
public:
    explicit Customers(Workspace& w) : w_(w) {}
    Result<Customer> create(const std::string& org, const json& body);
    Result<Customer> get(const std::string& org, std::string_view id) const;
    Result<Customer> get_external(const std::string& org, std::string_view external_id) const;
    Result<Customer> update(const std::string& org, std::string_view id, const json& body);
    // Every problem create/update would report for this body, changing nothing.
    Result<Unit> check_create(const std::string& org, const json& body) const;
    Result<Unit> check_update(const std::string& org, std::string_view id, const json& body) const;

private:
    Result<Customer> prepare_create(const std::string& org, const json& body) const;
    Result<std::pair<uint32_t, Customer>> prepare_update(const std::string& org, std::string_view id, const json& body) const;
    void check_unique(const std::string& org, const Customer& c, std::optional<uint32_t> self, Problems& p) const;

    Workspace& w_;
};

}  // namespace clientele
