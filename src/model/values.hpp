// Reading option values the way sendmail reads them, for rules that compare numbers or
// booleans: atobool() and convtime() of sendmail/util.c and convtime.c.
#pragma once

#include "model/config.hpp"

#include <optional>
#include <string_view>

namespace smaudit::model {

// atobool(): empty, or starting with t/T/y/Y, is true; anything else false ("O SuperSafe" with
// no value is true).
bool sendmail_bool(std::string_view value);

// convtime(): a sum of <digits><unit> parts, units w d h m s; a number without a unit takes
// `default_unit`; an unknown unit letter also counts as `default_unit` (sendmail warns and goes
// on); a leading '-' negates; "now" is 0. Returns seconds; nullopt when the text has no digit at
// all (sendmail would read 0) so callers can tell "0" from garbage.
std::optional<long long> duration_seconds(std::string_view value, char default_unit);

// The unit convtime() assumes for a bare number in a Timeout.* option ("Timeout.queuewarn"
// -> 'h', "Timeout.queuereturn.urgent" -> 'd', "Timeout.resolver.retrans" -> 's', others 'm').
char timeout_default_unit(std::string_view canonical_name);

// Convenience for rules: the option's value as a duration in seconds (Timeout.* with their own
// default unit, other options with `default_unit`), nullopt when unset or unreadable.
std::optional<long long> option_seconds(const Config& config, std::string_view name,
                                        char default_unit = 'm');

} // namespace smaudit::model
