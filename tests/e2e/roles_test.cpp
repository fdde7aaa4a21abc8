// Host roles end to end (docs/roles.md): what detection decides for Debian's stock MTA and MSP
// configurations and for the KB's Appendix A MX, in the JSON report and `show`; --role; and the
// severities the role × severity matrix gives the same finding on different roles.
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

using nlohmann::json;

namespace {

bool have(const char* path) {
    if (std::filesystem::exists(path)) return true;
    MESSAGE("skipped: no ", path);
    return false;
}

// The role object of the one configuration of an audit (files[] entry of PATH).
json role_of(const std::string& args, const std::string& path) {
    CliResult run = run_smaudit(args + " --format json");
    REQUIRE(run.code != 2);
    const json report = json::parse(run.out);
    for (const json& file : report["files"])
        if (file["path"] == path) return file.value("role", json());
    FAIL("no files[] entry for ", path);
    return {};
}

// rule -> severity of the audit's findings (each rule once).
std::map<std::string, std::string> severities(const std::string& args) {
    CliResult run = run_smaudit(args + " --format json");
    REQUIRE(run.code != 2);
    std::map<std::string, std::string> out;
    const json report = json::parse(run.out);
    for (const json& f : report["findings"])
        out[f["rule"]] = f["severity"];
    return out;
}

} // namespace

TEST_CASE("Debian's stock sendmail.mc and .cf: client-only (every daemon on 127.0.0.1)") {
    for (const char* path : {"/etc/mail/sendmail.mc", "/etc/mail/sendmail.cf"}) {
        if (!have(path)) continue;
        json role = role_of(path, path);
        CHECK(role == json::parse(R"({"name": "client-only", "source": "detected",
            "detected": "client-only", "why": "every daemon listens on 127.0.0.1",
            "exposed": false})"));
    }
}

TEST_CASE("Debian's submit.mc and submit.cf: the mail submission program") {
    for (const char* path : {"/etc/mail/submit.mc", "/etc/mail/submit.cf"}) {
        if (!have(path)) continue;
        json role = role_of(path, path);
        CHECK(role["name"] == "msp");
        CHECK(role["why"] == "FEATURE(`msp'): the mail submission program, never a daemon");
        CHECK(role["exposed"] == false);
        // Daemon limits, greeting, EXPN/VRFY and the size limit are the MTA's business: the
        // matrix drops them (SM-P003/P004/S020/S058 used to skip FEATURE(msp) themselves).
        auto found = severities(path);
        for (const char* rule : {"SM-P003", "SM-P004", "SM-S020", "SM-S022", "SM-S023", "SM-S058"})
            CHECK_MESSAGE(found.count(rule) == 0, rule, " on ", path);
    }
}

TEST_CASE("the KB's Appendix A reference config is an MX") {
    if (!have("/usr/share/sendmail/cf/m4/cf.m4")) return;
    const std::string mc = source_path("fixtures/e2e/appendix-a-mx.mc");
    json role = role_of(mc, mc);
    CHECK(role["name"] == "mx");
    CHECK(role["source"] == "detected");
    CHECK(role["why"] == "daemon MTA-v4 on port 25 on all addresses");
    CHECK(role["exposed"] == true);
}

TEST_CASE("--role overrides detection; the severities follow the role") {
    const char* mc = "/etc/mail/sendmail.mc";
    if (!have(mc)) return;
    // Detected client-only: EXPN/VRFY low, with the note; the version in the greeting is info.
    CliResult detected = run_smaudit(std::string(mc) + " --format json");
    std::map<std::string, json> by_rule;
    const json detected_report = json::parse(detected.out);
    for (const json& f : detected_report["findings"])
        by_rule[f["rule"]] = f;
    REQUIRE(by_rule.count("SM-S022"));
    CHECK(by_rule["SM-S022"]["severity"] == "low");
    CHECK(
        by_rule["SM-S022"]["message"].get<std::string>().ends_with(" (low on a client-only host)"));
    CHECK(by_rule["SM-S020"]["severity"] == "info");

    // The same file judged as an MX: the rules' own severities, no note.
    json role = role_of(std::string(mc) + " --role mx", mc);
    CHECK(role["name"] == "mx");
    CHECK(role["source"] == "given");
    CHECK(role["detected"] == "client-only");
    CliResult as_mx = run_smaudit(std::string(mc) + " --role mx --format json");
    const json mx_report = json::parse(as_mx.out);
    for (const json& f : mx_report["findings"]) {
        if (f["rule"] == "SM-S022") {
            CHECK(f["severity"] == "medium");
            CHECK(f["message"].get<std::string>().find(" on a") == std::string::npos);
        }
        if (f["rule"] == "SM-S020") CHECK(f["severity"] == "low");
    }
    CHECK(run_smaudit(std::string(mc) + " --no-color --role mx")
              .out.find("· role mx (given; detected client-only) ·") != std::string::npos);
    CHECK(run_smaudit(std::string(mc) + " --no-color")
              .out.find("· role client-only (detected: every daemon listens on 127.0.0.1) ·") !=
          std::string::npos);

    // An unknown role is a usage error.
    CHECK(run_smaudit(std::string(mc) + " --role gateway").code == 2);
}

TEST_CASE("show prints each configuration's role, text and JSON") {
    const char* mc = "/etc/mail/sendmail.mc";
    if (!have(mc)) return;
    CliResult text = run_smaudit(std::string("show ") + mc);
    CHECK(text.out.starts_with("# role client-only (detected: every daemon listens on "
                               "127.0.0.1)\n"));
    json shown = json::parse(run_smaudit(std::string("show --format json ") + mc).out);
    CHECK(shown["role"]["name"] == "client-only");
    json given =
        json::parse(run_smaudit(std::string("show --format json --role relay-hub ") + mc).out);
    CHECK(given["role"]["name"] == "relay-hub");
    CHECK(given["role"]["source"] == "given");
}

TEST_CASE("explain ends with the rule's severities by role, when it has a row") {
    CHECK(run_smaudit("explain SM-S022")
              .out.ends_with("\nSeverity by host role (docs/roles.md): mx medium, relay-hub "
                             "medium, submission medium, "
                             "client-only low, msp not a finding\n"));
    CHECK(run_smaudit("explain SM-S052").out.find("Severity by host role") == std::string::npos);
}
