// The outcome of one audit run, as plain data: what the reporters (terminal, JSON, SARIF) consume.
// Depends on diagnostics and sources only, so reporters never see rules or the engine.
#pragma once

#include "diag/diagnostic.hpp"
#include "source/source.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

// The one place the tool's name and version live (reports, SARIF, --version). A test checks the
// version against project() in CMakeLists.txt, so the two cannot drift apart.
inline constexpr std::string_view kToolName = "smaudit";
inline constexpr std::string_view kToolVersion = "0.1.0";
// Where the tool and its rule pages live (SARIF's informationUri and each rule's helpUri, which is
// this + "docs/rules/<ID>.md"). `.invalid`, like the JSON schemas' $id, until the project has a
// public home: change it here when it does.
inline constexpr std::string_view kToolInformationUri = "https://smaudit.invalid/";

// A pack's score, 0-100, and its grade: "A+", "A", "B", "C", "D" or "F" (docs/scoring.md); or,
// when the run cannot honestly grade the pack, why not.
struct PackScore {
    int score = 100;
    std::string grade = "A+";
    // Empty: graded. Else why there is no grade (score and grade mean nothing then): none or
    // only some of the pack's rules ran, or a configuration could not be built.
    std::string not_graded = {};
    bool ran = true; // false: none of the pack's rules ran; the terminal leaves the pack out
    bool graded() const { return not_graded.empty(); }
    bool operator==(const PackScore&) const = default;
};

// Number of findings per severity, indexed by Severity.
struct SeverityCounts {
    std::array<int, 5> by_severity{};
    int& operator[](Severity s) { return by_severity[static_cast<size_t>(s)]; }
    int operator[](Severity s) const { return by_severity[static_cast<size_t>(s)]; }
    int total() const {
        int sum = 0;
        for (int n : by_severity)
            sum += n;
        return sum;
    }
};

inline SeverityCounts count_severities(const std::vector<Diagnostic>& diagnostics) {
    SeverityCounts counts;
    for (const Diagnostic& d : diagnostics)
        ++counts[d.severity];
    return counts;
}

// A finding that an inline `smaudit: ignore[...]` comment silenced: not reported, not scored,
// not counted for --fail-on, but counted in the summary and listed in JSON with its reason.
struct SuppressedFinding {
    Diagnostic finding;
    std::string reason;     // the comment's text after `]`; empty when it gives none
    Location comment;       // the suppression comment's line
    bool baselined = false; // it used up an entry of --baseline (it was there before)
};

// The host role a configuration was audited as (src/analyze/role.hpp), as the reports show it.
struct ConfigRole {
    FileId file = kNoFile; // the .cf or .mc
    std::string name;      // "mx", "relay-hub", "submission", "client-only", "msp"
    bool given = false;    // from --role; false: detected
    std::string detected;  // the role detection found (== name unless given)
    std::string why;       // what detection found ("every daemon listens on 127.0.0.1")
    bool exposed = false;  // a daemon is reachable from off the host
};

// A fix `--fix` did not write, and why.
struct FixNotApplied {
    std::string path; // the file of the finding
    std::string rule_id;
    std::string message;
    std::string reason;
};

// What `--fix` did, for the reports' summary (absent without --fix).
struct FixingSummary {
    std::vector<std::pair<std::string, int>> applied; // per file written, in path order
    int passes = 0;                                   // audits that applied fixes
    std::vector<FixNotApplied> not_applied;           // fixes offered but not written
    int unsafe_left = 0;                              // unsafe fixes left (no --unsafe-fixes)
    std::vector<std::string> notes; // "rebuild sendmail.cf from sendmail.mc", pass limit
};

// What --baseline did (docs/baselines.md): the findings the baseline lists are left out of the
// report and of --fail-on; the entries no finding of this run matched are counted as gone.
struct BaselineSummary {
    std::string file;
    int matched = 0; // findings of this run the baseline lists: not reported
    int gone = 0;    // baseline entries of rules that ran which no finding matched: fixed
};

// One file a configuration references (alias file, map database, queue directory, ...), as a
// live audit or --root found it: the report opens with these (app/referenced_files.hpp).
struct ReferencedFileRow {
    std::string role;             // "alias file", "map database", ...
    std::string path;             // as sendmail names it (inside --root)
    std::string named_by;         // "AliasFile", "K access", "F{R}", ...
    std::string status;           // "present", "missing", "outside-root", "unreadable"
    std::optional<uint64_t> size; // present regular files
    std::string mode;             // present: "0644"
    std::optional<uint32_t> uid, gid;
    std::string why; // outside-root, unreadable: in words
};

struct AuditResult {
    std::vector<FileId> files;                 // every file audited, in the order to list them
    std::vector<Diagnostic> diagnostics;       // reporters print them in sorted_diagnostics order
    std::vector<SuppressedFinding> suppressed; // in report order (sort_diagnostics)
    std::map<Pack, PackScore> scores;          // Security and Performance (grade_packs)
    std::vector<ConfigRole> roles;             // one per configuration the rules ran on
    std::optional<FixingSummary> fixing;       // set by --fix
    std::optional<BaselineSummary> baseline;   // set when --baseline was given
    // The files the configurations reference, each once, when the audit looked at them (the
    // live /etc/mail or --root; `root` is that directory); empty otherwise.
    std::string root;
    std::vector<ReferencedFileRow> referenced;
};

} // namespace smaudit
