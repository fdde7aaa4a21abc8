// `smaudit audit --format nagios|openmetrics` (report/monitoring.hpp, docs/monitoring.md).
#pragma once

#include "app/audit.hpp"

#include <functional>
#include <ostream>
#include <string>

namespace smaudit {

// The exit code of a check that could not run (usage error, unreadable path, internal error).
inline constexpr int kNagiosUnknown = 3;

// Writes the report of `run` in `format` ("nagios" or "openmetrics") through `emit` (stdout, or
// --output written atomically) and returns the exit code. nagios: 0/1/2/3 for
// OK/WARNING/CRITICAL/UNKNOWN, CRITICAL for a finding at or above `critical`, WARNING at or
// above `warning` ("none": never), UNKNOWN when a path could not be read. openmetrics: the
// metrics are written even then (smaudit_unreadable_paths counts them), with the usual exit
// codes (2 for an unreadable path, 1 for a finding at or above `critical`, else 0).
int report_for_monitoring(
    const AuditRun& run, const std::string& format, const std::string& critical,
    const std::string& warning,
    const std::function<bool(const std::function<void(std::ostream&)>&)>& emit);

} // namespace smaudit
