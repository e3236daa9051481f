// libFuzzer target for the core's own JSON parser (core/json_tree.*): on every input it must give the same
// verdict as nlohmann's parser, and on accepted input the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "io/json_text.hpp"
#include "io/json_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    static clientele::JsonTree tree;
    const auto dom = clientele::parse_json_text(text);
    const bool ok = bool(tree.parse(text));
    if (ok != bool(dom)) std::abort();
    if (ok && tree.to_json(tree.root()) != dom.value()) std::abort();
    return 0;
}
