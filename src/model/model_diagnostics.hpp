// The SM-E05x diagnostics the model builder reports: problems sendmail itself complains about
// while reading a .cf (readcf.c syserr), after which it ignores the setting. Pages:
// docs/rules/SM-E050.md .. SM-E053.md.
#pragma once

#include "diag/diagnostic.hpp"

#include <string>
#include <string_view>

namespace smaudit::model {

struct ModelDiagnosticKind {
    std::string_view id;
    std::string_view name;
    Severity severity;
};

inline constexpr ModelDiagnosticKind kUnknownOption{"SM-E050", "unknown-option", Severity::Medium};
inline constexpr ModelDiagnosticKind kAmbiguousOption{"SM-E051", "ambiguous-option-name",
                                                      Severity::Medium};
inline constexpr ModelDiagnosticKind kUnknownOptionFlag{"SM-E052", "unknown-option-flag",
                                                        Severity::Medium};
inline constexpr ModelDiagnosticKind kUnknownPortOptionKey{"SM-E053", "unknown-port-option-key",
                                                           Severity::Medium};

inline Diagnostic make_model_diagnostic(const ModelDiagnosticKind& kind, Location where,
                                        std::string message, std::string label = {}) {
    Diagnostic d;
    d.rule_id = std::string(kind.id);
    d.rule_name = std::string(kind.name);
    d.pack = Pack::Syntax;
    d.severity = kind.severity;
    d.message = std::move(message);
    d.where = where;
    d.label = std::move(label);
    return d;
}

} // namespace smaudit::model
