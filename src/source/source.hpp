// Source files, byte spans and the line index. Everything upstream of the reporters speaks in
// half-open byte spans; only reporters turn an offset into a line and column.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

// Half-open byte range [begin, end) into one SourceFile's text.
struct Span {
    uint32_t begin = 0;
    uint32_t end = 0;
    uint32_t size() const { return end - begin; }
    bool empty() const { return begin == end; }
    bool operator==(const Span&) const = default;
};

using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

// A place in a file: which file, which bytes. An invalid Location means "sendmail's built-in
// default" or "nowhere in particular".
struct Location {
    FileId file = kNoFile;
    Span span{};
    bool valid() const { return file != kNoFile; }
    bool operator==(const Location&) const = default;
};

// 1-based line and column; columns count Unicode code points (a tab is one), as design.md asks.
struct Position {
    uint32_t line = 1;
    uint32_t column = 1;
};

// What a file is, decided by discovery (by name and content) or forced with --kind.
enum class FileKind { Unknown, Mc, Cf, M4, Access, Aliases, ClassFile, KeyValueMap };
std::string_view to_string(FileKind kind);

class SourceFile {
  public:
    SourceFile(std::string path, std::string text, FileKind kind = FileKind::Unknown);

    const std::string& path() const { return path_; }
    const std::string& text() const { return text_; }
    FileKind kind() const { return kind_; }
    void set_kind(FileKind kind) { kind_ = kind; }
    std::string_view slice(Span span) const;

    // Line/column of a byte offset (clamped to the text). Invalid UTF-8 bytes count as one column
    // each, so latin-1 files still get sensible carets.
    Position position(uint32_t offset) const;
    // The line of a byte offset (clamped to the text): its number and the offset it starts at.
    struct LineAt {
        uint32_t line;
        uint32_t begin;
    };
    LineAt line_at(uint32_t offset) const;
    // The text of the line that starts at `begin` (a line_start or line_at), without its line
    // terminator.
    std::string_view line_text_from(uint32_t begin) const;
    uint32_t line_count() const { return line_count_; }
    // The text of a 1-based line without its line terminator (LF or CRLF).
    std::string_view line_text(uint32_t line) const;
    uint32_t line_start(uint32_t line) const;

    // Lines per entry of the line index: only the start of every kLinesPerMark-th line is kept
    // (a million-line map's index is 250 KB, not 4 MB: its audit is held to twice the file's size
    // in memory), and the lines between are found with at most kLinesPerMark - 1 memchr calls.
    static constexpr uint32_t kLinesPerMark = 16;

  private:
    // The offset just past the first `skip` newlines at or after `from` (`from` itself for 0).
    uint32_t skip_lines(uint32_t from, uint32_t skip) const;

    std::string path_;
    std::string text_;
    FileKind kind_;
    uint32_t line_count_ = 1;
    std::vector<uint32_t>
        marks_; // the start of lines 1, 1 + kLinesPerMark, 1 + 2 * kLinesPerMark ...
};

// Line numbers of offsets asked in ascending order (a map's entries in file order), counted in
// one pass over the text rather than looked up in the line index for each. An offset below the
// last one asked is looked up.
class LineCounter {
  public:
    explicit LineCounter(const SourceFile& file) : file_(file) {}
    // SourceFile::position(offset).line
    uint32_t line_of(uint32_t offset);

  private:
    const SourceFile& file_;
    uint32_t line_ = 1;
    uint32_t counted_ = 0; // the newlines before this offset are counted in line_
};

// Owns every file of one run; FileIds are indices and stay valid while the set lives.
//
// get() is for the FileIds add() handed out (the files of a run). A Location from the model or
// a diagnostic may be nowhere (kNoFile: a default, text of sendmail's cf tree that an .mc's
// finding cannot point at): read it through find(), text_at() or line_of(), which say "nowhere"
// instead of failing.
class SourceSet {
  public:
    FileId add(std::string path, std::string text, FileKind kind = FileKind::Unknown);
    const SourceFile& get(FileId id) const { return files_.at(id); }
    SourceFile& get(FileId id) { return files_.at(id); }
    size_t size() const { return files_.size(); }
    // The file, or null for kNoFile or an id this set did not hand out.
    const SourceFile* find(FileId id) const { return id < files_.size() ? &files_[id] : nullptr; }
    // The bytes of a place; empty when it is nowhere.
    std::string_view text_at(Location where) const;
    // The 1-based line a place starts on; 0 when it is nowhere.
    uint32_t line_of(Location where) const;

  private:
    std::deque<SourceFile> files_;
};

// Counts code points in a byte range of UTF-8 (invalid bytes count one each).
uint32_t count_columns(std::string_view bytes);
// The bytes of the column that starts at bytes[i]: a UTF-8 sequence of the right shape (lead
// byte and continuation bytes), else 1. Reporters decode by the same units, so one shown
// character is always one reported column.
size_t utf8_unit_length(std::string_view bytes, size_t i);

// Length of the valid UTF-8 sequence at bytes[i] as RFC 3629 has it (no overlong forms, no
// surrogates, nothing above U+10FFFF; 1 for ASCII), 0 when it is not one.
size_t utf8_valid_length(std::string_view bytes, size_t i);
// Text for JSON and messages, which must be UTF-8, from bytes that may be latin-1 or stray:
// valid UTF-8 is kept, every other byte becomes the code point of the same number (its latin-1
// reading), so the text stays readable and nothing is lost or refused.
std::string bytes_to_utf8(std::string_view bytes);

} // namespace smaudit
