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

analyze::CfDrift drift_of(SourceSet& sources, std::string cf) {
    const FileId id = sources.add("sendmail.cf", std::move(cf));
    return compare_with_generated(sources, id, kGenerated);
}

} // namespace

TEST_CASE("comments, blank lines and blanks between tokens are not drift") {
    SourceSet sources;
    CHECK_FALSE(drift_of(sources, std::string(kGenerated)).differs);
    // The build-info lines cfhead.m4 writes with syscmd, Debian's copy of the .mc at the end
    // (with an indented line that continues a comment), CRLF, a blank before a rule's tab.
    const analyze::CfDrift same = drift_of(sources, "##### built by root@mx on Mon Dec 1 2025\n"
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

TEST_CASE("same bytes: only comments and empty lines differ, not blanks nor line ends") {
    SourceSet sources;
    CHECK(drift_of(sources, std::string(kGenerated)).same_bytes);
    // Build-info comments, a copy of the .mc as comments (with a line continuing a comment),
    // empty lines: sendmail reads the same bytes.
    CHECK(drift_of(sources, "##### built by root@mx on Mon Dec 1 2025\n"
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
        const analyze::CfDrift drift = drift_of(sources, cf);
        CHECK_FALSE(drift.differs);
        CHECK_FALSE(drift.same_bytes);
    }
    CHECK_FALSE(drift_of(sources, "V10/Berkeley\nO PrivacyOptions=authwarnings\n").same_bytes);
}

TEST_CASE("a line edited by hand: where, what the .mc generates there, how many lines") {
    SourceSet sources;
    const analyze::CfDrift edited = drift_of(sources, "V10/Berkeley\n"
                                                      "O PrivacyOptions=authwarnings\n"
                                                      "Scheck_rcpt\n"
                                                      "R$*\t$: $1\n");
    CHECK(edited.differs);
    CHECK(sources.get(edited.cf).slice(edited.first_difference) == "O PrivacyOptions=authwarnings");
    CHECK(edited.generated_there == "O PrivacyOptions=authwarnings,goaway");
    CHECK(edited.only_in_cf == 1);
    CHECK(edited.only_generated == 1);
    CHECK_FALSE(edited.cf_ends_early);
}

TEST_CASE("a .cf that stops early, one with more lines, one in another order") {
    SourceSet sources;
    const analyze::CfDrift early =
        drift_of(sources, "V10/Berkeley\nO PrivacyOptions=authwarnings,goaway\n");
    CHECK(early.cf_ends_early);
    CHECK(sources.get(early.cf).slice(early.first_difference) ==
          "O PrivacyOptions=authwarnings,goaway");
    CHECK(early.generated_there == "Scheck_rcpt");
    CHECK(early.only_generated == 2);
    CHECK(early.only_in_cf == 0);

    const analyze::CfDrift empty = drift_of(sources, "# nothing but a comment\n");
    CHECK(empty.cf_ends_early);
    CHECK(empty.cf_lines == 0);
    CHECK(empty.first_difference.empty());
    CHECK(empty.generated_there == "V10/Berkeley");

    const analyze::CfDrift longer = drift_of(sources, std::string(kGenerated) + "R$+\t$#error\n");
    CHECK(longer.differs);
    CHECK(sources.get(longer.cf).slice(longer.first_difference) == "R$+\t$#error");
    CHECK(longer.generated_there.empty());
    CHECK(longer.only_in_cf == 1);

    const analyze::CfDrift reordered = drift_of(sources, "V10/Berkeley\nScheck_rcpt\n"
                                                         "O PrivacyOptions=authwarnings,goaway\n"
                                                         "R$*\t$: $1\n");
    CHECK(reordered.differs);
    CHECK(reordered.only_in_cf + reordered.only_generated == 0);
}

namespace {

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

FileId last_cf = kNoFile;

std::vector<analyze::ModelDifference> differences(SourceSet& sources, std::string cf) {
    last_cf = sources.add("sendmail.cf", std::move(cf));
    return compare_with_generated(sources, last_cf, kModels).differences;
}

std::string cf_text(const SourceSet& sources, const analyze::ModelDifference& d) {
    return std::string(sources.get(last_cf).slice(d.cf_span));
}

} // namespace

TEST_CASE("model by model: each changed setting once, with the .cf line and the generated one") {
    SourceSet sources;
    // Options in another order, the option name in another case: no difference.
    CHECK(differences(sources, "V10/Berkeley\n"
                               "Cw localhost mx\n"
                               "DSmail.example.org\n"
                               "O MaxMessageSize=50000000\n"
                               "O PrivacyOptions=authwarnings\n"
                               "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
                               "H?P?Return-Path: <$g>\n"
                               "Scheck_rcpt\n"
                               "R$*\t$: $1\n"
                               "R$+\t$@ OK\n"
                               "Mlocal,\t\tP=/usr/bin/procmail, F=lsDFMAw5:/|@qSPfhn9,\n"
                               "\t\tT=DNS/RFC822/X-Unix,\n"
                               "\t\tA=procmail -Y -a $h -d $u\n")
              .empty());

    std::string edited(kModels);
    auto replace = [&](std::string_view from, std::string_view to) {
        edited.replace(edited.find(from), from.size(), to);
    };
    replace("O MaxMessageSize=50000000", "O MaxMessageSize=10000000");
    replace("Cw localhost mx", "Cw localhost mx other");
    replace("R$+\t$@ OK\n", "");
    replace("A=procmail -Y -a $h -d $u", "A=procmail -a $h -d $u");
    edited += "DZdebug\n";
    const auto found = differences(sources, edited);
    REQUIRE(found.size() == 5);
    // In the .cf's order.
    CHECK(found[0].model == "class");
    CHECK(found[0].name == "w");
    CHECK(found[0].cf_line == "Cw localhost mx other");
    CHECK(found[0].generated_line == "Cw localhost mx");
    CHECK(found[1].model == "option");
    CHECK(found[1].name == "MaxMessageSize");
    CHECK(cf_text(sources, found[1]) == "O MaxMessageSize=10000000");
    CHECK(found[1].generated_line == "O MaxMessageSize=50000000");
    CHECK(kModels.substr(found[1].generated_span.begin, found[1].generated_span.size()) ==
          "O MaxMessageSize=50000000");
    // A rule the .cf lacks: placed at the .cf line it would stand before (the mailer).
    CHECK(found[2].model == "rules of check_rcpt");
    CHECK_FALSE(found[2].cf_line);
    CHECK(found[2].generated_line == "R$+\t$@ OK");
    CHECK(cf_text(sources, found[2]).starts_with("Mlocal,"));
    // A mailer is one statement with its continuation lines.
    CHECK(found[3].model == "mailer");
    CHECK(found[3].name == "local");
    CHECK(cf_text(sources, found[3]).ends_with("A=procmail -a $h -d $u"));
    // A macro only the .cf has.
    CHECK(found[4].model == "macro");
    CHECK(found[4].name == "Z");
    CHECK(found[4].cf_line == "DZdebug");
    CHECK_FALSE(found[4].generated_line);
}

TEST_CASE("model by model: a .cf that is something else altogether stays bounded") {
    SourceSet sources;
    std::string other = "V10/Berkeley\nScheck_rcpt\n";
    for (int i = 0; i < 5000; ++i)
        other += "R$* " + std::to_string(i) + "\t$: $1\n";
    const auto found = differences(sources, other);
    // One difference per statement either side lacks; the rules compared without a table of
    // 5000 x 2 cells' worth of anything larger.
    CHECK(found.size() > 5000);
    CHECK(found.size() < 5020);
}
