// Issue 14: a directory is audited as sendmail loads it. Beside sendmail.mc, sendmail.cf is
// audited too: a finding both have is reported once, at the .mc line; one only the .cf has is
// reported at the .cf line and says the .cf is not what the .mc generates (SM-C006 says where
// they part). The .cf files here are written by the real m4 with the installed cf tree.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace {

constexpr const char* kCfDir = "/usr/share/sendmail/cf";

// The .cf the real m4 writes for `mc` with the installed cf tree; empty when m4 or the tree is
// missing (the tests then skip).
std::string real_m4(const fs::path& mc) {
    if (!fs::exists(std::string(kCfDir) + "/m4/cf.m4") ||
        run_command("command -v m4 >/dev/null").code != 0)
        return {};
    return run_command("cd " + std::string(kCfDir) + "/cf && m4 ../m4/cf.m4 '" + mc.string() +
                       "' 2>/dev/null")
        .out;
}

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// (file name, rule) of each finding, with repeats.
std::multiset<std::pair<std::string, std::string>> placed(const nlohmann::json& report) {
    std::multiset<std::pair<std::string, std::string>> found;
    for (const auto& f : report["findings"])
        found.emplace(fs::path(f["path"].get<std::string>()).filename().string(), f["rule"]);
    return found;
}

constexpr std::string_view kCleanMc = "divert(-1)dnl\n"
                                      "divert(0)dnl\n"
                                      "VERSIONID(`clean')dnl\n"
                                      "OSTYPE(`linux')dnl\n"
                                      "define(`confPRIVACY_FLAGS', `authwarnings,goaway,"
                                      "noetrn,restrictmailq,restrictqrun,restrictexpand,"
                                      "noreceipts,nobodyreturn,noactualrecipient')dnl\n"
                                      "FEATURE(`access_db')dnl\n"
                                      "MAILER(`local')dnl\n"
                                      "MAILER(`smtp')dnl\n";

} // namespace

TEST_CASE(
    "a clean sendmail.mc beside an open-relay sendmail.cf: the relay is reported at the .cf") {
    const TempDir source("smaudit-e2e-loaded-cf-src");
    const fs::path& work = source.path;
    // The .cf of the same .mc with FEATURE(`promiscuous_relay') added, then edited by hand:
    // goaway taken out of PrivacyOptions.
    std::string relay_mc(kCleanMc);
    relay_mc.insert(relay_mc.find("MAILER(`local')"), "FEATURE(`promiscuous_relay')dnl\n");
    write(work / "relay.mc", relay_mc);
    std::string cf = real_m4(work / "relay.mc");
    if (cf.empty()) {
        MESSAGE("skipped: m4 or sendmail-cf is not installed");
        return;
    }
    const std::string rest = "noetrn,restrictmailq,restrictqrun,restrictexpand,noreceipts,"
                             "nobodyreturn,noactualrecipient\n";
    const std::string privacy = "O PrivacyOptions=authwarnings,goaway," + rest;
    REQUIRE(cf.find(privacy) != std::string::npos);
    cf.replace(cf.find(privacy), privacy.size(), "O PrivacyOptions=authwarnings," + rest);

    const TempDir audited("smaudit-e2e-loaded-cf");
    const fs::path& dir = audited.path;
    write(dir / "sendmail.mc", std::string(kCleanMc));
    write(dir / "sendmail.cf", cf);
    CliResult run = run_smaudit("--format json " + dir.string());
    CHECK(run.code == 1);
    const auto report = nlohmann::json::parse(run.out);
    const auto found = placed(report);
    // The open relay and the hand edit are the .cf's alone; the .mc has neither.
    CHECK(found.count({"sendmail.cf", "SM-S001"}) == 1);
    CHECK(found.count({"sendmail.cf", "SM-S022"}) == 1);
    CHECK(found.count({"sendmail.cf", "SM-S023"}) == 1);
    // The drift setting by setting: PrivacyOptions and the relay feature's rules.
    CHECK(found.count({"sendmail.cf", "SM-C006"}) >= 2);
    for (const char* rule : {"SM-S001", "SM-S022", "SM-S023"})
        CHECK(found.count({"sendmail.mc", rule}) == 0);
    int privacy_drift = 0;
    const std::string_view clean(kCleanMc);
    const int privacy_mc_line =
        static_cast<int>(
            std::count(clean.begin(), clean.begin() + clean.find("confPRIVACY_FLAGS"), '\n')) +
        1;
    for (const auto& f : report["findings"]) {
        if (f["path"].get<std::string>().ends_with("sendmail.mc")) continue;
        const std::string message = f["message"];
        if (f["rule"] == "SM-C006") {
            CHECK_MESSAGE(message.find("sendmail.cf") != std::string::npos, message);
            if (message.starts_with("option PrivacyOptions: ")) {
                ++privacy_drift;
                CHECK_MESSAGE(
                    message.find(" differs from `O PrivacyOptions=authwarnings,goaway,") !=
                        std::string::npos,
                    message);
                // The .mc line behind the generated value, in the message and as a related place.
                const std::string mc_line = "sendmail.mc:" + std::to_string(privacy_mc_line);
                CHECK_MESSAGE(message.find("that " + mc_line + " generates") != std::string::npos,
                              message);
                REQUIRE(f["related"].is_array());
                CHECK(f["related"][0]["path"].get<std::string>().ends_with("sendmail.mc"));
                CHECK(f["related"][0]["line"] == privacy_mc_line);
            }
            continue;
        }
        CHECK_MESSAGE(message.find("only in sendmail.cf, which sendmail loads") !=
                          std::string::npos,
                      message);
        // A fix of the .cf alone says that rebuilding the .cf from the .mc overwrites it.
        if (f["rule"] == "SM-S023") {
            REQUIRE(f["fix"].is_object());
            CHECK(f["fix"]["title"].get<std::string>().find(
                      "rebuilding it from sendmail.mc would overwrite") != std::string::npos);
        }
    }
    CHECK(privacy_drift == 1);
    // SARIF carries the .mc line as the result's related location.
    const auto sarif = nlohmann::json::parse(run_smaudit("--format sarif " + dir.string()).out);
    bool sarif_related = false;
    for (const auto& result : sarif["runs"][0]["results"])
        if (result["ruleId"] == "SM-C006" &&
            result["message"]["text"].get<std::string>().starts_with("option PrivacyOptions: ")) {
            REQUIRE(result.contains("relatedLocations"));
            const auto& related = result["relatedLocations"][0]["physicalLocation"];
            CHECK(related["artifactLocation"]["uri"].get<std::string>().ends_with("sendmail.mc"));
            CHECK(related["region"]["startLine"] == privacy_mc_line);
            sarif_related = true;
        }
    CHECK(sarif_related);
    // The findings the two share (MaxMessageSize left unlimited, ...) are reported once, at
    // the .mc: no rule fires on both files.
    std::set<std::string> on_mc, on_cf;
    for (const auto& [file, rule] : found)
        (file == "sendmail.mc" ? on_mc : on_cf).insert(rule);
    CHECK(on_mc.count("SM-S058") == 1);
    for (const std::string& rule : on_cf)
        CHECK_MESSAGE(on_mc.count(rule) == 0, rule);
    // An open relay fails the security pack: the directory is not graded as its clean .mc.
    CHECK(report["summary"]["critical"].get<int>() >= 1);
    const std::string grade = report["scores"]["security"]["grade"];
    CHECK(grade != "A+");
    CHECK(grade != "A");
    CHECK(grade != "B");
}

TEST_CASE("Debian's sendmail.mc and sendmail.cf side by side: each finding once, at the .mc") {
    if (!fs::exists("/etc/mail/sendmail.mc") || !fs::exists("/etc/mail/sendmail.cf") ||
        !fs::exists(std::string(kCfDir) + "/m4/cf.m4")) {
        MESSAGE("skipped: no Debian sendmail.mc/sendmail.cf or cf tree");
        return;
    }
    const TempDir audited("smaudit-e2e-loaded-cf-debian");
    const fs::path& dir = audited.path;
    fs::copy_file("/etc/mail/sendmail.mc", dir / "sendmail.mc");
    fs::copy_file("/etc/mail/sendmail.cf", dir / "sendmail.cf");
    const auto both = nlohmann::json::parse(run_smaudit("--format json " + dir.string()).out);
    const auto mc_alone =
        nlohmann::json::parse(run_smaudit("--format json " + (dir / "sendmail.mc").string()).out);
    const auto cf_alone =
        nlohmann::json::parse(run_smaudit("--format json " + (dir / "sendmail.cf").string()).out);
    // Debian rebuilt the .cf from this .mc (and appended the .mc to it as comments): they agree,
    // so the directory reports exactly what the .mc alone reports, nothing at the .cf.
    CHECK(placed(both) == placed(mc_alone));
    std::set<std::string> rules_both, rules_cf;
    for (const auto& [file, rule] : placed(both))
        rules_both.insert(rule);
    for (const auto& [file, rule] : placed(cf_alone))
        rules_cf.insert(rule);
    // and nothing the .cf alone shows is lost.
    for (const std::string& rule : rules_cf)
        CHECK_MESSAGE(rules_both.count(rule) == 1, rule);
    CHECK(both["scores"] == mc_alone["scores"]);
}
