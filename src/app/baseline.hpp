// Baselines (docs/baselines.md): `--write-baseline FILE` records the findings of a run by their
// fingerprint (rule, file, the flagged line with blanks normalised: report/fingerprint.hpp, the
// one SARIF uses); `--baseline FILE` then leaves the findings it lists out of the report and
// counts the entries no finding matched any more (fixed). The file is JSON,
// docs/schema/baseline-v1.schema.json.
#pragma once

#include "app/audit.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

inline constexpr int kBaselineVersion = 1;

struct BaselineEntry {
    std::string rule;
    std::string path; // relative to the audited root (baseline_path)
    std::string fingerprint;
    std::string message; // for the reader; not matched
};

struct Baseline {
    std::vector<BaselineEntry> entries;
};

// A file's path as the baseline records it: relative to the audited root it was found under (a
// directory given on the command line, or the directory of a file given), so that the same
// tree checked out elsewhere, or audited from another working directory, matches; absolute when
// it is under none of them (a file of sendmail's cf tree an .mc reads).
std::string baseline_path(std::string_view file, const std::vector<std::string>& audited_paths);

// The baseline of a run's reported findings (suppressed ones are not recorded).
Baseline make_baseline(const AuditRun& run, const std::vector<std::string>& audited_paths);
std::string baseline_json(const Baseline& baseline);

// Reads a baseline file. False with a message that starts with where: "PATH: $.findings[3]...:
// what is wrong" (the JSON path), "PATH:LINE:COLUMN: not valid JSON: ..." (a syntax error).
bool read_baseline(const std::string& path, Baseline& baseline, std::string& error);

// Moves the findings the baseline lists out of run.result.diagnostics (each entry matches one
// finding; suppressed findings use up entries too, without being moved) and sets
// run.result.baseline. Entries of rules that did not run (RULE_RAN false) are neither matched
// nor gone.
void apply_baseline(AuditRun& run, const Baseline& baseline, const std::string& file,
                    const std::vector<std::string>& audited_paths,
                    const std::function<bool(std::string_view rule_id)>& rule_ran);

} // namespace smaudit
