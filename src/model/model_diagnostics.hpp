// The SM-E05x diagnostics the model builder reports: problems sendmail itself complains about
// while reading a .cf (readcf.c setoption()). Pages: docs/rules/SM-E050.md .. SM-E054.md.
#pragma once

#include "diag/syntax_code.hpp"

#include <span>

namespace smaudit::model {

// sendmail refuses to start on the first four (SyntaxCode::stops_sendmail); an abbreviated name
// only makes it warn.
inline constexpr SyntaxCode kUnknownOption{
    "SM-E050", "unknown-option", Severity::High,
    "An O line names an option, option letter or Timeout./Milter. sub-option sendmail does not "
    "know: sendmail refuses the file",
    true};
inline constexpr SyntaxCode kAmbiguousOption{
    "SM-E051", "ambiguous-option-name", Severity::High,
    "An O line abbreviates an option name so far that it matches two or more options: sendmail "
    "refuses the file",
    true};
inline constexpr SyntaxCode kUnknownOptionFlag{
    "SM-E052", "unknown-option-flag", Severity::High,
    "A PrivacyOptions or DontBlameSendmail word, or a DeliveryMode letter, sendmail does not "
    "know: sendmail refuses the file",
    true};
inline constexpr SyntaxCode kUnknownPortOptionKey{
    "SM-E053", "unknown-port-option-key", Severity::High,
    "A DaemonPortOptions or ClientPortOptions key whose first character names no setting: "
    "sendmail refuses the file",
    true};
inline constexpr SyntaxCode kAbbreviatedOption{
    "SM-E054",
    "abbreviated-option-name",
    Severity::Low,
    "An O line names an option by a unique prefix of its name: sendmail warns at every start",
    false,
    "write the full option name"};

// All of them, for the rule registry.
inline std::span<const SyntaxCode> model_syntax_codes() {
    static constexpr SyntaxCode codes[] = {kUnknownOption, kAmbiguousOption, kUnknownOptionFlag,
                                           kUnknownPortOptionKey, kAbbreviatedOption};
    return codes;
}

} // namespace smaudit::model
