// Shared fixtures for the core tests: a store with a fixed clock and seeded ids, and helpers
// that read a Result or an error's 422 detail.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include "api/api.hpp"
#include "domain/store.hpp"

namespace clientele::testing {

inline const std::string kOrg = "11111111-1111-4111-8111-111111111111";
inline const std::string kOtherOrg = "22222222-2222-4222-8222-222222222222";

// A store whose clock starts at 2026-01-01 and advances 1 s per reading.
inline Store make_store() {
    auto t = std::make_shared<Millis>(1767225600000);
    return Store(Clock([t] { return *t += 1000; }), IdGenerator(42));
}

// Api::call for kOrg, the envelope parsed.
inline json call(Api& api, const std::string& method, json args) {
    args["organization_id"] = kOrg;
    return json::parse(api.call(method, std::string_view(args.dump())));
}

inline json detail_of(const Error& e) {
    json out = json::array();
    for (const auto& d : e.detail) out.push_back({{"type", d.type}, {"loc", d.loc}, {"msg", d.msg}});
    return out;
}

// True when the error carries a detail entry at `loc` whose message contains `msg`.
inline bool has_problem(const Error& e, const json& loc, const std::string& msg) {
    for (const auto& d : e.detail)
        if (d.loc == loc && d.msg.find(msg) != std::string::npos) return true;
    return false;
}

// The value of a successful result, by value (safe in range-for over a temporary).
template <class T>
T ok(const Result<T>& r) {
    if (!r) ADD_FAILURE() << "expected success, got: " << json{{"kind", int(r.error().kind)}, {"detail", detail_of(r.error())}, {"message", r.error().message}}.dump();
    return r.value();
}

// A snapshot of everything a refused call must leave unchanged.
inline std::string fingerprint(const Store& s, const std::string& org = kOrg) {
    auto page = s.list({org}, json{{"limit", 100}});
    json out = json::array();
    for (const Customer& c : page.value().items) {
        json j = to_json(c);
        json members = json::array();
        for (const auto& m : c.members) members.push_back(to_json(m));
        j["members"] = members;
        out.push_back(j);
    }
    return out.dump() + "#" + std::to_string(s.events().last_seq());
}

}  // namespace clientele::testing
