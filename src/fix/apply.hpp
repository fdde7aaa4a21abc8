// Applying the fixes of a report all at once: the contract every rule's fixes are written for
// (docs/fixes.md), and the one implementation of it (tests, and later --diff/--fix).
//
// - A fix is applied whole or not at all.
// - An edit identical to one already taken (same file, bytes and replacement) is applied once:
//   fixes that need the same preparatory edit (quoting an .mc list) share it.
// - Edits apply to the original text. At one offset, insertions come before a replacement that
//   starts there, and insertions keep the order of their findings in the report (then their
//   order within the fix).
// - Insertions at one offset that are items of one list (Edit::list_item: same frame, same
//   separator) are written as one: the frame once, at the place of the first, with every item in
//   that order (several fixes each adding a flag to one new PrivacyOptions line).
// - A fix with an edit that overlaps a taken edit otherwise (shared bytes, or an insertion
//   strictly inside replaced bytes) is skipped.
#pragma once

#include "diag/diagnostic.hpp"
#include "source/source.hpp"

#include <map>
#include <string>
#include <vector>

namespace smaudit {

struct FixApplication {
    std::map<FileId, std::string> texts;       // the new text of every file an edit touched
    std::vector<const Diagnostic*> applied;    // findings whose fix was applied
    std::vector<const Diagnostic*> conflicted; // findings whose fix overlapped an applied one
};

// `findings` in report order; those without a fix (or with `safe_only` an unsafe one) are
// ignored.
FixApplication apply_fixes(const SourceSet& sources, const std::vector<const Diagnostic*>& findings,
                           bool safe_only = false);

} // namespace smaudit
