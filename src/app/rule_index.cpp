#include "app/rule_index.hpp"

#include "engine/rule.hpp"
#include "rules/catalog.hpp"

#include <algorithm>
#include <array>
#include <sstream>
#include <string_view>
#include <vector>

namespace smaudit {

namespace {

// One line of the table: a catalog entry with one of its rules, an entry no rule implements
// (rule null), or one of smaudit's own checks (entry null).
struct IndexRow {
    const CatalogEntry* entry = nullptr;
    const Rule* rule = nullptr;
};

struct CatalogSection {
    std::string_view prefix; // "SEC-"
    std::string_view heading;
};

constexpr std::array<CatalogSection, 3> kSections = {{
    {"CFG-", "Configuration integrity (CFG)"},
    {"SEC-", "Security (SEC)"},
    {"PERF-", "Performance (PERF)"},
}};

std::vector<IndexRow> catalog_rows(const RuleIndexOptions& options, std::string_view prefix) {
    std::vector<IndexRow> rows;
    for (const CatalogEntry& entry : catalog()) {
        if (!entry.id.starts_with(prefix)) continue;
        if (entry.status != CatalogStatus::Implemented) {
            if (!options.implemented_only) rows.push_back({&entry, nullptr});
            continue;
        }
        // An ID the registry does not know is the catalog test's to report, not the index's.
        for (std::string_view id : entry.rules)
            if (const Rule* rule = find_rule(id)) rows.push_back({&entry, rule});
    }
    return rows;
}

std::vector<IndexRow> own_check_rows() {
    std::vector<IndexRow> rows;
    // The policies of `smaudit rules --policy` are the organisation's own checks, after ours.
    for (const auto* table : {&all_rules(), &loaded_rules()})
        for (const Rule& rule : *table)
            if (catalog_entries_of(rule.id).empty()) rows.push_back({nullptr, &rule});
    return rows;
}

// How a status reads: in the Markdown table, and in the terminal's narrow column. By the
// enum's order.
struct StatusWords {
    std::string_view full, brief;
};
constexpr std::array<StatusWords, 4> kStatusWords = {{
    {"implemented", "implemented"},
    {"not yet implemented", "not yet"},
    {"needs the live tree", "live tree"},
    {"cannot be decided from files", "not from files"},
}};

const StatusWords& words_of(CatalogStatus status) {
    return kStatusWords.at(static_cast<size_t>(status));
}

// Severity of a row: the rule's default, or the catalog's suggestion in parentheses.
std::string severity_of(const IndexRow& row) {
    if (row.rule) return std::string(to_string(row.rule->severity));
    return "(" + std::string(row.entry->kb_severity) + ")";
}

std::string_view pack_of(const IndexRow& row) {
    return to_string(row.rule ? row.rule->pack : catalog_pack(row.entry->id));
}

// Entry counts by status, for the summary of each catalog prefix.
struct StatusCounts {
    int total = 0;
    std::array<int, 4> by_status{};
};

StatusCounts count(std::string_view prefix) {
    StatusCounts counts;
    for (const CatalogEntry& entry : catalog())
        if (entry.id.starts_with(prefix)) {
            ++counts.total;
            ++counts.by_status[static_cast<size_t>(entry.status)];
        }
    return counts;
}

// Columns on a terminal: code points, not bytes ("critical–medium" has an en dash).
size_t display_width(std::string_view text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string rule_link(const Rule& rule) {
    return "[" + std::string(rule.id) + "](" + std::string(rule.id) + ".md) " +
           std::string(rule.name);
}

} // namespace

std::string rule_index_markdown(const RuleIndexOptions& options) {
    std::ostringstream md;
    md << "# Rule index\n\n"
       << "<!-- Generated from rules/registry.cpp and rules/catalog.cpp by `" << kRuleIndexCommand
       << "`. Do not edit: a test fails when this file is stale. -->\n\n"
       << "Every check of the catalog in the knowledge base (`sendmail-audit-kb.md`, Appendix E: "
          "CFG configuration integrity, SEC security, PERF performance) with the smaudit rule "
          "that implements it, or why none does; then smaudit's own checks, which the catalog "
          "does not list. `smaudit rules` prints the same table, `smaudit explain ID` a rule's "
          "page.\n\n"
       << "- **Status**: *implemented*; *not yet implemented* (decidable from the configuration "
          "files, no rule yet); *needs the live tree* (needs the owner, mode or other stat data "
          "of the files on the server: comes with the live-server work); *cannot be decided "
          "from files* (the note says why). A note on an implemented entry says what its rules "
          "leave out.\n"
       << "- **Severity** is the rule's default; for an entry with no rule, the catalog's "
          "suggestion in parentheses.\n"
       << "- **Fix**: *safe*, *unsafe* (may change more than the flagged pattern: review it), "
          "*mixed* (safe for some findings, unsafe for others) or *none*. Not every finding of "
          "a rule with fixes gets one: only those whose text the fix can edit.\n\n";
    md << "| Catalog | Entries | Implemented | Not yet | Needs the live tree | Cannot be decided "
          "|\n|---|---|---|---|---|---|\n";
    for (const CatalogSection& section : kSections) {
        StatusCounts counts = count(section.prefix);
        md << "| " << section.prefix.substr(0, section.prefix.size() - 1) << " | " << counts.total;
        for (int n : counts.by_status)
            md << " | " << n;
        md << " |\n";
    }
    for (const CatalogSection& section : kSections) {
        md << "\n## " << section.heading << "\n\n"
           << "| Catalog | Check | Rule | Pack | Severity | Fix | Status | Note |\n"
           << "|---|---|---|---|---|---|---|---|\n";
        for (const IndexRow& row : catalog_rows(options, section.prefix)) {
            md << "| " << row.entry->id << " | " << cell(row.entry->title) << " | "
               << (row.rule ? rule_link(*row.rule) : "—") << " | " << pack_of(row) << " | "
               << severity_of(row) << " | "
               << (row.rule ? to_string(row.rule->fix_kind) : std::string_view("—")) << " | "
               << words_of(row.entry->status).full << " | " << cell(row.entry->note) << " |\n";
        }
    }
    md << "\n## smaudit's own checks\n\n"
       << "Registered rules that no catalog entry names: smaudit's own consistency and "
          "security checks, and the syntax codes of its parsers and of its m4 engine "
          "(SM-E...).\n\n"
       << "| Rule | Pack | Severity | Fix | Summary |\n|---|---|---|---|---|\n";
    for (const IndexRow& row : own_check_rows())
        md << "| " << rule_link(*row.rule) << " | " << to_string(row.rule->pack) << " | "
           << to_string(row.rule->severity) << " | " << to_string(row.rule->fix_kind) << " | "
           << cell(row.rule->summary) << " |\n";
    return md.str();
}

void write_rule_index_terminal(std::ostream& out, const RuleIndexOptions& options) {
    struct Line {
        std::array<std::string, 7> columns; // catalog, rule, pack, severity, fix, status, check
        std::string_view note;
    };
    std::vector<Line> lines;
    auto add = [&](const IndexRow& row) {
        Line line;
        line.columns = {row.entry ? std::string(row.entry->id) : "-",
                        row.rule ? std::string(row.rule->id) : "-",
                        std::string(pack_of(row)),
                        severity_of(row),
                        row.rule ? std::string(to_string(row.rule->fix_kind)) : "-",
                        std::string(row.entry ? words_of(row.entry->status).brief : "own check"),
                        std::string(row.rule ? row.rule->name : row.entry->title)};
        if (row.entry) line.note = row.entry->note;
        lines.push_back(std::move(line));
    };
    for (const CatalogSection& section : kSections)
        for (const IndexRow& row : catalog_rows(options, section.prefix))
            add(row);
    const size_t catalog_lines = lines.size();
    for (const IndexRow& row : own_check_rows())
        add(row);

    const Line header{{"CATALOG", "RULE", "PACK", "SEVERITY", "FIX", "STATUS", "CHECK"}, {}};
    std::array<size_t, 7> width{};
    for (size_t i = 0; i < width.size(); ++i)
        width[i] = display_width(header.columns[i]);
    for (const Line& line : lines)
        for (size_t i = 0; i < width.size(); ++i)
            width[i] = std::max(width[i], display_width(line.columns[i]));
    auto print = [&](const Line& line) {
        for (size_t i = 0; i + 1 < width.size(); ++i)
            out << line.columns[i]
                << std::string(width[i] - display_width(line.columns[i]) + 2, ' ');
        out << line.columns.back() << "\n";
        if (line.note.empty()) return;
        // The note under the row, wrapped, so the table's columns stay readable.
        const std::string indent(width[0] + 2, ' ');
        std::string_view rest = line.note;
        while (!rest.empty()) {
            constexpr size_t kWidth = 88;
            size_t end = rest.size();
            if (end > kWidth) {
                end = rest.rfind(' ', kWidth);
                if (end == std::string_view::npos || end == 0) end = std::min(kWidth, rest.size());
            }
            out << indent << rest.substr(0, end) << "\n";
            rest.remove_prefix(end);
            while (!rest.empty() && rest.front() == ' ')
                rest.remove_prefix(1);
        }
    };
    print(header);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i == catalog_lines) out << "\nsmaudit's own checks (not in the catalog):\n";
        print(lines[i]);
    }
    out << "\n";
    for (const CatalogSection& section : kSections) {
        StatusCounts counts = count(section.prefix);
        out << section.prefix.substr(0, section.prefix.size() - 1) << ": "
            << counts.by_status[static_cast<size_t>(CatalogStatus::Implemented)] << " of "
            << counts.total << " implemented";
        const int live = counts.by_status[static_cast<size_t>(CatalogStatus::NeedsLiveTree)];
        const int undecidable = counts.by_status[static_cast<size_t>(CatalogStatus::Undecidable)];
        if (live) out << ", " << live << " need the live tree";
        if (undecidable) out << ", " << undecidable << " cannot be decided from files";
        out << " · ";
    }
    out << own_check_rows().size() << " own checks\n"
        << "A rule's page: smaudit explain ID · this table in Markdown: docs/rules/index.md\n";
}

nlohmann::ordered_json rule_index_json(const RuleIndexOptions& options) {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    std::vector<const Rule*> every;
    for (const auto* table : {&all_rules(), &loaded_rules()})
        for (const Rule& rule : *table)
            every.push_back(&rule);
    for (const Rule* listed : every) {
        const Rule& rule = *listed;
        nlohmann::ordered_json entries = nlohmann::ordered_json::array();
        for (const CatalogEntry* entry : catalog_entries_of(rule.id))
            entries.push_back(entry->id);
        rules.push_back({{"id", rule.id},
                         {"name", rule.name},
                         {"pack", to_string(rule.pack)},
                         {"severity", to_string(rule.severity)},
                         {"fix", to_string(rule.fix_kind)},
                         {"fix_title", rule.fix_title},
                         {"summary", rule.summary},
                         {"catalog", std::move(entries)}});
    }
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const CatalogEntry& entry : catalog()) {
        if (options.implemented_only && entry.status != CatalogStatus::Implemented) continue;
        nlohmann::ordered_json ids = nlohmann::ordered_json::array();
        for (std::string_view id : entry.rules)
            ids.push_back(id);
        entries.push_back({{"id", entry.id},
                           {"title", entry.title},
                           {"pack", to_string(catalog_pack(entry.id))},
                           {"status", to_string(entry.status)},
                           {"rules", std::move(ids)},
                           {"catalog_severity", entry.kb_severity},
                           {"note", entry.note.empty() ? nlohmann::ordered_json(nullptr)
                                                       : nlohmann::ordered_json(entry.note)}});
    }
    return {{"version", 1}, {"rules", std::move(rules)}, {"catalog", std::move(entries)}};
}

} // namespace smaudit
