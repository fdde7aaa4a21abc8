// Bad input never crashes the map parsers, and their time grows linearly with the input.
#include "parse/maps.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace smaudit;

namespace {

void parse_all(const std::string& text) {
    SourceSet sources;
    const FileId id = sources.add("input", text);
    std::vector<Diagnostic> diagnostics;
    const auto access = parse_access(sources, id, diagnostics);
    const auto aliases = parse_aliases(sources, id, diagnostics);
    for (const auto& e : aliases.entries)
        (void)aliases.targets(e);
    (void)parse_kv_map(sources, id, diagnostics);
    (void)parse_class_file(sources, id, diagnostics, ast::ClassPattern::WordsBeforeHash);
    bool spans_inside = true;
    for (const Diagnostic& d : diagnostics)
        spans_inside &= d.where.span.begin <= d.where.span.end && d.where.span.end <= text.size();
    for (const auto& e : access.entries)
        spans_inside &= e.span().end <= text.size();
    for (const auto& e : aliases.entries)
        spans_inside &= e.span.end <= text.size() && e.value_begin <= e.span.end;
    CHECK(spans_inside);
}

} // namespace

TEST_CASE("map parsers survive random bytes") {
    std::mt19937 rng(42);
    static const char kBytes[] = "ab:#,\"\\|/ \t\r\n\0\xe9@()<>";
    const std::string alphabet(kBytes, sizeof kBytes - 1); // the NUL inside included
    for (int round = 0; round < 300; ++round) {
        std::string text(static_cast<size_t>(rng() % 3000), ' ');
        for (char& c : text)
            c = alphabet[rng() % alphabet.size()];
        parse_all(text);
    }
    parse_all("");
    parse_all("\\");
    parse_all(std::string(5000, '\\'));
    parse_all(std::string(3000, 'k') +
              " v"); // lines longer than 65535 would not fit spans of 16 bits
    parse_all(std::string(70000, 'x') + " value\n");
}
