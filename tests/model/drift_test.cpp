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
