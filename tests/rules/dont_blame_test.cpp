// SM-S052 unsafe-dont-blame-sendmail: one finding per flag in effect, severity by tier, `safe`
// clearing the flags before it (checked with sendmail 8.17.1.9, see docs/rules/SM-S052.md).
#include "model/option_table.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

TEST_CASE("each flag gets its tier's severity and points at its own bytes") {
    auto run = run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=WorldWritableAliasFile,"
                                   "groupwritablealiasfile, ForwardFileInGroupWritableDirPath "
                                   "AssumeSafeChown\n");
    REQUIRE(run.findings.size() == 4);
    CHECK(run.text(run.findings[0].where) == "WorldWritableAliasFile");
    CHECK(run.findings[0].severity == Severity::Critical);
    CHECK(run.text(run.findings[1].where) == "groupwritablealiasfile");
    CHECK(run.findings[1].severity == Severity::High);
    CHECK(run.text(run.findings[2].where) == "ForwardFileInGroupWritableDirPath");
    CHECK(run.findings[2].severity == Severity::Medium);
    CHECK(run.text(run.findings[3].where) == "AssumeSafeChown");
    CHECK(run.findings[3].severity == Severity::Low);
    CHECK(
        run.findings[0].message ==
        "DontBlameSendmail WorldWritableAliasFile turns off a file-safety check: sendmail accepts "
        "a world-writable alias file");
}

TEST_CASE("fixes remove one flag each and never overlap") {
    const std::string text = "V10/Berkeley\nO DontBlameSendmail=a,GroupWritableAliasFile,"
                             "AssumeSafeChown\n";
    // `a` is no flag: the model reports it (SM-E052) and sendmail refuses the line.
    auto unknown = run_rule("SM-S052", text);
    CHECK_FALSE(unknown.parse_diagnostics.empty());

    auto run = run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=NonRootSafeAddr,"
                                   "GroupWritableAliasFile,AssumeSafeChown\n");
    REQUIRE(run.findings.size() == 3);
    REQUIRE(run.findings[1].fix);
    CHECK_FALSE(run.findings[1].fix->safe);
    CHECK(run.findings[1].fix->title == "remove GroupWritableAliasFile from DontBlameSendmail");
    CHECK(run.apply(*run.findings[1].fix) ==
          "V10/Berkeley\nO DontBlameSendmail=NonRootSafeAddr,AssumeSafeChown\n");
    Fix all;
    for (const Diagnostic& d : run.findings) {
        REQUIRE(d.fix);
        all.edits.push_back(d.fix->edits.at(0));
    }
    CHECK(run.apply(all) == "V10/Berkeley\nO DontBlameSendmail=\n");
}

TEST_CASE("safe clears the flags before it, in the same line or an earlier one") {
    CHECK(run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=WorldWritableAliasFile\n"
                              "O DontBlameSendmail=safe\n")
              .findings.empty());
    CHECK(run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=WorldWritableAliasFile, SAFE\n")
              .findings.empty());
    auto after = run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=safe,TrustStickyBit\n"
                                     "O DontBlameSendmail=GroupReadableKeyFile\n");
    REQUIRE(after.findings.size() == 2);
    CHECK(after.line(after.findings[0]) == 2);
    CHECK(after.line(after.findings[1]) == 3);
}

TEST_CASE("no line, or only safe: nothing to report") {
    CHECK(run_rule("SM-S052", "V10/Berkeley\nO LogLevel=9\n").findings.empty());
    CHECK(run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=safe\n").findings.empty());
}

TEST_CASE("flags on a continuation line have their own bytes and fixes") {
    auto run = run_rule("SM-S052", "V10/Berkeley\r\nO DontBlameSendmail=GroupWritableAliasFile,\r\n"
                                   "\tAssumeSafeChown\r\nO LogLevel=9\r\n");
    REQUIRE(run.findings.size() == 2);
    CHECK(run.line(run.findings[1]) == 3);
    CHECK(run.text(run.findings[1].where) == "AssumeSafeChown");
    REQUIRE(run.findings[0].fix);
    // The word and every separator up to the next word: the continuation joins the line.
    CHECK(run.apply(*run.findings[0].fix) ==
          "V10/Berkeley\r\nO DontBlameSendmail=AssumeSafeChown\r\nO LogLevel=9\r\n");
}

// What sendmail reads after each fix was checked with 8.17.1.9 (`sendmail -bi` on a
// group-writable alias file): `O DontBlameSendmail=`, `=,`, `O DontBlameSendmail` and no line
// at all refuse it as the default does; `safe,` reads as `safe`.
TEST_CASE("a fix leaves a well-formed line: no empty item, no stray separator") {
    auto fixed = [](const std::string& value) {
        auto run =
            run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=" + value + "\nO LogLevel=9\n");
        Fix all;
        for (const Diagnostic& d : run.findings) {
            REQUIRE(d.fix);
            for (const Edit& e : d.fix->edits)
                all.edits.push_back(e);
        }
        return run.apply(all);
    };
    // A flag alone in the value takes its separators along (`AssumeSafeChown,,` was left `,`).
    CHECK(fixed("AssumeSafeChown") == "V10/Berkeley\nO DontBlameSendmail=\nO LogLevel=9\n");
    CHECK(fixed("AssumeSafeChown,,") == "V10/Berkeley\nO DontBlameSendmail=\nO LogLevel=9\n");
    CHECK(fixed(", AssumeSafeChown ,") == "V10/Berkeley\nO DontBlameSendmail=\nO LogLevel=9\n");
    // The last flag after a word that stays takes the separators before it.
    CHECK(fixed("safe,AssumeSafeChown") ==
          "V10/Berkeley\nO DontBlameSendmail=safe\nO LogLevel=9\n");
    CHECK(fixed("safe , AssumeSafeChown") ==
          "V10/Berkeley\nO DontBlameSendmail=safe\nO LogLevel=9\n");
    CHECK(fixed("GroupWritableAliasFile,safe, AssumeSafeChown") ==
          "V10/Berkeley\nO DontBlameSendmail=GroupWritableAliasFile,safe\nO LogLevel=9\n");
    // Every word a flag: the fixes still never overlap, and leave no separator.
    CHECK(fixed("AssumeSafeChown, TrustStickyBit ,NonRootSafeAddr") ==
          "V10/Berkeley\nO DontBlameSendmail=\nO LogLevel=9\n");

    // One fix alone: the first of two flags takes the separators after it.
    auto two = run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=AssumeSafeChown, "
                                   "TrustStickyBit\n");
    REQUIRE(two.findings.size() == 2);
    CHECK(two.apply(*two.findings[0].fix) == "V10/Berkeley\nO DontBlameSendmail=TrustStickyBit\n");
}

TEST_CASE("every DontBlameSendmail word sendmail knows, except safe, is flagged") {
    for (std::string_view flag : model::dont_blame_flag_names()) {
        INFO("flag ", flag);
        auto run =
            run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=" + std::string(flag) + "\n");
        CHECK(run.parse_diagnostics.empty());
        CHECK(run.findings.size() == (flag == "safe" ? 0u : 1u));
    }
}

TEST_CASE("CertOwner (8.18) is a word 8.17.1.9 does not know: SM-E052, no relaxation") {
    // sendmail 8.17.1.9: "readcf: DontBlameSendmail option: CertOwner unrecognized", exit 70
    // (tests/scripts/cf_error_lines.txt holds the line for the ground-truth script).
    auto run = run_rule("SM-S052", "V10/Berkeley\nO DontBlameSendmail=CertOwner\n");
    CHECK(run.findings.empty());
    REQUIRE(run.parse_diagnostics.size() == 1);
    CHECK(run.parse_diagnostics[0].rule_id == "SM-E052");
}
