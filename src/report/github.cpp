#include "report/github.hpp"

#include "report/display.hpp"
#include "report/sarif.hpp"

#include <algorithm>

namespace smaudit::report {

namespace {

std::string escape(std::string_view text, bool property) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '%':
            out += "%25";
            break;
        case '\r':
            out += "%0D";
            break;
        case '\n':
            out += "%0A";
            break;
        case ':':
            out += property ? "%3A" : ":";
            break;
        case ',':
            out += property ? "%2C" : ",";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// The first and the last character of a span (inclusive), as GitHub's line/col and
// endLine/endColumn count them; an empty span is its first character.
struct LineRange {
    Position begin, last;
};

LineRange line_range(const SourceFile& file, Span span) {
    const Position begin = locate(file, span.begin);
    const Position end = locate(file, std::max(span.begin, span.end));
    if (span.end <= span.begin || end.line == begin.line)
        return {begin, {begin.line, std::max(begin.column, end.column - 1)}};
    if (end.column > 1) return {begin, {end.line, end.column - 1}};
    // Ends with a line terminator: the last character is the end of the line before.
    const uint32_t line = end.line - 1;
    return {begin, {line, std::max<uint32_t>(1, count_columns(file.line_text(line)))}};
}

} // namespace

std::string_view github_command(Severity severity) {
    const std::string_view level = sarif_level(severity);
    return level == "note" ? "notice" : level;
}

std::string github_escape_data(std::string_view text) {
    return escape(text, false);
}

std::string github_escape_property(std::string_view text) {
    return escape(text, true);
}

void write_github(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                  std::string_view root) {
    const FileId fallback = result.files.empty() ? kNoFile : result.files.front();
    for (const Diagnostic* finding : sorted_diagnostics(result.diagnostics, sources)) {
        const Diagnostic& d = *finding;
        std::string properties;
        auto property = [&](std::string_view key, std::string_view value) {
            properties += (properties.empty() ? " " : ",") + std::string(key) + "=" +
                          github_escape_property(value);
        };
        const SourceFile* about = sources.find(finding_file(sources, d, fallback));
        if (about) property("file", path_under_root(about->path(), root).path);
        std::string message = d.message;
        if (const SourceFile* file = sources.find(d.where.file)) {
            const LineRange lines = line_range(*file, d.where.span);
            const bool one_line = lines.begin.line == lines.last.line;
            property("line", std::to_string(lines.begin.line));
            if (one_line) property("col", std::to_string(lines.begin.column));
            property("endLine", std::to_string(lines.last.line));
            if (one_line) property("endColumn", std::to_string(lines.last.column));
        } else {
            message += " (" + std::string(no_place_reason(about, d.about_default)) + ")";
        }
        property("title", d.rule_id + " " + d.rule_name);
        out << "::" << github_command(d.severity) << properties
            << "::" << github_escape_data(message) << "\n";
    }
}

} // namespace smaudit::report
