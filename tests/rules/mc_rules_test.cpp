// The .mc rules beyond their fixtures: the names read from the cf tree, the nearest-name
// suggestion, the fixes (applied and expanded again), and the relay FEATUREs without a cf tree.
#include "../support/run_command.hpp"
#include "../support/temp_dir.hpp"
#include "mc_test_support.hpp"
#include "rules/mc_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace smaudit;

namespace {

bool contains(const std::vector<std::string>& sorted, std::string_view name) {
    return std::binary_search(sorted.begin(), sorted.end(), name);
}

// The value of an option after expanding `mc` with the installed tree.
std::string option_after_expansion(const std::string& mc, std::string_view option) {
    SourceSet sources;
    FileId file = sources.add("fixed.mc", mc, FileKind::Mc);
    std::vector<Diagnostic> diagnostics;
    McConfig config = build_mc_config(sources, file, test::installed_cf_tree(), diagnostics);
    const model::OptionValue* value = config.config.option(option);
    REQUIRE(value != nullptr);
    return value->value;
}

// The line of the .cf text m4 writes for `mc` that starts with `prefix` (the first one).
std::string cf_line_after_expansion(const std::string& mc, std::string_view prefix) {
    SourceSet sources;
    FileId file = sources.add("fixed.mc", mc, FileKind::Mc);
    std::vector<Diagnostic> diagnostics;
    McConfig config = build_mc_config(sources, file, test::installed_cf_tree(), diagnostics);
    const std::string& text = config.expansion.text;
    size_t at = text.find("\n" + std::string(prefix));
    REQUIRE(at != std::string::npos);
    return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

} // namespace

TEST_CASE("edit distance and the nearest known name") {
    CHECK(rules::edit_distance("", "") == 0);
    CHECK(rules::edit_distance("kitten", "sitting") == 3);
    CHECK(rules::edit_distance("confLOG_LEVLE", "confLOG_LEVEL") == 2);
    std::vector<std::string> known{"confCRL", "confLOG_LEVEL", "confPRIVACY_FLAGS"};
    CHECK(rules::nearest_name("confLOG_LEVLE", known, 4) == "confLOG_LEVEL");
    CHECK(rules::nearest_name("confPRIVACY_FLAG", known, 4) == "confPRIVACY_FLAGS");
    // Two edits on a two-letter name is another name, not a misspelling (devtools' confCC).
    CHECK(rules::nearest_name("confCC", known, 4).empty());
    CHECK(rules::nearest_name("confSOMETHING_ELSE", known, 4).empty());
}

TEST_CASE("names are read from the installed cf tree") {
    std::string tree = test::installed_cf_tree();
    if (tree.empty()) {
        MESSAGE("no sendmail cf tree installed: skipped");
        return;
    }
    const rules::CfTreeNames& names = rules::cf_tree_names(tree);
    CHECK(contains(names.conf_names, "confLOG_LEVEL"));
    CHECK(contains(names.conf_names, "confPRIVACY_FLAGS"));
    CHECK(contains(names.conf_names, "confMAX_MESSAGE_SIZE"));
    CHECK_FALSE(contains(names.conf_names, "confLOG_LEVLE"));
    CHECK(contains(names.features, "promiscuous_relay"));
    CHECK(contains(names.features, "relay_based_on_MX"));
    CHECK_FALSE(contains(names.features, "cf")); // m4/cf.m4 is not a feature
    // cfhead.m4 sets these defaults itself; it leaves confMAX_MESSAGE_SIZE to proto.m4's ifdef.
    CHECK(contains(names.cfhead_defines, "confPRIVACY_FLAGS"));
    CHECK(contains(names.cfhead_defines, "confSMTP_LOGIN_MSG"));
    CHECK_FALSE(contains(names.cfhead_defines, "confMAX_MESSAGE_SIZE"));
    CHECK(rules::cf_tree_names("/nonexistent/cf").features.empty());
}

TEST_CASE("SM-C001's fix writes dnl, and the feature is then gone") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc =
        "OSTYPE(`linux')dnl\n# FEATURE(`promiscuous_relay')\nMAILER(`smtp')dnl\n";
    test::RuleRun run = test::run_mc_rule("SM-C001", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.line(run.findings[0]) == 2);
    REQUIRE(run.findings[0].fix.has_value());
    CHECK_FALSE(run.findings[0].fix->safe);
    std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(fixed == "OSTYPE(`linux')dnl\ndnl FEATURE(`promiscuous_relay')\nMAILER(`smtp')dnl\n");
    CHECK(test::run_mc_rule("SM-S001", fixed).findings.empty());
    CHECK(test::run_mc_rule("SM-S001", mc).findings.size() == 1);
}

TEST_CASE("SM-C001's fix on `#FEATURE` (no blank) writes `dnl ` so m4 still sees dnl") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc = "OSTYPE(`linux')dnl\n#FEATURE(`promiscuous_relay')dnl\n";
    test::RuleRun run = test::run_mc_rule("SM-C001", mc);
    REQUIRE(run.findings.size() == 1);
    REQUIRE(run.findings[0].fix.has_value());
    std::string fixed = run.apply(*run.findings[0].fix);
    // `dnlFEATURE` would be one unknown name, copied into the .cf as text.
    CHECK(fixed == "OSTYPE(`linux')dnl\ndnl FEATURE(`promiscuous_relay')dnl\n");
    CHECK(test::run_mc_rule("SM-S001", fixed).findings.empty());
}

TEST_CASE("SM-C003: message names what is kept and lost; the fix keeps the whole list") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc = "OSTYPE(`linux')dnl\ndefine(`confPRIVACY_FLAGS', goaway, noetrn)dnl\n";
    CHECK(cf_line_after_expansion(mc, "O PrivacyOptions=") == "O PrivacyOptions=goaway");
    test::RuleRun run = test::run_mc_rule("SM-C003", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].message.find("gets only `goaway`") != std::string::npos);
    CHECK(run.findings[0].message.find("`noetrn` is dropped") != std::string::npos);
    CHECK(run.text(run.findings[0].where) == "goaway, noetrn");
    REQUIRE(run.findings[0].fix.has_value());
    std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(fixed == "OSTYPE(`linux')dnl\ndefine(`confPRIVACY_FLAGS', ``goaway, noetrn'')dnl\n");
    // As real m4 writes it for this .mc (checked with m4 ../m4/cf.m4).
    CHECK(cf_line_after_expansion(fixed, "O PrivacyOptions=") == "O PrivacyOptions=goaway, noetrn");
    CHECK(test::run_mc_rule("SM-C003", fixed).findings.empty());
}

TEST_CASE("SM-C005 suggests the nearest name and its fix writes it") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc = "OSTYPE(`linux')dnl\ndefine(`confLOG_LEVLE', `14')dnl\n";
    test::RuleRun run = test::run_mc_rule("SM-C005", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].message.find("did you mean `confLOG_LEVEL`?") != std::string::npos);
    CHECK(run.text(run.findings[0].where) == "confLOG_LEVLE");
    REQUIRE(run.findings[0].fix.has_value());
    std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(option_after_expansion(fixed, "LogLevel") == "14");
    CHECK(test::run_mc_rule("SM-C005", fixed).findings.empty());
}

TEST_CASE("SM-C002 points at the access_db call that came too late") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc =
        "OSTYPE(`linux')dnl\nFEATURE(`ratecontrol')dnl\nFEATURE(`access_db')dnl\n"
        "MAILER(`smtp')dnl\n";
    test::RuleRun run = test::run_mc_rule("SM-C002", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.line(run.findings[0]) == 2);
    REQUIRE(run.findings[0].notes.size() == 1);
    CHECK(run.line(run.findings[0].notes[0].where) == 3);
}

TEST_CASE(
    "SM-C002 on a submit.mc: a FEATURE after FEATURE(msp) is advice unless it changes a mailer") {
    if (test::installed_cf_tree().empty()) return;
    // FEATURE(`msp') defines the local and smtp mailers itself: m4 prints "FEATURE() should be
    // before MAILER()" for every FEATURE after it, though the .mc has no MAILER line.
    const std::string head = "divert(0)dnl\n"
                             "define(`__OSTYPE__',`')dnl\n"
                             "FEATURE(`msp', `[127.0.0.1]')dnl\n";
    test::RuleRun run = test::run_mc_rule(
        "SM-C002", head + "FEATURE(`use_ct_file')dnl\nFEATURE(`always_add_domain')dnl\n");
    REQUIRE(run.findings.size() == 2);
    // use_ct_file is read at the end of input: the .cf is the same either way (the real m4
    // agrees, below). Info, pointing at the call that defined the mailers.
    CHECK(run.line(run.findings[0]) == 4);
    CHECK(run.findings[0].severity == Severity::Info);
    CHECK(run.findings[0].message.find("FEATURE(`msp', `[127.0.0.1]') defines the mailers") !=
          std::string::npos);
    REQUIRE(run.findings[0].notes.size() == 1);
    CHECK(run.line(run.findings[0].notes[0].where) == 3);
    // always_add_domain changes the local mailer, which msp defined without it: medium.
    CHECK(run.line(run.findings[1]) == 5);
    CHECK(run.findings[1].severity == Severity::Medium);
    CHECK(run.findings[1].message.find("must appear after FEATURE(`always_add_domain')") !=
          std::string::npos);
    REQUIRE(run.findings[1].notes.size() == 1);
    CHECK(run.line(run.findings[1].notes[0].where) == 3);
    // The stock order, FEATURE(`msp') last: nothing.
    CHECK(test::run_mc_rule("SM-C002", "divert(0)dnl\ndefine(`__OSTYPE__',`')dnl\n"
                                       "FEATURE(`use_ct_file')dnl\n"
                                       "FEATURE(`msp', `[127.0.0.1]')dnl\n")
              .findings.empty());

    // Ground truth: m4 writes the same .cf with use_ct_file before or after msp, but not with
    // always_add_domain.
    if (std::system("m4 --version >/dev/null 2>&1") != 0) return;
    const TempDir temp("smaudit-c002-msp");
    auto real_cf = [&](const std::string& mc) {
        const std::string path = (temp.path / "msp.mc").string();
        std::ofstream(path) << mc;
        CommandResult r =
            run_command("cd '" + test::installed_cf_tree() + "/cf' && m4 ../m4/cf.m4 '" + path +
                        "' 2>/dev/null | grep -v '^#'");
        std::filesystem::remove(path);
        return r.out;
    };
    const std::string msp = "FEATURE(`msp', `[127.0.0.1]')dnl\n";
    const std::string base = "divert(0)dnl\ndefine(`__OSTYPE__',`')dnl\n";
    for (const char* feature : {"use_ct_file", "always_add_domain"}) {
        const std::string line = "FEATURE(`" + std::string(feature) + "')dnl\n";
        const bool same = real_cf(base + msp + line) == real_cf(base + line + msp);
        CHECK_MESSAGE(same == (std::string(feature) == "use_ct_file"), feature);
    }
}

TEST_CASE("SM-S063 names the builtin the .mc calls") {
    if (test::installed_cf_tree().empty()) return;
    test::RuleRun run = test::run_mc_rule("SM-S063", "OSTYPE(`linux')dnl\nsyscmd(`id')dnl\n");
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].message.find("calls syscmd") != std::string::npos);
    CHECK(run.line(run.findings[0]) == 2);
}

TEST_CASE("relay FEATUREs: without a cf tree the .mc's FEATURE call still tells") {
    SourceSet sources;
    FileId file = sources.add("no-tree.mc", "OSTYPE(`linux')dnl\nFEATURE(`relay_based_on_MX')dnl\n",
                              FileKind::Mc);
    std::vector<Diagnostic> diagnostics;
    McConfig mc = build_mc_config(sources, file, "/nonexistent/cf", diagnostics);
    REQUIRE(mc.expansion.cf_dir.empty());
    RuleContext context{sources, mc.config, &mc.expansion};
    std::vector<Diagnostic> findings;
    run_rules({find_rule("SM-S005")}, context, findings);
    REQUIRE(findings.size() == 1);
    CHECK(sources.get(file).position(findings[0].where.span.begin).line == 2);
    findings.clear();
    run_rules({find_rule("SM-S001")}, context, findings);
    CHECK(findings.empty());
}

TEST_CASE("relay FEATUREs in a .cf: the rule m4 writes for them, not the banner") {
    const std::string banner =
        "#####  $Id: loose_relay_check.m4,v 8.7 2013-11-22 ca Exp $  #####\n";
    const std::string rules = "SRcpt_ok\nR$*\t\t\t$: $>CanonAddr $1\n";
    test::RuleRun run = test::run_rule("SM-S008", "V10/Berkeley\n" + banner + rules);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.line(run.findings[0]) == 4);
    CHECK(run.findings[0].severity == Severity::High);
    CHECK(test::run_rule("SM-S008", "V10/Berkeley\n" + rules).findings.size() == 1);
    CHECK(test::run_rule("SM-S008", "V10/Berkeley\n" + banner).findings.empty());
}

TEST_CASE("SM-C003: items quoted one by one are reported without a fix") {
    if (test::installed_cf_tree().empty()) return;
    const std::string mc =
        "OSTYPE(`linux')dnl\ndefine(`confPRIVACY_FLAGS', `goaway', `noetrn')dnl\n";
    CHECK(cf_line_after_expansion(mc, "O PrivacyOptions=") == "O PrivacyOptions=goaway");
    test::RuleRun run = test::run_mc_rule("SM-C003", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK_FALSE(run.findings[0].fix.has_value());
    // A two-argument define is not a list, whatever its value holds.
    CHECK(test::run_mc_rule("SM-C003", "define(`confPRIVACY_FLAGS', `goaway,noetrn')dnl\n")
              .findings.empty());
}
