// A full relay probe run on one .cf (default: Debian's /etc/mail/sendmail.cf) through smaudit's
// relay simulator and through the real `sendmail -bt`, in the same run: the probes of the
// differential test (20 address forms x 4 clients x 3 senders), the verdicts compared, and the
// time of each side. The .cf is copied with its /etc/mail/ files taken from a directory of its
// own (maps empty), as the differential test does (tests/relay/sendmail_bt.hpp).
// Usage: relay_bench [CF] [RUNS]
#include "../../tests/relay/sendmail_bt.hpp"
#include "../../tests/support/read_text.hpp"
#include "../../tests/support/temp_dir.hpp"
#include "model/config.hpp"
#include "parse/cf_parser.hpp"
#include "relay/probe_forms.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace smaudit;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

std::string codes(const std::string& reply) { // "550 5.7.1 ..." -> "550 5.7.1"
    const size_t first = reply.find(' ');
    if (first == std::string::npos) return reply;
    const size_t second = reply.find(' ', first + 1);
    return reply.substr(0, second);
}

} // namespace

int main(int argc, char** argv) {
    const std::string source = argc > 1 ? argv[1] : "/etc/mail/sendmail.cf";
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
    const std::string host = "mx.example.test";
    TempDir dir("smaudit-relay-bench");
    const test::PreparedConfig prepared = test::prepare_foreign_cf(source, dir.path);
    if (!prepared.error.empty()) {
        std::fprintf(stderr, "%s\n", prepared.error.c_str());
        return 2;
    }
    std::vector<relay::Probe> probes;
    const std::vector<std::string> senders = {"<>", "<user@outside.example>",
                                              "<root@" + host + ">"};
    std::vector<std::string> rcpts;
    for (const auto& address : relay::relay_probe_addresses(host))
        rcpts.push_back(address.rcpt);
    for (const auto& client : relay::all_probe_clients())
        for (const std::string& rcpt : rcpts)
            for (const std::string& sender : senders) {
                relay::Probe p;
                p.client = client.client;
                p.mail_from = sender;
                p.rcpt = rcpt;
                probes.push_back(p);
            }
    // The same probes as SM-S065 runs its own: one session per client and sender, every
    // recipient after it, no trace. `sessions[c * senders + s]` holds client c's recipients
    // after sender s.
    std::vector<relay::Probe> sessions;
    for (const auto& client : relay::all_probe_clients())
        for (const std::string& sender : senders) {
            relay::Probe p;
            p.client = client.client;
            p.mail_from = sender;
            sessions.push_back(p);
        }

    const std::string text = read_whole_file(prepared.cf);
    relay::Environment env;
    env.hostname = host;
    env.hosts = {{"localhost", "localhost"}, {host, host}, {"mx", host}};
    env.interface_addrs = {"127.0.0.1"};

    std::vector<double> bt_ms, cold_ms, warm_ms, untraced_ms;
    std::vector<std::vector<relay::Outcome>> untraced(sessions.size());
    test::BtRun truth;
    std::vector<relay::Outcome> ours(probes.size());
    for (int r = 0; r < runs; ++r) {
        // sendmail: one process reads the .cf and answers every probe
        auto t0 = Clock::now();
        truth = test::run_sendmail_bt(prepared.cf, host, probes);
        bt_ms.push_back(ms_since(t0));

        // smaudit: read and parse the .cf, build the model, prepare the simulator, every probe
        t0 = Clock::now();
        SourceSet sources;
        const FileId file = sources.add(prepared.cf.string(), text, FileKind::Cf);
        std::vector<Diagnostic> diagnostics;
        const ast::CfFile cf = parse_cf(sources, file, diagnostics);
        const model::Config config = model::build_config(sources, cf, diagnostics);
        const relay::Simulator simulator(config, env);
        for (size_t i = 0; i < probes.size(); ++i)
            ours[i] = simulator.run(probes[i]);
        cold_ms.push_back(ms_since(t0));

        // warm: the prepared simulator again, probes only
        t0 = Clock::now();
        for (size_t i = 0; i < probes.size(); ++i)
            ours[i] = simulator.run(probes[i]);
        warm_ms.push_back(ms_since(t0));

        // untraced, sessions shared: as SM-S065 runs them
        t0 = Clock::now();
        for (size_t i = 0; i < sessions.size(); ++i)
            untraced[i] =
                simulator.run_recipients(sessions[i], rcpts, relay::Simulator::Trace::skipped);
        untraced_ms.push_back(ms_since(t0));
    }
    // Each untraced outcome says what the whole traced run of its probe says.
    size_t same = 0;
    for (size_t i = 0; i < probes.size(); ++i) {
        const size_t client = i / (rcpts.size() * senders.size());
        const size_t rcpt = i / senders.size() % rcpts.size();
        const size_t sender = i % senders.size();
        const relay::Outcome& u = untraced[client * senders.size() + sender][rcpt];
        if (u.verdict == ours[i].verdict && u.reply == ours[i].reply &&
            u.deciding_ruleset == ours[i].deciding_ruleset && u.notes == ours[i].notes)
            ++same;
    }
    if (!truth.error.empty() || truth.verdicts.size() != probes.size()) {
        std::fprintf(stderr, "sendmail -bt: %s\n", truth.error.c_str());
        return 2;
    }
    size_t agree = 0;
    for (size_t i = 0; i < probes.size(); ++i) {
        const auto& t = truth.verdicts[i];
        const std::string our_codes = ours[i].reply && ours[i].verdict != relay::Verdict::accepted
                                          ? codes(*ours[i].reply)
                                          : "";
        if (t.verdict == ours[i].verdict && codes(t.reply) == our_codes) ++agree;
    }
    std::printf("%s: %zu probes, verdicts agree on %zu; median of %d runs\n", source.c_str(),
                probes.size(), agree, runs);
    std::printf("sendmail -bt (one process, all probes):          %8.2f ms\n", median(bt_ms));
    std::printf("smaudit: parse + model + simulator + all probes: %8.2f ms\n", median(cold_ms));
    std::printf("smaudit: all probes on a prepared simulator:     %8.2f ms  (%.1f us a probe)\n",
                median(warm_ms), 1000 * median(warm_ms) / static_cast<double>(probes.size()));
    std::printf("smaudit: the same untraced, one session per client and sender (as SM-S065): "
                "%.2f ms  (%.1f us a probe; %zu of %zu outcomes as the traced runs')\n",
                median(untraced_ms),
                1000 * median(untraced_ms) / static_cast<double>(probes.size()), same,
                probes.size());
    return agree == probes.size() && same == probes.size() ? 0 : 1;
}
