// Issue 12's done-when: smaudit's relay simulator answers every probe as the real sendmail does.
// Every .mc variant of tests/relay/configs (expanded by the real m4, maps built by the real
// makemap) and every .cf of the shared corpus that sendmail loads, × the relay probe forms × four
// clients × three senders: the verdict (accepted / rejected / tempfail) and the reply code
// (SMTP code and enhanced code) of relay::Simulator::run must equal what `sendmail -bt` says the
// daemon would answer (tests/relay/sendmail_bt.hpp). Any disagreement fails; the first ones are
// printed with both sides.
#include "sendmail_bt.hpp"

#include "../support/read_text.hpp"
#include "../support/sendmail_command.hpp"
#include "../support/temp_dir.hpp"
#include "model/config.hpp"
#include "model/option_table.hpp"
#include "parse/cf_parser.hpp"
#include "relay/probe_forms.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>

namespace fs = std::filesystem;
using namespace smaudit;
using namespace smaudit::test;

namespace {

const std::string kHost = "mx.example.test";

struct ConfigUnderTest {
    std::string name; // "variant:promiscuous_relay", "corpus:kb5wck__IRLP__sendmail.cf"
    fs::path source;
    bool from_corpus = false;
};

std::vector<ConfigUnderTest> configs_under_test() {
    std::vector<ConfigUnderTest> configs;
    for (const auto& entry : fs::directory_iterator(SMAUDIT_SOURCE_DIR "/tests/relay/configs"))
        if (entry.path().extension() == ".mc")
            configs.push_back({"variant:" + entry.path().stem().string(), entry.path(), false});
    const fs::path corpus = SMAUDIT_SOURCE_DIR "/../shared/corpus/cf";
    if (fs::is_directory(corpus))
        for (const auto& entry : fs::directory_iterator(corpus))
            configs.push_back({"corpus:" + entry.path().filename().string(), entry.path(), true});
    std::sort(configs.begin(), configs.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return configs;
}

struct Case {
    std::string client, form, sender;
    relay::Probe probe;
};

std::vector<Case> cases_of(const std::string& hostname) {
    std::vector<Case> cases;
    const std::vector<std::string> senders = {"<>", "<user@outside.example>",
                                              "<root@" + hostname + ">"};
    for (const auto& client : relay::all_probe_clients())
        for (const auto& address : relay::relay_probe_addresses(hostname))
            for (const auto& sender : senders) {
                relay::Probe probe;
                probe.client = client.client;
                probe.mail_from = sender;
                probe.rcpt = address.rcpt;
                cases.push_back({client.name, address.form, sender, probe});
            }
    return cases;
}

std::map<std::string, std::string> hosts_table(const std::string& hostname) {
    // The same names bt_hosts_file gives sendmail's /etc/hosts: name -> canonical (first) name.
    const std::string short_name = hostname.substr(0, hostname.find('.'));
    return {{"localhost", "localhost"}, {hostname, hostname}, {short_name, hostname}};
}

// SMTP code and enhanced code of a reply ("550 5.7.1 text" -> "550 5.7.1").
std::string codes_of(const std::string& reply) {
    const size_t first = reply.find(' ');
    if (first == std::string::npos) return reply;
    const size_t second = reply.find(' ', first + 1);
    const std::string dsn = reply.substr(
        first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    const bool enhanced = !dsn.empty() && std::isdigit(static_cast<unsigned char>(dsn[0])) &&
                          dsn.find('.') != std::string::npos;
    return enhanced ? reply.substr(0, first) + " " + dsn : reply.substr(0, first);
}

struct Tally {
    size_t compared = 0, agreed = 0;
    std::vector<std::string> first_disagreements;
    std::map<std::string, size_t> disagreements_by_config, disagreements_by_form;
    std::vector<std::string> skipped; // corpus configurations sendmail does not load
};

void compare_config(const ConfigUnderTest& config, Tally& tally) {
    TempDir dir("smaudit-relay-diff");
    const PreparedConfig prepared = config.from_corpus
                                        ? prepare_foreign_cf(config.source, dir.path)
                                        : prepare_mc_variant(config.source, dir.path);
    if (!prepared.error.empty()) {
        if (config.from_corpus) {
            tally.skipped.push_back(config.name + ": " + prepared.error);
            return;
        }
        FAIL(config.name << ": " << prepared.error);
    }
    const std::vector<Case> cases = cases_of(kHost);
    std::vector<relay::Probe> probes;
    for (const Case& c : cases)
        probes.push_back(c.probe);
    const BtRun truth = run_sendmail_bt(prepared.cf, kHost, probes);
    if (!truth.error.empty() || truth.verdicts.size() != probes.size()) {
        if (config.from_corpus) {
            tally.skipped.push_back(config.name + ": sendmail -bt: " + truth.error.substr(0, 200));
            return;
        }
        FAIL(config.name << ": sendmail -bt: " << truth.error);
    }

    SourceSet sources;
    const FileId file =
        sources.add(prepared.cf.string(), read_whole_file(prepared.cf), FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    const ast::CfFile cf = parse_cf(sources, file, diagnostics);
    const model::Config model = model::build_config(sources, cf, diagnostics);
    relay::Environment env;
    env.hostname = kHost;
    env.hosts = hosts_table(kHost);
    env.interface_addrs = {"127.0.0.1"};
    const relay::Simulator simulator(model, env);

    for (size_t i = 0; i < cases.size(); ++i) {
        const BtVerdict& expected = truth.verdicts[i];
        const relay::Outcome got = simulator.run(cases[i].probe);
        ++tally.compared;
        const std::string expected_codes = expected.reply.empty() ? "" : codes_of(expected.reply);
        const std::string got_codes =
            got.reply && got.verdict != relay::Verdict::accepted ? codes_of(*got.reply) : "";
        // An accepted recipient: the mailer it goes to (SM-S065 counts no local delivery as
        // relaying) is sendmail's too.
        const bool same_mailer = got.verdict != relay::Verdict::accepted ||
                                 model::iequals(got.rcpt_mailer, expected.rcpt_mailer);
        if (got.verdict == expected.verdict && got_codes == expected_codes && same_mailer) {
            ++tally.agreed;
            continue;
        }
        ++tally.disagreements_by_config[config.name];
        ++tally.disagreements_by_form[cases[i].form];
        // SMAUDIT_RELAY_DIFF_ALL=1 prints every disagreement, not the first few
        static const size_t shown = std::getenv("SMAUDIT_RELAY_DIFF_ALL") ? SIZE_MAX : 12;
        if (tally.first_disagreements.size() < shown)
            tally.first_disagreements.push_back(
                config.name + " client=" + cases[i].client + " from=" + cases[i].sender +
                " rcpt=" + cases[i].probe.rcpt +
                "\n    sendmail: " + std::string(relay::to_string(expected.verdict)) + " " +
                expected.reply + " [" + expected.stage + ": " + expected.returned +
                "]\n    smaudit:  " + std::string(relay::to_string(got.verdict)) + " " +
                got.reply.value_or("") + " [" + got.deciding_ruleset + "]" +
                (same_mailer
                     ? ""
                     : " mailer " + got.rcpt_mailer + ", sendmail's " + expected.rcpt_mailer));
    }
}

} // namespace

TEST_CASE("relay simulator agrees with sendmail -bt on every config x probe x client" *
          doctest::timeout(600)) {
    if (!sendmail_available()) return;
    const std::vector<ConfigUnderTest> configs = configs_under_test();
    REQUIRE(configs.size() >= 40);
    Tally tally;
    for (const ConfigUnderTest& config : configs)
        compare_config(config, tally);

    const size_t loaded = configs.size() - tally.skipped.size();
    const size_t disagree = tally.compared - tally.agreed;
    std::cout << "relay differential: " << tally.compared << " cases compared on " << loaded
              << " configurations (" << tally.agreed << " agree, " << disagree << " disagree)\n";
    for (const std::string& skipped : tally.skipped)
        std::cout << "  not loaded by sendmail, skipped: " << skipped << "\n";
    if (disagree != 0) {
        std::cout << "disagreements by configuration:\n";
        for (const auto& [name, count] : tally.disagreements_by_config)
            std::cout << "  " << name << ": " << count << "\n";
        std::cout << "disagreements by address form:\n";
        for (const auto& [name, count] : tally.disagreements_by_form)
            std::cout << "  " << name << ": " << count << "\n";
        for (const std::string& d : tally.first_disagreements)
            std::cout << d << "\n";
    }
    CHECK(loaded >= 40);
    CHECK(disagree == 0);
}
