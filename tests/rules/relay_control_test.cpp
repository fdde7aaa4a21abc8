// SM-S003 no-relay-control-ruleset: a missing, empty or accept-everything check_rcpt.
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

TEST_CASE("no check_rcpt in a .cf with rulesets: a critical finding about the file") {
    auto run = run_rule("SM-S003", "V10/Berkeley\nS0\nR$+\t\t$#local $: $1\n");
    REQUIRE(run.findings.size() == 1);
    const Diagnostic& d = run.findings[0];
    CHECK(d.severity == Severity::Critical);
    CHECK_FALSE(d.where.valid());
    CHECK(d.config_file == run.file);
    CHECK(d.message.starts_with("no check_rcpt ruleset"));
    CHECK_FALSE(d.fix); // regenerating the .cf is not an edit
}

TEST_CASE("an empty check_rcpt points at its S line") {
    auto run = run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nS0\nR$+\t\t$#local $: $1\n");
    REQUIRE(run.findings.size() == 1);
    CHECK(run.line(run.findings[0]) == 2);
}

TEST_CASE("an accept-everything rule before any refusal is flagged; after one it is not") {
    auto accept = run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nR$*\t\t$: $1\nR$*\t\t$#OK\n");
    REQUIRE(accept.findings.size() == 1);
    CHECK(accept.line(accept.findings[0]) == 4);
    REQUIRE(accept.findings[0].notes.size() == 1);
    CHECK(accept.line(accept.findings[0].notes[0].where) == 2);

    CHECK(run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nR$* < @ bad . >\t$#error $: 550 no\n"
                              "R$*\t\t$@ OK\n")
              .findings.empty());
    // A call of another ruleset can refuse.
    CHECK(run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nR$*\t\t$: $>Basic_check_rcpt $1\n"
                              "R$*\t\t$@ OK\n")
              .findings.empty());
    // A pattern that does not match everything is no blanket acceptance.
    CHECK(run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nR$+ < @ $=w . >\t$@ OK\n"
                              "R$*\t\t$#error $: 550 Relaying denied\n")
              .findings.empty());
}

TEST_CASE("a fragment without rulesets is not checked") {
    CHECK(run_rule("SM-S003", "V10/Berkeley\nO LogLevel=9\n").findings.empty());
}

TEST_CASE("check_rcpt's verdict is what rscheck() does with the result") {
    // Acceptance: any `$#` but error/discard (compared case by case), any `$@` value.
    for (const char* rhs : {"$# OK", "$#OK", "$# RELAY", "$#local $: $1", "$@ OK", "$@ RELAY", "$@",
                            "$#ERROR $: 550 no", "$# TEMP $@ 4.7.1 $: 450 later"}) {
        INFO(rhs);
        auto run = run_rule("SM-S003", std::string("V10/Berkeley\nScheck_rcpt\nR$*\t\t") + rhs +
                                           "\nR$*\t\t$#error $: 550 no\n");
        REQUIRE(run.findings.size() == 1);
        CHECK(run.line(run.findings[0]) == 3);
    }
    for (const char* rhs : {"$#error $@ 5.7.1 $: 550 no", "$#discard $: x", "$: $1"}) {
        INFO(rhs);
        CHECK(run_rule("SM-S003", std::string("V10/Berkeley\nScheck_rcpt\nR$*\t\t") + rhs +
                                      "\nR$*\t\t$#error $: 550 no\n")
                  .findings.empty());
    }
    auto upper = run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nR$*\t\t$#ERROR $: 550 no\n");
    REQUIRE(upper.findings.size() == 1);
    CHECK(upper.findings[0].message.find("lower case") != std::string::npos);
}

TEST_CASE("Local_check_rcpt's resolution is passed on by m4's check_rcpt; its returns are not") {
    const std::string m4_check_rcpt = "V10/Berkeley\nScheck_rcpt\n"
                                      "R$*\t\t$: $1 $| $>\"Local_check_rcpt\" $1\n"
                                      "R$* $| $#$*\t$#$2\n"
                                      "R$* $| $*\t$@ $>\"Basic_check_rcpt\" $1\n"
                                      "SBasic_check_rcpt\nR$*\t\t$#error $: 550 no\n"
                                      "SLocal_check_rcpt\n";
    auto resolved = run_rule("SM-S003", m4_check_rcpt + "R$*\t\t$# RELAY\n");
    REQUIRE(resolved.findings.size() == 1);
    const Diagnostic& d = resolved.findings[0];
    CHECK(resolved.line(d) == 9);
    CHECK(d.message.starts_with("Local_check_rcpt resolves every recipient to `$# RELAY`"));
    REQUIRE(d.notes.size() == 2);
    CHECK(resolved.line(d.notes[0].where) == 4); // R$* $| $#$*  $#$2
    CHECK(resolved.line(d.notes[1].where) == 2); // Scheck_rcpt
    CHECK(run_rule("SM-S003", m4_check_rcpt + "R$*\t\t$@ OK\n").findings.empty());
    // Only the m4 shape passes a resolution on: without `R$* $| $#$*  $#$2` it is unknown.
    CHECK(run_rule("SM-S003", "V10/Berkeley\nScheck_rcpt\nR$*\t\t$: $>Local_check_rcpt $1\n"
                              "R$*\t\t$#error $: 550 no\nSLocal_check_rcpt\nR$*\t\t$# OK\n")
              .findings.empty());
}
