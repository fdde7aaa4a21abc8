// Issue 3's acceptance check: an .mc whose open relay is "commented out" with `#` after the cf.m4
// include. m4 (checked with GNU m4 1.4 and the installed cf tree) still configures the relay, so
// smaudit reports the `#` (SM-C001) and the open relay (SM-S001) on that .mc line, and exits 1.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace {

// False, with a message saying the test is skipped, when sendmail-cf is not installed.
bool cf_tree_installed() {
    for (const char* dir : {"/usr/share/sendmail/cf", "/usr/share/sendmail-cf", "/usr/lib/mail"})
        if (std::filesystem::exists(std::string(dir) + "/m4/cf.m4")) return true;
    MESSAGE("skipped: no sendmail cf tree installed (sendmail-cf)");
    return false;
}

// 1-based number of the one line of `path` that is exactly `text`.
int line_of(const std::string& path, const std::string& text) {
    std::ifstream in(path);
    int found = 0;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line == text) {
            REQUIRE(found == 0);
            found = n;
        }
    REQUIRE(found != 0);
    return found;
}

// The line show gives the first entry of `section` named `name` (with that value, unless empty),
// which must be in `mc`; 0 for none (a default), -1 (and a failure) when there is no entry.
int shown_line(const nlohmann::json& shown, const char* section, const std::string& name,
               const std::string& value, const std::string& mc) {
    for (const auto& entry : shown[section])
        if (entry["name"] == name && (value.empty() || entry["value"] == value)) {
            if (entry["line"].is_null()) return 0;
            CHECK(entry["path"] == mc);
            return entry["line"].get<int>();
        }
    FAIL_CHECK("no " << section << " " << name);
    return -1;
}

} // namespace

TEST_CASE("an .mc with a #-commented promiscuous_relay: SM-C001 and SM-S001 at that line") {
    if (!cf_tree_installed()) return;
    const std::string mc = source_path("fixtures/e2e/hash-commented-relay.mc");
    const int hash_line = line_of(mc, "# FEATURE(`promiscuous_relay')");

    CliResult run = run_smaudit("'" + mc + "' --format json");
    CHECK(run.code == 1);
    auto report = nlohmann::json::parse(run.out);
    std::map<std::string, std::set<int>> lines_of; // rule -> lines (0: default)
    for (const auto& f : report["findings"]) {
        CHECK(f["path"] == mc);
        lines_of[f["rule"]].insert(f["line"].is_null() ? 0 : f["line"].get<int>());
    }
    CHECK(lines_of["SM-C001"] == std::set<int>{hash_line});
    CHECK(lines_of["SM-S001"] == std::set<int>{hash_line});
    // The other relay features are not in this .mc.
    for (const char* rule : {"SM-S004", "SM-S005", "SM-S006", "SM-S008", "SM-S064"})
        CHECK_MESSAGE(lines_of.count(rule) == 0, rule);
}

TEST_CASE("the same .mc with dnl instead of #: no SM-C001, no SM-S001") {
    if (!cf_tree_installed()) return;
    std::ifstream in(source_path("fixtures/e2e/hash-commented-relay.mc"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string hashed = "# FEATURE(`promiscuous_relay')";
    size_t at = text.find(hashed);
    REQUIRE(at != std::string::npos);
    text.replace(at, 1, "dnl"); // what SM-C001's fix writes
    const TempDir dir("smaudit-e2e-mc");
    const std::string fixed = (dir.path / "dnl-commented-relay.mc").string();
    std::ofstream(fixed) << text;

    CliResult run = run_smaudit("'" + fixed + "' --format json");
    auto report = nlohmann::json::parse(run.out);
    for (const auto& f : report["findings"]) {
        CHECK(f["rule"] != "SM-C001");
        CHECK(f["rule"] != "SM-S001");
    }
}

TEST_CASE("m4's own ordering error is reported once, as SM-C002, not again as SM-E105") {
    CliResult run = run_smaudit("--format json " + source_path("fixtures/rules/SM-C002/bad.mc"));
    auto report = nlohmann::json::parse(run.out);
    int c002 = 0, e105 = 0;
    for (const auto& f : report["findings"]) {
        if (f["rule"] == "SM-C002") ++c002;
        if (f["rule"] == "SM-E105") ++e105;
    }
    CHECK(c002 == 1);
    CHECK(e105 == 0);
    // Without SM-C002, m4's message is still reported.
    auto alone = nlohmann::json::parse(run_smaudit("--format json --ignore SM-C002 " +
                                                   source_path("fixtures/rules/SM-C002/bad.mc"))
                                           .out);
    int e105_alone = 0;
    for (const auto& f : alone["findings"])
        e105_alone += f["rule"] == "SM-E105";
    CHECK(e105_alone >= 1);
}

TEST_CASE("show on an .mc: each feature points at the .mc line that brought it in") {
    if (!cf_tree_installed()) return;
    const std::string mc = source_path("fixtures/e2e/hash-commented-relay.mc");
    CliResult run = run_smaudit("show '" + mc + "' --format json");
    REQUIRE(run.code == 0);
    auto shown = nlohmann::json::parse(run.out);
    std::map<std::string, int> line_of_feature;
    for (const auto& f : shown["features"]) {
        CHECK(f["path"] == mc);
        line_of_feature[f["name"]] = f["line"].is_null() ? 0 : f["line"].get<int>();
    }
    // ostype/linux.m4 calls FEATURE(local_procmail) itself: the OSTYPE line stands for it.
    CHECK(line_of_feature["local_procmail"] == line_of(mc, "OSTYPE(`linux')dnl"));
    CHECK(line_of_feature["access_db"] == line_of(mc, "FEATURE(`access_db')dnl"));
    CHECK(line_of_feature["promiscuous_relay"] == line_of(mc, "# FEATURE(`promiscuous_relay')"));
}

TEST_CASE("show on an .mc: values its cf tree wrote are `cf default`, sendmail's own `default`") {
    if (!cf_tree_installed()) return;
    const std::string mc = source_path("fixtures/e2e/hash-commented-relay.mc");
    CliResult run = run_smaudit("show '" + mc + "'");
    REQUIRE(run.code == 0);
    auto line_starting = [&](const std::string& prefix) {
        size_t at = run.out.find("\n" + prefix);
        REQUIRE_MESSAGE(at != std::string::npos, prefix);
        return run.out.substr(at + 1, run.out.find('\n', at + 1) - at - 1);
    };
    // cfhead.m4 defines confPRIVACY_FLAGS; proto.m4 writes no MaxDaemonChildren line at all.
    CHECK(line_starting("PrivacyOptions=authwarnings ").ends_with("  # cf default"));
    CHECK(line_starting("MaxDaemonChildren=0 ").ends_with("  # default"));
    CHECK_FALSE(line_starting("MaxDaemonChildren=0 ").ends_with("cf default"));
}

TEST_CASE("show on an .mc: rulesets and classes proto.m4 writes for a FEATURE's flag point at it") {
    if (!cf_tree_installed()) return;
    const std::string mc = source_path("fixtures/e2e/delay-checks.mc");
    CliResult run = run_smaudit("show '" + mc + "' --format json");
    REQUIRE(run.code == 0);
    auto shown = nlohmann::json::parse(run.out);
    auto line_in = [&](const char* section, const std::string& name) {
        return shown_line(shown, section, name, "", mc);
    };
    // feature/delay_checks.m4 and access_db.m4 define _DELAY_CHECKS_ and _ACCESS_TABLE_;
    // proto.m4 writes these only under ifdef on them.
    const int delay_checks = line_of(mc, "FEATURE(`delay_checks')dnl");
    CHECK(line_in("rulesets", "Delay_TLS_Clt") == delay_checks);
    CHECK(line_in("rulesets", "FullAddr") == delay_checks);
    CHECK(line_in("classes", "Accept") == line_of(mc, "FEATURE(`access_db')dnl"));
    // The access map is written by feature/access_db.m4 itself, as before.
    CHECK(line_in("maps", "access") == line_of(mc, "FEATURE(`access_db')dnl"));
    // Rulesets proto.m4 writes whatever the .mc says stay "cf default".
    CHECK(line_in("rulesets", "Parse0") == 0);
}

TEST_CASE("show on an .mc: an option the .mc's own define sets is at that define's line") {
    if (!cf_tree_installed()) return;
    const std::string mc = source_path("fixtures/e2e/show-defines.mc");
    CliResult run = run_smaudit("show '" + mc + "' --format json");
    REQUIRE(run.code == 0);
    auto shown = nlohmann::json::parse(run.out);
    auto line_in = [&](const char* section, const std::string& name, const std::string& value) {
        return shown_line(shown, section, name, value, mc);
    };
    // proto.m4 writes `O LogLevel=`; the value, and so the setting, is the define's.
    CHECK(line_in("options", "LogLevel", "") == line_of(mc, "define(`confLOG_LEVEL', `4')dnl"));
    // A define whose value is on the next line: the define's line.
    CHECK(line_in("options", "PrivacyOptions", "") ==
          line_of(mc, "define(`confPRIVACY_FLAGS',dnl"));
    // The define in the ifdef branch m4 takes, not the ifdef around it.
    CHECK(line_in("options", "MaxHopCount", "") ==
          line_of(mc, "  `define(`confMAX_HOP', `40')')dnl"));
    // A define that adds to an earlier one with defn(): the later one made the value.
    CHECK(line_in("options", "DontBlameSendmail", "") ==
          line_of(mc, "define(`confDONT_BLAME_SENDMAIL', defn(`confDONT_BLAME_SENDMAIL')"
                      "`,GroupWritableForwardFileSafe')dnl"));
    // An empty value: proto.m4 writes `O TLSSrvOptions` with no byte of the .mc.
    CHECK(line_in("options", "TLSSrvOptions", "") ==
          line_of(mc, "define(`confTLS_SRV_OPTIONS', `')dnl"));
    // The socket of a DAEMON_OPTIONS call, in options and daemons alike.
    const int daemon =
        line_of(mc, "DAEMON_OPTIONS(`Family=inet, Name=MTA-v4, Port=smtp, Addr=127.0.0.1')dnl");
    CHECK(line_in("options", "DaemonPortOptions",
                  "Family=inet, Name=MTA-v4, Port=smtp, Addr=127.0.0.1") == daemon);
    REQUIRE(shown["daemons"].size() == 2);
    CHECK(shown["daemons"][0]["line"] == daemon);
    // MASQUERADE_AS's name in `DMexample.com`.
    CHECK(line_in("macros", "M", "example.com") == line_of(mc, "MASQUERADE_AS(`example.com')dnl"));
    // What the cf tree writes by itself stays "cf default": the MSA socket, HelpFile.
    CHECK(line_in("options", "DaemonPortOptions", "Port=587, Name=MSA, M=E") == 0);
    CHECK(line_in("options", "HelpFile", "") == 0);

    // The terminal form says the same.
    CliResult terminal = run_smaudit("show '" + mc + "'");
    CHECK(terminal.out.find("LogLevel=4") != std::string::npos);
    CHECK(terminal.out.find("  # " + mc + ":" +
                            std::to_string(line_of(mc, "define(`confLOG_LEVEL', `4')dnl"))) !=
          std::string::npos);
}

TEST_CASE("a flag added by a later define with defn() is reported on that define's line") {
    if (!cf_tree_installed()) return;
    const std::string mc = source_path("fixtures/e2e/show-defines.mc");
    CliResult run = run_smaudit("'" + mc + "' --format json --select SM-S052");
    auto report = nlohmann::json::parse(run.out);
    const std::string later = "define(`confDONT_BLAME_SENDMAIL', defn(`confDONT_BLAME_SENDMAIL')"
                              "`,GroupWritableForwardFileSafe')dnl";
    const std::string earlier = "define(`confDONT_BLAME_SENDMAIL', `GroupWritableDirPathSafe')dnl";
    std::map<std::string, std::pair<int, int>> place; // flag -> line, column
    for (const auto& f : report["findings"])
        for (const char* flag : {"GroupWritableDirPathSafe", "GroupWritableForwardFileSafe"})
            if (f["message"].get<std::string>().find(std::string(" ") + flag + " ") !=
                std::string::npos)
                place[flag] = {f["line"].get<int>(), f["column"].get<int>()};
    const int column_later = static_cast<int>(later.find("GroupWritableForwardFileSafe")) + 1;
    const int column_earlier = static_cast<int>(earlier.find("GroupWritableDirPathSafe")) + 1;
    CHECK(place["GroupWritableForwardFileSafe"] == std::pair(line_of(mc, later), column_later));
    CHECK(place["GroupWritableDirPathSafe"] == std::pair(line_of(mc, earlier), column_earlier));
}

namespace {

// (rule, line) of every finding, and (option, line) of every option show places in the file.
std::multiset<std::pair<std::string, int>> places(const std::string& args) {
    std::multiset<std::pair<std::string, int>> out;
    auto report = nlohmann::json::parse(run_smaudit("--format json " + args).out);
    for (const auto& f : report["findings"])
        out.insert({f["rule"], f["line"].is_null() ? 0 : f["line"].get<int>()});
    auto shown = nlohmann::json::parse(run_smaudit("show --format json " + args).out);
    for (const auto& o : shown["options"])
        out.insert({o["name"], o["line"].is_null() ? 0 : o["line"].get<int>()});
    return out;
}

} // namespace

TEST_CASE("an .mc that reaches the cf tree under another name keeps its findings on its lines") {
    const std::string tree = "/usr/share/sendmail/cf";
    if (!std::filesystem::exists(tree + "/m4/cf.m4")) {
        MESSAGE("skipped: needs sendmail's cf tree in " << tree);
        return;
    }
    // The same tree under a second name, as /usr/share/sendmail-cf is on a RHEL-style host.
    const TempDir temp("smaudit-e2e-cf-spelling");
    const std::filesystem::path& dir = temp.path;
    const std::string alias = (dir / "sendmail-cf").string();
    std::filesystem::create_directory_symlink(tree, alias);
    const std::string body = "OSTYPE(`debian')dnl\n"
                             "define(`confLOG_LEVEL', `4')dnl\n"
                             "FEATURE(`promiscuous_relay')dnl\n"
                             "MAILER(`local')dnl\n"
                             "MAILER(`smtp')dnl\n";
    auto write = [&](const std::string& name, const std::string& cf_m4) {
        const std::string path = (dir / name).string();
        std::ofstream(path) << "include(`" << cf_m4 << "')dnl\n" << body;
        return path;
    };
    const std::string plain = write("plain.mc", tree + "/m4/cf.m4");
    const std::string linked = write("linked.mc", alias + "/m4/cf.m4");
    const auto expected = places("'" + plain + "'");
    // Sanity: the relay is on the FEATURE line, LogLevel on its define, HelpFile cf default.
    CHECK(expected.count({"SM-S001", 4}) == 1);
    CHECK(expected.count({"LogLevel", 3}) == 1);
    CHECK(expected.count({"HelpFile", 0}) == 1);
    CHECK(expected.count({"HelpFile", 1}) == 0);
    // The .mc names the tree by the symlink, the tree in use is the real path; and the other way
    // round: cf.m4, cfhead.m4 and proto.m4 are still the tree's own text, not the include line's.
    CHECK(places("'" + linked + "'") == expected);
    CHECK(places("--cf-dir '" + alias + "' '" + plain + "'") == expected);
}

TEST_CASE("the same m4 message of proto.m4 in three .mc files: three findings, one per .mc line") {
    if (!cf_tree_installed()) return;
    const TempDir temp("smaudit-e2e-errprint");
    const std::filesystem::path& dir = temp.path;
    std::set<std::pair<std::string, int>> expected;
    for (int n = 1; n <= 3; ++n) {
        const std::string path = (dir / ("site" + std::to_string(n) + ".mc")).string();
        std::ofstream out(path);
        out << "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\nOSTYPE(`debian')dnl\n";
        for (int pad = 0; pad < n; ++pad)
            out << "dnl\n";
        out << "define(`confAUTO_REBUILD')dnl\nMAILER(`local')dnl\n";
        expected.insert({path, 3 + n}); // the define's line
    }
    CliResult run = run_smaudit("'" + dir.string() + "' --format json --select SM-E105");
    std::set<std::pair<std::string, int>> found;
    const auto report = nlohmann::json::parse(run.out);
    for (const auto& f : report["findings"])
        if (f["message"].get<std::string>().find("confAUTO_REBUILD is no longer valid") !=
            std::string::npos)
            found.insert({f["path"].get<std::string>(), f["line"].get<int>()});
    CHECK(found == expected);
    // The terminal shows proto.m4's line as a note under each.
    CliResult terminal = run_smaudit("'" + dir.string() + "' --select SM-E105");
    size_t notes = 0;
    for (size_t at = terminal.out.find("::: "); at != std::string::npos;
         at = terminal.out.find("::: ", at + 1))
        notes += terminal.out.substr(at, terminal.out.find('\n', at) - at).find("/m4/proto.m4:") !=
                 std::string::npos;
    CHECK(notes == 3);
    CHECK(terminal.out.find("printed by this check of sendmail's cf tree") != std::string::npos);
}

TEST_CASE("a finding with no .mc line that is not about a default does not say it is") {
    if (!cf_tree_installed()) return;
    // _PROMISCUOUS_RELAY_ defined by hand: the relay checks are missing from what sendmail's cf
    // files wrote, and no .mc line stands for that text.
    const TempDir dir("smaudit-e2e-mc");
    const std::string mc = (dir.path / "sendmail.mc").string();
    std::ofstream(mc) << "OSTYPE(`linux')dnl\n"
                         "MAILER(`local')dnl\n"
                         "MAILER(`smtp')dnl\n"
                         "define(`_PROMISCUOUS_RELAY_', `1')dnl\n";
    CliResult text = run_smaudit("--no-color --select SM-S001,SM-P002 '" + mc + "'");
    CHECK(text.out.find("critical SM-S001 promiscuous-relay (no .mc line to point at)\n") !=
          std::string::npos);
    // MaxDaemonChildren is set by no line (SM-P002: no throttle either): about a default.
    CHECK(text.out.find("SM-P002 unbounded-process-creation (a default, no .mc line sets it)\n") !=
          std::string::npos);
    auto report = nlohmann::json::parse(
        run_smaudit("--format json --select SM-S001,SM-P002 '" + mc + "'").out);
    std::map<std::string, bool> about_default;
    for (const auto& f : report["findings"])
        about_default[f["rule"]] = f["about_default"];
    CHECK(about_default == std::map<std::string, bool>{{"SM-P002", true}, {"SM-S001", false}});
}
