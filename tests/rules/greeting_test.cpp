// SM-S020 greeting-reveals-version. Facts checked with sendmail 8.17.1.9 (`sendmail -bs`):
// `${v}` is `$v`; `$Z` is the DZ line's text and empty without one; `${version}` is no macro and
// expands to nothing; a macro's value is expanded in turn; below V7 the greeting is macro e.
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

TEST_CASE("m4's stock greeting: $v found, replaced by $j as a safe fix") {
    auto run = run_rule("SM-S020",
                        "V10/Berkeley\nDZ8.17.1.9\nO SmtpGreetingMessage=$j Sendmail $v/$Z; $b\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Low);
    CHECK(run.text(d.where) == "$j Sendmail $v/$Z; $b");
    CHECK(d.label == "SmtpGreetingMessage is set here");
    CHECK(d.message == "the greeting shows $v, sendmail's version");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nDZ8.17.1.9\nO SmtpGreetingMessage=$j\n");
}

TEST_CASE("a custom greeting loses only its version references, safely") {
    auto run =
        run_rule("SM-S020",
                 "V10/Berkeley\nDZ8.17.1.9\n"
                 "O SmtpGreetingMessage=$j Sendmail $v/$Z; $b; (No UCE/UBE) $?{client_addr}x$.\n");
    const Diagnostic& d = run.only();
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(d.fix->title == "remove the version from SmtpGreetingMessage");
    CHECK(run.apply(*d.fix) ==
          "V10/Berkeley\nDZ8.17.1.9\n"
          "O SmtpGreetingMessage=$j Sendmail; $b; (No UCE/UBE) $?{client_addr}x$.\n");
}

TEST_CASE("$Z reveals the version only when a DZ line defines it") {
    CHECK(run_rule("SM-S020", "V10/Berkeley\nDZ8.17.1.9\nO SmtpGreetingMessage=$j [$Z]\n")
              .only()
              .message == "the greeting shows $Z, the configuration's version (8.17.1.9)");
    CHECK(run_rule("SM-S020", "V10/Berkeley\nO SmtpGreetingMessage=$j [$Z]\n").findings.empty());
}

TEST_CASE("${v} is $v, ${version} is nothing, conditionals only test") {
    CHECK(run_rule("SM-S020", "V10/Berkeley\nO SmtpGreetingMessage=$j ${v}\n").findings.size() ==
          1);
    CHECK(run_rule("SM-S020", "V10/Berkeley\nO SmtpGreetingMessage=$j ${version}\n")
              .findings.empty());
    CHECK(run_rule("SM-S020", "V10/Berkeley\nO SmtpGreetingMessage=$j $?v yes $| no $.\n")
              .findings.empty());
    // A deferred reference still expands when the greeting is sent.
    CHECK(run_rule("SM-S020", "V10/Berkeley\nO SmtpGreetingMessage=$j $&v\n").findings.size() == 1);
}

TEST_CASE("a version through another macro or written out: the fix is $j, unsafe") {
    auto macro = run_rule(
        "SM-S020", "V10/Berkeley\nD{Banner}Sendmail $v\nO SmtpGreetingMessage=$j ${Banner}\n");
    const Diagnostic& d = macro.only();
    CHECK(d.message == "the greeting shows ${Banner}, whose value shows $v, sendmail's version");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(macro.apply(*d.fix) == "V10/Berkeley\nD{Banner}Sendmail $v\nO SmtpGreetingMessage=$j\n");

    auto literal =
        run_rule("SM-S020", "V10/Berkeley\nO SmtpGreetingMessage=$j Sendmail 8.17.1 ready\n");
    CHECK(literal.only().message == "the greeting shows a release number written out");
    // Macros that refer to each other in a loop end.
    CHECK(run_rule("SM-S020", "V10/Berkeley\nD{A}${B}\nD{B}${A}\nO SmtpGreetingMessage=$j ${A}\n")
              .findings.empty());
}

TEST_CASE("no greeting line: sendmail's default, fixed by a new line") {
    auto run = run_rule("SM-S020", "V10/Berkeley\nO LogLevel=9\n");
    const Diagnostic& d = run.only();
    CHECK_FALSE(d.where.valid());
    CHECK(d.message.starts_with(
        "SmtpGreetingMessage not set: sendmail's default `$j Sendmail $v ready at $b` applies"));
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO LogLevel=9\nO SmtpGreetingMessage=$j\n");
}

TEST_CASE("below level 7 the e macro is the greeting; at 10 it is not") {
    auto old = run_rule("SM-S020", "V6\nDe$j Sendmail $v ready at $b\n");
    const Diagnostic& d = old.only();
    CHECK(old.line(d) == 2);
    CHECK(run_rule("SM-S020", "V6\nDe$j ready\n").findings.empty());
    // At level 10 the option's default applies, whatever De says.
    auto modern = run_rule("SM-S020", "V10/Berkeley\nDe$j ready\n");
    CHECK_FALSE(modern.only().where.valid());
}
