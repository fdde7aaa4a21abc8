#include "source/source.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace smaudit;

TEST_CASE("line and column from byte offsets") {
    SourceFile f("x", "ab\ncd\r\n\tx\xc3\xa9y\n");
    CHECK(f.line_count() == 3);
    CHECK(f.position(0).line == 1);
    CHECK(f.position(4).line == 2);
    CHECK(f.position(4).column == 2);
    CHECK(f.line_text(2) == "cd"); // CRLF stripped
    // line 3: tab counts one column, é (2 bytes) counts one code point
    uint32_t y = static_cast<uint32_t>(f.text().find('y'));
    CHECK(f.position(y).column == 4);
    CHECK(f.position(static_cast<uint32_t>(f.text().size())).line == 3);
}

TEST_CASE("invalid UTF-8 bytes count one column each") {
    CHECK(count_columns("\xe9t\xe9") == 3);
    CHECK(count_columns("\xc3\xa9") == 1);
    CHECK(count_columns(std::string_view("a\0b", 3)) == 3);
}

TEST_CASE("a file without final newline and an empty file") {
    SourceFile f("x", "one\ntwo");
    CHECK(f.line_count() == 2);
    CHECK(f.line_text(2) == "two");
    SourceFile e("e", "");
    CHECK(e.line_count() == 1);
    CHECK(e.position(0).line == 1);
}

TEST_CASE("bytes_to_utf8 keeps valid UTF-8 and reads every other byte as latin-1") {
    CHECK(bytes_to_utf8("plain ascii") == "plain ascii");
    CHECK(bytes_to_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xf0\x9f\x98\x80");
    CHECK(bytes_to_utf8("\xe9t\xe9") == "\xc3\xa9t\xc3\xa9"); // latin-1 é
    // Not valid UTF-8 (RFC 3629), so byte by byte: an overlong '/', a surrogate, a code point
    // above U+10FFFF, a sequence cut short.
    CHECK(bytes_to_utf8("\xc0\xaf") == "\xc3\x80\xc2\xaf");
    CHECK(bytes_to_utf8("\xed\xa0\x80") == "\xc3\xad\xc2\xa0\xc2\x80");
    CHECK(bytes_to_utf8("\xf4\x90\x80\x80") == "\xc3\xb4\xc2\x90\xc2\x80\xc2\x80");
    CHECK(bytes_to_utf8("\xe2\x82") == "\xc3\xa2\xc2\x82");
    CHECK(utf8_valid_length("\xef\xbf\xbf", 0) == 3);     // U+FFFF is a valid code point
    CHECK(utf8_valid_length("\xf4\x8f\xbf\xbf", 0) == 4); // U+10FFFF, the last one
    CHECK(utf8_valid_length("\x80", 0) == 0);
}

TEST_CASE("a place that is nowhere reads as nothing, not as a crash") {
    SourceSet sources;
    FileId file = sources.add("a.cf", "V10\nO LogLevel=9\n");
    const Location line2{file, {4, 16}};
    CHECK(sources.find(file) == &sources.get(file));
    CHECK(sources.text_at(line2) == "O LogLevel=9");
    CHECK(sources.line_of(line2) == 2);
    // kNoFile (a default, cf-tree text an .mc cannot point at) and ids of no file of this set.
    for (FileId nowhere : {kNoFile, FileId{1}, FileId{12345}}) {
        CHECK(sources.find(nowhere) == nullptr);
        CHECK(sources.text_at({nowhere, {4, 16}}).empty());
        CHECK(sources.line_of({nowhere, {4, 16}}) == 0);
    }
    CHECK(sources.line_of(Location{}) == 0);
}

// The line index keeps one line start in SourceFile::kLinesPerMark; every line and offset must
// still read as a full index of line starts says (built here the plain way, byte by byte).
TEST_CASE("lines and positions across the line index's marks equal a full index") {
    for (const bool final_newline : {true, false}) {
        std::string text;
        for (int i = 0; i < 200; ++i) {
            // Empty lines, CRLF lines and a run of long ones around the marks.
            text += i % 7 == 3 ? "" : "line " + std::to_string(i) + std::string(i % 5, 'x');
            text += i % 11 == 0 ? "\r\n" : "\n";
        }
        text += "last";
        if (final_newline) text += '\n';
        SourceFile f("x", text);
        std::vector<uint32_t> starts{0};
        for (uint32_t at = 0; at < text.size(); ++at)
            if (text[at] == '\n' && at + 1 < text.size()) starts.push_back(at + 1);
        REQUIRE(f.line_count() == starts.size());
        for (uint32_t line = 1; line <= starts.size(); ++line) {
            CHECK(f.line_start(line) == starts[line - 1]);
            const uint32_t end =
                line < starts.size() ? starts[line] : static_cast<uint32_t>(text.size());
            std::string expected = text.substr(starts[line - 1], end - starts[line - 1]);
            while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
                expected.pop_back();
            CHECK(f.line_text(line) == expected);
        }
        CHECK(f.line_start(static_cast<uint32_t>(starts.size()) + 1) == text.size());
        CHECK(f.line_text(0).empty());
        LineCounter ascending(f);
        for (uint32_t offset = 0; offset <= text.size(); ++offset) {
            const uint32_t line = static_cast<uint32_t>(
                std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
            const Position p = f.position(offset);
            CHECK(p.line == line);
            CHECK(p.column == 1 + offset - starts[line - 1]); // ASCII: a byte a column
            CHECK(f.line_at(offset).begin == starts[line - 1]);
            CHECK(ascending.line_of(offset) == line);
        }
        // Offsets out of order are looked up.
        CHECK(ascending.line_of(0) == 1);
        CHECK(ascending.line_of(starts[150]) == 151);
    }
}
