// The billing objects behind customer state (subscriptions, benefit grants, meters) and the automatic
// creation of spec §6: a checkout, order or subscription for an email reuses that organization's live
// customer with the email, else creates one; a completed checkout verifies the email.
#include "domain/billing.hpp"

#include <algorithm>
#include <span>

#include "domain/customers.hpp"
#include "rules/validation.hpp"

namespace clientele {

namespace {
// Request fields read with the billing rules of rules/validation (the ones an import checks too).
std::optional<std::string> one_of(const Field<std::string>& f, std::span<const std::string_view> choices,
                                  std::string_view key, Problems& p) {
    if (!f.set() || !check_choice(f.value, choices, body_at(key), p)) return std::nullopt;
    return f.value;
}

std::optional<double> units(const json& body, std::string_view key, Problems& p) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) {
        p.add(body_at(key), "greater_than_equal", "Input should be a number greater than or equal to 0", *it);
        return std::nullopt;
    }
    if (!check_units(it->get<double>(), body_at(key), p)) return std::nullopt;
    return it->get<double>();
}

std::optional<int64_t> bounded(const json& body, std::string_view key, int64_t min, int64_t max, Problems& p) {
    auto f = read_int(body, key, body_loc(), p);
    if (!f.set() || !check_range(f.value, min, max, body_at(key), p)) return std::nullopt;
    return f.value;
}

// The customer part of a checkout/order/subscription: email required, US/CA addresses need a state.
void check_buyer(const json& body, const json& loc, Problems& p) {
    if (!require_object(body, loc, p)) return;
    forbid_unknown(body, {"email", "name", "billing_address", "tax_id", "external_id", "locale", "metadata"}, loc, p);
    if (!body.contains("email") || body["email"].is_null()) p.add(loc_append(loc, "email"), "missing", "Field required");
    auto a = body.find("billing_address");
    if (a != body.end() && a->is_object()) {
        const std::string country = a->value("country", json("")).is_string() ? a->value("country", "") : "";
        const bool needs_state = country == "US" || country == "us" || country == "CA" || country == "ca";
        const json state = a->value("state", json());
        if (needs_state && (!state.is_string() || trim(state.get<std::string>()).empty()))
            p.add(loc_append(loc_append(loc, "billing_address"), "state"), "missing",
                  "State is required for US and CA addresses.");
    }
}
}  // namespace

Result<uint32_t> Billing::find_or_create(const std::string& org, const json& body, bool verify) {
    Problems p;
    check_buyer(body, body_loc(), p);
    if (!p.empty()) return p.to_error();
    auto email = check_email(read_string(body, "email", body_loc(), p), body_at("email"), p);
    if (!p.empty()) return p.to_error();
    if (auto slot = w_.live_by_email(org, *email)) {
        Customer c = w_.load(*slot);
        if (verify && !c.email_verified) {
            c.email_verified = true;
            c.modified_at = w_.now();
            w_.replace(*slot, c);
            w_.emit("customer.updated", c);
            w_.emit_state(c);
        }
        return *slot;
    }
    json create_body = body;
    create_body["email_verified"] = verify;
    auto created = Customers(w_).create(org, create_body);
    if (!created) return created.error();
    return *w_.slot_of_id(created->id);
}

Result<Customer> Billing::record_checkout(const std::string& org, const json& body) {
    auto slot = find_or_create(org, body, true);
    if (!slot) return slot.error();
    return w_.load(*slot);
}

Result<Customer> Billing::record_order(const std::string& org, const json& body) {
    auto slot = find_or_create(org, body, false);
    if (!slot) return slot.error();
    return w_.load(*slot);
}

Result<Subscription> Billing::record_subscription(const std::string& org, const json& body) {
    Problems p;
    if (!require_object(body, body_loc(), p)) return p.to_error();
    forbid_unknown(body, {"customer_id", "customer", "status", "amount", "currency", "recurring_interval", "product_id",
                          "seats", "trial_days", "metadata"},
                   body_loc(), p);
    Subscription s;
    s.status = one_of(read_string(body, "status", body_loc(), p), kSubscriptionStatuses, "status", p).value_or("active");
    s.recurring_interval =
        one_of(read_string(body, "recurring_interval", body_loc(), p), kRecurringIntervals, "recurring_interval", p).value_or("month");
    s.amount = bounded(body, "amount", 0, kMaxSubscriptionAmount, p).value_or(0);
    s.currency = read_string(body, "currency", body_loc(), p).as_optional().value_or("usd");
    auto product = read_string(body, "product_id", body_loc(), p);
    if (!product.set() || trim(product.value).empty()) p.add(body_at("product_id"), "missing", "Field required");
    s.product_id = product.value;
    s.seats = bounded(body, "seats", 1, kMaxSubscriptionSeats, p);
    auto trial_days = bounded(body, "trial_days", 0, kMaxSubscriptionTrialDays, p);
    if (auto m = body.find("metadata"); m != body.end() && !m->is_null()) s.metadata = check_metadata(*m, body_at("metadata"), p);
    auto customer_id = read_string(body, "customer_id", body_loc(), p);
    auto buyer = body.find("customer");
    if (!customer_id.set() && buyer == body.end()) p.add(body_at("customer_id"), "missing", "Give customer_id or customer");
    if (!customer_id.set() && buyer != body.end()) check_buyer(*buyer, body_at("customer"), p);
    if (!p.empty()) return p.to_error();

    auto slot = customer_id.set() ? w_.find(org, customer_id.value) : find_or_create(org, *buyer, false);
    if (!slot) return slot.error();
    const Millis now = w_.now();
    s.id = w_.new_id();
    s.created_at = s.started_at.emplace(now);
    s.current_period_start = now;
    const Millis day = 86400000;
    const Millis period = s.recurring_interval == "day" ? day : s.recurring_interval == "week" ? 7 * day
                        : s.recurring_interval == "year" ? 365 * day : 30 * day;
    s.current_period_end = now + period;
    if (trial_days && *trial_days > 0) s.trial_start = now, s.trial_end = now + *trial_days * day;
    Customer next = w_.load(*slot);
    next.subscriptions.push_back(s);
    w_.replace(*slot, next);
    w_.emit_state(next);
    return s;
}

Result<Subscription> Billing::update_subscription(const std::string& org, std::string_view id, const json& body) {
    const auto child = w_.slot_of_child(id);
    if (!w_.live_in(org, child)) return not_found();
    const uint32_t slot = *child;
    Customer next = w_.load(slot);
    auto sub = std::find_if(next.subscriptions.begin(), next.subscriptions.end(), [&](auto& s) { return s.id == id; });
    if (sub == next.subscriptions.end()) return not_found();
    Problems p;
    if (!require_object(body, body_loc(), p)) return p.to_error();
    forbid_unknown(body, {"status", "cancel_at_period_end", "seats"}, body_loc(), p);
    auto status = one_of(read_string(body, "status", body_loc(), p), kSubscriptionStatuses, "status", p);
    auto cancel = read_bool(body, "cancel_at_period_end", body_loc(), p);
    auto seats = bounded(body, "seats", 1, kMaxSubscriptionSeats, p);
    if (!p.empty()) return p.to_error();
    const Millis now = w_.now();
    if (status) {
        if (*status == "canceled" && sub->status != "canceled") sub->canceled_at = now, sub->ends_at = now;
        sub->status = *status;
    }
    if (cancel.set()) sub->cancel_at_period_end = cancel.value;
    if (seats) sub->seats = seats;
    sub->modified_at = now;
    const Subscription saved = *sub;
    w_.replace(slot, next);
    w_.emit_state(next);
    return saved;
}

Result<BenefitGrant> Billing::grant_benefit(const std::string& org, std::string_view customer_id, const json& body) {
    auto slot = w_.find(org, customer_id);
    if (!slot) return slot.error();
    Problems p;
    if (!require_object(body, body_loc(), p)) return p.to_error();
    forbid_unknown(body, {"benefit_id", "benefit_type", "benefit_metadata", "properties"}, body_loc(), p);
    BenefitGrant g;
    auto benefit = read_string(body, "benefit_id", body_loc(), p);
    if (!benefit.set() || trim(benefit.value).empty()) p.add(body_at("benefit_id"), "missing", "Field required");
    g.benefit_id = benefit.value;
    g.benefit_type = one_of(read_string(body, "benefit_type", body_loc(), p), kBenefitTypes, "benefit_type", p).value_or("custom");
    if (auto m = body.find("benefit_metadata"); m != body.end() && !m->is_null())
        g.benefit_metadata = check_metadata(*m, body_at("benefit_metadata"), p);
    if (auto f = read_object(body, "properties", body_loc(), p); f.set()) g.properties = f.value;
    if (!p.empty()) return p.to_error();
    g.id = w_.new_id();
    g.created_at = g.granted_at = w_.now();
    Customer next = w_.load(*slot);
    next.grants.push_back(g);
    w_.replace(*slot, next);
    w_.emit_state(next);
    return g;
}

Result<Unit> Billing::revoke_benefit(const std::string& org, std::string_view grant_id) {
    const auto slot = w_.slot_of_child(grant_id);
    if (!w_.live_in(org, slot)) return not_found();
    Customer next = w_.load(*slot);
    auto g = std::find_if(next.grants.begin(), next.grants.end(), [&](auto& x) { return x.id == grant_id; });
    if (g == next.grants.end() || g->revoked_at) return not_found();
    g->revoked_at = g->modified_at = w_.now();
    w_.replace(*slot, next);
    w_.emit_state(next);
    return Unit{};
}

Result<Meter> Billing::record_meter(const std::string& org, std::string_view customer_id, const json& body) {
    auto slot = w_.find(org, customer_id);
    if (!slot) return slot.error();
    Problems p;
    if (!require_object(body, body_loc(), p)) return p.to_error();
    forbid_unknown(body, {"meter_id", "consumed_units", "credited_units"}, body_loc(), p);
    auto meter_id = read_string(body, "meter_id", body_loc(), p);
    if (!meter_id.set() || trim(meter_id.value).empty()) p.add(body_at("meter_id"), "missing", "Field required");
    const double consumed = units(body, "consumed_units", p).value_or(0);
    const double credited = units(body, "credited_units", p).value_or(0);
    if (!p.empty()) return p.to_error();
    Customer next = w_.load(*slot);
    const Millis now = w_.now();
    auto m = std::find_if(next.meters.begin(), next.meters.end(), [&](auto& x) { return x.meter_id == meter_id.value; });
    if (m == next.meters.end()) {
        Meter fresh;
        fresh.id = w_.new_id();
        fresh.created_at = now;
        fresh.meter_id = meter_id.value;
        m = next.meters.insert(next.meters.end(), std::move(fresh));
    } else {
        m->modified_at = now;
    }
    m->consumed_units += consumed;
    m->credited_units += credited;
    const Meter saved = *m;
    w_.replace(*slot, next);
    w_.emit_state(next);
    return saved;
}

}  // namespace clientele
