// SM-S022 expn-enabled and SM-S023 vrfy-enabled: PrivacyOptions lines add up, legacy `Op` and
// abbreviated names count, goaway implies both, and the fixes add one flag without touching the
// rest. Facts checked with sendmail 8.17.1.9 (`sendmail -bs`, see docs/rules/SM-S023.md).
#include "fix/apply.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

TEST_CASE("SM-S023 points at the last PrivacyOptions value and labels the earlier lines") {
    auto run = run_rule("SM-S023", "V10/Berkeley\n"
                                   "O PrivacyOptions=authwarnings\n"
                                   "Opnoexpn\n"
                                   "O Privacy=needmailhelo\n");
    REQUIRE(run.findings.size() == 1);
    const Diagnostic& d = run.findings[0];
    CHECK(d.severity == Severity::Medium);
    CHECK(d.rule_name == "vrfy-enabled");
    CHECK(run.line(d) == 4);
    CHECK(run.text(d.where) == "needmailhelo");
    CHECK(d.label == "PrivacyOptions is set here");
    REQUIRE(d.notes.size() == 2);
    CHECK(run.text(d.notes[0].where) == "authwarnings");
    CHECK(run.text(d.notes[1].where) == "noexpn");
    CHECK(d.message.find("neither novrfy nor goaway") != std::string::npos);
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe); // VRFY users lose it
    CHECK(d.fix->title == "add novrfy to PrivacyOptions");
    CHECK(run.apply(*d.fix) == "V10/Berkeley\n"
                               "O PrivacyOptions=authwarnings\n"
                               "Opnoexpn\n"
                               "O Privacy=needmailhelo,novrfy\n");
}

TEST_CASE("goaway turns off both commands, noexpn and novrfy one each") {
    CHECK(run_rule("SM-S023", "V10/Berkeley\nO PrivacyOptions=goaway\n").findings.empty());
    CHECK(run_rule("SM-S022", "V10/Berkeley\nO PrivacyOptions=goaway\n").findings.empty());
    CHECK(run_rule("SM-S023", "V10/Berkeley\nOpnovrfy\n").findings.empty());
    CHECK(run_rule("SM-S022", "V10/Berkeley\nOpnovrfy\n").findings.size() == 1);
    CHECK(run_rule("SM-S022", "V10/Berkeley\nO PrivacyOptions=NoExpn\n").findings.empty());
    CHECK(run_rule("SM-S023", "V10/Berkeley\nO PrivacyOptions=NoExpn\n").findings.size() == 1);
    // needvrfyhelo only asks for HELO first.
    CHECK(run_rule("SM-S023", "V10/Berkeley\nO PrivacyOptions=needvrfyhelo\n").findings.size() ==
          1);
}

TEST_CASE("the legacy form gets the flag appended in place") {
    auto run = run_rule("SM-S022", "V10/Berkeley\nOpauthwarnings\nOL9\n");
    REQUIRE(run.findings.size() == 1);
    REQUIRE(run.findings[0].fix);
    CHECK(run.apply(*run.findings[0].fix) == "V10/Berkeley\nOpauthwarnings,noexpn\nOL9\n");
}

TEST_CASE("without a PrivacyOptions line the finding is about sendmail's default") {
    auto run = run_rule("SM-S023",
                        "V10/Berkeley\nO LogLevel=9\nO MaxHopCount=25\nS0\nR$+\t$#local $: $1\n");
    REQUIRE(run.findings.size() == 1);
    const Diagnostic& d = run.findings[0];
    CHECK_FALSE(d.where.valid());
    CHECK(d.config_file == run.file); // reported against this .cf
    CHECK(d.message.starts_with("PrivacyOptions not set: sendmail's default `public` applies"));
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    // The new line goes after the last option line, where sendmail reads options.
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO LogLevel=9\nO MaxHopCount=25\n"
                               "O PrivacyOptions=novrfy\nS0\nR$+\t$#local $: $1\n");
}

TEST_CASE("a new option line keeps the file's CRLF line ends and goes after V without options") {
    auto crlf = run_rule("SM-S022", "V10/Berkeley\r\nO LogLevel=9\r\n");
    REQUIRE(crlf.findings.size() == 1);
    REQUIRE(crlf.findings[0].fix);
    CHECK(crlf.apply(*crlf.findings[0].fix) ==
          "V10/Berkeley\r\nO LogLevel=9\r\nO PrivacyOptions=noexpn\r\n");

    auto no_options = run_rule("SM-S022", "# x\nV10/Berkeley\nS0\n");
    REQUIRE(no_options.findings.size() == 1);
    REQUIRE(no_options.findings[0].fix);
    CHECK(no_options.apply(*no_options.findings[0].fix) ==
          "# x\nV10/Berkeley\nO PrivacyOptions=noexpn\nS0\n");

    auto last_line = run_rule("SM-S022", "V10/Berkeley\nO LogLevel=9");
    REQUIRE(last_line.findings.size() == 1);
    REQUIRE(last_line.findings[0].fix);
    CHECK(last_line.apply(*last_line.findings[0].fix) ==
          "V10/Berkeley\nO LogLevel=9\nO PrivacyOptions=noexpn");
}

TEST_CASE("S022 and S023 fixes on one value are insertions that compose") {
    const std::string text = "V10/Berkeley\nO PrivacyOptions=authwarnings\n";
    auto expn = run_rule("SM-S022", text);
    auto vrfy = run_rule("SM-S023", text);
    REQUIRE(expn.findings.size() == 1);
    REQUIRE(vrfy.findings.size() == 1);
    Fix both = *expn.findings[0].fix;
    both.edits.push_back(vrfy.findings[0].fix->edits.at(0));
    for (const Edit& e : both.edits)
        CHECK(e.where.span.empty());
    std::string applied = expn.apply(both);
    CHECK((applied == "V10/Berkeley\nO PrivacyOptions=authwarnings,noexpn,novrfy\n" ||
           applied == "V10/Berkeley\nO PrivacyOptions=authwarnings,novrfy,noexpn\n"));
}

// Both fixes applied together through src/fix/apply, on values that have nothing to put a comma
// after. sendmail 8.17.1.9 reads `O PrivacyOptions=,novrfy,noexpn` without complaint (leading
// separators are skipped) and `O PrivacyOptions` as no flags.
static std::string apply_both(const std::string& text) {
    auto expn = run_rule("SM-S022", text);
    auto vrfy = run_rule("SM-S023", text);
    REQUIRE(expn.findings.size() == 1);
    REQUIRE(vrfy.findings.size() == 1);
    REQUIRE(expn.findings[0].fix);
    REQUIRE(vrfy.findings[0].fix);
    REQUIRE(expn.file == vrfy.file); // the same text in two runs: the edits' file ids agree
    FixApplication applied = apply_fixes(expn.sources, {&expn.findings[0], &vrfy.findings[0]});
    CHECK(applied.conflicted.empty());
    return applied.texts.at(expn.file);
}

TEST_CASE("fixes compose on an empty value and on a line without =") {
    std::string empty = apply_both("V10/Berkeley\nO PrivacyOptions=\n");
    CHECK((empty == "V10/Berkeley\nO PrivacyOptions=,noexpn,novrfy\n" ||
           empty == "V10/Berkeley\nO PrivacyOptions=,novrfy,noexpn\n"));
    // The flags of both fixes go into the line as one `=noexpn,novrfy`.
    CHECK(apply_both("V10/Berkeley\nO PrivacyOptions\n") ==
          "V10/Berkeley\nO PrivacyOptions=noexpn,novrfy\n");
}
