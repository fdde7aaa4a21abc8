// Bad input never crashes the map parsers, and a file of bad lines gives a bounded number of
// diagnostics.
#include "parse/maps.hpp"

#include <doctest/doctest.h>

#include <functional>
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

TEST_CASE("a map of 100,000 bad lines: 1000 diagnostics plus one summary, and the good line") {
    struct Case {
        const char* name;
        std::string bad_line; // one diagnostic each
        std::string good_line;
        std::function<size_t(const SourceSet&, FileId, std::vector<Diagnostic>&)> parse;
    };
    const Case cases[] = {
        {"access", "lonely-key\n", "Connect:10 RELAY\n",
         [](const SourceSet& s, FileId f, std::vector<Diagnostic>& d) {
             return parse_access(s, f, d).entries.size();
         }},
        {"kv", "lonely-key\n", "user@example.org local\n",
         [](const SourceSet& s, FileId f, std::vector<Diagnostic>& d) {
             return parse_kv_map(s, f, d).entries.size();
         }},
        {"aliases", "no colon here\n", "postmaster: root\n",
         [](const SourceSet& s, FileId f, std::vector<Diagnostic>& d) {
             return parse_aliases(s, f, d).entries.size();
         }},
        {"class", std::string("a\0b\n", 4), "example.org\n",
         [](const SourceSet& s, FileId f, std::vector<Diagnostic>& d) {
             return parse_class_file(s, f, d).words.size() - 100000; // each bad line keeps `a`
         }},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        std::string text;
        for (int i = 0; i < 100000; ++i)
            text += c.bad_line;
        text += c.good_line;
        SourceSet sources;
        const FileId id = sources.add("input", text);
        std::vector<Diagnostic> diagnostics;
        CHECK(c.parse(sources, id, diagnostics) == 1);
        REQUIRE(diagnostics.size() == SyntaxSink::kMaxPerFile + 1);
        const Diagnostic& summary = diagnostics.back();
        CHECK(sources.get(id).position(summary.where.span.begin).line == 1001);
        CHECK(summary.message.find("(and 98999 more syntax errors in this file, not reported "
                                   "after the first 1000)") != std::string::npos);
    }
}
