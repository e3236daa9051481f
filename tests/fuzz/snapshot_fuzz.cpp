// libFuzzer target for snapshot import (JSON Lines): an atomic import either loads every line or leaves
// the organization's export byte-identical; whatever loads exports and re-imports to the same bytes; and
// the flat JsonTree the import reads with agrees with nlohmann's DOM on every input.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/api.hpp"
#include "io/json_text.hpp"
#include "io/json_tree.hpp"

namespace {
clientele::Store seeded() {
    clientele::Api api;
    for (int i = 0; i < 3; ++i)
        (void)api.call("customers.create", std::string_view(R"({"organization_id":"org","body":{"email":"seed)" + std::to_string(i) +
                                                         R"(@example.com","type":"team","external_id":"x)" + std::to_string(i) + R"("}})"));
    return std::move(api.store());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view jsonl(reinterpret_cast<const char*>(data), size);
    clientele::JsonTree tree;
    const auto dom = clientele::parse_json_text(jsonl);
    if (bool(tree.parse(jsonl)) != bool(dom) || (dom && tree.to_json(tree.root()) != dom.value())) std::abort();
    clientele::Store store = seeded();
    const std::string before = store.export_snapshot("org");
    const bool replace = size > 0 && (data[0] & 1);
    auto report = store.import_snapshot("org", jsonl, /*atomic=*/true, replace);
    const std::string after = store.export_snapshot("org");
    if (!report && after != before) std::abort();  // a refused import changed the store
    if (report && !report.value().failed.empty()) std::abort();
    clientele::Store copy;
    auto again = copy.import_snapshot("org", after, true);
    if (!again || copy.export_snapshot("org") != after) std::abort();  // export is not a fixed point
    return 0;
}
