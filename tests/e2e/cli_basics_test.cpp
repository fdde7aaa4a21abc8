// The CLI contract of design.md: subcommands, the default command, exit codes 0/1/2.
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

TEST_CASE("usage errors and unreadable paths exit 2") {
    CHECK(run_smaudit("--no-such-flag x").code == 2);
    CHECK(run_smaudit("audit").code == 2); // a path is required
    CliResult missing = run_smaudit("/nonexistent/sendmail.cf", true);
    CHECK(missing.code == 2);
    CHECK(missing.out.find("/nonexistent/sendmail.cf: no such file or directory") !=
          std::string::npos);
    CHECK(run_smaudit("explain SM-X999").code == 2);
    CHECK(run_smaudit("--select SM-Q9 " + source_path("fixtures/examples/sendmail.cf")).code == 2);
}

TEST_CASE("a named file smaudit cannot type is an error, not a clean report; --kind types it") {
    auto dir = std::filesystem::temp_directory_path() / "smaudit-e2e-kind";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "domains.txt").string();
    std::ofstream(path) << "example.org\nexample.net\n";
    CliResult unknown = run_smaudit("'" + path + "'", true);
    CHECK(unknown.code == 2);
    CHECK(unknown.out.find("A+") == std::string::npos); // no report of a file never read
    CHECK(unknown.out.find(path + ": cannot tell what kind of file this is") != std::string::npos);
    CHECK(unknown.out.find("--kind") != std::string::npos);
    CliResult forced = run_smaudit("--kind class --fail-on none '" + path + "'");
    CHECK(forced.code == 0);
    // An m4 file is read through its .mc.
    const std::string m4 = (dir / "site.m4").string();
    std::ofstream(m4) << "define(`confLOG_LEVEL', `9')dnl\n";
    CliResult m4_run = run_smaudit("'" + m4 + "'", true);
    CHECK(m4_run.code == 2);
    CHECK(m4_run.out.find("audit that .mc") != std::string::npos);
}

TEST_CASE("--version and --help") {
    CliResult version = run_smaudit("--version");
    CHECK(version.code == 0);
    CHECK(version.out == "smaudit 0.1.0\n");
    CliResult help = run_smaudit("--help");
    CHECK(help.code == 0);
    for (const char* word : {"audit", "show", "rules", "explain"})
        CHECK(help.out.find(word) != std::string::npos);
}

TEST_CASE("rules lists every rule with an explain page") {
    CliResult rules = run_smaudit("rules --format json");
    REQUIRE(rules.code == 0);
    auto list = nlohmann::json::parse(rules.out);
    REQUIRE(list.is_array());
    CHECK(list.size() > 0);
    for (const auto& rule : list) {
        std::string id = rule["id"];
        CliResult page = run_smaudit("explain " + id);
        CHECK_MESSAGE(page.code == 0, id);
        CHECK_MESSAGE(page.out.rfind("# " + id + " " + rule["name"].get<std::string>(), 0) == 0,
                      id);
    }
}

TEST_CASE("explain accepts a rule name as well as an ID") {
    auto list = nlohmann::json::parse(run_smaudit("rules --format json").out);
    REQUIRE(!list.empty());
    std::string id = list[0]["id"], name = list[0]["name"];
    CHECK(run_smaudit("explain " + name).out == run_smaudit("explain " + id).out);
}

TEST_CASE("a file with no findings at or above --fail-on exits 0; --output writes the file") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / "smaudit-e2e-output";
    fs::create_directories(dir);
    fs::path report = dir / "report.json";
    fs::remove(report);
    std::string example = source_path("fixtures/examples/sendmail.cf");
    CliResult none = run_smaudit(example + " --fail-on none --format json -o " + report.string());
    CHECK(none.code == 0);
    CHECK(none.out.empty());
    std::ifstream in(report);
    auto json = nlohmann::json::parse(in);
    CHECK(json["version"] == 1);
    CHECK(json["tool"]["name"] == "smaudit");
    // Written beside the target and renamed over it: no temporary file is left behind; a report
    // that cannot be written is exit 2 and touches nothing else.
    size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir))
        ++files;
    CHECK(files == 1);
    const auto size = fs::file_size(report);
    CHECK(run_smaudit(example + " --fail-on none -o " + (dir / "missing" / "r.txt").string(), true)
              .code == 2);
    CHECK(fs::file_size(report) == size);
}
