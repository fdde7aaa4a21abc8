// Reporters must never crash or hang on what upstream hands them: arbitrary bytes, spans past the
// end or reversed, fixes with overlapping or foreign edits. Run under ASan/UBSan this is the
// check; here we also keep a few invariants that hold for any input.
#include "report/display.hpp"
#include "report/json.hpp"
#include "report/terminal.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace smaudit;
using namespace smaudit::report;

TEST_CASE("random bytes, spans and edits") {
    std::mt19937 rng(20261128);
    const std::string alphabet =
        std::string("ab \t\r\n\x1b\xc3\xa9\xe2\x80\xae\xff\x80", 15) + std::string(1, '\0');
    auto pick = [&](uint32_t n) { return n == 0 ? 0u : static_cast<uint32_t>(rng() % n); };
    // A file of the set, none, or an id the set never handed out (a place that is nowhere).
    auto any_file = [&]() -> FileId {
        uint32_t n = pick(6);
        return n == 0 ? kNoFile : n == 1 ? FileId{7} : pick(2);
    };
    for (int round = 0; round < 300; ++round) {
        SourceSet s;
        AuditResult r;
        for (int f = 0; f < 2; ++f) {
            std::string text;
            for (uint32_t i = pick(60); i > 0; --i)
                text += alphabet[pick(alphabet.size())];
            r.files.push_back(s.add("f" + std::to_string(f) + text.substr(0, pick(3)), text));
        }
        for (int k = 0; k < 6; ++k) {
            Diagnostic d;
            d.rule_id = "SM-S00" + std::to_string(pick(10));
            d.rule_name = "x";
            d.message = s.get(pick(2)).text();
            d.severity = static_cast<Severity>(pick(5));
            d.pack = static_cast<Pack>(pick(4));
            d.where = {any_file(), {pick(80), pick(80)}};
            d.config_file = any_file();
            d.about_default = pick(2) == 1;
            d.label = s.get(pick(2)).text().substr(0, pick(8));
            d.notes.push_back({{any_file(), {pick(80), pick(80)}}, "n"});
            if (pick(2)) {
                Fix fix{"t", pick(2) == 1, {}};
                for (uint32_t e = pick(4); e > 0; --e)
                    fix.edits.push_back({{any_file(), {pick(80), pick(80)}}, "r\n\t"});
                d.fix = fix;
            }
            if (pick(4) == 0)
                r.suppressed.push_back({d, "why", {any_file(), {pick(80), pick(80)}}});
            else
                r.diagnostics.push_back(d);
        }
        if (pick(4) == 0) r.files.push_back(7);
        std::string terminal = render_terminal(s, r, {});
        CHECK(terminal.ends_with(render_summary(s, r)));
        // Nothing from the files reaches the terminal raw: no ESC, no bidi override, no \r.
        CHECK(terminal.find('\x1b') == std::string::npos);
        CHECK(terminal.find("\xe2\x80\xae") == std::string::npos);
        CHECK(terminal.find('\r') == std::string::npos);
        CHECK(terminal.find('\0') == std::string::npos);

        auto json = nlohmann::json::parse(render_json(s, r)); // valid UTF-8 JSON
        CHECK(json["findings"].size() == r.diagnostics.size());
        CHECK(json["suppressed"].size() == r.suppressed.size());
        for (const auto& f : json["findings"]) {
            // No place: says whether it is about a default.
            CHECK(f["line"].is_null() == f.contains("about_default"));
            if (f["line"].is_null()) continue;
            // The end is never before the start.
            CHECK((f["end_line"] > f["line"] ||
                   (f["end_line"] == f["line"] && f["end_column"] >= f["column"])));
        }
    }
}

TEST_CASE("locate agrees with SourceFile::position inside lines and differs only at line ends") {
    SourceFile f("x", "ab\r\ncd\n\xc3\xa9\n");
    CHECK(locate(f, 1).column == 2);
    CHECK(locate(f, 2).column == 3); // the \r
    CHECK(locate(f, 3).column == 3); // the \n of CRLF: not a column of its own
    CHECK(locate(f, 4).line == 2);
    CHECK(locate(f, 6).column == 3);
    CHECK(locate(f, 9).column == 2); // after é
    CHECK(locate(f, 10).line == 4);  // end of file after the final newline
    CHECK(locate(f, 10).column == 1);
    CHECK(locate(f, 999).line == 4); // clamped
}
