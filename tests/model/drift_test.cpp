// The .cf sendmail loads against the text its .mc generates (src/analyze/drift.hpp).
#include "analyze/drift.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using analyze::compare_with_generated;

namespace {

constexpr std::string_view kGenerated = "# banner\n"
                                        "V10/Berkeley\n"
                                        "\n"
                                        "O PrivacyOptions=authwarnings,goaway\n"
                                        "Scheck_rcpt\n"
                                        "R$*\t$: $1\n";

constexpr std::string_view kModels = "V10/Berkeley\n"
                                     "Cw localhost mx\n"
                                     "DSmail.example.org\n"
                                     "O PrivacyOptions=authwarnings\n"
                                     "O MaxMessageSize=50000000\n"
                                     "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
                                     "H?P?Return-Path: <$g>\n"
                                     "Scheck_rcpt\n"
                                     "R$*\t$: $1\n"
                                     "R$+\t$@ OK\n"
                                     "Mlocal,\t\tP=/usr/bin/procmail, F=lsDFMAw5:/|@qSPfhn9,\n"
                                     "\t\tT=DNS/RFC822/X-Unix,\n"
                                     "\t\tA=procmail -Y -a $h -d $u\n";

// What each test sets up: sources of its own holding the .cf it reads (`cf`: the latest one),
// compared with a generated text.
struct CfComparison {
    SourceSet sources;
    FileId cf = kNoFile;

    analyze::CfDrift drift(std::string text, std::string_view generated = kGenerated) {
        cf = sources.add("sendmail.cf", std::move(text));
        return compare_with_generated(sources, cf, generated);
    }
    std::vector<analyze::ModelDifference> differences(std::string text) {
        return drift(std::move(text), kModels).differences;
    }
    // The latest .cf's text at `span`.
    std::string cf_text(Span span) const { return std::string(sources.get(cf).slice(span)); }
};

} // namespace

TEST_CASE_FIXTURE(CfComparison, "comments, blank lines and blanks between tokens are not drift") {
    CHECK_FALSE(drift(std::string(kGenerated)).differs);
    // The build-info lines cfhead.m4 writes with syscmd, Debian's copy of the .mc at the end
    // (with an indented line that continues a comment), CRLF, a blank before a rule's tab.
    const analyze::CfDrift same = drift("##### built by root@mx on Mon Dec 1 2025\n"
                                        "V10/Berkeley\r\n"
                                        "O PrivacyOptions=authwarnings,goaway  \n"
                                        "Scheck_rcpt\n\n\n"
                                        "R$* \t$:  $1\n"
                                        "### /etc/mail/sendmail.mc ###\n"
                                        "# divert(-1)dnl\n"
                                        "\tstill the comment\n");
    CHECK_FALSE(same.differs);
    CHECK(analyze::compared_line("R$* <  @ $=w > \t\t$: $1  \r") == "R$* < @ $=w >\t$: $1");
}

TEST_CASE_FIXTURE(CfComparison,
                  "same bytes: only comments and empty lines differ, not blanks nor line ends") {
    CHECK(drift(std::string(kGenerated)).same_bytes);
    // Build-info comments, a copy of the .mc as comments (with a line continuing a comment),
    // empty lines: sendmail reads the same bytes.
    CHECK(drift("##### built by root@mx on Mon Dec 1 2025\n"
                "V10/Berkeley\n\n\n"
                "O PrivacyOptions=authwarnings,goaway\n"
                "# Scheck_relay\n"
                "\tstill the comment\n"
                "Scheck_rcpt\n"
                "R$*\t$: $1\n")
              .same_bytes);
    // Each of these is no drift as compared_line() has the lines, but the bytes differ: a rule
    // reading blanks or line ends could tell them apart.
    for (const char* cf : {"V10/Berkeley\r\nO PrivacyOptions=authwarnings,goaway\nScheck_rcpt\n"
                           "R$*\t$: $1\n",
                           "V10/Berkeley\nO PrivacyOptions=authwarnings,goaway  \nScheck_rcpt\n"
                           "R$*\t$: $1\n",
                           "V10/Berkeley\nO PrivacyOptions=authwarnings,goaway\nScheck_rcpt\n"
                           "R$* \t$:  $1\n",
                           // a blank line that continues the rule before it
                           "V10/Berkeley\nO PrivacyOptions=authwarnings,goaway\nScheck_rcpt\n"
                           "R$*\t$: $1\n \n"}) {
        CAPTURE(cf);
        const analyze::CfDrift blanks = drift(cf);
        CHECK_FALSE(blanks.differs);
        CHECK_FALSE(blanks.same_bytes);
    }
    CHECK_FALSE(drift("V10/Berkeley\nO PrivacyOptions=authwarnings\n").same_bytes);
}

TEST_CASE_FIXTURE(CfComparison,
                  "a line edited by hand: where, what the .mc generates there, how many lines") {
    const analyze::CfDrift edited = drift("V10/Berkeley\n"
                                          "O PrivacyOptions=authwarnings\n"
                                          "Scheck_rcpt\n"
                                          "R$*\t$: $1\n");
    CHECK(edited.differs);
    CHECK(cf_text(edited.first_difference) == "O PrivacyOptions=authwarnings");
    CHECK(edited.generated_there == "O PrivacyOptions=authwarnings,goaway");
    CHECK(edited.only_in_cf == 1);
    CHECK(edited.only_generated == 1);
    CHECK_FALSE(edited.cf_ends_early);
}

TEST_CASE_FIXTURE(CfComparison,
                  "a .cf that stops early, one with more lines, one in another order") {
    const analyze::CfDrift early = drift("V10/Berkeley\nO PrivacyOptions=authwarnings,goaway\n");
    CHECK(early.cf_ends_early);
    CHECK(cf_text(early.first_difference) == "O PrivacyOptions=authwarnings,goaway");
    CHECK(early.generated_there == "Scheck_rcpt");
    CHECK(early.only_generated == 2);
    CHECK(early.only_in_cf == 0);

    const analyze::CfDrift empty = drift("# nothing but a comment\n");
    CHECK(empty.cf_ends_early);
    CHECK(empty.cf_lines == 0);
    CHECK(empty.first_difference.empty());
    CHECK(empty.generated_there == "V10/Berkeley");

    const analyze::CfDrift longer = drift(std::string(kGenerated) + "R$+\t$#error\n");
    CHECK(longer.differs);
    CHECK(cf_text(longer.first_difference) == "R$+\t$#error");
    CHECK(longer.generated_there.empty());
    CHECK(longer.only_in_cf == 1);

    const analyze::CfDrift reordered = drift("V10/Berkeley\nScheck_rcpt\n"
                                             "O PrivacyOptions=authwarnings,goaway\n"
                                             "R$*\t$: $1\n");
    CHECK(reordered.differs);
    CHECK(reordered.only_in_cf + reordered.only_generated == 0);
}

TEST_CASE_FIXTURE(
    CfComparison,
    "model by model: each changed setting once, with the .cf line and the generated one") {
    // Options in another order, the option name in another case: no difference.
    // kModels with its two O lines swapped.
    std::string swapped(kModels);
    const std::string privacy = "O PrivacyOptions=authwarnings\n";
    swapped.erase(swapped.find(privacy), privacy.size());
    swapped.insert(swapped.find("Kaccess"), privacy);
    REQUIRE(swapped.find("O MaxMessageSize=50000000\nO PrivacyOptions") != std::string::npos);
    CHECK(differences(swapped).empty());

    std::string edited(kModels);
    auto replace = [&](std::string_view from, std::string_view to) {
        edited.replace(edited.find(from), from.size(), to);
    };
    replace("O MaxMessageSize=50000000", "O MaxMessageSize=10000000");
    replace("Cw localhost mx", "Cw localhost mx other");
    replace("R$+\t$@ OK\n", "");
    replace("A=procmail -Y -a $h -d $u", "A=procmail -a $h -d $u");
    edited += "DZdebug\n";
    const auto found = differences(edited);
    REQUIRE(found.size() == 5);
    // In the .cf's order.
    CHECK(found[0].model == "class");
    CHECK(found[0].name == "w");
    CHECK(found[0].cf_line == "Cw localhost mx other");
    CHECK(found[0].generated_line == "Cw localhost mx");
    CHECK(found[1].model == "option");
    CHECK(found[1].name == "MaxMessageSize");
    CHECK(cf_text(found[1].cf_span) == "O MaxMessageSize=10000000");
    CHECK(found[1].generated_line == "O MaxMessageSize=50000000");
    CHECK(kModels.substr(found[1].generated_span.begin, found[1].generated_span.size()) ==
          "O MaxMessageSize=50000000");
    // A rule the .cf lacks: placed at the .cf line it would stand before (the mailer).
    CHECK(found[2].model == "rules of check_rcpt");
    CHECK_FALSE(found[2].cf_line);
    CHECK(found[2].generated_line == "R$+\t$@ OK");
    CHECK(cf_text(found[2].cf_span).starts_with("Mlocal,"));
    // A mailer is one statement with its continuation lines.
    CHECK(found[3].model == "mailer");
    CHECK(found[3].name == "local");
    CHECK(cf_text(found[3].cf_span).ends_with("A=procmail -a $h -d $u"));
    // A macro only the .cf has.
    CHECK(found[4].model == "macro");
    CHECK(found[4].name == "Z");
    CHECK(found[4].cf_line == "DZdebug");
    CHECK_FALSE(found[4].generated_line);
}

TEST_CASE_FIXTURE(CfComparison,
                  "model by model: a .cf that is something else altogether stays bounded") {
    std::string other = "V10/Berkeley\nScheck_rcpt\n";
    for (int i = 0; i < 5000; ++i)
        other += "R$* " + std::to_string(i) + "\t$: $1\n";
    const auto found = differences(other);
    // One difference per statement either side lacks; the rules compared without a table of
    // 5000 x 2 cells' worth of anything larger.
    CHECK(found.size() > 5000);
    CHECK(found.size() < 5020);
}
