// --cpus, --memory and --queue-fs-size as a user types them, and which machine speaks for the
// host: only the live /etc/mail reads the machine smaudit runs on; a copy never does. The
// figures these tests check are given or assumed, so they hold on any test machine.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace {

// The messages of the findings of one rule in a JSON report.
std::vector<std::string> messages(const CliResult& run, const std::string& rule) {
    std::vector<std::string> out;
    const nlohmann::json report = nlohmann::json::parse(run.out);
    for (const auto& f : report["findings"])
        if (f["rule"] == rule) out.push_back(f["message"]);
    return out;
}

} // namespace

TEST_CASE("host figures on the command line: units, slips and what the findings say") {
    TempDir dir;
    const auto cf = dir.path / "sendmail.cf";
    std::ofstream(cf) << "V10/Berkeley\nO RefuseLA=12\nO MinFreeBlocks=100\n";
    const std::string path = "'" + cf.string() + "'";

    // A copy outside /etc/mail: the catalog's assumption (RefuseLA 12 is fine on 4 CPUs).
    CliResult assumed = run_smaudit(path + " --select SM-P006,SM-P030 --format json");
    CHECK(messages(assumed, "SM-P006").empty());
    REQUIRE(messages(assumed, "SM-P030").size() == 1);
    CHECK(messages(assumed, "SM-P030")[0].find(
              "at 4 KiB blocks (assumed: ext4 and xfs make them), less than 0.1% of a 20 GiB "
              "queue file system (assumed for a general-purpose MX; give --queue-fs-size)") !=
          std::string::npos);

    CliResult given = run_smaudit(path + " --cpus 16 --queue-fs-size 1.5T --memory 512M " +
                                  "--select SM-P006,SM-P030 --format json");
    REQUIRE(messages(given, "SM-P006").size() == 1);
    CHECK(messages(given, "SM-P006")[0].starts_with(
        "RefuseLA 12 is only 0.7 per CPU on 16 CPUs (--cpus 16): "));
    CHECK(messages(given, "SM-P030")[0].find("of a 1.5 TiB queue file system (--queue-fs-size "
                                             "1.5 TiB)") != std::string::npos);

    // Slips are usage errors (exit 2) that say what was wrong.
    CliResult bare = run_smaudit(path + " --memory 8", true);
    CHECK(bare.code == 2);
    CHECK(bare.out.find("--memory: `8` is 8 bytes: a number without a unit counts bytes (did you "
                        "mean 8G?)") != std::string::npos);
    CliResult unit = run_smaudit(path + " --queue-fs-size 20Q", true);
    CHECK(unit.code == 2);
    CHECK(unit.out.find("unknown unit `q`") != std::string::npos);
    CHECK(run_smaudit(path + " --cpus 0", true).code == 2);
    CHECK(run_smaudit(path + " --cpus many", true).code == 2);
}

TEST_CASE("the live /etc/mail reads this machine; the same file elsewhere does not") {
    const std::filesystem::path live = "/etc/mail/sendmail.cf";
    if (!std::filesystem::exists(live)) {
        MESSAGE("skipped: no ", live.string());
        return;
    }
    // The live file: statvfs of its queue directory, sizes and block size (the numbers are the
    // machine's, only the words are checked). A copy: the assumption.
    const std::string options = " --select SM-P030 --format json";
    CliResult at_home = run_smaudit(live.string() + options);
    REQUIRE(messages(at_home, "SM-P030").size() == 1);
    CHECK(messages(at_home, "SM-P030")[0].find("blocks (the queue file system's)") !=
          std::string::npos);
    CHECK(messages(at_home, "SM-P030")[0].find("queue file system (statvfs of /") !=
          std::string::npos);

    TempDir dir;
    std::filesystem::copy_file(live, dir.path / "sendmail.cf");
    CliResult copy = run_smaudit("'" + (dir.path / "sendmail.cf").string() + "'" + options);
    REQUIRE(messages(copy, "SM-P030").size() == 1);
    CHECK(messages(copy, "SM-P030")[0].find("blocks (assumed: ext4 and xfs make them), less "
                                            "than 0.1% of a 20 GiB queue file system (assumed "
                                            "for a general-purpose MX; give --queue-fs-size)") !=
          std::string::npos);
    // Without --cpus the machine speaks for the live file: "online on this host".
    CliResult cpus = run_smaudit(live.string() + " --select SM-P002,SM-P003 --format json");
    const nlohmann::json report = nlohmann::json::parse(cpus.out);
    CHECK_FALSE(report["findings"].empty());
    for (const auto& f : report["findings"])
        CHECK(std::string(f["message"]).find("this host's /proc/meminfo") != std::string::npos);
}
