// `smaudit audit --fix` and `--diff`: the fixes of a report, proven before they are written.
//
// In passes: audit (in memory, from the texts fixed so far), take the fixes the options allow
// (safe ones; unsafe ones too with --unsafe-fixes) in report order, apply them together
// (src/fix/apply.hpp: a fix overlapping one taken is deferred to the next pass), then audit the
// fixed texts again, all rules, with smaudit's own m4 engine. The pass is kept only when that
// audit has no syntax or m4 diagnostic (SM-E) the texts before it did not have, and none of the
// fixed findings remains; otherwise the fixes are tried one by one and each that fails is left
// out with the reason. Passes run until nothing more applies, at most kMaxFixPasses.
//
// A fix of a .cf audited with the .mc it is generated from (sendmail.cf beside sendmail.mc) is
// not applied: rebuilding the .cf would undo it, and the .mc's findings carry the fixes.
#pragma once

#include "app/audit.hpp"
#include "fix/write.hpp"

#include <string>
#include <vector>

namespace smaudit {

inline constexpr int kMaxFixPasses = 10;

// A file the fixes change.
struct FixedFile {
    std::string path; // as discovered
    std::string original, fixed;
    FileStamp stamp; // when it was read: write_fixed_file writes nothing if it changed since
    int fixes = 0;   // fixes applied to it
};

struct FixPlan {
    std::vector<FixedFile> files;       // in path order; only files whose text changes
    FixingSummary summary;              // passes, fixes not applied and why, notes
    std::vector<DiscoveryError> errors; // of the first audit (unreadable paths)
    bool read_anything = false;         // the first audit read at least one file
};

// The fixes `request` (its paths and --select/--ignore/--pack) allows, proven and applied in
// memory; nothing is written. `unsafe`: unsafe fixes too.
FixPlan plan_fixes(const AuditRequest& request, bool unsafe);

} // namespace smaudit
