// The doc pages of the model's own diagnostics (docs/rules/SM-E050..054.md): the bad example
// must raise exactly that diagnostic, the good example nothing. (Both were also fed to sendmail
// 8.17.1.9 with -bt: it printed the matching readcf error for every bad example and nothing
// for the good ones.)
#include "hand_ast.hpp"
#include "model/config.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace smaudit;

namespace {

std::string read_page(const std::string& id) {
    std::ifstream in(std::string(SMAUDIT_SOURCE_DIR) + "/docs/rules/" + id + ".md");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string cf_block(const std::string& page, const std::string& heading) {
    size_t at = page.find("## " + heading);
    if (at == std::string::npos) return {};
    size_t open = page.find("```cf\n", at);
    size_t close = page.find("\n```", open + 6);
    if (open == std::string::npos || close == std::string::npos) return {};
    return page.substr(open + 6, close - open - 6 + 1);
}

std::vector<std::string> rule_ids(const std::string& text) {
    test::HandCf input = test::hand_cf(text);
    std::vector<Diagnostic> diagnostics;
    model::build_config(input.sources, input.cf, diagnostics);
    std::vector<std::string> ids;
    for (const Diagnostic& d : diagnostics)
        ids.push_back(d.rule_id);
    return ids;
}

} // namespace

TEST_CASE("SM-E05x doc examples") {
    struct Page {
        const char* id;
        const char* name;
        size_t bad_count;
    };
    for (Page page :
         {Page{"SM-E050", "unknown-option", 2}, Page{"SM-E051", "ambiguous-option-name", 1},
          Page{"SM-E052", "unknown-option-flag", 2}, Page{"SM-E053", "unknown-port-option-key", 1},
          Page{"SM-E054", "abbreviated-option-name", 1}}) {
        CAPTURE(page.id);
        std::string markdown = read_page(page.id);
        REQUIRE(!markdown.empty());
        CHECK(markdown.rfind(std::string("# ") + page.id + " " + page.name + "\n", 0) == 0);
        std::string bad = cf_block(markdown, "Bad example");
        std::string good = cf_block(markdown, "Good example");
        REQUIRE(!bad.empty());
        REQUIRE(!good.empty());
        CHECK(rule_ids(bad) == std::vector<std::string>(page.bad_count, page.id));
        CHECK(rule_ids(good).empty());
    }
}
