// The check catalog (rules/catalog.cpp) against the registry and the knowledge base: every entry
// of Appendix E is there, and every rule that carries a catalog number is listed under it.
#include "engine/rule.hpp"
#include "rules/catalog.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

using namespace smaudit;

namespace {

// Appendix E's order: CFG, SEC, PERF.
int prefix_rank(std::string_view id) {
    if (id.starts_with("CFG-")) return 0;
    if (id.starts_with("SEC-")) return 1;
    if (id.starts_with("PERF-")) return 2;
    return -1;
}

bool well_formed_catalog_id(std::string_view id) {
    if (prefix_rank(id) < 0) return false;
    std::string_view number = id.substr(id.find('-') + 1);
    return number.size() == 3 &&
           std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view number_of(std::string_view id) {
    return id.substr(id.size() - 3);
}

// The catalog ID a rule's number stands for: SM-S041 → SEC-041, SM-P003 → PERF-003,
// SM-C001 → CFG-001; none for syntax codes.
std::string catalog_id_of_number(std::string_view rule_id) {
    switch (rule_id[3]) {
    case 'S':
        return "SEC-" + std::string(number_of(rule_id));
    case 'P':
        return "PERF-" + std::string(number_of(rule_id));
    case 'C':
        return "CFG-" + std::string(number_of(rule_id));
    }
    return {};
}

const CatalogEntry* entry_named(std::string_view id) {
    for (const CatalogEntry& entry : catalog())
        if (entry.id == id) return &entry;
    return nullptr;
}

} // namespace

TEST_CASE("catalog IDs are well formed, unique and in Appendix E's order") {
    const auto& entries = catalog();
    REQUIRE_FALSE(entries.empty());
    for (size_t i = 0; i < entries.size(); ++i) {
        INFO("entry ", entries[i].id);
        CHECK(well_formed_catalog_id(entries[i].id));
        CHECK_FALSE(entries[i].title.empty());
        CHECK_FALSE(entries[i].kb_severity.empty());
        if (i > 0) {
            auto key = [](std::string_view id) {
                return std::tuple(prefix_rank(id), number_of(id));
            };
            CHECK(key(entries[i - 1].id) < key(entries[i].id)); // sorted, hence unique
        }
    }
}

TEST_CASE("an entry is implemented exactly when it names registered rules; others say why") {
    for (const CatalogEntry& entry : catalog()) {
        INFO("entry ", entry.id, " (", to_string(entry.status), ")");
        CHECK((entry.status == CatalogStatus::Implemented) == !entry.rules.empty());
        CHECK(std::is_sorted(entry.rules.begin(), entry.rules.end()));
        for (std::string_view id : entry.rules) {
            const Rule* rule = find_rule(id);
            CHECK_MESSAGE(rule != nullptr, id, " is not in rules/registry.cpp");
            if (rule) {
                CHECK(rule->id == id); // the ID itself, not a name
                CHECK_MESSAGE(rule->pack != Pack::Syntax, id, " is a syntax code");
            }
        }
        // "Needs the live tree" and "cannot be decided from files" are answers only with a reason.
        if (entry.status == CatalogStatus::NeedsLiveTree ||
            entry.status == CatalogStatus::Undecidable)
            CHECK_FALSE(entry.note.empty());
    }
}

TEST_CASE("every rule with a catalog number is listed under that entry, or the entry says why") {
    int numbered = 0;
    for (const Rule& rule : all_rules()) {
        if (rule.pack == Pack::Syntax) continue;
        const CatalogEntry* entry = entry_named(catalog_id_of_number(rule.id));
        if (!entry) continue; // beyond the catalog (SM-S063): one of smaudit's own checks
        ++numbered;
        INFO("rule ", rule.id, " and ", entry->id);
        const bool listed =
            std::find(entry->rules.begin(), entry->rules.end(), rule.id) != entry->rules.end();
        // SM-C003 (unquoted-comma-list) is not CFG-003: such an entry's note names the rule.
        CHECK_MESSAGE((listed || entry->note.find(rule.id) != std::string_view::npos), "list ",
                      rule.id, " in the rules of ", entry->id,
                      " in rules/catalog.cpp (status Implemented), or say in its note why not");
    }
    CHECK(numbered > 0);
}

TEST_CASE("catalog_entries_of and catalog_pack") {
    for (const CatalogEntry& entry : catalog())
        for (std::string_view id : entry.rules) {
            auto entries = catalog_entries_of(id);
            CHECK(std::find(entries.begin(), entries.end(), &entry) != entries.end());
        }
    CHECK(catalog_entries_of("SM-E001").empty());
    CHECK(catalog_pack("SEC-001") == Pack::Security);
    CHECK(catalog_pack("PERF-001") == Pack::Performance);
    CHECK(catalog_pack("CFG-001") == Pack::Consistency);
}

TEST_CASE("the catalog holds every entry of the knowledge base's Appendix E, as it words them") {
    const std::string path = SMAUDIT_SOURCE_DIR "/../shared/knowledge/sendmail-audit-kb.md";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        MESSAGE("skipped: no knowledge base at ", path);
        return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string kb = text.str();
    const size_t start = kb.find("## Appendix E.");
    REQUIRE(start != std::string::npos);
    const size_t end = kb.find("\n## ", start + 1);
    std::istringstream appendix(kb.substr(start, end - start));
    // | ID | Title | Sev | Files |
    const std::regex row(R"(^\| ((?:CFG|SEC|PERF)-\d{3}) \| (.*) \| (.*) \| (.*) \|$)");
    std::vector<std::tuple<std::string, std::string, std::string>> expected, actual;
    for (std::string line; std::getline(appendix, line);)
        if (std::smatch m; std::regex_match(line, m, row)) expected.emplace_back(m[1], m[2], m[3]);
    for (const CatalogEntry& entry : catalog())
        actual.emplace_back(entry.id, entry.title, entry.kb_severity);
    // Appendix E's own count: 3 CFG, 61 SEC (019 unused), 37 PERF.
    CHECK(expected.size() == 101);
    CHECK(actual.size() == expected.size());
    for (size_t i = 0; i < std::max(actual.size(), expected.size()); ++i) {
        auto shown = [](const auto& list, size_t at) {
            if (at >= list.size()) return std::string("(none)");
            const auto& [id, title, severity] = list[at];
            return id + " | " + title + " | " + severity;
        };
        const bool same = i < actual.size() && i < expected.size() && actual[i] == expected[i];
        CHECK_MESSAGE(same, "row ", i + 1, ": rules/catalog.cpp has `", shown(actual, i),
                      "`, Appendix E `", shown(expected, i), "`");
    }
}
