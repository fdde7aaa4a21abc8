// Issue 14's acceptance check: Debian's stock sendmail.mc with a too broad relay domain added,
// as RELAY_DOMAIN(`...') or as a `CR...` line under LOCAL_CONFIG. It stopped with
// `internal error: deque::_M_range_check` and exit 2; now SM-S010 is reported at that line, in
// both formats, and the exit code is 1. sendmail -bt agrees that each one relays
// (tests/scripts/relay_rules_agree_with_sendmail.sh): with RELAY_DOMAIN(`com') the relay check
// returns RELAY for victim@anything.com, with `10` for a client at 10.1.2.3.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const char* const kDebianMc = "/etc/mail/sendmail.mc";

// Debian's .mc with `lines` inserted before its first line that starts with `before` (at the
// end when empty), and the 1-based number of the first inserted line.
std::pair<std::string, int> debian_mc_with(const std::string& lines, const std::string& before) {
    std::ifstream in(kDebianMc);
    std::string text, line;
    int number = 0, inserted = 0;
    while (std::getline(in, line)) {
        ++number;
        if (inserted == 0 && !before.empty() && line.rfind(before, 0) == 0) {
            text += lines;
            inserted = number;
            number += static_cast<int>(std::count(lines.begin(), lines.end(), '\n'));
        }
        text += line + "\n";
    }
    if (inserted == 0) {
        inserted = number + 1;
        text += lines;
    }
    return {text, inserted};
}

std::set<int> lines_of(const nlohmann::json& report, const std::string& rule) {
    std::set<int> lines;
    for (const auto& f : report["findings"])
        if (f["rule"] == rule) lines.insert(f["line"].is_null() ? 0 : f["line"].get<int>());
    return lines;
}

} // namespace

TEST_CASE("Debian's sendmail.mc with a too broad RELAY_DOMAIN or CR line: SM-S010 at that line") {
    if (!fs::exists(kDebianMc) || !fs::exists("/usr/share/sendmail/cf/m4/cf.m4")) {
        MESSAGE("skipped: no ", kDebianMc, " or no sendmail cf tree");
        return;
    }
    TempDir dir("smaudit-e2e-relay");
    struct Variant {
        std::string name, lines, before;
        int offset; // the finding's line is the first inserted line + offset
    };
    const std::vector<Variant> variants = {
        {"com", "RELAY_DOMAIN(`com')dnl\n", "MAILER_DEFINITIONS", 0},
        {"co.uk", "RELAY_DOMAIN(`co.uk')dnl\n", "MAILER_DEFINITIONS", 0},
        {"net", "RELAY_DOMAIN(`net')dnl\n", "MAILER_DEFINITIONS", 0},
        {"ten", "RELAY_DOMAIN(`10')dnl\n", "MAILER_DEFINITIONS", 0},
        {"ipv6", "RELAY_DOMAIN(`IPv6:2001')dnl\n", "MAILER_DEFINITIONS", 0},
        {"local-config", "LOCAL_CONFIG\nCRcom\n", "", 1},
    };
    for (const Variant& v : variants) {
        INFO(v.name);
        auto [text, first] = debian_mc_with(v.lines, v.before);
        const fs::path mc = dir.path / ("sendmail-" + v.name + ".mc");
        std::ofstream(mc) << text;

        CliResult terminal = run_smaudit("'" + mc.string() + "'", true);
        CHECK(terminal.code == 1);
        CHECK(terminal.out.find("internal error") == std::string::npos);
        CHECK(terminal.out.find(mc.string() + ":" + std::to_string(first + v.offset) + ":") !=
              std::string::npos);

        CliResult json = run_smaudit("'" + mc.string() + "' --format json");
        CHECK(json.code == 1);
        auto report = nlohmann::json::parse(json.out);
        CHECK(lines_of(report, "SM-S010") == std::set<int>{first + v.offset});
        for (const auto& f : report["findings"])
            CHECK(f["path"] == mc.string());
    }
    // The stock file itself has no relay domain and no SM-S010.
    CliResult stock = run_smaudit(std::string(kDebianMc) + " --format json");
    CHECK(stock.code == 1);
    CHECK(lines_of(nlohmann::json::parse(stock.out), "SM-S010").empty());
}
