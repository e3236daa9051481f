#include "domain/deletion.hpp"

#include "domain/anonymize.hpp"
#include "rules/subscriptions.hpp"

namespace clientele {

namespace {
void cancel_billing(Customer& c, Millis now) {
    for (auto& s : c.subscriptions)
        if (is_active_subscription(s)) s.status = "canceled", s.canceled_at = now, s.ends_at = now, s.modified_at = now;
    for (auto& g : c.grants)
        if (!g.revoked_at) g.revoked_at = now, g.modified_at = now;
}

void soft_delete(Customer& c, Millis now) {
    c.deleted_at = now;
    if (c.external_id) {
        c.metadata["__external_id"] = *c.external_id;  // frees the id for a new customer
        c.external_id.reset();
    }
}
}  // namespace

Result<Customer> Deletion::remove(const std::string& org, std::string_view id, bool anonymize_it) {
    const auto found = w_.slot_of_id(id);
    if (!found || w_.org_of(*found) != org) return not_found();
    const uint32_t slot = *found;
    Customer old = w_.load(slot);
    if (old.deleted_at && !anonymize_it) return not_found();
    if (old.deleted_at && is_anonymized(old)) return old;  // anonymizing again: a no-op that succeeds
    const Millis now = w_.now();
    Customer next = old;
    const bool deleting = !old.deleted_at;
    std::vector<size_t> removed_members;
    if (deleting) {
        cancel_billing(next, now);
        for (size_t i = 0; i < next.members.size(); ++i)
            if (!next.members[i].deleted_at) next.members[i].deleted_at = now, removed_members.push_back(i);
        soft_delete(next, now);
    }
    if (anonymize_it) anonymize(next, now);
    scrub_personal(old);  // this copy's bytes; save() zeroes the stored ones as it overwrites them
    w_.replace(slot, next);
    const Customer& saved = next;
    for (size_t i : removed_members) w_.emit_member("member.deleted", org, saved.members[i]);
    if (deleting) {
        w_.emit("customer.deleted", saved);
        w_.emit_state(saved);
    }
    if (anonymize_it) {
        redact_events(w_.events(), saved);
        w_.erased_personal_data();
    }
    return saved;
}

}  // namespace clientele
