// docs/rules/index.md is what the registry and the catalog make of it, and the index lists every
// catalog entry and every rule.
#include "app/rule_index.hpp"
#include "engine/rule.hpp"
#include "rules/catalog.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace smaudit;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

// The first line where two texts differ, as "line N: `old` / `new`"; empty when equal.
static std::string first_difference(const std::string& file, const std::string& made) {
    std::istringstream a(file), b(made);
    std::string line_a, line_b;
    for (int line = 1;; ++line) {
        bool more_a = static_cast<bool>(std::getline(a, line_a));
        bool more_b = static_cast<bool>(std::getline(b, line_b));
        if (!more_a && !more_b) return file == made ? "" : "the final newline";
        if (!more_a) line_a = "(end of file)";
        if (!more_b) line_b = "(end of file)";
        if (line_a != line_b || !more_a || !more_b)
            return "line " + std::to_string(line) + ":\n  file: " + line_a.substr(0, 200) +
                   "\n  made: " + line_b.substr(0, 200);
    }
}

TEST_CASE("docs/rules/index.md is up to date") {
    const std::string path = SMAUDIT_SOURCE_DIR "/docs/rules/index.md";
    const std::string difference = first_difference(read_file(path), rule_index_markdown());
    CHECK_MESSAGE(difference.empty(), "docs/rules/index.md is stale, at ", difference,
                  "\nRegenerate it: build, then run `build/", std::string(kRuleIndexCommand),
                  "` in the source tree, and commit it");
}

TEST_CASE("the index has a row for every catalog entry and every rule, linked to its page") {
    const std::string index = rule_index_markdown();
    for (const CatalogEntry& entry : catalog())
        CHECK_MESSAGE(index.find("\n| " + std::string(entry.id) + " | ") != std::string::npos,
                      entry.id);
    for (const Rule& rule : all_rules()) {
        const std::string link = "[" + std::string(rule.id) + "](" + std::string(rule.id) + ".md)";
        CHECK_MESSAGE(index.find(link) != std::string::npos, rule.id);
        CHECK(std::filesystem::exists(SMAUDIT_SOURCE_DIR "/docs/rules/" + std::string(rule.id) +
                                      ".md"));
    }
    // A catalog entry no rule implements says so, in words a reader cannot take for a rule.
    for (const CatalogEntry& entry : catalog())
        if (entry.status == CatalogStatus::Planned) {
            std::string row = "\n| " + std::string(entry.id) + " | ";
            size_t at = index.find(row);
            REQUIRE(at != std::string::npos);
            std::string line = index.substr(at + 1, index.find('\n', at + 1) - at - 1);
            CHECK_MESSAGE(line.find("| — |") != std::string::npos, line);
            CHECK_MESSAGE(line.find("not yet implemented") != std::string::npos, line);
        }
}

TEST_CASE("own checks are the rules no catalog entry names, listed once each") {
    const std::string index = rule_index_markdown();
    const size_t own = index.find("\n## smaudit's own checks\n");
    REQUIRE(own != std::string::npos);
    for (const Rule& rule : all_rules()) {
        const std::string link = "[" + std::string(rule.id) + "](";
        const bool in_own = index.find(link, own) != std::string::npos;
        CHECK_MESSAGE(in_own == catalog_entries_of(rule.id).empty(), rule.id);
    }
}

TEST_CASE("the JSON index has every rule with its catalog entries and every entry's status") {
    nlohmann::ordered_json all = rule_index_json({});
    CHECK(all["version"] == 1);
    CHECK(all["rules"].size() == all_rules().size());
    CHECK(all["catalog"].size() == catalog().size());
    for (const auto& rule : all["rules"])
        for (const auto& id : rule["catalog"]) {
            bool found = false;
            for (const auto& entry : all["catalog"])
                if (entry["id"] == id)
                    for (const auto& listed : entry["rules"])
                        found = found || listed == rule["id"];
            CHECK_MESSAGE(found, rule["id"].get<std::string>(), " ", id.get<std::string>());
        }
    nlohmann::ordered_json implemented = rule_index_json({.implemented_only = true});
    for (const auto& entry : implemented["catalog"])
        CHECK(entry["status"] == "implemented");
}
