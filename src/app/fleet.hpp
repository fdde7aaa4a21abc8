// Fleets (docs/ci.md "Fleets"): `smaudit audit hosts/` on a directory holding one sendmail
// configuration per host audits each host as its own unit, on --jobs threads, and reports the
// hosts grouped, in host-name order, whatever the number of threads; `--shard i/n` audits one CI
// job's share of the hosts, and `smaudit merge` joins the shards' JSON reports into the report
// of the whole fleet.
//
// Threads: every host's audit is run_audit on its own AuditRequest and AuditRun. What they share
// is read-only while they run: the request's copy source, the baseline, the SARIF rule list, and
// the rules loaded from policies (engine/rule.hpp LoadedRules), loaded before the first thread
// starts and kept until the last one is joined.
#pragma once

#include "app/audit.hpp"
#include "app/baseline.hpp"
#include "report/terminal.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

struct FleetHost {
    std::string name;       // the host directory's name
    std::string dir;        // FLEET/name
    std::string config_dir; // what is audited: FLEET/name/etc/mail, or FLEET/name itself
};

// The hosts of the fleet directory PATH, sorted by name (byte order). PATH is a fleet when it is
// no host itself (neither it nor its etc/mail holds a sendmail.cf or sendmail.mc) and one of its
// subdirectories is a host: NAME/etc/mail, or else NAME, holds a sendmail.cf or sendmail.mc. Its
// other subdirectories, hidden ones aside, are named in NOT_HOSTS. Empty when PATH is no fleet
// (a file, an /etc/mail, a directory of loose files): it is audited as one unit, as before.
std::vector<FleetHost> find_fleet(const std::string& path, std::vector<std::string>& not_hosts);

// --shard i/n: this job audits the hosts of shard i of n.
struct Shard {
    unsigned index = 1; // 1..count
    unsigned count = 1;
};
// "i/n" with 1 <= i <= n; nullopt and a message otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);
// The shard (1..count) HOST belongs to: the 64-bit FNV-1a hash of its name modulo count, plus 1.
// A host stays in its shard as long as count does, whatever hosts come and go.
unsigned shard_of(std::string_view host, unsigned count);

// Writes what WRITE writes to the report's destination; false when it could not (cli.cpp's
// emit_streamed).
using EmitReport = std::function<bool(const std::function<void(std::ostream&)>& write)>;

struct FleetOptions {
    unsigned jobs = 1;                // threads auditing hosts
    std::string format = "terminal";  // terminal, json, sarif or github
    report::TerminalOptions terminal; // summary: the per-host table
    std::optional<Severity> fail_on;  // exit 1 at a finding at or above it; none: never
    std::optional<Shard> shard;       // named in the JSON report (merge checks the set)
    // --write-baseline: set to every host's findings, hosts in order (paths relative to the
    // fleet's directory); the exit code is then 0 unless a path could not be read.
    Baseline* record_baseline = nullptr;
    // --host-times (for bench/fleet): set to a `HOST<TAB>MICROSECONDS` line per host, hosts in
    // report order, MICROSECONDS the CPU time of the thread that audited and rendered the host.
    std::string* host_times = nullptr;
    // --sarif-output: the fleet's SARIF log, from the same audits, written through it too (a
    // shard job's JSON report and SARIF log from one audit). Empty: none.
    EmitReport sarif_too;
    // Tests: called on the worker thread before each host's report is rendered; what it throws
    // stands for a rendering that failed (the host is then reported with the error).
    std::function<void(const FleetHost& host)> before_render;
};

// Audits HOSTS (the fleet FLEET_DIR's, or a shard of them), each with REQUEST whose paths are
// the host's config_dir, and writes the report through EMIT as the hosts finish, in their order.
// The exit code is a single audit's, worst over the hosts: 2 when a path could not be read, 1
// when a finding is at or above fail_on, else 0.
int run_fleet(const AuditRequest& request, const std::string& fleet_dir,
              const std::vector<FleetHost>& hosts, const FleetOptions& options,
              const EmitReport& emit);

// `smaudit merge FILE...`: the JSON report the unsharded fleet gives, from the JSON reports of
// its shards (or of disjoint fleets): hosts sorted by name, the fleet summary made again.
// Refused (exit 2, a message on stderr): a file that is no fleet report, a host in two files,
// shards of different counts, a shard twice or one missing.
int merge_fleet_reports(const std::vector<std::string>& files, const EmitReport& emit);

} // namespace smaudit
