// Every rule, through the whole audit (run_audit, suppressions, sorting, both reporters), on .mc
// files whose findings, notes and fixes come from text of sendmail's cf tree: the places that an
// .mc cannot point at (kNoFile). Issue 14: RELAY_DOMAIN(`com') stopped the audit with
// deque::_M_range_check because a rule read the text at such a place. Every place a finding
// holds must be a whole place in a file the user gave (or none), never the expanded text and
// never a half-valid one; a random mix of the cf tree's FEATUREs, RELAY_DOMAINs and LOCAL_CONFIG
// lines keeps to that, and SM-S010 points at each too broad RELAY_DOMAIN.
#include "app/audit.hpp"
#include "engine/rule.hpp"
#include "model/locations.hpp"
#include "report/json.hpp"
#include "report/terminal.hpp"
#include "rules/mc_support.hpp"

#include "../support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

std::string installed_tree() {
    return m4::find_cf_dir("").value_or(std::string());
}

// Places are whole or absent: a file of this run and bytes inside it, or kNoFile.
void check_place(const AuditRun& run, Location where, const std::string& what) {
    INFO(what);
    if (!where.valid()) return;
    REQUIRE(where.file < run.sources.size());
    const SourceFile& file = run.sources.get(where.file);
    CHECK(where.span.begin <= where.span.end);
    CHECK(where.span.end <= file.text().size());
}

// A finding shows the user's files only: a place left in the expanded text (or pointing into
// the cf tree) would show text no one wrote; a fix edits only the files the user gave.
void check_finding(const AuditRun& run, const Diagnostic& d) {
    INFO(d.rule_id, ": ", d.message);
    const std::set<FileId> given(run.result.files.begin(), run.result.files.end());
    auto shown = [&](Location where) {
        if (!where.valid()) return true;
        const std::string& path = run.sources.get(where.file).path();
        return !path.ends_with(" (expanded by m4)") && !path.ends_with(" (read without a cf tree)");
    };
    check_place(run, d.where, "where");
    CHECK(shown(d.where));
    for (const Label& note : d.notes) {
        check_place(run, note.where, "note: " + note.text);
        CHECK(shown(note.where));
    }
    CHECK((d.config_file == kNoFile || d.config_file < run.sources.size()));
    if (d.fix)
        for (const Edit& edit : d.fix->edits) {
            check_place(run, edit.where, "fix: " + d.fix->title);
            CHECK(given.count(edit.where.file) == 1);
        }
}

// Audits one .mc with every rule, checks every place, renders both reports.
std::unique_ptr<AuditRun> audit_everything(const fs::path& mc) {
    AuditRequest request;
    request.paths = {mc.string()};
    std::unique_ptr<AuditRun> run;
    REQUIRE_NOTHROW(run = run_audit(request, true));
    CHECK(run->errors.empty());
    for (const Diagnostic& d : run->result.diagnostics)
        check_finding(*run, d);
    for (AuditedConfig& audited : run->configs) {
        model::Config copy = audited.config;
        model::for_each_location(copy, [&](Location& where) { check_place(*run, where, "model"); });
    }
    std::string terminal, json;
    REQUIRE_NOTHROW(terminal = report::render_terminal(run->sources, run->result));
    REQUIRE_NOTHROW(json = report::render_json(run->sources, run->result));
    CHECK(!json.empty());
    return run;
}

std::set<std::pair<std::string, uint32_t>> found(const AuditRun& run) {
    std::set<std::pair<std::string, uint32_t>> out;
    for (const Diagnostic& d : run.result.diagnostics)
        out.emplace(d.rule_id, run.sources.line_of(d.where));
    return out;
}

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

const std::string kHead = "include(`" + installed_tree() + "/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\n";
const std::string kMailers = "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";

} // namespace

TEST_CASE("every rule on .mc files whose findings point at cf-tree text") {
    if (installed_tree().empty()) {
        MESSAGE("skipped: no sendmail cf tree installed");
        return;
    }
    TempDir dir("smaudit-sweep");
    struct Case {
        std::string name, body;
        std::set<std::pair<std::string, uint32_t>> expected; // at least these (rule, line)
    };
    const std::vector<Case> cases = {
        // The C{R} line is cf-tree text around the .mc's word; F{R} is cf-tree text only.
        {"relay-domain", "RELAY_DOMAIN(`com')dnl\n" + kMailers, {{"SM-S010", 3}}},
        {"local-config",
         kMailers + "LOCAL_CONFIG\nCRcom\nC{R}example.org net\n",
         {{"SM-S010", 6}, {"SM-S010", 7}}},
        // The accepting rule is the .mc's; check_rcpt, named in the notes, is the cf tree's.
        {"local-rulesets",
         kMailers + "LOCAL_RULESETS\nSLocal_check_rcpt\nR$*\t\t$# OK\n",
         {{"SM-S003", 7}}},
        // What the feature removed has no text: the FEATURE call stands for it.
        {"promiscuous", "FEATURE(`promiscuous_relay')dnl\n" + kMailers, {{"SM-S001", 3}}},
        // The same flag defined by hand: no FEATURE call, so no line (the .mc itself).
        {"promiscuous-flag",
         "define(`_PROMISCUOUS_RELAY_', `1')dnl\n" + kMailers,
         {{"SM-S001", 0}}},
        // Defaults of the cf tree (cfhead.m4, proto.m4) whose fixes are define() lines.
        {"defaults", kMailers, {{"SM-S058", 0}}},
        {"relay-features",
         "FEATURE(`access_db')dnl\nFEATURE(`relay_entire_domain')dnl\n"
         "FEATURE(`relay_based_on_MX')dnl\nFEATURE(`relay_local_from')dnl\n"
         "FEATURE(`relay_mail_from')dnl\nFEATURE(`loose_relay_check')dnl\n" +
             kMailers,
         {{"SM-S004", 4}, {"SM-S005", 5}, {"SM-S006", 6}, {"SM-S064", 7}, {"SM-S008", 8}}},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const fs::path mc = dir.path / (c.name + ".mc");
        write(mc, kHead + c.body);
        auto run = audit_everything(mc);
        auto lines = found(*run);
        for (const auto& expected : c.expected)
            CHECK_MESSAGE(lines.count(expected) == 1, expected.first, " at line ", expected.second);
    }
}

TEST_CASE("a random mix of the cf tree's FEATUREs, RELAY_DOMAINs and LOCAL_CONFIG lines") {
    const std::string tree = installed_tree();
    if (tree.empty()) {
        MESSAGE("skipped: no sendmail cf tree installed");
        return;
    }
    const std::vector<std::string>& features = rules::cf_tree_names(tree).features;
    REQUIRE(features.size() > 20);
    const std::vector<std::string> arguments = {"", "", "", "example.net", "1000", "domain"};
    // Too broad for class R (SM-S010), and fine ones.
    const std::vector<std::pair<std::string, bool>> relay_words = {
        {"com", true},       {"co.uk", true},
        {"net", true},       {"10", true},
        {"IPv6:2001", true}, {"example.com", false},
        {"192.168", false},  {"mail.example.org", false}};
    const std::vector<std::string> local_config = {"CRcom",
                                                   "C{R}example.org",
                                                   "Cwlocalhost",
                                                   "FR-o /etc/mail/relay-domains",
                                                   "Kaccess hash -o /etc/mail/access",
                                                   "O LogLevel=14"};
    std::mt19937 random(14); // fixed: a failure is reproduced by running the test again
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
    TempDir dir("smaudit-sweep");
    for (int round = 0; round < 120; ++round) {
        std::string body;
        uint32_t line = 2;                                   // after the cf.m4 include and OSTYPE
        std::vector<std::pair<std::string, uint32_t>> broad; // word, line
        bool tree_changes_classes = false;                   // nullclient/msp rewrite much
        for (size_t n = pick(6); n > 0; --n) {
            const std::string& feature = features[pick(features.size())];
            const std::string& arg = arguments[pick(arguments.size())];
            tree_changes_classes |= feature == "nullclient" || feature == "msp";
            body += "FEATURE(`" + feature + "'" + (arg.empty() ? "" : ", `" + arg + "'") + ")dnl\n";
            ++line;
        }
        for (size_t n = pick(3); n > 0; --n) {
            const auto& [word, too_broad] = relay_words[pick(relay_words.size())];
            body += "RELAY_DOMAIN(`" + word + "')dnl\n";
            ++line;
            if (too_broad) broad.emplace_back(word, line);
        }
        body += kMailers;
        if (pick(2)) {
            body += "LOCAL_CONFIG\n";
            for (size_t n = 1 + pick(3); n > 0; --n)
                body += local_config[pick(local_config.size())] + "\n";
        }
        if (pick(3) == 0) body += "LOCAL_RULESETS\nSLocal_check_rcpt\nR$*\t\t$# OK\n";
        const std::string text = kHead + body;
        INFO("round ", round, ":\n", text);
        const fs::path mc = dir.path / ("round" + std::to_string(round) + ".mc");
        write(mc, text);
        auto run = audit_everything(mc);
        if (tree_changes_classes) continue;
        auto lines = found(*run);
        std::set<std::string> seen; // SM-S010 reports a word once, at its first place
        for (const auto& [word, at] : broad)
            if (seen.insert(word).second)
                CHECK_MESSAGE(lines.count({"SM-S010", at}) == 1, word, " at line ", at);
    }
}
