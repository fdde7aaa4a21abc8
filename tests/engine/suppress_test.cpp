// Inline suppressions (engine/suppress.hpp): which findings a comment silences, and that the
// silenced ones are kept aside with the comment's reason and place, not dropped.
#include "engine/suppress.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

namespace {

Diagnostic finding(std::string rule, Location where) {
    Diagnostic d;
    d.rule_id = std::move(rule);
    d.message = std::string("m");
    d.where = where;
    return d;
}

} // namespace

TEST_CASE("suppressed findings are moved aside with their comment's reason and line") {
    SourceSet sources;
    // Line 1: a whole-file suppression; line 2 silences line 3; line 4 has no reason.
    const std::string text = "# smaudit: ignore-file[SM-P004] relays only for the LAN\n"
                             "# smaudit: ignore[vrfy-enabled, SM-S022]   the help desk needs it  \n"
                             "O PrivacyOptions=authwarnings\n"
                             "# smaudit: ignore[SM-S020]\n"
                             "O SmtpGreetingMessage=$j\n"
                             "O LogLevel=9\n";
    FileId cf = sources.add("sendmail.cf", text, FileKind::Cf);
    auto line_at = [&](uint32_t line) {
        uint32_t start = sources.get(cf).line_start(line);
        return Location{cf, {start, start + 1}};
    };
    Diagnostic about_default = finding("SM-P004", Location{});
    about_default.config_file = cf;
    std::vector<Diagnostic> diagnostics = {finding("SM-S023", line_at(3)),
                                           finding("SM-S022", line_at(3)),
                                           finding("SM-S020", line_at(5)),
                                           finding("SM-S023", line_at(6)), // not the next line
                                           about_default,
                                           finding("SM-S001", line_at(3))};
    std::vector<SuppressedFinding> suppressed;
    apply_suppressions(sources, {cf}, diagnostics, suppressed);

    REQUIRE(diagnostics.size() == 2);
    CHECK(diagnostics[0].rule_id == "SM-S023");
    CHECK(diagnostics[0].where == line_at(6));
    CHECK(diagnostics[1].rule_id == "SM-S001");
    REQUIRE(suppressed.size() == 4);
    auto comment_line = [&](const SuppressedFinding& s) {
        return sources.get(s.comment.file).position(s.comment.span.begin).line;
    };
    CHECK(suppressed[0].finding.rule_id == "SM-S023"); // by name
    CHECK(suppressed[0].reason == "the help desk needs it");
    CHECK(comment_line(suppressed[0]) == 2);
    CHECK(suppressed[1].finding.rule_id == "SM-S022");
    CHECK(suppressed[1].reason == "the help desk needs it");
    CHECK(suppressed[2].finding.rule_id == "SM-S020");
    CHECK(suppressed[2].reason.empty());
    CHECK(comment_line(suppressed[2]) == 4);
    CHECK(suppressed[3].finding.rule_id == "SM-P004"); // a default: the ignore-file comment
    CHECK(suppressed[3].reason == "relays only for the LAN");
    CHECK(comment_line(suppressed[3]) == 1);
    // The comment's place is its whole line, without the newline.
    CHECK(sources.get(cf).slice(suppressed[3].comment.span) ==
          "# smaudit: ignore-file[SM-P004] relays only for the LAN");
}

TEST_CASE("without suppression comments nothing moves") {
    SourceSet sources;
    FileId cf = sources.add("sendmail.cf", "O LogLevel=9\n", FileKind::Cf);
    std::vector<Diagnostic> diagnostics = {finding("SM-S023", {cf, {0, 1}})};
    std::vector<SuppressedFinding> suppressed;
    apply_suppressions(sources, {cf}, diagnostics, suppressed);
    CHECK(diagnostics.size() == 1);
    CHECK(suppressed.empty());
}
