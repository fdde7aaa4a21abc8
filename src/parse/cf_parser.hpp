// Parses a sendmail.cf into its AST. Never stops at a bad line: each one yields one SM-E
// diagnostic with its exact span, and parsing goes on with the next line.
#pragma once

#include "ast/cf.hpp"
#include "diag/diagnostic.hpp"
#include "diag/syntax_code.hpp"

#include <span>
#include <string_view>
#include <vector>

namespace smaudit {

ast::CfFile parse_cf(const SourceSet& sources, FileId file, std::vector<Diagnostic>& diagnostics);

// The syntax diagnostics parse_cf can emit (pack Syntax), for rule listings and SARIF. Each has
// its page docs/rules/<id>.md.
std::span<const SyntaxCode> cf_syntax_rules();

} // namespace smaudit
