// The field rules of spec §1: turns a create or update request body into validated values,
// reporting every broken rule at once. Rules that need the store (uniqueness) live in store.cpp.
#pragma once
#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "io/json_tree.hpp"
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

// Where a problem is reported, built only when one is (a bulk import checks many fields that pass):
// a location, or a function that answers it.
class LazyLoc {
public:
    LazyLoc(const json& loc) : fixed_(&loc) {}  // NOLINT: a location is a lazy one
    template <class F>
        requires std::invocable<const F&> && (!std::convertible_to<const F&, const json&>)
    LazyLoc(const F& f) : ctx_(&f), fn_([](const void* c) -> json { return (*static_cast<const F*>(c))(); }) {}  // NOLINT
    json operator()() const { return fixed_ ? *fixed_ : fn_(ctx_); }

private:
    const json* fixed_ = nullptr;
    const void* ctx_ = nullptr;
    json (*fn_)(const void*) = nullptr;
};

// The same rules for a value already read (a stored record's), normalized in place as create normalizes
// it: trimmed, empty -> null, bounded; an email normalized; a locale in canonical case. A value that
// breaks a rule is reported at `loc` and left as it was. True when nothing was reported.
bool check_name(std::optional<std::string>& value, LazyLoc loc, Problems& p);
bool check_external_id(std::optional<std::string>& value, LazyLoc loc, Problems& p);
bool check_email(std::string& value, LazyLoc loc, Problems& p);
std::optional<std::string> normalized_email(std::string_view value, LazyLoc loc, Problems& p);  // nullopt: reported
bool check_locale(std::optional<std::string>& value, LazyLoc loc, Problems& p);
// A stored [value, format] pair: what check_tax_id gives for that value and `country` (the value
// re-validated, the format the same). No country: a pair that validates for some country of its format
// (an anonymized record keeps its tax ID without an address).
bool check_tax_id(const TaxId& stored, const std::optional<std::string>& country, LazyLoc loc, Problems& p);

// Metadata (spec §1) in a parsed snapshot line, without building its JSON: the rules of check_metadata.
// `kept(key)`: a reserved key the record may carry (the core wrote it); it neither counts nor is refused.
bool check_metadata(const JsonTree& tree, const JsonTree::Node& object, LazyLoc loc, Problems& p,
                    bool (*kept)(std::string_view key, const void* ctx) = nullptr, const void* ctx = nullptr);

// A canonical UUID, 8-4-4-4-12 hex digits of either case (ids the store keeps).
bool is_uuid(std::string_view id);
inline constexpr const char* kUuidMessage = "Input should be a valid UUID";

// The choices and bounds of billing objects (spec §6; Polar's enums and pydantic bounds). Bounds keep
// every sum and product of these numbers inside int64.
inline constexpr std::array<std::string_view, 7> kSubscriptionStatuses = {
    "incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid"};
inline constexpr std::array<std::string_view, 4> kRecurringIntervals = {"day", "week", "month", "year"};
inline constexpr std::array<std::string_view, 8> kBenefitTypes = {
    "custom", "discord", "github_repository", "downloadables", "license_keys", "meter_credit", "feature_flag",
    "slack_shared_channel"};
inline constexpr int64_t kMaxSubscriptionAmount = 99'999'999'999, kMaxSubscriptionSeats = 1'000'000,
                          kMaxSubscriptionTrialDays = 1000;
// `value` one of `choices`, else an `enum` problem ("Input should be 'a', 'b' ...").
bool check_choice(std::string_view value, std::span<const std::string_view> choices, LazyLoc loc, Problems& p);
// min <= value <= max, else greater_than_equal / less_than_equal.
bool check_range(int64_t value, int64_t min, int64_t max, LazyLoc loc, Problems& p);
// A finite number >= 0 (meter units).
bool check_units(double value, LazyLoc loc, Problems& p);

}  // namespace clientele
