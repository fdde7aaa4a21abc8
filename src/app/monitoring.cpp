#include "app/monitoring.hpp"

#include "report/monitoring.hpp"

#include <chrono>
#include <iostream>

namespace smaudit {

namespace {

constexpr int kClean = 0, kFindings = 1, kError = 2;

} // namespace

int report_for_monitoring(
    const AuditRun& run, const std::string& format, const std::string& critical,
    const std::string& warning,
    const std::function<bool(const std::function<void(std::ostream&)>&)>& emit) {
    for (const DiscoveryError& e : run.errors)
        std::cerr << "smaudit: " << describe(e) << "\n";
    const bool unreadable = !run.errors.empty();
    if (format == "openmetrics") {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        const int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
        if (!emit([&](std::ostream& out) {
                report::write_openmetrics(out, run.result, run.errors.size(), seconds);
            }))
            return kError;
        if (unreadable) return kError;
        return report::check_state(run.result, {parse_severity(critical), {}}) ==
                       report::CheckState::Critical
                   ? kFindings
                   : kClean;
    }
    const report::CheckThresholds thresholds{parse_severity(critical), parse_severity(warning)};
    const bool written = emit([&](std::ostream& out) {
        if (unreadable)
            report::write_nagios_unknown(out, "cannot read " + describe(run.errors.front()));
        else
            report::write_nagios(out, run.result, thresholds);
    });
    if (!written || unreadable) return kNagiosUnknown;
    return static_cast<int>(report::check_state(run.result, thresholds));
}

} // namespace smaudit
