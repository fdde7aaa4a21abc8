// The examples of every doc page are tests: the rule fires on its Bad example and stays quiet on
// its Good example (ruff's and clang-tidy's rule docs work the same way).
#include "engine/rule_docs.hpp"
#include "map_db_tree.hpp"
#include "map_rule_run.hpp"
#include "mc_test_support.hpp"
#include "rule_test_support.hpp"
#include "tree_run.hpp"

using namespace smaudit;

namespace {

// The language of the fence a block returned by doc_code_block() sits in ("cf", "access").
std::string_view fence_language(std::string_view page, std::string_view block) {
    size_t body = static_cast<size_t>(block.data() - page.data());
    size_t fence = page.rfind("```", body);
    if (fence == std::string_view::npos) return {};
    size_t eol = page.find('\n', fence);
    std::string_view language = page.substr(fence + 3, eol - fence - 3);
    while (!language.empty() && (language.back() == ' ' || language.back() == '\r'))
        language.remove_suffix(1);
    return language;
}

struct ExampleRun {
    std::vector<Diagnostic> parse_diagnostics;
    std::vector<Diagnostic> findings;
    bool skipped = false; // an .mc example with no cf tree installed to expand it
};

using Block = std::pair<std::string_view, std::string_view>; // language, text

// The fenced blocks of one example heading: the first one (doc_code_block) and any further
// blocks before the next heading, for cross-file examples (a .cf with its access map).
std::vector<Block> example_blocks(std::string_view page, std::string_view heading) {
    std::string_view first = doc_code_block(page, heading);
    if (first.empty()) return {};
    std::vector<Block> blocks{{fence_language(page, first), first}};
    size_t at = static_cast<size_t>(first.data() - page.data()) + first.size();
    at = page.find('\n', at); // the closing fence line
    size_t section_end = page.find("\n## ", at);
    while (at != std::string_view::npos) {
        size_t fence = page.find("\n```", at);
        if (fence == std::string_view::npos || fence > section_end) break;
        size_t body = page.find('\n', fence + 1);
        size_t close = body == std::string_view::npos ? body : page.find("\n```", body);
        if (close == std::string_view::npos) break;
        std::string_view text = page.substr(body + 1, close + 1 - (body + 1));
        std::string_view language = fence_language(page, text);
        // Only files the test can audit together; other blocks (an .mc equivalent) are prose.
        // A ```diff after an .mc makes the .cf beside it of the .mc's output (SM-C006).
        if (language == "cf" || language == "diff" || language == "helpfile" ||
            language == "tree" || language.starts_with("source-") || language.starts_with("db-") ||
            test::map_kind_of(language))
            blocks.emplace_back(language, text);
        at = page.find('\n', close + 1);
    }
    return blocks;
}

// A ```cf block is a .cf; ```access / ```aliases / ```relay-domains blocks are those maps.
// Map blocks without a cf block are audited without a configuration (only Maps-scope rules
// run then).
ExampleRun run_example(const Rule& rule, std::vector<Block> blocks, const std::string& name) {
    // A ```tree block (a file-system rule's example) is built under a root of its own with the
    // ```cf block as its /etc/mail/sendmail.cf, and audited with --root (tree_run.hpp).
    if (auto tree_block = std::find_if(blocks.begin(), blocks.end(),
                                       [](const Block& b) { return b.first == "tree"; });
        tree_block != blocks.end()) {
        auto cf = std::find_if(blocks.begin(), blocks.end(),
                               [](const Block& b) { return b.first == "cf"; });
        REQUIRE(cf != blocks.end());
        test::TreeRun run =
            test::run_tree_rule(std::string(rule.id), std::string(cf->second), tree_block->second);
        return {{}, std::move(run.run->result.diagnostics)};
    }
    // A ```helpfile block is the help file the configuration's HelpFile names.
    std::vector<test::NamedText> named;
    for (auto it = blocks.begin(); it != blocks.end();)
        if (it->first == "helpfile") {
            named.push_back({"HelpFile", name + ".helpfile", std::string(it->second)});
            it = blocks.erase(it);
        } else {
            ++it;
        }
    // ```source-access and ```db-access blocks: the map's source now and the text its .db was
    // built from, in a tree of map databases (map_db_tree.hpp) under the configuration's
    // /etc/mail paths.
    std::map<std::string, test::MapDbFile> map_dbs;
    for (auto it = blocks.begin(); it != blocks.end();) {
        const bool source = it->first.starts_with("source-");
        if (!source && !it->first.starts_with("db-")) {
            ++it;
            continue;
        }
        const std::string map(it->first.substr(source ? 7 : 3));
        map_dbs[map].name = map;
        (source ? map_dbs[map].source : map_dbs[map].built_from) = std::string(it->second);
        it = blocks.erase(it);
    }
    std::unique_ptr<test::MapDbTree> tree;
    if (!map_dbs.empty()) {
        std::vector<test::MapDbFile> files;
        for (auto& [map, file] : map_dbs)
            files.push_back(std::move(file));
        tree = test::build_map_db_tree(files);
    }
    const std::string root = tree ? tree->root() : std::string();
    // A ```mc block is expanded by the m4 engine with the installed cf tree and audited as
    // `smaudit` audits an .mc (build_mc_config). Further blocks of an .mc example show what m4
    // writes for it: prose, not audited; a ```diff block is the .cf beside it (SM-C006).
    if (!blocks.empty() && blocks[0].first == "mc") {
        if (test::installed_cf_tree().empty()) return {{}, {}, true};
        auto diff = std::find_if(blocks.begin(), blocks.end(),
                                 [](const Block& b) { return b.first == "diff"; });
        test::RuleRun run =
            diff == blocks.end()
                ? test::run_mc_rule(rule.id, std::string(blocks[0].second), name + ".mc", named,
                                    root)
                : test::run_mc_rule_with_loaded_cf(rule.id, std::string(blocks[0].second),
                                                   diff->second, name + ".mc", name + ".cf");
        // m4's own messages (SM-E105) come with the patterns several .mc rules are about (an
        // ordering error, an open relay's warning); they are tested with SM-E105's page.
        std::erase_if(run.parse_diagnostics,
                      [](const Diagnostic& d) { return d.rule_id == "SM-E105"; });
        return {std::move(run.parse_diagnostics), std::move(run.findings)};
    }
    if (blocks.size() == 1 && !test::map_kind_of(blocks[0].first)) {
        test::RuleRun run =
            test::run_rule(rule.id, std::string(blocks[0].second), name + ".cf", named, root);
        return {std::move(run.parse_diagnostics), std::move(run.findings)};
    }
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [language, text] : blocks) {
        INFO("example language ", language);
        REQUIRE((language == "cf" || test::map_kind_of(language).has_value()));
        files.emplace_back(name + "." + std::string(language), std::string(text));
    }
    test::MapRun run = test::run_rule_on_maps(rule.id, std::move(files));
    return {std::move(run.parse_diagnostics), std::move(run.findings)};
}

} // namespace

TEST_CASE("each rule fires on its Bad example and not on its Good example") {
    for (const Rule& rule : all_rules()) {
        // Syntax codes come from a parser, not from a check: their examples are tested with their
        // parser (tests/cf, tests/model, tests/m4, tests/maps).
        if (rule.pack == Pack::Syntax) continue;
        INFO("rule ", rule.id);
        std::string_view page = rule_doc(rule.id);
        std::vector<Block> bad = example_blocks(page, "Bad example");
        std::vector<Block> good = example_blocks(page, "Good example");
        REQUIRE_FALSE(bad.empty());
        REQUIRE_FALSE(good.empty());

        ExampleRun bad_run = run_example(rule, bad, "bad-example");
        if (bad_run.skipped) {
            MESSAGE("no sendmail cf tree installed: the .mc examples of ", rule.id, " not run");
            continue;
        }
        CHECK(bad_run.parse_diagnostics.empty());
        CHECK_MESSAGE(!bad_run.findings.empty(), rule.id, " does not fire on:\n",
                      bad.front().second);
        for (const Diagnostic& d : bad_run.findings)
            CHECK(d.rule_id == rule.id);

        ExampleRun good_run = run_example(rule, good, "good-example");
        CHECK(good_run.parse_diagnostics.empty());
        std::string found;
        for (const Diagnostic& d : good_run.findings)
            found += "\n  " + d.message;
        CHECK_MESSAGE(good_run.findings.empty(), rule.id, " fires on its good example:", found);
    }
}
