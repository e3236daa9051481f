// The field rules of spec §1: turns a create or update request body into validated values,
// reporting every broken rule at once. Rules that need the store (uniqueness) live in store.cpp.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "model/customer.hpp"
#include "model/fields.hpp"

namespace clientele {

struct Limits {
    static constexpr size_t name = 256, external_id = 256, address_line = 256, tax_id = 64, locale = 64;
    static constexpr size_t metadata_keys = 50, metadata_key = 40, metadata_value = 500;
};

struct OwnerInput {
    std::string email;
    std::optional<std::string> name, external_id;
};

struct CustomerCreate {
    CustomerType type = CustomerType::Individual;
    std::optional<std::string> email, name, billing_name, external_id, locale;
    bool email_verified = false;
    std::optional<Address> billing_address;
    std::optional<TaxId> tax_id;
    json metadata = json::object();
    std::optional<OwnerInput> owner;
};

struct CustomerUpdate {
    Field<std::string> email, name, billing_name, external_id, locale, tax_id;
    Field<Address> billing_address;
    Field<CustomerType> type;
    Field<json> metadata;
};

// Metadata keys the core keeps for itself (spec §5: `__external_id`, `__anonymized_at`): every key that
// starts with "__" is refused wherever a caller writes metadata.
bool is_reserved_metadata_key(std::string_view key);
inline constexpr const char* kReservedMetadataKey = "Metadata keys starting with '__' are reserved.";

CustomerCreate parse_create(const json& body, Problems& p);
CustomerUpdate parse_update(const json& body, Problems& p);

// Field checkers shared by create, update, members and checkout inputs.
std::optional<std::string> check_email(const Field<std::string>& f, const json& loc, Problems& p);
std::optional<std::string> check_name(const Field<std::string>& f, const json& loc, Problems& p);
std::optional<std::string> check_external_id(const Field<std::string>& f, const json& loc, Problems& p);
Field<Address> check_address(const json& body, const json& loc, Problems& p);
json check_metadata(const json& value, const json& loc, Problems& p);
// Validates a raw tax ID against `country` (nullopt: no country known) -> the normalized TaxId.
std::optional<TaxId> check_tax_id(const std::string& raw, const std::optional<std::string>& country, Problems& p);

}  // namespace clientele
