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

TEST_CASE("a sink that absorbs the sinks of later parts reports as one sink given all in order") {
    // Counts of diagnostics in three parts of a file, around the cap of 3 (each part's sink
    // capped at 3 too, as the map parser's parts are).
    const std::vector<std::vector<uint32_t>> splits = {{0, 0, 0}, {1, 1, 1}, {2, 0, 5}, {0, 6, 0},
                                                       {3, 0, 0}, {4, 4, 4}, {1, 2, 0}};
    for (const std::vector<uint32_t>& counts : splits) {
        std::vector<Diagnostic> whole_out, joined_out;
        SyntaxSink whole(whole_out, 3), joined(joined_out, 3);
        uint32_t n = 0;
        for (size_t part = 0; part < counts.size(); ++part) {
            std::vector<Diagnostic> part_out;
            SyntaxSink part_sink(part_out, 3);
            SyntaxSink& into = part == 0 ? joined : part_sink;
            for (uint32_t i = 0; i < counts[part]; ++i, ++n) {
                whole.add(kCode, Location{0, Span{n, n + 1}}, "bad " + std::to_string(n));
                into.add(kCode, Location{0, Span{n, n + 1}}, "bad " + std::to_string(n));
            }
            if (part > 0) joined.absorb(part_sink);
        }
        whole.finish();
        joined.finish();
        std::string a, b;
        for (const Diagnostic& d : whole_out)
            a += d.message + "\n";
        for (const Diagnostic& d : joined_out)
            b += d.message + "\n";
        CAPTURE(n);
        CHECK(a == b);
        CHECK(whole_out.size() == std::min<size_t>(n, 4));
    }
}
