// Text maps through the real binary: the map rules run on a directory holding only an access
// file (no configuration), and `show` prints a map's entries as sendmail stores them.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

// Writes `files` ({name, text}) into the test's own directory; returns its path.
const fs::path& with_files(const TempDir& dir,
                           const std::vector<std::pair<std::string, std::string>>& files) {
    for (const auto& [file, text] : files)
        std::ofstream(dir.path / file, std::ios::binary) << text;
    return dir.path;
}

} // namespace

TEST_CASE("a directory with only an access file: a TLD RELAY key is SM-S009 at its line") {
    TempDir scratch("smaudit-e2e-maps-tld");
    const fs::path& dir = with_files(scratch, {{"access", "# relays\n"
                                                          "Connect:192.0.2\tRELAY\n"
                                                          "To:org\tRELAY\n"
                                                          "Connect:198.51.100.7\tREJECT\n"}});
    CliResult run = run_smaudit("audit --format json --select SM-S009 " + dir.string());
    CHECK(run.code == 1); // a critical finding is at or above the default --fail-on
    auto report = nlohmann::json::parse(run.out);
    REQUIRE(report["findings"].size() == 1);
    const auto& finding = report["findings"][0];
    CHECK(finding["rule"] == "SM-S009");
    CHECK(finding["name"] == "access-relay-too-broad");
    CHECK(finding["severity"] == "critical");
    CHECK(finding["path"].get<std::string>().ends_with("/access"));
    CHECK(finding["line"] == 3);
    CHECK(finding["column"] == 4); // the key after `To:`
    CHECK(finding["end_column"] == 7);
}

TEST_CASE("maps audited without a configuration get their findings and exit code, not a grade") {
    TempDir scratch("smaudit-e2e-maps-grade");
    const fs::path& dir = with_files(scratch, {{"access", "To:org\tRELAY\n"}});
    const CliResult json = run_smaudit("audit --format json " + dir.string());
    CHECK(json.code == 1); // the finding still fails the gate
    const auto report = nlohmann::json::parse(json.out);
    CHECK(report["findings"].size() >= 1);
    for (const char* pack : {"security", "performance"}) {
        CAPTURE(pack);
        CHECK(report["scores"][pack].is_null());
        CHECK(report["not_scored"][pack] ==
              "no configuration was audited (no sendmail.cf or .mc), only maps");
    }
    const CliResult terminal = run_smaudit("audit " + dir.string());
    CHECK(terminal.out.find("security and performance not graded: no configuration was audited") !=
          std::string::npos);
    // With a configuration beside it, the same map is graded with it.
    std::ofstream(dir / "sendmail.cf") << "V10/Berkeley\n";
    const auto graded =
        nlohmann::json::parse(run_smaudit("audit --format json " + dir.string()).out);
    CHECK(graded["scores"]["security"].is_object());
}

// Issue 14: under a name that says nothing, this map was read as an aliases file ("alias
// CertIssuer appends every message to /C=CH/...") and its relay findings disappeared.
TEST_CASE("an access map under another name is typed by its entries and audited as one") {
    TempDir scratch("smaudit-e2e-maps-typed");
    const fs::path& dir =
        with_files(scratch, {{"policy.orig", "# TLS policy\n"
                                             "Srv_Features:\tl\n"
                                             "Srv_Features:192.168.1\tA\n"
                                             "Srv_Features:10.1\tV\n"
                                             "TLS_Srv:mx.example.ch\tVERIFY:128\n"
                                             "CertIssuer:/C=CH/O=Example+20Trust/CN=Root\tRELAY\n"
                                             "Connect:10 RELAY\n"
                                             "10\tRELAY\n"},
                             {"notes", "Connect:10\tRELAY\npostmaster: root\n"}});
    CliResult run = run_smaudit("--format json " + (dir / "policy.orig").string());
    auto report = nlohmann::json::parse(run.out);
    CHECK(report["files"][0]["kind"] == "access");
    std::vector<std::pair<std::string, int>> found;
    for (const auto& f : report["findings"])
        found.emplace_back(f["rule"], f["line"]);
    CHECK(found ==
          std::vector<std::pair<std::string, int>>{{"SM-S017", 6}, {"SM-S009", 7}, {"SM-S009", 8}});
    // Half access map, half aliases: smaudit says so instead of guessing.
    CliResult mixed = run_smaudit((dir / "notes").string(), true);
    CHECK(mixed.code == 2);
    CHECK(mixed.out.find("1 read as access map entries and 1 as aliases") != std::string::npos);
    CHECK(mixed.out.find("--kind") != std::string::npos);
}

TEST_CASE("aliases rules run on an aliases file alone") {
    TempDir scratch("smaudit-e2e-maps-aliases");
    const fs::path& dir = with_files(scratch, {{"aliases", "postmaster: root\n"
                                                           "MAILER-DAEMON: postmaster\n"
                                                           "abuse: root\n"
                                                           "decode: \"|/usr/bin/uudecode\"\n"}});
    CliResult run = run_smaudit("audit --format json --select SM-S044,SM-S049 " + dir.string());
    auto report = nlohmann::json::parse(run.out);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "SM-S044");
    CHECK(report["findings"][0]["line"] == 4);
}

TEST_CASE("show ACCESS --format json prints its entries as makemap stores them") {
    TempDir scratch("smaudit-e2e-maps-show");
    const fs::path& dir = with_files(scratch, {{"access", "# comment\n"
                                                          "Connect:192.0.2\tRELAY\n"
                                                          "TO:Example.ORG\tOK\n"}});
    CliResult run = run_smaudit("show --format json " + (dir / "access").string());
    REQUIRE(run.code == 0);
    auto shown = nlohmann::json::parse(run.out);
    CHECK(shown["kind"] == "access");
    const auto& entries = shown["entries"];
    REQUIRE(entries.size() == 2);
    CHECK(entries[0]["key"] == "connect:192.0.2");
    CHECK(entries[0]["value"] == "RELAY");
    CHECK(entries[0]["line"] == 2);
    CHECK(entries[1]["key"] == "to:example.org"); // makemap folds keys to lower case
    CHECK(entries[1]["value"] == "OK");
    CHECK(entries[1]["line"] == 3);
    // Any name, with the kind forced.
    fs::rename(dir / "access", dir / "site.access");
    CliResult forced =
        run_smaudit("show --kind access --format json " + (dir / "site.access").string());
    REQUIRE(forced.code == 0);
    CHECK(nlohmann::json::parse(forced.out)["entries"].size() == 2);
}
