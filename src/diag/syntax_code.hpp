// A syntax code (SM-E...): a diagnostic a parser or the model builder reports about a line
// sendmail, m4, makemap or newaliases would reject or misread. Each parser keeps the table of its
// own codes beside the code that emits them; the rule registry merges the tables so the codes
// are listed, explained and selectable like rules (docs/rules/<id>.md is each one's page).
#pragma once

#include "diag/diagnostic.hpp"

#include <string>
#include <string_view>

namespace smaudit {

struct SyntaxCode {
    std::string_view id;      // "SM-E003"
    std::string_view name;    // "malformed-rule"
    Severity severity;        // default; one diagnostic may carry another (its message says why)
    std::string_view summary; // one line; empty: the registry takes its doc page's first line
};

inline Diagnostic make_syntax_diagnostic(const SyntaxCode& code, Location where,
                                         std::string message, std::string label = {}) {
    Diagnostic d;
    d.rule_id = std::string(code.id);
    d.rule_name = std::string(code.name);
    d.pack = Pack::Syntax;
    d.severity = code.severity;
    d.message = std::move(message);
    d.where = where;
    d.label = std::move(label);
    return d;
}

} // namespace smaudit
