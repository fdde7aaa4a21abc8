// The state after cf.m4 (FrozenCache): an expansion resumed from a snapshot must be the cold
// expansion, byte for byte and origin for origin. Every .mc at hand (the repo's fixtures and
// tests, the corpus, /etc/mail, sendmail's own cf/cf) is expanded cold and warm, and everything
// the engine hands out is compared: the text, every output byte's origin and cause, diagnostics,
// errprints, calls, definitions, statements, included files, the work done, and the files the
// run added to its SourceSet. Plus: a changed tree file or an .mc that changes what cf.m4 reads
// is not resumed, and one cache serves threads.
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

namespace fs = std::filesystem;
using smaudit::SourceSet;
using smaudit::m4::Expansion;
using smaudit::m4::FrozenCache;

namespace {

const std::string kCfDir = "/usr/share/sendmail/cf";

std::vector<std::string> mc_files() {
    std::vector<std::string> files;
    std::error_code ec;
    for (const char* dir : {SMAUDIT_SOURCE_DIR "/fixtures", SMAUDIT_SOURCE_DIR "/tests"})
        for (auto it = fs::recursive_directory_iterator(dir, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file() && it->path().extension() == ".mc")
                files.push_back(it->path().string());
    for (const std::string& dir : {std::string("/etc/mail"), kCfDir + "/cf"})
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.is_regular_file() && entry.path().extension() == ".mc")
                files.push_back(entry.path().string());
    // The corpus keeps .mc files under their repositories' names, not all ending in .mc.
    for (const auto& entry : fs::directory_iterator(SMAUDIT_SOURCE_DIR "/../shared/corpus/mc", ec))
        if (entry.is_regular_file()) files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

struct Run {
    SourceSet sources;
    Expansion expansion;
};

// `mc` as smaudit expands it (the options the agreement test uses), into a fresh SourceSet.
Run expand(const std::string& path, const std::string& text, FrozenCache* cache,
           const std::string& cf_dir = kCfDir, size_t max_expansions = 5'000'000) {
    Run run;
    const auto id = run.sources.add(path, text, smaudit::FileKind::Mc);
    smaudit::m4::ExpandOptions options;
    options.max_expansions = max_expansions;
    options.cf_dir = cf_dir;
    options.include_dirs = {"/etc/mail"};
    options.frozen = cache;
    run.expansion = smaudit::m4::expand_mc(run.sources, id, options);
    return run;
}

std::string show(smaudit::Location where) {
    return std::to_string(where.file) + ":" + std::to_string(where.span.begin) + "-" +
           std::to_string(where.span.end);
}

// The first difference between two runs, or empty. FileIds are compared as they are: a resumed
// run must add the same files in the same order.
std::string difference(const Run& cold, const Run& warm) {
    const Expansion& a = cold.expansion;
    const Expansion& b = warm.expansion;
    if (a.text != b.text) return "output text";
    if (a.origins.size() != b.origins.size()) return "number of origin segments";
    for (size_t i = 0; i < a.origins.size(); ++i) {
        const auto& x = a.origins[i];
        const auto& y = b.origins[i];
        if (x.out_begin != y.out_begin || x.origin != y.origin || x.linear != y.linear ||
            x.cause != y.cause)
            return "origin of output byte " + std::to_string(x.out_begin) + ": " + show(x.origin) +
                   " vs " + show(y.origin);
    }
    if (a.diagnostics.size() != b.diagnostics.size()) return "number of diagnostics";
    for (size_t i = 0; i < a.diagnostics.size(); ++i) {
        const auto& x = a.diagnostics[i];
        const auto& y = b.diagnostics[i];
        bool same = x.rule_id == y.rule_id && x.rule_name == y.rule_name &&
                    x.severity == y.severity && x.message == y.message && x.where == y.where &&
                    x.label == y.label && x.notes.size() == y.notes.size() &&
                    x.fix.has_value() == y.fix.has_value() && x.config_file == y.config_file &&
                    x.about_default == y.about_default;
        for (size_t k = 0; same && k < x.notes.size(); ++k)
            same = x.notes[k].where == y.notes[k].where && x.notes[k].text == y.notes[k].text;
        if (!same) return "diagnostic " + std::to_string(i) + ": " + x.message;
    }
    if (a.errprints.size() != b.errprints.size()) return "number of errprints";
    for (size_t i = 0; i < a.errprints.size(); ++i)
        if (a.errprints[i].text != b.errprints[i].text ||
            a.errprints[i].where != b.errprints[i].where ||
            a.errprints[i].errprint != b.errprints[i].errprint)
            return "errprint " + a.errprints[i].text;
    if (a.calls.size() != b.calls.size()) return "number of calls";
    for (size_t i = 0; i < a.calls.size(); ++i)
        if (a.calls[i].name != b.calls[i].name || a.calls[i].args != b.calls[i].args ||
            a.calls[i].arg_locations != b.calls[i].arg_locations ||
            a.calls[i].where != b.calls[i].where)
            return "call " + a.calls[i].name;
    if (a.definitions.size() != b.definitions.size()) return "number of definitions";
    for (size_t i = 0; i < a.definitions.size(); ++i)
        if (a.definitions[i].name != b.definitions[i].name ||
            a.definitions[i].where != b.definitions[i].where ||
            a.definitions[i].in_effect != b.definitions[i].in_effect)
            return "definition of " + a.definitions[i].name;
    if (a.statements.size() != b.statements.size()) return "number of statements";
    for (size_t i = 0; i < a.statements.size(); ++i)
        if (a.statements[i].span != b.statements[i].span ||
            a.statements[i].parent != b.statements[i].parent)
            return "statement " + std::to_string(i);
    if (a.unsafe_builtin_calls != b.unsafe_builtin_calls) return "unsafe builtin calls";
    if (a.included_by.size() != b.included_by.size()) return "number of included files";
    for (size_t i = 0; i < a.included_by.size(); ++i)
        if (a.included_by[i].file != b.included_by[i].file ||
            a.included_by[i].by_call != b.included_by[i].by_call)
            return "included file " + std::to_string(i);
    if (a.cf_dir != b.cf_dir || a.complete != b.complete) return "cf_dir or complete";
    if (a.work.macro_calls != b.work.macro_calls || a.work.output_bytes != b.work.output_bytes)
        return "work counted";
    if (cold.sources.size() != warm.sources.size()) return "number of source files";
    for (smaudit::FileId f = 0; f < cold.sources.size(); ++f)
        if (cold.sources.get(f).path() != warm.sources.get(f).path() ||
            cold.sources.get(f).text() != warm.sources.get(f).text())
            return "source file " + cold.sources.get(f).path();
    return {};
}

} // namespace

TEST_CASE("an expansion resumed after cf.m4 is the cold expansion, on every .mc at hand") {
    if (!fs::exists(kCfDir + "/m4/cf.m4")) {
        MESSAGE("no sendmail cf tree: frozen-state test skipped");
        return;
    }
    FrozenCache cache;
    size_t compared = 0, resumed_first = 0, resumed_second = 0, cold_only = 0;
    for (const std::string& path : mc_files()) {
        const std::string text = m4test::read_text(path);
        const Run cold = expand(path, text, nullptr);
        REQUIRE_FALSE(cold.expansion.resumed_from_frozen);
        // Warm: from the snapshot another .mc left, else this run leaves one and the next
        // resumes from it.
        Run warm = expand(path, text, &cache);
        ++compared;
        CHECK_MESSAGE(difference(cold, warm).empty(), path << ": " << difference(cold, warm));
        if (warm.expansion.resumed_from_frozen) {
            ++resumed_first;
            continue;
        }
        warm = expand(path, text, &cache);
        CHECK_MESSAGE(difference(cold, warm).empty(), path << ": " << difference(cold, warm));
        if (warm.expansion.resumed_from_frozen)
            ++resumed_second;
        else
            ++cold_only;
    }
    const auto stats = cache.stats();
    std::cout << "frozen cf.m4: " << compared << " .mc compared cold vs warm (output, origins, "
              << "diagnostics, errprints, calls, sources): " << resumed_first
              << " resumed from another .mc's snapshot, " << resumed_second << " from their own, "
              << cold_only << " not resumable (no top-level cf.m4 "
              << "include, or it changes what cf.m4 reads); " << stats.recorded << " snapshots, "
              << stats.stale << " candidates refused\n";
    const bool corpus = fs::is_directory(SMAUDIT_SOURCE_DIR "/../shared/corpus/mc");
    CHECK(compared > (corpus ? 300u : 250u));
    // Most .mc files include cf.m4 first thing: nearly all share one snapshot per directory.
    CHECK(resumed_first + resumed_second > compared / 2);
}

TEST_CASE("Debian's submit.mc resumes from the snapshot sendmail.mc left") {
    if (!fs::exists("/etc/mail/sendmail.mc") || !fs::exists("/etc/mail/submit.mc") ||
        !fs::exists(kCfDir + "/m4/cf.m4"))
        return;
    FrozenCache cache;
    const std::string sendmail = m4test::read_text("/etc/mail/sendmail.mc");
    const std::string submit = m4test::read_text("/etc/mail/submit.mc");
    const Run first = expand("/etc/mail/sendmail.mc", sendmail, &cache);
    CHECK_FALSE(first.expansion.resumed_from_frozen);
    CHECK(cache.stats().recorded == 1);
    // Its define(`_USE_ETC_MAIL_') before the include is a name cf.m4 never reads.
    const Run warm = expand("/etc/mail/submit.mc", submit, &cache);
    CHECK(warm.expansion.resumed_from_frozen);
    CHECK(difference(expand("/etc/mail/submit.mc", submit, nullptr), warm).empty());
    CHECK(cache.stats().resumed == 1);
}

TEST_CASE("an .mc that changes what cf.m4 reads before including it is expanded cold") {
    if (!fs::exists(kCfDir + "/m4/cf.m4")) return;
    FrozenCache cache;
    const std::string dir = m4test::temp_dir() + "/frozen-pre";
    fs::create_directories(dir);
    const std::string plain = "include(`" + kCfDir + "/m4/cf.m4')\nOSTYPE(`linux')\n";
    expand(dir + "/plain.mc", plain, &cache);
    REQUIRE(cache.stats().recorded == 1);
    // cf.m4 reads cfhead.m4 only when OSTYPE is not yet defined; cfhead.m4 makes TEMPFILE and
    // tests _NO_MAKEINFO_; dnl undefined is text.
    for (const std::string& prefix :
         {std::string("define(`OSTYPE', `x')dnl\n"), std::string("define(`TEMPFILE', `t')dnl\n"),
          std::string("define(`_NO_MAKEINFO_')dnl\n"), std::string("undefine(`dnl')\n")}) {
        CAPTURE(prefix);
        const std::string text = prefix + plain;
        const Run cold = expand(dir + "/pre.mc", text, nullptr);
        const Run warm = expand(dir + "/pre.mc", text, &cache);
        CHECK(difference(cold, warm).empty());
        CHECK_FALSE(warm.expansion.resumed_from_frozen);
        // The prefix does change what comes out.
        const Run unprefixed = expand(dir + "/plain.mc", plain, nullptr);
        CHECK((cold.expansion.text != unprefixed.expansion.text ||
               cold.expansion.unsafe_builtin_calls.size() !=
                   unprefixed.expansion.unsafe_builtin_calls.size()));
    }
    // A name cf.m4 does not read, and text before the include, keep the snapshot usable.
    const std::string text =
        "divert(-1)\n# a comment\ndivert(0)dnl\ndefine(`confX', `1')dnl\n" + plain;
    const Run warm = expand(dir + "/other.mc", text, &cache);
    CHECK(warm.expansion.resumed_from_frozen);
    CHECK(difference(expand(dir + "/other.mc", text, nullptr), warm).empty());
}

TEST_CASE("a changed cf tree file is read again, not resumed from the old snapshot") {
    if (!fs::exists(kCfDir + "/m4/cf.m4")) return;
    const std::string tree = m4test::temp_dir() + "/frozen-tree";
    fs::remove_all(tree);
    fs::copy(kCfDir, tree, fs::copy_options::recursive);
    const std::string mc_dir = tree + "/cf";
    const std::string text = "include(`../m4/cf.m4')\nOSTYPE(`linux')\nMAILER(`local')\n";
    FrozenCache cache;
    const Run before = expand(mc_dir + "/t.mc", text, &cache, tree);
    REQUIRE(cache.stats().recorded == 1);
    REQUIRE(expand(mc_dir + "/t.mc", text, &cache, tree).expansion.resumed_from_frozen);
    // cfhead.m4 (read while reading cf.m4, not the cf.m4 the include names) gets a line of
    // output text in its divert(0) part.
    const std::string cfhead = tree + "/m4/cfhead.m4";
    std::string head = m4test::read_text(cfhead);
    const size_t at = head.rfind("divert(0)dnl");
    REQUIRE(at != std::string::npos);
    head.insert(at + std::string("divert(0)dnl\n").size(), "# changed tree\n");
    std::ofstream(cfhead, std::ios::binary | std::ios::trunc) << head;
    const Run after = expand(mc_dir + "/t.mc", text, &cache, tree);
    CHECK_FALSE(after.expansion.resumed_from_frozen);
    CHECK(cache.stats().stale >= 1);
    CHECK(after.expansion.text.find("# changed tree\n") != std::string::npos);
    CHECK(before.expansion.text.find("# changed tree\n") == std::string::npos);
    CHECK(difference(expand(mc_dir + "/t.mc", text, nullptr, tree), after).empty());
    // The new tree's snapshot is taken and used from then on.
    const Run again = expand(mc_dir + "/t.mc", text, &cache, tree);
    CHECK(again.expansion.resumed_from_frozen);
    CHECK(difference(after, again).empty());
}

TEST_CASE("one cache serves expansions on several threads") {
    if (!fs::exists(kCfDir + "/m4/cf.m4")) return;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(kCfDir + "/cf"))
        if (entry.path().extension() == ".mc") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    if (files.size() > 16) files.resize(16);
    FrozenCache cache;
    std::vector<std::string> failures(files.size());
    std::vector<std::thread> threads;
    for (size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (size_t i = t; i < files.size(); i += 4) {
                const std::string text = m4test::read_text(files[i]);
                failures[i] =
                    difference(expand(files[i], text, nullptr), expand(files[i], text, &cache));
            }
        });
    for (std::thread& thread : threads)
        thread.join();
    for (size_t i = 0; i < files.size(); ++i)
        CHECK_MESSAGE(failures[i].empty(), files[i] << ": " << failures[i]);
    CHECK(cache.stats().resumed + cache.stats().recorded >= files.size() / 2);
}

TEST_CASE("messages of cf.m4's reading point at each .mc's own include call") {
    if (!fs::exists(kCfDir + "/m4/cf.m4")) return;
    const std::string tree = m4test::temp_dir() + "/frozen-messages";
    fs::remove_all(tree);
    fs::copy(kCfDir, tree, fs::copy_options::recursive);
    // cfhead.m4 made to complain while it is read: a missing file (SM-E102) and an errprint
    // (SM-E105), both placed at the .mc line that included cf.m4.
    const std::string cfhead = tree + "/m4/cfhead.m4";
    std::string head = m4test::read_text(cfhead);
    const size_t at = head.rfind("divert(0)dnl");
    REQUIRE(at != std::string::npos);
    head.insert(at, "include(_CF_DIR_`'m4/no-such-file.m4)errprint(`WARNING: tree check\n')\n");
    std::ofstream(cfhead, std::ios::binary | std::ios::trunc) << head;
    const std::string dir = tree + "/cf";
    const std::string tail = "include(`../m4/cf.m4')\nOSTYPE(`linux')\nMAILER(`local')\n";
    FrozenCache cache;
    const Run first = expand(dir + "/a.mc", tail, &cache, tree);
    REQUIRE(cache.stats().recorded == 1);
    // The include further down: the messages must move with it.
    const std::string text =
        "divert(-1)\n# another header, longer than a.mc's\ndivert(0)dnl\n" + tail;
    const Run cold = expand(dir + "/b.mc", text, nullptr, tree);
    const Run warm = expand(dir + "/b.mc", text, &cache, tree);
    CHECK(warm.expansion.resumed_from_frozen);
    CHECK(difference(cold, warm).empty());
    const auto include_at = static_cast<uint32_t>(text.find("include("));
    size_t placed = 0;
    for (const auto& d : warm.expansion.diagnostics)
        if (d.rule_id == "SM-E102" || d.rule_id == "SM-E105") {
            CHECK(d.where.file == 0);
            CHECK(d.where.span.begin == include_at);
            ++placed;
        }
    CHECK(placed == 2);
    // The missing file, once there, is read: the snapshot no longer holds.
    std::ofstream(tree + "/m4/no-such-file.m4") << "dnl\n";
    const Run later = expand(dir + "/b.mc", text, &cache, tree);
    CHECK_FALSE(later.expansion.resumed_from_frozen);
    CHECK(difference(expand(dir + "/b.mc", text, nullptr, tree), later).empty());
}

TEST_CASE("a resumed expansion stops at the limits a cold one stops at") {
    if (!fs::exists(kCfDir + "/m4/cf.m4")) return;
    const std::string dir = m4test::temp_dir() + "/frozen-limits";
    fs::create_directories(dir);
    const std::string include = "include(`" + kCfDir + "/m4/cf.m4')";
    // The macro calls reading cf.m4 takes (m4exit right after it counts one more).
    const size_t reading =
        expand(dir + "/x.mc", include + "m4exit", nullptr).expansion.work.macro_calls - 2;
    REQUIRE(reading > 100);
    const std::string mc = include + "\nOSTYPE(`linux')\nMAILER(`local')\n";
    const size_t limit = reading + 500; // passed in proto.m4, after the snapshot
    FrozenCache cache;
    expand(dir + "/a.mc", mc, &cache, kCfDir, limit);
    REQUIRE(cache.stats().recorded == 1);
    const Run cold = expand(dir + "/b.mc", mc, nullptr, kCfDir, limit);
    const Run warm = expand(dir + "/b.mc", mc, &cache, kCfDir, limit);
    CHECK_FALSE(cold.expansion.complete);
    CHECK(warm.expansion.resumed_from_frozen);
    CHECK(difference(cold, warm).empty());
    // 600 calls before the include: the limit is passed while cf.m4 is read. The snapshot
    // would skip past it, so it is not used.
    std::string busy = "define(`busy_prefix', `')";
    for (int i = 0; i < 600; ++i)
        busy += "busy_prefix ";
    const std::string late = busy + "\n" + mc;
    // Under a limit of its own the same prefix resumes (the name is not one cf.m4 reads).
    FrozenCache roomy;
    expand(dir + "/a.mc", mc, &roomy, kCfDir, limit + 1000);
    CHECK(expand(dir + "/c.mc", late, &roomy, kCfDir, limit + 1000).expansion.resumed_from_frozen);
    const Run late_cold = expand(dir + "/c.mc", late, nullptr, kCfDir, limit);
    const Run late_warm = expand(dir + "/c.mc", late, &cache, kCfDir, limit);
    CHECK_FALSE(late_warm.expansion.resumed_from_frozen);
    CHECK(difference(late_cold, late_warm).empty());
    bool stopped = false;
    for (const auto& d : late_cold.expansion.diagnostics)
        stopped = stopped || d.rule_id == "SM-E103";
    CHECK(stopped);
    CHECK(late_cold.expansion.work.macro_calls == limit + 1);
}
