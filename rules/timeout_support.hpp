// What the timeout rules share (SM-P007 ... SM-P013): a timeout read as sendmail reads it, with
// the line that set it, words for it in messages and labels, and the edits that give it a new
// value without disturbing the other timeouts a line may set.
#pragma once

#include "engine/rule.hpp"
#include "model/duration.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

// One option read as a duration (model/duration.hpp), with the line behind it.
struct TimeoutValue {
    std::string name;                              // canonical: "Timeout.mail"
    model::Duration value;                         // what sendmail reads
    const model::OptionSetting* setting = nullptr; // the line in effect; null for a default
    bool is_default() const { return setting == nullptr; }
    long long seconds() const { return value.seconds; }
};

// The option's duration in effect (model::option_duration) and its line; none when it is no
// duration or has neither a line nor a known default.
std::optional<TimeoutValue> read_timeout(const model::Config& config, std::string_view name);

// How a message names the value: "Timeout.mail is 2 minutes"; "Timeout.mail `2 m` reads as
// 2 minutes" when sendmail complains about the text; "Timeout.ident is not set (sendmail's
// default: 5 seconds)" for a default.
std::string describe_timeout(const TimeoutValue& timeout);

// Where a finding about it points: the value's bytes, else its line; invalid for a default.
Location timeout_where(const TimeoutValue& timeout);

// A finding at the timeout's setting (timeout_where, with timeout_label); about the default
// (the report says so) when no line sets it.
Diagnostic& report_at_timeout(Emitter& out, const RuleContext& context, const TimeoutValue& timeout,
                              std::string message);
// The words at that place: set_here()'s with the value, "Timeout.mail is set here (2 minutes)";
// for a line that sets other timeouts too, "Timeout.mail is set here, with other timeouts
// (2 minutes)". Empty for a default.
std::string timeout_label(const RuleContext& context, const TimeoutValue& timeout);
// Adds that place and words to a finding's notes (for the second and later timeouts of a
// finding about several); nothing for a default.
void add_timeout_note(Diagnostic& finding, const RuleContext& context, const TimeoutValue& timeout);

// Whether the line behind `timeout` sets other timeouts too, and a fix must therefore not edit
// it: the legacy `O Timeout=2m` (`Or2m`), which sets six, or a class value that came from its
// parent (Timeout.queuewarn.urgent from `O Timeout.queuewarn=4h`). A line setting this option
// and its own classes (`O Timeout.queuewarn=4h` for Timeout.queuewarn) does not count, nor does
// a place that only stands for the value (an .mc's DOMAIN call, whose file has a define each).
bool sets_other_timeouts(const RuleContext& context, const TimeoutValue& timeout);

// The edits that give the option `value` (sendmail's syntax, "5m"): the line's value replaced
// where the line set this option alone and its bytes are the value (set_value of
// rule_support.hpp, also for an .mc); otherwise a line of its own after the others (a default,
// a line that sets several timeouts, a value joined from continuation lines), which overrides
// what came before. Empty when there is nowhere to write.
std::vector<Edit> timeout_edits(const RuleContext& context, const TimeoutValue& timeout,
                                std::string_view value);

} // namespace smaudit::rules
