#include "engine/suppress.hpp"

#include "engine/rule.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace smaudit {

namespace {

struct Suppression {
    FileId file;
    uint32_t line; // 0: whole file
    std::string rule_id;
    std::string reason;
    Location comment;
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
        std::string_view reason = rest.substr(close + 1);
        reason.remove_prefix(std::min(reason.find_first_not_of(" \t"), reason.size()));
        while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\t'))
            reason.remove_suffix(1);
        const uint32_t line_start = file.line_start(line);
        const Location comment{
            id, {line_start, line_start + static_cast<uint32_t>(file.line_text(line).size())}};
        for (std::string& rule : parse_rule_list(rest.substr(open + 1, close - open - 1)))
            out.push_back(
                {id, whole_file ? 0 : line + 1, std::move(rule), std::string(reason), comment});
    }
}

} // namespace

void apply_suppressions(const SourceSet& sources, const std::vector<FileId>& config_files,
                        std::vector<Diagnostic>& diagnostics,
                        std::vector<SuppressedFinding>& suppressed) {
    std::set<FileId> files(config_files.begin(), config_files.end());
    for (const Diagnostic& d : diagnostics)
        if (d.where.valid()) files.insert(d.where.file);
    std::vector<Suppression> suppressions;
    for (FileId id : files)
        if (const SourceFile* file = sources.find(id)) collect(*file, id, suppressions);
    if (suppressions.empty()) return;

    // The first comment for each (file, line, rule): the one whose reason is kept.
    std::map<std::tuple<FileId, uint32_t, std::string>, const Suppression*> covered;
    for (const Suppression& s : suppressions)
        covered.emplace(std::tuple{s.file, s.line, s.rule_id}, &s);
    auto covering = [&](const Diagnostic& d) -> const Suppression* {
        auto find = [&](FileId file, uint32_t line) -> const Suppression* {
            auto it = covered.find({file, line, d.rule_id});
            return it == covered.end() ? nullptr : it->second;
        };
        if (!d.where.valid()) {
            for (FileId f : config_files)
                if (const Suppression* s = find(f, 0)) return s;
            return nullptr;
        }
        uint32_t line = sources.line_of(d.where);
        if (const Suppression* s = find(d.where.file, line)) return s;
        return find(d.where.file, 0);
    };
    size_t kept = 0;
    for (size_t i = 0; i < diagnostics.size(); ++i) {
        if (const Suppression* s = covering(diagnostics[i])) {
            suppressed.push_back({std::move(diagnostics[i]), s->reason, s->comment});
        } else {
            if (kept != i) diagnostics[kept] = std::move(diagnostics[i]);
            ++kept;
        }
    }
    diagnostics.erase(diagnostics.begin() + static_cast<std::ptrdiff_t>(kept), diagnostics.end());
}

} // namespace smaudit
