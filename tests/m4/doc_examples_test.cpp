// The bad and good examples of the m4 layer's doc pages (docs/rules/SM-E10x.md) are tests: the
// bad one raises its diagnostic, the good one does not.
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>

namespace {

// The fenced block under `## <heading>` of a doc page.
std::string example(const std::string& page, const std::string& heading) {
    const size_t h = page.find("## " + heading + "\n");
    REQUIRE(h != std::string::npos);
    const size_t open = page.find("```", h);
    const size_t start = page.find('\n', open) + 1;
    const size_t close = page.find("```", start);
    return page.substr(start, close - start);
}

bool raises(const std::string& id, const std::string& mc, const std::string& cf_dir) {
    smaudit::SourceSet sources;
    const auto file = sources.add("example.mc", mc, smaudit::FileKind::Mc);
    smaudit::m4::ExpandOptions options;
    options.cf_dir = cf_dir;
    options.max_expansions = 100000;
    const auto e = smaudit::m4::expand_mc(sources, file, options);
    for (const auto& d : e.diagnostics)
        if (d.rule_id == id) return true;
    return false;
}

} // namespace

TEST_CASE("doc page examples of SM-E101..SM-E106") {
    const std::string tree = "/usr/share/sendmail/cf";
    if (!std::filesystem::exists(tree + "/m4/cf.m4")) {
        MESSAGE("no cf tree: skipped");
        return;
    }
    for (const char* id :
         {"SM-E101", "SM-E102", "SM-E103", "SM-E104", "SM-E105", "SM-E106", "SM-E107"}) {
        CAPTURE(id);
        const std::string page =
            m4test::read_text(std::string(SMAUDIT_SOURCE_DIR "/docs/rules/") + id + ".md");
        REQUIRE_FALSE(page.empty());
        CHECK(page.rfind(std::string("# ") + id + " ", 0) == 0);
        // SM-E101's bad case is the missing tree itself.
        const std::string bad_tree = std::string(id) == "SM-E101" ? "/nonexistent/cf" : tree;
        CHECK(raises(id, example(page, "Bad example"), bad_tree));
        CHECK_FALSE(raises(id, example(page, "Good example"), tree));
    }
}
