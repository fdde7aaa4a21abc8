// The sendmail -bt harness checked on its own: how it reads sendmail's answers, and that the real
// sendmail says what cf/README says of the configurations everyone knows (promiscuous_relay
// relays for anyone, the stock rulesets do not).
#include "sendmail_bt.hpp"

#include "../support/sendmail_command.hpp"
#include "../support/temp_dir.hpp"
#include "relay/probe_forms.hpp"
#include "relay_support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace smaudit;
using namespace smaudit::test;

namespace {

const std::string kHost = "mx.example.test";
const std::filesystem::path kConfigs = SMAUDIT_SOURCE_DIR "/tests/relay/configs";

relay::Probe probe_of(const relay::Client& client, std::string rcpt) {
    relay::Probe p;
    p.client = client;
    p.rcpt = std::move(rcpt);
    return p;
}

// The variant of tests/relay/configs expanded and run through sendmail -bt on `probes`.
BtRun truth_for(const std::string& variant, const std::vector<relay::Probe>& probes) {
    TempDir dir("smaudit-bt-" + variant);
    const PreparedConfig prepared = prepare_mc_variant(kConfigs / (variant + ".mc"), dir.path);
    REQUIRE(prepared.error == "");
    BtRun run = run_sendmail_bt(prepared.cf, kHost, probes);
    REQUIRE(run.error == "");
    REQUIRE(run.verdicts.size() == probes.size());
    return run;
}

} // namespace

TEST_CASE("sendmail's error results become the reply buildaddr makes") {
    BtVerdict v = verdict_of_result("$# error $@ 5 . 7 . 1 $: \"550 Relaying denied. IP name "
                                    "lookup failed \" [ 192 . 0 . 2 . 7 ]");
    CHECK(v.verdict == relay::Verdict::rejected);
    CHECK(v.code == "550");
    CHECK(v.dsn == "5.7.1");
    CHECK(v.reply == "550 5.7.1 Relaying denied. IP name lookup failed [192.0.2.7]");

    v = verdict_of_result("$# error $@ 4 . 7 . 1 $: \"451 Try again later\"");
    CHECK(v.verdict == relay::Verdict::tempfail);
    CHECK(v.reply == "451 4.7.1 Try again later");

    // An enhanced code in the text wins over $@; text without a code is 553 5.3.0.
    v = verdict_of_result("$# error $@ 5 . 7 . 1 $: \"550 5.7.0 Blocked\"");
    CHECK(v.dsn == "5.7.0");
    v = verdict_of_result("$# error $: no such user");
    CHECK(v.reply == "553 5.3.0 no such user");

    v = verdict_of_result("$# discard $: discard");
    CHECK(v.verdict == relay::Verdict::accepted);
    CHECK(v.discarded);
    CHECK(verdict_of_result("RELAY").verdict == relay::Verdict::accepted);
    CHECK(verdict_of_result("$# OK").verdict == relay::Verdict::accepted);

    v = verdict_of_error("5.1.3", "\"553 Invalid route address\"");
    CHECK(v.reply == "553 5.1.3 Invalid route address");
}

TEST_CASE("the real sendmail: promiscuous_relay relays for an outside client, the stock rules do "
          "not") {
    if (!sendmail_available()) return;
    const relay::Client outside = relay::outside_probe_clients().front().client;
    const relay::Client loopback = relay::all_probe_clients().back().client;
    const std::vector<relay::Probe> probes = {
        probe_of(outside, "<user@outside.example>"),
        probe_of(outside, "<user@outside.example@" + kHost + ">"),
        probe_of(outside, "<postmaster@" + kHost + ">"),
        probe_of(loopback, "<user@outside.example>"),
    };

    const BtRun open_run = truth_for("promiscuous_relay", probes);
    CHECK(open_run.verdicts[0].verdict == relay::Verdict::accepted);
    // parseaddr refuses user@a@b before any check (ruleset parse: "Invalid route address")
    CHECK(open_run.verdicts[1].verdict == relay::Verdict::rejected);
    CHECK(open_run.verdicts[1].stage == "parse_rcpt");
    CHECK(open_run.verdicts[1].code == "553");
    CHECK(open_run.verdicts[2].verdict == relay::Verdict::accepted);

    const BtRun closed_run = truth_for("minimal", probes);
    CHECK(closed_run.verdicts[0].verdict == relay::Verdict::rejected);
    CHECK(closed_run.verdicts[0].stage == "check_rcpt");
    CHECK(closed_run.verdicts[0].code == "550");
    CHECK(closed_run.verdicts[0].dsn == "5.7.1");
    CHECK(closed_run.verdicts[2].verdict == relay::Verdict::accepted);
    CHECK(closed_run.verdicts[3].verdict == relay::Verdict::accepted); // loopback relays

    // Debian's own stock configuration (its access map replaced by an empty one)
    TempDir debian_dir("smaudit-bt-debian");
    const PreparedConfig debian = prepare_foreign_cf("/etc/mail/sendmail.cf", debian_dir.path);
    if (debian.error.empty() && std::filesystem::exists("/etc/mail/sendmail.cf")) {
        const BtRun debian_run = run_sendmail_bt(debian.cf, kHost, probes);
        REQUIRE(debian_run.error == "");
        CHECK(debian_run.verdicts[0].verdict == relay::Verdict::rejected);
        CHECK(debian_run.verdicts[0].code == "550");
    }
}

TEST_CASE("the real sendmail: access entries decide per client") {
    if (!sendmail_available()) return;
    const auto clients = relay::all_probe_clients();
    std::vector<relay::Probe> probes;
    for (const auto& c : clients)
        probes.push_back(probe_of(c.client, "<user@outside.example>"));

    const BtRun run = truth_for("access_connect_net_relay", probes);
    CHECK(run.verdicts[0].verdict == relay::Verdict::accepted); // Connect:192.0.2 RELAY
    CHECK(run.verdicts[1].verdict == relay::Verdict::rejected); // 198.51.100.7
    CHECK(run.verdicts[2].verdict == relay::Verdict::accepted); // Connect:10.1 RELAY
    CHECK(run.verdicts[3].verdict == relay::Verdict::accepted); // Connect:127.0.0.1 RELAY

    const BtRun trun = truth_for("access_tempfail", probes);
    INFO(trun.verdicts[0].stage, " ", trun.verdicts[0].returned);
    CHECK(trun.verdicts[0].verdict == relay::Verdict::tempfail);
    CHECK(trun.verdicts[0].code == "451");
}

// The codes `sendmail -bs` answered for each command on kParseCasesCf (session_test.cpp has the
// replies): the harness finds the same refusals, at the same stage, in -bt's /parse output.
TEST_CASE("the real sendmail: the harness refuses in the parse of the sender and the recipient") {
    if (!sendmail_available()) return;
    TempDir dir("smaudit-bt-parse");
    const std::filesystem::path cf = dir.path / "parse.cf";
    std::ofstream(cf) << kParseCasesCf;
    struct Case {
        const char* from;
        const char* rcpt;
        const char* code;
        const char* dsn;
        const char* stage;
    };
    const Case cases[] = {
        {"<a@mailcheck>", "<a@ok>", "550", "5.7.1", "check_mail"},
        {"<a@unknown>", "<a@ok>", "554", "5.3.5", "parse_mail"},
        {"<a@refused>", "<a@ok>", "553", "5.1.3", "parse_mail"},
        {"<a@x", "<a@ok>", "553", "5.0.0", "parse_mail"},
        {"<a@ok>", "<a@ok>", "550", "5.7.1", "check_rcpt"},
        {"<a@ok>", "<a@nomailer>", "554", "5.3.5", "parse_rcpt"},
        {"<a@ok>", "<a@unknown>", "554", "5.3.5", "parse_rcpt"},
        {"<a@ok>", "<a@disc>", "554", "5.3.5", "parse_rcpt"},
        {"<a@ok>", "<a@nohost>", "554", "5.3.5", "parse_rcpt"},
        {"<a@ok>", "<a@nouser>", "554", "5.3.5", "parse_rcpt"},
        {"<a@ok>", "<a@tempf>", "451", "4.1.1", "parse_rcpt"},
        {"<a@ok>", "<a@refused>", "553", "5.1.3", "parse_rcpt"},
        {"<a@ok>", "<a@x", "553", "5.0.0", "parse_rcpt"},
        {"<a@ok>", "<\"a@x>", "553", "5.0.0", "parse_rcpt"},
        {"<a@ok>", "<local>", "550", "5.7.1", "check_rcpt"},
        {"<a@loop>", "<a@ok>", "554", "5.3.5", "check_mail"},
        {"<a@recurse>", "<a@ok>", "554", "5.0.0", "parse_mail"},
        {"<a@ok>", "<a@loop>", "554", "5.3.5", "check_rcpt"},
        {"<a@ok>", "<a@nomap>", "554", "5.3.0", "check_rcpt"},
        {"<a@ok>", "<a@recurse>", "554", "5.0.0", "parse_rcpt"},
        {"<a@ok>", "<a@maploop>", "554", "5.3.0", "parse_rcpt"},
    };
    std::vector<relay::Probe> probes;
    for (const Case& c : cases) {
        relay::Probe p = probe_of(relay::outside_probe_clients().front().client, c.rcpt);
        p.mail_from = c.from;
        probes.push_back(p);
    }
    const BtRun run = run_sendmail_bt(cf, kHost, probes);
    REQUIRE(run.error == "");
    REQUIRE(run.verdicts.size() == probes.size());
    for (size_t i = 0; i < probes.size(); ++i) {
        const std::string what = std::string(cases[i].from) + " " + cases[i].rcpt;
        INFO(what, ": ", run.verdicts[i].reply);
        CHECK(run.verdicts[i].code == cases[i].code);
        CHECK(run.verdicts[i].dsn == cases[i].dsn);
        CHECK(run.verdicts[i].stage == cases[i].stage);
    }
}
