// Reports for monitoring systems: a Nagios/Icinga/Zabbix check (the monitoring-plugin convention:
// one status line with performance data, exit code 0/1/2/3) and an OpenMetrics text file for
// node_exporter's textfile collector. docs/monitoring.md shows both at work.
#pragma once

#include "diag/audit_result.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace smaudit::report {

// The plugin states, whose numbers are the exit codes monitoring systems read.
enum class CheckState { Ok = 0, Warning = 1, Critical = 2, Unknown = 3 };
std::string_view to_string(CheckState state); // "OK", "WARNING", "CRITICAL", "UNKNOWN"

// A finding at or above `critical` makes the check CRITICAL, else one at or above `warning`
// WARNING; none: that state is never reached.
struct CheckThresholds {
    std::optional<Severity> critical;
    std::optional<Severity> warning;
};

// The state of an audit that read its files. (A run that could not read them is UNKNOWN: the
// caller writes that line with write_nagios_unknown.)
CheckState check_state(const AuditResult& result, const CheckThresholds& thresholds);

// `SMAUDIT <STATE> - <summary> | <performance data>`, one line: findings by severity (with
// warn/crit ranges "0" for the severities that reach WARNING/CRITICAL), each graded pack's score
// (0-100), files audited.
void write_nagios(std::ostream& out, const AuditResult& result, const CheckThresholds& thresholds);
// `SMAUDIT UNKNOWN - <why>`: no performance data, nothing was audited.
void write_nagios_unknown(std::ostream& out, std::string_view why);

// OpenMetrics text (also valid Prometheus text format 0.0.4, which node_exporter's textfile
// collector parses), ending in `# EOF`: findings by severity and by rule, suppressed findings,
// each graded pack's score and grade, files audited, paths that could not be read, and the time
// of the audit (`audit_time`, seconds since the epoch) as a gauge value: the collector refuses
// samples with timestamps.
void write_openmetrics(std::ostream& out, const AuditResult& result, size_t unreadable_paths,
                       int64_t audit_time);

} // namespace smaudit::report
