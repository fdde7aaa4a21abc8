// The process, connection and load rules (SM-P001..P006, SM-P030): exact messages with the host
// figures they name, the missing limits reported once (SM-P002/P003/P004), the figures given
// on the command line against the catalog's assumption, and roles. The .mc and the .cf real m4
// makes of it give the same findings on the corpus: mc_cf_agreement_test.cpp, for both packs.
#include "apply_all_fixes.hpp"
#include "rule_test_support.hpp"
#include "rules/performance/process_limits.hpp"

#include "../support/temp_dir.hpp"

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

// Runs rules on .cf text with the host figures the command line would give.
test::RuleRun run_on_host(const std::vector<std::string_view>& rule_ids, std::string text,
                          const analyze::GivenFigures& given, std::string path = "test.cf") {
    test::RuleRun run;
    run.file = run.sources.add(std::move(path), std::move(text), FileKind::Cf);
    ast::CfFile cf = parse_cf(run.sources, run.file, run.parse_diagnostics);
    model::Config config = model::build_config(run.sources, cf, run.parse_diagnostics);
    std::vector<const Rule*> rules;
    for (std::string_view id : rule_ids) {
        rules.push_back(find_rule(id));
        REQUIRE(rules.back() != nullptr);
    }
    const analyze::HostFigures host = analyze::resolve_host_figures(given, nullptr, "");
    RuleContext context{run.sources, config};
    context.host = &host;
    run_rules(rules, context, run.findings);
    return run;
}

std::vector<std::string> ids(const test::RuleRun& run) {
    std::vector<std::string> out;
    for (const Diagnostic& d : run.findings)
        out.push_back(d.rule_id);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("missing process limits make one finding, from SM-P002, SM-P003 or SM-P004") {
    struct Case {
        const char* lines;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        // Background delivery (the default) without either limit: SM-P002 alone.
        {"", {"SM-P002"}},
        {"O MaxDaemonChildren=0\nO ConnectionRateThrottle=0\n", {"SM-P002"}},
        // Queue-only or interactive: no delivery processes forked, SM-P003 names the throttle.
        {"O DeliveryMode=queue\n", {"SM-P003"}},
        {"O DeliveryMode=interactive\n", {"SM-P003"}},
        // One limit missing: the rule of that limit.
        {"O ConnectionRateThrottle=10\n", {"SM-P003"}},
        {"O MaxDaemonChildren=100\n", {"SM-P004"}},
        {"O DaemonPortOptions=Name=MTA, c=50\n", {"SM-P004"}},
        {"O MaxDaemonChildren=100\nO ConnectionRateThrottle=10\n", {}},
        // One socket of background delivery among queue-only ones forks delivery processes.
        {"O DeliveryMode=queue\nO DaemonPortOptions=Name=MTA, D=b\n", {"SM-P002"}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.lines);
        auto run = run_on_host({"SM-P002", "SM-P003", "SM-P004"},
                               std::string("V10/Berkeley\n") + c.lines, {});
        CHECK(ids(run) == c.expected);
    }
}

TEST_CASE("SM-P002: at MaxDaemonChildren, naming the others, with the memory and CPU figures") {
    auto run = run_on_host({"SM-P002"},
                           "V10/Berkeley\nO ConnectionRateThrottle=0\nO MaxDaemonChildren=0\n",
                           {16, 64 * kGiB, std::nullopt});
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 3);
    CHECK(d.severity == Severity::Medium);
    CHECK(d.message ==
          "MaxDaemonChildren is 0 (no limit) and ConnectionRateThrottle is off: in background "
          "delivery mode every connection forks a daemon child and every message it accepts one "
          "more delivery process, and nothing caps or slows either until the load average "
          "reaches RefuseLA's 192, sendmail's default for 16 CPUs (--cpus 16); each daemon child "
          "can use about 8 MiB, so 4096 of them take about 32 GiB of the 64 GiB of memory "
          "(--memory 64 GiB)");
    REQUIRE(d.notes.size() == 1);
    CHECK(run.line(d.notes[0].where) == 2);
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(d.fix->title == "set MaxDaemonChildren to 4096 and ConnectionRateThrottle to 10");
    CHECK(run.apply(*d.fix) ==
          "V10/Berkeley\nO ConnectionRateThrottle=10\nO MaxDaemonChildren=4096\n");
    // RefuseLA written: its value; at 0, nothing at all.
    CHECK(run_on_host({"SM-P002"}, "V10/Berkeley\nO RefuseLA=30\n", {})
              .only()
              .message.find("until the load average reaches RefuseLA's 30;") != std::string::npos);
    CHECK(run_on_host({"SM-P002"}, "V10/Berkeley\nO RefuseLA=0\n", {})
              .only()
              .message.find("nothing caps or slows either at any load: RefuseLA is 0, off;") !=
          std::string::npos);
    // A number behind stray quotes is what the line meant: the fix keeps it.
    auto quoted = run_on_host({"SM-P002"}, "V10/Berkeley\nO MaxDaemonChildren='50'\n", {});
    CHECK(quoted.only().message.starts_with("MaxDaemonChildren `'50'` reads as 0 (no limit) and "));
    REQUIRE(quoted.only().fix);
    CHECK(quoted.apply(*quoted.only().fix) ==
          "V10/Berkeley\nO MaxDaemonChildren=50\nO ConnectionRateThrottle=10\n");
    // Two new lines at one place come as one edit, in order.
    auto missing = run_on_host({"SM-P002"}, "V10/Berkeley\nO LogLevel=9\n", {});
    REQUIRE(missing.only().fix);
    REQUIRE(missing.only().fix->edits.size() == 1);
    CHECK(missing.apply(*missing.only().fix) ==
          "V10/Berkeley\nO LogLevel=9\nO MaxDaemonChildren=256\nO ConnectionRateThrottle=10\n");
}

TEST_CASE("SM-P003: sized to the host's memory; too low and too high for it") {
    const std::string rate = "V10/Berkeley\nO ConnectionRateThrottle=15\n";
    auto unset = run_on_host({"SM-P003"}, rate, {std::nullopt, 16 * kGiB, std::nullopt});
    CHECK(unset.only().message ==
          "MaxDaemonChildren not set: sendmail's default 0 (no limit) applies, so every "
          "connection gets its own process and a connection flood can exhaust memory and process "
          "slots: each daemon child can use about 8 MiB, so 1024 of them take about 8 GiB of the "
          "16 GiB of memory (--memory 16 GiB); ConnectionRateThrottle 15 only spreads new "
          "connections out (15 a second on each daemon socket), it does not cap how many stay "
          "open");
    REQUIRE(unset.only().fix);
    CHECK(unset.apply(*unset.only().fix) == rate + "O MaxDaemonChildren=1024\n");
    // The fewest it recommends is 20, whatever the memory.
    auto tiny = run_on_host({"SM-P003"}, rate, {std::nullopt, 64 << 20, std::nullopt});
    CHECK(tiny.apply(*tiny.only().fix) == rate + "O MaxDaemonChildren=20\n");

    auto low =
        run_on_host({"SM-P003"}, rate + "O Timeout.command=5m\nO MaxDaemonChildren=10\n", {});
    CHECK(low.only().severity == Severity::Low);
    CHECK(low.only().message ==
          "MaxDaemonChildren 10 is below 20: an attacker who opens 10 connections and leaves "
          "them idle locks every other client out, and sendmail waits up to Timeout.command "
          "(5 minutes) for each next command");
    // The timeout as sendmail reads it: a bare number is minutes; no line, its default.
    CHECK(run_on_host({"SM-P003"}, rate + "O Timeout.command=90\nO MaxDaemonChildren=10\n", {})
              .only()
              .message.ends_with("Timeout.command (1 hour 30 minutes) for each next command"));
    CHECK(run_on_host({"SM-P003"}, rate + "O MaxDaemonChildren=10\n", {})
              .only()
              .message.ends_with("Timeout.command (1 hour, sendmail's default) for each next "
                                 "command"));
    CHECK(run_on_host({"SM-P003"}, rate + "O MaxDaemonChildren=20\n", {}).findings.empty());

    // 3000 children at 8 MiB are 23.4 GiB: too many for 16 GiB, fine for 64 GiB.
    const std::string many = rate + "O MaxDaemonChildren=3000\n";
    auto high = run_on_host({"SM-P003"}, many, {std::nullopt, 16 * kGiB, std::nullopt});
    CHECK(high.only().severity == Severity::Low);
    CHECK(high.only().message ==
          "MaxDaemonChildren 3000: each of up to 3000 daemon children can use about 8 MiB, "
          "23.4 GiB in all, more than the 16 GiB of memory (--memory 16 GiB): a connection flood "
          "exhausts memory before the limit stops it");
    REQUIRE(high.only().fix);
    CHECK(high.only().fix->title ==
          "set MaxDaemonChildren to 1024 (half of the memory, at about 8 MiB a child)");
    CHECK(run_on_host({"SM-P003"}, many, {std::nullopt, 64 * kGiB, std::nullopt}).findings.empty());
    // With every socket capped by its own c=, MaxDaemonChildren applies to none.
    CHECK(run_on_host({"SM-P003"},
                      rate + "O MaxDaemonChildren=3\nO DaemonPortOptions=Name=MTA, c=100\n", {})
              .findings.empty());
}

TEST_CASE("SM-P004: the burst it lets through is the children limit") {
    auto run = run_on_host({"SM-P004"}, "V10/Berkeley\nO MaxDaemonChildren=120\n", {});
    CHECK(run.only().message ==
          "ConnectionRateThrottle not set: sendmail's default 0 (no limit) applies, so a burst "
          "of up to 120 new connections (MaxDaemonChildren) is accepted all at once instead of "
          "being spread out, before the load-average limits can react");
    auto sockets = run_on_host({"SM-P004"},
                               "V10/Berkeley\nO DaemonPortOptions=Name=MTA, c=40\n"
                               "O DaemonPortOptions=Port=587, Name=MSA, c=10\n",
                               {});
    CHECK(sockets.only().message.find("up to 40 new connections (a DaemonPortOptions c= limit)") !=
          std::string::npos);
}

TEST_CASE("SM-P001: the option, a socket's D=i, and how many slow deliveries lock clients out") {
    auto run = run_on_host({"SM-P001"},
                           "V10/Berkeley\nO MaxDaemonChildren=50\nO DeliveryMode=i\n"
                           "O DaemonPortOptions=Name=MTA\n"
                           "O DaemonPortOptions=Name=MSA, Port=587, D=interactive\n",
                           {});
    REQUIRE(run.findings.size() == 2);
    CHECK(run.line(run.findings[0]) == 3);
    CHECK(run.findings[0].message ==
          "DeliveryMode is `i`: each SMTP client waits, connected, while sendmail delivers its "
          "message to the next hop (aliases and .forward files are expanded during RCPT too), so "
          "every session and its daemon child is held for the whole delivery, and 50 slow "
          "deliveries (the daemon's children limit) lock every other client out");
    REQUIRE(run.findings[0].fix);
    CHECK(run.apply(*run.findings[0].fix).find("O DeliveryMode=background\n") != std::string::npos);
    CHECK(run.line(run.findings[1]) == 5);
    CHECK(run.findings[1].message.starts_with(
        "DaemonPortOptions MSA has D=interactive (interactive delivery): "));
    CHECK_FALSE(run.findings[1].fix);
    // A socket's own D= replaces the option: with every socket's D=b, no child uses it.
    CHECK(run_on_host({"SM-P001"},
                      "V10/Berkeley\nO DeliveryMode=i\nO DaemonPortOptions=Name=MTA, D=b\n", {})
              .findings.empty());
    // Queue and background modes are fine.
    CHECK(run_on_host({"SM-P001"}, "V10/Berkeley\nO DeliveryMode=q\n", {}).findings.empty());
}

TEST_CASE("SM-P006: judged against the CPUs given, the machine's or the assumption") {
    const std::string refuse12 = "V10/Berkeley\nO RefuseLA=12\n";
    // 12 is 3 per CPU on the 4 CPUs assumed, 0.7 on 16.
    CHECK(run_on_host({"SM-P006"}, refuse12, {}).findings.empty());
    auto many = run_on_host({"SM-P006"}, refuse12, {16, std::nullopt, std::nullopt});
    CHECK(many.only().message ==
          "RefuseLA 12 is only 0.7 per CPU on 16 CPUs (--cpus 16): sendmail refuses every SMTP "
          "connection at a load those CPUs still handle, while its own default scales with them "
          "(12 per CPU, 192 here)");
    CHECK(many.only().severity == Severity::Low);
    // Too high for 2 CPUs (above 50 per CPU), fine for 4.
    const std::string queue150 = "V10/Berkeley\nO QueueLA=150\n";
    CHECK(run_on_host({"SM-P006"}, queue150, {}).findings.empty());
    CHECK(run_on_host({"SM-P006"}, queue150, {2, std::nullopt, std::nullopt})
              .only()
              .message.starts_with("QueueLA 150 is 75 per CPU on 2 CPUs (--cpus 2), more than 50 "
                                   "per CPU"));
    // Two problems of one setting make one finding there.
    auto both = run_on_host(
        {"SM-P006"}, "V10/Berkeley\nO DeliveryMode=queue\nO QueueLA=10\nO RefuseLA=300\n", {});
    CHECK(both.only().message.starts_with("RefuseLA 300 is 75 per CPU on 4 CPUs"));
    CHECK(both.only().message.find("; and it is above QueueLA 10 while every message waits for "
                                   "a queue runner (DeliveryMode queue)") != std::string::npos);
    // DelayLA equal to RefuseLA: at DelayLA, naming RefuseLA's default.
    auto delay = run_on_host({"SM-P006"}, "V10/Berkeley\nO DelayLA=48\n", {});
    CHECK(delay.only().message ==
          "DelayLA 48 is not below sendmail's default RefuseLA, 48 for 4 CPUs (assumed for a "
          "general-purpose MX; give --cpus): from load 48 on sendmail refuses new connections, "
          "so it never delays one; DelayLA then only slows the commands of sessions already "
          "open");
    // Equal QueueLA and RefuseLA are not reported (the catalog's info finding): sendmail
    // refuses before it would queue, as TUNING advises for busy hosts.
    CHECK(run_on_host({"SM-P006"},
                      "V10/Berkeley\nO DeliveryMode=queue\nO QueueLA=40\nO RefuseLA=40\n", {})
              .findings.empty());
}

TEST_CASE("SM-P030: judged against the queue file system given or assumed") {
    // 100 blocks of 4 KiB on 100 GiB: below 0.1%; the fix is 1% to two digits.
    auto run = run_on_host({"SM-P030"}, "V10/Berkeley\nO MinFreeBlocks=100\n",
                           {std::nullopt, std::nullopt, 100 * kGiB});
    CHECK(run.only().severity == Severity::Low);
    CHECK(run.only().message ==
          "MinFreeBlocks 100 keeps only 400 KiB free at 4 KiB blocks (assumed: ext4 and xfs make "
          "them), less than 0.1% of a 100 GiB queue file system (--queue-fs-size 100 GiB): "
          "sendmail takes mail until the file system is all but full");
    REQUIRE(run.only().fix);
    CHECK(run.only().fix->title ==
          "set MinFreeBlocks to 260000 (1016 MiB, about 1% of the queue file system)");
    CHECK(run.apply(*run.only().fix) == "V10/Berkeley\nO MinFreeBlocks=260000\n");
    // 50000 blocks (195 MiB): fine on 20 GiB, too much of a 1 GiB file system.
    const std::string reserve = "V10/Berkeley\nO MinFreeBlocks=50000\n";
    CHECK(run_on_host({"SM-P030"}, reserve, {}).findings.empty());
    auto small = run_on_host({"SM-P030"}, reserve, {std::nullopt, std::nullopt, kGiB});
    CHECK(small.only().message.starts_with("MinFreeBlocks 50000 keeps 195 MiB free at 4 KiB "
                                           "blocks (assumed: ext4 and xfs make them), 19% of a "
                                           "1 GiB queue file system"));
    // 0 and unset are medium: no reserve at all.
    auto zero = run_on_host({"SM-P030"}, "V10/Berkeley\nO MinFreeBlocks=0\n", {});
    CHECK(zero.only().severity == Severity::Medium);
    CHECK(zero.only().message ==
          "MinFreeBlocks 0: sendmail keeps no free space in reserve: it takes mail until a 20 GiB "
          "queue file system (assumed for a general-purpose MX; give --queue-fs-size) is full "
          "(only a message that announces its SIZE is checked, against its own size)");
    // sendmail reads `b10/1000000` as 10 blocks (and a message size).
    CHECK(run_on_host({"SM-P030"}, "V10/Berkeley\nOb10/1000000\n", {})
              .only()
              .message.starts_with("MinFreeBlocks `10/1000000` reads as 10 keeps only 40 KiB"));
}

TEST_CASE("SM-P005: the MX without per-client limits, in numbers") {
    auto none = run_on_host({"SM-P005"}, "V10/Berkeley\nO MaxDaemonChildren=80\n", {});
    CHECK(none.only().severity == Severity::Low);
    CHECK(none.only().message ==
          "neither FEATURE(`ratecontrol') nor FEATURE(`conncontrol'): sendmail limits neither "
          "how fast nor how many connections one client opens, so a single client can take all "
          "80 daemon children, locking every other client out");
    CHECK(run_on_host({"SM-P005"}, "V10/Berkeley\n", {})
              .only()
              .message.ends_with("so a single client can take as many daemon children as it "
                                 "opens connections"));
}

TEST_CASE("roles: no daemon limits for the submission program, no per-client limits on a "
          "client-only host") {
    const std::string msp = "V10/Berkeley\n"
                            "#####  $Id: msp.m4,v 1.34 2013-11-22 20:51:11 ca Exp $  #####\n"
                            "O DeliveryMode=i\nO MinFreeBlocks=0\nO RefuseLA=0\n";
    CHECK(run_on_host({"SM-P001", "SM-P002", "SM-P003", "SM-P004", "SM-P005", "SM-P006", "SM-P030"},
                      msp, {})
              .findings.empty());
    const std::string loopback = "V10/Berkeley\nO DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n"
                                 "O RefuseLA=0\nO MinFreeBlocks=0\nO DeliveryMode=i\n";
    auto local = run_on_host({"SM-P001", "SM-P002", "SM-P005", "SM-P006", "SM-P030"}, loopback, {});
    // Interactive delivery, the unbounded processes and the free space still matter (low);
    // per-client and load limits throttle local programs only.
    CHECK(ids(local) == std::vector<std::string>{"SM-P001", "SM-P030"});
    for (const Diagnostic& d : local.findings)
        CHECK(d.severity == Severity::Low);
}
