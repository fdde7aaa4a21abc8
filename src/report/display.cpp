#include "report/display.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace smaudit::report {

Position locate(const SourceFile& file, uint32_t offset) {
    const std::string& text = file.text();
    offset = std::min(offset, static_cast<uint32_t>(text.size()));
    if (offset == text.size() && !text.empty() && text.back() == '\n')
        return {file.line_count() + 1, 1};
    // One look-up of the line: the line index keeps only some line starts (source.hpp).
    const SourceFile::LineAt at = file.line_at(offset);
    const std::string_view line = file.line_text_from(at.begin);
    const uint32_t into_line = offset - at.begin;
    // Inside the terminator: the terminator bytes are not columns.
    if (into_line > line.size()) return {at.line, count_columns(line) + 1};
    return {at.line, 1 + count_columns(line.substr(0, into_line))};
}

PathUnderRoot path_under_root(std::string_view path, std::string_view root) {
    auto absolute_normal = [&](std::string_view p) {
        std::filesystem::path result{std::string(p)};
        if (result.is_relative()) result = std::filesystem::path(std::string(root)) / result;
        return result.lexically_normal();
    };
    const std::filesystem::path file = absolute_normal(path);
    const std::filesystem::path relative = file.lexically_relative(absolute_normal("."));
    if (!relative.empty() && *relative.begin() != ".." && relative != ".")
        return {relative.generic_string(), true};
    return {file.generic_string(), false};
}

std::string_view no_place_reason(const SourceFile* config, bool about_default) {
    // In an .mc a default may also be one of sendmail's cf files (cfhead.m4, proto.m4), and a
    // finding in text they wrote has no .mc line either; its label or notes say more.
    const bool mc = config && config->kind() == FileKind::Mc;
    return about_default
               ? (mc ? "a default, no .mc line sets it" : "sendmail default, no line sets it")
               : (mc ? "no .mc line to point at" : "no line to point at");
}

namespace {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kInvalid = 0xFFFFFFFF;

// One step of UTF-8 decoding, by the units count_columns() counts (utf8_unit_length), so one
// decoded unit is always one reported column; a sequence of the right shape that is overlong,
// a surrogate or out of range decodes to kInvalid.
struct Decoded {
    char32_t cp;
    size_t length;
};

Decoded decode(std::string_view bytes, size_t i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    size_t len = utf8_unit_length(bytes, i);
    if (len == 1) return {c < 0x80 ? char32_t(c) : kInvalid, 1};
    char32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3F);
    static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kInvalid;
    return {cp, len};
}

bool is_invisible_format(char32_t cp) {
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// What a code point looks like on a terminal, without tab handling; returns the column width.
uint32_t render_code_point(std::string& out, char32_t cp, std::string_view original) {
    if (cp == kInvalid || (cp >= 0x80 && cp <= 0x9F)) {
        append_utf8(out, kReplacement);
    } else if (cp < 0x20) {
        append_utf8(out, 0x2400 + cp); // control pictures: NUL → ␀, ESC → ␛, CR → ␍
    } else if (cp == 0x7F) {
        append_utf8(out, 0x2421); // ␡
    } else if (is_invisible_format(cp)) {
        // Bidi overrides and invisible characters could make the shown line lie about its
        // content ("Trojan Source"); name them instead.
        char buf[16];
        int n = std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(cp));
        out.append(buf, static_cast<size_t>(n));
        return static_cast<uint32_t>(n);
    } else {
        out.append(original);
    }
    return 1;
}

} // namespace

std::vector<DisplayCell> display_cells(std::string_view line, uint32_t tab_width) {
    if (tab_width == 0) tab_width = 1;
    std::vector<DisplayCell> cells;
    uint32_t column = 0;
    for (size_t i = 0; i < line.size();) {
        Decoded d = decode(line, i);
        DisplayCell cell;
        cell.begin = static_cast<uint32_t>(i);
        cell.end = static_cast<uint32_t>(i + d.length);
        if (d.cp == '\t') {
            cell.width = tab_width - column % tab_width;
            cell.text.assign(cell.width, ' ');
        } else {
            cell.width = render_code_point(cell.text, d.cp, line.substr(i, d.length));
        }
        column += cell.width;
        cells.push_back(std::move(cell));
        i += d.length;
    }
    return cells;
}

std::string display_text(std::string_view line, uint32_t tab_width) {
    std::string out;
    for (const DisplayCell& cell : display_cells(line, tab_width))
        out += cell.text;
    return out;
}

std::vector<const SuppressedFinding*> sorted_suppressed(const AuditResult& result,
                                                        const SourceSet& sources) {
    std::vector<const SuppressedFinding*> sorted;
    sorted.reserve(result.suppressed.size());
    for (const SuppressedFinding& s : result.suppressed)
        sorted.push_back(&s);
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) {
        return report_order_less(a->finding, b->finding, sources);
    });
    return sorted;
}

std::string safe_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        Decoded d = decode(text, i);
        if (d.cp == '\n')
            out += '\n';
        else if (d.cp == '\t')
            out += ' ';
        else
            render_code_point(out, d.cp, text.substr(i, d.length));
        i += d.length;
    }
    return out;
}

} // namespace smaudit::report
