// SM-S021 and SM-S024 to SM-S031: what HELP, VERB, ETRN, the HELO requirement, the remaining
// PrivacyOptions flags, the headers and IDENT disclose. Exact messages and the edge cases the
// fixtures do not show. Facts checked with sendmail 8.17.1.9 (`sendmail -bs`,
// tests/scripts/disclosure_rules_agree_with_sendmail.sh, and the rules' doc pages).
#include "analyze/role.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;
using test::NamedText;
using test::run_rule;

namespace {

bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

constexpr std::string_view kHelpCf = "V10/Berkeley\nO HelpFile=/etc/mail/helpfile\n";

test::RuleRun run_help(std::string help_text) {
    return run_rule("SM-S021", std::string(kHelpCf), "test.cf",
                    {NamedText{"HelpFile", "helpfile", std::move(help_text)}});
}

// The help file run_help gave the rule: the file added after the configuration.
FileId help_of(const test::RuleRun& run) {
    return run.file + 1;
}

} // namespace

TEST_CASE("SM-S021: no help file to read is the 502 reply with the version") {
    auto unset = run_rule("SM-S021", "V10/Berkeley\nO LogLevel=9\n");
    REQUIRE(unset.findings.size() == 1);
    CHECK(unset.findings[0].message ==
          "HelpFile not set, so HELP answers `502 5.3.0 Sendmail <version> -- HELP not "
          "implemented`, which tells every client the sendmail version");
    CHECK(unset.findings[0].severity == Severity::Medium);

    auto empty = run_rule("SM-S021", "V10/Berkeley\nO HelpFile=\n");
    REQUIRE(empty.findings.size() == 1);
    CHECK(empty.findings[0].message.starts_with("HelpFile is empty, so HELP answers `502"));
}

TEST_CASE("SM-S021: a help file that was not read is an info finding that says why") {
    auto run = run_rule("SM-S021", std::string(kHelpCf));
    REQUIRE(run.findings.size() == 1);
    const Diagnostic& d = run.findings[0];
    CHECK(d.severity == Severity::Info);
    CHECK(run.text(d.where) == "/etc/mail/helpfile");
    CHECK(d.message.starts_with("HELP may tell clients the sendmail version: smaudit did not "
                                "check the help file /etc/mail/helpfile ("));
    CHECK_FALSE(d.fix);
}

TEST_CASE("SM-S021: sendmail's own help file shows $v in the smtp topic; the fix deletes it") {
    auto run = run_help("#vers\t2\nsmtp\tThis is sendmail version $v\nsmtp\tTopics:\n"
                        "help\tDescribe $v.\nHELO\tNever shown $v\n");
    // `help` shows its line too; `HELO` starts with a capital, which help() never matches.
    REQUIRE(run.findings.size() == 2);
    const Diagnostic& smtp = run.findings[0];
    CHECK(smtp.message == "HELP shows the sendmail version: this help line has $v, sendmail's "
                          "version");
    CHECK(run.text(smtp.where) == "$v");
    CHECK(smtp.label == "HELP shows this line");
    REQUIRE(smtp.notes.size() == 1);
    CHECK(smtp.notes[0].text == "HelpFile names the help file here");
    CHECK(run.text(smtp.notes[0].where) == "/etc/mail/helpfile");
    REQUIRE(smtp.fix);
    CHECK(smtp.fix->safe);
    CHECK(run.apply(*smtp.fix, help_of(run)) ==
          "#vers\t2\nsmtp\tTopics:\nhelp\tDescribe $v.\nHELO\tNever "
          "shown $v\n");
    CHECK(run.findings[1].message.starts_with("`HELP help` shows the sendmail version"));
}

TEST_CASE("SM-S021: without `#vers<TAB>2` sendmail prints its version above the smtp topic") {
    auto old = run_help("smtp\tTopics: HELO MAIL\n");
    REQUIRE(old.findings.size() == 1);
    CHECK(old.findings[0].message ==
          "HELP shows `214-2.0.0 This is Sendmail version <version>` above the help text: "
          "sendmail prints it when the help file has no `#vers<TAB>2` line");
    REQUIRE(old.findings[0].fix);
    CHECK(old.findings[0].fix->safe);
    CHECK(old.apply(*old.findings[0].fix, help_of(old)) == "#vers\t2\nsmtp\tTopics: HELO MAIL\n");

    // `#vers 2` with a blank: sendmail looks for "#vers<TAB>" and does not read it.
    auto space = run_help("#vers 2\nsmtp\tTopics: HELO MAIL\n");
    REQUIRE(space.findings.size() == 1);
    CHECK(has(space.findings[0].message, "only when a tab follows it"));
    CHECK(space.line(space.findings[0]) == 1);
    REQUIRE(space.findings[0].fix);
    CHECK(space.apply(*space.findings[0].fix, help_of(space)) ==
          "#vers\t2\nsmtp\tTopics: HELO MAIL\n");

    // Before version 2 sendmail expands no macro in the text: `$v` is shown as it is written,
    // but the fix that turns version 2 on would expand it, so that line goes with it.
    auto dollar = run_help("smtp\tTopics\nsmtp\tsendmail $v\n");
    REQUIRE(dollar.findings.size() == 1);
    REQUIRE(dollar.findings[0].fix);
    CHECK(dollar.apply(*dollar.findings[0].fix, help_of(dollar)) == "#vers\t2\nsmtp\tTopics\n");
}

TEST_CASE("SM-S021: an empty help file or a clean version 2 file shows no version") {
    CHECK(run_help("").findings.empty());
    CHECK(run_help("#vers\t2\n").findings.empty());
    CHECK(run_help("#vers\t2\nsmtp\tTopics: HELO EHLO MAIL\nhelp\tDescribe commands.\n")
              .findings.empty());
    // Without an smtp topic plain HELP finds nothing to show: `214 2.0.0 End of HELP info`.
    CHECK(run_help("help\tDescribe commands.\n").findings.empty());
}

TEST_CASE("SM-S024: noexpn and goaway turn VERB off too; noverb alone does") {
    for (std::string_view flags : {"noverb", "noexpn", "goaway", "authwarnings,NoVerb"})
        CHECK(run_rule("SM-S024", "V10/Berkeley\nO PrivacyOptions=" + std::string(flags) + "\n")
                  .findings.empty());
    auto run = run_rule("SM-S024", "V10/Berkeley\nO PrivacyOptions=authwarnings,novrfy\n");
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].message.starts_with(
        "VERB is enabled: PrivacyOptions has none of noverb, noexpn and goaway, so any client "
        "can turn on verbose mode"));
    REQUIRE(run.findings[0].fix);
    CHECK(run.apply(*run.findings[0].fix) ==
          "V10/Berkeley\nO PrivacyOptions=authwarnings,novrfy,noverb\n");
}

TEST_CASE("SM-S024: `O Verbose` in the file is reported and deleted; Verbose=False is not") {
    auto run = run_rule("SM-S024", "V10/Berkeley\nO PrivacyOptions=goaway\nO Verbose\nOL9\n");
    REQUIRE(run.findings.size() == 1);
    CHECK(run.line(run.findings[0]) == 3);
    CHECK(run.findings[0].message.starts_with("Verbose is set in the configuration file"));
    REQUIRE(run.findings[0].fix);
    CHECK(run.findings[0].fix->safe);
    CHECK(run.apply(*run.findings[0].fix) == "V10/Berkeley\nO PrivacyOptions=goaway\nOL9\n");
    CHECK(run_rule("SM-S024", "V10/Berkeley\nO PrivacyOptions=goaway\nO Verbose=False\n")
              .findings.empty());
    CHECK(run_rule("SM-S024", "V10/Berkeley\nO PrivacyOptions=goaway\nO Verbose=yes\n")
              .findings.size() == 1);
}

TEST_CASE("SM-S024: the submission program is judged by its Verbose option only") {
    SourceSet sources;
    const FileId file =
        sources.add("submit.cf", "V10/Berkeley\nO PrivacyOptions=authwarnings\n", FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    const ast::CfFile cf = parse_cf(sources, file, diagnostics);
    const model::Config config = model::build_config(sources, cf, diagnostics);
    model::HostRole msp;
    msp.role = msp.detected = model::Role::Msp;
    RuleContext context{sources, config};
    context.role = &msp;
    std::vector<Diagnostic> findings;
    run_rules({find_rule("SM-S024")}, context, findings);
    CHECK(findings.empty());
}

TEST_CASE("SM-S025: goaway does not include noetrn; M=E on every daemon turns ETRN off") {
    auto goaway = run_rule("SM-S025", "V10/Berkeley\nO PrivacyOptions=goaway\n");
    REQUIRE(goaway.findings.size() == 1);
    CHECK(goaway.findings[0].message ==
          "ETRN is enabled: PrivacyOptions has no noetrn (goaway does not include it) and "
          "sendmail's default daemon on port 25 on all addresses has no E modifier, so any "
          "client can make sendmail start a queue run with `ETRN <domain>` (each command forks a "
          "queue runner), a cheap way to load the host");
    CHECK(run_rule("SM-S025", "V10/Berkeley\nO PrivacyOptions=goaway,noetrn\n").findings.empty());
    CHECK(
        run_rule("SM-S025", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, M=E\n").findings.empty());
    auto one_open = run_rule("SM-S025", "V10/Berkeley\nOpgoaway\nO DaemonPortOptions=Name=MTA\n"
                                        "O DaemonPortOptions=Port=587, Name=MSA, M=Ea\n");
    REQUIRE(one_open.findings.size() == 1);
    CHECK(has(one_open.findings[0].message, "daemon MTA on port 25 on all addresses has no E"));
}

TEST_CASE("SM-S026: one finding lists the HELO flags missing for the commands still on") {
    auto all = run_rule("SM-S026", "V10/Berkeley\nO PrivacyOptions=authwarnings\n");
    REQUIRE(all.findings.size() == 1);
    CHECK(all.findings[0].message.starts_with(
        "HELO is not required before MAIL, EXPN or VRFY: PrivacyOptions has none of "
        "needmailhelo, needexpnhelo, needvrfyhelo and goaway"));
    REQUIRE(all.findings[0].fix);
    CHECK(all.apply(*all.findings[0].fix) ==
          "V10/Berkeley\nO PrivacyOptions=authwarnings,needmailhelo,needexpnhelo,needvrfyhelo\n");
    // EXPN and VRFY off: only MAIL is left.
    auto mail = run_rule("SM-S026", "V10/Berkeley\nO PrivacyOptions=noexpn,novrfy\n");
    REQUIRE(mail.findings.size() == 1);
    CHECK(mail.findings[0].message.starts_with(
        "HELO is not required before MAIL: PrivacyOptions has neither needmailhelo nor goaway"));
    CHECK(run_rule("SM-S026", "V10/Berkeley\nO PrivacyOptions=goaway\n").findings.empty());
    CHECK(run_rule("SM-S026", "V10/Berkeley\nO PrivacyOptions=needmailhelo,noexpn,novrfy\n")
              .findings.empty());
}

TEST_CASE("SM-S027: authwarnings or goaway; without PrivacyOptions `public` has neither") {
    CHECK(run_rule("SM-S027", "V10/Berkeley\nO PrivacyOptions=goaway\n").findings.empty());
    CHECK(run_rule("SM-S027", "V10/Berkeley\nOpauthwarnings\n").findings.empty());
    auto run = run_rule("SM-S027", "V10/Berkeley\nO PrivacyOptions=noexpn\n");
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].message.starts_with("X-Authentication-Warning headers are off: "
                                              "PrivacyOptions has neither authwarnings nor "
                                              "goaway"));
    auto unset = run_rule("SM-S027", "V10/Berkeley\nOL9\n");
    REQUIRE(unset.findings.size() == 1);
    CHECK(unset.findings[0].message.starts_with("PrivacyOptions not set: sendmail's default "
                                                "`public` applies, so X-Authentication-Warning"));
}

TEST_CASE("SM-S028 and SM-S029: goaway includes none of their flags; one finding each") {
    auto restrict = run_rule("SM-S028", "V10/Berkeley\nO PrivacyOptions=goaway,restrictqrun\n");
    REQUIRE(restrict.findings.size() == 1);
    CHECK(restrict.findings[0].message ==
          "mailq and sendmail -bv are open to every local user: PrivacyOptions has no "
          "restrictmailq or restrictexpand (goaway includes none of them), so any local user can "
          "list the sender and recipients of every queued message (`mailq`) and read what "
          "private aliases, .forward and :include: files expand to (`sendmail -bv`, `-v`)");
    CHECK(restrict.apply(*restrict.findings[0].fix) ==
          "V10/Berkeley\nO PrivacyOptions=goaway,restrictqrun,restrictmailq,restrictexpand\n");

    auto dsn = run_rule("SM-S029", "V10/Berkeley\nO PrivacyOptions=goaway,noreceipts\n");
    REQUIRE(dsn.findings.size() == 1);
    CHECK(dsn.findings[0].severity == Severity::Info);
    CHECK(has(dsn.findings[0].message, "no nobodyreturn or noactualrecipient (goaway includes "
                                       "none of them)"));
    CHECK(run_rule("SM-S029",
                   "V10/Berkeley\nO PrivacyOptions=noreceipts,nobodyreturn,noactualrecipient\n")
              .findings.empty());
}

TEST_CASE("SM-S030: the stock Received: header loses ($v/$Z), safely") {
    const std::string cf = "V10/Berkeley\nDZ8.17.1\n"
                           "HReceived: $?sfrom $s $.by $j ($v/$Z)$?r with $r$. id $i\n";
    auto run = run_rule("SM-S030", cf);
    REQUIRE(run.findings.size() == 1);
    const Diagnostic& d = run.findings[0];
    CHECK(d.message == "the Received: header sendmail writes into every message it handles "
                       "shows $v, sendmail's version, so their recipients learn which sendmail "
                       "release the host runs");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) ==
          "V10/Berkeley\nDZ8.17.1\nHReceived: $?sfrom $s $.by $j$?r with $r$. id $i\n");
    // $Z without a DZ line expands to nothing; a header without $v then shows no version.
    CHECK(run_rule("SM-S030", "V10/Berkeley\nHReceived: by $j ($Z)\n").findings.empty());
    // A version through another macro: reported, no fix (the macro may be used elsewhere).
    auto via = run_rule("SM-S030", "V10/Berkeley\nD{Build}sendmail $v\nHX-Build: ${Build}\n");
    REQUIRE(via.findings.size() == 1);
    CHECK(has(via.findings[0].message, "${Build}, whose value shows $v"));
    CHECK_FALSE(via.findings[0].fix);
}

TEST_CASE("SM-S031: Timeout.ident above 0, or unset (5s), sends IDENT queries") {
    auto unset = run_rule("SM-S031", "V10/Berkeley\nOL9\n");
    REQUIRE(unset.findings.size() == 1);
    CHECK(unset.findings[0].message.starts_with("Timeout.ident not set: sendmail's default 5s "
                                                "applies"));
    REQUIRE(unset.findings[0].fix);
    CHECK(unset.apply(*unset.findings[0].fix) == "V10/Berkeley\nOL9\nO Timeout.ident=0\n");

    auto set = run_rule("SM-S031", "V10/Berkeley\nO Timeout.ident=10s\n");
    REQUIRE(set.findings.size() == 1);
    CHECK(set.text(set.findings[0].where) == "10s");
    CHECK(set.apply(*set.findings[0].fix) == "V10/Berkeley\nO Timeout.ident=0\n");
    CHECK(run_rule("SM-S031", "V10/Berkeley\nO Timeout.ident=0\n").findings.empty());
    CHECK(run_rule("SM-S031", "V10/Berkeley\nO Timeout.ident=0s\n").findings.empty());
}
