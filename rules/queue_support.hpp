// What the queue-processing rules share (SM-P014 ... SM-P024): the host status directory and
// connection cache as sendmail's main() leaves them after reading the .cf, and booleans read with
// atobool().
#pragma once

#include "engine/rule.hpp"
#include "model/config.hpp"

#include <string>

#include <string_view>

namespace smaudit::rules {

// The line that sets a non-empty HostStatusDirectory (sendmail leaves an empty value unset), or
// null. Whether sendmail keeps it also depends on the connection cache
// (host_status_directory_in_effect).
const model::OptionSetting* host_status_directory(const model::Config& config);
// ConnectionCacheSize as sendmail reads it: atoi(), below 0 taken as 0; 1 when unset.
long long connection_cache_size(const model::Config& config);
// Whether sendmail uses a host status directory: one is set and the connection cache holds at
// least one connection (main() turns it off otherwise: "HostStatusDirectory disabled with
// ConnectionCacheSize = 0").
bool host_status_directory_in_effect(const model::Config& config);
// A boolean option's value in effect, read with atobool() (empty or t/T/y/Y: true); the
// option's default when no line sets it, false for an option without one.
bool option_is_true(const model::Config& config, std::string_view name);

// SuperSafe as readcf.c reads a value: Interactive or PostMilter by its first letter (either
// case), else atobool(), True or False; sendmail's default, with no line, is True.
enum class SuperSafeMode { True, False, Interactive, PostMilter };
SuperSafeMode super_safe_mode(std::string_view value);
SuperSafeMode super_safe_mode(const model::Config& config);

// For a boolean option that a line turns on (atobool()): a finding at that line with `message`,
// and a safe fix that sets it to False. Null when no line turns it on.
Diagnostic* report_option_on(const RuleContext& context, Emitter& out, std::string_view option,
                             std::string message);

} // namespace smaudit::rules
