// A finding about an option an .mc never sets is fixed with a define() line. Checked with the
// real m4: after the fix the generated .cf has the option's O line with the new value.
#include "apply_all_fixes.hpp"
#include "fix/apply.hpp"
#include "mc_test_support.hpp"
#include "model/option_table.hpp"
#include "rules/rule_support.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

using namespace smaudit;

namespace {

std::string real_m4_cf(const std::string& mc_text) {
    const TempDir dir("smaudit-mc-define-fix");
    std::ofstream(dir.path / "fixed.mc") << mc_text;
    return test::fix_all_detail::real_m4(dir.path / "fixed.mc").cf;
}

} // namespace

TEST_CASE("SM-S058 on an .mc: the fix defines confMAX_MESSAGE_SIZE before MAILER, m4 agrees") {
    if (test::installed_cf_tree().empty() || std::system("command -v m4 >/dev/null") != 0) {
        MESSAGE("skipped: no cf tree or no m4");
        return;
    }
    const std::string mc = "OSTYPE(`linux')dnl\nFEATURE(`access_db')dnl\nMAILER(`local')dnl\n"
                           "MAILER(`smtp')dnl\n";
    CHECK(real_m4_cf(mc).find("\nO MaxMessageSize=") == std::string::npos);
    test::RuleRun run = test::run_mc_rule("SM-S058", mc);
    REQUIRE(run.findings.size() == 1);
    REQUIRE(run.findings[0].fix.has_value());
    std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(fixed == "OSTYPE(`linux')dnl\nFEATURE(`access_db')dnl\n"
                   "define(`confMAX_MESSAGE_SIZE', `52428800')dnl\n"
                   "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
    CHECK(real_m4_cf(fixed).find("\nO MaxMessageSize=52428800\n") != std::string::npos);
    CHECK(test::run_mc_rule("SM-S058", fixed).findings.empty());
}

namespace {

bool m4_available() {
    if (test::installed_cf_tree().empty() || std::system("command -v m4 >/dev/null") != 0) {
        MESSAGE("skipped: no cf tree or no m4");
        return false;
    }
    return true;
}

// Debian's DOMAIN(`debian-mta') is what the tests of values from a DOMAIN file read.
bool debian_domain_available() {
    if (!m4_available()) return false;
    if (!std::filesystem::exists(test::installed_cf_tree() + "/domain/debian-mta.m4")) {
        MESSAGE("skipped: no Debian domain file in the cf tree");
        return false;
    }
    return true;
}

// The generated .cf's `O Name=` line, without the prefix; empty if there is none.
std::string option_line(const std::string& cf, const std::string& name) {
    const std::string prefix = "\nO " + name + "=";
    size_t at = cf.find(prefix);
    if (at == std::string::npos) return {};
    at += prefix.size();
    return cf.substr(at, cf.find('\n', at) - at);
}

// Applies the one fix `rule` offers on `mc`.
std::string fixed_by(std::string_view rule, const std::string& mc) {
    test::RuleRun run = test::run_mc_rule(rule, mc);
    REQUIRE(run.findings.size() == 1);
    REQUIRE(run.findings[0].fix.has_value());
    return run.apply(*run.findings[0].fix);
}

} // namespace

TEST_CASE("SM-S022 and SM-S023 on the cf tree's PrivacyOptions: defn() fixes compose, m4 agrees") {
    if (!m4_available()) return;
    const std::string mc = "OSTYPE(`linux')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    REQUIRE(option_line(real_m4_cf(mc), "PrivacyOptions") == "authwarnings");
    // No .mc line sets the value: the fix appends to the macro as it stands (debian-mta.m4's
    // own idiom), before the first MAILER.
    const std::string once = fixed_by("SM-S022", mc);
    CHECK(once == "OSTYPE(`linux')dnl\n"
                  "define(`confPRIVACY_FLAGS', defn(`confPRIVACY_FLAGS')`,noexpn')dnl\n"
                  "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
    CHECK(option_line(real_m4_cf(once), "PrivacyOptions") == "authwarnings,noexpn");
    CHECK(test::run_mc_rule("SM-S022", once).findings.empty());
    // The second fix on the fixed file keeps the first one's flag.
    const std::string twice = fixed_by("SM-S023", once);
    CHECK(option_line(real_m4_cf(twice), "PrivacyOptions") == "authwarnings,noexpn,novrfy");
    CHECK(test::run_mc_rule("SM-S022", twice).findings.empty());
    CHECK(test::run_mc_rule("SM-S023", twice).findings.empty());
}

TEST_CASE("SM-P002 on a value from DOMAIN(`debian-mta'): overriding defines, m4 agrees") {
    if (!debian_domain_available()) return;
    struct Case {
        std::string mc, fixed;
    };
    // debian-mta.m4 sets MaxDaemonChildren=0; without Debian's sendmail.mc nothing sets
    // ConnectionRateThrottle: SM-P002 sets both, sized to the 4 GiB of memory assumed.
    const std::string defines = "define(`confMAX_DAEMON_CHILDREN', `256')dnl\n"
                                "define(`confCONNECTION_RATE_THROTTLE', `10')dnl\n";
    const Case cases[] = {
        // The usual order: the defines go before the first MAILER.
        {"OSTYPE(`debian')dnl\nDOMAIN(`debian-mta')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n",
         "OSTYPE(`debian')dnl\nDOMAIN(`debian-mta')dnl\n" + defines +
             "MAILER(`local')dnl\nMAILER(`smtp')dnl\n"},
        // DOMAIN after the first MAILER: before that MAILER its value would override the
        // define, which goes after the DOMAIN call; the other one, which nothing sets, goes
        // before the first MAILER as usual.
        {"OSTYPE(`debian')dnl\nMAILER(`local')dnl\nDOMAIN(`debian-mta')dnl\nMAILER(`smtp')dnl\n",
         "OSTYPE(`debian')dnl\ndefine(`confCONNECTION_RATE_THROTTLE', `10')dnl\n"
         "MAILER(`local')dnl\nDOMAIN(`debian-mta')dnl\n"
         "define(`confMAX_DAEMON_CHILDREN', `256')dnl\nMAILER(`smtp')dnl\n"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.mc);
        REQUIRE(option_line(real_m4_cf(c.mc), "MaxDaemonChildren") == "0");
        const std::string fixed = fixed_by("SM-P002", c.mc);
        CHECK(fixed == c.fixed);
        const std::string cf = real_m4_cf(fixed);
        CHECK(option_line(cf, "MaxDaemonChildren") == "256");
        CHECK(option_line(cf, "ConnectionRateThrottle") == "10");
        for (std::string_view rule : {"SM-P002", "SM-P003", "SM-P004"})
            CHECK(test::run_mc_rule(rule, fixed).findings.empty());
    }
}

TEST_CASE("SM-S020 on the cf tree's stock greeting: a safe define of confSMTP_LOGIN_MSG") {
    if (!m4_available()) return;
    const std::string mc = "OSTYPE(`linux')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    test::RuleRun run = test::run_mc_rule("SM-S020", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].label.find("cf tree") != std::string::npos);
    REQUIRE(run.findings[0].fix.has_value());
    CHECK(run.findings[0].fix->safe);
    const std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(option_line(real_m4_cf(fixed), "SmtpGreetingMessage") == "$j");
    CHECK(test::run_mc_rule("SM-S020", fixed).findings.empty());
}

namespace {

// The file after applying the fixes of `findings` all at once (src/fix/apply.hpp).
std::string fixed_at_once(const test::RuleRun& run,
                          const std::vector<const Diagnostic*>& findings) {
    FixApplication application = apply_fixes(run.sources, findings);
    REQUIRE(application.conflicted.empty());
    REQUIRE(application.applied.size() == findings.size());
    auto fixed = application.texts.find(run.file);
    return fixed == application.texts.end() ? run.sources.get(run.file).text() : fixed->second;
}

// The flags of a DontBlameSendmail value, as sendmail reads them (blanks and commas apart).
std::multiset<std::string> blame_flags(const std::string& value) {
    std::multiset<std::string> flags;
    for (const std::string& word :
         rules::split_flag_words(value, rules::FlagSeparators::BlanksAndCommas))
        flags.insert(word);
    return flags;
}

// "remove X from DontBlameSendmail" -> "x"
std::string removed_flag(const Diagnostic& finding) {
    const std::string& title = finding.fix->title;
    return model::to_lower(title.substr(7, title.find(" from") - 7));
}

const std::string kDebianMta = "OSTYPE(`debian')dnl\nDOMAIN(`debian-mta')dnl\nMAILER(`local')dnl\n"
                               "MAILER(`smtp')dnl\n";

// The generated .cf's DontBlameSendmail value; `O DontBlameSendmail` without `=` is empty.
std::string blame_value(const std::string& cf) {
    if (cf.find("\nO DontBlameSendmail\n") != std::string::npos) return {};
    std::string value = option_line(cf, "DontBlameSendmail");
    REQUIRE_MESSAGE(!value.empty(), "no DontBlameSendmail line");
    return value;
}

} // namespace

TEST_CASE("SM-S052 on DOMAIN(`debian-mta')'s ten flags: any of the fixes applied at once remove "
          "exactly their flags, m4 agrees") {
    if (!debian_domain_available()) return;
    std::vector<std::string> texts{kDebianMta};
    if (std::filesystem::exists("/etc/mail/sendmail.mc"))
        texts.push_back(test::fix_all_detail::read_text("/etc/mail/sendmail.mc"));
    for (const std::string& mc : texts) {
        CAPTURE(mc.size());
        const std::multiset<std::string> stock = blame_flags(blame_value(real_m4_cf(mc)));
        REQUIRE(stock.size() == 10);
        test::RuleRun run = test::run_mc_rule("SM-S052", mc);
        REQUIRE(run.findings.size() == 10);
        std::vector<const Diagnostic*> all;
        for (const Diagnostic& d : run.findings) {
            REQUIRE(d.fix.has_value());
            all.push_back(&d);
        }
        // The first k fixes together, and each fix alone.
        std::vector<std::vector<const Diagnostic*>> subsets;
        for (size_t k = 1; k <= all.size(); ++k)
            subsets.emplace_back(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
        for (const Diagnostic* d : all)
            subsets.push_back({d});
        for (const auto& subset : subsets) {
            std::multiset<std::string> expected = stock;
            for (const Diagnostic* d : subset)
                expected.erase(removed_flag(*d));
            CAPTURE(subset.size());
            REQUIRE(expected.size() == stock.size() - subset.size());
            const std::string fixed = fixed_at_once(run, subset);
            CHECK(blame_flags(blame_value(real_m4_cf(fixed))) == expected);
            // smaudit's own expansion agrees: the removed flags are no longer reported.
            CHECK(test::run_mc_rule("SM-S052", fixed).findings.size() == expected.size());
        }
    }
}

TEST_CASE("SM-S052 on DOMAIN(`debian-mta')'s flags: fixed one at a time, m4 agrees at each step") {
    if (!debian_domain_available()) return;
    std::string mc = kDebianMta;
    // As a --fix that audits again after each fix would: each round adds one line.
    size_t rounds = 0;
    for (;; ++rounds) {
        REQUIRE(rounds < 20);
        test::RuleRun run = test::run_mc_rule("SM-S052", mc);
        if (run.findings.empty()) break;
        REQUIRE(run.findings[0].fix.has_value());
        const std::string word = removed_flag(run.findings[0]);
        mc = run.apply(*run.findings[0].fix);
        CHECK_MESSAGE(!blame_flags(blame_value(real_m4_cf(mc))).contains(word), word);
    }
    CHECK(rounds == 10); // debian-mta.m4 sets ten flags, each of which SM-S052 reports
    CHECK(blame_flags(blame_value(real_m4_cf(mc))).empty());
}

TEST_CASE("SM-S058 on an .mc value written with the wrong quotes: the fix keeps the number, m4 "
          "agrees") {
    if (!m4_available()) return;
    for (const char* written : {"'1000000'", "\"1000000\""}) {
        const std::string mc = std::string("OSTYPE(`linux')dnl\ndefine(`confMAX_MESSAGE_SIZE', ") +
                               written + ")dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n";
        CAPTURE(mc);
        REQUIRE(option_line(real_m4_cf(mc), "MaxMessageSize") == written);
        const std::string fixed = fixed_by("SM-S058", mc);
        CHECK(fixed == "OSTYPE(`linux')dnl\ndefine(`confMAX_MESSAGE_SIZE', `1000000')dnl\n"
                       "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
        CHECK(option_line(real_m4_cf(fixed), "MaxMessageSize") == "1000000");
        CHECK(test::run_mc_rule("SM-S058", fixed).findings.empty());
    }
}

TEST_CASE("SM-S022 and SM-S023 on an unquoted comma list: the fixes quote the whole list, alone "
          "or together with SM-C003's, m4 agrees") {
    if (!m4_available()) return;
    const std::string mc =
        "OSTYPE(`linux')dnl\ndefine(`confPRIVACY_FLAGS', authwarnings,noexpn)dnl\n"
        "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    // m4 keeps only the first item: EXPN is on although the .mc names noexpn.
    REQUIRE(option_line(real_m4_cf(mc), "PrivacyOptions") == "authwarnings");
    test::RuleRun expn = test::run_mc_rule("SM-S022", mc);
    REQUIRE(expn.findings.size() == 1);
    CHECK(expn.findings[0].message.find(
              "`noexpn` is written, but m4 drops it: the comma before it is not quoted") !=
          std::string::npos);
    const std::string list = "define(`confPRIVACY_FLAGS', ``authwarnings,noexpn";
    struct Case {
        std::vector<std::string_view> rules;
        std::string line, privacy;
    };
    const Case cases[] = {
        {{"SM-S022"}, list + "'')dnl", "authwarnings,noexpn"},
        {{"SM-S023"}, list + ",novrfy'')dnl", "authwarnings,noexpn,novrfy"},
        {{"SM-S022", "SM-S023"}, list + ",novrfy'')dnl", "authwarnings,noexpn,novrfy"},
        {{"SM-C003", "SM-S023"}, list + ",novrfy'')dnl", "authwarnings,noexpn,novrfy"},
        {{"SM-C003", "SM-S022", "SM-S023"}, list + ",novrfy'')dnl", "authwarnings,noexpn,novrfy"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.line);
        test::RuleRun run = test::run_mc_rules(c.rules, mc);
        REQUIRE(run.findings.size() == c.rules.size());
        std::vector<const Diagnostic*> all;
        for (const Diagnostic& d : run.findings)
            all.push_back(&d);
        const std::string fixed = fixed_at_once(run, all);
        CHECK(fixed.find("\n" + c.line + "\n") != std::string::npos);
        CHECK(option_line(real_m4_cf(fixed), "PrivacyOptions") == c.privacy);
        // The next audit finds nothing more to add (no `noexpn,noexpn`).
        for (std::string_view rule : c.rules)
            CHECK(test::run_mc_rule(rule, fixed).findings.empty());
    }
}

TEST_CASE("SM-S022 on a list quoted item by item: the message names the dropped flag, the fix adds "
          "it inside the quotes, m4 agrees") {
    if (!m4_available()) return;
    const std::string mc =
        "OSTYPE(`linux')dnl\ndefine(`confPRIVACY_FLAGS', `authwarnings',noexpn)dnl\n"
        "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    REQUIRE(option_line(real_m4_cf(mc), "PrivacyOptions") == "authwarnings");
    test::RuleRun run = test::run_mc_rule("SM-S022", mc);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].message.find("`noexpn` is written, but m4 drops it") !=
          std::string::npos);
    const std::string fixed = fixed_by("SM-S022", mc);
    CHECK(option_line(real_m4_cf(fixed), "PrivacyOptions") == "authwarnings,noexpn");
    CHECK(test::run_mc_rule("SM-S022", fixed).findings.empty());
}

TEST_CASE("SM-S023 on PrivacyOptions built by two defines: at the later one, its fix works") {
    if (test::installed_cf_tree().empty() || std::system("command -v m4 >/dev/null") != 0) {
        MESSAGE("skipped: no cf tree or no m4");
        return;
    }
    const std::string mc = "OSTYPE(`linux')dnl\n"
                           "define(`confPRIVACY_FLAGS', `authwarnings')dnl\n"
                           "define(`confPRIVACY_FLAGS', defn(`confPRIVACY_FLAGS')`,noexpn')dnl\n"
                           "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    CHECK(real_m4_cf(mc).find("\nO PrivacyOptions=authwarnings,noexpn\n") != std::string::npos);
    test::RuleRun run = test::run_mc_rule("SM-S023", mc);
    REQUIRE(run.findings.size() == 1);
    // The define that made the value, which the .mc wrote: not "a file this call reads".
    CHECK(run.line(run.findings[0]) == 3);
    CHECK(run.findings[0].label == "PrivacyOptions is set here");
    REQUIRE(run.findings[0].fix.has_value());
    const std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(real_m4_cf(fixed).find("\nO PrivacyOptions=authwarnings,noexpn,novrfy\n") !=
          std::string::npos);
    CHECK(test::run_mc_rule("SM-S023", fixed).findings.empty());
}
