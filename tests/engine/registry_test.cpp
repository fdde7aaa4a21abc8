// The rule table (rules/registry.cpp) and its doc pages: the invariants every rule must keep.
#include "engine/rule.hpp"
#include "engine/rule_docs.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <set>
#include <string>

using namespace smaudit;

namespace {

// SM-[SPCE]ddd: S security, P performance, C consistency, E syntax/config errors.
bool well_formed_id(std::string_view id) {
    if (id.size() != 7 || id.substr(0, 3) != "SM-") return false;
    if (std::string_view("SPCE").find(id[3]) == std::string_view::npos) return false;
    for (char c : id.substr(4))
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

bool kebab_case(std::string_view name) {
    if (name.empty() || name.front() == '-' || name.back() == '-') return false;
    if (name.find("--") != std::string_view::npos) return false;
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
            return false;
    return true;
}

char pack_letter(Pack pack) {
    switch (pack) {
    case Pack::Security:
        return 'S';
    case Pack::Performance:
        return 'P';
    case Pack::Consistency:
        return 'C';
    case Pack::Syntax:
        return 'E';
    }
    return '?';
}

} // namespace

TEST_CASE("the helpers of this test tell good from bad") {
    CHECK(well_formed_id("SM-S023"));
    CHECK_FALSE(well_formed_id("SM-X023"));
    CHECK_FALSE(well_formed_id("SM-S23"));
    CHECK_FALSE(well_formed_id("SM-S02a"));
    CHECK(kebab_case("vrfy-enabled"));
    CHECK_FALSE(kebab_case("Vrfy-enabled"));
    CHECK_FALSE(kebab_case("vrfy_enabled"));
    CHECK_FALSE(kebab_case("vrfy--enabled"));
    CHECK_FALSE(kebab_case("-vrfy"));
}

TEST_CASE("the registry is sorted by ID, with unique well-formed IDs and names") {
    const std::vector<Rule>& rules = all_rules();
    REQUIRE_FALSE(rules.empty());
    std::set<std::string_view> ids, names;
    for (size_t i = 0; i < rules.size(); ++i) {
        const Rule& rule = rules[i];
        INFO("rule ", rule.id, " ", rule.name);
        CHECK(well_formed_id(rule.id));
        CHECK(rule.id[3] == pack_letter(rule.pack)); // the ID's letter says the pack
        CHECK(kebab_case(rule.name));
        CHECK(ids.insert(rule.id).second);
        CHECK(names.insert(rule.name).second);
        if (i > 0) CHECK(rules[i - 1].id < rule.id);
        CHECK_FALSE(rule.summary.empty());
        CHECK_FALSE(rule.fix_title.empty());
        if (rule.pack == Pack::Syntax) {
            // Syntax codes are reported by their parser: no check, no weight in the scores.
            CHECK(rule.weight == 0);
            CHECK((rule.check == nullptr));
        } else {
            CHECK(rule.weight > 0);
            CHECK((rule.check != nullptr));
        }
    }
}

TEST_CASE("find_rule knows every rule by ID and by name, in any case") {
    for (const Rule& rule : all_rules()) {
        CHECK(find_rule(rule.id) == &rule);
        CHECK(find_rule(rule.name) == &rule);
        std::string lower(rule.id);
        for (char& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(find_rule(lower) == &rule);
    }
    CHECK(find_rule("SM-S999") == nullptr);
    CHECK(find_rule("vrfy") == nullptr); // names are not prefixes
}

TEST_CASE("every rule has a doc page with its title, sections and examples") {
    for (const Rule& rule : all_rules()) {
        INFO("rule ", rule.id);
        std::string_view page = rule_doc(rule.id);
        REQUIRE_FALSE(page.empty());
        std::string title = "# " + std::string(rule.id) + " " + std::string(rule.name);
        CHECK(page.substr(0, page.find('\n')) == title);
        for (std::string_view section : {"\n## Why\n", "\n## Bad example\n", "\n## Good example\n",
                                         "\n## Fix\n", "\n## References\n"})
            CHECK_MESSAGE(page.find(section) != std::string_view::npos, "missing ", section);
        CHECK_FALSE(doc_code_block(page, "Bad example").empty());
        CHECK_FALSE(doc_code_block(page, "Good example").empty());
        // The Fix section shows both forms: the .mc define (preferred) and the .cf line.
        size_t fix = page.find("\n## Fix\n");
        size_t refs = page.find("\n## References\n");
        // A rule about a map (access, aliases) has map examples (```access, ```aliases) and its
        // fix is an edit of the map and the command that rebuilds it (```sh).
        size_t bad_heading = page.find("\n## Bad example\n");
        size_t fence =
            bad_heading == std::string_view::npos ? bad_heading : page.find("```", bad_heading);
        bool map_example = fence != std::string_view::npos &&
                           !page.substr(fence + 3).starts_with("cf\n") &&
                           !page.substr(fence + 3).starts_with("mc\n");
        if (rule.pack != Pack::Syntax && map_example && fix != std::string_view::npos &&
            refs != std::string_view::npos)
            CHECK_MESSAGE(page.substr(fix, refs - fix).find("```sh\n") != std::string_view::npos,
                          "no rebuild command in the fix of a map rule");
        // Syntax codes are about one .cf/map line: their fix is that line, there is no define.
        if (rule.pack != Pack::Syntax && !map_example && fix != std::string_view::npos &&
            refs != std::string_view::npos) {
            std::string_view section = page.substr(fix, refs - fix);
            CHECK_MESSAGE(section.find("```mc\n") != std::string_view::npos, "no .mc fix");
            bool has_cf = section.find("```cf\n") != std::string_view::npos ||
                          section.find("```sh\n") != std::string_view::npos;
            CHECK_MESSAGE(has_cf, "no .cf fix");
        }
        // The examples are .cf text (or .mc, or a map): fenced so readers and renderers know it.
        size_t bad = page.find("\n## Bad example\n");
        if (bad != std::string_view::npos && rule.pack != Pack::Syntax && !map_example)
            CHECK(page.find("```cf\n", bad) != std::string_view::npos);
    }
}

TEST_CASE("every doc page belongs to a rule or a syntax code of the registry") {
    for (const RuleDocPage& page : rule_doc_pages()) {
        INFO("page ", page.id);
        CHECK(well_formed_id(page.id));
        CHECK(find_rule(page.id) != nullptr);
    }
}
