// libFuzzer target for every JSON entry point of the core: the first byte picks the method, the rest is
// the arguments' JSON text. A few customers exist beforehand so updates, members and deletes reach real
// records. The store must never crash, and every answer must be a well-formed envelope.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "api/api.hpp"

namespace {
const char* const kMethods[] = {
    "customers.create", "customers.update", "customers.list", "customers.get", "customers.getExternal",
    "customers.delete", "customers.getState", "customers.validate", "customers.validateUpdate", "members.create",
    "members.list", "members.update", "members.delete", "checkouts.complete", "orders.create", "subscriptions.create",
    "subscriptions.update", "benefits.grant", "meters.record", "snapshot.import", "snapshot.export", "events.since",
    "webhooks.sign", "webhooks.verify", "customers.export", "members.createExternal", "members.getExternal",
    "members.updateExternal", "members.deleteExternal", "snapshot.lines", "replica.apply", "members.validate",
};
constexpr size_t kCount = sizeof(kMethods) / sizeof(kMethods[0]);

// A store with a few customers, started afresh every 5,000 inputs so memory stays bounded.
clientele::Api& api() {
    static std::unique_ptr<clientele::Api> instance;
    static size_t uses = 0;
    if (!instance || ++uses % 5000 == 0) {
        instance = std::make_unique<clientele::Api>();
        for (int i = 0; i < 3; ++i)
            instance->call("customers.create", std::string_view(R"({"organization_id":"org","body":{"email":"seed)" + std::to_string(i) +
                                                                R"(@example.com","type":"team","external_id":"x)" + std::to_string(i) + R"("}})"));
    }
    return *instance;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const char* method = kMethods[data[0] % kCount];
    const std::string_view args(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string out = api().call(method, args);
    const auto envelope = clientele::json::parse(out, nullptr, false);
    if (envelope.is_discarded() || !envelope.is_object() || !envelope.contains("ok")) std::abort();
    return 0;
}
