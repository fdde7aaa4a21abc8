// SM-S057 log-level-too-low, SM-S058 unlimited-message-size, SM-P003 unlimited-daemon-children,
// SM-P004 no-connection-rate-throttle: numbers read as sendmail reads them (atoi/atol), the
// legacy `OL` form, defaults, and fixes that replace only the value.
#include "rule_test_support.hpp"
#include "rules/rule_support.hpp"

using namespace smaudit;
using test::run_rule;

TEST_CASE("SM-S057: OL8 is LogLevel 8; the safe fix writes 9 in place") {
    auto run = run_rule("SM-S057", "V10/Berkeley\nOL8\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Low);
    CHECK(run.text(d.where) == "8");
    CHECK(d.message.starts_with("LogLevel 8 is below 9"));
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nOL9\n");
}

TEST_CASE("SM-S057: levels 9 and up, and the default, are fine; garbage reads as 0") {
    CHECK(run_rule("SM-S057", "V10/Berkeley\nO LogLevel=9\n").findings.empty());
    CHECK(run_rule("SM-S057", "V10/Berkeley\nO LogLevel=14\n").findings.empty());
    CHECK(run_rule("SM-S057", "V10/Berkeley\n").findings.empty());
    CHECK(run_rule("SM-S057", "V10/Berkeley\nO LogLevel=12x\n").findings.empty()); // atoi: 12
    CHECK(run_rule("SM-S057", "V10/Berkeley\nO LogLevel=high\n")
              .only()
              .message.starts_with("LogLevel `high` reads as 0, below 9: "));
    // Only the last line counts.
    CHECK(run_rule("SM-S057", "V10/Berkeley\nO LogLevel=2\nO LogLevel=9\n").findings.empty());
    CHECK(run_rule("SM-S057", "V10/Berkeley\nO LogLevel=9\nOL2\n").findings.size() == 1);
}

TEST_CASE("SM-P003: 0, negative and missing are unlimited; fixes are unsafe") {
    // ConnectionRateThrottle is set: without it, in background mode, SM-P002 reports instead.
    const std::string rate = "O ConnectionRateThrottle=10\n";
    auto zero = run_rule("SM-P003", "V10/Berkeley\n" + rate + "O MaxDaemonChildren=0\n");
    const Diagnostic& d = zero.only();
    CHECK(d.pack == Pack::Performance);
    CHECK(d.severity == Severity::Medium);
    CHECK(zero.text(d.where) == "0");
    CHECK(d.label == "MaxDaemonChildren is set here");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    // Sized to memory: half of the 4 GiB assumed, at 8 MiB per child.
    CHECK(zero.apply(*d.fix) == "V10/Berkeley\n" + rate + "O MaxDaemonChildren=256\n");

    CHECK(
        run_rule("SM-P003", "V10/Berkeley\n" + rate + "O MaxDaemonChildren=-5\n").findings.size() ==
        1);
    CHECK(
        run_rule("SM-P003", "V10/Berkeley\n" + rate + "O MaxDaemonChildren=40\n").findings.empty());

    auto missing = run_rule("SM-P003", "V10/Berkeley\nO LogLevel=9\n" + rate);
    const Diagnostic& m = missing.only();
    CHECK_FALSE(m.where.valid());
    CHECK(m.message.starts_with(
        "MaxDaemonChildren not set: sendmail's default 0 (no limit) applies"));
    REQUIRE(m.fix);
    CHECK(missing.apply(*m.fix) ==
          "V10/Berkeley\nO LogLevel=9\n" + rate + "O MaxDaemonChildren=256\n");
}

TEST_CASE("SM-P003: `O MaxDaemonChildren` without a value is 0, and the fix adds the =") {
    auto run = run_rule("SM-P003", "V10/Berkeley\nO DeliveryMode=queue\nO MaxDaemonChildren\n");
    const Diagnostic& d = run.only();
    REQUIRE(d.fix);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO DeliveryMode=queue\nO MaxDaemonChildren=256\n");
}

TEST_CASE("a line without a value reads as 0, and the message says so") {
    auto level = run_rule("SM-S057", "V10/Berkeley\nO LogLevel\n");
    CHECK(level.only().message.starts_with("LogLevel has no value and reads as 0, below 9: "));
    REQUIRE(level.only().fix);
    CHECK(level.apply(*level.only().fix) == "V10/Berkeley\nO LogLevel=9\n");
    auto size = run_rule("SM-S058", "V10/Berkeley\nO MaxMessageSize=\n");
    CHECK(size.only().message.starts_with(
        "MaxMessageSize has no value and reads as 0 (no limit), so "));
    CHECK(run_rule("SM-S058", "V10/Berkeley\nO MaxMessageSize=0\n")
              .only()
              .message.starts_with("MaxMessageSize is 0 (no limit), so "));
}

TEST_CASE("SM-P003: per-socket children limits count only when every socket has one") {
    CHECK(run_rule("SM-P003", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, c=50\n"
                              "O DaemonPortOptions=Port=587, Name=MSA, c=10\n")
              .findings.empty());
    CHECK(run_rule("SM-P003", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, c=50\n"
                              "O DaemonPortOptions=Port=587, Name=MSA\n"
                              "O ConnectionRateThrottle=10\n")
              .findings.size() == 1);
}

TEST_CASE("SM-P004 and SM-S058: the same limit logic on their own options") {
    // With the children capped (else SM-P003 or SM-P002 names the missing throttle).
    auto rate =
        run_rule("SM-P004", "V10/Berkeley\nO MaxDaemonChildren=100\nO ConnectionRateThrottle=0\n");
    CHECK(rate.only().severity == Severity::Low);
    REQUIRE(rate.only().fix);
    CHECK(rate.apply(*rate.only().fix) ==
          "V10/Berkeley\nO MaxDaemonChildren=100\nO ConnectionRateThrottle=10\n");
    CHECK(run_rule("SM-P004", "V10/Berkeley\nO MaxDaemonChildren=100\nO ConnectionRateThrottle=3\n")
              .findings.empty());

    auto size = run_rule("SM-S058", "V10/Berkeley\nO MaxMessageSize=0\n");
    CHECK(size.only().pack == Pack::Security);
    REQUIRE(size.only().fix);
    CHECK(size.apply(*size.only().fix) == "V10/Berkeley\nO MaxMessageSize=52428800\n");
    CHECK(run_rule("SM-S058", "V10/Berkeley\nO MaxMessageSize=1000000\n").findings.empty());
    // The last line wins.
    CHECK(run_rule("SM-S058", "V10/Berkeley\nO MaxMessageSize=1000000\nO MaxMessageSize=0\n")
              .findings.size() == 1);
}

TEST_CASE("a number behind stray quotes reads as 0 (no limit); the fix keeps that number") {
    // sendmail reads `O MaxMessageSize='1000000'` with atol(): 0, and EHLO offers SIZE without a
    // limit (tests/scripts/rules_agree_with_sendmail.sh, size-stray-quotes).
    auto size = run_rule("SM-S058", "V10/Berkeley\nO MaxMessageSize='1000000'\n");
    CHECK(size.only().message.starts_with("MaxMessageSize `'1000000'` reads as 0 (no limit), so "));
    REQUIRE(size.only().fix);
    CHECK(size.only().fix->title == "write MaxMessageSize as the plain number 1000000");
    CHECK(size.apply(*size.only().fix) == "V10/Berkeley\nO MaxMessageSize=1000000\n");
    // Every limit rule does the same (check_unlimited).
    auto children = run_rule("SM-P003", "V10/Berkeley\nO ConnectionRateThrottle=10\n"
                                        "O MaxDaemonChildren=\"40\"\n");
    REQUIRE(children.only().fix);
    CHECK(children.apply(*children.only().fix) ==
          "V10/Berkeley\nO ConnectionRateThrottle=10\nO MaxDaemonChildren=40\n");
    // Nothing to keep: a number that means no limit, or text that is not a plain number.
    for (const char* value : {"'0'", "'-1'", "'50M'", "`'", "abc"}) {
        CAPTURE(value);
        auto run =
            run_rule("SM-S058", std::string("V10/Berkeley\nO MaxMessageSize=") + value + "\n");
        REQUIRE(run.only().fix);
        CHECK(run.only().fix->title == "set MaxMessageSize to 52428800");
    }
}

TEST_CASE("number_behind_stray_characters: what atoi() misses because of what stands before it") {
    using rules::number_behind_stray_characters;
    CHECK(number_behind_stray_characters("'1000000'") == 1000000);
    CHECK(number_behind_stray_characters("\"40\"") == 40);
    CHECK(number_behind_stray_characters("`10'") == 10);
    CHECK(number_behind_stray_characters("'-1'") == -1);
    CHECK_FALSE(number_behind_stray_characters("1000000"));  // atoi reads it
    CHECK_FALSE(number_behind_stray_characters("  12  "));   // atoi skips the blanks
    CHECK_FALSE(number_behind_stray_characters("1000000'")); // atoi reads 1000000
    CHECK_FALSE(number_behind_stray_characters("'50M'"));    // not a plain number
    CHECK_FALSE(number_behind_stray_characters("''"));
    CHECK_FALSE(number_behind_stray_characters(""));
}

TEST_CASE("the submission program (FEATURE msp, recognised by its banner) is no daemon") {
    const std::string submit = "V10/Berkeley\n"
                               "#####  $Id: msp.m4,v 1.34 2013-11-22 20:51:11 ca Exp $  #####\n"
                               "O MaxDaemonChildren=0\n";
    CHECK(run_rule("SM-P002", submit).findings.empty());
    CHECK(run_rule("SM-P003", submit).findings.empty());
    CHECK(run_rule("SM-P004", submit).findings.empty());
    CHECK(run_rule("SM-S058", submit).findings.empty());
    CHECK(run_rule("SM-S020", submit).findings.empty());
    // The same file without the banner is an MTA configuration.
    const std::string mta = "V10/Berkeley\nO MaxDaemonChildren=0\n";
    CHECK(run_rule("SM-P002", mta).findings.size() == 1);
}
