// Differential tests against the real `sendmail -bt`: the same commands on the same .cf, the
// trace compared line by line. Skipped (with a message) where sendmail cannot run.
#include "relay/simulate.hpp"
#include "relay_support.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace smaudit;

namespace {

struct ClientCase {
    std::string addr;
    std::string name; // empty: none
};

relay::Probe probe_for(const ClientCase& client) {
    relay::Probe probe;
    probe.client.addr = client.addr;
    probe.client.name = client.name;
    return probe;
}

// The macros a probe sets, as -bt commands (what the simulator sets for the session).
std::string macro_commands(const ClientCase& client) {
    std::string name = client.name.empty() ? "[" + client.addr + "]" : client.name;
    std::string resolve = client.name.empty() ? "FAIL" : "OK";
    return ".D{client_addr}" + client.addr + "\n.D{client_name}" + name + "\n.D{client_ptr}" +
           name + "\n.D{client_resolve}" + resolve + "\n.D_" + name + " [" + client.addr +
           "]\n.Ds" + name + "\n.D{daemon_name}MTA\n";
}

// Runs `commands` for each client through sendmail and the simulator; returns the number of
// commands compared, or -1 when sendmail could not run.
int compare(const std::string& cf_path, const std::vector<std::string>& commands,
            const std::vector<ClientCase>& clients, const std::string& options = "") {
    auto loaded = load_cf_text(read_text(cf_path), cf_path);
    relay::Environment env;
    env.hostname = "mx.example.test";
    relay::Simulator simulator(loaded->config, env);
    int compared = 0;
    for (const ClientCase& client : clients) {
        std::string input;
        size_t macro_lines = 7;
        input += macro_commands(client);
        for (const std::string& command : commands)
            input += command + "\n";
        auto out = run_sendmail_bt(cf_path, input, options);
        if (!out) return -1;
        auto answers = split_bt_output(*out);
        REQUIRE(answers.size() >= macro_lines + commands.size());
        for (size_t i = 0; i < commands.size(); ++i) {
            const std::string& command = commands[i];
            size_t blank = command.find(' ');
            relay::Outcome outcome = simulator.rewrite(
                command.substr(0, blank), command.substr(blank + 1), probe_for(client));
            INFO("command: " << command << " client " << client.addr << " " << client.name);
            auto join = [](const std::vector<std::string>& lines) {
                std::string text;
                for (const std::string& line : lines)
                    text += line + "\n";
                return text;
            };
            CHECK(join(relay::format_trace(outcome.trace)) == join(answers[macro_lines + i]));
            ++compared;
        }
    }
    return compared;
}

const std::vector<std::string> kAddressForms = {
    "3,0 user@example.org",
    "3,0 <user@example.org>",
    "3,0 \"quoted user\"@example.org",
    "3,0 user%other.example@example.org",
    "3,0 other.example!user",
    "3,0 <@relay.example:user@other.example>",
    "3,0 user@[192.0.2.9]",
    "3,0 user@other.example@example.org",
    "3,0 localuser",
    "3,0 <>",
    "3,0 user@mx.example.test",
    "3,0 user@localhost",
    "3,0 Full Name <user@example.org>",
    "3,0 user\\@x@example.org",
    "3,0 <user@example.org.>",
    "3,0 user(comment)@example.org",
    "3,0 \"user@other\"@example.org",
    "3,0 uucp!host!user",
    "3,0 user@example.org (Real Name)",
    "3,0 <<user@example.org>>",
    "3,0 <a@b",
    "3,0 a@b>",
    "3,0 \"a@b",
    "3 a@b)",
};

const std::vector<std::string> kChecks = {
    "check_rcpt <victim@example.org>",
    "check_rcpt <postmaster@mx.example.test>",
    "check_rcpt <user@localhost>",
    "check_rcpt <\"victim@example.org\">",
    "check_rcpt <victim%example.org@mx.example.test>",
    "check_rcpt <example.org!victim@mx.example.test>",
    "check_rcpt <@mx.example.test:victim@example.org>",
    "check_rcpt <victim@[192.0.2.9]>",
    "check_rcpt <victim@example.org@mx.example.test>",
    "check_rcpt victim@example.org",
    "check_rcpt <victim@[127.0.0.1]>",
    "check_rcpt <\"victim%example.org\"@mx.example.test>",
    "check_rcpt <victim@mx.example.test.>",
    "check_mail <user@example.org>",
    "check_relay host.example.net $| 192.0.2.7",
};

} // namespace

TEST_CASE("Debian's sendmail.cf: rulesets 3,0 and the check rulesets agree with sendmail -bt") {
    const std::string cf = "/etc/mail/sendmail.cf";
    if (!std::filesystem::exists(cf)) {
        MESSAGE("skipped: no /etc/mail/sendmail.cf");
        return;
    }
    int forms = compare(cf, kAddressForms, {{"192.0.2.7", ""}});
    if (forms < 0) {
        MESSAGE("skipped: sendmail -bt cannot run here");
        return;
    }
    int checks = compare(cf, kChecks,
                         {{"192.0.2.7", ""},
                          {"127.0.0.1", "localhost"},
                          {"10.0.0.1", ""},
                          {"192.168.1.5", "host.example.net"}});
    MESSAGE("compared with sendmail -bt: " << forms + checks << " traces");
    CHECK(forms + checks == static_cast<int>(kAddressForms.size() + 4 * kChecks.size()));
}

TEST_CASE("tokenising by configuration level: V8 (comments dropped) and V10 (kept)") {
    TempDir dir("smaudit-relay-levels");
    const std::vector<std::string> commands = {"3 \"a b\"@x (comment) <u\\ser@Example.ORG.>",
                                               "3 a\\!b@c",
                                               "3 a%b!c@d",
                                               "3 a\"b c\"d@e",
                                               "3 x\\",
                                               "3 <a(b>c)@d>",
                                               "3 Foo Bar <foo@bar>, baz"};
    int compared = 0;
    for (const char* level : {"V8", "V10/Berkeley"}) {
        std::string path = (dir.path / "level.cf").string();
        std::ofstream(path) << level << "\nS3\nR$*\t$@ $1\n";
        int n = compare(path, commands, {{"192.0.2.7", ""}});
        if (n < 0) {
            MESSAGE("skipped: sendmail -bt cannot run here");
            return;
        }
        compared += n;
    }
    CHECK(compared == 14);
}

TEST_CASE("maps as sendmail looks them up: regex, dequote, arith, macro, hash, sequence, "
          "unavailable") {
    TempDir dir("smaudit-relay-maps");
    const std::string d = dir.path.string();
    std::ofstream(d + "/tbl") << "foo@example.org\tOK\nexample.net\tREJECT\nConnect:10.1\tRELAY\n"
                                 "fmt\tvalue %1 and %0 and %x\n";
    bool have_db =
        std::system(("/usr/sbin/makemap hash " + d + "/tbl < " + d + "/tbl 2>/dev/null").c_str()) ==
        0;
    std::string cf = "V10/Berkeley\n"
                     "O OperatorChars=.:%@!^/[]+\n"
                     "Kre regex -a@MATCH ^[0-9]+$\n"
                     "Kre2 regex -s1,2 -d: ^([a-z]+)@(.*)$\n"
                     "Kre3 regex -n -a@NOT ^a\n"
                     "Kdq dequote\n"
                     "Kar arith\n"
                     "Kmac macro\n"
                     "Ktbl hash -a.FOUND " +
                     d + "/tbl\nKtm hash -m " + d + "/tbl\nKmiss hash -o " + d +
                     "/nonexistent\nKreq hash -T<TMPF> " + d +
                     "/nonexistent2\n"
                     "Kseq sequence miss tbl\n"
                     "Kdnsm dns -RA\n"
                     "Stest\n"
                     "R$*\t$: < $(re $1 $: nomatch $) > < $(re2 $1 $) > < $(re3 $1 $) > < $(dq "
                     "$1 $) >\n"
                     "Sar\n"
                     "R$- $- $-\t$@ $(ar $2 $@ $1 $@ $3 $)\n"
                     "Stbl\n"
                     "R$*\t$: < $(tbl $1 $@ A1 $: none $) > < $(tm $1 $) > < $(miss $1 $: missing "
                     "$) > < $(seq $1 $) >\n"
                     "Sreq\n"
                     "R$*\t$: < $(req $1 $: def $) >\n"
                     "Smac\n"
                     "R$*\t$: $(mac {mymac} $@ $1 $) < $&{mymac} >\n"
                     "Sdns\n"
                     "R$*\t$: < $(dnsm $1 $: nodns $) >\n";
    std::string path = d + "/maps.cf";
    std::ofstream(path) << cf;
    const std::vector<std::string> commands = {"test 12345",
                                               "test abc@example.org",
                                               "test \"quoted\"",
                                               "test a\"b c\"d",
                                               "test xyz",
                                               "ar 3 + 4",
                                               "ar 3 * 4",
                                               "ar 3 l 4",
                                               "ar 8 / 2",
                                               "ar 3 = 3",
                                               "tbl Example.NET",
                                               "tbl Connect:10.1",
                                               "tbl fmt",
                                               "tbl nothing",
                                               "tbl foo@example.org",
                                               "req key",
                                               "mac hello",
                                               "dns example.org"};
    if (have_db) {
        int n =
            compare(path, commands, {{"192.0.2.7", ""}}, "-O DontBlameSendmail=MapInUnsafeDirPath");
        if (n < 0)
            MESSAGE("skipped the comparison: sendmail -bt cannot run here");
        else
            MESSAGE("maps compared with sendmail -bt: " << n << " traces");
    }

    // What sendmail answered for these (sendmail 8.17.1.9 -bt), also where it cannot run.
    auto loaded = load_cf_text(cf, path);
    relay::Environment env;
    env.hostname = "mx.example.test";
    relay::Simulator simulator(loaded->config, env);
    auto result = [&](const std::string& sets, const std::string& input) {
        return *simulator.rewrite(sets, input, {}).reply;
    };
    CHECK(result("test", "12345") == "< @ MATCH > < 12345 > < @ NOT > < 12345 >");
    CHECK(result("test", "abc@example.org") ==
          "< nomatch > < abc : example . org > < abc @ example . org > < abc @ example . org >");
    CHECK(result("test", "a\"b c\"d") ==
          "< nomatch > < a \"b c\" d > < a \"b c\" d > < a \"b c\" d >");
    CHECK(result("ar", "3 l 4") == "TRUE");
    CHECK(result("ar", "8 / 2") == "4");
    // The right-hand side is substituted before the lookup sets the macro.
    CHECK(result("mac", "hello") == "< >");
    relay::Outcome dns = simulator.rewrite("dns", "example.org", {});
    CHECK(*dns.reply == "< nodns >");
    CHECK(dns.used_unavailable_map);
    CHECK(dns.unavailable_maps == std::vector<std::string>{"dnsm"});
    relay::Outcome req = simulator.rewrite("req", "key", {});
    CHECK(*req.reply == "< key < TMPF > >");
    if (have_db) {
        CHECK(result("tbl", "foo@example.org") ==
              "< OK . FOUND > < foo @ example . org > < missing > < OK . FOUND >");
        CHECK(result("tbl", "fmt") == "< value A1 and fmt and % x . FOUND > < fmt > < missing > "
                                      "< value and fmt and % x . FOUND >");
    }
}

namespace {

const char* const kLoopCf = "V10/Berkeley\n"
                            "O OperatorChars=.:%@!^/[]+\n"
                            "Mlocal, P=/bin/true, F=l, A=true\n"
                            "S0\n"
                            "R$*\t\t$#local $: $1\n"
                            "Sloop\n"
                            "R$*\t\t$1\n"
                            "Srec\n"
                            "R$*\t\t$: $>rec $1\n"
                            "Sboom\n"
                            "R$*\t\t$>boom $1\n"
                            "Scheck_rcpt\n"
                            "R$*\t\t$: $>boom $1\n"
                            "R$*\t\t$#error $@ 5.7.1 $: \"550 after loop\"\n";

} // namespace

TEST_CASE("loops end with sendmail's diagnostics; a loop sendmail never leaves ends too") {
    TempDir dir("smaudit-relay-loop");
    std::string path = (dir.path / "loop.cf").string();
    std::ofstream(path) << kLoopCf;
    // The 100-try limit and the recursion limit: the same trace as sendmail's.
    int n = compare(path, {"loop a b", "rec a"}, {{"192.0.2.7", ""}});
    if (n < 0) MESSAGE("skipped the comparison: sendmail -bt cannot run here");

    auto loaded = load_cf_text(kLoopCf);
    relay::Environment env;
    env.hostname = "mx.example.test";
    relay::Simulator simulator(loaded->config, env);
    relay::Outcome loop = simulator.rewrite("loop", "a b", {});
    CHECK(loop.loop);
    CHECK(loop.reply == "a b");
    REQUIRE(loop.trace.size() == 2);
    CHECK(loop.trace[1].message == "Infinite loop in ruleset loop, rule 1");

    // `boom` calls itself from a rule that is retried: sendmail spins for hours (100 tries at
    // each of 50 levels); the simulator stops at its call budget and says why.
    relay::Outcome boom = simulator.rewrite("boom", "a", {});
    CHECK(boom.loop);
    CHECK(std::any_of(boom.notes.begin(), boom.notes.end(), [](const std::string& note) {
        return note.find("call each other without end") != std::string::npos;
    }));
    relay::Probe probe;
    probe.client.addr = "192.0.2.7";
    probe.rcpt = "<victim@example.org>";
    relay::Outcome session = simulator.run(probe);
    CHECK(session.loop);
    CHECK(session.verdict == relay::Verdict::unknown);
}

// A `$>` or `$(` left in a vector (a call without a ruleset name, a lookup without a map name)
// and moved by a later rule that writes none of its own is still acted on: the simulator skips
// the search for calls and lookups only in vectors that cannot hold one.
TEST_CASE("a call or lookup left in the vector is made when a later rule moves it into place") {
    const std::string cf = "V10/Berkeley\n"
                           "O OperatorChars=.:%@!^/[]+\n"
                           "Kdq dequote\n"
                           "Ssub\n"
                           "R$*\t\t$@ < $1 >\n"
                           "Scall\n"
                           "R$-\t\t$: $1 $>\n"
                           "R$- $+\t\t$: $2 sub $1\n"
                           "Slook\n"
                           "R$-\t\t$: $1 $(\n"
                           "R$- $+\t\t$: $2 dq $1 $)\n";
    TempDir dir("smaudit-relay-stray");
    const std::string path = (dir.path / "stray.cf").string();
    std::ofstream(path) << cf;
    // sendmail's own answer for the call: callsubr() looks at every `$>` of the new vector.
    if (compare(path, {"call a"}, {{"192.0.2.7", ""}}) < 0)
        MESSAGE("skipped the comparison: sendmail -bt cannot run here");

    auto loaded = load_cf_text(cf);
    relay::Environment env;
    env.hostname = "mx.example.test";
    const relay::Simulator simulator(loaded->config, env);
    CHECK(simulator.rewrite("call", "a", {}).reply == "< a >");
    const relay::Outcome look = simulator.rewrite("look", "a", {});
    CHECK(look.reply == "a");
    CHECK(std::find(look.notes.begin(), look.notes.end(), "554 5.3.0 rewrite: missing mapname") !=
          look.notes.end());
}

// `$=X` extends over as many tokens as a class word may take (the simulator stops past the
// class's longest word), `$~X` takes one token not in the class, and a rule whose literals a
// vector lacks does not match it.
TEST_CASE("class matches over several tokens, and rules passed over for a missing literal") {
    const std::string cf = "V10/Berkeley\n"
                           "O OperatorChars=.:%@!^/[]+\n"
                           "CXshort a.Very.long.name.example\n"
                           "Stest\n"
                           "R$* < $=X > $*\t\t$@ found $2\n"
                           "R$* < $~X > $*\t\t$@ other $2\n"
                           "R$* ! $*\t\t$@ bang $1\n"
                           "R$*\t\t$@ none\n";
    TempDir dir("smaudit-relay-class");
    const std::string path = (dir.path / "class.cf").string();
    std::ofstream(path) << cf;
    const std::vector<std::string> commands = {"test x < a.very.long.name.EXAMPLE > y",
                                               "test x < SHORT > y",
                                               "test x < a.very > y",
                                               "test x < a.very.long.name.example.org > y",
                                               "test x < b > y",
                                               "test a!b",
                                               "test a b"};
    if (compare(path, commands, {{"192.0.2.7", ""}}) < 0)
        MESSAGE("skipped the comparison: sendmail -bt cannot run here");

    auto loaded = load_cf_text(cf);
    relay::Environment env;
    env.hostname = "mx.example.test";
    const relay::Simulator simulator(loaded->config, env);
    auto result = [&](const std::string& input) {
        return simulator.rewrite("test", input, {}).reply.value_or("");
    };
    CHECK(result("x < a.very.long.name.EXAMPLE > y") == "found a . very . long . name . EXAMPLE");
    CHECK(result("x < SHORT > y") == "found SHORT");
    CHECK(result("x < a.very > y") == "none");
    CHECK(result("x < a.very.long.name.example.org > y") == "none");
    CHECK(result("x < b > y") == "other b");
    CHECK(result("a!b") == "bang a");
    CHECK(result("a b") == "none");
}
