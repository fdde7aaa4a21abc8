// The examples of the SM-E doc pages are tests: each bad example yields exactly its own
// diagnostic, each good example none.
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace smaudit;

namespace {

// The ```cf block under `heading`; "^@" stands for a NUL byte, "^M" for a CR.
std::string example(const std::string& page, const std::string& heading) {
    size_t at = page.find("\n" + heading + "\n");
    REQUIRE(at != std::string::npos);
    size_t open = page.find("```cf\n", at);
    REQUIRE(open != std::string::npos);
    open += 6;
    size_t close = page.find("```", open);
    REQUIRE(close != std::string::npos);
    std::string block = page.substr(open, close - open);
    for (size_t nul; (nul = block.find("^@")) != std::string::npos;)
        block.replace(nul, 2, 1, '\0');
    for (size_t cr; (cr = block.find("^M")) != std::string::npos;)
        block.replace(cr, 2, 1, '\r');
    return block;
}

} // namespace

TEST_CASE("SM-E doc page examples") {
    for (const SyntaxCode& rule : cf_syntax_rules()) {
        std::string path =
            std::string(SMAUDIT_SOURCE_DIR) + "/docs/rules/" + std::string(rule.id) + ".md";
        std::ifstream in(path);
        REQUIRE_MESSAGE(in.good(), "missing doc page " << path);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string page = ss.str();
        INFO(rule.id);
        CHECK(page.rfind("# " + std::string(rule.id) + " " + std::string(rule.name) + "\n", 0) ==
              0);
        for (const char* section : {"## Why", "## Fix", "## References"})
            CHECK(page.find(std::string("\n") + section + "\n") != std::string::npos);

        SourceSet set;
        std::vector<Diagnostic> bad_diagnostics, good_diagnostics;
        parse_cf(set, set.add("bad.cf", example(page, "## Bad example")), bad_diagnostics);
        REQUIRE(bad_diagnostics.size() == 1);
        CHECK(bad_diagnostics[0].rule_id == rule.id);
        CHECK(bad_diagnostics[0].rule_name == rule.name);
        parse_cf(set, set.add("good.cf", example(page, "## Good example")), good_diagnostics);
        CHECK(good_diagnostics.empty());
    }
}
