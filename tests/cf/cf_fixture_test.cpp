// Fixture files in fixtures/parse/cf: a file with every line type that sendmail reads without
// complaint, and a file whose bad lines are announced by `# expect-next: SM-E0NN` comments (both
// checked with sendmail 8.17, see the files' headers).
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

using namespace smaudit;
using namespace smaudit::ast;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(SMAUDIT_SOURCE_DIR) + "/fixtures/parse/cf/" + name,
                     std::ios::binary);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST_CASE("fixture with every line type parses cleanly") {
    SourceSet set;
    FileId id = set.add("all-line-types.cf", fixture("all-line-types.cf"), FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    CfFile file = parse_cf(set, id, diagnostics);
    CHECK(diagnostics.empty());
    size_t counts[std::variant_size_v<CfStatement>] = {};
    for (const auto& s : file.statements)
        ++counts[s.index()];
    CHECK(counts[CfStatement(CfComment{}).index()] == 3);
    CHECK(counts[CfStatement(CfVersion{}).index()] == 1);
    CHECK(counts[CfStatement(CfMacroDef{}).index()] == 3);
    CHECK(counts[CfStatement(CfClass{}).index()] == 4);
    CHECK(counts[CfStatement(CfOption{}).index()] == 5);
    CHECK(counts[CfStatement(CfHeader{}).index()] == 3);
    CHECK(counts[CfStatement(CfMap{}).index()] == 2);
    CHECK(counts[CfStatement(CfMailer{}).index()] == 2);
    CHECK(counts[CfStatement(CfQueueGroup{}).index()] == 1);
    CHECK(counts[CfStatement(CfMilter{}).index()] == 1);
    CHECK(counts[CfStatement(CfPrecedence{}).index()] == 2);
    CHECK(counts[CfStatement(CfTrustedUsers{}).index()] == 1);
    CHECK(counts[CfStatement(CfEnv{}).index()] == 1);
    CHECK(counts[CfStatement(CfRuleset{}).index()] == 6);
    CHECK(counts[CfStatement(CfRule{}).index()] == 7);
    CHECK(counts[CfStatement(CfOther{}).index()] == 0);
}

TEST_CASE("fixture with expect-next annotations: exactly the announced diagnostics") {
    std::string text = fixture("errors.cf");
    SourceSet set;
    FileId id = set.add("errors.cf", text, FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    parse_cf(set, id, diagnostics);
    const SourceFile& source = set.get(id);
    std::set<std::pair<std::string, uint32_t>> expected, got;
    const std::string marker = "# expect-next: ";
    for (uint32_t line = 1; line <= source.line_count(); ++line) {
        std::string_view t = source.line_text(line);
        if (t.substr(0, marker.size()) == marker)
            expected.insert({std::string(t.substr(marker.size())), line + 1});
    }
    for (const auto& d : diagnostics)
        got.insert({d.rule_id, source.position(d.where.span.begin).line});
    CHECK(expected.size() == 13);
    CHECK(got == expected);
}
