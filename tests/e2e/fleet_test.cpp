// Fleets (issue 13, docs/ci.md "Fleets"): a directory of hosts is audited host by host, each host
// exactly as a single audit of its directory, findings and scores tagged with their host; the
// output is the same bytes for any --jobs; shards merged with `smaudit merge` give the unsharded
// report; one baseline serves the fleet; a host directory alone is audited as before.
#include "../support/read_text.hpp"
#include "../support/temp_dir.hpp"
#include "app/fleet.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// A fleet of three hosts made from the fixtures, in a temp dir: alpha and gamma /etc/mail-style
// (hosts/NAME/etc/mail: .mc, access, aliases), beta a bare .cf; `notes` holds no configuration.
struct Fleet {
    TempDir dir{"smaudit-fleet"};
    Fleet() {
        const fs::path fixtures = fs::path(SMAUDIT_SOURCE_DIR) / "fixtures";
        const fs::path hosts = dir.path / "hosts";
        for (const auto& [host, from] :
             {std::pair{"alpha", "policies/bad"}, {"gamma", "policies/good"}}) {
            fs::create_directories(hosts / host / "etc" / "mail");
            for (const char* file : {"sendmail.mc", "access", "aliases"})
                fs::copy_file(fixtures / from / file, hosts / host / "etc" / "mail" / file);
        }
        fs::create_directories(hosts / "beta");
        fs::copy_file(fixtures / "examples" / "sendmail.cf", hosts / "beta" / "sendmail.cf");
        fs::create_directories(hosts / "notes");
        std::ofstream(hosts / "notes" / "README") << "not a host\n";
    }
    // smaudit ARGS run in the temp dir (paths in the reports relative to it).
    CliResult run(const std::string& args, bool with_stderr = false) const {
        return run_command("cd '" + dir.path.string() + "' && NO_COLOR=1 " + SMAUDIT_BINARY + " " +
                           args + (with_stderr ? " 2>&1" : " 2>/dev/null"));
    }
    std::string file(const std::string& name) const { return read_whole_file(dir.path / name); }
};

const std::vector<std::string> kHosts = {"alpha", "beta", "gamma"};

} // namespace

TEST_CASE("fleet: each host audited as its own unit, findings and scores tagged with the host") {
    Fleet fleet;
    const CliResult run = fleet.run("audit hosts --format json");
    CHECK(run.code == 1); // findings at or above low on some host
    const Json report = Json::parse(run.out);
    REQUIRE(report.contains("hosts"));
    std::vector<std::string> names;
    for (const Json& host : report["hosts"])
        names.push_back(host["host"]);
    CHECK(names == kHosts); // sorted, `notes` left out

    Json totals = {{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}, {"info", 0}};
    for (const Json& host : report["hosts"]) {
        const std::string name = host["host"];
        CAPTURE(name);
        CHECK(host["path"] == "hosts/" + name);
        // What a single audit of the host's directory reports, the same findings and scores.
        const std::string config_dir =
            name == "beta" ? "hosts/beta" : "hosts/" + name + "/etc/mail";
        const Json single = Json::parse(fleet.run("audit " + config_dir + " --format json").out);
        REQUIRE(!single["findings"].empty());
        REQUIRE(host["findings"].size() == single["findings"].size());
        for (size_t i = 0; i < single["findings"].size(); ++i) {
            Json finding = host["findings"][i];
            CHECK(finding["host"] == name);
            CHECK(std::string(finding["path"]).starts_with(config_dir + "/"));
            finding.erase("host");
            CHECK(finding == single["findings"][i]);
        }
        CHECK(host["scores"] == single["scores"]);
        CHECK(host["summary"] == single["summary"]);
        CHECK(host["files"] == single["files"]);
        // The worst finding: the first at the highest severity.
        const Json& worst = host["worst"];
        for (const char* severity : {"critical", "high", "medium", "low", "info"}) {
            auto first = std::find_if(host["findings"].begin(), host["findings"].end(),
                                      [&](const Json& f) { return f["severity"] == severity; });
            if (first == host["findings"].end()) continue;
            CHECK(worst["rule"] == (*first)["rule"]);
            CHECK(worst["line"] == (*first)["line"]);
            break;
        }
        for (auto& [severity, count] : totals.items())
            count = count.get<int>() + single["summary"][severity].get<int>();
    }
    const Json& summary = report["fleet"];
    CHECK(summary["hosts"] == 3);
    for (auto& [severity, count] : totals.items())
        CHECK(summary["summary"][severity] == count);
    // The lowest security score is the smallest of the hosts'.
    int lowest = 101;
    std::string lowest_host;
    for (const Json& host : report["hosts"])
        if (!host["scores"]["security"].is_null() && host["scores"]["security"]["score"] < lowest) {
            lowest = host["scores"]["security"]["score"];
            lowest_host = host["host"];
        }
    CHECK(summary["lowest"]["security"]["score"] == lowest);
    CHECK(summary["lowest"]["security"]["host"] == lowest_host);

    // The directory that is no host is named on stderr.
    CHECK(fleet.run("audit hosts --format json", true)
              .out.find("hosts/notes: no host (no sendmail.cf or sendmail.mc") !=
          std::string::npos);
}

TEST_CASE("fleet: the report is the same bytes for --jobs 1 and --jobs 2, in every format") {
    Fleet fleet;
    for (const char* format : {"json", "sarif", "terminal", "github"}) {
        CAPTURE(format);
        const CliResult one = fleet.run(std::string("audit hosts --jobs 1 --format ") + format);
        const CliResult two = fleet.run(std::string("audit hosts --jobs 2 --format ") + format);
        CHECK(one.code == 1);
        CHECK(two.code == one.code);
        CHECK(!one.out.empty());
        CHECK(one.out == two.out);
    }
}

TEST_CASE("fleet: --host-times writes each host's CPU time, in host order; the report unchanged") {
    Fleet fleet;
    const CliResult plain = fleet.run("audit hosts --jobs 1 --format json");
    const CliResult timed = fleet.run("audit hosts --jobs 2 --format json --host-times times.tsv");
    CHECK(timed.code == plain.code);
    CHECK(timed.out == plain.out);
    std::istringstream lines(fleet.file("times.tsv"));
    std::vector<std::string> hosts;
    for (std::string line; std::getline(lines, line);) {
        CAPTURE(line);
        const size_t tab = line.find('\t');
        REQUIRE(tab != std::string::npos);
        hosts.push_back(line.substr(0, tab));
        const std::string micros = line.substr(tab + 1);
        REQUIRE(!micros.empty());
        CHECK(micros.find_first_not_of("0123456789") == std::string::npos);
        // Each host parses and audits a whole configuration: well over a microsecond of CPU.
        CHECK(std::stoll(micros) > 0);
    }
    CHECK(hosts == kHosts);
    // Only a fleet's hosts are timed.
    const CliResult single = fleet.run("audit hosts/beta --host-times single.tsv", true);
    CHECK(single.code == 2);
    CHECK(single.out.find("--host-times: the path is no fleet") != std::string::npos);
    CHECK(!fs::exists(fleet.dir.path / "single.tsv"));
}

TEST_CASE(
    "fleet: --shard i/n puts every host in one shard; merged shards give the fleet's report") {
    Fleet fleet;
    const std::string whole = fleet.run("audit hosts --format json").out;
    for (unsigned count : {2U, 3U}) {
        CAPTURE(count);
        std::multiset<std::string> seen;
        std::string merge_args;
        for (unsigned i = 1; i <= count; ++i) {
            const std::string name = "shard" + std::to_string(i) + ".json";
            fleet.run("audit hosts --format json -o " + name + " --shard " + std::to_string(i) +
                      "/" + std::to_string(count));
            const Json shard = Json::parse(fleet.file(name));
            CHECK(shard["shard"] == Json{{"index", i}, {"count", count}});
            for (const Json& host : shard["hosts"])
                seen.insert(host["host"].get<std::string>());
            merge_args += " " + name;
        }
        CHECK(seen == std::multiset<std::string>(kHosts.begin(), kHosts.end()));
        const CliResult merged = fleet.run("merge" + merge_args);
        CHECK(merged.code == 0);
        CHECK(merged.out == whole);
        CHECK(fleet.run("merge" + merge_args + " -o merged.json").code == 0);
        CHECK(fleet.file("merged.json") == whole);
    }
    // A missing shard, a shard twice, a report that is no fleet's: refused.
    const CliResult missing = fleet.run("merge shard1.json shard2.json", true);
    CHECK(missing.code == 2);
    CHECK(missing.out.find("shard 3/3 is missing") != std::string::npos);
    CHECK(fleet.run("merge shard1.json shard1.json shard2.json shard3.json").code == 2);
    fleet.run("audit hosts/beta --format json -o single.json");
    const CliResult single = fleet.run("merge single.json", true);
    CHECK(single.code == 2);
    CHECK(single.out.find("not a fleet's JSON report") != std::string::npos);
    // Malformed reports: a clear refusal, not an internal error.
    for (const char* bad :
         {"[]", R"({"version": 1, "hosts": [{"host": 3}], "fleet": {}})",
          R"({"version": 1, "shard": {"index": -1, "count": 2}, "hosts": [], "fleet": {}})",
          R"({"version": 1, "shard": {"index": 3, "count": 2}, "hosts": [], "fleet": {}})"}) {
        CAPTURE(bad);
        std::ofstream(fleet.dir.path / "bad.json") << bad;
        const CliResult refused = fleet.run("merge bad.json", true);
        CHECK(refused.code == 2);
        CHECK(refused.out.starts_with("smaudit: merge: bad.json: "));
        CHECK(refused.out.find("internal error") == std::string::npos);
    }
    // A count of billions: refused at once, without counting to it.
    std::ofstream(fleet.dir.path / "huge.json")
        << R"({"version": 1, "shard": {"index": 1, "count": 4000000000}, "hosts": [], "fleet": {}})";
    const CliResult huge = fleet.run("merge huge.json", true);
    CHECK(huge.code == 2);
    CHECK(huge.out.find("shard 2/4000000000 is missing") != std::string::npos);
    CHECK(fleet.run("audit hosts --shard 3/2").code == 2);
    CHECK(fleet.run("audit hosts/beta --shard 1/2").code == 2); // no fleet
}

TEST_CASE("fleet: the terminal shows each host's findings, then a per-host summary table") {
    Fleet fleet;
    const CliResult run = fleet.run("audit hosts");
    const Json report = Json::parse(fleet.run("audit hosts --format json").out);
    CHECK(run.code == 1);
    for (const std::string& name : kHosts)
        CHECK(run.out.find("== host " + name + " (hosts/" + name) != std::string::npos);
    const size_t table = run.out.find("\nFleet: 3 hosts · ");
    REQUIRE(table != std::string::npos);
    const std::string tail = run.out.substr(table);
    CHECK(tail.find("\nhost   security") != std::string::npos);
    for (const Json& host : report["hosts"]) {
        // "beta   60/100 D    71/100 C ... medium SM-P003 unlimited-daemon-children (...)"
        const std::string name = host["host"];
        const size_t row = tail.find("\n" + name + " ");
        REQUIRE(row != std::string::npos);
        const std::string line = tail.substr(row + 1, tail.find('\n', row + 1) - row - 1);
        CAPTURE(line);
        const Json& security = host["scores"]["security"];
        REQUIRE(!security.is_null());
        CHECK(line.find(std::to_string(security["score"].get<int>()) + "/100 " +
                        security["grade"].get<std::string>()) != std::string::npos);
        CHECK(line.find(host["worst"]["severity"].get<std::string>() + " " +
                        host["worst"]["rule"].get<std::string>()) != std::string::npos);
    }
    // --quiet: the findings, no table.
    CHECK(fleet.run("audit hosts -q").out.find("Fleet:") == std::string::npos);
}

TEST_CASE("fleet: SARIF is one run, each result with its host") {
    Fleet fleet;
    const Json log = Json::parse(fleet.run("audit hosts --format sarif").out);
    REQUIRE(log["runs"].size() == 1);
    const Json& run = log["runs"][0];
    std::set<std::string> hosts, rules;
    for (const Json& rule : run["tool"]["driver"]["rules"])
        rules.insert(rule["id"].get<std::string>());
    REQUIRE(!run["results"].empty());
    for (const Json& result : run["results"]) {
        const std::string host = result["properties"]["host"];
        hosts.insert(host);
        const std::string uri =
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        CHECK(uri.starts_with("hosts/" + host + "/"));
        CHECK(rules.count(result["ruleId"].get<std::string>()) == 1);
        CHECK(!result.contains("ruleIndex"));
    }
    CHECK(hosts == std::set<std::string>(kHosts.begin(), kHosts.end()));
}

TEST_CASE("fleet: merged SARIF shards give the fleet's SARIF log, byte for byte") {
    Fleet fleet;
    // A host whose .mc makes a .cf sendmail would refuse: its packs are not graded, which the log
    // says in a notification of that host.
    fs::create_directories(fleet.dir.path / "hosts" / "delta");
    std::ofstream(fleet.dir.path / "hosts" / "delta" / "sendmail.mc") << "not a configuration\n";
    std::set<std::string> all_hosts(kHosts.begin(), kHosts.end());
    all_hosts.insert("delta");
    const std::string whole = fleet.run("audit hosts --format sarif --fail-on none").out;
    const Json whole_log = Json::parse(whole);
    const Json& notes =
        whole_log.at("runs").at(0).at("invocations").at(0).at("toolExecutionNotifications");
    REQUIRE(!notes.empty());
    for (const Json& note : notes) {
        CHECK(note["properties"]["host"] == "delta");
        CHECK(note["message"]["text"].get<std::string>().starts_with("host delta: "));
    }
    CHECK(!whole_log["runs"][0].contains("properties")); // no shard
    for (unsigned count : {2U, 3U}) {
        CAPTURE(count);
        std::string merge_args;
        std::set<std::string> hosts;
        for (unsigned i = 1; i <= count; ++i) {
            const std::string name = "shard" + std::to_string(i) + ".sarif";
            fleet.run("audit hosts --format sarif --fail-on none -o " + name + " --shard " +
                      std::to_string(i) + "/" + std::to_string(count));
            const Json shard = Json::parse(fleet.file(name));
            CHECK(shard["runs"][0]["properties"]["shard"] == Json{{"index", i}, {"count", count}});
            for (const Json& result : shard["runs"][0]["results"]) {
                const std::string host = result["properties"]["host"];
                CHECK(smaudit::shard_of(host, count) == i); // the shard audits only its own hosts
                hosts.insert(host);
            }
            merge_args += " " + name;
        }
        CHECK(hosts == all_hosts);
        const CliResult merged = fleet.run("merge" + merge_args, true);
        CHECK(merged.code == 0);
        CHECK(merged.out == whole);
    }
    // Shards run in another checkout of the same tree: only %SRCROOT% can differ; the first
    // log's is kept, and the user is told.
    TempDir other("smaudit-fleet-other");
    fs::copy(fleet.dir.path / "hosts", other.path / "hosts", fs::copy_options::recursive);
    const CliResult elsewhere =
        run_command("cd '" + other.path.string() + "' && " + SMAUDIT_BINARY +
                    " audit hosts --format sarif --fail-on none --shard 2/3 -o '" +
                    (fleet.dir.path / "moved2.sarif").string() + "'");
    CHECK(elsewhere.code == 0);
    const CliResult moved = fleet.run("merge shard1.sarif moved2.sarif shard3.sarif", true);
    CHECK(moved.code == 0);
    CHECK(moved.out.find("moved2.sarif: %SRCROOT% is") != std::string::npos);
    const CliResult moved_log =
        fleet.run("merge shard1.sarif moved2.sarif shard3.sarif -o moved.sarif");
    CHECK(moved_log.code == 0);
    CHECK(fleet.file("moved.sarif") == whole);
    // Refused: a missing shard, JSON and SARIF mixed, a single audit's log.
    const CliResult missing = fleet.run("merge shard1.sarif shard2.sarif", true);
    CHECK(missing.code == 2);
    CHECK(missing.out.find("shard 3/3 is missing") != std::string::npos);
    fleet.run("audit hosts --format json --shard 3/3 -o shard3.json");
    const CliResult mixed = fleet.run("merge shard1.sarif shard2.sarif shard3.json", true);
    CHECK(mixed.code == 2);
    CHECK(mixed.out.find("shard3.json: not a SARIF log") != std::string::npos);
    // Logs of another smaudit, or describing a rule otherwise (other policies): refused; the
    // same members in another order (Json here sorts them) are not another tool.
    const Json shard2 = Json::parse(fleet.file("shard2.sarif"));
    std::ofstream(fleet.dir.path / "sorted2.sarif") << shard2.dump();
    CHECK(fleet.run("merge shard1.sarif sorted2.sarif shard3.sarif").code == 0);
    Json other_version = shard2;
    other_version["runs"][0]["tool"]["driver"]["semanticVersion"] = "0.0.1";
    std::ofstream(fleet.dir.path / "other2.sarif") << other_version.dump();
    const CliResult versions = fleet.run("merge shard1.sarif other2.sarif shard3.sarif", true);
    CHECK(versions.code == 2);
    CHECK(versions.out.find("other2.sarif: made by ") != std::string::npos);
    const Json shard1 = Json::parse(fleet.file("shard1.sarif"));
    REQUIRE(!shard1["runs"][0]["tool"]["driver"]["rules"].empty());
    Json other_rule = shard2;
    other_rule["runs"][0]["tool"]["driver"]["rules"] = shard1["runs"][0]["tool"]["driver"]["rules"];
    other_rule["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "https://example.invalid/";
    std::ofstream(fleet.dir.path / "other2.sarif") << other_rule.dump();
    const CliResult rules = fleet.run("merge shard1.sarif other2.sarif shard3.sarif", true);
    CHECK(rules.code == 2);
    CHECK(rules.out.find("other2.sarif: rule ") != std::string::npos);
    fleet.run("audit hosts/beta --format sarif -o single.sarif");
    const CliResult single = fleet.run("merge single.sarif", true);
    CHECK(single.code == 2);
    CHECK(single.out.find("not a fleet's SARIF log") != std::string::npos);
    for (const char* bad :
         {R"({"version": "2.1.0", "runs": [{"tool": 3}]})", R"({"version": "2.1.0", "runs": "x"})",
          R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name":
                                "smaudit", "rules": [5]}}, "results": [], "invocations": [{}],
                                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///"}}}]})"}) {
        CAPTURE(bad);
        std::ofstream(fleet.dir.path / "bad.sarif") << bad;
        const CliResult refused = fleet.run("merge bad.sarif", true);
        CHECK(refused.code == 2);
        CHECK(refused.out.starts_with("smaudit: merge: bad.sarif: not a fleet's SARIF log"));
    }
}

TEST_CASE("fleet: --sarif-output writes the SARIF log from the same audit as the report") {
    Fleet fleet;
    const std::string sarif = fleet.run("audit hosts --format sarif --fail-on none").out;
    for (const char* format : {"json", "terminal", "github"}) {
        CAPTURE(format);
        const CliResult alone = fleet.run(std::string("audit hosts --format ") + format);
        const CliResult both = fleet.run(std::string("audit hosts --format ") + format +
                                         " --sarif-output both.sarif --jobs 2");
        CHECK(both.code == alone.code);
        CHECK(both.out == alone.out);
        CHECK(fleet.file("both.sarif") == sarif);
    }
    // One audit per shard job gives both merges.
    std::string json_shards, sarif_shards;
    for (const char* shard : {"1", "2"}) {
        fleet.run(std::string("audit hosts --shard ") + shard + "/2 --format json -o s" + shard +
                  ".json --sarif-output s" + shard + ".sarif");
        json_shards += std::string(" s") + shard + ".json";
        sarif_shards += std::string(" s") + shard + ".sarif";
    }
    CHECK(fleet.run("merge" + json_shards).out == fleet.run("audit hosts --format json").out);
    CHECK(fleet.run("merge" + sarif_shards).out == sarif);
    // Refused: a SARIF report already, a file that cannot be written.
    const CliResult twice = fleet.run("audit hosts --format sarif --sarif-output x.sarif", true);
    CHECK(twice.code == 2);
    CHECK(twice.out.find("--sarif-output: the report of --format sarif") != std::string::npos);
    CHECK(!fs::exists(fleet.dir.path / "x.sarif"));
    const CliResult unwritable =
        fleet.run("audit hosts --format json --sarif-output no-such-dir/x.sarif", true);
    CHECK(unwritable.code == 2);
    CHECK(unwritable.out.find("cannot write no-such-dir/x.sarif") != std::string::npos);
}

TEST_CASE("fleet: exit code worst over hosts; one baseline serves the fleet") {
    Fleet fleet;
    CHECK(fleet.run("audit hosts --fail-on none").code == 0);
    CHECK(fleet.run("audit hosts --fail-on critical").code == 0); // no critical on any host
    CHECK(fleet.run("audit hosts --fail-on high").code == 1);     // alpha's high findings

    const CliResult written = fleet.run("audit hosts --write-baseline base.json");
    CHECK(written.code == 0);
    const Json before = Json::parse(fleet.run("audit hosts --format json").out);
    size_t findings = 0;
    for (const Json& host : before["hosts"])
        findings += host["findings"].size();
    CHECK(findings > 0);
    CHECK(written.out == "recorded " + std::to_string(findings) + " findings in base.json\n");
    const CliResult after = fleet.run("audit hosts --baseline base.json --format json");
    CHECK(after.code == 0);
    const Json report = Json::parse(after.out);
    for (size_t i = 0; i < kHosts.size(); ++i) {
        const Json& host = report["hosts"][i];
        CAPTURE(host["host"]);
        CHECK(host["findings"].empty());
        // Each host matched its own findings, and no other host's entry counts as gone.
        CHECK(host["summary"]["baseline"]["matched"] == before["hosts"][i]["findings"].size());
        CHECK(host["summary"]["baseline"]["gone"] == 0);
    }
}

TEST_CASE("fleet: a host's directory alone is audited as before; fleet-only refusals") {
    Fleet fleet;
    const Json single = Json::parse(fleet.run("audit hosts/alpha/etc/mail --format json").out);
    CHECK(!single.contains("hosts"));
    CHECK(single.contains("findings"));
    // hosts/alpha holds etc/mail with a sendmail.mc: a host, not a fleet; and, as before, no
    // sendmail file in the directory itself.
    const CliResult host_dir = fleet.run("audit hosts/alpha --format json", true);
    CHECK(host_dir.code == 2);
    CHECK(host_dir.out.find("hosts/alpha: no sendmail file here") != std::string::npos);
    for (const char* refused : {"--fix", "--diff", "--format gitlab", "--format nagios"}) {
        CAPTURE(refused);
        const CliResult run = fleet.run(std::string("audit hosts ") + refused, true);
        CHECK(run.code == 2);
        CHECK(run.out.find("not for a fleet of hosts") != std::string::npos);
    }
}

TEST_CASE("-o to a FIFO writes into it and leaves it a FIFO (as for /dev/null)") {
    // Renaming the report over the output would have replaced /dev/null with a regular file.
    Fleet fleet;
    const fs::path fifo = fleet.dir.path / "pipe";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    const CliResult run =
        run_command("cd '" + fleet.dir.path.string() + "' && (cat pipe > got &) && NO_COLOR=1 " +
                    SMAUDIT_BINARY + " audit hosts --format json -o pipe 2>/dev/null; echo $?");
    CHECK(run.out == "1\n");
    CHECK(fs::is_fifo(fifo));
    // The reader has the report once it saw the end of the FIFO.
    for (int i = 0; i < 100 && fleet.file("got").find("\"fleet\"") == std::string::npos; ++i)
        usleep(20000);
    CHECK(fleet.file("got") == fleet.run("audit hosts --format json").out);
}

TEST_CASE("fleet: a host whose report fails to render is an error entry; the report stays whole") {
    // No real input is known to make rendering throw: the failure is injected before beta's
    // report is rendered, as an exception from any reporter would arrive.
    Fleet fleet;
    std::vector<std::string> not_hosts;
    const std::string fleet_dir = (fleet.dir.path / "hosts").string();
    const std::vector<smaudit::FleetHost> hosts = smaudit::find_fleet(fleet_dir, not_hosts);
    REQUIRE(hosts.size() == 3);
    for (const char* format : {"json", "sarif", "terminal"}) {
        CAPTURE(format);
        smaudit::FleetOptions options;
        options.format = format;
        options.jobs = 2;
        options.before_render = [](const smaudit::FleetHost& host) {
            if (host.name == "beta") throw std::runtime_error("rendering broke");
        };
        std::ostringstream out;
        const int code = smaudit::run_fleet(smaudit::AuditRequest{}, fleet_dir, hosts, options,
                                            [&](const auto& write) {
                                                write(out);
                                                return true;
                                            });
        CHECK(code == 2); // docs/ci.md: an internal error breaks the gate, exit 2
        if (std::string(format) == "terminal") {
            CHECK(out.str().find("== host beta (") != std::string::npos);
            continue;
        }
        Json report;
        REQUIRE_NOTHROW(report = Json::parse(out.str()));
        if (std::string(format) == "sarif") {
            CHECK(report["runs"][0]["invocations"][0]["executionSuccessful"] == false);
            continue;
        }
        REQUIRE(report["hosts"].size() == 3);
        const Json& beta = report["hosts"][1];
        CHECK(beta["host"] == "beta");
        REQUIRE(beta["errors"].size() == 1);
        CHECK(beta["errors"][0]["path"] == hosts[1].config_dir);
        CHECK(beta["errors"][0]["message"] == "internal error: rendering broke");
        CHECK(beta["findings"].empty());
        CHECK(beta["scores"]["security"].is_null()); // not graded
        CHECK(report["hosts"][0]["errors"].empty());
        CHECK(report["hosts"][2]["errors"].empty());
        CHECK(report["fleet"]["hosts"] == 3);
        CHECK(report["fleet"]["hosts_with_errors"] == 1);
        CHECK(report["fleet"]["grades"]["security"]["not graded"] == 1);
    }
}

TEST_CASE("fleet: a host's error about one place carries its line and column, as on stderr") {
    Fleet fleet;
    // gamma's access map: line 2 is longer than the 1 MiB smaudit reads of a line; the first
    // column past the limit is 1 + 2^20 (ASCII: a byte is a column).
    std::ofstream(fleet.dir.path / "hosts/gamma/etc/mail/access", std::ios::app)
        << std::string(1 << 20, 'x') << " OK\n";
    {
        std::ifstream in(fleet.dir.path / "hosts/gamma/etc/mail/access");
        std::string first;
        std::getline(in, first);
        REQUIRE(first.size() < 100); // the appended line is the file's line 2 at least
    }
    const std::string access = "hosts/gamma/etc/mail/access";
    const std::string text = fleet.file(access);
    const size_t line =
        1 + static_cast<size_t>(std::count(text.begin(), text.end() - (1 << 20) - 4, '\n'));
    const std::string place = access + ":" + std::to_string(line) + ":1048577: ";
    const CliResult single = fleet.run("audit hosts/gamma/etc/mail --format json", true);
    CHECK(single.code == 2);
    CHECK(single.out.find(place) != std::string::npos);

    const CliResult run = fleet.run("audit hosts --format json");
    CHECK(run.code == 2);
    const Json report = Json::parse(run.out);
    const Json& gamma = report["hosts"][2];
    REQUIRE(gamma["errors"].size() == 1);
    CHECK(gamma["errors"][0]["path"] == access);
    CHECK(gamma["errors"][0]["line"] == line);
    CHECK(gamma["errors"][0]["column"] == 1048577);
    CHECK(gamma["errors"][0]["message"].get<std::string>().starts_with("line "));
    // Stderr says it as the single audit does.
    CHECK(fleet.run("audit hosts --format json", true).out.find(place) != std::string::npos);
}
