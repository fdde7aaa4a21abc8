#include "diag/syntax_code.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

namespace {
constexpr SyntaxCode kCode{"SM-E999", "test-code", Severity::Medium, {}};
}

TEST_CASE("a syntax sink keeps the first N, then reports the first dropped one with the count") {
    std::vector<Diagnostic> out;
    SyntaxSink sink(out, 3);
    for (uint32_t i = 0; i < 6; ++i) {
        Diagnostic& d = sink.add(kCode, Location{0, Span{i, i + 1}}, "bad " + std::to_string(i));
        d.notes.push_back({Location{0, Span{i, i}}, "note"}); // allowed past the cap too
    }
    REQUIRE(out.size() == 3);
    CHECK(out[2].message == "bad 2");
    CHECK(out[2].notes.size() == 1);
    CHECK(out[0].rule_id == "SM-E999");
    CHECK(out[0].severity == Severity::Medium);
    sink.finish();
    REQUIRE(out.size() == 4);
    CHECK(out[3].message == "bad 3 (and 2 more syntax errors in this file, not reported after the "
                            "first 3)");
    CHECK(out[3].where.span == Span{3, 4});
    sink.finish(); // once only
    CHECK(out.size() == 4);
}

TEST_CASE("a syntax sink under its cap adds no summary") {
    std::vector<Diagnostic> out;
    SyntaxSink sink(out, 3);
    sink.add(kCode, Location{0, Span{0, 1}}, "one");
    sink.finish();
    REQUIRE(out.size() == 1);
    CHECK(out[0].message == "one");
}
