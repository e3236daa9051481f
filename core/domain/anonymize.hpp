// GDPR anonymization (spec §5): the field table applied to a deleted customer, and the redaction
// of event payloads that still carry the old personal data.
#pragma once
#include "domain/events.hpp"
#include "model/customer.hpp"

namespace clientele {

bool is_anonymized(const Customer& c);      // Customer::anonymized_at, which only anonymize() sets
void anonymize(Customer& c, Millis now);    // the table of spec §5, members included; marks the record
// The table of spec §5 over the personal fields alone (metadata untouched): what an anonymized record
// holds. Idempotent: an import applies it again to every record marked anonymized.
void redact_personal(Customer& c);
void scrub_personal(Customer& c);           // zero-fills the bytes of every personal string in place
std::string anonymized_email(const std::string& id);  // sha256_hex(id) + "@anonymized.invalid"
// Overwrites the personal fields of an event payload (customer, state or member) from the anonymized record.
void redact_event(json& data, const std::string& type, const Customer& anonymized);
// Every event the log holds about this customer, redacted so.
void redact_events(EventLog& log, const Customer& anonymized);

}  // namespace clientele
