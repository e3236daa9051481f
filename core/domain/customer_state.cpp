#include "domain/customer_state.hpp"

#include "domain/state_json.hpp"

namespace clientele {

Result<json> CustomerState::get(const std::string& org, std::string_view id) const {
    auto slot = w_.find(org, id);
    if (!slot) return slot.error();
    const std::string id_key = w_.view(*slot).id.text();
    auto& cache = w_.state_cache();
    auto it = cache.find(id_key);
    if (it == cache.end()) it = cache.emplace(id_key, state_json(w_.load(*slot))).first;
    return it->second;
}

}  // namespace clientele
