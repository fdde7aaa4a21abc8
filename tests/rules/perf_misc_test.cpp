// The performance rules SM-P008 (greet_pause), SM-P026 (DNS-heavy FEATUREs), SM-P027
// (CheckAliases), SM-P029 (MatchGECOS), SM-P032 (log levels), SM-P033 (data buffer), SM-P034
// (hop limit) and SM-P036 (dial-up settings):
// exact messages with sendmail's numbers, what keeps each quiet, roles, and fixes on the .cf and
// the .mc (their m4 expansion is proven by the fix-all harness on the fixtures).
#include "fix/apply.hpp"
#include "map_rule_run.hpp"
#include "mc_test_support.hpp"
#include "rule_test_support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace smaudit;
using test::run_rule;

namespace {

// A .cf with FEATURE(`greet_pause', `PAUSE') as m4 writes it with access_db.
std::string greet_pause_cf(std::string_view pause, std::string_view extra = {}) {
    return "V10/Berkeley\n"
           "#####  $Id: access_db.m4,v 8.28 2013-11-22 20:51:11 ca Exp $  #####\n"
           "#####  $Id: greet_pause.m4,v 1.5 2013-11-22 20:51:11 ca Exp $  #####\n" +
           std::string(extra) +
           "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
           "SLocal_greet_pause\nSgreet_pause\n"
           "R$*\t\t\t$: <$1><?> $| $>\"Local_greet_pause\" $1\n"
           "R<$*><?> $| $#$*\t$#$2\nR<$*><?> $| $*\t\t$: $1\n"
           "R$+ $| $+\t\t$: $>D < $1 > <?> <! GreetPause> < $2 >\n"
           "R<?> <$*>\t\t$# " +
           std::string(pause) + "\nR<$+> <$*>\t\t$# $1\n";
}

} // namespace

TEST_CASE("SM-P008: a long default pause, with the greeting rate and delay_checks named once") {
    auto run = run_rule("SM-P008", greet_pause_cf("10000", "O MaxDaemonChildren=40\n"));
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Low);
    CHECK(run.text(d.where) == "R<?> <$*>\t\t$# 10000");
    CHECK(d.message == "FEATURE(`greet_pause', `10000') makes every client it does not exempt "
                       "wait 10 seconds before the 220 greeting, and each of up to 40 daemon "
                       "children is held that long per connection: at most 240 connections a "
                       "minute (a pause of 1 to 5 seconds catches clients that talk first)");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix).find("R<?> <$*>\t\t$# 5000\n") != std::string::npos);

    auto delayed = run_rule(
        "SM-P008",
        greet_pause_cf("7500", "#####  $Id: delay_checks.m4,v 8.9 2013-11-22 20:51:11 ca Exp $  "
                               "#####\n"));
    CHECK(delayed.only().message.find("wait 7.5 seconds") != std::string::npos);
    CHECK(delayed.only().message.find(
              "each daemon child (MaxDaemonChildren sets no limit) is held that long per "
              "connection; with FEATURE(`delay_checks') clients that Connect: entries and DNS "
              "blocklists refuse are refused only at RCPT, so they wait the pause too") !=
          std::string::npos);
    // 5 seconds is the limit; sendmail caps at 5 minutes.
    CHECK(run_rule("SM-P008", greet_pause_cf("5000")).findings.empty());
    CHECK(run_rule("SM-P008", greet_pause_cf("900000"))
              .only()
              .message.find("asks for 900000 ms; sendmail caps the pause at 5 minutes") !=
          std::string::npos);
    // The MSP never greets anyone.
    CHECK(run_rule("SM-P008", greet_pause_cf("10000"), "submit.cf").findings.empty());
}

TEST_CASE("SM-P008: loopback exemptions and the empty GreetPause: key, with the access map") {
    auto missing = test::run_rule_on_maps(
        "SM-P008", {{"sendmail.cf", greet_pause_cf("2000")},
                    {"access", "GreetPause:192.0.2\t0\nGreetPause:\t3000\n"}});
    REQUIRE(missing.findings.size() == 2);
    std::vector<std::string> messages;
    for (const Diagnostic& d : missing.findings)
        messages.push_back(d.message);
    CHECK(std::find(messages.begin(), messages.end(),
                    "FEATURE(`greet_pause') pauses 2 seconds for local clients too: the access "
                    "map has no `GreetPause:127.0.0.1 0` (or `GreetPause:127 0`, "
                    "`GreetPause:localhost 0`) entry, so every message that local programs and "
                    "the MSP (submit.cf relays to [127.0.0.1]) hand to this daemon waits that "
                    "long") != messages.end());
    CHECK(std::find(messages.begin(), messages.end(),
                    "`GreetPause: 3000` is never looked up: greet_pause's rules search "
                    "GreetPause: with the client's name and address only, and a client found "
                    "nowhere gets the FEATURE's own pause (2 seconds)") != messages.end());
    for (std::string_view key : {"127", "127.0.0.1", "localhost", "LOCALHOST"})
        CHECK(test::run_rule_on_maps("SM-P008",
                                     {{"sendmail.cf", greet_pause_cf("2000")},
                                      {"access", "GreetPause:" + std::string(key) + "\t0\n"}})
                  .findings.empty());
    // A pause that is not 0 is no exemption.
    CHECK(test::run_rule_on_maps("SM-P008", {{"sendmail.cf", greet_pause_cf("2000")},
                                             {"access", "GreetPause:127\t100\n"}})
              .findings.size() == 1);
}

TEST_CASE("SM-P008 on an .mc: the finding at the FEATURE call, the fix in its argument") {
    if (test::installed_cf_tree().empty()) return;
    auto run = test::run_mc_rule("SM-P008", "OSTYPE(`linux')dnl\nFEATURE(`access_db')dnl\n"
                                            "FEATURE(`greet_pause', `20000')dnl\n"
                                            "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 3);
    REQUIRE(d.fix);
    CHECK(run.apply(*d.fix).find("FEATURE(`greet_pause', `5000')dnl") != std::string::npos);
}

TEST_CASE("SM-P032: LogLevel from 15, debug levels, and the milter level once") {
    auto run = run_rule("SM-P032", "V10/Berkeley\nO LogLevel=15\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "15");
    CHECK(d.message == "LogLevel is 15: sendmail logs every SMTP command it receives (15), every "
                       "connection (12) and every refused one (14), several lines for each "
                       "message (9, the default, logs each delivery and deferral)");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO LogLevel=9\n");
    CHECK(run_rule("SM-P032", "V10/Berkeley\nO LogLevel=14\n").findings.empty());
    CHECK(run_rule("SM-P032", "V10/Berkeley\nO LogLevel=99\n")
              .only()
              .message.starts_with("LogLevel is 99: levels above 64 are reserved for debugging "
                                   "output"));
    // Milter.LogLevel follows LogLevel: one finding, at LogLevel.
    auto follows = run_rule("SM-P032", "V10/Berkeley\nO LogLevel=22\nXf, S=local:/f.sock\n");
    CHECK(follows.only().message.find("Milter.LogLevel is not set and follows it: a line for "
                                      "every header sent to every milter (22)") !=
          std::string::npos);
    auto own = run_rule("SM-P032",
                        "V10/Berkeley\nO LogLevel=9\nO Milter.LogLevel=18\nXf, S=local:/f.sock\n");
    CHECK(own.text(own.only().where) == "18");
    CHECK(own.only().message == "Milter.LogLevel is 18: sendmail logs several lines per message "
                                "and milter (from 18: headers and body sent, filter results) "
                                "(LogLevel is 9)");
    // Client-only: info; the MSP: nothing.
    CHECK(run_rule("SM-P032", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n"
                              "O LogLevel=15\n")
              .only()
              .severity == Severity::Info);
    CHECK(run_rule("SM-P032", "V10/Berkeley\nO LogLevel=15\n", "submit.cf").findings.empty());
}

TEST_CASE("SM-P027: CheckAliases true as atobool reads it, quiet under nocanonify") {
    auto run = run_rule("SM-P027", "V10/Berkeley\nO CheckAliases=True\n");
    CHECK(run.only().message ==
          "CheckAliases is True: each newaliases run parses every address on the right-hand "
          "side of every alias through ruleset 3, which asks DNS for each host part ($[ $]), so "
          "a large aliases file rebuilds slowly and every rebuild waits on DNS");
    CHECK(run.apply(*run.only().fix) == "V10/Berkeley\nO CheckAliases=False\n");
    CHECK(run_rule("SM-P027", "V10/Berkeley\nO CheckAliases=yes\n").findings.size() == 1);
    CHECK(run_rule("SM-P027", "V10/Berkeley\nO CheckAliases=no\n").findings.empty());
    CHECK(run_rule("SM-P027", "V10/Berkeley\n#####  $Id: nocanonify.m4,v 8.13 2013-11-22 "
                              "20:51:11 ca Exp $  #####\nO CheckAliases=True\n")
              .findings.empty());
    CHECK(run_rule("SM-P027", "V10/Berkeley\nO CheckAliases=True\n", "submit.cf").findings.empty());
}

TEST_CASE("SM-P029: MatchGECOS, its letter and no value") {
    auto run = run_rule("SM-P029", "V10/Berkeley\nOGTrue\n");
    CHECK(run.only().message.starts_with("MatchGECOS is True: for every local recipient that is "
                                         "no alias and no user name"));
    CHECK(run_rule("SM-P029", "V10/Berkeley\nO MatchGECOS\n")
              .only()
              .message.starts_with("MatchGECOS is set with no value (True): "));
    CHECK(run_rule("SM-P029", "V10/Berkeley\nO MatchGECOS=False\n").findings.empty());
}

TEST_CASE("SM-P036: HoldExpensive and DialDelay only with a mailer they act on") {
    const std::string smtp_e = "Msmtp, P=[IPC], F=mDFMuXe, A=TCP $h\n";
    auto hold = run_rule("SM-P036", "V10/Berkeley\nO HoldExpensive=True\n" + smtp_e);
    CHECK(hold.only().message ==
          "HoldExpensive is True: mail for the expensive mailers (F=e: smtp) is not sent at once "
          "but queued until the next queue run, a dial-up setting that only delays mail on a "
          "connected host");
    CHECK(run_rule("SM-P036", "V10/Berkeley\nO HoldExpensive=True\nMsmtp, P=[IPC], F=mDFMuX, "
                              "A=TCP $h\n")
              .findings.empty());
    auto dial = run_rule("SM-P036", "V10/Berkeley\nO DialDelay=2m\nMsmtp, P=[IPC], F=mDFMuXZ, "
                                    "A=TCP $h\n");
    CHECK(dial.only().message.starts_with("DialDelay is 2 minutes: when the first connection of "
                                          "a mailer with F=Z (smtp) fails"));
    CHECK(dial.apply(*dial.only().fix).find("O DialDelay=0s\n") != std::string::npos);
    CHECK(run_rule("SM-P036", "V10/Berkeley\nO DialDelay=0\nMsmtp, P=[IPC], F=Z, A=TCP $h\n")
              .findings.empty());
}

TEST_CASE("SM-P026: bestmx_is_local without domains; the fourth DNS blocklist") {
    auto bestmx = run_rule("SM-P026", "V10/Berkeley\n#####  $Id: bestmx_is_local.m4,v 8.27 "
                                      "2013-11-22 20:51:11 ca Exp $  #####\nSParse1\n"
                                      "R$* < @ $* > $*\t\t\t$: $1 < @ $2 @@ $(bestmx $2 $) > $3\n");
    CHECK(bestmx.only().message.starts_with("FEATURE(`bestmx_is_local') without a domain list "
                                            "looks up the MX records"));
    std::string lists = "V10/Berkeley\n#####  $Id: dnsbl.m4,v 8.34 2013-11-22 20:51:11 ca Exp $  "
                        "#####\nSBasic_check_relay\n";
    for (std::string_view zone : {"a.example", "b.example", "c.example"})
        lists += "R$-.$-.$-.$-\t\t$: <?> $(dnsbl $4.$3.$2.$1." + std::string(zone) + ". $: OK $)\n";
    CHECK(run_rule("SM-P026", lists).findings.empty());
    lists += "R$-.$-.$-.$-\t\t$: <?> $(dnsbl $4.$3.$2.$1.d.example. $: OK $)\n";
    auto four = run_rule("SM-P026", lists);
    CHECK(four.only().message.starts_with("4 DNS blocklist FEATUREs (dnsbl/enhdnsbl: a.example, "
                                          "b.example, c.example, d.example): "));
    CHECK(four.line(four.only()) == 7);
    CHECK(four.only().notes.size() == 3);
}

TEST_CASE("SM-P033: a small data buffer only where SuperSafe keeps messages in memory") {
    const std::string interactive = "V10/Berkeley\nO DeliveryMode=i\nO SuperSafe=Interactive\n";
    auto run = run_rule("SM-P033", interactive + "O DataFileBufferSize=1024\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "1024");
    CHECK(d.severity == Severity::Info);
    CHECK(d.message ==
          "DataFileBufferSize is 1024, below sendmail's default of 4096 bytes: with "
          "SuperSafe=Interactive and interactive delivery sendmail writes a message's data "
          "file only when it cannot deliver it at once, but holds only 1024 bytes of it in "
          "memory, so every message larger than that is written to the queue directory while it "
          "is received");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == interactive + "O DataFileBufferSize=4096\n");
    // A word reads as 0: every message goes to disk.
    CHECK(run_rule("SM-P033", interactive + "O DataFileBufferSize=big\n")
              .only()
              .message.find("holds only 0 bytes") != std::string::npos);
    // A daemon socket's own D=i is interactive delivery for the mail it takes.
    CHECK(run_rule("SM-P033", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, D=i\n"
                              "O SuperSafe=Interactive\nO DataFileBufferSize=100\n")
              .findings.size() == 1);
    // SuperSafe=False with interactive delivery keeps the data file in memory too.
    CHECK(run_rule("SM-P033", "V10/Berkeley\nO DeliveryMode=i\nO SuperSafe=False\n"
                              "O DataFileBufferSize=100\n")
              .findings.size() == 1);
    for (const char* fine :
         {"O DeliveryMode=i\nO SuperSafe=Interactive\nO DataFileBufferSize=4096\n",
          // True (also its default): the data file is written before 250 whatever the buffer.
          "O DeliveryMode=i\nO DataFileBufferSize=100\n",
          "O DeliveryMode=i\nO SuperSafe=True\nO DataFileBufferSize=100\n",
          // Interactive without interactive delivery: queued before delivery (SM-P023's case).
          "O DeliveryMode=b\nO SuperSafe=Interactive\nO DataFileBufferSize=100\n",
          // PostMilter without a milter commits at once.
          "O SuperSafe=PostMilter\nO DataFileBufferSize=100\n",
          // The transcript buffer is not judged.
          "O DeliveryMode=i\nO SuperSafe=Interactive\nO XscriptFileBufferSize=100\n"}) {
        CAPTURE(fine);
        CHECK(run_rule("SM-P033", std::string("V10/Berkeley\n") + fine).findings.empty());
    }
}

TEST_CASE("SM-P034: MaxHopCount below 25 as atoi() reads it; 25 and above pass") {
    auto run = run_rule("SM-P034", "V10/Berkeley\nO MaxHopCount=10\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "10");
    CHECK(d.severity == Severity::Low);
    CHECK(d.message ==
          "MaxHopCount is 10, below sendmail's default of 25: a message processed more than 10 "
          "times on its way (sendmail counts its Received:, Via:, Mail-From: and X400-Received: "
          "headers) is taken for a mail loop and bounced with \"554 5.4.6 Too many hops\", so "
          "legitimate mail that has passed through more relays than that is returned to its "
          "sender; RFC 5321 6.3 asks for a loop threshold of at least 100");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO MaxHopCount=25\n");

    // A word reads as 0: every message that has passed a relay bounces.
    auto word = run_rule("SM-P034", "V10/Berkeley\nOhmany\n");
    CHECK(word.only().message.starts_with("MaxHopCount `many` reads as 0, below sendmail's "
                                          "default of 25: a message processed even once on its "
                                          "way"));
    for (const char* fine : {"O MaxHopCount=25\n", "O MaxHopCount=100\n", "O MaxHopCount=1000\n",
                             "#O MaxHopCount=25\n"}) {
        CAPTURE(fine);
        CHECK(run_rule("SM-P034", std::string("V10/Berkeley\n") + fine).findings.empty());
    }
    auto mc = test::run_mc_rule("SM-P034", "OSTYPE(`linux')dnl\ndefine(`confMAX_HOP', `5')dnl\n"
                                           "MAILER(`local')dnl\n");
    REQUIRE(mc.only().fix);
    CHECK(mc.apply(*mc.only().fix) == "OSTYPE(`linux')dnl\ndefine(`confMAX_HOP', `25')dnl\n"
                                      "MAILER(`local')dnl\n");
}

TEST_CASE("Debian's stock /etc/mail and the catalog's Appendix A config") {
    // Debian's sendmail.cf: MaxHopCount=100 (debian-mta.m4); Appendix A sets none (25). Neither
    // sets DataFileBufferSize (m4's comment `#O DataFileBufferSize=4096`).
    const std::vector<std::string_view> rules = {"SM-P008", "SM-P026", "SM-P027", "SM-P029",
                                                 "SM-P032", "SM-P033", "SM-P034", "SM-P036"};
    auto read = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    if (std::filesystem::exists("/etc/mail/sendmail.cf") &&
        std::filesystem::exists("/etc/mail/access")) {
        // greet_pause 1000 ms, loopback exempted (`GreetPause:127 0`); the `GreetPause: 5000`
        // line is never looked up (sendmail -bt gives an unknown client $# 1000).
        for (std::string_view rule : rules) {
            CAPTURE(rule);
            auto run = test::run_rule_on_maps(rule, {{"sendmail.cf", read("/etc/mail/sendmail.cf")},
                                                     {"access", read("/etc/mail/access")}});
            if (rule != "SM-P008") {
                CHECK(run.findings.empty());
                continue;
            }
            REQUIRE(run.findings.size() == 1);
            CHECK(run.findings[0].severity == Severity::Info);
            CHECK(run.findings[0].message.starts_with("`GreetPause: 5000` is never looked up"));
        }
    }
    if (test::installed_cf_tree().empty()) return;
    // greet_pause 2000 ms with access_db (its map is not part of the appendix), LogLevel 9.
    auto appendix =
        test::run_mc_rules(rules, read(SMAUDIT_SOURCE_DIR "/fixtures/e2e/appendix-a-mx.mc"));
    CHECK(appendix.findings.empty());
}
