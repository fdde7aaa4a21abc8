// The queue-processing rules (SM-P014 ... SM-P024) on Debian's stock configuration and on the
// KB's Appendix A MX: which of them fire, at what severity, and why.
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

using nlohmann::json;

namespace {

constexpr const char* kQueueRules =
    "SM-P014,SM-P015,SM-P016,SM-P017,SM-P018,SM-P019,SM-P020,SM-P021,SM-P022,SM-P023,SM-P024";

// The queue rules' findings on one path, as "rule severity line" lines (line 0: no line).
std::string queue_findings(const std::string& path) {
    CliResult run =
        run_smaudit(path + " --select " + kQueueRules + " --format json --fail-on critical");
    REQUIRE(run.code == 0);
    const json report = json::parse(run.out);
    std::string out;
    for (const json& f : report["findings"])
        out += f["rule"].get<std::string>() + " " + f["severity"].get<std::string>() + " " +
               std::to_string(f["line"].is_null() ? 0 : f["line"].get<int>()) + "\n";
    return out;
}

} // namespace

TEST_CASE("Debian's stock files: only the missing host status directory, info on loopback") {
    // sendmail.mc undefines confHOST_STATUS_DIRECTORY (#DAEMON_HOSTSTATS=) after Debian's
    // OSTYPE defined it, so sendmail.cf has only the comment #O HostStatusDirectory=.hoststat.
    // Every daemon listens on 127.0.0.1: client-only, info. ConnectionCacheSize=2,
    // ConnectionCacheTimeout=5m, SuperSafe=True and the other queue options are m4's defaults.
    for (const char* path : {"/etc/mail/sendmail.mc", "/etc/mail/sendmail.cf"}) {
        if (!std::filesystem::exists(path)) continue;
        CAPTURE(std::string(path));
        CHECK(queue_findings(path) == "SM-P014 info 0\n");
    }
    // The MSP hands every message to the MTA: none of them is a finding there (submit.cf's
    // `O HostStatusDirectory` has no value, which sendmail leaves unset).
    for (const char* path : {"/etc/mail/submit.mc", "/etc/mail/submit.cf"})
        if (std::filesystem::exists(path)) CHECK(queue_findings(path) == "");
}

TEST_CASE("the KB's Appendix A MX: no host status directory, low") {
    if (!std::filesystem::exists("/usr/share/sendmail/cf/m4/cf.m4")) return;
    // Appendix A defines no confHOST_STATUS_DIRECTORY; nothing else of the queue options.
    CHECK(queue_findings(source_path("fixtures/e2e/appendix-a-mx.mc")) == "SM-P014 low 0\n");
}
