// Turning byte offsets and raw file bytes into what a report shows: 1-based positions, and text
// that is safe to print (no terminal escapes, no bidi overrides, no invalid UTF-8) with carets that
// line up under it. Shared by the terminal and JSON reporters (and SARIF).
#pragma once

#include "diag/audit_result.hpp"
#include "source/source.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace smaudit::report {

// The 1-based line and column (code points, tab = 1) of a byte offset, as reports print it.
// Differs from SourceFile::position on purpose at line ends: an offset inside a line terminator
// (the `\r` or `\n`) is the column just past the line's last character, and the end of a file
// that ends with a newline is line (last + 1), column 1, like an editor's cursor there.
Position locate(const SourceFile& file, uint32_t offset);

// The exclusive end of a span as a position (end_line/end_column in the JSON report).
inline Position locate_end(const SourceFile& file, Span span) {
    return locate(file, span.end);
}

// The file a finding is reported at: its place's, else the configuration it is about, else
// FALLBACK (the run's first file).
inline FileId finding_file(const SourceSet& sources, const Diagnostic& d, FileId fallback) {
    return sources.find(d.where.file) ? d.where.file
           : d.config_file != kNoFile ? d.config_file
                                      : fallback;
}

// A source path as a CI report names it: relative to ROOT (an absolute directory, the working
// directory the app gives, which CI runs in the repository's root) when the file is under it,
// else absolute; made absolute against ROOT and normalised first. SARIF percent-encodes it.
struct PathUnderRoot {
    std::string path;        // generic form: "fixtures/e2e/x.cf", or "/usr/share/sendmail/cf/..."
    bool under_root = false; // path is relative to ROOT
};
PathUnderRoot path_under_root(std::string_view path, std::string_view root);

// Why a finding without a place (invalid `where`) has none, as the reports say it after its
// file: the configuration it is about (CONFIG, null when unknown) is an .mc or not, the finding
// is about a default or not.
std::string_view no_place_reason(const SourceFile* config, bool about_default);

// The suppressed findings in report order (path, offset, rule), as views.
std::vector<const SuppressedFinding*> sorted_suppressed(const AuditResult& result,
                                                        const SourceSet& sources);

// One code point (or one invalid byte) of a source line as displayed.
struct DisplayCell {
    std::string text;   // what to print: the character itself, spaces for a tab, or a stand-in
    uint32_t width = 1; // terminal columns `text` takes
    uint32_t begin = 0; // byte range in the source line
    uint32_t end = 0;
};

// Splits one line (without its terminator) into display cells. Tabs become spaces up to the next
// multiple of `tab_width`; C0/C1 controls (ESC, NUL, a stray \r, ...) become their Unicode
// control pictures or U+FFFD; bidi controls become "<U+202E>"; invalid UTF-8 bytes become U+FFFD.
// Code points are otherwise one column wide (wide CJK glyphs are not measured).
std::vector<DisplayCell> display_cells(std::string_view line, uint32_t tab_width = 8);

// The cells joined: a line as the terminal reporter prints it.
std::string display_text(std::string_view line, uint32_t tab_width = 8);

// Text from a rule (message, label, path) made safe for a terminal: controls and invalid UTF-8
// replaced as in display_cells; a tab becomes one space; newlines are kept.
std::string safe_text(std::string_view text);

} // namespace smaudit::report
