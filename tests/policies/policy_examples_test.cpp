// The three example policies of docs/policies.md (docs/policies/*.json) on real configurations:
// the KB's Appendix A MX meets the MX and STIG policies and breaks the client-only one; a corpus
// MX (sazalait/sendmail) breaks what its .mc shows it breaks. Each finding checked by reading
// the .mc. Their validity against the schema: tests/scripts/policy_schema.sh.
#include "app/audit.hpp"
#include "policy/policy.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>

namespace fs = std::filesystem;
using namespace smaudit;

namespace {

// Rule ID -> the lines of its findings (0: about the file, a default).
std::multimap<std::string, uint32_t> findings(const std::string& example, const std::string& path) {
    policy::PolicySet set;
    std::vector<std::string> errors;
    const bool ok = policy::load_policy_files(
        {std::string(SMAUDIT_SOURCE_DIR) + "/docs/policies/" + example}, set, errors);
    INFO((errors.empty() ? std::string() : errors.front()));
    REQUIRE(ok);
    LoadedRules loaded(set.rules());
    AuditRequest request;
    request.paths = {path};
    request.cf_dir = "/usr/share/sendmail/cf";
    for (const Rule& rule : set.rules())
        request.selection.select.emplace_back(rule.id);
    auto run = run_audit(request, true);
    REQUIRE(run->errors.empty());
    std::multimap<std::string, uint32_t> out;
    for (const Diagnostic& d : run->result.diagnostics)
        out.emplace(d.rule_id, run->sources.line_of(d.where));
    return out;
}

const std::string kAppendixA = std::string(SMAUDIT_SOURCE_DIR) + "/fixtures/e2e/appendix-a-mx.mc";
const std::string kCorpusMx =
    std::string(SMAUDIT_SOURCE_DIR) + "/../shared/corpus/mc/sazalait__sendmail__sendmail.mc";

std::multimap<std::string, uint32_t>
expect(std::initializer_list<std::pair<const char*, uint32_t>> list) {
    std::multimap<std::string, uint32_t> out;
    for (const auto& [id, line] : list)
        out.emplace(id, line);
    return out;
}

} // namespace

TEST_CASE("the KB's Appendix A MX meets the MX and STIG example policies; its daemons on every "
          "address break the client-only one") {
    CHECK(findings("mx.json", kAppendixA).empty());
    CHECK(findings("stig.json", kAppendixA).empty());
    // DAEMON_OPTIONS(`Family=inet, Name=MTA-v4, Port=smtp') and the MSA-v4 line: no Addr=.
    CHECK(findings("client-only.json", kAppendixA) ==
          expect({{"CLIENT-001", 28}, {"CLIENT-001", 29}}));
}

TEST_CASE("a corpus MX breaks the example policies where its .mc does") {
    if (!fs::exists(kCorpusMx)) return; // the shared corpus sits beside the worktree
    // No confMAX_MESSAGE_SIZE, confMAX_RCPTS_PER_MESSAGE or confMAX_DAEMON_CHILDREN: their
    // defaults are no limit; line 38 sets PrivacyOptions without goaway.
    CHECK(findings("mx.json", kCorpusMx) ==
          expect({{"MX-001", 0}, {"MX-002", 0}, {"MX-003", 0}, {"MX-004", 38}}));
    // proto.m4's HelpFile and greeting (`$j Sendmail $v/$Z; $b`): nothing of the .mc sets them.
    CHECK(findings("stig.json", kCorpusMx) ==
          expect({{"STIG-GEN004540", 0}, {"STIG-GEN004560", 0}}));
    // Three DAEMON_OPTIONS without Addr= (MTA, MSA, TLSMTA).
    CHECK(findings("client-only.json", kCorpusMx) ==
          expect({{"CLIENT-001", 65}, {"CLIENT-001", 132}, {"CLIENT-001", 143}}));
}
