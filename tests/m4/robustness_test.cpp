// Hostile input never crashes, hangs or grows without bound: random bytes rich in m4 syntax,
// deep nesting and odd delimiters, run with the default limits (and under ASan/UBSan in CI).
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace smaudit;

namespace {
m4::Expansion run(const std::string& text, m4::ExpandOptions options = {}) {
    SourceSet sources;
    const FileId id = sources.add("fuzz.m4", text);
    options.work_dir = "/nonexistent-dir"; // no include can find anything
    return m4::expand_m4(sources, id, options);
}
} // namespace

TEST_CASE("random m4-flavoured bytes") {
    const std::string alphabet[] = {
        "`",         "'",      "(",        ")",        ",",       "#",      "\n",     " ",
        "$1",        "$@",     "$#",       "a",        "define",  "ifelse", "dnl",    "changequote",
        "changecom", "divert", "undivert", "defn",     "shift",   "eval",   "[",      "]",
        "substr",    "index",  "translit", "patsubst", "regexp",  "format", "m4wrap", "include",
        "incr",      "\0",     "\xff",     "len",      "pushdef", "popdef", "0",      "-1"};
    std::mt19937 rng(7);
    m4::ExpandOptions options;
    options.max_expansions = 20000;
    options.max_output = 1 << 20;
    options.max_text = 1 << 20;
    for (int i = 0; i < 400; ++i) {
        std::string text;
        const int n = 5 + static_cast<int>(rng() % 80);
        for (int k = 0; k < n; ++k)
            text += alphabet[rng() % std::size(alphabet)];
        const auto e = run(text, options);
        CHECK(e.text.size() <= options.max_output + (1 << 20));
        for (const auto& d : e.diagnostics)
            CHECK(d.rule_id.rfind("SM-E1", 0) == 0);
    }
}

TEST_CASE("deep nesting stops cleanly at the default limits") {
    std::string nested = "define(`f', `$1')";
    for (int i = 0; i < 3000; ++i)
        nested += "f(";
    nested += "x";
    for (int i = 0; i < 3000; ++i)
        nested += ")";
    const auto e = run(nested);
    REQUIRE_FALSE(e.diagnostics.empty());
    CHECK(e.diagnostics[0].rule_id == "SM-E103");

    std::string parens = "eval(";
    for (int i = 0; i < 5000; ++i)
        parens += "(";
    parens += "1";
    for (int i = 0; i < 5000; ++i)
        parens += ")";
    parens += ")";
    // m4 evaluates it (1); smaudit stops at its nesting limit, for the stack, and says so.
    const auto p = run(parens);
    REQUIRE_FALSE(p.diagnostics.empty());
    CHECK(p.diagnostics[0].rule_id == "SM-E103");
    CHECK(p.diagnostics[0].message.find("eval nesting") != std::string::npos);

    std::string quotes(100000, '`');
    quotes += std::string(100000, '\'');
    CHECK(run(quotes).text.size() == 199998); // outer pair removed
}

TEST_CASE("limits of zero still give a diagnostic, not a crash") {
    m4::ExpandOptions options;
    options.max_include_depth = 0;
    const auto e = run("text", options);
    REQUIRE_FALSE(e.diagnostics.empty());
    CHECK(e.diagnostics[0].rule_id == "SM-E103");
}
