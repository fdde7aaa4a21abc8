// Program and file delivery: SM-S041 (prog mailer is a shell), SM-S043 (mailers as root),
// SM-S051 (.forward files), SM-S053 (SafeFileEnvironment), SM-S054 (class t, RunAsUser) and
// SM-S055 (queue and temporary file modes, UseMSP): exact messages, places and fixes. Facts
// checked with sendmail 8.17.1.9 and the 8.18 sources (alias.c: no ForwardPath means
// `$z/.forward`; conf.c setdefaults(): QueueFileMode 0600 unless set-user-ID) and GNU m4 1.4.19.
#include "mc_test_support.hpp"

using namespace smaudit;
using test::run_mc_rule;
using test::run_rule;

namespace {

bool has_cf_tree() {
    if (!test::installed_cf_tree().empty()) return true;
    MESSAGE("skipped: no installed cf tree");
    return false;
}

// One rule on .cf text audited as a host of the given role (what run_rules gets from the audit).
test::RuleRun run_rule_as(std::string_view rule_id, std::string text, model::Role role) {
    test::RuleRun run;
    run.file = run.sources.add("test.cf", std::move(text), FileKind::Cf);
    ast::CfFile cf = parse_cf(run.sources, run.file, run.parse_diagnostics);
    model::Config config = model::build_config(run.sources, cf, run.parse_diagnostics);
    model::HostRole verdict;
    verdict.role = role;
    RuleContext context{run.sources, config};
    context.role = &verdict;
    run_rules({find_rule(rule_id)}, context, run.findings);
    return run;
}

constexpr std::string_view kMailLocal =
    "Mlocal,\tP=/usr/libexec/mail.local, F=lsDFMAw5:/|@qSPfhn9, S=EnvFromL, R=EnvToL,\n"
    "\tA=mail.local -l\n";

} // namespace

TEST_CASE("SM-S041: a shell as prog mailer, its message and the smrsh fix beside mail.local") {
    const std::string cf = "V10/Berkeley\n" + std::string(kMailLocal) +
                           "Mprog,\tP=/bin/sh, F=lsDFMoqeu9, S=EnvFromL, R=EnvToL, D=$z:/,\n"
                           "\tA=sh -c $u\n";
    auto run = run_rule("SM-S041", cf);
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(run.line(d) == 4);
    CHECK(run.text(d.where) == "/bin/sh");
    CHECK(d.label == "Mprog runs /bin/sh, not smrsh");
    // No ForwardPath line: sendmail reads $z/.forward (alias.c).
    CHECK(d.message == "the prog mailer is the shell /bin/sh, which runs whatever follows `|` in "
                       "an alias, an :include: file or a user's .forward as a command line: any "
                       "program, with shell syntax; smrsh would run only the programs linked into "
                       "its directory");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(d.fix->title == "run program deliveries through /usr/libexec/smrsh");
    CHECK(run.apply(*d.fix) == "V10/Berkeley\n" + std::string(kMailLocal) +
                                   "Mprog,\tP=/usr/libexec/smrsh, F=lsDFMoqeu9, S=EnvFromL, "
                                   "R=EnvToL, D=$z:/,\n\tA=smrsh -c $u\n");
}

TEST_CASE("SM-S041: an empty ForwardPath drops .forward from the message; smrsh and other "
          "programs are fine") {
    auto no_forward = run_rule("SM-S041", "V10/Berkeley\nO ForwardPath=\n"
                                          "MPROG,\tP=/usr/bin/bash, F=lsDFMoqeu9, A=bash -c $u\n");
    const Diagnostic& d = no_forward.only(); // mailer names are case-insensitive
    CHECK(d.message.starts_with("the prog mailer is the shell /usr/bin/bash, which runs whatever "
                                "follows `|` in an alias, an :include: file as a command line"));
    CHECK_FALSE(d.fix); // no mail.local to say where smrsh is
    CHECK(run_rule("SM-S041", "V10/Berkeley\nMprog,\tP=/usr/sbin/smrsh, F=lsDFMoqeu9, "
                              "A=smrsh -c $u\n")
              .findings.empty());
    CHECK(run_rule("SM-S041", "V10/Berkeley\nMprog,\tP=/usr/bin/procmail, F=lsDFMoqeu9, "
                              "A=procmail\n")
              .findings.empty());
    CHECK(run_rule("SM-S041", "V10/Berkeley\nO LogLevel=9\n").findings.empty()); // no Mprog
}

TEST_CASE("SM-S041 on an .mc: at MAILER(`local'), FEATURE(`smrsh') inserted before the first "
          "MAILER()") {
    if (!has_cf_tree()) return;
    const std::string mc = "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                           "OSTYPE(`linux')dnl\n"
                           "MAILER(`smtp')dnl\n"
                           "MAILER(`local')dnl\n";
    auto run = run_mc_rule("SM-S041", mc);
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 4); // the call that wrote Mprog
    // After any MAILER() m4 stops: "FEATURE() should be before MAILER()".
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                               "OSTYPE(`linux')dnl\n"
                               "FEATURE(`smrsh')dnl\n"
                               "MAILER(`smtp')dnl\n"
                               "MAILER(`local')dnl\n");
    // What the fix writes: m4 gives Mprog P=/usr/sbin/smrsh with OSTYPE(`linux').
    CHECK(run_mc_rule("SM-S041", run.apply(*d.fix)).findings.empty());
}

TEST_CASE("SM-S043: F=S on the prog mailer, U=root, DefaultUser root") {
    auto s_flag = run_rule("SM-S043", "V10/Berkeley\n"
                                      "Mprog,\tP=/bin/sh, F=lsDFMoqeu9S, A=sh -c $u\n");
    const Diagnostic& d = s_flag.only();
    CHECK(d.severity == Severity::High);
    CHECK(s_flag.text(d.where) == "lsDFMoqeu9S");
    CHECK(d.label == "F= has S");
    CHECK(d.message == "the mailer `prog` runs /bin/sh as root: F=S keeps sendmail's own user id "
                       "(root) instead of the recipient's or DefaultUser, so every `|command` of "
                       "an alias, :include: or .forward file runs as root");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(d.fix->title == "remove S from the prog mailer's flags");
    CHECK(s_flag.apply(*d.fix) == "V10/Berkeley\nMprog,\tP=/bin/sh, F=lsDFMoqeu9, A=sh -c $u\n");

    auto user_root = run_rule("SM-S043", "V10/Berkeley\n"
                                         "Mfile,\tP=[FILE], F=lsDFMPEouq9, U=root:root, A=FILE\n");
    const Diagnostic& u = user_root.only();
    CHECK(user_root.text(u.where) == "root:root");
    CHECK(u.message == "the mailer `file` writes files as root: U=root:root makes root its user "
                       "whenever no other user owns the delivery (entries of /etc/aliases, mail "
                       "to root)");
    CHECK_FALSE(u.fix);

    auto default_user = run_rule("SM-S043", "V10/Berkeley\nO DefaultUser=0:0\n");
    const Diagnostic& du = default_user.only();
    CHECK(default_user.text(du.where) == "0:0");
    CHECK(du.message == "DefaultUser is 0:0: mailers without F=S run as root whenever no other "
                        "user owns the delivery (the programs and files of /etc/aliases, mail to "
                        "root)");
}

TEST_CASE("SM-S043: local delivery agents that drop root themselves, sockets and RunAsUser") {
    // Debian's Mlocal: sensible-mda with F=S by design (it switches to the recipient).
    CHECK(run_rule("SM-S043", "V10/Berkeley\nMlocal,\tP=/usr/sbin/sensible-mda, "
                              "F=lsDFMAw5:/|@qPn9S, A=sensible-mda $g $u $h ${client_addr}\n")
              .findings.empty());
    CHECK(run_rule("SM-S043", "V10/Berkeley\nMlocal,\tP=/usr/bin/procmail, F=lsDFMAw5:/|@qSPfhn9, "
                              "A=procmail -Y -a $h -d $u\n")
              .findings.empty());
    CHECK(run_rule("SM-S043", "V10/Berkeley\nMsmtp,\tP=[IPC], F=mDFMuXS, A=TCP $h\n")
              .findings.empty());
    // A non-root U= with F=S: the mailer runs as that user.
    CHECK(run_rule("SM-S043", "V10/Berkeley\nMprog,\tP=/bin/sh, F=lsDFMoqeu9S, U=mail:mail, "
                              "A=sh -c $u\n")
              .findings.empty());
    // RunAsUser: sendmail is no longer root when it delivers.
    CHECK(run_rule("SM-S043", "V10/Berkeley\nO RunAsUser=smmsp\n"
                              "Mprog,\tP=/bin/sh, F=lsDFMoqeu9S, A=sh -c $u\n")
              .findings.empty());
}

TEST_CASE("SM-S043 on an .mc: at MODIFY_MAILER_FLAGS, the fix sets the flags without S") {
    if (!has_cf_tree()) return;
    const std::string mc = "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                           "OSTYPE(`linux')dnl\n"
                           "FEATURE(`smrsh')dnl\n"
                           "MODIFY_MAILER_FLAGS(`SHELL', `+S')dnl\n"
                           "MAILER(`local')dnl\n";
    auto run = run_mc_rule("SM-S043", mc);
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 4);
    CHECK(d.message.starts_with("the mailer `prog` runs /usr/sbin/smrsh as root: F=S"));
    REQUIRE(d.fix);
    const std::string fixed = run.apply(*d.fix);
    CHECK(fixed == "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                   "OSTYPE(`linux')dnl\n"
                   "FEATURE(`smrsh')dnl\n"
                   "MODIFY_MAILER_FLAGS(`SHELL', `+S')dnl\n"
                   "MODIFY_MAILER_FLAGS(`SHELL', `=lsDFMoqeu9')dnl\n"
                   "MAILER(`local')dnl\n");
    CHECK(run_mc_rule("SM-S043", fixed).findings.empty());
}

TEST_CASE("SM-S051: the stock ForwardPath, no ForwardPath at all, an empty one") {
    auto stock = run_rule("SM-S051", "V10/Berkeley\nO ForwardPath=$z/.forward.$w:$z/.forward\n");
    const Diagnostic& d = stock.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(stock.text(d.where) == "$z/.forward.$w:$z/.forward");
    CHECK(d.message == "ForwardPath is `$z/.forward.$w:$z/.forward`: sendmail reads .forward "
                       "files, so every local user's .forward can send their mail on elsewhere, "
                       "pipe it to a program or append it to a file, run as that user; STIG "
                       "GEN004580 asks for no .forward processing");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(stock.apply(*d.fix) == "V10/Berkeley\nO ForwardPath=\n");

    auto absent = run_rule("SM-S051", "V10/Berkeley\nO LogLevel=9\n");
    const Diagnostic& a = absent.only();
    CHECK_FALSE(a.where.valid());
    CHECK(a.message.starts_with("ForwardPath not set: sendmail's default `$z/.forward` applies, "
                                "so every local user's .forward"));
    REQUIRE(a.fix);
    CHECK(absent.apply(*a.fix) == "V10/Berkeley\nO LogLevel=9\nO ForwardPath=\n");

    CHECK(run_rule("SM-S051", "V10/Berkeley\nO ForwardPath=\n").findings.empty());
    CHECK(run_rule("SM-S051", "V10/Berkeley\nO ForwardPath\n").findings.empty());
}

TEST_CASE("SM-S053: unset, empty, set; RunAsUser is SM-S054's business") {
    auto unset = run_rule("SM-S053", "V10/Berkeley\nO LogLevel=9\n");
    const Diagnostic& d = unset.only();
    CHECK(d.severity == Severity::Low);
    CHECK_FALSE(d.where.valid());
    CHECK(d.message == "SafeFileEnvironment not set: deliveries to files (`/path` entries of "
                       "aliases, :include: and .forward files) may write any file their user can "
                       "write, device files and FIFOs included; set, it confines them to regular "
                       "files under that directory");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(d.fix->title == "set SafeFileEnvironment to / (regular files only)");
    CHECK(unset.apply(*d.fix) == "V10/Berkeley\nO LogLevel=9\nO SafeFileEnvironment=/\n");

    auto empty = run_rule("SM-S053", "V10/Berkeley\nO SafeFileEnvironment=\n");
    const Diagnostic& e = empty.only();
    CHECK(empty.line(e) == 2);
    CHECK(e.message.starts_with("SafeFileEnvironment is empty: deliveries to files"));
    REQUIRE(e.fix);
    CHECK(empty.apply(*e.fix) == "V10/Berkeley\nO SafeFileEnvironment=/\n");

    CHECK(run_rule("SM-S053", "V10/Berkeley\nO SafeFileEnvironment=/\n").findings.empty());
    CHECK(run_rule("SM-S053", "V10/Berkeley\nO RunAsUser=mailnull\n").findings.empty());
}

TEST_CASE("SM-S054: class t beyond root, daemon, uucp and sendmail's own accounts") {
    auto run = run_rule("SM-S054", "V10/Berkeley\nO TrustedUser=smmta\n"
                                   "Troot daemon smmta\nCt alice\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Low);
    CHECK(run.line(d) == 4);
    CHECK(run.text(d.where) == "alice");
    CHECK(d.label == "trusted here");
    CHECK(d.message == "`alice` is a trusted user (class t, a T or C line of the configuration): "
                       "it may set any envelope sender with -f without an "
                       "X-Authentication-Warning header, rebuild the alias database and run "
                       ".forward programs without a login shell listed in /etc/shells");
    CHECK_FALSE(d.fix);
}

TEST_CASE("SM-S054: RunAsUser with SafeFileEnvironment, except on the MSP") {
    const std::string cf = "V10/Berkeley\nO SafeFileEnvironment=/var/mail\nO RunAsUser=smmsp\n";
    auto run = run_rule("SM-S054", cf);
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 3);
    CHECK(run.text(d.where) == "smmsp");
    CHECK(d.message == "RunAsUser is smmsp: sendmail gives up root before it delivers, so it "
                       "cannot chroot() into SafeFileEnvironment /var/mail and every delivery to "
                       "a file fails (op.me: the two options are incompatible)");
    REQUIRE(d.notes.size() == 1);
    CHECK(run.text(d.notes[0].where) == "/var/mail");
    CHECK(run_rule_as("SM-S054", cf, model::Role::Msp).findings.empty());
    CHECK(run_rule("SM-S054", "V10/Berkeley\nO SafeFileEnvironment=/\nO RunAsUser=root\n")
              .findings.empty());
}

TEST_CASE("SM-S055: modes read as atooct() does, severities by who may read or write") {
    auto world = run_rule("SM-S055", "V10/Berkeley\nO QueueFileMode=644\n");
    const Diagnostic& w = world.only();
    CHECK(w.severity == Severity::High);
    CHECK(w.message == "QueueFileMode is 0644: every local user can read every queued message "
                       "(headers and body)");
    REQUIRE(w.fix);
    CHECK_FALSE(w.fix->safe);
    CHECK(world.apply(*w.fix) == "V10/Berkeley\nO QueueFileMode=0600\n");

    auto group_write = run_rule("SM-S055", "V10/Berkeley\nO TempFileMode=0660\n");
    const Diagnostic& g = group_write.only();
    CHECK(g.severity == Severity::Medium);
    CHECK(g.message == "TempFileMode is 0660: the files' group can change transcripts, the files "
                       "sendmail delivers to directly and the status files");

    // Debian's 0640 (group smmsp): low; on the MSP the shared group is the design.
    CHECK(run_rule("SM-S055", "V10/Berkeley\nO QueueFileMode=0640\n").only().severity ==
          Severity::Low);
    CHECK(run_rule_as("SM-S055", "V10/Berkeley\nO QueueFileMode=0660\nO UseMSP=True\n",
                      model::Role::Msp)
              .findings.empty());
    CHECK(run_rule("SM-S055", "V10/Berkeley\nO QueueFileMode=0600\nO TempFileMode=0600\n")
              .findings.empty());
}

TEST_CASE("SM-S055: UseMSP in an MTA configuration") {
    auto run = run_rule("SM-S055", "V10/Berkeley\nO UseMSP=True\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(run.text(d.where) == "True");
    CHECK(d.message == "UseMSP is true in an MTA configuration: it is the mail submission "
                       "program's option (submit.cf), and here it lets the queue files be "
                       "writable by the group of the set-group-ID sendmail binary");
    REQUIRE(d.fix);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO UseMSP=False\n");
    CHECK(run_rule("SM-S055", "V10/Berkeley\nO UseMSP=False\n").findings.empty());
}
