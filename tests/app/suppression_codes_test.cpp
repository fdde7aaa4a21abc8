// The suppression comments' own codes, SM-E301 unused-suppression and SM-E302
// suppression-without-reason, through the whole audit (run_audit with every rule, since whether
// a suppression is used depends on the other rules' findings): the fixtures of
// fixtures/suppress/<ID>/ find exactly what their `expect-next` annotations say, and each page's
// Bad example fires and Good example does not. When a suppression is judged unused at all
// (rules not selected, a configuration not built, --no-suppressions) is tested here too.
#include "app/audit.hpp"
#include "engine/rule_docs.hpp"
#include "m4/expand.hpp"

#include "../support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

using Expectation = std::pair<std::string, uint32_t>; // code, line

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `# expect-next: SM-E301` (`dnl expect-next:` in an .mc): a finding of that code on the next
// line that is not an annotation.
std::vector<Expectation> annotations(const std::string& text) {
    std::vector<Expectation> expected;
    std::vector<std::string> pending;
    std::istringstream lines(text);
    uint32_t number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (line.starts_with("dnl expect-next:")) line.replace(0, 3, "#");
        if (line.starts_with("# expect-next:")) {
            std::istringstream ids(line.substr(14));
            for (std::string id; ids >> id;)
                pending.push_back(id);
            continue;
        }
        for (std::string& id : pending)
            expected.emplace_back(std::move(id), number);
        pending.clear();
    }
    REQUIRE(pending.empty());
    std::sort(expected.begin(), expected.end());
    return expected;
}

std::unique_ptr<AuditRun> audit(const fs::path& path, RuleSelection selection = {},
                                bool no_suppressions = false) {
    AuditRequest request;
    request.paths = {path.string()};
    request.selection = std::move(selection);
    request.no_suppressions = no_suppressions;
    auto run = run_audit(request, true);
    REQUIRE(run->errors.empty());
    return run;
}

// The SM-E30x findings of a run, as (code, line).
std::vector<Expectation> suppression_findings(const AuditRun& run) {
    std::vector<Expectation> found;
    for (const Diagnostic& d : run.result.diagnostics)
        if (d.rule_id.starts_with("SM-E30"))
            found.emplace_back(d.rule_id,
                               d.where.valid()
                                   ? run.sources.get(d.where.file).position(d.where.span.begin).line
                                   : 0);
    std::sort(found.begin(), found.end());
    return found;
}

bool cf_tree_installed() {
    return m4::find_cf_dir("").has_value();
}

} // namespace

TEST_CASE("fixtures/suppress: each file finds exactly what its annotations say") {
    int files = 0;
    for (const char* code : {"SM-E301", "SM-E302"}) {
        int bad = 0, good = 0;
        for (const auto& entry :
             fs::directory_iterator(fs::path(SMAUDIT_SOURCE_DIR) / "fixtures/suppress" / code)) {
            const fs::path& path = entry.path();
            INFO("fixture ", path.string());
            if (path.extension() == ".mc" && !cf_tree_installed()) {
                MESSAGE("no sendmail cf tree installed: ", path.string(), " not run");
                continue;
            }
            const std::string name = path.filename().string();
            std::vector<Expectation> expected = annotations(read_text(path));
            CHECK(suppression_findings(*audit(path)) == expected);
            if (name.starts_with("bad")) {
                ++bad;
                CHECK(!expected.empty());
                for (const auto& [id, line] : expected)
                    CHECK(id == code);
            } else {
                ++good;
                CHECK(expected.empty());
            }
            ++files;
        }
        CHECK_MESSAGE(bad > 0, code, " has no bad fixture");
        CHECK_MESSAGE(good > 0, code, " has no good fixture");
    }
    CHECK(files >= 4);
}

TEST_CASE("SM-E301 and SM-E302: each fires on its page's Bad example, not on its Good one") {
    TempDir dir("smaudit-suppression-codes");
    for (const char* code : {"SM-E301", "SM-E302"}) {
        INFO(code);
        for (const char* heading : {"Bad example", "Good example"}) {
            std::string_view block = doc_code_block(rule_doc(code), heading);
            REQUIRE(!block.empty());
            const fs::path cf = dir.path / "example.cf";
            std::ofstream(cf, std::ios::binary) << block;
            std::vector<Expectation> found = suppression_findings(*audit(cf));
            if (std::string_view(heading) == "Bad example") {
                REQUIRE(found.size() == 1);
                CHECK(found[0] == Expectation{code, 2});
            } else {
                CHECK(found.empty());
            }
        }
    }
}

TEST_CASE("a suppression of a rule that did not run is not unused") {
    const fs::path bad = fs::path(SMAUDIT_SOURCE_DIR) / "fixtures/suppress/SM-E301/bad-unused.cf";
    // Only the suppression codes run: no named rule ran, so only the names of no rule are
    // unused (lines 15 and 18).
    RuleSelection only_codes;
    only_codes.select = {"SM-E3"};
    CHECK(suppression_findings(*audit(bad, only_codes)) ==
          std::vector<Expectation>{{"SM-E301", 15}, {"SM-E301", 18}});
    // The performance pack alone: SM-S023 and SM-S020 did not run.
    RuleSelection performance;
    performance.packs = {"performance", "syntax"};
    CHECK(suppression_findings(*audit(bad, performance)) ==
          std::vector<Expectation>{{"SM-E301", 15}, {"SM-E301", 18}});
    // SM-S023 ignored: its two suppressions are not judged, SM-S020's is.
    RuleSelection without_s023;
    without_s023.ignore = {"SM-S023"};
    CHECK(suppression_findings(*audit(bad, without_s023)) ==
          std::vector<Expectation>{{"SM-E301", 7}, {"SM-E301", 15}, {"SM-E301", 18}});
    // SM-E301 itself not selected: none.
    RuleSelection no_e301;
    no_e301.ignore = {"SM-E301"};
    CHECK(suppression_findings(*audit(bad, no_e301)).empty());
}

TEST_CASE("a configuration that could not be built judges no suppression unused") {
    TempDir dir("smaudit-suppression-codes");
    // sendmail refuses this .cf (an unknown option name on line 4): its rules' findings are not all
    // known, so the unused suppression on line 2 is not reported; the missing reason still is.
    const fs::path cf = dir.path / "refused.cf";
    std::ofstream(cf, std::ios::binary) << "V10/Berkeley\n"
                                           "# smaudit: ignore[SM-S023]\n"
                                           "O PrivacyOptions=goaway\n"
                                           "O PrivacyOptons=goaway\n";
    CHECK(suppression_findings(*audit(cf)) == std::vector<Expectation>{{"SM-E302", 2}});
}

TEST_CASE("--no-suppressions reads no suppression: nothing silenced, no SM-E301/SM-E302") {
    const fs::path bad =
        fs::path(SMAUDIT_SOURCE_DIR) / "fixtures/suppress/SM-E302/bad-no-reason.cf";
    auto with = audit(bad);
    CHECK(with->result.suppressed.size() == 4);
    auto without = audit(bad, {}, true);
    CHECK(without->result.suppressed.empty());
    CHECK(suppression_findings(*without).empty());
    CHECK(without->result.diagnostics.size() ==
          with->result.diagnostics.size() - 3 + with->result.suppressed.size());
}
