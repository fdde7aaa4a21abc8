#include "engine/suppress.hpp"

#include "engine/rule.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

namespace smaudit {

namespace {

struct Suppression {
    FileId file;
    uint32_t line; // 0: whole file
    std::string rule_id;
};

// The rule IDs inside `[...]`, with names resolved to IDs.
std::vector<std::string> parse_rule_list(std::string_view list) {
    std::vector<std::string> ids;
    size_t at = 0;
    while (at <= list.size()) {
        size_t comma = list.find(',', at);
        std::string_view item =
            list.substr(at, comma == std::string_view::npos ? list.npos : comma - at);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (!item.empty()) {
            const Rule* rule = find_rule(item);
            ids.emplace_back(rule ? std::string(rule->id) : std::string(item));
        }
        if (comma == std::string_view::npos) break;
        at = comma + 1;
    }
    return ids;
}

void collect(const SourceFile& file, FileId id, std::vector<Suppression>& out) {
    for (uint32_t line = 1; line <= file.line_count(); ++line) {
        std::string_view text = file.line_text(line);
        size_t lead = text.find_first_not_of(" \t");
        if (lead == std::string_view::npos) continue;
        text.remove_prefix(lead);
        if (text.substr(0, 1) == "#")
            text.remove_prefix(1);
        else if (text.substr(0, 3) == "dnl")
            text.remove_prefix(3);
        else
            continue;
        size_t marker = text.find("smaudit:");
        if (marker == std::string_view::npos) continue;
        std::string_view rest = text.substr(marker + 8);
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        bool whole_file = rest.substr(0, 12) == "ignore-file[";
        if (!whole_file && rest.substr(0, 7) != "ignore[") continue;
        size_t open = rest.find('['), close = rest.find(']');
        if (close == std::string_view::npos) continue;
        for (std::string& rule : parse_rule_list(rest.substr(open + 1, close - open - 1)))
            out.push_back({id, whole_file ? 0 : line + 1, std::move(rule)});
    }
}

} // namespace

void apply_suppressions(const SourceSet& sources, const std::vector<FileId>& config_files,
                        std::vector<Diagnostic>& diagnostics) {
    std::set<FileId> files(config_files.begin(), config_files.end());
    for (const Diagnostic& d : diagnostics)
        if (d.where.valid()) files.insert(d.where.file);
    std::vector<Suppression> suppressions;
    for (FileId id : files)
        collect(sources.get(id), id, suppressions);
    if (suppressions.empty()) return;

    std::set<std::tuple<FileId, uint32_t, std::string>> covered;
    for (const Suppression& s : suppressions)
        covered.insert({s.file, s.line, s.rule_id});
    auto is_covered = [&](const Diagnostic& d) {
        if (!d.where.valid()) {
            for (FileId f : config_files)
                if (covered.count({f, 0, d.rule_id})) return true;
            return false;
        }
        uint32_t line = sources.get(d.where.file).position(d.where.span.begin).line;
        return covered.count({d.where.file, line, d.rule_id}) > 0 ||
               covered.count({d.where.file, 0, d.rule_id}) > 0;
    };
    diagnostics.erase(std::remove_if(diagnostics.begin(), diagnostics.end(), is_covered),
                      diagnostics.end());
}

} // namespace smaudit
