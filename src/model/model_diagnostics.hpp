// The SM-E05x diagnostics the model builder reports: problems sendmail itself complains about
// while reading a .cf (readcf.c syserr), after which it ignores the setting. Pages:
// docs/rules/SM-E050.md .. SM-E053.md.
#pragma once

#include "diag/syntax_code.hpp"

#include <span>

namespace smaudit::model {

inline constexpr SyntaxCode kUnknownOption{"SM-E050", "unknown-option", Severity::Medium, {}};
inline constexpr SyntaxCode kAmbiguousOption{
    "SM-E051", "ambiguous-option-name", Severity::Medium, {}};
inline constexpr SyntaxCode kUnknownOptionFlag{
    "SM-E052", "unknown-option-flag", Severity::Medium, {}};
inline constexpr SyntaxCode kUnknownPortOptionKey{
    "SM-E053", "unknown-port-option-key", Severity::Medium, {}};

// All of them, for the rule registry.
inline std::span<const SyntaxCode> model_syntax_codes() {
    static constexpr SyntaxCode codes[] = {kUnknownOption, kAmbiguousOption, kUnknownOptionFlag,
                                           kUnknownPortOptionKey};
    return codes;
}

} // namespace smaudit::model
