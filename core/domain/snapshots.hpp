// An organization's records as JSON Lines (domain/snapshot.hpp's line format) out and in: export in
// creation order, an import that checks every line (organization, ids, uniqueness against the store and
// the rest of the batch) before loading any, and the write-through helpers of persistence.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "domain/workspace.hpp"
#include "io/line_source.hpp"

namespace clientele {

// Some customers' snapshot lines: line i of `jsonl` is the record of ids[i].
struct SnapshotLines {
    std::vector<std::string> ids;
    std::string jsonl;
};

struct ImportReport {
    size_t imported = 0;
    std::vector<ErrorDetail> failed;  // one entry per unreadable line, loc ["line", N, ...]
    SnapshotLines lines;              // the customers loaded, in line order, each as snapshot.lines writes
                                      // it (with ImportOptions::report_lines)
};

struct ImportOptions {
    bool atomic = true;             // any bad line refuses the whole import; else bad lines are reported
    bool replace_existing = false;  // a line whose id the organization has replaces that record
    bool report_lines = false;      // ImportReport::lines holds the loaded customers' lines (to store them)
    bool trusted = false;           // Polar's own records (spec §9): types and keys checked, not the create
                                    // rules; values, and an anonymized record's redacted form, kept as given
};

class Snapshots {
public:
    explicit Snapshots(Workspace& w) : w_(w) {}
    // Every record of the organization, creation order, one line each.
    std::string export_all(const std::string& org) const;
    // Lines read from `lines` once (twice with replace_existing, to find what they replace).
    Result<ImportReport> import(const std::string& org, LineSource& lines, ImportOptions options);
    // Drops these customers entirely, bytes zeroed (undoing changes storage could not keep); answers the count.
    size_t forget(const std::string& org, const std::vector<std::string>& ids);
    // The lines of these customers (deleted ones included), for write-through persistence.
    json records(const std::string& org, const std::vector<std::string>& ids) const;
    // The same as JSON Lines text (ids this organization does not hold left out), for storage that keeps
    // the core's lines as they are.
    SnapshotLines lines(const std::string& org, const std::vector<std::string>& ids) const;

private:
    Workspace& w_;
};

}  // namespace clientele
