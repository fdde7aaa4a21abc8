// GitHub Actions annotations (docs/ci.md): one workflow command per reported finding,
// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`, which the runner turns
// into an annotation on the file's line in the run and in the pull request.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
#pragma once

#include "diag/audit_result.hpp"
#include "source/source.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace smaudit::report {

// The command of a finding of this severity: error for critical and high, warning for medium,
// notice for low and info: SARIF's levels (sarif_level), GitHub's name for note.
std::string_view github_command(Severity severity);

// Escaping as the runner unescapes (actions/toolkit, packages/core/src/command.ts): in the
// message `%` `\r` `\n` become %25 %0D %0A; in a property value `:` and `,` also become %3A %2C
// (they end a property). `%` first, so an escape is never escaped twice.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

// Writes one line per reported finding, in report order; suppressed findings get none. Paths are
// relative to ROOT (the working directory: run smaudit in the repository's root, where the
// runner resolves `file=`), absolute outside it. line/endLine and col/endColumn are the span's
// first and last character, 1-based and inclusive; col/endColumn only when both are on one line
// (GitHub takes no columns across lines). A finding without a place names its file only, and
// its message says why it has no line.
void write_github(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                  std::string_view root);

} // namespace smaudit::report
