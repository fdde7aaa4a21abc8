// The SMTP session's verdicts and replies. The replies are what `sendmail -bs` (8.17.1.9) sent
// for the same `$#error` triples returned to check_rcpt (Debian's sendmail.cf, the rule put in
// Local_check_rcpt, MAIL FROM:<>, RCPT TO:<victim@example.org>).
#include "relay/simulate.hpp"
#include "relay_support.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

namespace {

relay::Outcome run_rcpt_rule(const std::string& rhs, const std::string& extra = "") {
    auto loaded = load_cf_text("V10/Berkeley\n" + extra + "Scheck_rcpt\nR$*\t" + rhs + "\n");
    relay::Environment env;
    env.hostname = "mx.example.test";
    relay::Probe probe;
    probe.client.addr = "192.0.2.7";
    probe.rcpt = "<victim@example.org>";
    return relay::Simulator(loaded->config, env).run(probe);
}

} // namespace

TEST_CASE("check_rcpt's $#error becomes the reply sendmail sends") {
    struct Case {
        const char* rhs;
        const char* reply;
        relay::Verdict verdict;
    };
    using V = relay::Verdict;
    const Case cases[] = {
        {R"($#error $@ 5.7.1 $: "550 Relaying denied")",
         "550 5.7.1 <victim@example.org>... Relaying denied", V::rejected},
        {R"($#error $: "550 Relaying denied")", "550 5.0.0 <victim@example.org>... Relaying denied",
         V::rejected},
        {R"($#error $@ 4.7.1 $: "Try later")", "553 5.3.0 <victim@example.org>... Try later",
         V::rejected},
        {R"($#error $: Try later)", "553 5.3.0 <victim@example.org>... Try later", V::rejected},
        {R"($#error $@ 5.7.1 $: "550 5.7.9 text here")",
         "550 5.7.9 <victim@example.org>... text here", V::rejected},
        {R"($#error $@ 4.7.1 $: "450 text here")", "450 4.7.1 <victim@example.org>... text here",
         V::tempfail},
        {R"($#error $@ nouser $: "550 text here")", "550 5.0.0 <victim@example.org>... text here",
         V::rejected},
        {R"($#error $@ tempfail $: "text here")", "553 5.3.0 <victim@example.org>... text here",
         V::rejected},
        {R"($#error $@ 5.1.1 $: "451 text here")", "451 5.1.1 text here", V::tempfail},
        {R"($#error $@ 4.7.1 $: "550 text here")", "550 4.7.1 <victim@example.org>... text here",
         V::rejected},
    };
    for (const Case& c : cases) {
        INFO(c.rhs);
        relay::Outcome outcome = run_rcpt_rule(c.rhs);
        CHECK(outcome.verdict == c.verdict);
        REQUIRE(outcome.reply);
        CHECK(*outcome.reply == c.reply);
        CHECK(outcome.deciding_ruleset == "check_rcpt");
        REQUIRE(outcome.rule);
        CHECK(outcome.rule->ruleset == "check_rcpt");
        CHECK(outcome.rule->index == 0);
    }
}

TEST_CASE("$#discard and anything but $#error accept the recipient") {
    for (const char* rhs : {"$#discard $: x", "$# OK", "$# RELAY", "$@ whatever"}) {
        INFO(rhs);
        relay::Outcome outcome = run_rcpt_rule(rhs);
        CHECK(outcome.verdict == relay::Verdict::accepted);
        CHECK_FALSE(outcome.reply);
    }
}

TEST_CASE("a check that depends on a map smaudit never consults says so") {
    relay::Outcome outcome =
        run_rcpt_rule(R"($: $(rbl $&{client_addr} $: OK $))", "Krbl dns -R A\n");
    CHECK(outcome.verdict == relay::Verdict::accepted);
    CHECK(outcome.used_unavailable_map);
    CHECK(outcome.unavailable_maps == std::vector<std::string>{"rbl"});
}

TEST_CASE("the session macros: client, resolve, auth") {
    auto loaded = load_cf_text("V10/Berkeley\nScheck_rcpt\n"
                               "R$*\t$: $&{client_name} $| $&{client_resolve} $| $&{auth_type} "
                               "$| $&{auth_authen}\n"
                               "R[ $+ ] $| FAIL $| $| \t$#error $: \"550 no name\"\n"
                               "R$+ $| OK $| PLAIN $| bob\t$# OK\n");
    relay::Environment env;
    env.hostname = "mx.example.test";
    relay::Simulator simulator(loaded->config, env);
    relay::Probe probe;
    probe.client.addr = "192.0.2.7";
    probe.rcpt = "<victim@example.org>";
    CHECK(simulator.run(probe).verdict == relay::Verdict::rejected);
    probe.client.name = "mail.example.net";
    probe.auth = "PLAIN:bob";
    CHECK(simulator.run(probe).verdict == relay::Verdict::accepted);
}
