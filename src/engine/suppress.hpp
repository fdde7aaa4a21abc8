// Inline suppressions written in the configuration itself:
//   # smaudit: ignore[SM-S020,SM-S023] reason      (.cf, access, aliases: the next line)
//   dnl smaudit: ignore[SM-S020] reason           (.mc)
//   # smaudit: ignore-file[SM-P004] reason        (the whole file)
// A rule may be named by ID or by name.
#pragma once

#include "diag/audit_result.hpp"
#include "diag/diagnostic.hpp"

#include <vector>

namespace smaudit {

// Moves the diagnostics that a suppression comment covers from `diagnostics` to the end of
// `suppressed`, each with the comment's reason. Findings about a default (no line) are covered
// by an ignore-file comment in any of `config_files`.
void apply_suppressions(const SourceSet& sources, const std::vector<FileId>& config_files,
                        std::vector<Diagnostic>& diagnostics,
                        std::vector<SuppressedFinding>& suppressed);

} // namespace smaudit
