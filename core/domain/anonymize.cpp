#include "domain/anonymize.hpp"

#include "util/sha256.hpp"

namespace clientele {

namespace {
constexpr const char* kDeleted = "[deleted]";

// Overwrites a string's bytes before it is replaced, so freed heap keeps no copy of it.
void scrub(std::optional<std::string>& s) {
    if (s) std::fill(s->begin(), s->end(), '\0');
}
void scrub(std::string& s) { std::fill(s.begin(), s.end(), '\0'); }
}  // namespace

void scrub_personal(Customer& c) {
    scrub(c.email);
    scrub(c.name);
    scrub(c.billing_name);
    if (c.billing_address)
        for (auto* f : {&c.billing_address->line1, &c.billing_address->line2, &c.billing_address->postal_code,
                        &c.billing_address->city, &c.billing_address->state})
            scrub(*f);
    for (auto& m : c.members) scrub(m.email), scrub(m.name);
}

std::string anonymized_email(const std::string& id) { return sha256_hex(id) + "@anonymized.invalid"; }

bool is_anonymized(const Customer& c) { return c.anonymized_at.has_value(); }

void anonymize(Customer& c, Millis now) {
    if (is_anonymized(c)) return;
    c.anonymized_at = now;
    redact_personal(c);
    c.metadata["__anonymized_at"] = format_rfc3339(now);
}

void redact_personal(Customer& c) {
    const std::optional<std::string> business_name = c.tax_id ? c.name : std::nullopt;
    const bool had_billing_name = c.billing_name.has_value();
    scrub_personal(c);
    c.email = anonymized_email(c.id);
    c.email_verified = false;
    c.name = c.tax_id ? business_name : std::optional<std::string>(kDeleted);
    c.billing_name = had_billing_name ? std::optional<std::string>(kDeleted) : std::nullopt;
    c.billing_address.reset();
    c.avatar_url.reset();
    for (auto& m : c.members) {
        m.email = anonymized_email(m.id);
        m.name = kDeleted;
    }
}

void redact_event(json& data, const std::string& type, const Customer& anonymized) {
    if (type.rfind("member.", 0) == 0) {
        for (const auto& m : anonymized.members)
            if (data.value("id", "") == m.id) data["email"] = m.email, data["name"] = m.name ? json(*m.name) : json();
        return;
    }
    const json now = to_json(anonymized);
    for (const char* key : {"email", "email_verified", "name", "billing_name", "billing_address", "avatar_url"})
        if (data.contains(key)) data[key] = now[key];
}

void redact_events(EventLog& log, const Customer& anonymized) {
    log.rewrite(anonymized.id, [&](const std::string& type, const std::string& text) {
        json data = json::parse(text);
        redact_event(data, type, anonymized);
        return data.dump(-1, ' ', false, json::error_handler_t::replace);
    });
}

}  // namespace clientele
