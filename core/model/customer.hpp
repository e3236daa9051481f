// The customer record of spec §1 with its members (§2) and the billing objects behind its state (§6),
// and their JSON shapes: the API response (snake_case, as Polar's SDK parses it).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace clientele {

enum class CustomerType { Individual, Team };
enum class MemberRole { Owner, BillingManager, Member };

const char* to_string(CustomerType t);
const char* to_string(MemberRole r);
// The value a text names (what to_string writes), or nullopt; and the 422 `enum` message for any other text.
std::optional<CustomerType> customer_type_named(std::string_view text);
std::optional<MemberRole> member_role_named(std::string_view text);
inline constexpr const char* kCustomerTypeChoices = "Input should be 'individual' or 'team'";
inline constexpr const char* kMemberRoleChoices = "Input should be 'owner', 'billing_manager' or 'member'";

struct Address {
    std::string country;  // ISO 3166-1 alpha-2, upper case
    std::optional<std::string> line1, line2, postal_code, city, state;
    bool operator==(const Address&) const = default;
};

struct TaxId {
    std::string value;   // compact, normalized
    std::string format;  // one of Polar's TaxIDFormat names, e.g. "eu_vat"
    bool operator==(const TaxId&) const = default;
};

struct Member {
    std::string id, customer_id;
    Millis created_at = 0;
    std::optional<Millis> modified_at, deleted_at;
    std::string email;
    std::optional<std::string> name, external_id;
    MemberRole role = MemberRole::Member;
};

struct Subscription {
    std::string id;
    Millis created_at = 0;
    std::optional<Millis> modified_at;
    json metadata = json::object();
    std::string status;  // incomplete, trialing, active, past_due, canceled, unpaid, ...
    int64_t amount = 0;
    std::string currency = "usd";
    std::string recurring_interval = "month";
    Millis current_period_start = 0, current_period_end = 0;
    std::optional<Millis> trial_start, trial_end, canceled_at, started_at, ends_at;
    bool cancel_at_period_end = false;
    std::string product_id;
    std::optional<std::string> discount_id;
    std::optional<int64_t> seats;  // seat-based subscriptions carry a seat limit for team members
};

struct BenefitGrant {
    std::string id;
    Millis created_at = 0;
    std::optional<Millis> modified_at, revoked_at;
    Millis granted_at = 0;
    std::string benefit_id, benefit_type = "custom";
    json benefit_metadata = json::object();
    json properties = json::object();
};

struct Meter {
    std::string id;
    Millis created_at = 0;
    std::optional<Millis> modified_at;
    std::string meter_id;
    double consumed_units = 0, credited_units = 0;
};

struct Customer {
    std::string id, organization_id;
    Millis created_at = 0;
    std::optional<Millis> modified_at, deleted_at;
    CustomerType type = CustomerType::Individual;
    std::optional<std::string> email;
    bool email_verified = false;
    std::optional<std::string> name, billing_name, external_id, locale;
    std::optional<Address> billing_address;
    std::optional<TaxId> tax_id;
    json metadata = json::object();
    std::optional<std::string> avatar_url, default_payment_method_id;
    std::optional<Millis> first_user_event_at;
    std::optional<Millis> anonymized_at;  // set by anonymization alone (spec §5); never part of the API shape
    std::vector<Member> members;
    std::vector<Subscription> subscriptions;
    std::vector<BenefitGrant> grants;
    std::vector<Meter> meters;
};

// Calls f(id) for the id of each object a customer carries: members, subscriptions, grants, meters.
template <class F>
void for_each_child_id(const Customer& c, F f) {
    for (const auto& m : c.members) f(m.id);
    for (const auto& s : c.subscriptions) f(s.id);
    for (const auto& g : c.grants) f(g.id);
    for (const auto& m : c.meters) f(m.id);
}

json to_json(const Address& a);
json to_json(const Member& m);
json to_json(const Customer& c);  // the API's Customer object (no members/state)
void append_json(std::string& out, const Member& m);
class JsonObjectWriter;
// The fields a snapshot line keeps of a customer (without members and the other lists) and of a member:
// nulls and empty lists left out, a customer's billing_name as stored.
void append_snapshot_fields(JsonObjectWriter& w, const Customer& c);
void append_snapshot_fields(JsonObjectWriter& w, const Member& m);
void append_json(std::string& out, const Customer& c);  // the same object as JSON text, no DOM built

}  // namespace clientele
