// The queue-processing rules SM-P014 ... SM-P024: exact messages, the host status directory and
// the connection cache reported once (at ConnectionCacheSize, naming the directory), values read
// as sendmail reads them (atoi(), atobool(), first letters), roles and fixes.
#include "mc_test_support.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

namespace {

constexpr std::string_view kHostStatusConsequence =
    ": each sendmail process keeps what it learns about hosts that are down or refuse mail to "
    "itself, for one queue run at most, so every queue runner and every new delivery tries a "
    "dead host again and waits out its connect timeout";

} // namespace

TEST_CASE("SM-P014: no host status directory, about the default; the unsafe fix adds one") {
    auto run = run_rule("SM-P014", "V10/Berkeley\nO LogLevel=9\n");
    const Diagnostic& d = run.only();
    CHECK_FALSE(d.where.valid());
    CHECK(d.severity == Severity::Low);
    CHECK(d.message == "HostStatusDirectory is not set" + std::string(kHostStatusConsequence));
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe); // the directory must exist, or sendmail ignores it
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO LogLevel=9\nO HostStatusDirectory=.hoststat\n");

    // An empty value leaves it unset (readcf.c), as submit.cf writes it.
    auto empty = run_rule("SM-P014", "V10/Berkeley\nO HostStatusDirectory\n");
    CHECK(empty.line(empty.only()) == 2);
    CHECK(empty.only().message == "HostStatusDirectory has no value, which leaves it unset" +
                                      std::string(kHostStatusConsequence));
    CHECK(empty.apply(*empty.only().fix) == "V10/Berkeley\nO HostStatusDirectory=.hoststat\n");

    CHECK(
        run_rule("SM-P014", "V10/Berkeley\nO HostStatusDirectory=/var/lib/hs\n").findings.empty());
}

TEST_CASE("SM-P014 by role: info on a loopback-only host, nothing for the MSP") {
    auto client =
        run_rule("SM-P014", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n");
    CHECK(client.only().severity == Severity::Info);
    CHECK(run_rule("SM-P014", "V10/Berkeley\nO LogLevel=9\n", "submit.cf").findings.empty());
}

TEST_CASE("ConnectionCacheSize=0 with a host status directory: one finding, at the cache") {
    const std::string text = "V10/Berkeley\nO HostStatusDirectory=.hoststat\n"
                             "O ConnectionCacheSize=0\n";
    CHECK(run_rule("SM-P014", text).findings.empty());
    auto run = run_rule("SM-P016", text);
    const Diagnostic& d = run.only();
    CHECK(run.text(d.where) == "0");
    CHECK(d.message ==
          "ConnectionCacheSize is 0: sendmail closes each SMTP connection as soon as it has "
          "delivered one message, so a queue run connects to a host anew for every message it "
          "holds for it, and sendmail turns off the HostStatusDirectory set to .hoststat "
          "(\"HostStatusDirectory disabled with ConnectionCacheSize = 0\"), so its processes no "
          "longer share which hosts are down");
    REQUIRE(d.notes.size() == 1);
    CHECK(run.line(d.notes[0].where) == 2);
    CHECK(d.notes[0].text == "HostStatusDirectory is set here (turned off)");
    REQUIRE(d.fix);
    CHECK(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO HostStatusDirectory=.hoststat\n"
                               "O ConnectionCacheSize=2\n");
}

TEST_CASE("SM-P016: the cache read with atoi(), above 4, and the idle timeout") {
    // Without a directory the message stops at the connections.
    auto zero = run_rule("SM-P016", "V10/Berkeley\nOk-1\n");
    CHECK(zero.only().message ==
          "ConnectionCacheSize is -1: sendmail closes each SMTP connection as soon as it has "
          "delivered one message, so a queue run connects to a host anew for every message it "
          "holds for it");
    auto words = run_rule("SM-P016", "V10/Berkeley\nO ConnectionCacheSize=none\n");
    CHECK(words.only().message.starts_with("ConnectionCacheSize `none` reads as 0: "));

    auto large = run_rule("SM-P016", "V10/Berkeley\nO ConnectionCacheSize=10\n");
    CHECK(large.only().message ==
          "ConnectionCacheSize is 10: every cached connection holds a file descriptor in each "
          "delivering process until it idles out; op.me calls 4 a practical maximum");
    CHECK(large.apply(*large.only().fix) == "V10/Berkeley\nO ConnectionCacheSize=4\n");
    CHECK(run_rule("SM-P016", "V10/Berkeley\nO ConnectionCacheSize=4\n").findings.empty());

    // The timeout is in minutes when bare (convtime(val, 'm')); 10 minutes passes.
    auto idle = run_rule("SM-P016", "V10/Berkeley\nO ConnectionCacheTimeout=11\n");
    CHECK(idle.only().message ==
          "ConnectionCacheTimeout is 11 minutes: a cached connection may sit idle that long, "
          "holding a process and a connection slot on the receiving server; op.me asks for about "
          "ten minutes at most");
    CHECK(idle.apply(*idle.only().fix) == "V10/Berkeley\nO ConnectionCacheTimeout=5m\n");
    CHECK(run_rule("SM-P016", "V10/Berkeley\nO ConnectionCacheTimeout=10m\n").findings.empty());
    CHECK(run_rule("SM-P016", "V10/Berkeley\nO ConnectionCacheTimeout=600s\n").findings.empty());
}

TEST_CASE("SM-P015: ignored without a directory in effect (low, fixed), a choice with one (info)") {
    auto ignored = run_rule("SM-P015", "V10/Berkeley\nO SingleThreadDelivery=True\n");
    CHECK(ignored.only().severity == Severity::Low);
    CHECK(ignored.only().message ==
          "SingleThreadDelivery is set but no HostStatusDirectory is set, so sendmail ignores it "
          "(\"HostStatusDirectory required for SingleThreadDelivery\"): deliveries are not "
          "serialised as the setting suggests");
    REQUIRE(ignored.only().fix);
    CHECK(ignored.only().fix->safe);
    CHECK(ignored.apply(*ignored.only().fix) == "V10/Berkeley\nO SingleThreadDelivery=False\n");

    auto turned_off = run_rule("SM-P015", "V10/Berkeley\nO HostStatusDirectory=.hoststat\n"
                                          "O ConnectionCacheSize=0\nO SingleThreadDelivery\n");
    CHECK(turned_off.only().message.starts_with(
        "SingleThreadDelivery is set but ConnectionCacheSize 0 turns the HostStatusDirectory "
        "off, so sendmail ignores it"));

    auto in_effect = run_rule("SM-P015", "V10/Berkeley\nO HostStatusDirectory=.hoststat\n"
                                         "O SingleThreadDelivery=yes\n");
    CHECK(in_effect.only().severity == Severity::Info);
    CHECK_FALSE(in_effect.only().fix);
    // atobool(): only an empty value or t/T/y/Y is true.
    CHECK(run_rule("SM-P015", "V10/Berkeley\nO SingleThreadDelivery=on\n").findings.empty());
}

TEST_CASE("SM-P017, SM-P018, SM-P022, SM-P024: messages and safe fixes") {
    auto fork = run_rule("SM-P017", "V10/Berkeley\nOY\n");
    CHECK(fork.only().message ==
          "ForkEachJob is set: a queue run forks a process for each message, so it cannot reuse "
          "a cached connection and forgets between messages which hosts are down, trying a dead "
          "host again for every message queued for it");
    CHECK(fork.apply(*fork.only().fix) == "V10/Berkeley\nOYFalse\n");

    auto time = run_rule("SM-P018", "V10/Berkeley\nO QueueSortOrder=Time\n");
    CHECK(time.only().message ==
          "QueueSortOrder is Time: queue runs take messages in the order they were submitted, not "
          "by priority, so a large mailing queued first goes out ahead of small personal mail "
          "queued after it");
    CHECK(time.apply(*time.only().fix) == "V10/Berkeley\nO QueueSortOrder=priority\n");
    for (const char* other : {"host", "random", "none", "filename", "modification", "shuffle"})
        CHECK(run_rule("SM-P018", std::string("V10/Berkeley\nO QueueSortOrder=") + other + "\n")
                  .findings.empty());

    auto split = run_rule("SM-P022", "V10/Berkeley\nO FastSplit=0\n");
    CHECK(split.only().severity == Severity::Info);
    CHECK(split.only().message ==
          "FastSplit is 0: before the first delivery attempt sendmail looks up the MX records of "
          "every recipient's domain to sort the envelope, which delays the first delivery of mail "
          "to many domains unless a local DNS cache answers");
    CHECK(split.apply(*split.only().fix) == "V10/Berkeley\nO FastSplit=1\n");
    CHECK(run_rule("SM-P022", "V10/Berkeley\nO FastSplit=-2\n").findings.size() == 1);

    auto soft = run_rule("SM-P024", "V10/Berkeley\nO SoftBounce=True\n");
    CHECK(soft.only().severity == Severity::Medium);
    CHECK(soft.only().message ==
          "SoftBounce is set: sendmail answers with a temporary error (4xy) wherever it would "
          "refuse for good (5xy), so every client whose mail it rejects (unknown users, relaying "
          "denied, access map REJECTs) keeps it queued and retries for days instead of bouncing "
          "it at once");
    CHECK(soft.apply(*soft.only().fix) == "V10/Berkeley\nO SoftBounce=False\n");
    CHECK(run_rule("SM-P024", "V10/Berkeley\nO SoftBounce=False\n").findings.empty());
    auto msp = run_rule("SM-P024", "V10/Berkeley\nO SoftBounce=True\n", "submit.cf");
    CHECK(msp.only().severity == Severity::Low);
}

TEST_CASE("SM-P023: SuperSafe read by first letter and atobool(); Interactive needs interactive "
          "delivery; RequiresDirfsync") {
    auto off = run_rule("SM-P023", "V10/Berkeley\nO SuperSafe=False\nO RequiresDirfsync=false\n");
    REQUIRE(off.findings.size() == 2);
    CHECK(off.findings[0].severity == Severity::Medium);
    CHECK(off.findings[0].message ==
          "SuperSafe is False: sendmail does not fsync() the queue files of a message before it "
          "answers 250, and in interactive delivery does not write them before it delivers, so "
          "a crash or power loss can lose mail the sender was told was accepted");
    CHECK(off.findings[1].message ==
          "RequiresDirfsync is false: sendmail no longer fsync()s the queue directory after it "
          "creates or renames a queue file (Linux builds turn that on with REQUIRES_DIR_FSYNC), "
          "so after a crash an accepted message's queue file can be missing from the directory");
    CHECK(run_rule("SM-P023", "V10/Berkeley\nOson\n")
              .only()
              .message.starts_with("SuperSafe `on` reads as False: "));

    auto interactive =
        run_rule("SM-P023", "V10/Berkeley\nO DeliveryMode=deferred\nO SuperSafe=interactive\n");
    CHECK(interactive.only().severity == Severity::Low);
    CHECK(interactive.only().message.starts_with(
        "SuperSafe is Interactive but DeliveryMode is deferred: sendmail warns at start"));
    CHECK(interactive.apply(*interactive.only().fix) ==
          "V10/Berkeley\nO DeliveryMode=deferred\nO SuperSafe=True\n");
    // The default delivery mode is background.
    CHECK(run_rule("SM-P023", "V10/Berkeley\nO SuperSafe=I\n")
              .only()
              .message.starts_with("SuperSafe is Interactive but DeliveryMode is background"));

    for (const char* fine :
         {"O SuperSafe=True\n", "O SuperSafe\n", "O SuperSafe=PostMilter\n",
          "O DeliveryMode=i\nO SuperSafe=Interactive\n", "O RequiresDirfsync=true\n",
          // readcf.c: an empty DeliveryMode is interactive (sendmail 8.17.1.9 -bt: no warning).
          "O DeliveryMode=\nO SuperSafe=Interactive\n"})
        CHECK(run_rule("SM-P023", std::string("V10/Berkeley\n") + fine).findings.empty());
    // DeliveryMode's letter is read case-sensitively (`switch (*val)`): sendmail 8.17.1.9 stops
    // at `I` ("Unknown delivery mode I", exit 64), so it is not interactive delivery.
    CHECK(run_rule("SM-P023", "V10/Berkeley\nO DeliveryMode=Interactive\nO SuperSafe=I\n")
              .only()
              .message.starts_with("SuperSafe is Interactive but DeliveryMode is `Interactive`"));
}

TEST_CASE("queue rules on an .mc: the finding and the fix at the define") {
    auto run = test::run_mc_rule("SM-P024", "OSTYPE(`linux')dnl\ndefine(`confSOFT_BOUNCE', "
                                            "`True')dnl\nMAILER(`local')dnl\n");
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 2);
    REQUIRE(d.fix);
    CHECK(run.apply(*d.fix) == "OSTYPE(`linux')dnl\ndefine(`confSOFT_BOUNCE', `False')dnl\n"
                               "MAILER(`local')dnl\n");
}

TEST_CASE("SM-P019: a small MaxQueueRunSize, with its number; 0 and 1000 pass") {
    auto run = run_rule("SM-P019", "V10/Berkeley\nO MaxQueueRunSize=20\n");
    CHECK(run.only().message ==
          "MaxQueueRunSize is 20: a queue run reads only the first 20 entries of each queue "
          "directory, in directory order, and sorts those by priority; when more are queued, "
          "messages that fall late in the directory are left out of run after run however urgent "
          "they are, and mailq lists only 20 entries per queue group");
    REQUIRE(run.only().fix);
    CHECK_FALSE(run.only().fix->safe);
    CHECK(run.apply(*run.only().fix) == "V10/Berkeley\nO MaxQueueRunSize=0\n");
    CHECK(run_rule("SM-P019", "V10/Berkeley\nO MaxQueueRunSize=999\n").findings.size() == 1);
    for (const char* fine : {"0", "1000", "-5", "many"})
        CHECK(run_rule("SM-P019", std::string("V10/Berkeley\nO MaxQueueRunSize=") + fine + "\n")
                  .findings.empty());
}

TEST_CASE("SM-P021: R= above 1 without F=f, field names by their first letter") {
    auto run = run_rule("SM-P021", "V10/Berkeley\nO QueueDirectory=/q\n"
                                   "Qslow, P=/q/slow, Runners=3, Flags=n\n"
                                   "Qfast, P=/q/fast, R=4, F=nf\nQone, P=/q/one, R=1\n");
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 3);
    CHECK(d.message == "queue group slow asks for 3 queue runners (R=3) but has no `f` in its "
                       "flags (F=): sendmail warns at start (\"multiple queue runners specified "
                       "but flag 'f' is not set\") and its queue runs do not fork runners, so one "
                       "process works through the group's queue alone");
    CHECK_FALSE(d.fix);
}

TEST_CASE("SM-P020: a group run more often than every 30 minutes with nothing spacing retries") {
    // No MinQueueAge (m4's `#O MinQueueAge=30m` is a comment): retried at every run. One finding
    // for all such groups, at the first; a group without I= runs at -q's interval, unknown.
    const std::string groups = "Qlocal, P=/q/local, I=1m\nQbulk, P=/q/bulk\n"
                               "Qremote, P=/q/remote, Interval=10\nQslow, P=/q/slow, I=1h\n";
    auto run = run_rule("SM-P020", "V10/Berkeley\n#O MinQueueAge=30m\n" + groups);
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 3);
    CHECK(d.severity == Severity::Low);
    CHECK(d.message ==
          "queue group local is run every 1 minute (I=; remote every 10 minutes), and "
          "MinQueueAge is not set (sendmail's default 0), so whenever sendmail runs its queues "
          "(-q) a message that cannot be delivered is tried again at every run of the group, "
          "every 1 minute; RFC 5321 4.5.4.1 asks for at least 30 minutes between retries, and "
          "each retry of a dead host waits out the connect timeout in a queue runner");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO MinQueueAge=30m\n#O MinQueueAge=30m\n" + groups);

    // A MinQueueAge (bare number: minutes) shorter than 30 minutes: retried about that often;
    // the fix edits its value.
    auto short_age = run_rule("SM-P020", "V10/Berkeley\nO MinQueueAge=20\nQr, P=/q/r, I=5m\n");
    CHECK(short_age.only().message.find("MinQueueAge is 20 minutes, so whenever sendmail runs "
                                        "its queues (-q) a message that cannot be delivered is "
                                        "tried again about every 20 minutes;") !=
          std::string::npos);
    CHECK(short_age.apply(*short_age.only().fix) ==
          "V10/Berkeley\nO MinQueueAge=30m\nQr, P=/q/r, I=5m\n");

    // MaxQueueAge: a back-off that doubles up to it; below 30 minutes it is retried that often.
    auto max_age = run_rule("SM-P020", "V10/Berkeley\nO MaxQueueAge=10m\nQr, P=/q/r, I=5m\n");
    CHECK(max_age.only().message.find("MinQueueAge is not set (sendmail's default 0) and "
                                      "MaxQueueAge caps the back-off at 10 minutes") !=
          std::string::npos);

    for (const char* fine :
         {"O MinQueueAge=30m\nQr, P=/q/r, I=5m\n", "O MaxQueueAge=4h\nQr, P=/q/r, I=5m\n",
          "Qr, P=/q/r, I=30m\n", "Qr, P=/q/r, I=0\n", "Qr, P=/q/r\n"}) {
        CAPTURE(fine);
        CHECK(run_rule("SM-P020", std::string("V10/Berkeley\n") + fine).findings.empty());
    }
    // The MSP hands every message to the local MTA.
    CHECK(run_rule("SM-P020", "V10/Berkeley\nQr, P=/q/r, I=5m\n", "submit.cf").findings.empty());
}
