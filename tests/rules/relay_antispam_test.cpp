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

TEST_CASE(
    "SM-S013: the u modifier counts only where check_mail reads it, on a daemon others reach") {
    const std::string check_mail = "SBasic_check_mail\n"
                                   "R<?> $*\t\t\t$: $&{daemon_flags} $| <?> $1\n"
                                   "R$* u $* $| <?> $*\t$: <OKR> $3\n"
                                   "R<?> $*\t\t\t$: < ? $&{client_addr} > $1\n";
    test::RuleRun run = test::run_rule(
        "SM-S013", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, M=Eu\n" + check_mail);
    CHECK(run.only().message ==
          "the `u` modifier lets daemon MTA on port 25 on all addresses take senders without a "
          "domain (MAIL FROM:<user>) from any client, which sendmail completes with this host's "
          "name: forged mail looks local, and its bounces go to the local user of that name");
    CHECK(run.text(run.only().where) == "u");
    REQUIRE(run.only().fix);
    CHECK(run.apply(*run.only().fix).find("O DaemonPortOptions=Name=MTA, M=E\n") !=
          std::string::npos);
    // A later M= replaces the modifiers (daemon.c), and a loopback daemon is no stranger's.
    CHECK(test::run_rule("SM-S013",
                         "V10/Berkeley\nO DaemonPortOptions=Name=MTA, M=u, M=E\n" + check_mail)
              .findings.empty());
    CHECK(test::run_rule("SM-S013", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, Addr=127.0.0.1, "
                                    "M=u\n" +
                                        check_mail)
              .findings.empty());
    // Without check_mail's `u` rule the modifier changes nothing.
    CHECK(test::run_rule("SM-S013", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, M=u\n"
                                    "SBasic_check_mail\n"
                                    "R<?> $*\t\t\t$: < ? $&{client_addr} > $1\n")
              .findings.empty());
}

TEST_CASE("SM-S013: C{ResOk}TEMP is low and fixed in place") {
    test::RuleRun run = test::run_rule("SM-S013", "V10/Berkeley\nC{ResOk}OKR TEMP\n");
    CHECK(run.only().message ==
          "class ResOk holds TEMP: check_mail accepts a sender whose domain does not resolve right "
          "now instead of asking the client to try again later (451)");
    CHECK(run.only().severity == Severity::Low);
    REQUIRE(run.only().fix);
    CHECK(run.apply(*run.only().fix) == "V10/Berkeley\nC{ResOk}OKR \n");
}

TEST_CASE("SM-S014 names the milters it cannot see into") {
    test::RuleRun run = test::run_rule(
        "SM-S014",
        "V10/Berkeley\nO InputMailFilters=dkim, spamass\nSBasic_check_relay\nR$*\t$@ OK\n");
    CHECK(run.only().message ==
          "no DNS blocklist (FEATURE(`dnsbl')/`enhdnsbl'), no greet_pause, no ratecontrol or "
          "conncontrol: every client may open as many connections as fast as it likes and talk "
          "before the greeting, and known spam sources are not refused when they connect (the "
          "milters dkim, spamass may do this; what a milter does is not in the configuration)");
    CHECK(run.line(run.only()) == 0);
    // A greet_pause ruleset that never sets a pause is no control; one that does is.
    CHECK(test::run_rule("SM-S014", "V10/Berkeley\nSgreet_pause\nR$*\t$: $1\n").findings.size() ==
          1);
    CHECK(test::run_rule("SM-S014", "V10/Berkeley\nSgreet_pause\nR$*\t$# 5000\n").findings.empty());
    // RateControl must be called to count.
    CHECK(test::run_rule("SM-S014", "V10/Berkeley\nSRateControl\nR$*\t$@ OK\n").findings.size() ==
          1);
}

TEST_CASE("SM-S015: the throttle as sendmail's atoi reads it") {
    CHECK(test::run_rule("SM-S015", "V10/Berkeley\nO BadRcptThrottle=3\n").findings.empty());
    test::RuleRun off = test::run_rule("SM-S015", "V10/Berkeley\nO BadRcptThrottle=0\n");
    CHECK(off.only().message.ends_with(
        "a client can try any number of recipients in one transaction at full speed and learn "
        "from the answers which mailboxes exist (a directory-harvest attack); with "
        "BadRcptThrottle=N, each RCPT after N refused ones waits 1 s"));
    REQUIRE(off.only().fix);
    CHECK(off.apply(*off.only().fix) == "V10/Berkeley\nO BadRcptThrottle=3\n");
}

TEST_CASE("SM-S016 names the hub, and reject or the default operators are no finding") {
    test::RuleRun run = test::run_rule("SM-S016", "V10/Berkeley\nDLhub.example.test\nCO @ !\n");
    CHECK(run.only().message ==
          "`%` is not an address operator here (FEATURE(`nopercenthack', `nospecial')) and local "
          "mail goes to LUSER_RELAY hub.example.test: any client's <user%example.net@this host> is "
          "accepted as local and handed to the hub, which relays it to user@example.net if it "
          "still routes on `%` and trusts this host; a .cf cannot be fixed in place: regenerate it "
          "with FEATURE(`nopercenthack', `reject')");
    CHECK(run.line(run.only()) == 3);
    CHECK(test::run_rule("SM-S016", "V10/Berkeley\nCO @\n").findings.empty()); // no hub
    CHECK(test::run_rule("SM-S016", "V10/Berkeley\nDH\nDSsmart.example.test\nCO @\n")
              .findings.empty()); // empty MAIL_HUB; a smart host takes remote mail only
}

TEST_CASE("SM-S018: tiers by what sendmail offers, case-insensitive, AuthOptions by first letter") {
    const std::string relay = "SRcpt_ok\nR$* $| $={TrustAuthMech}\t$# RELAY\n";
    test::RuleRun anonymous = test::run_rule(
        "SM-S018", "V10/Berkeley\nO AuthMechanisms=anonymous\nC{TrustAuthMech}Anonymous\n" + relay);
    CHECK(anonymous.only().severity == Severity::Critical);
    CHECK(anonymous.text(anonymous.only().where) == "Anonymous");
    REQUIRE(anonymous.only().fix);
    CHECK(anonymous.apply(*anonymous.only().fix).find("C{TrustAuthMech}\n") != std::string::npos);
    // `yes` is `y` to sendmail (readcf.c reads each word's first letter).
    test::RuleRun refused = test::run_rule(
        "SM-S018",
        "V10/Berkeley\nO AuthMechanisms=ANONYMOUS\nO AuthOptions=yes\nC{TrustAuthMech}ANONYMOUS\n" +
            relay);
    CHECK(refused.only().severity == Severity::Low);
    CHECK(refused.only().message ==
          "TRUST_AUTH_MECH lists ANONYMOUS; it is not offered now (AuthOptions has `y`), but "
          "offering it would make every client that says AUTH ANONYMOUS, without a password, a "
          "relay user");
    test::RuleRun login = test::run_rule(
        "SM-S018", "V10/Berkeley\nO AuthMechanisms=LOGIN\nC{TrustAuthMech}LOGIN\n" + relay);
    CHECK(login.only().severity == Severity::High);
    CHECK(login.only().message ==
          "TRUST_AUTH_MECH lists LOGIN, which AuthMechanisms offers before STARTTLS (AuthOptions "
          "has no `p`): the password of a client that authenticates to relay can cross the "
          "network in clear text, and whoever reads it relays as that user");
    // `A p`: the `p` word counts; the default AuthMechanisms offers no PLAIN.
    CHECK(test::run_rule("SM-S018", "V10/Berkeley\nO AuthMechanisms=PLAIN\nO AuthOptions=A p\n"
                                    "C{TrustAuthMech}PLAIN\n" +
                                        relay)
              .findings.empty());
    CHECK(test::run_rule("SM-S018", "V10/Berkeley\nC{TrustAuthMech}PLAIN\n" + relay)
              .findings.empty());
    // A daemon with M=A offers no AUTH: latent while every daemon has it, live when one lacks it.
    const std::string offered = "V10/Berkeley\nO AuthMechanisms=ANONYMOUS PLAIN\n"
                                "C{TrustAuthMech}ANONYMOUS PLAIN\n";
    test::RuleRun no_auth =
        test::run_rule("SM-S018", offered + "O DaemonPortOptions=Name=MTA, M=EA\n" + relay);
    CHECK(no_auth.only().severity == Severity::Low); // ANONYMOUS latent; PLAIN not offered
    CHECK(no_auth.only().message.find("(every daemon has the `A` modifier: no AUTH)") !=
          std::string::npos);
    test::RuleRun one_with_auth =
        test::run_rule("SM-S018", offered +
                                      "O DaemonPortOptions=Name=MTA, M=A\n"
                                      "O DaemonPortOptions=Port=587, Name=MSA, M=E\n" +
                                      relay);
    REQUIRE(one_with_auth.findings.size() == 2);
    CHECK(one_with_auth.findings[0].severity == Severity::Critical);
    CHECK(one_with_auth.findings[1].severity == Severity::High);
    // `a` (require AUTH) is another modifier.
    CHECK(test::run_rule("SM-S018", offered + "O DaemonPortOptions=Name=MTA, M=a\n" + relay)
              .findings.size() == 2);
}
