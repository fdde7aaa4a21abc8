// What the process and connection rules (SM-P001..P004, SM-P006) share: the delivery mode and
// the limits on daemon children and connection rate, read as sendmail reads them, and which
// rule reports a missing limit. Interacting settings report once, at the setting to change:
//   - no MaxDaemonChildren, no ConnectionRateThrottle, background delivery: SM-P002 alone, at
//     MaxDaemonChildren, naming the other two;
//   - no MaxDaemonChildren otherwise: SM-P003, naming ConnectionRateThrottle;
//   - no ConnectionRateThrottle while the children are capped: SM-P004, naming the cap.
#pragma once

#include "engine/rule.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smaudit::rules {

// What one daemon child can cost, for sizing MaxDaemonChildren to memory: about 8 MiB. Measured
// with sendmail 8.17 on Debian 12: an SMTP session's process is about 10 MiB resident, 2 MiB of
// it its own (the rest shared library pages); STARTTLS, milters, large headers, the kernel's
// socket buffers and, in background mode, the delivery process each accepted message forks add
// to it. A planning figure, stated in every message that uses it.
inline constexpr uint64_t kDaemonChildMemory = uint64_t{8} << 20;
// Below this many children an attacker locks everyone out with as many idle connections
// (op.me "Resource Limits" gives 10 as the example; KB PERF-003: "below ~20").
inline constexpr long long kFewestDaemonChildren = 20;

// The delivery mode letter sendmail takes from a DeliveryMode value or a socket's D= key:
// the first character, and 'i' (interactive) for an empty value (readcf.c).
char delivery_mode_letter(std::string_view value);
// "interactive", "background", "queue", "deferred", or the letter in quotes.
std::string delivery_mode_name(char mode);
// The mode the daemon's children use on `socket`: its own D=, else DeliveryMode.
char socket_delivery_mode(const model::Config& config, const model::PortOptions& socket);

// A socket's own children limit (`c=`), when it has one.
std::optional<long long> socket_children_limit(const model::PortOptions& socket);

struct ProcessLimits {
    // Nothing caps the daemon's children: some socket has no `c=` above 0 and MaxDaemonChildren
    // is 0 or less (or not set).
    bool children_unlimited = false;
    // The cap when there is one: the highest that applies to a socket (its c=, or
    // MaxDaemonChildren), since the count is the daemon's children on all sockets.
    long long children_cap = 0;
    // Some socket has no `c=` of its own, so MaxDaemonChildren is the limit it uses.
    bool global_children_applies = true;
    bool rate_unlimited = false; // ConnectionRateThrottle 0 or less (or not set)
    bool background = false;     // some socket delivers in background mode
    // SM-P002's case: both limits missing while messages are delivered in background.
    bool unbounded() const { return children_unlimited && rate_unlimited && background; }
};
ProcessLimits read_process_limits(const model::Config& config);

// MaxDaemonChildren sized to memory: half of it for daemon children at kDaemonChildMemory each
// (the rest for queue runners, the delivery processes and the page cache the queue lives in),
// and never below kFewestDaemonChildren.
uint64_t recommended_daemon_children(const analyze::HostFigures& host);
// "each daemon child can use about 8 MiB, so 256 of them take about 2 GiB of the 4 GiB of
// memory (assumed ...)": why the recommended number.
std::string children_for_memory(const analyze::HostFigures& host);

} // namespace smaudit::rules
