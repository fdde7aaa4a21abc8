#include "report/terminal.hpp"

#include "report/display.hpp"
#include "source/block_writer.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <sstream>
#include <tuple>

namespace smaudit::report {

namespace {

// ANSI styling that is a no-op when colours are off, so the layout code is written once.
class Painter {
  public:
    explicit Painter(bool on) : on_(on) {}
    std::string operator()(std::string_view sgr, std::string_view text) const {
        if (!on_ || text.empty()) return std::string(text);
        return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
    }

  private:
    bool on_;
};

// TEXT as one word a POSIX shell reads back as TEXT: as it is when it holds nothing the shell
// treats specially, else in single quotes (a `'` inside as `'\''`).
std::string shell_word(std::string_view text) {
    const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("/._-+:,@%=").find(c) != std::string_view::npos;
    });
    if (plain) return std::string(text);
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

constexpr std::string_view kGutterStyle = "1;34";
constexpr std::string_view kBold = "1";

std::string_view severity_style(Severity s) {
    switch (s) {
    case Severity::Critical:
        return "1;35";
    case Severity::High:
        return "1;31";
    case Severity::Medium:
        return "1;33";
    case Severity::Low:
        return "1;36";
    case Severity::Info:
        return "1;32";
    }
    return kBold;
}

std::string_view grade_style(std::string_view grade) {
    if (grade.starts_with('A')) return "1;32";
    if (grade == "B" || grade == "C") return "1;33";
    return "1;31";
}

uint32_t digits(uint32_t n) {
    uint32_t d = 1;
    while (n >= 10)
        n /= 10, ++d;
    return d;
}

constexpr std::string_view kEllipsis = "…";
// The most bytes of one source line a finding shows, and how many before its span.
constexpr uint32_t kExcerptBytes = 240;
constexpr uint32_t kExcerptContext = 60;

// The part of a line shown for a span starting at byte `from`: all of it when short, else up to
// kExcerptBytes from a little before `from`, cut at code point boundaries (a span longer than
// that is underlined to the window's end).
struct Excerpt {
    uint32_t begin = 0, end = 0;
    bool cut_before = false, cut_after = false;
};

Excerpt excerpt_window(std::string_view line, uint32_t from) {
    const auto size = static_cast<uint32_t>(line.size());
    if (size <= kExcerptBytes) return {0, size, false, false};
    auto continuation = [&](uint32_t at) {
        return at < size && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80;
    };
    uint32_t begin =
        std::min(from, size) > kExcerptContext ? std::min(from, size) - kExcerptContext : 0;
    while (begin > 0 && continuation(begin))
        --begin;
    uint32_t end = std::min(size, begin + kExcerptBytes);
    while (end < size && end > begin && continuation(end))
        --end;
    return {begin, end, begin > 0, end < size};
}

// A line as displayed, cut to kExcerptBytes with an ellipsis (the fix preview).
std::string display_excerpt(std::string_view line, uint32_t tab_width) {
    const Excerpt shown = excerpt_window(line, 0);
    std::string out = display_text(line.substr(shown.begin, shown.end - shown.begin), tab_width);
    if (shown.cut_after) out += kEllipsis;
    return out;
}

// One source line with an underline under part of it.
struct Snippet {
    uint32_t line = 1;
    std::string text;         // the line as displayed
    uint32_t caret_start = 0; // display columns before the underline
    uint32_t caret_width = 1;
    uint32_t continues_to = 0; // a multi-line span: its last line, else 0
    std::string label;
    std::string place; // "path:line:col" of the span's start
};

Snippet make_snippet(const SourceFile& file, Span span, std::string_view label,
                     uint32_t tab_width) {
    const auto size = static_cast<uint32_t>(file.text().size());
    uint32_t begin = std::min(span.begin, size);
    uint32_t end = std::min(std::max(span.end, begin), size);

    Snippet s;
    Position at = locate(file, begin);
    s.line = at.line;
    s.place = fmt::format("{}:{}:{}", safe_text(file.path()), at.line, at.column);
    s.label = safe_text(label);
    std::string_view line = file.line_text(s.line);
    uint32_t line_start = file.line_start(s.line);
    uint32_t line_end = line_start + static_cast<uint32_t>(line.size());
    uint32_t next_line_start = s.line < file.line_count() ? file.line_start(s.line + 1) : size;

    uint32_t from = std::min(begin, line_end) - line_start;
    uint32_t to = std::min(end, line_end) - line_start;
    // A span that runs past this line's terminator goes on; one that ends on or just after the
    // terminator (a whole line with its newline) does not.
    if (end > next_line_start) s.continues_to = locate(file, end - 1).line;

    // A long line is shown as a window around the span, cut with an ellipsis: the work and the
    // output stay bounded for a map line of a million characters.
    const Excerpt shown = excerpt_window(line, from);
    if (shown.cut_before) {
        s.text += kEllipsis;
        s.caret_start = 1;
    }
    uint32_t width = 0;
    const std::string_view window = line.substr(shown.begin, shown.end - shown.begin);
    for (const DisplayCell& cell : display_cells(window, tab_width)) {
        s.text += cell.text;
        if (cell.begin + shown.begin < from)
            s.caret_start += cell.width;
        else if (cell.begin + shown.begin < to)
            width += cell.width;
    }
    if (shown.cut_after) s.text += kEllipsis;
    s.caret_width = std::max(width, 1u);
    return s;
}

// The fix preview: the line(s) around the fix's first edit as they read once the fix applies.
struct FixPreview {
    FileId file = kNoFile;
    std::vector<std::string> lines; // displayed; empty: the edit removes the line(s)
    size_t other_edits = 0;         // edits elsewhere that the preview does not show
};

FixPreview preview_fix(const SourceSet& sources, const Fix& fix, uint32_t tab_width) {
    std::vector<const Edit*> edits;
    for (const Edit& e : fix.edits)
        if (sources.find(e.where.file)) edits.push_back(&e);
    std::stable_sort(edits.begin(), edits.end(), [](const Edit* a, const Edit* b) {
        return std::tie(a->where.file, a->where.span.begin) <
               std::tie(b->where.file, b->where.span.begin);
    });
    FixPreview p;
    if (edits.empty()) {
        p.other_edits = fix.edits.size();
        return p;
    }
    p.file = edits.front()->where.file;
    const SourceFile& file = sources.get(p.file);
    const std::string& text = file.text();
    const auto size = static_cast<uint32_t>(text.size());

    Span first = edits.front()->where.span;
    uint32_t first_line = file.position(std::min(first.begin, size)).line;
    uint32_t last_line =
        file.position(std::min(std::max(first.begin, first.end > 0 ? first.end - 1 : 0), size))
            .line;
    uint32_t region_begin = file.line_start(first_line);
    uint32_t region_end = last_line < file.line_count() ? file.line_start(last_line + 1) : size;
    // Whole lines inserted before a line: the preview is the new lines alone, not the line they
    // are inserted before.
    const std::string& inserted = edits.front()->replacement;
    bool at_line_start = first.begin == 0 || (first.begin <= size && text[first.begin - 1] == '\n');
    if (first.empty() && at_line_start && inserted.ends_with('\n'))
        region_begin = region_end = first.begin;

    std::string after;
    uint32_t at = region_begin;
    for (const Edit* e : edits) {
        Span s = e->where.span;
        bool inside =
            e->where.file == p.file && s.begin >= at && s.begin <= s.end && s.end <= region_end;
        if (!inside) {
            ++p.other_edits;
            continue;
        }
        after.append(text, at, s.begin - at);
        after += e->replacement;
        at = s.end;
    }
    after.append(text, at, region_end - at);
    p.other_edits += fix.edits.size() - edits.size();

    if (!after.empty() && after.back() == '\n') after.pop_back();
    if (!after.empty() && after.back() == '\r') after.pop_back();
    if (after.empty() && region_end > region_begin) return p; // the edit removes the line
    for (size_t pos = 0;;) {
        size_t nl = after.find('\n', pos);
        std::string_view line = std::string_view(after).substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        p.lines.push_back(display_excerpt(line, tab_width));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return p;
}

std::string file_path(const SourceSet& sources, FileId file) {
    const SourceFile* found = sources.find(file);
    return found ? safe_text(found->path()) : std::string("<no file>");
}

} // namespace

std::string render_finding(const SourceSet& sources, const Diagnostic& d,
                           const TerminalOptions& options, FileId fallback_file) {
    Painter paint(options.color);
    const SourceFile* located = sources.find(d.where.file);
    std::string out;

    // The place and what was found.
    std::string_view sev = to_string(d.severity);
    std::string what = fmt::format("{} {} {}", paint(severity_style(d.severity), sev),
                                   paint(kBold, safe_text(d.rule_id)), safe_text(d.rule_name));
    std::vector<std::pair<std::optional<FileId>, Snippet>> snippets; // file shown if not primary
    if (located) {
        const auto size = static_cast<uint32_t>(located->text().size());
        Position p = locate(*located, std::min<uint32_t>(d.where.span.begin, size));
        out += fmt::format(
            "{}: {}\n",
            paint(kBold, fmt::format("{}:{}:{}", safe_text(located->path()), p.line, p.column)),
            what);
        snippets.emplace_back(std::nullopt,
                              make_snippet(*located, d.where.span, d.label, options.tab_width));
    } else {
        FileId file = d.config_file != kNoFile ? d.config_file : fallback_file;
        std::string_view why = no_place_reason(sources.find(file), d.about_default);
        out += fmt::format("{}: {} ({})\n", paint(kBold, file_path(sources, file)), what, why);
    }
    for (const Label& note : d.notes)
        if (const SourceFile* file = sources.find(note.where.file))
            snippets.emplace_back(
                located && note.where.file == d.where.file ? std::nullopt
                                                           : std::optional(note.where.file),
                make_snippet(*file, note.where.span, note.text, options.tab_width));

    // The message, every line indented (no trailing blanks on empty lines).
    std::string message = safe_text(d.message);
    for (size_t pos = 0; !message.empty();) {
        size_t nl = message.find('\n', pos);
        std::string_view line = std::string_view(message).substr(pos, nl - pos);
        out += line.empty() ? std::string("\n") : fmt::format("  {}\n", line);
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }

    // Source lines, with a gutter as wide as the largest line number shown.
    uint32_t gutter = 1;
    for (const auto& [_, s] : snippets)
        gutter = std::max(gutter, digits(s.line));
    const std::string pad(gutter, ' ');
    const std::string bar = paint(kGutterStyle, "|");
    for (size_t i = 0; i < snippets.size(); ++i) {
        const auto& [other_file, s] = snippets[i];
        if (other_file) out += fmt::format("{} {} {}\n", pad, paint(kGutterStyle, ":::"), s.place);
        if (i == 0 || other_file) out += fmt::format("{} {}\n", pad, bar);
        std::string number = fmt::format("{:>{}}", s.line, gutter);
        if (s.text.empty())
            out += fmt::format("{} {}\n", paint(kGutterStyle, number), bar);
        else
            out += fmt::format("{} {} {}\n", paint(kGutterStyle, number), bar, s.text);
        std::string underline = paint(i == 0 && located ? severity_style(d.severity) : kGutterStyle,
                                      std::string(s.caret_width, '^'));
        std::string tail = s.label;
        if (s.continues_to)
            tail +=
                fmt::format("{}(continues to line {})", tail.empty() ? "" : " ", s.continues_to);
        out += fmt::format("{} {} {}{}{}{}\n", pad, bar, std::string(s.caret_start, ' '), underline,
                           tail.empty() ? "" : " ", tail);
    }
    if (!located && !d.label.empty())
        out += fmt::format("{} = note: {}\n", pad, safe_text(d.label));
    for (const Label& note : d.notes)
        if (sources.find(note.where.file) == nullptr)
            out += fmt::format("{} = note: {}\n", pad, safe_text(note.text));

    if (d.fix) {
        FixPreview preview = preview_fix(sources, *d.fix, options.tab_width);
        std::string head =
            fmt::format("= fix ({}): {}", d.fix->safe ? "safe" : "unsafe", safe_text(d.fix->title));
        if (preview.other_edits)
            head += fmt::format(" (+{} edit{} not shown)", preview.other_edits,
                                preview.other_edits == 1 ? "" : "s");
        if (preview.file != kNoFile) {
            head += " → ";
            if (preview.file != (located ? d.where.file : d.config_file))
                head += file_path(sources, preview.file) + ": ";
            if (preview.lines.empty()) head += "(line removed)";
        }
        // Later lines of a multi-line result line up under the first.
        std::string indent(pad.size() + 1 + count_columns(head), ' ');
        out += fmt::format("{} {}", pad, paint("32", head));
        for (size_t i = 0; i < preview.lines.size(); ++i) {
            if (i > 0) out += '\n';
            if (i > 0 && !preview.lines[i].empty()) out += indent;
            out += preview.lines[i];
        }
        out += '\n';
    }
    std::string explain = safe_text(d.rule_id);
    if (auto policy = options.policy_files.find(d.rule_id); policy != options.policy_files.end())
        explain = "--policy " + shell_word(safe_text(policy->second)) + " " + explain;
    out += fmt::format("{} = more: smaudit explain {}\n\n", pad, explain);
    return out;
}

namespace {

// The critical and high findings, one line each, at the end of the report: the one critical
// finding of a long directory audit must not hide in the middle of it. Critical first, each
// severity in report order; at most kMaxSeriousLines lines.
constexpr size_t kMaxSeriousLines = 50;

std::string render_serious_findings(const SourceSet& sources, const AuditResult& result,
                                    const TerminalOptions& options) {
    Painter paint(options.color);
    const std::vector<const Diagnostic*> sorted = sorted_diagnostics(result.diagnostics, sources);
    FileId fallback = result.files.empty() ? kNoFile : result.files.front();
    std::string out;
    size_t shown = 0, total = 0;
    for (Severity severity : {Severity::Critical, Severity::High})
        for (const Diagnostic* d : sorted) {
            if (d->severity != severity) continue;
            if (++total > kMaxSeriousLines) continue;
            ++shown;
            std::string place;
            if (const SourceFile* file = sources.find(d->where.file)) {
                Position p = locate(*file, d->where.span.begin);
                place = fmt::format("{}:{}:{}", safe_text(file->path()), p.line, p.column);
            } else {
                place = file_path(sources, d->config_file != kNoFile ? d->config_file : fallback);
            }
            std::string message = safe_text(d->message);
            message.resize(std::min(message.find('\n'), message.size()));
            out += fmt::format("{}: {} {} {}{}{}\n", paint(kBold, place),
                               paint(severity_style(d->severity), to_string(d->severity)),
                               paint(kBold, safe_text(d->rule_id)), safe_text(d->rule_name),
                               message.empty() ? "" : ": ", message);
        }
    if (total > shown)
        out += fmt::format("… and {} more critical or high finding{} above\n", total - shown,
                           total - shown == 1 ? "" : "s");
    return out.empty() ? out : "\n" + out;
}

} // namespace

std::string role_text(const ConfigRole& role) {
    if (role.given)
        return fmt::format("role {} (given{})", safe_text(role.name),
                           role.detected == role.name
                               ? std::string()
                               : fmt::format("; detected {}", safe_text(role.detected)));
    return fmt::format("role {} (detected: {})", safe_text(role.name), safe_text(role.why));
}

namespace {

// The roles of the configurations, grouped by what is said of them: one group shows in the
// summary line, several get a line each before it ("a.mc, b.cf: role mx (detected: ...)").
struct RoleLines {
    std::string inline_text; // " · role ..." for one group
    std::string lines;       // one line per group for several
};

RoleLines render_roles(const SourceSet& sources, const AuditResult& result) {
    std::vector<std::pair<std::string, std::string>> groups; // role text, paths
    for (const ConfigRole& role : result.roles) {
        std::string text = role_text(role);
        auto group = std::find_if(groups.begin(), groups.end(),
                                  [&](const auto& g) { return g.first == text; });
        if (group == groups.end()) group = groups.insert(groups.end(), {text, std::string()});
        group->second += (group->second.empty() ? "" : ", ") + file_path(sources, role.file);
    }
    RoleLines out;
    if (groups.size() == 1) out.inline_text = " · " + groups.front().first;
    if (groups.size() > 1)
        for (const auto& [text, paths] : groups)
            out.lines += fmt::format("{}: {}\n", paths, text);
    return out;
}

} // namespace

std::string render_fix_summary(const FixingSummary& fixing, bool planned) {
    std::string applied;
    int total = 0;
    for (const auto& [path, count] : fixing.applied) {
        applied += fmt::format("{}{} {}", applied.empty() ? "" : ", ", safe_text(path), count);
        total += count;
    }
    std::string out =
        total == 0 ? fmt::format("{}: nothing", planned ? "would fix" : "fixed")
                   : fmt::format("{}: {} fix{} ({}) in {} pass{}", planned ? "would fix" : "fixed",
                                 total, total == 1 ? "" : "es", applied, fixing.passes,
                                 fixing.passes == 1 ? "" : "es");
    out += "\n";
    // One line per file and reason: a .cf beside its .mc has a reason shared by many fixes.
    std::vector<std::tuple<std::string, std::string, std::string>> groups; // path, reason, rules
    for (const FixNotApplied& f : fixing.not_applied) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
            return std::get<0>(g) == f.path && std::get<1>(g) == f.reason;
        });
        if (it == groups.end())
            groups.emplace_back(f.path, f.reason, f.rule_id);
        else if (std::get<2>(*it).find(f.rule_id) == std::string::npos)
            std::get<2>(*it) += ", " + f.rule_id;
    }
    for (const auto& [path, reason, rules] : groups)
        out += fmt::format("not fixed: {}: {}: {}\n", safe_text(path), rules, safe_text(reason));
    if (fixing.unsafe_left > 0)
        out += fmt::format("{} unsafe fix{} not applied (--unsafe-fixes applies them)\n",
                           fixing.unsafe_left, fixing.unsafe_left == 1 ? "" : "es");
    for (const std::string& note : fixing.notes)
        out += "note: " + safe_text(note) + "\n";
    return out;
}

std::string render_summary(const SourceSet& sources, const AuditResult& result,
                           const TerminalOptions& options) {
    Painter paint(options.color);
    RoleLines roles = render_roles(sources, result);
    std::string out = result.fixing ? render_fix_summary(*result.fixing, false) : std::string();
    out += roles.lines +
           fmt::format("{} file{}", result.files.size(), result.files.size() == 1 ? "" : "s");
    out += roles.inline_text;
    SeverityCounts counts = count_severities(result.diagnostics);
    std::string list;
    for (Severity s :
         {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info}) {
        if (counts[s] == 0) continue;
        if (!list.empty()) list += ", ";
        list += paint(severity_style(s), fmt::format("{} {}", counts[s], to_string(s)));
    }
    out += " · " + (list.empty() ? std::string("no findings") : list);
    if (!result.suppressed.empty())
        out += fmt::format(" · {} suppressed", result.suppressed.size());
    if (result.baseline)
        out += fmt::format(" · {} baselined, {} gone from the baseline (fixed)",
                           result.baseline->matched, result.baseline->gone);
    out += "\n";

    // Only the packs that ran; packs not graded for the same reason share it.
    std::string scores;
    for (auto it = result.scores.begin(); it != result.scores.end(); ++it) {
        const auto& [pack, score] = *it;
        if (!score.ran) continue;
        if (!scores.empty()) scores += " · ";
        if (score.graded()) {
            scores += fmt::format("{} {}/100 {}", to_string(pack), score.score,
                                  paint(grade_style(score.grade), score.grade));
            continue;
        }
        scores += to_string(pack);
        auto next = std::next(it);
        while (next != result.scores.end() && next->second.ran &&
               next->second.not_graded == score.not_graded)
            scores += fmt::format(" and {}", to_string((next++)->first));
        scores += fmt::format(" {}: {}", paint(kBold, "not graded"), safe_text(score.not_graded));
        it = std::prev(next);
    }
    if (!scores.empty()) out += scores + "\n";
    out += render_serious_findings(sources, result, options);
    return out;
}

std::string render_referenced(const AuditResult& result) {
    if (result.referenced.empty()) return {};
    auto size_text = [](uint64_t bytes) {
        if (bytes < 1024) return fmt::format("{} bytes", bytes);
        if (bytes < (uint64_t{1} << 20)) return fmt::format("{:.1f} KiB", bytes / 1024.0);
        return fmt::format("{:.1f} MiB", bytes / 1048576.0);
    };
    size_t role_width = 0, path_width = 0;
    for (const ReferencedFileRow& row : result.referenced) {
        role_width = std::max(role_width, row.role.size());
        path_width = std::max(path_width, safe_text(row.path).size());
    }
    std::string audited, missing;
    for (const ReferencedFileRow& row : result.referenced) {
        std::string line =
            fmt::format("  {:<{}}  {:<{}}", row.role, role_width, safe_text(row.path), path_width);
        if (row.status == "present") {
            line += "  " + row.mode;
            if (row.uid) line += fmt::format(" {}:{}", *row.uid, *row.gid);
            if (row.size) line += "  " + size_text(*row.size);
            audited += line + "\n";
        } else {
            line += "  (" + safe_text(row.named_by) + ")";
            if (row.status == "outside-root") line += " leaves the root: " + safe_text(row.why);
            if (row.status == "unreadable") line += " unreadable: " + safe_text(row.why);
            missing += line + "\n";
        }
    }
    std::string out =
        fmt::format("files the configuration references, under {}:\n", safe_text(result.root)) +
        audited;
    if (!missing.empty()) out += "referenced but not there:\n" + missing;
    return out + "\n";
}

void write_terminal(std::ostream& stream, const SourceSet& sources, const AuditResult& result,
                    const TerminalOptions& options) {
    BlockWriter writer(stream);
    // The report opens with what was audited: the files the configurations reference.
    if (options.summary) writer.text() += render_referenced(result);
    if (options.findings) {
        FileId fallback = result.files.empty() ? kNoFile : result.files.front();
        for (const Diagnostic* d : sorted_diagnostics(result.diagnostics, sources)) {
            writer.text() += render_finding(sources, *d, options, fallback);
            writer.maybe_flush();
        }
    }
    if (options.summary) writer.text() += render_summary(sources, result, options);
}

std::string render_terminal(const SourceSet& sources, const AuditResult& result,
                            const TerminalOptions& options) {
    std::ostringstream out;
    write_terminal(out, sources, result, options);
    return out.str();
}

} // namespace smaudit::report
