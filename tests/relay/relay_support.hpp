// Loading a .cf text into the model the relay simulator runs on, and running the real
// `sendmail -bt` for the differential tests (skipped where it cannot run).
#pragma once

#include "diag/diagnostic.hpp"
#include "model/config.hpp"
#include "parse/cf_parser.hpp"
#include "relay/simulate.hpp"
#include "source/source.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"

// A local mailer and a ruleset 0 that resolves every address to it: the daemon parses the MAIL
// FROM and RCPT TO arguments through rulesets 3 and 0 before its checks and refuses what names no
// mailer, so a test configuration about the check rulesets needs them.
inline constexpr const char* kParseEverythingLocally = "Mlocal, P=/bin/true, F=l, A=true\n"
                                                       "S0\n"
                                                       "R$*\t$#local $: $1\n";

// Rulesets 3 and 0 that give each kind of parse failure for the address `a@KIND` (recurse,
// maploop, nomailer, unknown, disc, nohost, nouser, tempf, refused), with check_mail refusing
// a@mailcheck and a@refused and looping on a@loop, and check_rcpt looping on a@loop, looking up
// an undeclared map for a@nomap and refusing everything else: the daemon parses before it checks.
inline constexpr const char* kParseCasesCf =
    "V10/Berkeley\n"
    "Mlocal, P=/bin/true, F=lsDFMAw5:/|@q, A=true\n"
    "Mrelay, P=[IPC], F=mDFMuX, A=TCP $h\n"
    "S0\n"
    "R$* < @ recurse > $*\t$: $>0 $1 < @ recurse > $2\n"
    "R$* < @ maploop > $*\t$: $(nosuchmap $1 $) < @ ok >\n"
    "R$* < @ nomailer > $*\t$@ $1\n"
    "R$* < @ unknown > $*\t$# foo $@ x $: $1\n"
    "R$* < @ disc > $*\t$# discard $: $1\n"
    "R$* < @ nohost > $*\t$# relay $: $1\n"
    "R$* < @ nouser > $*\t$# relay $@ x\n"
    "R$* < @ tempf > $*\t$# error $@ 4.1.1 $: \"451 later\"\n"
    "R$* < @ refused > $*\t$# error $@ 5.1.3 $: \"553 Invalid route address\"\n"
    "R$* < @ $+ > $*\t$# relay $@ $2 $: $1\n"
    "R$*\t$# local $: $1\n"
    "S3\n"
    "R$* @ $*\t$@ $1 < @ $2 >\n"
    "Scheck_mail\n"
    "R< $* @ loop >\t< $1 @ loop >\n"
    "R< $* @ refused >\t$#error $@ 5.7.1 $: \"550 mail check\"\n"
    "R< $* @ mailcheck >\t$#error $@ 5.7.1 $: \"550 mail check\"\n"
    "Scheck_rcpt\n"
    "R< $* @ loop >\t< $1 @ loop >\n"
    "R< $* @ nomap >\t$: $(nosuchmap $1 $)\n"
    "R$*\t$#error $@ 5.7.1 $: \"550 rcpt check\"\n";

struct LoadedCf {
    smaudit::SourceSet sources;
    smaudit::model::Config config;
};

inline std::unique_ptr<LoadedCf> load_cf_text(const std::string& text,
                                              const std::string& path = "test.cf") {
    auto loaded = std::make_unique<LoadedCf>();
    smaudit::FileId id = loaded->sources.add(path, text, smaudit::FileKind::Cf);
    std::vector<smaudit::Diagnostic> diagnostics;
    smaudit::ast::CfFile cf = smaudit::parse_cf(loaded->sources, id, diagnostics);
    loaded->config = smaudit::model::build_config(loaded->sources, cf, diagnostics);
    return loaded;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The test mode's output for `commands` (one per line) on the .cf at `cf_path`, the host named
// mx.example.test in a UTS namespace of its own and DNS off; nullopt where sendmail or unshare
// cannot run here.
inline std::optional<std::string> run_sendmail_bt(const std::string& cf_path,
                                                  const std::string& commands,
                                                  const std::string& options = "") {
    if (!std::filesystem::exists("/usr/sbin/sendmail") ||
        !std::filesystem::exists("/etc/mail/service.switch-nodns"))
        return std::nullopt;
    TempDir dir("smaudit-relay-bt");
    std::string input = (dir.path / "input").string();
    std::ofstream(input) << commands;
    std::string command = "unshare -u sh -c 'hostname mx.example.test && exec /usr/sbin/sendmail "
                          "-C " +
                          cf_path + " -O ServiceSwitchFile=/etc/mail/service.switch-nodns " +
                          options + " -bt' < " + input + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return std::nullopt;
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0)
        out.append(buf, n);
    int status = pclose(pipe);
    (void)status; // -bt exits non-zero after a ruleset failed; the banner says it ran
    if (out.find("ADDRESS TEST MODE") == std::string::npos) return std::nullopt;
    return out;
}

// The output of one -bt session split per command: the lines printed after each "> " prompt,
// banner and warnings left out.
inline std::vector<std::vector<std::string>> split_bt_output(const std::string& out) {
    std::vector<std::vector<std::string>> answers;
    std::istringstream in(out);
    std::string line;
    bool started = false;
    while (std::getline(in, line)) {
        if (!started) {
            started = line.starts_with("Enter <ruleset>");
            continue;
        }
        // Each command gets a "> " prompt, printed before its output without a line break: a
        // command that prints nothing leaves its prompt before the next one's.
        while (line.starts_with("> ")) {
            line.erase(0, 2);
            answers.emplace_back();
        }
        if (line == ">") {
            line.clear();
            answers.emplace_back();
        }
        if (!line.empty() && !line.starts_with("== Ruleset") && !line.starts_with("WARNING:") &&
            !answers.empty())
            answers.back().push_back(line);
    }
    return answers;
}
