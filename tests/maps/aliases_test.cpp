// The aliases parser: logical lines, keys, targets, spans and diagnostics. Expectations come
// from running `sendmail -bi` by hand on these inputs (KB §1.7, Appendix C.6).
#include "parse/maps.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using namespace std::string_literals;
using ast::AliasTargetKind;

namespace {

struct Parsed {
    SourceSet sources;
    FileId id = 0;
    std::vector<Diagnostic> diagnostics;
    ast::AliasesFile file;
    explicit Parsed(std::string text) {
        id = sources.add("aliases", std::move(text));
        file = parse_aliases(sources, id, diagnostics);
    }
    std::string_view slice(Span s) const { return sources.get(id).slice(s); }
    const ast::AliasEntry* find(std::string_view key) const {
        const ast::AliasEntry* found = nullptr;
        for (const auto& e : file.entries)
            if (file.key(e) == key && !e.overridden()) found = &e;
        return found;
    }
    std::vector<std::string> ids() const {
        std::vector<std::string> out;
        for (const auto& d : diagnostics)
            out.push_back(d.rule_id);
        return out;
    }
};

} // namespace

TEST_CASE("aliases: continuation lines are joined as newaliases joins them") {
    Parsed p("cont: a,\n  b,\n\tc\nbs: x, \\\ny\nempty:\n  value: z\nnext: n\n");
    CHECK(p.diagnostics.empty());
    REQUIRE(p.find("cont"));
    CHECK(p.file.value(*p.find("cont")) == "a,  b,\tc"); // newline gone, blanks kept
    CHECK(p.file.value(*p.find("bs")) == "x, y");        // `\`-newline gone
    CHECK(p.file.value(*p.find("empty")) == "value: z"); // value may start on the next line
    CHECK(p.file.value(*p.find("next")) == "n");
    CHECK(p.slice(p.find("cont")->span) == "cont: a,\n  b,\n\tc");
    CHECK_FALSE(p.find("next")->continued());
}

TEST_CASE("aliases: a `\\` before the last newline of the file is dropped, without one kept") {
    Parsed with_newline("a: 1\\\n");
    CHECK(with_newline.file.value(with_newline.file.entries.at(0)) == "1");
    Parsed without_newline("a: 1\\");
    CHECK(without_newline.file.value(without_newline.file.entries.at(0)) == "1\\");
}

TEST_CASE("aliases: an indented line after a comment belongs to the comment") {
    Parsed p("# comment\n  swallowed: bob\nroot: alice\n");
    CHECK(p.diagnostics.empty()); // newaliases says nothing either
    CHECK(p.find("swallowed") == nullptr);
    REQUIRE(p.file.comments.size() == 1);
    CHECK(p.slice(p.file.comments[0]) == "# comment\n  swallowed: bob");
}

TEST_CASE("aliases: keys are lower case with blanks between words turned into dots") {
    Parsed p("Upper: a\nPostMaster: b\nA  b: c\nc .d: d\nG(comment): e\n<h>: f\n"
             "\"Quoted Name\": g\nroot : h\n");
    CHECK(p.diagnostics.empty());
    std::vector<std::string> keys;
    for (const auto& e : p.file.entries)
        keys.push_back(p.file.key(e));
    CHECK(keys == std::vector<std::string>{"upper", "postmaster", "a.b", "c.d", "g", "h",
                                           "\"quoted name\"", "root"});
    CHECK(p.slice(p.file.entries.back().name_span()) == "root");
}

TEST_CASE("aliases: odd names are repaired or refused as newaliases does") {
    // Run through sendmail -bi: the same complaints (a)b and a>b both become "ab", a duplicate)
    // and the same keys.
    Parsed p("a(b: 1\na)b: 2\na>b: 3\nc\"d: 4\n\\ : 5\nx\\: 6\n/file: 7\n|prog: 8\n!bang: 9\n"
             "h!u: 10\n");
    CHECK(p.ids() == std::vector<std::string>{"SM-E218", "SM-E218", "SM-E218", "SM-E218", "SM-E215",
                                              "SM-E215", "SM-E215", "SM-E216"});
    std::vector<std::string> keys;
    for (const auto& e : p.file.entries)
        keys.push_back(p.file.key(e));
    CHECK(keys == std::vector<std::string>{"a", "ab", "ab", "c\"d: 4\"", "\\ ", "x", "!bang"});
    CHECK(p.file.value(*p.find("c\"d: 4\"")) == "4"); // the value still starts at the ':'
}

TEST_CASE("aliases: targets with kinds and raw spans") {
    Parsed p("q: \"|/usr/bin/logger -t x\", /tmp/file, :include:/etc/mail/list,\n"
             "   \\root, error:5.1.1 nope, user@example.org, bob # comment\n");
    REQUIRE(p.file.entries.size() == 1);
    const auto targets = p.file.targets(p.file.entries[0]);
    REQUIRE(targets.size() == 7);
    CHECK(targets[0].kind == AliasTargetKind::Program);
    CHECK(targets[0].quoted);
    CHECK(targets[0].unquoted == "|/usr/bin/logger -t x");
    CHECK(p.slice(targets[0].span) == "\"|/usr/bin/logger -t x\"");
    CHECK(targets[1].kind == AliasTargetKind::File);
    CHECK(targets[2].kind == AliasTargetKind::Include);
    CHECK(p.slice(targets[2].span) == ":include:/etc/mail/list");
    CHECK(targets[3].kind == AliasTargetKind::Mailbox);
    CHECK(p.slice(targets[3].span) == "\\root"); // on the continuation line
    CHECK(targets[4].kind == AliasTargetKind::Error);
    CHECK(targets[5].kind == AliasTargetKind::Address);
    CHECK(targets[6].kind == AliasTargetKind::Local);
    CHECK(targets[6].text == "bob # comment"); // '#' inside a line is not a comment
}

TEST_CASE("aliases: a target crossing a `\\`-joined line maps back to both lines") {
    Parsed p("x: ab\\\ncd, e\n");
    const auto targets = p.file.targets(p.file.entries.at(0));
    REQUIRE(targets.size() == 2);
    CHECK(targets[0].text == "abcd");
    CHECK(p.slice(targets[0].span) == "ab\\\ncd");
    CHECK(p.slice(targets[1].span) == "e");
}

TEST_CASE("aliases: one diagnostic per bad entry, in newaliases' order of checks") {
    Parsed p("nocolon alice\nempty:\n: nokey\nuser@dom: x\nuser@dom2:\n\n  afterblank: c\n"
             "dup: 1\nDup: 2\nok: fine\n");
    // Duplicates are found after the whole file is read, so their diagnostic comes last.
    CHECK(p.ids() == std::vector<std::string>{"SM-E211", "SM-E213", "SM-E214", "SM-E215", "SM-E215",
                                              "SM-E212", "SM-E216"});
    CHECK(p.slice(p.diagnostics[3].where.span) == "user@dom");
    CHECK(p.slice(p.diagnostics[5].where.span) == "  afterblank: c");
    CHECK(p.file.value(*p.find("dup")) == "2"); // the last definition wins
    CHECK(p.file.duplicates.size() == 1);
    CHECK(p.find("ok") != nullptr);
}

TEST_CASE("aliases: the line thrown away after a NUL runs on over a `\\`-newline") {
    Parsed p("a: b\0\nx: \\\ny: 1\nc: 3\n"s);
    CHECK(p.ids() == std::vector<std::string>{"SM-E217"});
    REQUIRE(p.file.entries.size() == 1);
    CHECK(p.file.key(p.file.entries[0]) == "c");
}

TEST_CASE("aliases: a NUL in the last line of the file only cuts it") {
    Parsed p("x: 1\na: b\0c\n"s);
    CHECK(p.diagnostics.empty());
    CHECK(p.file.value(*p.find("a")) == "b");
}

TEST_CASE("aliases: a NUL byte loses the entry and the next line, as in newaliases") {
    Parsed p("a: b\0c\nlost: 1\n  skipped: 2\nkept: 3\nnulcont: x\0\n  y\nend: e\0"s);
    CHECK(p.ids() == std::vector<std::string>{"SM-E217"});
    std::vector<std::string> keys;
    for (const auto& e : p.file.entries)
        keys.push_back(p.file.key(e));
    CHECK(keys == std::vector<std::string>{"kept", "nulcont", "end"});
    CHECK(p.file.value(*p.find("nulcont")) == "x  y"); // the continuation is written at the NUL
    CHECK(p.file.value(*p.find("end")) == "e");        // at end of file the NUL just cuts
}

TEST_CASE("aliases: the pitfalls fixture gives the diagnostics newaliases gives") {
    SourceSet sources;
    const FileId id = sources.add(
        "pitfalls", maps_test::read_file(maps_test::kFixtures + "/aliases/pitfalls.aliases"));
    std::vector<Diagnostic> diagnostics;
    parse_aliases(sources, id, diagnostics);
    std::vector<std::pair<std::string, uint32_t>> found;
    for (const auto& d : diagnostics)
        found.emplace_back(d.rule_id, sources.get(id).position(d.where.span.begin).line);
    std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.second < b.second; });
    // newaliases: line 6 duplicate, 15 missing colon, 21-23 non-local, 29 illegal name,
    // 30 missing value, 34 leading space, 37 line too long (NUL).
    const std::vector<std::pair<std::string, uint32_t>> expected = {
        {"SM-E216", 6},  {"SM-E211", 15}, {"SM-E215", 21}, {"SM-E215", 22}, {"SM-E215", 23},
        {"SM-E214", 29}, {"SM-E213", 30}, {"SM-E212", 34}, {"SM-E217", 37}};
    CHECK(found == expected);
}
