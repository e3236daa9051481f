// Team members (spec §2): add, list, read, update role, remove, with the owner and seat rules; and
// Polar's member routes: the organization's member list, a member scoped to its customer, a member found
// by its customer's external id and its own.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/workspace.hpp"
#include "model/fields.hpp"

namespace clientele {

// The seat limit of a team: the seats of its current seat-based subscriptions (none: unlimited).
std::optional<int64_t> seat_limit(const Customer& c);

class Members {
public:
    explicit Members(Workspace& w) : w_(w) {}
    Result<Member> add(const std::string& org, std::string_view customer_id, const json& body);
    // Every check of add without the write: the 422, 403 or 404 add would answer, or nothing.
    Result<Unit> check_add(const std::string& org, std::string_view customer_id, const json& body) const;
    Result<std::vector<Member>> list(const std::string& org, std::string_view customer_id) const;
    Result<Member> get(const std::string& org, std::string_view member_id) const;
    Result<Member> update(const std::string& org, std::string_view member_id, const json& body);
    Result<Unit> remove(const std::string& org, std::string_view member_id);

private:
    // The customer's slot and the member's index in it, for a live member of a live customer of org.
    Result<std::pair<uint32_t, size_t>> find(const std::string& org, std::string_view member_id) const;

    Workspace& w_;
};

// Polar's member list (GET /v1/members/): the filters `customer_id`, `external_customer_id` and `role`,
// `sorting` by `created_at` or `-created_at` (default; ties by id in the same direction), `page` and
// `limit` as customer lists read them.
struct MemberListQuery {
    std::optional<std::string> customer_id, external_customer_id;
    std::optional<MemberRole> role;
    bool descending = true;
    size_t page = 1, limit = 10;
};
// `scoped`: the list of one customer's route (its path names the customer), which takes no customer filter.
MemberListQuery parse_member_list_query(const json& q, Problems& p, bool scoped = false);

struct MemberPage {
    std::vector<Member> items;
    size_t total_count = 0, max_page = 0;
};

// What Polar's member routes read: one organization's live customers (their members included) by id,
// by external id, and all of them. The Api hands in a reader over its Store, so these routes see
// exactly what the Store's own commands see.
class CustomerReader {
public:
    virtual ~CustomerReader() = default;
    virtual Result<Customer> get(std::string_view id) const = 0;                    // 404 when not a live customer
    virtual Result<Customer> get_external(std::string_view external_id) const = 0;  // the same
    virtual void each(const std::function<void(const Customer&)>& f) const = 0;     // every live customer
    // Every live member in list order, where the reader keeps one (then a page loads only its customers).
    virtual const std::vector<MemberPlace>* member_order() const { return nullptr; }
    virtual Customer customer_at(uint32_t /*slot*/) const { return Customer(); }
};

// An organization's live customers read straight from the workspace.
class WorkspaceCustomers final : public CustomerReader {
public:
    WorkspaceCustomers(Workspace& w, std::string org) : w_(w), org_(std::move(org)) {}
    Result<Customer> get(std::string_view id) const override;
    Result<Customer> get_external(std::string_view external_id) const override;
    void each(const std::function<void(const Customer&)>& f) const override;  // creation order
    const std::vector<MemberPlace>* member_order() const override;
    Customer customer_at(uint32_t slot) const override { return w_.load(slot); }

private:
    Workspace& w_;  // read only: Customers takes a Workspace&
    std::string org_;
};

// The organization's live members matching the query, sorted and paged. A customer filter naming a
// customer the organization cannot see (another organization's, a deleted one, an unknown external
// id) lists nothing, as Polar filters; a `customer_id` that is not a UUID is 404 "Invalid customer ID
// format", as Polar answers. With `of` (a customer already found), only its members.
Result<MemberPage> list_members(const CustomerReader& customers, const json& query, const Customer* of = nullptr);
// A live member of that live customer; 404 when either is unknown or the member is another's.
Result<Member> member_of(const CustomerReader& customers, std::string_view customer_id, std::string_view member_id);
// The live member with that external id of the live customer with that external id.
Result<Member> member_by_external_id(const CustomerReader& customers, std::string_view customer_external_id,
                                     std::string_view member_external_id);

}  // namespace clientele
