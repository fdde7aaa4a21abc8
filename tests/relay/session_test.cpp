// The SMTP session's verdicts and replies. The replies are what `sendmail -bs` (8.17.1.9) sent
// for the same `$#error` triples returned to check_rcpt (Debian's sendmail.cf, the rule put in
// Local_check_rcpt, MAIL FROM:<>, RCPT TO:<victim@example.org>).
#include "relay/probe_forms.hpp"
#include "relay/simulate.hpp"
#include "relay_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace smaudit;

namespace {

relay::Outcome run_rcpt_rule(const std::string& rhs, const std::string& extra = "") {
    auto loaded = load_cf_text("V10/Berkeley\n" + std::string(kParseEverythingLocally) + extra +
                               "Scheck_rcpt\nR$*\t" + rhs + "\n");
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
    auto loaded = load_cf_text("V10/Berkeley\n" + std::string(kParseEverythingLocally) +
                               "Scheck_rcpt\n"
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

// The daemon parses each MAIL FROM and RCPT TO argument (prescan, rulesets 3 and 0, buildaddr)
// before check_mail and check_rcpt, and refuses the command when that fails. The replies are
// what `sendmail -bs` (8.17.1.9) sent for this configuration, one command each.
TEST_CASE("the sender and the recipient are parsed before check_mail and check_rcpt") {
    auto loaded = load_cf_text(kParseCasesCf);
    relay::Environment env;
    env.hostname = "mx.example.test";
    const relay::Simulator simulator(loaded->config, env);
    struct Case {
        const char* from;
        const char* rcpt;
        const char* reply;
        relay::Verdict verdict;
        const char* stage;
    };
    using V = relay::Verdict;
    const Case cases[] = {
        {"<a@mailcheck>", "<a@ok>", "550 5.7.1 <a@mailcheck>... mail check", V::rejected,
         "check_mail"},
        {"<a@unknown>", "<a@ok>", "554 5.3.5 buildaddr: unknown mailer foo", V::rejected,
         "parse_mail"},
        // check_mail would refuse it too: the parse comes first
        {"<a@refused>", "<a@ok>", "553 5.1.3 <a@refused>... Invalid route address", V::rejected,
         "parse_mail"},
        {"<a@x", "<a@ok>", "553 5.0.0 <a@x... Unbalanced '<'", V::rejected, "parse_mail"},
        {"<a@ok>", "<a@ok>", "550 5.7.1 <a@ok>... rcpt check", V::rejected, "check_rcpt"},
        {"<a@ok>", "<a@nomailer>", "554 5.3.5 buildaddr: no mailer in parsed address", V::rejected,
         "parse_rcpt"},
        {"<a@ok>", "<a@unknown>", "554 5.3.5 buildaddr: unknown mailer foo", V::rejected,
         "parse_rcpt"},
        {"<a@ok>", "<a@disc>", "554 5.3.5 buildaddr: unknown mailer discard", V::rejected,
         "parse_rcpt"},
        {"<a@ok>", "<a@nohost>", "554 5.3.5 buildaddr: no host", V::rejected, "parse_rcpt"},
        {"<a@ok>", "<a@nouser>", "554 5.3.5 buildaddr: no user", V::rejected, "parse_rcpt"},
        {"<a@ok>", "<a@tempf>", "451 4.1.1 later", V::tempfail, "parse_rcpt"},
        {"<a@ok>", "<a@refused>", "553 5.1.3 <a@refused>... Invalid route address", V::rejected,
         "parse_rcpt"},
        {"<a@ok>", "<a@x", "553 5.0.0 <a@x... Unbalanced '<'", V::rejected, "parse_rcpt"},
        {"<a@ok>", "<\"a@x>", "553 5.0.0 <\"a@x>... Unbalanced '\"'", V::rejected, "parse_rcpt"},
        {"<a@ok>", "<local>", "550 5.7.1 <local>... rcpt check", V::rejected, "check_rcpt"},
        // a syserr() while rewriting refuses the command it happens in
        {"<a@loop>", "<a@ok>", "554 5.3.5 Infinite loop in ruleset check_mail, rule 1", V::rejected,
         "check_mail"},
        {"<a@recurse>", "<a@ok>", "554 5.0.0 rewrite: excessive recursion (max 50), ruleset 0",
         V::rejected, "parse_mail"},
        {"<a@ok>", "<a@loop>", "554 5.3.5 Infinite loop in ruleset check_rcpt, rule 1", V::rejected,
         "check_rcpt"},
        {"<a@ok>", "<a@nomap>", "554 5.3.0 rewrite: map nosuchmap not found", V::rejected,
         "check_rcpt"},
        {"<a@ok>", "<a@recurse>", "554 5.0.0 rewrite: excessive recursion (max 50), ruleset 0",
         V::rejected, "parse_rcpt"},
        {"<a@ok>", "<a@maploop>", "554 5.3.0 rewrite: map nosuchmap not found", V::rejected,
         "parse_rcpt"},
    };
    for (const Case& c : cases) {
        INFO(c.from, " ", c.rcpt);
        relay::Probe probe;
        probe.client.addr = "192.0.2.7";
        probe.mail_from = c.from;
        probe.rcpt = c.rcpt;
        const relay::Outcome outcome = simulator.run(probe);
        CHECK(outcome.verdict == c.verdict);
        CHECK(outcome.reply.value_or("") == c.reply);
        CHECK(outcome.deciding_ruleset == c.stage);
    }
    // The rule that refused in the parse is named, as for the checks.
    relay::Probe probe;
    probe.client.addr = "192.0.2.7";
    probe.rcpt = "<a@refused>";
    const relay::Outcome refused = simulator.run(probe);
    REQUIRE(refused.rule);
    CHECK(refused.rule->ruleset == "0");
    CHECK(refused.rule->index == 8);
}

// {deliveryMode} holds the DeliveryMode letter: a daemon (and `sendmail -bs`) whose check_rcpt
// replies with the macro said "mode=b" without the option, "mode=d" for deferred, and i, q, b
// for interactive, queueonly, background.
TEST_CASE("{deliveryMode} is the configured delivery mode's letter") {
    const std::pair<const char*, const char*> modes[] = {
        {"", "b"},
        {"O DeliveryMode=deferred\n", "d"},
        {"O DeliveryMode=interactive\n", "i"},
        {"O DeliveryMode=queueonly\n", "q"},
        {"O DeliveryMode=background\n", "b"},
    };
    for (const auto& [option, letter] : modes) {
        INFO(option);
        auto loaded =
            load_cf_text("V10/Berkeley\n" + std::string(option) + kParseEverythingLocally +
                         "Scheck_rcpt\nR$*\t$#error $@ 5.7.1 $: \"550 mode=\" $&{deliveryMode}\n");
        relay::Environment env;
        env.hostname = "mx.example.test";
        relay::Probe probe;
        probe.client.addr = "192.0.2.7";
        probe.rcpt = "<a@x>";
        const relay::Outcome outcome = relay::Simulator(loaded->config, env).run(probe);
        CHECK(outcome.reply.value_or("") == "550 5.7.1 <a@x>... mode=" + std::string(letter));
    }
}

namespace {

// Everything an outcome says, trace included, in one comparable text.
std::string whole_outcome(const relay::Outcome& o) {
    std::string text = std::string(relay::to_string(o.verdict)) + "|" + o.reply.value_or("-") +
                       "|" + o.deciding_ruleset + "|" +
                       (o.rule ? o.rule->ruleset + "#" + std::to_string(o.rule->index) + "@" +
                                     std::to_string(o.rule->where.span.begin)
                               : "-") +
                       "|" + o.rcpt_mailer + (o.rcpt_local ? " local" : "") + "|" +
                       (o.used_unavailable_map ? "unavailable" : "") + (o.loop ? " loop" : "");
    for (const std::string& map : o.unavailable_maps)
        text += "|map " + map;
    for (const std::string& note : o.notes)
        text += "\nnote " + note;
    for (const relay::Step& step : o.trace)
        text += "\n" + std::to_string(step.depth) + " " + step.ruleset + "(" +
                std::to_string(step.number) + ") " + step.input + " -> " + step.output + " " +
                step.message + (step.returned ? "" : " (not returned)");
    return text;
}

} // namespace

TEST_CASE("run_recipients: each recipient's outcome is that of a whole run of its own, and "
          "the same without its trace") {
    // Configurations where the session and MAIL stage decide differently: Debian's (check_relay
    // and check_mail read the client and sender), the parse failures of kParseCasesCf (a sender
    // refused before any recipient), and one that accepts everything.
    std::vector<std::string> texts = {kParseCasesCf, "V10/Berkeley\n" +
                                                         std::string(kParseEverythingLocally) +
                                                         "Scheck_rcpt\nR$*\t$# OK\n"};
    if (std::filesystem::exists("/etc/mail/sendmail.cf"))
        texts.push_back(read_text("/etc/mail/sendmail.cf"));
    const std::string host = "mx.example.test";
    std::vector<std::string> rcpts;
    for (const relay::ProbeAddress& address : relay::relay_probe_addresses(host))
        rcpts.push_back(address.rcpt);
    for (const char* extra : {"<a@recurse>", "<a@loop>", "<a@nomap>", "<a@refused>", "<>"})
        rcpts.emplace_back(extra);
    size_t compared = 0;
    for (const std::string& text : texts) {
        auto loaded = load_cf_text(text);
        relay::Environment env;
        env.hostname = host;
        const relay::Simulator simulator(loaded->config, env);
        for (const relay::ProbeClient& client : relay::outside_probe_clients())
            for (const char* sender :
                 {"<>", "<postmaster@mx.example.test>", "<a@mailcheck>", "<a@refused>"}) {
                relay::Probe probe;
                probe.client = client.client;
                probe.mail_from = sender;
                const std::vector<relay::Outcome> together = simulator.run_recipients(probe, rcpts);
                const std::vector<relay::Outcome> untraced =
                    simulator.run_recipients(probe, rcpts, relay::Simulator::Trace::skipped);
                REQUIRE(together.size() == rcpts.size());
                REQUIRE(untraced.size() == rcpts.size());
                for (size_t i = 0; i < rcpts.size(); ++i) {
                    probe.rcpt = rcpts[i];
                    CAPTURE(probe.rcpt);
                    CAPTURE(sender);
                    relay::Outcome alone = simulator.run(probe);
                    CHECK(whole_outcome(together[i]) == whole_outcome(alone));
                    // Without the trace, everything else is the same (SM-S065 runs its probes
                    // so and runs the one whose trace it reads again).
                    CHECK(untraced[i].trace.empty());
                    CHECK_FALSE(alone.trace.empty());
                    alone.trace.clear();
                    CHECK(whole_outcome(untraced[i]) == whole_outcome(alone));
                    ++compared;
                }
            }
    }
    MESSAGE("run_recipients compared with run() on " << compared << " probes");
    CHECK(compared >= 2 * 2 * 4 * 20);
}
