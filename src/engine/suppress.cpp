#include "engine/suppress.hpp"

#include "engine/rule.hpp"
#include "source/parallel.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
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

constexpr std::string_view kMarker = "smaudit:";

// The suppressions of one line, if it is a comment that has some.
void collect_line(const SourceFile& file, FileId id, uint32_t line, std::vector<Suppression>& out) {
    std::string_view text = file.line_text(line);
    size_t lead = text.find_first_not_of(" \t");
    if (lead == std::string_view::npos) return;
    text.remove_prefix(lead);
    if (text.substr(0, 1) == "#")
        text.remove_prefix(1);
    else if (text.substr(0, 3) == "dnl")
        text.remove_prefix(3);
    else
        return;
    size_t marker = text.find(kMarker);
    if (marker == std::string_view::npos) return;
    std::string_view rest = text.substr(marker + kMarker.size());
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    bool whole_file = rest.substr(0, 12) == "ignore-file[";
    if (!whole_file && rest.substr(0, 7) != "ignore[") return;
    size_t open = rest.find('['), close = rest.find(']');
    if (close == std::string_view::npos) return;
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

// Only lines with the marker can hold a suppression: memmem finds them (glibc's is vectorised:
// a Boyer-Moore-Horspool search ran fewer instructions and four times as long), in parts on the
// work threads for a large file (cut at line starts: the marker holds no newline), and a map
// without any is not read line by line.
void collect(const SourceFile& file, FileId id, std::vector<Suppression>& out) {
    const std::string_view text = file.text();
    const size_t parts = work_pieces(parallel_parts(text.size()));
    const std::vector<size_t> bounds = cut_at_lines(text, parts);
    std::vector<std::vector<uint32_t>> found(parts);
    run_parallel(parts, [&](size_t k) {
        for (size_t at = bounds[k]; at < bounds[k + 1];) {
            const void* hit =
                ::memmem(text.data() + at, bounds[k + 1] - at, kMarker.data(), kMarker.size());
            if (hit == nullptr) break;
            const auto offset = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
            found[k].push_back(static_cast<uint32_t>(offset));
            at = offset + kMarker.size();
        }
    });
    uint32_t next_line = 0; // where the line after the last one collected starts
    for (const std::vector<uint32_t>& offsets : found)
        for (const uint32_t offset : offsets) {
            if (offset < next_line) continue; // a line is collected once
            const uint32_t line = file.position(offset).line;
            collect_line(file, id, line, out);
            next_line = line < file.line_count() ? file.line_start(line + 1)
                                                 : static_cast<uint32_t>(text.size());
        }
}

} // namespace

constexpr SyntaxCode kUnusedSuppression{"SM-E301", "unused-suppression", Severity::Low,
                                        "An inline suppression suppresses nothing in this run"};
constexpr SyntaxCode kSuppressionWithoutReason{
    "SM-E302", "suppression-without-reason", Severity::Low,
    "An inline suppression gives no reason after its rule list"};

std::span<const SyntaxCode> suppression_codes() {
    static const SyntaxCode codes[] = {kUnusedSuppression, kSuppressionWithoutReason};
    return codes;
}

void apply_suppressions(const SourceSet& sources, const std::vector<FileId>& config_files,
                        std::vector<Diagnostic>& diagnostics,
                        std::vector<SuppressedFinding>& suppressed,
                        const SuppressionChecks& checks) {
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
    std::set<const Suppression*> used;
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
    auto move_covered = [&](std::vector<Diagnostic>& from) {
        size_t kept = 0;
        for (size_t i = 0; i < from.size(); ++i) {
            if (const Suppression* s = covering(from[i])) {
                used.insert(s);
                suppressed.push_back({std::move(from[i]), s->reason, s->comment});
            } else {
                if (kept != i) from[kept] = std::move(from[i]);
                ++kept;
            }
        }
        from.erase(from.begin() + static_cast<std::ptrdiff_t>(kept), from.end());
    };
    move_covered(diagnostics);

    // The comments' own findings, about the audited files' comments only (not a file of the cf
    // tree an .mc reads). A comment naming SM-E301 or SM-E302 is not judged unused: its findings
    // are made here, after the others.
    const std::set<FileId> audited(config_files.begin(), config_files.end());
    std::vector<Diagnostic> about_comments;
    std::set<std::pair<FileId, uint32_t>> without_reason; // one finding per comment
    for (const Suppression& s : suppressions) {
        if (!audited.count(s.file)) continue;
        const std::string_view kind = s.line == 0 ? "ignore-file" : "ignore";
        if (checks.without_reason && s.reason.empty() &&
            without_reason.insert({s.file, s.comment.span.begin}).second)
            about_comments.push_back(make_syntax_diagnostic(
                kSuppressionWithoutReason, s.comment,
                "this " + std::string(kind) +
                    "[...] comment gives no reason: say after `]` why the finding is accepted, "
                    "so that a reader (and a later audit) can tell whether it still holds",
                "no reason after `]`"));
        if (!checks.rule_ran_on || used.count(&s) || s.rule_id == kUnusedSuppression.id ||
            s.rule_id == kSuppressionWithoutReason.id)
            continue;
        const Rule* rule = find_rule(s.rule_id);
        std::string message;
        if (rule == nullptr)
            message = "`" + s.rule_id + "` names no rule (see `smaudit rules`): the " +
                      std::string(kind) + " comment can never suppress anything";
        else if (checks.rule_ran_on(*rule, s.file))
            message =
                s.rule_id + " (" + std::string(rule->name) + ") ran and found nothing " +
                (s.line == 0 ? std::string("in this file") : "on line " + std::to_string(s.line)) +
                ": the suppression suppresses nothing; remove it, or the rule from its list";
        else
            continue;
        about_comments.push_back(make_syntax_diagnostic(kUnusedSuppression, s.comment,
                                                        std::move(message), "suppresses nothing"));
    }
    move_covered(about_comments);
    std::move(about_comments.begin(), about_comments.end(), std::back_inserter(diagnostics));
}

} // namespace smaudit
