// What the SMTP server accepts and the controls around it: SM-S059 (AllowBogusHELO), SM-S060
// (milters failing open, never called, undefined, remote), SM-S061 (privacy and integrity
// options) and SM-S062 (srv_features letters that turn off the smuggling protection): exact
// messages, places, severities and fixes. Facts: op.me "X — Mail Filter (Milter) Definitions"
// (without F=R or F=T "as if the failing filters were not present"; F=4 is SMF_TEMPDROP, a 421,
// in sendmail.h), `sendmail -bs` of 8.17.1.9 (see the rules' pages).
#include "map_rule_run.hpp"
#include "mc_test_support.hpp"

using namespace smaudit;
using test::run_mc_rule;
using test::run_rule;
using test::run_rule_on_maps;

TEST_CASE("SM-S059: AllowBogusHELO true, bare, false") {
    auto run = run_rule("SM-S059", "V10/Berkeley\nO AllowBogusHELO=True\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Low);
    CHECK(run.text(d.where) == "True");
    CHECK(d.message == "AllowBogusHELO is true: sendmail accepts HELO and EHLO without a host name "
                       "or with an invalid one, so a client need not say who it is (RFC 1123 "
                       "5.2.5 requires the name)");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO AllowBogusHELO=False\n");
    // A boolean option without a value is true (readcf.c).
    CHECK(run_rule("SM-S059", "V10/Berkeley\nO AllowBogusHELO\n").findings.size() == 1);
    CHECK(run_rule("SM-S059", "V10/Berkeley\nO AllowBogusHELO=false\n").findings.empty());
    CHECK(run_rule("SM-S059", "V10/Berkeley\nO LogLevel=9\n").findings.empty());
}

TEST_CASE("SM-S060: a filter without F=T or F=R fails open; the fix adds F=T") {
    auto run = run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=clamav\n"
                                   "Xclamav, S=local:/run/clamav.sock, T=S:4m;R:4m\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(run.line(d) == 3);
    CHECK(d.label == "no F= flags");
    CHECK(d.message == "the mail filter `clamav` fails open: without F=T (or F=R) sendmail passes "
                       "mail on unfiltered whenever the filter is down, errors or times out");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO InputMailFilters=clamav\n"
                               "Xclamav, S=local:/run/clamav.sock, T=S:4m;R:4m, F=T\n");

    // An F= without T or R gets the T added to it; F=4 (421 and drop) holds mail back too.
    auto flags = run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=a\n"
                                     "Xa, S=local:/run/a.sock, F=x\n");
    REQUIRE(flags.only().fix);
    CHECK(flags.only().label == "F= has neither T nor R");
    CHECK(flags.apply(*flags.only().fix) == "V10/Berkeley\nO InputMailFilters=a\n"
                                            "Xa, S=local:/run/a.sock, F=xT\n");
    for (std::string_view f : {"T", "R", "4"})
        CHECK(run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=a\nXa, S=local:/run/a.sock, "
                                  "F=" +
                                      std::string(f) + "\n")
                  .findings.empty());
}

TEST_CASE("SM-S060: a filter no list names, a list naming an undefined filter, a remote one") {
    auto unused =
        run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=a\n"
                            "Xa, S=local:/run/a.sock, F=T\nXb, S=local:/run/b.sock, F=T\n");
    const Diagnostic& u = unused.only();
    CHECK(unused.line(u) == 4);
    CHECK(u.message == "the mail filter `b` is defined but no InputMailFilters list names it: "
                       "sendmail never calls it");
    REQUIRE(u.notes.size() == 1);
    CHECK(unused.text(u.notes[0].where) == "a");
    REQUIRE(u.fix);
    CHECK(u.fix->title == "add b to InputMailFilters");
    CHECK(unused.apply(*u.fix) == "V10/Berkeley\nO InputMailFilters=a,b\n"
                                  "Xa, S=local:/run/a.sock, F=T\nXb, S=local:/run/b.sock, F=T\n");

    // milter_config(): "InputFilter nosuch not defined", sendmail -bd exits 78.
    auto undefined = run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=nosuch, a\n"
                                         "Xa, S=local:/run/a.sock, F=T\n");
    const Diagnostic& n = undefined.only();
    CHECK(n.severity == Severity::High);
    CHECK(undefined.line(n) == 2);
    CHECK(n.message == "InputMailFilters names `nosuch`, which no X line defines: sendmail stops "
                       "with \"InputFilter nosuch not defined\" and does not start (exit 78)");
    CHECK_FALSE(n.fix);

    auto remote = run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=spamd\n"
                                      "Xspamd, S=inet:783@10.0.0.5, F=T\n");
    const Diagnostic& r = remote.only();
    CHECK(r.severity == Severity::Low);
    CHECK(remote.text(r.where) == "inet:783@10.0.0.5");
    CHECK(r.message == "the mail filter `spamd` is on another host (10.0.0.5): every message goes "
                       "to it over the network unencrypted");
    for (std::string_view host : {"localhost", "127.0.0.1", "[127.0.0.1]", "::1"})
        CHECK(run_rule("SM-S060", "V10/Berkeley\nO InputMailFilters=d\nXd, S=inet:8891@" +
                                      std::string(host) + ", F=T\n")
                  .findings.empty());
    // A daemon's I= list wires a filter as well.
    CHECK(run_rule("SM-S060", "V10/Berkeley\nO DaemonPortOptions=Name=MTA, Port=smtp, I=d\n"
                              "Xd, S=local:/run/d.sock, F=T\n")
              .findings.empty());
}

TEST_CASE("SM-S060 on an .mc: at the INPUT_MAIL_FILTER call; dropped by a later define") {
    if (test::installed_cf_tree().empty()) return;
    auto run = run_mc_rule("SM-S060", "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                                      "OSTYPE(`linux')dnl\n"
                                      "INPUT_MAIL_FILTER(`a', `S=local:/run/a.sock, F=T')dnl\n"
                                      "INPUT_MAIL_FILTER(`b', `S=local:/run/b.sock, F=T')dnl\n"
                                      "define(`confINPUT_MAIL_FILTERS', `b')dnl\n"
                                      "MAILER(`local')dnl\n");
    const Diagnostic& d = run.only();
    CHECK(run.line(d) == 3);
    CHECK(d.message.starts_with("the mail filter `a` is defined but no InputMailFilters list"));
}

TEST_CASE("SM-S061: each option, its severity and its fix") {
    struct Case {
        std::string line;
        Severity severity;
        std::string message_start;
        std::string fixed; // empty: no fix
        bool safe;
    };
    const Case cases[] = {
        {"O MatchGECOS=True", Severity::Low, "MatchGECOS is True: mail to a full name",
         "O MatchGECOS=False", false},
        {"O NoRecipientAction=add-apparently-to", Severity::Low,
         "NoRecipientAction is add-apparently-to: a message without To: or Cc: gets a header",
         "O NoRecipientAction=add-to-undisclosed", true},
        {"O UseErrorsTo=True", Severity::Low,
         "UseErrorsTo is True: bounces go to the address of an Errors-To: header",
         "O UseErrorsTo=False", true},
        {"O PostmasterCopy=postmaster", Severity::Info,
         "PostmasterCopy is postmaster: the headers of every bounce go to this address too", "",
         false},
        {"O DoubleBounceAddress=", Severity::Info,
         "DoubleBounceAddress is empty: a bounce that cannot be delivered is dropped",
         "O DoubleBounceAddress=postmaster", true},
        {"O ColonOkInAddr=True", Severity::Info,
         "ColonOkInAddr is True: a colon is part of an address", "O ColonOkInAddr=False", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.line);
        auto run = run_rule("SM-S061", "V10/Berkeley\n" + c.line + "\n");
        const Diagnostic& d = run.only();
        CHECK(d.severity == c.severity);
        CHECK(run.line(d) == 2);
        CHECK(d.message.starts_with(c.message_start));
        CHECK(d.fix.has_value() == !c.fixed.empty());
        if (!d.fix) continue;
        CHECK(d.fix->safe == c.safe);
        CHECK(run.apply(*d.fix) == "V10/Berkeley\n" + c.fixed + "\n");
    }
    // Below configuration level 6 ColonOkInAddr is sendmail's default (op.me).
    CHECK(run_rule("SM-S061", "V5/Berkeley\nO ColonOkInAddr=True\n").findings.empty());
    CHECK(run_rule("SM-S061", "V10/Berkeley\nO NoRecipientAction=add-to-bcc\n").findings.empty());
    CHECK(run_rule("SM-S061", "V10/Berkeley\nO DoubleBounceAddress=postmaster\n").findings.empty());
}

TEST_CASE("SM-S062: access entries, severities by letter and by client, the fix") {
    // proto.m4's srv_features with FEATURE(`access_db'), its first and last rules.
    const std::string cf = "V10/Berkeley\nSsrv_features\n"
                           "R$*\t\t$: $>D <$&{client_name}> <?> <! \"Srv_Features\"> <>\n"
                           "R<$+>$*\t\t$# $1\n";
    auto run = run_rule_on_maps("SM-S062", {{"sendmail.cf", cf},
                                            {"access", "Srv_Features:\t\tO G\n"
                                                       "Srv_Features:10.1\tF\n"
                                                       "Srv_Features:10.2\to u2 g2\n"}});
    REQUIRE(run.findings.size() == 2);
    const Diagnostic& every = run.findings[0];
    CHECK(every.severity == Severity::Medium);
    CHECK(run.text(every.where) == "O G");
    CHECK(every.message ==
          "Srv_Features turns off sendmail's protection for every client without an entry of its "
          "own: `O` accepts a bare `.` line ending in LF as the end of a message (SMTP "
          "smuggling); `G` accepts bare LF in messages (sendmail 8.18.1 and later, and builds "
          "with the CVE-2023-51765 fix)");
    REQUIRE(every.fix);
    CHECK_FALSE(every.fix->safe);
    CHECK(every.fix->title == "turn the protections back on (OG in lower case)");
    REQUIRE(every.fix->edits.size() == 1);
    CHECK(every.fix->edits[0].replacement == "o g");
    const Diagnostic& some = run.findings[1];
    CHECK(some.severity == Severity::Info);
    CHECK(some.message.starts_with("Srv_Features turns off sendmail's protection for clients "
                                   "matching `10.1`: `F` lets clients send commands before"));

    // Without the access map's lookup in srv_features (no FEATURE(`access_db')) nothing counts.
    CHECK(run_rule_on_maps("SM-S062", {{"sendmail.cf", "V10/Berkeley\nSsrv_features\n"},
                                       {"access", "Srv_Features:\tO\n"}})
              .findings.empty());
}

TEST_CASE("SM-S062: LOCAL_SRV_FEATURES rules that return letters") {
    auto run = run_rule("SM-S062", "V10/Berkeley\nSLocal_srv_features\nR$*\t$# O\n"
                                   "R10.$*\t$# F\nR$*\t$# $1\n");
    REQUIRE(run.findings.size() == 2);
    CHECK(run.findings[0].severity == Severity::Medium);
    CHECK(run.findings[0].message ==
          "the Local_srv_features ruleset turns off sendmail's protection for every client: `O` "
          "accepts a bare `.` line ending in LF as the end of a message (SMTP smuggling)");
    CHECK(run.findings[1].severity == Severity::Info);
    CHECK(run.line(run.findings[1]) == 4);
}
