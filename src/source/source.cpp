#include "source/source.hpp"

#include <algorithm>
#include <cstring>

namespace smaudit {

std::string_view to_string(FileKind kind) {
    switch (kind) {
    case FileKind::Mc:
        return "mc";
    case FileKind::Cf:
        return "cf";
    case FileKind::M4:
        return "m4";
    case FileKind::Access:
        return "access";
    case FileKind::Aliases:
        return "aliases";
    case FileKind::ClassFile:
        return "class";
    case FileKind::KeyValueMap:
        return "map";
    case FileKind::Unknown:
        break;
    }
    return "unknown";
}

SourceFile::SourceFile(std::string path, std::string text, FileKind kind)
    : path_(std::move(path)), text_(std::move(text)), kind_(kind) {
    // memchr, not a byte loop: this index is built for every file, maps of millions of lines too.
    // A line starts at 0 and after every newline but a final one (which opens no empty line).
    const char* begin = text_.data();
    const char* end = begin + text_.size();
    marks_.push_back(0);
    uint32_t lines = 1;
    for (const char* at = begin; at < end;) {
        const void* nl = std::memchr(at, '\n', static_cast<size_t>(end - at));
        if (!nl) break;
        at = static_cast<const char*>(nl) + 1;
        if (at == end) break;
        if (lines++ % kLinesPerMark == 0) marks_.push_back(static_cast<uint32_t>(at - begin));
    }
    line_count_ = lines;
    marks_.shrink_to_fit();
}

std::string_view SourceFile::slice(Span span) const {
    uint32_t size = static_cast<uint32_t>(text_.size());
    uint32_t b = std::min(span.begin, size), e = std::min(std::max(span.end, b), size);
    return std::string_view(text_).substr(b, e - b);
}

uint32_t SourceFile::skip_lines(uint32_t from, uint32_t skip) const {
    const char* begin = text_.data();
    const char* end = begin + text_.size();
    const char* at = begin + from;
    for (; skip > 0 && at < end; --skip) {
        const void* nl = std::memchr(at, '\n', static_cast<size_t>(end - at));
        if (!nl) return static_cast<uint32_t>(text_.size());
        at = static_cast<const char*>(nl) + 1;
    }
    return static_cast<uint32_t>(at - begin);
}

uint32_t SourceFile::line_start(uint32_t line) const {
    if (line == 0) line = 1;
    if (line > line_count_) return static_cast<uint32_t>(text_.size());
    return skip_lines(marks_[(line - 1) / kLinesPerMark], (line - 1) % kLinesPerMark);
}

std::string_view SourceFile::line_text(uint32_t line) const {
    return line == 0 ? std::string_view() : line_text_from(line_start(line));
}

std::string_view SourceFile::line_text_from(uint32_t begin) const {
    std::string_view s = std::string_view(text_).substr(std::min<size_t>(begin, text_.size()));
    if (const size_t nl = s.find('\n'); nl != std::string_view::npos) s = s.substr(0, nl);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

SourceFile::LineAt SourceFile::line_at(uint32_t offset) const {
    const auto size = static_cast<uint32_t>(text_.size());
    offset = std::min(offset, size);
    const auto mark = static_cast<uint32_t>(std::upper_bound(marks_.begin(), marks_.end(), offset) -
                                            marks_.begin() - 1);
    LineAt at{1 + mark * kLinesPerMark, marks_[mark]};
    // Newlines before `offset` start lines, but a final one does not.
    const char* begin = text_.data();
    const uint32_t stop = std::min(offset, size > 0 ? size - 1 : 0u);
    while (at.begin < stop) {
        const void* nl = std::memchr(begin + at.begin, '\n', stop - at.begin);
        if (!nl) break;
        at.begin = static_cast<uint32_t>(static_cast<const char*>(nl) - begin) + 1;
        ++at.line;
    }
    return at;
}

Position SourceFile::position(uint32_t offset) const {
    offset = std::min(offset, static_cast<uint32_t>(text_.size()));
    const LineAt at = line_at(offset);
    return {at.line,
            1 + count_columns(std::string_view(text_).substr(at.begin, offset - at.begin))};
}

uint32_t LineCounter::line_of(uint32_t offset) {
    const std::string& text = file_.text();
    const auto size = static_cast<uint32_t>(text.size());
    // As in line_at: the newlines before the offset, but not a final one.
    const uint32_t stop = std::min(offset, size > 0 ? size - 1 : 0u);
    if (stop < counted_) return file_.position(offset).line;
    while (counted_ < stop) {
        const void* nl = std::memchr(text.data() + counted_, '\n', stop - counted_);
        if (!nl) {
            counted_ = stop;
            break;
        }
        counted_ = static_cast<uint32_t>(static_cast<const char*>(nl) - text.data()) + 1;
        ++line_;
    }
    return line_;
}

size_t utf8_unit_length(std::string_view bytes, size_t i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 1;
    if (len == 1 || i + len > bytes.size()) return 1;
    for (size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return 1;
    return len;
}

size_t utf8_valid_length(std::string_view bytes, size_t i) {
    const auto at = [&](size_t k) { return static_cast<unsigned char>(bytes[i + k]); };
    const unsigned char c = at(0);
    if (c < 0x80) return 1;
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; // overlong
        if (c == 0xED) hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90; // overlong
        if (c == 0xF4) hi = 0x8F; // above U+10FFFF
    }
    if (n == 0 || i + n > bytes.size()) return 0;
    if (at(1) < lo || at(1) > hi) return 0;
    for (size_t k = 2; k < n; ++k)
        if (at(k) < 0x80 || at(k) > 0xBF) return 0;
    return n;
}

std::string bytes_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        if (size_t n = utf8_valid_length(bytes, i)) {
            out.append(bytes.substr(i, n));
            i += n;
        } else {
            const auto c = static_cast<unsigned char>(bytes[i++]);
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

uint32_t count_columns(std::string_view bytes) {
    uint32_t columns = 0;
    for (size_t i = 0; i < bytes.size();) {
        // ASCII eight bytes at a time: a report may locate hundreds of findings on one line of a
        // million characters.
        uint64_t word = 0;
        if (i + 8 <= bytes.size() &&
            (std::memcpy(&word, bytes.data() + i, 8), (word & 0x8080808080808080u) == 0)) {
            i += 8;
            columns += 8;
            continue;
        }
        i += utf8_unit_length(bytes, i);
        ++columns;
    }
    return columns;
}

std::string_view SourceSet::text_at(Location where) const {
    const SourceFile* file = find(where.file);
    return file ? file->slice(where.span) : std::string_view();
}

uint32_t SourceSet::line_of(Location where) const {
    const SourceFile* file = find(where.file);
    return file ? file->position(where.span.begin).line : 0;
}

FileId SourceSet::add(std::string path, std::string text, FileKind kind) {
    files_.emplace_back(std::move(path), std::move(text), kind);
    return static_cast<FileId>(files_.size() - 1);
}

} // namespace smaudit
