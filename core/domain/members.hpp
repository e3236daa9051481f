// Team members (spec §2): add, list, read, update role, remove, with the owner and seat rules.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/workspace.hpp"

namespace clientele {

// The seat limit of a team: the seats of its current seat-based subscriptions (none: unlimited).
std::optional<int64_t> seat_limit(const Customer& c);

class Members {
public:
    explicit Members(Workspace& w) : w_(w) {}
    Result<Member> add(const std::string& org, std::string_view customer_id, const json& body);
    Result<std::vector<Member>> list(const std::string& org, std::string_view customer_id) const;
    Result<Member> get(const std::string& org, std::string_view member_id) const;
    Result<Member> update(const std::string& org, std::string_view member_id, const json& body);
    Result<Unit> remove(const std::string& org, std::string_view member_id);

private:
    // The customer's slot and the member's index in it, for a live member of a live customer of org.
    Result<std::pair<uint32_t, size_t>> find(const std::string& org, std::string_view member_id) const;

    Workspace& w_;
};

}  // namespace clientele
