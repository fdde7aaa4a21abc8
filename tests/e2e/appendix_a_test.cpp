// Issues 7 and 8, "done when": the catalog's Appendix A reference MX
// (fixtures/e2e/appendix-a-mx.mc, and the .cf real m4 makes of it) is A+ in security, and gets
// exactly the findings listed here, each with its reason. A rule that starts or stops reporting on
// it fails this test until the list says why.
#include "../support/run_command.hpp"
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace {

using Findings = std::map<std::string, std::string>; // rule -> severity

// Appendix A sets no Timeout.datablock, Timeout.connect, HostStatusDirectory or MinFreeBlocks,
// and writes the stock Received: header.
const std::map<std::string, std::pair<std::string, std::string>> kExpected = {
    {"SM-P009", {"medium", "Timeout.datablock left at 1 hour, with 100 daemon children"}},
    {"SM-P011", {"low", "no Timeout.connect: a dead host stalls each delivery attempt"}},
    {"SM-P014", {"low", "no HostStatusDirectory: each process relearns which hosts are down"}},
    {"SM-P030", {"low", "cfhead.m4's MinFreeBlocks=100, 400 KiB of a 20 GiB queue file system"}},
    {"SM-S030", {"info", "the stock Received: header shows $v (info: not an Appendix A extra)"}},
};

nlohmann::json audit(const std::string& path) {
    CliResult run = run_smaudit("'" + path +
                                "' --cpus 4 --memory 4G --queue-fs-size 20G "
                                "--format json");
    REQUIRE(run.code != 2);
    return nlohmann::json::parse(run.out);
}

void check_reference(const nlohmann::json& report) {
    Findings found;
    for (const auto& f : report["findings"]) {
        CAPTURE(f["message"].get<std::string>());
        CHECK(found.emplace(f["rule"], f["severity"]).second); // one finding per rule
    }
    Findings expected;
    for (const auto& [rule, why] : kExpected)
        expected.emplace(rule, why.first);
    CHECK(found == expected);
    CHECK(report["scores"]["security"]["grade"] == "A+");
    CHECK(report["scores"]["security"]["score"] == 100);
}

} // namespace

TEST_CASE("Appendix A's reference MX: A+ in security, and only the listed findings") {
    const std::string mc = source_path("fixtures/e2e/appendix-a-mx.mc");
    if (!std::filesystem::exists("/usr/share/sendmail/cf/m4/cf.m4")) {
        MESSAGE("skipped: no sendmail cf tree");
        return;
    }
    SUBCASE("the .mc") {
        check_reference(audit(mc));
    }
    SUBCASE("the .cf real m4 makes of it") {
        if (std::system("command -v m4 >/dev/null 2>&1") != 0) return;
        CommandResult m4 = run_command("cd /usr/share/sendmail/cf/cf && m4 '" + mc + "'");
        REQUIRE(m4.code == 0);
        const TempDir dir("smaudit-appendix-a");
        const std::string cf = (dir.path / "sendmail.cf").string();
        std::ofstream(cf) << m4.out;
        // Appendix A's empty help file goes beside the .cf, as it sits beside the .mc.
        std::filesystem::copy_file(source_path("fixtures/e2e/helpfile.empty"),
                                   dir.path / "helpfile.empty");
        check_reference(audit(cf));
    }
}
