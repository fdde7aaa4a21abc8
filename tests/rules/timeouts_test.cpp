// The timeout rules SM-P007, SM-P009, SM-P010, SM-P011, SM-P012, SM-P013 and SM-P035: exact
// messages with sendmail's numbers, one finding per check where one fix serves several timeouts,
// the lines that set several timeouts at once, and fixes that change only what they promise.
// The RFC 5321 minimums are checked at the boundary: the minimum passes, a second less does not.
#include "fix/apply.hpp"
#include "mc_test_support.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

namespace {

std::vector<std::string> note_texts(const Diagnostic& d) {
    std::vector<std::string> texts;
    for (const Label& note : d.notes)
        texts.push_back(note.text);
    return texts;
}

// The file after the finding's fix, applied as an applier does (src/fix/apply.hpp): new lines
// at one place keep the fix's order.
std::string fixed(const test::RuleRun& run, const Diagnostic& d) {
    REQUIRE(d.fix);
    FixApplication applied = apply_fixes(run.sources, {&d});
    REQUIRE(applied.applied.size() == 1);
    return applied.texts.at(run.file);
}

} // namespace

TEST_CASE("SM-P007: the IDENT delay in seconds, at the line; the safe fix writes 0") {
    auto run = run_rule("SM-P007", "V10/Berkeley\nO Timeout.ident=5s\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(run.text(d.where) == "5s");
    CHECK(d.label == "Timeout.ident is set here (5 seconds)");
    CHECK(d.message == "Timeout.ident is 5 seconds: before greeting each client sendmail sends an "
                       "IDENT query to its port 113, so IDENT lookups add up to 5 seconds to "
                       "every connection from a host that drops port 113 (many firewalls do)");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO Timeout.ident=0\n");

    // A bare number is in minutes; a negative time sets no timer at all.
    CHECK(run_rule("SM-P007", "V10/Berkeley\nO Timeout.ident=1\n")
              .only()
              .message.find("add up to 1 minute to every connection") != std::string::npos);
    CHECK(run_rule("SM-P007", "V10/Berkeley\nO Timeout.ident=-1\n")
              .only()
              .message.find("waits for the kernel's connect timeout, about 2 minutes") !=
          std::string::npos);
    // Unset: the default of builds with IDENTPROTO, about a default.
    auto unset = run_rule("SM-P007", "V10/Berkeley\nO LogLevel=9\n");
    CHECK_FALSE(unset.only().where.valid());
    CHECK(unset.only().message.starts_with(
        "Timeout.ident is not set (sendmail's default: 5 seconds): "));
    CHECK(unset.apply(*unset.only().fix) == "V10/Berkeley\nO LogLevel=9\nO Timeout.ident=0\n");
    CHECK(run_rule("SM-P007", "V10/Berkeley\nO Timeout.ident=0s\n").findings.empty());
}

TEST_CASE("SM-P007 by role: info on a loopback-only host, nothing for the MSP") {
    auto client = run_rule("SM-P007", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, "
                                      "Addr=127.0.0.1\nO Timeout.ident=5s\n");
    CHECK(client.only().severity == Severity::Info);
    CHECK(client.only().message.ends_with("(info on a client-only host)"));
    CHECK(run_rule("SM-P007", "V10/Berkeley\nO Timeout.ident=5s\n", "submit.cf").findings.empty());
}

TEST_CASE("SM-P009: one finding for every server timeout, with MaxDaemonChildren's number") {
    auto run = run_rule("SM-P009", "V10/Berkeley\nO MaxDaemonChildren=40\n"
                                   "O Timeout.command=30m\nO Timeout.datablock=2h\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium); // a limit that idle clients can fill
    CHECK(run.text(d.where) == "30m");
    CHECK(d.message ==
          "Timeout.command is 30 minutes and Timeout.datablock is 2 hours: a client that goes "
          "quiet for its next command or in the middle of a message body keeps its daemon child "
          "for up to 2 hours, and the wait starts again at each command or block it sends (RFC "
          "5321 asks a server to wait 5 minutes for a command); each of up to 40 daemon children "
          "(MaxDaemonChildren) can be held that way, so as many idle connections lock every other "
          "client out");
    CHECK(note_texts(d) == std::vector<std::string>{"Timeout.datablock is set here (2 hours)"});
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(d.fix->title == "set Timeout.command to 5m, Timeout.datablock to 10m");
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO MaxDaemonChildren=40\n"
                               "O Timeout.command=5m\nO Timeout.datablock=10m\n");

    // Without a limit: low, and the message says what an idle client costs instead.
    auto unlimited = run_rule("SM-P009", "V10/Berkeley\nO Timeout.datablock=10m\n");
    CHECK(unlimited.only().severity == Severity::Low);
    CHECK(unlimited.only().message.ends_with(
        "MaxDaemonChildren is not set, so each such connection costs a process and its memory "
        "and nothing caps how many (SM-P003)"));
    // At the limits nothing is too long.
    CHECK(run_rule("SM-P009", "V10/Berkeley\nO Timeout.command=5m\nO Timeout.datablock=600\n")
              .findings.size() == 1); // 600 minutes: a bare number is in minutes
    CHECK(run_rule("SM-P009", "V10/Berkeley\nO Timeout.command=300s\nO Timeout.datablock=10m\n")
              .findings.empty());
}

TEST_CASE("SM-P009: `O Timeout=` sets six timeouts: the fix overrides two, never edits it") {
    auto run = run_rule("SM-P009", "V10/Berkeley\nO Timeout=15m\nO LogLevel=9\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "15m");
    CHECK(d.label == "Timeout.command is set here, with other timeouts (15 minutes)");
    CHECK(d.notes.empty()); // Timeout.datablock comes from the same bytes
    REQUIRE(d.fix);
    CHECK(fixed(run, d) == "V10/Berkeley\nO Timeout=15m\nO LogLevel=9\n"
                           "O Timeout.command=5m\nO Timeout.datablock=10m\n");
}

TEST_CASE("SM-P009: Timeout.starttls counts only when the daemon offers STARTTLS") {
    const std::string base = "V10/Berkeley\nO Timeout.command=5m\nO Timeout.datablock=10m\n";
    CHECK(run_rule("SM-P009", base).findings.empty()); // starttls 1h, but no certificate
    auto tls = run_rule("SM-P009", base + "O ServerCertFile=/etc/mail/cert.pem\n");
    CHECK(tls.only().message.starts_with(
        "Timeout.starttls is not set (sendmail's default: 1 hour): a client that goes quiet in a "
        "TLS handshake keeps its daemon child for up to 1 hour; "));
    CHECK(run_rule("SM-P009", base + "O DaemonPortOptions=Addr=127.0.0.1\nO Timeout.command=1h\n")
              .findings.empty()); // client-only: not a finding
}

TEST_CASE("SM-P010: each RFC 5321 minimum passes; a second less is a finding") {
    struct Case {
        const char* name;
        const char* minimum; // as a number of seconds
        const char* below;
    };
    for (const Case& c :
         {Case{"initial", "300", "299"}, Case{"mail", "300", "299"}, Case{"rcpt", "300", "299"},
          Case{"datainit", "120", "119"}, Case{"datablock", "180", "179"},
          Case{"datafinal", "600", "599"}, Case{"command", "300", "299"}}) {
        CAPTURE(c.name);
        std::string line = std::string("O Timeout.") + c.name + "=";
        CHECK(run_rule("SM-P010", "V10/Berkeley\n" + line + c.minimum + "s\n").findings.empty());
        auto run = run_rule("SM-P010", "V10/Berkeley\n" + line + c.below + "s\n");
        CHECK(run.only().message.starts_with(std::string("Timeout.") + c.name + " is "));
    }
    // The timeouts sendmail reads as "no limit" are never below a minimum; helo, rset and quit
    // have none.
    CHECK(run_rule("SM-P010", "V10/Berkeley\nO Timeout.mail=0\nO Timeout.command=-1m\n"
                              "O Timeout.helo=1m\nO Timeout.rset=1m\nO Timeout.quit=1m\n")
              .findings.empty());
}

TEST_CASE("SM-P010: Debian's Timeout.mail=2m, one finding for several, duplicates are medium") {
    auto debian = run_rule("SM-P010", "V10/Berkeley\nO Timeout.mail=2m\nO Timeout.datainit=2m\n");
    const Diagnostic& d = debian.only();
    CHECK(d.severity == Severity::Low);
    CHECK(d.message == "Timeout.mail is 2 minutes (RFC 5321: 5 minutes for the reply to MAIL): "
                       "sendmail gives up on slow but working mail servers and tries the whole "
                       "message again later");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(debian.apply(*d.fix) == "V10/Berkeley\nO Timeout.mail=5m\nO Timeout.datainit=2m\n");

    auto several = run_rule("SM-P010", "V10/Berkeley\nO Timeout.rcpt=1m\nO Timeout.datafinal=5\n"
                                       "O Timeout.command=2m\n");
    const Diagnostic& s = several.only();
    CHECK(s.severity == Severity::Medium);
    CHECK(s.message ==
          "Timeouts below RFC 5321's minimums: Timeout.rcpt is 1 minute (RFC 5321: 5 minutes for "
          "the reply to RCPT); Timeout.datafinal is 5 minutes (RFC 5321: 10 minutes for the reply "
          "to the final dot); Timeout.command is 2 minutes (RFC 5321: 5 minutes for a client's "
          "next command): sendmail gives up on slow but working mail servers and tries the whole "
          "message again later; a receiver still busy with the message after the final dot gets "
          "it again (duplicates, RFC 1047); the daemon cuts off clients that pause longer");
    CHECK(note_texts(s) == std::vector<std::string>{"Timeout.datafinal is set here (5 minutes)",
                                                    "Timeout.command is set here (2 minutes)"});
    CHECK(several.apply(*s.fix) == "V10/Berkeley\nO Timeout.rcpt=5m\nO Timeout.datafinal=10m\n"
                                   "O Timeout.command=5m\n");
}

TEST_CASE("SM-P010: a data block timeout of 0 gives up at once") {
    auto run = run_rule("SM-P010", "V10/Berkeley\nO Timeout.datablock=0\n");
    CHECK(run.only().severity == Severity::Medium);
    CHECK(run.only().message.ends_with(
        "with a data block timeout of 0 the daemon gives up at once on a message body that has "
        "not arrived yet, so clients' messages fail"));
}

TEST_CASE("SM-P010: the legacy Or2m keeps its line; each timeout gets one of its own") {
    auto run = run_rule("SM-P010", "V10/Berkeley\nOr2m,ident=0\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "2m");
    CHECK(d.fix->title == "raise Timeout.mail to 5m, Timeout.rcpt to 5m, Timeout.datablock to "
                          "3m, Timeout.datafinal to 10m, Timeout.command to 5m");
    CHECK(fixed(run, d) == "V10/Berkeley\nOr2m,ident=0\nO Timeout.mail=5m\nO "
                           "Timeout.rcpt=5m\nO Timeout.datablock=3m\nO "
                           "Timeout.datafinal=10m\nO Timeout.command=5m\n");
}

TEST_CASE("SM-P010 on Debian's .mc: at the DOMAIN call, fixed by a define after it") {
    if (test::installed_cf_tree().empty()) return;
    auto run = test::run_mc_rule("SM-P010", "OSTYPE(`debian')dnl\nDOMAIN(`debian-mta')dnl\n"
                                            "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "DOMAIN(`debian-mta')");
    CHECK(d.label == "Timeout.mail is set by the file this call reads (2 minutes)");
    REQUIRE(d.fix);
    CHECK(run.apply(*d.fix) == "OSTYPE(`debian')dnl\nDOMAIN(`debian-mta')dnl\n"
                               "define(`confTO_MAIL', `5m')dnl\nMAILER(`local')dnl\n"
                               "MAILER(`smtp')dnl\n");
}

TEST_CASE("SM-P011: connect and aconnect at 0; iconnect named, but no help for queue runs") {
    auto run = run_rule("SM-P011", "V10/Berkeley\nO Timeout.iconnect=2m\n");
    const Diagnostic& d = run.only();
    CHECK_FALSE(d.where.valid());
    CHECK(d.message ==
          "Timeout.connect and Timeout.aconnect are not set (sendmail's defaults: 0, no limit): "
          "each attempt to connect to a host that does not answer waits for the kernel's TCP "
          "connect timeout, about 2 minutes on Linux, for every address of every MX host, and "
          "queue runners stall behind dead hosts (Timeout.iconnect, 2 minutes, limits only the "
          "first attempt of each message, never a queue run)");
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO Timeout.iconnect=2m\nO Timeout.connect=1m\n");

    auto zero = run_rule("SM-P011", "V10/Berkeley\nO Timeout.connect=0\nO Timeout.aconnect=0s\n");
    CHECK(zero.text(zero.only().where) == "0");
    CHECK(zero.only().message.starts_with(
        "Timeout.connect is 0 seconds and Timeout.aconnect is 0 seconds: "));
    CHECK(note_texts(zero.only()) ==
          std::vector<std::string>{"Timeout.aconnect is set here (0 seconds)"});
    CHECK(run_rule("SM-P011", "V10/Berkeley\nO Timeout.aconnect=5m\n").findings.empty());
    CHECK(run_rule("SM-P011", "V10/Berkeley\nO Timeout.connect=30s\n").findings.empty());
}

TEST_CASE("SM-P012: a line without a class is one finding, not one per class") {
    auto run = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=2\nO "
                                   "Timeout.queuewarn=4\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "2"); // 2 days: a bare return time is in days
    CHECK(d.message == "Timeout.queuereturn is 2 days, less than the 4 to 5 days RFC 1123 "
                       "(5.3.1.1) asks for: mail to a site that is down over a long weekend is "
                       "returned to its senders");
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO Timeout.queuereturn=5d\nO Timeout.queuewarn=4\n");
}

TEST_CASE("SM-P012: now, 0, too long, a late warning, no warning") {
    auto now = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=now\nO "
                                   "Timeout.queuewarn=4h\n");
    CHECK(now.only().severity == Severity::High);
    CHECK(now.only().message.starts_with("Timeout.queuereturn is now: `now` returns every "
                                         "message of the class to its sender without trying"));
    auto zero = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=0\nO "
                                    "Timeout.queuewarn=4h\n");
    CHECK(zero.only().severity == Severity::Medium);
    auto weeks = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=2w\nO "
                                     "Timeout.queuewarn=4h\n");
    CHECK(weeks.only().severity == Severity::Low);
    CHECK_FALSE(weeks.only().fix->safe); // mail is returned sooner than today
    auto late = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=5d\nO "
                                    "Timeout.queuewarn=6d\n");
    CHECK(late.text(late.only().where) == "6d");
    CHECK(late.only().message ==
          "Timeout.queuewarn is 6 days, not less than Timeout.queuereturn is 5 days: the message "
          "is returned before the delay warning is due, so senders are never warned");
    CHECK(note_texts(late.only()) ==
          std::vector<std::string>{"Timeout.queuereturn is set here (5 days)"});
    auto none = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=5d\n");
    CHECK(none.only().severity == Severity::Info);
    CHECK_FALSE(none.only().where.valid());
    // An explicit 0 is a choice; a class set apart is reported at its own line.
    CHECK(run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=5d\nO Timeout.queuewarn=0\n")
              .findings.empty());
    auto cls = run_rule("SM-P012", "V10/Berkeley\nO Timeout.queuereturn=5d\nO "
                                   "Timeout.queuewarn=4h\nO Timeout.queuereturn.urgent=0\n");
    CHECK(cls.only().message.starts_with("Timeout.queuereturn.urgent is 0 seconds: "));
}

TEST_CASE("SM-P013: the wait an unanswered lookup costs, in numbers") {
    auto run = run_rule("SM-P013", "V10/Berkeley\nO Timeout.resolver.retrans=30s\nO "
                                   "Timeout.resolver.retry=5\n");
    const Diagnostic& d = run.only(); // one finding for both, and for their .first/.normal
    CHECK(d.message ==
          "Timeout.resolver.retrans is 30 seconds, Timeout.resolver.retry is 5: a DNS lookup that "
          "gets no answer holds the SMTP session or delivery waiting for it for 5 tries of at "
          "least 30 seconds each, 2 minutes 30 seconds or more (the resolver library asks 2 "
          "times 5 seconds by default); clients and queue runners wait behind every unanswered "
          "blocklist or MX lookup");
    CHECK(note_texts(d) == std::vector<std::string>{"Timeout.resolver.retry is set here"});
    CHECK(run.apply(*d.fix) ==
          "V10/Berkeley\nO Timeout.resolver.retrans=5s\nO Timeout.resolver.retry=2\n");
    // .first set apart from the plain option: its own line.
    auto first = run_rule("SM-P013", "V10/Berkeley\nO Timeout.resolver.retrans=5s\nO "
                                     "Timeout.resolver.retrans.first=20\n");
    CHECK(first.text(first.only().where) == "20");
    CHECK(run_rule("SM-P013", "V10/Berkeley\nO Timeout.resolver.retrans=10s\nO "
                              "Timeout.resolver.retry=4\n")
              .findings.empty());
}

TEST_CASE("SM-P035: the milter's waits and what happens after them; the fix edits T=") {
    auto run = run_rule("SM-P035", "V10/Berkeley\nO InputMailFilters=av\n"
                                   "Xav, S=inet:3310@av.example.com, F=R, T=S:10s;E:20m\n");
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "S:10s;E:20m");
    CHECK(d.message ==
          "Milter av: it waits up to 5 minutes to connect (C:5m, sendmail's default: T= has no "
          "C), so when its socket does not answer every SMTP session waits that long at the "
          "start, then sendmail rejects the connection (F=R); E:20m lets it take 20 minutes for "
          "its verdict after a message, not less than the 10 minutes a client waits for the "
          "reply to its final dot (RFC 5321), so clients give up and send the message again");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO InputMailFilters=av\n"
                               "Xav, S=inet:3310@av.example.com, F=R, T=C:10s;S:10s;E:5m\n");
    // No T= at all: one is added after the last field. Times without a unit are seconds.
    auto bare = run_rule("SM-P035", "V10/Berkeley\nO InputMailFilters=a;b\n"
                                    "Xa, S=local:/run/a.sock\nXb, S=local:/run/b.sock, T=C:30\n");
    REQUIRE(bare.findings.size() == 1);
    CHECK(bare.apply(*bare.findings[0].fix) == "V10/Berkeley\nO InputMailFilters=a;b\n"
                                               "Xa, S=local:/run/a.sock, T=C:10s\n"
                                               "Xb, S=local:/run/b.sock, T=C:30\n");
    CHECK(bare.findings[0].message.ends_with(
        "then sendmail goes on without the filter (neither F=T nor F=R, SM-S060)"));
    // A milter no list names is never called.
    CHECK(run_rule("SM-P035", "V10/Berkeley\nXa, S=local:/run/a.sock\n").findings.empty());
}

TEST_CASE("SM-P035 on an .mc: the caret and the fix in INPUT_MAIL_FILTER's argument") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc = "OSTYPE(`linux')dnl\n"
                           "INPUT_MAIL_FILTER(`av', `S=local:/run/av.sock, F=T')dnl\n"
                           "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    auto run = test::run_mc_rule("SM-P035", mc);
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "local:/run/av.sock");
    CHECK(d.label == "milter av is defined here, without T=");
    REQUIRE(d.fix);
    CHECK(run.apply(*d.fix) == "OSTYPE(`linux')dnl\n"
                               "INPUT_MAIL_FILTER(`av', `S=local:/run/av.sock, F=T, T=C:10s')dnl\n"
                               "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
}
