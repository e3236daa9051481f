// clientele natively: loads create bodies (JSON Lines on stdin), measures create throughput, bulk load
// of the exported snapshot, and p50/p99 of the benchmark queries. Prints one JSON object.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "domain/store.hpp"

using namespace clientele;
using Clock_ = std::chrono::steady_clock;

namespace {
const std::string kOrg = "bench-org";

double ms_since(Clock_::time_point t) { return std::chrono::duration<double, std::milli>(Clock_::now() - t).count(); }

long peak_rss_kb() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

json measure(const Store& s, const json& query, int runs) {
    std::vector<double> times;
    size_t count = 0;
    for (int i = 0; i < runs + 2; ++i) {
        auto t = Clock_::now();
        auto page = s.list({kOrg}, query);
        const double ms = ms_since(t);
        if (i >= 2) times.push_back(ms);  // two warm-up runs
        count = page ? page->total_count : 0;
    }
    std::sort(times.begin(), times.end());
    const auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<size_t>(q * times.size()))]; };
    return {{"p50", at(0.5)}, {"p99", at(0.99)}, {"count", count}};
}
}  // namespace

int main(int argc, char** argv) {
    const json queries = json::parse(argc > 1 ? argv[1] : "{}");
    // Create every customer, export the snapshot, then drop the bodies and that store, so the import is
    // measured in a process holding only the snapshot text (as the WASM import is, in a fresh module).
    size_t count = 0;
    double create_ms = 0;
    double api_create_ms = 0;
    std::string snapshot;
    {
        std::vector<json> bodies;
        for (std::string line; std::getline(std::cin, line);)
            if (!line.empty()) bodies.push_back(json::parse(line));
        Store created;
        auto t = Clock_::now();
        for (const auto& b : bodies)
            if (!created.create(kOrg, b)) return std::cerr << "create refused: " << b.dump() << "\n", 1;
        create_ms = ms_since(t);
        count = bodies.size();
        snapshot = created.export_snapshot(kOrg);
        // The same creates as the WASM binding makes them: JSON text in, the answer's JSON text out.
        std::vector<std::string> args;
        for (const auto& b : bodies) args.push_back(json{{"organization_id", kOrg}, {"body", b}}.dump());
        Api api;
        t = Clock_::now();
        for (const auto& a : args)
            if (api.call("customers.create", a).rfind(R"({"ok":true)", 0) != 0) return std::cerr << "api create refused\n", 1;
        api_create_ms = ms_since(t);
    }
    const int runs = count >= 1000000 ? 10 : count >= 100000 ? 30 : 100;

    Store loaded;
    auto t = Clock_::now();
    auto report = loaded.import_snapshot(kOrg, snapshot, true);
    const double load_ms = ms_since(t);
    if (!report) return std::cerr << "import refused\n", 1;

    json out = {{"engine", "clientele native"},
                {"create_per_s", count / (create_ms / 1000)},
                {"api_create_per_s", count / (api_create_ms / 1000)},
                {"bulk_load_ms", load_ms},
                {"peak_rss_mb", peak_rss_kb() / 1024.0}};
    json rows = json::object();
    rows["substring3"] = measure(loaded, {{"query", queries["substring3"]}}, runs);
    rows["substring6"] = measure(loaded, {{"query", queries["substring6"]}}, runs);
    rows["email"] = measure(loaded, {{"email", queries["email"]}}, runs);
    rows["externalId"] = measure(loaded, {{"external_id", queries["externalId"]}}, runs);
    rows["metadata"] = measure(loaded, {{"metadata", {{"plan", "pro"}}}}, runs);
    rows["sortedPage1"] = measure(loaded, {{"sorting", "email"}, {"page", 1}}, runs);
    rows["sortedPage500"] = measure(loaded, {{"sorting", "email"}, {"page", 500}}, runs);
    out["rows"] = rows;
    std::cout << out.dump() << "\n";
}
