// apply_fixes: the contract all fixes of a report are written for (src/fix/apply.hpp).
#include "fix/apply.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

namespace {

struct Report {
    SourceSet sources;
    FileId file;
    std::vector<Diagnostic> findings;

    explicit Report(std::string text) : file(sources.add("f", std::move(text))) {}
    // A finding whose fix has the edits {begin, end, replacement}.
    Report& fix(std::vector<std::tuple<uint32_t, uint32_t, std::string>> edits, bool safe = false) {
        Diagnostic d;
        d.rule_id = "SM-T" + std::to_string(findings.size());
        Fix f{"fix", safe, {}};
        for (auto& [begin, end, replacement] : edits)
            f.edits.push_back(Edit{{file, {begin, end}}, replacement});
        d.fix = std::move(f);
        findings.push_back(std::move(d));
        return *this;
    }
    FixApplication apply(bool safe_only = false) const {
        std::vector<const Diagnostic*> report;
        for (const Diagnostic& d : findings)
            report.push_back(&d);
        return apply_fixes(sources, report, safe_only);
    }
    std::string text(bool safe_only = false) const {
        FixApplication a = apply(safe_only);
        auto it = a.texts.find(file);
        return it == a.texts.end() ? sources.get(file).text() : it->second;
    }
};

} // namespace

TEST_CASE("insertions at one offset keep report order") {
    Report r("a\nz\n");
    r.fix({{2, 2, "b\n"}}).fix({{2, 2, "c\n"}});
    CHECK(r.text() == "a\nb\nc\nz\n");
}

TEST_CASE("at one offset an insertion comes before a replacement that starts there") {
    // The unquoted-list idiom: `(`a,b)` quoted by one fix, an item added by another.
    Report r("f(a,b)");
    r.fix({{2, 2, "``"}, {5, 6, "'')"}}).fix({{2, 2, "``"}, {5, 5, ",c"}, {5, 6, "'')"}});
    CHECK(r.text() == "f(``a,b,c'')");
    // The same with the findings the other way round.
    Report q("f(a,b)");
    q.fix({{2, 2, "``"}, {5, 5, ",c"}, {5, 6, "'')"}}).fix({{2, 2, "``"}, {5, 6, "'')"}});
    CHECK(q.text() == "f(``a,b,c'')");
}

TEST_CASE("an insertion at the end of a replacement follows it") {
    Report r("abc");
    r.fix({{3, 3, "!"}}).fix({{0, 3, "xyz"}});
    CHECK(r.text() == "xyz!");
}

TEST_CASE("identical edits of several fixes are applied once") {
    Report r("x=1\n");
    r.fix({{2, 3, "2"}}).fix({{2, 3, "2"}});
    FixApplication a = r.apply();
    CHECK(a.applied.size() == 2);
    CHECK(a.conflicted.empty());
    CHECK(a.texts.at(r.file) == "x=2\n");
}

TEST_CASE("a fix that overlaps an applied one is left out whole") {
    Report r("abcdef");
    r.fix({{1, 3, "X"}})
        .fix({{0, 0, "<"}, {2, 4, "Y"}}) // overlaps the first: its insertion is not applied
        .fix({{2, 2, "!"}})              // strictly inside the first's replaced bytes
        .fix({{4, 6, "Z"}});
    FixApplication a = r.apply();
    REQUIRE(a.conflicted.size() == 2);
    CHECK(a.conflicted[0] == &r.findings[1]);
    CHECK(a.conflicted[1] == &r.findings[2]);
    CHECK(a.texts.at(r.file) == "aXdZ");
}

TEST_CASE("edits of one fix that overlap each other make it conflict") {
    Report r("abcdef");
    r.fix({{0, 2, "X"}, {1, 3, "Y"}});
    CHECK(r.apply().conflicted.size() == 1);
    CHECK(r.text() == "abcdef");
}

TEST_CASE("safe_only leaves unsafe fixes out; findings without fixes are ignored") {
    Report r("ab");
    r.fix({{0, 1, "A"}}, true).fix({{1, 2, "B"}}, false);
    r.findings.push_back(Diagnostic{});
    CHECK(r.text(true) == "Ab");
    CHECK(r.text(false) == "AB");
}

TEST_CASE("edits past the end of the file or into an unknown file conflict, never crash") {
    Report r("ab");
    r.fix({{1, 9, "X"}}).fix({{2, 1, "Y"}});
    Diagnostic other;
    other.fix = Fix{"fix", false, {Edit{{r.file + 7, {0, 0}}, "Z"}}};
    r.findings.push_back(std::move(other));
    FixApplication a = r.apply();
    CHECK(a.conflicted.size() == 3);
    CHECK(a.texts.empty());
}

TEST_CASE("insertions that are items of one list are joined into one, the frame written once") {
    SourceSet sources;
    const FileId file = sources.add("f", "a\nz\n");
    auto item = [&](std::string flag) {
        Diagnostic d;
        d.rule_id = "SM-T";
        std::string line = "O P=" + flag + "\n";
        d.fix = Fix{
            "fix",
            false,
            {Edit{{file, {2, 2}}, line, ListItem{4, static_cast<uint32_t>(4 + flag.size()), ","}}}};
        return d;
    };
    Diagnostic other;
    other.rule_id = "SM-U";
    other.fix = Fix{"fix", false, {Edit{{file, {2, 2}}, "O Q=1\n"}}};
    std::vector<Diagnostic> findings{item("noexpn"), other, item("novrfy"), item("noexpn"),
                                     item("a,b")};
    std::vector<const Diagnostic*> report;
    for (const Diagnostic& d : findings)
        report.push_back(&d);
    FixApplication applied = apply_fixes(sources, report);
    CHECK(applied.conflicted.empty());
    CHECK(applied.applied.size() == 5);
    // The list stands where its first item was, each item once (an identical edit is one).
    CHECK(applied.texts.at(file) == "a\nO P=noexpn,novrfy,a,b\nO Q=1\nz\n");
    // Alone, an item's insertion is its whole line.
    std::vector<const Diagnostic*> alone{&findings[2]};
    CHECK(apply_fixes(sources, alone).texts.at(file) == "a\nO P=novrfy\nz\n");
}

TEST_CASE("list items with another frame, or in a replacement, are not joined") {
    SourceSet sources;
    const FileId file = sources.add("f", "a\nz\n");
    Diagnostic p, q, bad;
    p.fix = Fix{"fix", false, {Edit{{file, {2, 2}}, "O P=x\n", ListItem{4, 5, ","}}}};
    q.fix = Fix{"fix", false, {Edit{{file, {2, 2}}, "O Q=y\n", ListItem{4, 5, ","}}}};
    // A list item past its replacement's end, or on a replacement, conflicts.
    bad.fix = Fix{"fix", false, {Edit{{file, {0, 1}}, "b", ListItem{0, 5, ","}}}};
    std::vector<const Diagnostic*> report{&p, &q, &bad};
    FixApplication applied = apply_fixes(sources, report);
    CHECK(applied.texts.at(file) == "a\nO P=x\nO Q=y\nz\n");
    CHECK(applied.conflicted.size() == 1);
}
