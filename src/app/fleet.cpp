#include "app/fleet.hpp"

#include "app/baseline.hpp"
#include "app/sarif_context.hpp"
#include "report/display.hpp"
#include "report/github.hpp"
#include "report/json.hpp"
#include "report/json_writer.hpp"
#include "report/sarif.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <time.h>

namespace smaudit {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// As cli.cpp's exit codes.
constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

bool holds_sendmail_config(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "sendmail.cf", ec) ||
           fs::is_regular_file(dir / "sendmail.mc", ec);
}

constexpr std::array<Severity, 5> kSeveritiesWorstFirst = {
    Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info};
constexpr std::array<std::string_view, 2> kScoredPacks = {"security", "performance"};
constexpr std::array<std::string_view, 6> kGrades = {"A+", "A", "B", "C", "D", "F"};

} // namespace

std::vector<FleetHost> find_fleet(const std::string& path, std::vector<std::string>& not_hosts) {
    std::error_code ec;
    const fs::path root(path);
    if (!fs::is_directory(root, ec) || holds_sendmail_config(root) ||
        holds_sendmail_config(root / "etc" / "mail"))
        return {};
    const std::string prefix = path.ends_with('/') ? path : path + "/";
    std::vector<FleetHost> hosts;
    std::vector<std::string> others;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with('.') || !it->is_directory(ec)) continue;
        const std::string dir = prefix + name;
        if (holds_sendmail_config(fs::path(dir) / "etc" / "mail"))
            hosts.push_back({name, dir, dir + "/etc/mail"});
        else if (holds_sendmail_config(dir))
            hosts.push_back({name, dir, dir});
        else
            others.push_back(dir);
    }
    if (ec || hosts.empty()) return {};
    std::sort(hosts.begin(), hosts.end(),
              [](const FleetHost& a, const FleetHost& b) { return a.name < b.name; });
    std::sort(others.begin(), others.end());
    not_hosts.insert(not_hosts.end(), others.begin(), others.end());
    return hosts;
}

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
    const size_t slash = text.find('/');
    Shard shard;
    auto number = [](std::string_view digits, unsigned& value) {
        const char* end = digits.data() + digits.size();
        auto [ptr, ec] = std::from_chars(digits.data(), end, value);
        return !digits.empty() && ec == std::errc() && ptr == end;
    };
    if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
        !number(text.substr(slash + 1), shard.count) || shard.count == 0 || shard.index == 0 ||
        shard.index > shard.count) {
        error = "--shard: `" + std::string(text) + "` is not i/n with 1 <= i <= n (e.g. 2/4)";
        return std::nullopt;
    }
    return shard;
}

unsigned shard_of(std::string_view host, unsigned count) {
    uint64_t hash = 14695981039346656037ULL; // FNV-1a, 64 bits
    for (char c : host) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return static_cast<unsigned>(hash % count) + 1;
}

namespace {

// A host's line in the fleet's table and summary, made from what its report holds (the run's
// own values, or a merged report's host object): host, path, errors (a count), scores, summary,
// worst. One function for both, so a merge summarises as the run does.
Json host_row(const Json& host, const Json& path, const Json& errors, const Json& scores,
              const Json& summary, const Json& worst) {
    return {{"host", host},     {"path", path},       {"errors", errors.size()},
            {"scores", scores}, {"summary", summary}, {"worst", worst}};
}

// The report's `fleet` member, made host by host (no list of the hosts is kept for it): hosts,
// errors, findings by severity over all hosts, hosts by grade per pack, the host of the lowest
// score per pack, the worst finding of the fleet.
class FleetTotals {
  public:
    FleetTotals() {
        for (Severity s : kSeveritiesWorstFirst)
            summary_[std::string(to_string(s))] = 0;
        summary_["suppressed"] = 0;
        for (std::string_view pack : kScoredPacks) {
            Json by_grade;
            for (std::string_view grade : kGrades)
                by_grade[std::string(grade)] = 0;
            by_grade["not graded"] = 0;
            grades_[std::string(pack)] = std::move(by_grade);
            lowest_[std::string(pack)] = nullptr;
        }
    }

    // A host's row (host_row), hosts in report order.
    void add(const Json& row) {
        ++hosts_;
        if (row["errors"].get<int64_t>() > 0) ++with_errors_;
        for (auto& [key, total] : summary_.items())
            total = total.get<int64_t>() + row["summary"].value(key, Json(0)).get<int64_t>();
        for (std::string_view pack : kScoredPacks) {
            const std::string name(pack);
            const Json& score = row["scores"][name];
            if (score.is_null()) {
                grades_[name]["not graded"] = grades_[name]["not graded"].get<int64_t>() + 1;
                continue;
            }
            Json& count = grades_[name][score["grade"].get<std::string>()];
            count = (count.is_null() ? 0 : count.get<int64_t>()) + 1;
            Json& low = lowest_[name];
            if (low.is_null() || score["score"].get<int64_t>() < low["score"].get<int64_t>())
                low = {{"host", row["host"]}, {"score", score["score"]}, {"grade", score["grade"]}};
        }
        const Json& host_worst = row["worst"];
        if (host_worst.is_null()) return;
        const int rank = static_cast<int>(
            parse_severity(host_worst["severity"].get<std::string>()).value_or(Severity::Info));
        if (rank > worst_rank_) {
            worst_rank_ = rank;
            worst_ = Json{{"host", row["host"]}};
            for (const auto& [key, value] : host_worst.items())
                worst_[key] = value;
        }
    }

    Json json() const {
        return {{"hosts", hosts_},     {"hosts_with_errors", with_errors_},
                {"summary", summary_}, {"grades", grades_},
                {"lowest", lowest_},   {"worst", worst_}};
    }

  private:
    size_t hosts_ = 0;
    int with_errors_ = 0;
    Json summary_, grades_, lowest_, worst_ = nullptr;
    int worst_rank_ = -1;
};

// The first of a host's findings (report order) at its highest severity, as the table shows it.
Json worst_json(const SourceSet& sources, const AuditResult& result) {
    const Diagnostic* worst = nullptr;
    for (const Diagnostic* d : sorted_diagnostics(result.diagnostics, sources))
        if (worst == nullptr || d->severity > worst->severity) worst = d;
    if (worst == nullptr) return nullptr;
    const SourceFile* file = sources.find(worst->where.file);
    const SourceFile* about = sources.find(report::finding_file(
        sources, *worst, result.files.empty() ? kNoFile : result.files.front()));
    return {
        {"rule", worst->rule_id},
        {"name", worst->rule_name},
        {"severity", to_string(worst->severity)},
        {"message", worst->message},
        {"path", about ? Json(about->path()) : Json(nullptr)},
        {"line", file ? Json(report::locate(*file, worst->where.span.begin).line) : Json(nullptr)}};
}

// What a host's audit leaves for the writer: its part of the report, already rendered on the
// worker thread, its table row, and what the exit code and --write-baseline need.
struct HostReport {
    std::string text;            // json: the host object; terminal: its block; github: lines
    report::SarifHostPart sarif; // sarif
    Json row;
    std::vector<DiscoveryError> errors;
    bool at_fail_on = false; // a finding at or above --fail-on
    Baseline recorded;
    int64_t cpu_microseconds = 0; // --host-times
};

// The CPU time of the calling thread: a host's cost, whichever other threads run beside it.
int64_t thread_cpu_microseconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

// What every host's audit shares, read-only.
struct FleetShared {
    const AuditRequest& request;
    const std::string& fleet_dir;
    const FleetOptions& options;
    std::map<std::string, Baseline> baselines; // --baseline's entries by host
    std::vector<report::SarifRule> sarif_rules;
    std::string report_root;
};

// The baseline entries of each host: those whose path (relative to the fleet directory) lies
// in the host's directory; an entry outside every host (a file of sendmail's cf tree) is every
// host's.
std::map<std::string, Baseline> baselines_by_host(const Baseline& baseline,
                                                  const std::vector<FleetHost>& hosts) {
    std::map<std::string, Baseline> by_host;
    std::vector<const BaselineEntry*> everyones;
    for (const FleetHost& host : hosts)
        by_host[host.name];
    for (const BaselineEntry& entry : baseline.entries) {
        const auto it = by_host.find(entry.path.substr(0, entry.path.find('/')));
        if (it != by_host.end() && entry.path.find('/') != std::string::npos)
            it->second.entries.push_back(entry);
        else
            everyones.push_back(&entry);
    }
    for (auto& [name, entries] : by_host)
        for (const BaselineEntry* entry : everyones)
            entries.entries.push_back(*entry);
    return by_host;
}

// A host's errors as its report's `errors` holds them: the path, and where in the file when the
// error is about one place (as `describe` puts it on stderr: path:line:column).
Json errors_json(const std::vector<DiscoveryError>& errors) {
    Json out = Json::array();
    for (const DiscoveryError& e : errors) {
        Json error = {{"path", e.path}};
        if (e.place) {
            error["line"] = e.place->line;
            error["column"] = e.place->column;
        }
        error["message"] = e.message;
        out.push_back(std::move(error));
    }
    return out;
}

// RUN's report of HOST, in the fleet's format(s), and its table row. HOOKED: options'
// before_render is called (not again for the report of a rendering that failed).
void render_host(const FleetHost& host, AuditRun& run, const FleetShared& shared, bool hooked,
                 HostReport& out) {
    AuditResult& result = run.result;
    // Nothing read: the host is not graded (a single audit writes no report then).
    if (result.files.empty() && !run.errors.empty())
        for (Pack pack : {Pack::Security, Pack::Performance})
            result.scores[pack] = PackScore{0, "", "nothing could be read", true};
    out.errors = run.errors;
    if (shared.options.fail_on)
        out.at_fail_on =
            std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                        [&](const Diagnostic& d) { return d.severity >= *shared.options.fail_on; });

    const Json errors = errors_json(run.errors);
    const Json worst = worst_json(run.sources, result);
    out.row = host_row(host.name, host.dir, errors, report::scores_json(result),
                       report::summary_json(result), worst);

    const std::string& format = shared.options.format;
    if (hooked && shared.options.before_render) shared.options.before_render(host);
    if (format == "sarif" || shared.options.sarif_too) {
        report::SarifContext context = sarif_context(run, &shared.sarif_rules);
        context.root = shared.report_root;
        out.sarif = report::render_sarif_host(host.name, run.sources, result, context);
    }
    std::ostringstream text;
    if (format == "json") {
        // An element of the report's `hosts`: its `{` at level 2.
        report::StreamedObject object(text, 2, 2);
        object.member("host", host.name);
        object.member("path", host.dir);
        object.member("errors", errors);
        report::write_report_members(object, run.sources, result, host.name);
        object.member("worst", worst);
        object.end();
    } else if (format == "github") {
        report::write_github(text, run.sources, result, shared.report_root);
    } else if (format == "terminal") {
        report::TerminalOptions options = shared.options.terminal;
        options.summary = false;
        text << "== host " << host.name << " (" << host.config_dir << ") ==\n";
        if (result.diagnostics.empty()) text << "no findings\n\n";
        report::write_terminal(text, run.sources, result, options);
    }
    out.text = std::move(text).str();
}

HostReport audit_host(const FleetHost& host, const FleetShared& shared) {
    HostReport out;
    AuditRequest request = shared.request;
    request.paths = {host.config_dir};
    request.baseline_roots = {shared.fleet_dir};
    if (shared.request.baseline) request.baseline = &shared.baselines.at(host.name);
    request.record_baseline = shared.options.record_baseline ? &out.recorded : nullptr;
    std::unique_ptr<AuditRun> run;
    try {
        run = run_audit(request, true);
    } catch (const std::exception& e) {
        run = std::make_unique<AuditRun>();
        run->errors.push_back({host.config_dir, std::string("internal error: ") + e.what()});
    }
    try {
        render_host(host, *run, shared, true, out);
    } catch (const std::exception& e) {
        // Rendering it failed: the host is reported as one of which nothing could be read, with
        // the error (its report stays a whole element of the fleet's, exit code 2), and what
        // half-rendered parts there are are dropped.
        auto failed = std::make_unique<AuditRun>();
        failed->errors = run->errors;
        failed->errors.push_back({host.config_dir, std::string("internal error: ") + e.what()});
        HostReport fallback;
        render_host(host, *failed, shared, false, fallback);
        return fallback;
    }
    return out;
}

// "2 critical, 1 high" (the non-zero counts), or "none".
std::string counts_text(const Json& summary) {
    std::string text;
    for (Severity s : kSeveritiesWorstFirst) {
        const std::string name(to_string(s));
        const int64_t n = summary.value(name, Json(0)).get<int64_t>();
        if (n == 0) continue;
        text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + name;
    }
    return text.empty() ? "none" : text;
}

// The terminal's per-host table (score and grade per pack, findings, worst finding), then the
// fleet's totals and its lowest scores.
void write_fleet_table(std::ostream& out, const std::vector<Json>& rows, const Json& fleet,
                       const std::optional<Shard>& shard) {
    std::vector<std::array<std::string, 5>> table = {
        {"host", "security", "performance", "findings", "worst"}};
    for (const Json& row : rows) {
        std::array<std::string, 5> cells;
        cells[0] = row["host"].get<std::string>();
        for (size_t i = 0; i < kScoredPacks.size(); ++i) {
            const Json& score = row["scores"][std::string(kScoredPacks[i])];
            cells[1 + i] = score.is_null() ? "not graded"
                                           : std::to_string(score["score"].get<int64_t>()) +
                                                 "/100 " + score["grade"].get<std::string>();
        }
        cells[3] =
            row["errors"].get<int64_t>() > 0 ? "unreadable paths" : counts_text(row["summary"]);
        const Json& worst = row["worst"];
        if (!worst.is_null()) {
            cells[4] = worst["severity"].get<std::string>() + " " +
                       worst["rule"].get<std::string>() + " " + worst["name"].get<std::string>();
            if (!worst["path"].is_null()) {
                cells[4] += " (" + worst["path"].get<std::string>();
                if (!worst["line"].is_null())
                    cells[4] += ":" + std::to_string(worst["line"].get<int64_t>());
                cells[4] += ")";
            }
        } else {
            cells[4] = "-";
        }
        table.push_back(std::move(cells));
    }
    std::array<size_t, 5> width{};
    for (const auto& cells : table)
        for (size_t i = 0; i < cells.size(); ++i)
            width[i] = std::max(width[i], cells[i].size());
    out << "Fleet: " << fleet["hosts"].get<int64_t>() << " hosts";
    if (shard) out << " (shard " << shard->index << "/" << shard->count << ")";
    out << " · " << counts_text(fleet["summary"]);
    if (const int64_t errors = fleet["hosts_with_errors"].get<int64_t>(); errors > 0)
        out << " · " << errors << " with unreadable paths";
    out << "\n";
    for (const auto& cells : table) {
        std::string line;
        for (size_t i = 0; i < cells.size(); ++i) {
            line += cells[i];
            if (i + 1 < cells.size()) line += std::string(width[i] - cells[i].size() + 2, ' ');
        }
        out << line << "\n";
    }
    for (std::string_view pack : kScoredPacks) {
        const Json& low = fleet["lowest"][std::string(pack)];
        if (low.is_null()) continue;
        out << "lowest " << pack << ": " << low["host"].get<std::string>() << " "
            << low["score"].get<int64_t>() << "/100 " << low["grade"].get<std::string>() << "\n";
    }
}

} // namespace

int run_fleet(const AuditRequest& request, const std::string& fleet_dir,
              const std::vector<FleetHost>& hosts, const FleetOptions& options,
              const EmitReport& emit) {
    FleetShared shared{request, fleet_dir, options, {}, {}, report_root()};
    if (request.baseline) shared.baselines = baselines_by_host(*request.baseline, hosts);
    if (options.format == "sarif" || options.sarif_too) shared.sarif_rules = sarif_rules();

    // Workers audit hosts in order, at most `window` ahead of the writer: memory stays that of a
    // few hosts, whatever the fleet's size.
    const size_t count = hosts.size();
    const unsigned jobs = std::max(1U, std::min<unsigned>(options.jobs, count ? count : 1));
    const size_t window = 4 * static_cast<size_t>(jobs);
    std::mutex lock;
    std::condition_variable changed;
    size_t next = 0, written = 0;
    std::vector<std::unique_ptr<HostReport>> done(count);
    auto audit_one = [&](size_t index) {
        auto report = std::make_unique<HostReport>();
        const int64_t started = options.host_times ? thread_cpu_microseconds() : 0;
        *report = audit_host(hosts[index], shared);
        if (options.host_times) report->cpu_microseconds = thread_cpu_microseconds() - started;
        // Notified under the lock, as race checkers expect.
        const std::lock_guard<std::mutex> hold(lock);
        done[index] = std::move(report);
        changed.notify_all();
    };
    auto worker = [&] {
        for (;;) {
            size_t index;
            {
                std::unique_lock<std::mutex> hold(lock);
                changed.wait(hold, [&] { return next >= count || next < written + window; });
                if (next >= count) return;
                index = next++;
            }
            audit_one(index);
        }
    };

    bool errors = false, at_fail_on = false;
    FleetTotals totals;
    // The terminal's table has a row per host: only it keeps them.
    const bool table = options.format == "terminal" && options.terminal.summary;
    std::vector<Json> rows;
    Baseline recorded;
    std::string host_times;
    const Json shard_json =
        options.shard ? Json{{"index", options.shard->index}, {"count", options.shard->count}}
                      : Json();
    // The report to OUT; the SARIF log to SARIF_OUT too (--sarif-output), unless null.
    auto write_reports = [&](std::ostream& out, std::ostream* sarif_out) {
        // The first host on this thread, before the others start: the process's one-time
        // tables (the rule registry, the option tables, the cf tree's names) are made by it, and
        // the threads only read them. Their first use from threads would be safe too (function
        // statics); this way a race checker (valgrind --tool=helgrind) sees it as well.
        if (count > 0) {
            next = 1;
            audit_one(0);
        }
        std::vector<std::thread> threads;
        for (unsigned i = 0; i < jobs; ++i)
            threads.emplace_back(worker);
        std::optional<report::StreamedObject> json;
        std::optional<report::SarifFleetWriter> sarif;
        if (options.format == "json") {
            json.emplace(out, 2);
            json->member("version", report::kJsonReportVersion);
            json->member("tool", report::tool_json());
            if (options.shard) json->member("shard", shard_json);
            json->key("hosts");
            json->begin_array();
        }
        if (options.format == "sarif" || sarif_out != nullptr)
            sarif.emplace(sarif_out != nullptr ? *sarif_out : out,
                          report::root_uri(shared.report_root));
        for (size_t i = 0; i < count; ++i) {
            std::unique_ptr<HostReport> host;
            {
                std::unique_lock<std::mutex> hold(lock);
                changed.wait(hold, [&] { return done[i] != nullptr; });
                host = std::move(done[i]);
                written = i + 1;
                changed.notify_all();
            }
            for (const DiscoveryError& e : host->errors)
                std::cerr << "smaudit: " << describe(e) << "\n";
            errors = errors || !host->errors.empty();
            at_fail_on = at_fail_on || host->at_fail_on;
            recorded.entries.insert(recorded.entries.end(), host->recorded.entries.begin(),
                                    host->recorded.entries.end());
            if (json)
                json->element_text(host->text);
            else
                out << host->text; // terminal, github; empty for sarif
            if (sarif) sarif->add(host->sarif);
            totals.add(host->row);
            if (options.host_times)
                host_times += hosts[i].name + "\t" + std::to_string(host->cpu_microseconds) + "\n";
            if (table) rows.push_back(std::move(host->row));
        }
        for (std::thread& thread : threads)
            thread.join();
        if (json) {
            json->end_array();
            json->member("fleet", totals.json());
            json->end();
        } else if (table) {
            write_fleet_table(out, rows, totals.json(), options.shard);
        }
        // A shard's log names its shard, as its JSON report does: merge checks the set.
        if (sarif) sarif->end(options.shard ? Json{{"shard", shard_json}} : Json());
    };
    bool sarif_written = true;
    const bool written_out = emit([&](std::ostream& out) {
        if (options.sarif_too)
            sarif_written =
                options.sarif_too([&](std::ostream& sarif_out) { write_reports(out, &sarif_out); });
        else
            write_reports(out, nullptr);
    });
    if (!written_out || !sarif_written) return kExitError;
    if (options.record_baseline) *options.record_baseline = std::move(recorded);
    if (options.host_times) *options.host_times = std::move(host_times);
    if (errors) return kExitError;
    if (options.record_baseline) return kExitClean;
    return at_fail_on ? kExitFindings : kExitClean;
}

namespace {

// OBJECT's member KEY; null when OBJECT is no object or has none (a hand-made file's shape is
// checked member by member, without exceptions).
const Json& member_of(const Json& object, const char* key) {
    static const Json none;
    if (!object.is_object()) return none;
    const auto it = object.find(key);
    return it == object.end() ? none : *it;
}

// A == B as JSON values: objects with the same members in any order (ordered_json's == also
// compares the order, which a tool that rewrote a shard's file may have changed).
bool same_json(const Json& a, const Json& b) {
    return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

int merge_failed(const std::string& message) {
    std::cerr << "smaudit: merge: " << message << "\n";
    return kExitError;
}

// What every merge checks, JSON or SARIF: each host in one file only, and the shards named by
// the files (`shard`: {"index": I, "count": N}) all there, once each, of one count, not mixed
// with unsharded reports. Each check returns a message, empty when it passes.
class MergedShards {
  public:
    std::string add_report(const std::string& file, const Json* shard) {
        if (shard == nullptr) {
            ++unsharded_;
            return {};
        }
        const Json& index_json = member_of(*shard, "index");
        const Json& count_json = member_of(*shard, "count");
        if (!index_json.is_number_unsigned() || !count_json.is_number_unsigned() ||
            index_json.get<uint64_t>() == 0 ||
            index_json.get<uint64_t>() > count_json.get<uint64_t>() ||
            count_json.get<uint64_t>() > std::numeric_limits<unsigned>::max())
            return file + ": its `shard` is not {\"index\": I, \"count\": N} with 1 <= I <= N";
        const unsigned index = index_json.get<unsigned>();
        const unsigned count = count_json.get<unsigned>();
        if (count_ && *count_ != count)
            return file + ": shard of " + std::to_string(count) + ", the others of " +
                   std::to_string(*count_);
        count_ = count;
        if (auto [it, added] = shards_.emplace(index, file); !added)
            return file + ": shard " + std::to_string(index) + " again (" + it->second + ")";
        return {};
    }
    std::string add_host(const std::string& file, const std::string& host) {
        if (!names_.insert(host).second)
            return file + ": host `" + host + "` is in another report too";
        return {};
    }
    std::string complete() const {
        if (!count_) return {};
        if (unsharded_ > 0) return "sharded and unsharded reports mixed";
        if (shards_.size() == *count_) return {}; // distinct indexes, each in 1..count
        // The first index missing, found among the shards given (not by counting to a count of
        // billions a hand-made file may claim).
        unsigned missing = 1;
        for (const auto& given : shards_) {
            if (given.first != missing) break;
            ++missing;
        }
        return "shard " + std::to_string(missing) + "/" + std::to_string(*count_) + " is missing";
    }

  private:
    std::set<std::string> names_;
    std::map<unsigned, std::string> shards_; // index -> file
    std::optional<unsigned> count_;
    size_t unsharded_ = 0;
};

bool is_sarif_log(const Json& document) {
    return document.is_object() && document.contains("runs") &&
           document.value("version", Json()) == "2.1.0";
}

// The JSON reports: hosts sorted by name, the fleet summary made again.
int merge_json_reports(std::vector<std::pair<std::string, Json>>& reports, const EmitReport& emit) {
    std::vector<Json> hosts;
    MergedShards shards;
    Json tool;
    for (auto& [file, report] : reports) {
        // What the fleet's summary is made from must be there, of its type, in every host.
        auto is_host = [](const Json& host) {
            if (!host.is_object() || !host.contains("host") || !host["host"].is_string() ||
                !host.contains("errors") || !host["errors"].is_array() || !host.contains("worst") ||
                !host.contains("summary") || !host["summary"].is_object() ||
                !host.contains("scores") || !host["scores"].is_object())
                return false;
            for (const auto& [key, count] : host["summary"].items())
                if (key != "baseline" && key != "fixed" && !count.is_number_integer()) return false;
            for (std::string_view pack : kScoredPacks) {
                const Json& score = host["scores"].value(std::string(pack), Json());
                if (!score.is_null() &&
                    (!score.is_object() || !score.value("score", Json()).is_number_integer() ||
                     !score.value("grade", Json()).is_string()))
                    return false;
            }
            const Json& worst = host["worst"];
            return worst.is_null() ||
                   (worst.is_object() && worst.value("severity", Json()).is_string());
        };
        if (!report.is_object() || !report.contains("hosts") || !report["hosts"].is_array() ||
            !report.contains("fleet") ||
            report.value("version", Json()) != report::kJsonReportVersion ||
            !std::all_of(report["hosts"].begin(), report["hosts"].end(), is_host))
            return merge_failed(file +
                                ": not a fleet's JSON report (smaudit audit FLEET --format json)");
        if (tool.is_null()) tool = report["tool"];
        if (!same_json(report["tool"], tool))
            return merge_failed(file + ": made by " + report["tool"].dump() + ", another than " +
                                tool.dump());
        if (std::string error =
                shards.add_report(file, report.contains("shard") ? &report["shard"] : nullptr);
            !error.empty())
            return merge_failed(error);
        for (Json& host : report["hosts"]) {
            if (std::string error = shards.add_host(file, host["host"].get<std::string>());
                !error.empty())
                return merge_failed(error);
            hosts.push_back(std::move(host));
        }
    }
    if (std::string error = shards.complete(); !error.empty()) return merge_failed(error);
    std::sort(hosts.begin(), hosts.end(), [](const Json& a, const Json& b) {
        return a["host"].get<std::string>() < b["host"].get<std::string>();
    });
    FleetTotals totals;
    for (const Json& host : hosts)
        totals.add(host_row(host["host"], host["path"], host["errors"], host["scores"],
                            host["summary"], host["worst"]));
    Json merged = {{"version", report::kJsonReportVersion}, {"tool", tool}};
    merged["hosts"] = std::move(hosts);
    merged["fleet"] = totals.json();
    return emit([&](std::ostream& out) {
        out << merged.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    })
               ? kExitClean
               : kExitError;
}

// The SARIF logs of a fleet's shards (docs/ci.md "Sharding"): the log the unsharded run writes,
// written by its own writer from the hosts' parts read back: each host's results and
// notifications (properties.host) in their order, the rules of all, hosts sorted by name.
int merge_sarif_logs(std::vector<std::pair<std::string, Json>>& logs, const EmitReport& emit) {
    std::map<std::string, report::SarifHostPart> hosts;
    std::map<std::string, std::pair<Json, std::string>> rules; // id -> rule, file
    MergedShards shards;
    Json driver;
    std::string root_uri;
    bool failed = false;
    for (auto& entry : logs) {
        // Named, not a structured binding: part_of's lambda captures `file`, and clang before
        // 16 refuses to capture a structured binding.
        const std::string& file = entry.first;
        auto& log = entry.second;
        const std::string not_fleet =
            file + ": not a fleet's SARIF log (smaudit audit FLEET --format sarif)";
        const Json& runs = member_of(log, "runs");
        if (!runs.is_array() || runs.size() != 1) return merge_failed(not_fleet);
        const Json& run = runs[0];
        const Json& tool_driver = member_of(member_of(run, "tool"), "driver");
        const Json& run_results = member_of(run, "results");
        const Json& invocations = member_of(run, "invocations");
        const Json& base = member_of(member_of(run, "originalUriBaseIds"), "%SRCROOT%");
        if (member_of(tool_driver, "name") != "smaudit" ||
            !member_of(tool_driver, "rules").is_array() || !run_results.is_array() ||
            !invocations.is_array() || invocations.size() != 1 || !invocations[0].is_object() ||
            !member_of(base, "uri").is_string())
            return merge_failed(not_fleet);
        Json this_driver = tool_driver;
        this_driver.erase("rules");
        if (driver.is_null()) driver = this_driver;
        if (!same_json(this_driver, driver))
            return merge_failed(file + ": made by " + this_driver.dump() + ", another than " +
                                driver.dump());
        const Json& shard = member_of(member_of(run, "properties"), "shard");
        if (std::string error = shards.add_report(file, shard.is_null() ? nullptr : &shard);
            !error.empty())
            return merge_failed(error);
        // %SRCROOT% is the directory each shard ran in: the same in one CI system's jobs, which
        // check the repository out in the same place. Where it is not, the first log's is kept
        // (every result under it is relative to it) and the user told.
        if (root_uri.empty()) root_uri = base["uri"].get<std::string>();
        if (base["uri"] != root_uri)
            std::cerr << "smaudit: merge: " << file << ": %SRCROOT% is " << base["uri"].dump()
                      << ", the merged log's is " << Json(root_uri).dump()
                      << " (the first log's)\n";
        // A host's results and notifications, in their order; a host in no other file.
        std::set<std::string> seen;
        auto part_of = [&](const Json& item, std::string& error) -> report::SarifHostPart* {
            const Json& host = member_of(member_of(item, "properties"), "host");
            if (!host.is_string() || !member_of(item, "ruleIndex").is_null()) {
                error = not_fleet;
                return nullptr;
            }
            const std::string name = host.get<std::string>();
            if (seen.insert(name).second && !(error = shards.add_host(file, name)).empty())
                return nullptr;
            return &hosts[name];
        };
        for (const Json& result : run_results) {
            std::string error;
            report::SarifHostPart* part = part_of(result, error);
            if (part == nullptr) return merge_failed(error);
            // As the audit renders it: at level 4 of the log.
            part->results.push_back(report::StreamedObject::dump_at(result, 2, 4));
        }
        const Json& notes = member_of(invocations[0], "toolExecutionNotifications");
        if (!notes.is_null() && !notes.is_array()) return merge_failed(not_fleet);
        for (const Json& note : notes) {
            std::string error;
            report::SarifHostPart* part = part_of(note, error);
            if (part == nullptr) return merge_failed(error);
            part->notifications.push_back(note);
        }
        failed = failed || member_of(invocations[0], "executionSuccessful") != true;
        for (const Json& rule : member_of(tool_driver, "rules")) {
            const Json& id = member_of(rule, "id");
            if (!id.is_string()) return merge_failed(not_fleet);
            auto [it, added] = rules.emplace(id.get<std::string>(), std::pair{rule, file});
            if (!added && !same_json(it->second.first, rule))
                return merge_failed(file + ": rule " + id.get<std::string>() + " differs from " +
                                    it->second.second + "'s (other rules or policies)");
        }
    }
    if (std::string error = shards.complete(); !error.empty()) return merge_failed(error);
    return emit([&](std::ostream& out) {
        report::SarifFleetWriter writer(out, root_uri);
        report::SarifHostPart everyone; // the rules and the outcome, which are the run's
        for (auto& [id, rule] : rules)
            everyone.rules.emplace_back(id, std::move(rule.first));
        everyone.notifications = Json::array();
        everyone.failed = failed;
        writer.add(everyone);
        for (auto& [name, part] : hosts) {
            if (part.notifications.is_null()) part.notifications = Json::array();
            writer.add(part);
        }
        writer.end();
    })
               ? kExitClean
               : kExitError;
}

} // namespace

int merge_fleet_reports(const std::vector<std::string>& files, const EmitReport& emit) {
    std::vector<std::pair<std::string, Json>> reports;
    for (const std::string& file : files) {
        std::string text, error;
        if (!read_file_text(file, text, error)) return merge_failed(file + ": " + error);
        try {
            reports.emplace_back(file, Json::parse(text));
        } catch (const Json::parse_error& e) {
            return merge_failed(file + ": not JSON: " + e.what());
        }
    }
    // The first file says what is merged: JSON reports or SARIF logs, not both.
    const bool sarif = !reports.empty() && is_sarif_log(reports.front().second);
    for (const auto& [file, report] : reports)
        if (is_sarif_log(report) != sarif)
            return merge_failed(file + (sarif ? ": not a SARIF log, and " : ": a SARIF log, and ") +
                                reports.front().first + (sarif ? " is one" : " is not") +
                                ": merge the shards' JSON reports, or their SARIF logs");
    return sarif ? merge_sarif_logs(reports, emit) : merge_json_reports(reports, emit);
}

} // namespace smaudit
