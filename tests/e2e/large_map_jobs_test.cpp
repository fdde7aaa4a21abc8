// One audit of a large map splits its parse, its rules and its JSON report among --jobs threads
// (source/parallel.hpp). The report must be the same bytes for any --jobs, in every format. The
// split threshold (4 MiB) is lowered with SMAUDIT_TEST_PARALLEL_MIN_BYTES so that a map of a few
// thousand lines is split, in parts and batches of a few findings.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <string>

namespace {

// An access map with findings of many rules: broad RELAY keys (SM-S009), CIDR, wildcard, .0
// and shadowed keys, an unknown tag (SM-S011), From: RELAY (SM-S007), duplicates (SM-E205),
// syntax errors, a suppression comment; about 4,000 lines.
std::string findings_map() {
    std::mt19937 rng(13);
    std::string text = "# generated for large_map_jobs_test\n# smaudit: ignore-file[SM-C011]\n";
    for (int i = 0; i < 4000; ++i) {
        const std::string n = std::to_string(i);
        switch (rng() % 16) {
        case 0:
            text += "Connect:10.0.0.0/8\tRELAY\n";
            break;
        case 1:
            text += "*.example" + n + ".com\tREJECT\n";
            break;
        case 2:
            text += "192.0." + std::to_string(i % 200) + ".0\tOK\n";
            break;
        case 3:
            text += "Conect:host" + n + ".example\tREJECT\n";
            break;
        case 4:
            text += "From:user" + n + "@example.org\tRELAY\n";
            break;
        case 5:
            text += "CONNECT:host" + std::to_string(i / 2) + ".example.net\tOK\n";
            break;
        case 6:
            text += "valueless" + n + ".example\n";
            break;
        case 7:
            text += " leading" + n + ".example\tOK\n";
            break;
        case 8:
            text += "com\tRELAY\n";
            break;
        case 9:
            text += "shadow" + std::to_string(i % 30) + ".example\tOK\nConnect:shadow" +
                    std::to_string(i % 30) + ".example\tOK\nFrom:shadow" + std::to_string(i % 30) +
                    ".example\tOK\nTo:shadow" + std::to_string(i % 30) + ".example\tOK\n";
            break;
        case 10:
            text += "# smaudit: ignore[SM-S009] our partner's\nco.uk\tRELAY\n";
            break;
        default:
            text += "connect:host" + std::to_string(i / 2) + ".example.net\tREJECT\n";
        }
    }
    return text;
}

CliResult audit(const std::string& map, const std::string& options, bool split) {
    return run_command(std::string("NO_COLOR=1 ") +
                       (split ? "SMAUDIT_TEST_PARALLEL_MIN_BYTES=64 " : "") + SMAUDIT_BINARY +
                       " audit --fail-on none " + options + " '" + map + "' 2>&1");
}

} // namespace

TEST_CASE("a large map's report is the same bytes for --jobs 1, 2 and 3, in every format") {
    TempDir dir("smaudit-jobs");
    const std::string map = (dir.path / "access").string();
    std::ofstream(map) << findings_map();
    for (const char* format : {"json", "sarif", "terminal", "github"}) {
        CAPTURE(format);
        const std::string options = std::string("--format ") + format;
        const CliResult one = audit(map, options + " --jobs 1", false);
        REQUIRE(one.code == 0);
        // Findings of every kind made above are in it.
        for (const char* rule : {"SM-S007", "SM-S009", "SM-S011", "SM-E201", "SM-E202", "SM-E205"})
            CHECK(one.out.find(rule) != std::string::npos);
        if (std::string(format) == "json") // the suppressions were found
            CHECK(one.out.find("\"reason\": \"our partner's\"") != std::string::npos);
        for (const char* jobs : {" --jobs 1", " --jobs 2", " --jobs 3"}) {
            CAPTURE(jobs);
            const CliResult split = audit(map, options + jobs, true);
            CHECK(split.code == one.code);
            CHECK(split.out == one.out);
        }
    }
}
