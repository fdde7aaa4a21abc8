// The relay and anti-spam rules of issue 7 beyond their fixtures: exact messages, the tiers a
// rule reports at, and edge cases read as sendmail reads them.
#include "rule_test_support.hpp"

using namespace smaudit;

namespace {

// Basic_check_rcpt's first rules as proto.m4 writes them.
const std::string kDeferredBypass = "SBasic_check_rcpt\n"
                                    "R$*\t\t\t$: < $&{deliveryMode} > $1\n"
                                    "R< d > $*\t\t$@ deferred\n"
                                    "R< $* > $*\t\t$: $2\n"
                                    "R$*\t\t\t$#error $@ 5.7.1 $: \"550 Relaying denied\"\n";

} // namespace

TEST_CASE("SM-S002 names the option or daemon key that makes the sessions deferred") {
    test::RuleRun global = test::run_rule("SM-S002", "V10/Berkeley\nO DeliveryMode=deferred\n"
                                                     "O DaemonPortOptions=Name=MTA\n" +
                                                         kDeferredBypass);
    CHECK(global.only().message ==
          "DeliveryMode=deferred applies to daemon MTA on port 25 on all addresses, which sets no "
          "D= of its own: Basic_check_rcpt then returns before its relay checks, so it accepts "
          "mail for any recipient from any client and queues it for delivery: an open relay; "
          "check_mail and check_relay skip their checks too (sender domain, access map, DNS "
          "blocklists)");
    CHECK(global.only().severity == Severity::Critical);
    REQUIRE(global.only().fix);
    CHECK(global.apply(*global.only().fix).find("O DeliveryMode=queue\n") != std::string::npos);

    test::RuleRun daemon = test::run_rule(
        "SM-S002", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, D=d, M=E\n" + kDeferredBypass);
    CHECK(daemon.only().message.starts_with(
        "D=d in its DaemonPortOptions runs daemon MTA on port 25 on all addresses in deferred "
        "delivery mode (daemon.c sets ${deliveryMode} for its sessions): "));
    CHECK(daemon.text(daemon.only().where) == "d");
    REQUIRE(daemon.only().fix);
    CHECK(daemon.apply(*daemon.only().fix).find("O DaemonPortOptions=Name=MTA, D=q, M=E\n") !=
          std::string::npos);
}

TEST_CASE("SM-S002: a daemon's own D= decides for its sessions, as daemon.c does") {
    // D=b overrides the option: nothing runs deferred.
    CHECK(test::run_rule("SM-S002", "V10/Berkeley\nO DeliveryMode=d\n"
                                    "O DaemonPortOptions=Name=MTA, D=b\n" +
                                        kDeferredBypass)
              .findings.empty());
    // D=x is no mode (daemon.c: "Unknown delivery mode"): the option's applies.
    test::RuleRun unknown = test::run_rule("SM-S002", "V10/Berkeley\nO DeliveryMode=d\n"
                                                      "O DaemonPortOptions=Name=MTA, D=x\n" +
                                                          kDeferredBypass);
    REQUIRE(unknown.findings.size() == 1);
    CHECK(unknown.text(unknown.only().where) == "d");
    // `Deferred` is no mode either: readcf.c reads the first letter, and `D` is unknown.
    CHECK(test::run_rule("SM-S002", "V10/Berkeley\nO DeliveryMode=Deferred\n" + kDeferredBypass)
              .findings.empty());
    // Without DaemonPortOptions sendmail's own daemon listens on port 25 everywhere.
    test::RuleRun own = test::run_rule("SM-S002", "V10/Berkeley\nOdd\n" + kDeferredBypass);
    CHECK(own.only().message.find("sendmail's default daemon on port 25 on all addresses") !=
          std::string::npos);
}

TEST_CASE("SM-S002 is latent where no stranger reaches a deferred daemon") {
    // AUTH for every transaction (M=a) on the only deferred daemon, beside an open MTA.
    test::RuleRun auth = test::run_rule("SM-S002", "V10/Berkeley\n"
                                                   "O DaemonPortOptions=Name=MTA\n"
                                                   "O DaemonPortOptions=Name=MSA, Port=587, "
                                                   "M=Ea, D=d\n" +
                                                       kDeferredBypass);
    CHECK(auth.only().severity == Severity::Medium);
    CHECK(auth.only().message.find("but it takes no mail from strangers") != std::string::npos);
    // Every daemon on loopback: the host's role (client-only) lowers it, not the rule.
    test::RuleRun loopback = test::run_rule("SM-S002", "V10/Berkeley\nO DeliveryMode=d\n"
                                                       "O DaemonPortOptions=Name=MTA, "
                                                       "Addr=127.0.0.1\n" +
                                                           kDeferredBypass);
    CHECK(loopback.only().severity == Severity::Medium); // critical, moved by the matrix
    CHECK(loopback.only().message.find("relaying opens the day that changes") != std::string::npos);
}

TEST_CASE("SM-S002 needs the bypass rule: a check_rcpt that ignores the mode is not bypassed") {
    CHECK(test::run_rule("SM-S002", "V10/Berkeley\nO DeliveryMode=d\nScheck_rcpt\n"
                                    "R$*\t\t$#error $@ 5.7.1 $: \"550 Relaying denied\"\n")
              .findings.empty());
}
