// `smaudit audit --diff / --fix / --unsafe-fixes` on copies of fixtures in mkdtemp directories:
// what is printed, what is written, what is refused (docs/fixes.md "Applying fixes from the
// command line").
#include "../support/read_text.hpp"
#include "../support/run_command.hpp"
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

// A copy of a fixture in a fresh directory, under `name`.
fs::path copy_fixture(const TempDir& dir, const std::string& fixture, const std::string& name) {
    const fs::path to = dir.path / name;
    fs::copy_file(source_path(fixture), to);
    return to;
}

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

bool cf_tree_available() {
    return fs::exists("/usr/share/sendmail/cf/m4/cf.m4");
}

} // namespace

TEST_CASE("--diff prints the unified diff of the fixes and writes nothing") {
    const TempDir dir("smaudit-fix-cli");
    const fs::path cf = copy_fixture(dir, "fixtures/e2e/privacy-gap.cf", "sendmail.cf");
    const std::string before = read_whole_file(cf);
    // Run in the directory: paths in the diff are relative to the current directory.
    const std::string in_dir = "cd " + quoted(dir.path) + " && ";
    CliResult safe = run_command(in_dir + "NO_COLOR=1 " + SMAUDIT_BINARY +
                                 " audit --diff sendmail.cf 2>/dev/null");
    CHECK(safe.out.empty()); // both fixes (noexpn, novrfy) are unsafe
    CHECK(safe.code == 0);
    CliResult all = run_command(in_dir + "NO_COLOR=1 " + SMAUDIT_BINARY +
                                " audit --diff --unsafe-fixes sendmail.cf 2>/dev/null");
    // Checked by hand: the one PrivacyOptions line gets both flags, with three lines of context
    // after it and the three lines before it.
    CHECK(
        all.out ==
        "diff --git a/sendmail.cf b/sendmail.cf\n"
        "--- a/sendmail.cf\n"
        "+++ b/sendmail.cf\n"
        "@@ -1,7 +1,7 @@\n"
        " V10/Berkeley\n"
        " # A small hardened config with one gap left: EXPN and VRFY. Its help file is the empty\n"
        " # helpfile.empty beside it (a copy of /etc/mail/helpfile.empty); greet_pause and "
        "limits at the end.\n"
        "-O PrivacyOptions=authwarnings,needmailhelo,needexpnhelo,needvrfyhelo,noverb,noetrn,"
        "restrictmailq,restrictqrun,restrictexpand,noreceipts,nobodyreturn,noactualrecipient\n"
        "+O PrivacyOptions=authwarnings,needmailhelo,needexpnhelo,needvrfyhelo,noverb,noetrn,"
        "restrictmailq,restrictqrun,restrictexpand,noreceipts,nobodyreturn,noactualrecipient,"
        "noexpn,novrfy\n"
        " O LogLevel=9\n"
        " O HelpFile=/etc/mail/helpfile.empty\n"
        " O MaxDaemonChildren=40\n");
    CHECK(all.code == 1); // something to apply
    CHECK(read_whole_file(cf) == before);
    // What --diff prints, `patch -p1` applies: the same text --fix writes.
    std::ofstream(dir.path / "fixes.patch") << all.out;
    REQUIRE(run_command(in_dir + "patch -s -p1 -o patched.cf sendmail.cf < fixes.patch").code == 0);
    CHECK(run_smaudit("audit --fix --unsafe-fixes --fail-on none " + quoted(cf)).code == 0);
    CHECK(read_whole_file(cf) == read_whole_file(dir.path / "patched.cf"));
}

TEST_CASE("--fix applies the safe fixes, --unsafe-fixes the others; a second run applies none") {
    if (!cf_tree_available()) return;
    const TempDir dir("smaudit-fix-cli");
    const fs::path mc = copy_fixture(dir, "fixtures/e2e/hash-commented-relay.mc", "sendmail.mc");
    REQUIRE(chmod(mc.c_str(), 0604) == 0);
    const bool root = geteuid() == 0;
    if (root) REQUIRE(chown(mc.c_str(), 4242, 4343) == 0);
    const std::string original = read_whole_file(mc);

    CliResult safe = run_smaudit("audit --fix --fail-on none " + quoted(mc));
    CHECK(safe.code == 0);
    const std::string after_safe = read_whole_file(mc);
    CHECK(after_safe != original);
    // Safe: Timeout.ident off. Unsafe, not applied yet: the `#` line made a dnl comment (it
    // turns the relay off), the limits.
    CHECK(after_safe.find("define(`confTO_IDENT', `0')dnl\n") != std::string::npos);
    CHECK(after_safe.find("\n# FEATURE(`promiscuous_relay')\n") != std::string::npos);
    CHECK(after_safe.find("confMAX_DAEMON_CHILDREN") == std::string::npos);
    CHECK(safe.out.find("fixed: ") != std::string::npos);
    CHECK(safe.out.find("unsafe fixes not applied (--unsafe-fixes applies them)") !=
          std::string::npos);

    CliResult unsafe =
        run_smaudit("audit --fix --unsafe-fixes --format json --fail-on none " + quoted(mc));
    nlohmann::json report = nlohmann::json::parse(unsafe.out);
    CHECK(report["summary"]["fixed"][mc.string()].get<int>() >= 10);
    CHECK(report["fixing"]["passes"] == 1);
    CHECK(report["fixing"]["not_applied"].empty());
    CHECK(report["fixing"]["unsafe_left"] == 0);
    CHECK(read_whole_file(mc).find("define(`confMAX_DAEMON_CHILDREN', `256')dnl") !=
          std::string::npos);
    CHECK(read_whole_file(mc).find("\ndnl FEATURE(`promiscuous_relay')\n") != std::string::npos);
    // What remains has no fix: the report after --fix is the audit of the fixed file.
    for (const auto& finding : report["findings"])
        CHECK(finding["fix"].is_null());

    const std::string fixed = read_whole_file(mc);
    CliResult again = run_smaudit("audit --fix --unsafe-fixes --fail-on none " + quoted(mc));
    CHECK(again.out.find("fixed: nothing") != std::string::npos);
    CHECK(read_whole_file(mc) == fixed);
    CliResult diff = run_smaudit("audit --diff --unsafe-fixes " + quoted(mc));
    CHECK(diff.out.empty());
    CHECK(diff.code == 0);

    struct stat st;
    REQUIRE(stat(mc.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0604);
    if (root) {
        CHECK(st.st_uid == 4242);
        CHECK(st.st_gid == 4343);
    }
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("--fix exit code: what remains at or above --fail-on") {
    const TempDir dir("smaudit-fix-cli");
    const fs::path cf = copy_fixture(dir, "fixtures/e2e/privacy-gap.cf", "sendmail.cf");
    // Its only findings above low are EXPN/VRFY (fixed) ...
    CHECK(run_smaudit("audit --fail-on medium " + quoted(cf)).code == 1);
    CHECK(run_smaudit("audit --fix --unsafe-fixes --fail-on medium " + quoted(cf)).code == 0);
}

TEST_CASE("--select and --ignore limit the fixes") {
    const TempDir dir("smaudit-fix-cli");
    const fs::path a = copy_fixture(dir, "fixtures/e2e/privacy-gap.cf", "a.cf");
    const fs::path b = copy_fixture(dir, "fixtures/e2e/privacy-gap.cf", "b.cf");
    run_smaudit("audit --fix --unsafe-fixes --select SM-S023 " + quoted(a));
    CHECK(read_whole_file(a).find("noactualrecipient,novrfy\n") != std::string::npos);
    run_smaudit("audit --fix --unsafe-fixes --ignore vrfy-enabled " + quoted(b));
    CHECK(read_whole_file(b).find("noactualrecipient,noexpn\n") != std::string::npos);
}

TEST_CASE("option errors: --unsafe-fixes alone, --fix with --diff") {
    const std::string cf = "'" + source_path("fixtures/e2e/privacy-gap.cf") + "'";
    CliResult alone = run_smaudit("audit --unsafe-fixes " + cf, true);
    CHECK(alone.code == 2);
    CHECK(alone.out.find("--unsafe-fixes goes with --fix or --diff") != std::string::npos);
    CHECK(run_smaudit("audit --fix --diff " + cf).code == 2);
}

TEST_CASE("a link out of the audited tree is refused, and the report says so") {
    const TempDir dir("smaudit-fix-cli");
    fs::create_directories(dir.path / "tree");
    fs::create_directories(dir.path / "elsewhere");
    const fs::path target = copy_fixture(dir, "fixtures/e2e/privacy-gap.cf", "elsewhere/x.cf");
    fs::create_symlink("../elsewhere/x.cf", dir.path / "tree" / "sendmail.cf");
    const std::string before = read_whole_file(target);
    CliResult r = run_smaudit("audit --fix --unsafe-fixes " + quoted(dir.path / "tree"), true);
    CHECK(r.code == 2);
    CHECK(r.out.find("outside the audited tree: not written") != std::string::npos);
    CHECK(read_whole_file(target) == before);
}

TEST_CASE("a fix that would leave its finding is not written (proven in memory first)") {
    if (!cf_tree_available()) return;
    // With changequote([,]) a define(`conf...', ...) line the fixes add defines a macro named
    // with backquotes: the option stays as it was, and smaudit's own m4 engine shows it.
    const TempDir dir("smaudit-fix-cli");
    const fs::path mc = dir.path / "sendmail.mc";
    const std::string text = "divert(-1)\nchangequote([,])\ndivert(0)dnl\nOSTYPE([linux])dnl\n"
                             "define([confPRIVACY_FLAGS], [authwarnings])dnl\n"
                             "MAILER([local])dnl\nMAILER([smtp])dnl\n";
    std::ofstream(mc) << text;
    CliResult r = run_smaudit("audit --fix --unsafe-fixes --select SM-S023 " + quoted(mc));
    CHECK(read_whole_file(mc) == text);
    CHECK(r.out.find("fixed: nothing") != std::string::npos);
    CHECK(r.out.find("not fixed: " + mc.string() +
                     ": SM-S023: tried in memory, the finding would remain, so it is not "
                     "written") != std::string::npos);
}

TEST_CASE("a .cf audited with the .mc it is built from: the .mc is fixed, the .cf is not") {
    if (!cf_tree_available() || run_command("command -v m4 >/dev/null").code != 0) return;
    const TempDir dir("smaudit-fix-cli");
    const fs::path mc = copy_fixture(dir, "fixtures/e2e/hash-commented-relay.mc", "sendmail.mc");
    const fs::path cf = dir.path / "sendmail.cf";
    // The .cf real m4 makes of it, with one setting of its own (a .cf-only finding).
    REQUIRE(run_command("cd /usr/share/sendmail/cf/cf && m4 " + quoted(mc) +
                        " 2>/dev/null | "
                        "sed 's/^#O Timeout.ident=5s/O Timeout.ident=30s/' > " +
                        quoted(cf))
                .code == 0);
    const std::string cf_before = read_whole_file(cf), mc_before = read_whole_file(mc);
    CliResult r = run_smaudit("audit --fix --unsafe-fixes " + quoted(dir.path));
    CHECK(read_whole_file(cf) == cf_before);
    CHECK(read_whole_file(mc) != mc_before);
    CHECK(r.out.find("not fixed: " + cf.string() + ": SM-P007") != std::string::npos);
    CHECK(r.out.find("sendmail.cf is generated from sendmail.mc (audited with it), and "
                     "rebuilding it would undo this edit: fix sendmail.mc and rebuild "
                     "sendmail.cf from it instead") != std::string::npos);
    CHECK(r.out.find("note: " + cf.string() + " is generated from " + mc.string() +
                     ": rebuild it") != std::string::npos);
}

TEST_CASE("passes run until nothing more applies: a fix can bring a finding of its own") {
    const TempDir dir("smaudit-fix-cli");
    const fs::path cf = copy_fixture(dir, "fixtures/rules/SM-P001/bad.cf", "sendmail.cf");
    // Pass 1 sets MaxDaemonChildren (it had no limit); with a limit, an unset
    // ConnectionRateThrottle is a finding, which pass 2 fixes.
    CliResult r =
        run_smaudit("audit --fix --unsafe-fixes --format json --fail-on none " + quoted(cf));
    nlohmann::json report = nlohmann::json::parse(r.out);
    CHECK(report["fixing"]["passes"] == 2);
    const std::string fixed = read_whole_file(cf);
    CHECK(fixed.find("\nO MaxDaemonChildren=256\n") != std::string::npos);
    CHECK(fixed.find("\nO ConnectionRateThrottle=10\n") != std::string::npos);
    CliResult again =
        run_smaudit("audit --fix --unsafe-fixes --format json --fail-on none " + quoted(cf));
    CHECK(nlohmann::json::parse(again.out)["fixing"]["passes"] == 0);
    CHECK(read_whole_file(cf) == fixed);
}
