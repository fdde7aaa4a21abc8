// Parses a sendmail.cf into its AST. Never stops at a bad line: each one yields one SM-E
// diagnostic with its exact span, and parsing goes on with the next line.
#pragma once

#include "ast/cf.hpp"
#include "diag/diagnostic.hpp"

#include <vector>

namespace smaudit {

ast::CfFile parse_cf(const SourceSet& sources, FileId file, std::vector<Diagnostic>& diagnostics);

} // namespace smaudit
