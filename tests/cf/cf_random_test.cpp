// Random lines built from the characters the grammar cares about: the parser must not crash,
// every span must lie inside the file and no line may get more than one diagnostic.
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using namespace smaudit;

TEST_CASE("random input: no crash, spans in range, at most one diagnostic per line") {
    static constexpr char kAlphabet[] = "RSODCFHKMQXPVETLG#$ \t\n\n\n\r{}?=,\"\\:@|-o/9aZ_.\xe9";
    std::mt19937 rng(20240601);
    std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 1); // includes the NUL
    std::uniform_int_distribution<size_t> length(0, 4000);
    for (int round = 0; round < 300; ++round) {
        std::string text;
        size_t n = length(rng);
        for (size_t i = 0; i < n; ++i)
            text += kAlphabet[pick(rng)];
        SourceSet set;
        FileId id = set.add("random.cf", text);
        std::vector<Diagnostic> diagnostics;
        ast::CfFile file = parse_cf(set, id, diagnostics);
        const auto size = static_cast<uint32_t>(text.size());
        for (const auto& statement : file.statements)
            std::visit(
                [&](const auto& node) {
                    CHECK(node.span.begin <= node.span.end);
                    CHECK(node.span.end <= size);
                },
                statement);
        uint32_t last_line = 0;
        for (const auto& d : diagnostics) {
            REQUIRE(d.where.file == id);
            CHECK(d.where.span.begin <= d.where.span.end);
            CHECK(d.where.span.end <= size);
            CHECK(d.rule_id.rfind("SM-E0", 0) == 0);
            // diagnostics come in file order, one per logical line at most
            uint32_t line = set.get(id).position(d.where.span.begin).line;
            CHECK(line >= last_line);
            last_line = line;
        }
        CHECK(diagnostics.size() <= set.get(id).line_count());
    }
}
