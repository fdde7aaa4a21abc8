// Class files as sendmail's fileclass() reads them (checked with `sendmail -bt` and `$=R`).
#include "parse/maps.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using namespace std::string_literals;

namespace {

std::vector<std::string> words(const std::string& text, ast::ClassPattern pattern,
                               std::vector<Diagnostic>* diagnostics = nullptr) {
    SourceSet sources;
    const FileId id = sources.add("class", text);
    std::vector<Diagnostic> local;
    const ast::ClassFile cls =
        parse_class_file(sources, id, diagnostics ? *diagnostics : local, pattern);
    std::vector<std::string> out;
    for (const Span& w : cls.words)
        out.emplace_back(cls.word(w));
    return out;
}

} // namespace

TEST_CASE("class file with %s: the first word of each line, '#' lines skipped") {
    const std::string text = "a.example b.example\n# comment\n  indented c\n\nx#y z\n10.1 # c\n";
    CHECK(words(text, ast::ClassPattern::FirstWord) ==
          std::vector<std::string>{"a.example", "indented", "x#y", "10.1"});
}

TEST_CASE("class file with %[^#]: every word before the first '#'") {
    const std::string text = "a.example b.example\n# comment\n  indented c\nx#y z\n10.1 # c\r\n";
    CHECK(words(text, ast::ClassPattern::WordsBeforeHash) ==
          std::vector<std::string>{"a.example", "b.example", "indented", "c", "x", "10.1"});
}

TEST_CASE("class file: a NUL byte ends the line for sendmail") {
    std::vector<Diagnostic> diagnostics;
    CHECK(words("k\0z y\nnext\n"s, ast::ClassPattern::WordsBeforeHash, &diagnostics) ==
          std::vector<std::string>{"k", "next"});
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].rule_id == "SM-E221");
    CHECK(diagnostics[0].where.span == Span{1, 5});
}

TEST_CASE("class file patterns of F lines") {
    CHECK(class_pattern("") == ast::ClassPattern::FirstWord);
    CHECK(class_pattern("%s") == ast::ClassPattern::FirstWord);
    CHECK(class_pattern("%[^#]") == ast::ClassPattern::WordsBeforeHash);
    CHECK(class_pattern("%[^\\#]") == ast::ClassPattern::WordsBeforeHash);
    CHECK_FALSE(class_pattern("%d").has_value());
}
