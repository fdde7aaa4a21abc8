// The STARTTLS and SMTP AUTH rules (SM-S033, SM-S036 to SM-S038): exact messages, how values are
// read, and the fixes' edits. Facts checked with sendmail 8.17.1.9 (the doc pages say how).
#include "rule_test_support.hpp"

using namespace smaudit;
using test::run_rule;

TEST_CASE("SM-S033 names the daemon, sendmail's answer and the cure") {
    auto run = run_rule("SM-S033", "V10/Berkeley\n"
                                   "O DaemonPortOptions=Name=MTA, M=a\n"
                                   "O DaemonPortOptions=Port=587, Name=MSA, M=Ea\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(run.line(d) == 2);
    CHECK(run.text(d.where) == "Name=MTA, M=a");
    CHECK(d.message ==
          "daemon MTA on port 25 on all addresses with M=a (AUTH) answers MAIL from every client "
          "that has not authenticated with `530 5.7.0 Authentication required`: MTAs delivering "
          "mail to this host never authenticate, so it receives no mail from the Internet on the "
          "port where they deliver (cf/README: \"Do NOT use the 'a' modifier on a public "
          "accessible MTA\"); require AUTH on the submission port (587) instead");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\n"
                               "O DaemonPortOptions=Name=MTA\n"
                               "O DaemonPortOptions=Port=587, Name=MSA, M=Ea\n");
}

TEST_CASE("SM-S033's fix keeps the other modifiers and drops an M= item left empty") {
    auto fixed = [](std::string line) {
        auto run = run_rule("SM-S033", "V10/Berkeley\nO DaemonPortOptions=" + line + "\n");
        REQUIRE(run.findings.size() == 1);
        REQUIRE(run.findings[0].fix);
        return run.apply(*run.findings[0].fix);
    };
    CHECK(fixed("Name=MTA, M=Eah, Port=25") == "V10/Berkeley\nO DaemonPortOptions=Name=MTA, "
                                               "M=Eh, Port=25\n");
    CHECK(fixed("M=a, Name=MTA") == "V10/Berkeley\nO DaemonPortOptions=Name=MTA\n");
    CHECK(fixed("Name=MTA,M=a ,Family=inet") ==
          "V10/Berkeley\nO DaemonPortOptions=Name=MTA,Family=inet\n");
}

TEST_CASE("SM-S033 leaves loopback, other ports and M=A alone") {
    for (std::string line : {"Addr=127.0.0.1, Name=MTA, M=a", "Family=inet6, Addr=::1, M=a",
                             "Port=587, Name=MSA, M=Ea", "Port=smtps, Name=TLS, M=sa",
                             "Name=MTA, M=A", "Family=local, Addr=/var/run/smtp, M=a"}) {
        CAPTURE(line);
        CHECK(run_rule("SM-S033", "V10/Berkeley\nO DaemonPortOptions=" + line + "\n")
                  .findings.empty());
    }
}

TEST_CASE("SM-S037 reads TLSFallbacktoClear as atobool() does, the last line winning") {
    auto run = run_rule("SM-S037", "V10/Berkeley\nO TLSFallbacktoClear=yes\n");
    const Diagnostic& d = run.only();
    CHECK(d.message == "TLSFallbacktoClear is `yes`: when a STARTTLS handshake with a server "
                       "fails, sendmail at once sends the message again on a new connection "
                       "without STARTTLS, so anyone on the path who breaks the handshake reads "
                       "the message in clear text; without it sendmail defers the message and "
                       "tries STARTTLS again later");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix) == "V10/Berkeley\nO TLSFallbacktoClear=false\n");
    CHECK(run_rule("SM-S037", "V10/Berkeley\nO TLSFallbacktoClear\n")
              .only()
              .message.starts_with("TLSFallbacktoClear is set without a value (true): "));
    CHECK(run_rule("SM-S037", "V10/Berkeley\nO TLSFallbacktoClear=True\nO TLSFallbacktoClear=no\n")
              .findings.empty());
    CHECK(run_rule("SM-S037", "V10/Berkeley\nO TLSFallbacktoClear=false\n").findings.empty());
}

namespace {
constexpr std::string_view kServerTls = "O CACertPath=/etc/ssl/certs\n"
                                        "O CACertFile=/etc/mail/tls/ca.crt\n"
                                        "O ServerCertFile=/etc/mail/tls/server.crt\n"
                                        "O ServerKeyFile=/etc/mail/tls/server.key\n";
} // namespace

TEST_CASE("SM-S038 reads V as readcf.c does and only where STARTTLS is offered") {
    auto with_tls = [](std::string options) {
        return run_rule("SM-S038", "V10/Berkeley\n" + std::string(kServerTls) + options);
    };
    auto run = with_tls("O TLSSrvOptions=C,V\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Info);
    CHECK(run.line(d) == 6);
    CHECK(d.message == "TLSSrvOptions has V: sendmail asks no client for a certificate during "
                       "STARTTLS, so ${verify} is never OK and no client can relay by its "
                       "certificate (none is set up to: this only matters once CERTISSUER: "
                       "entries are added)");
    CHECK_FALSE(d.fix);
    // readcf.c reads the character right after each separator: in "C, V" that is the blank.
    CHECK(with_tls("O TLSSrvOptions=C, V\n").findings.empty());
    // TLSSrvOptions lines add up.
    CHECK(with_tls("O TLSSrvOptions=V\nO TLSSrvOptions=C\n").findings.size() == 1);
    CHECK(with_tls("O TLSSrvOptions=C\n").findings.empty());
    CHECK(run_rule("SM-S038", "V10/Berkeley\nO TLSSrvOptions=V\n").findings.empty());
}

TEST_CASE("SM-S036 reads a cipher string word by word as OpenSSL does") {
    auto weak = [](std::string list) {
        auto run = run_rule("SM-S036", "V10/Berkeley\nO CipherList=" + list + "\n");
        return run.findings.empty() ? std::string() : run.findings[0].message;
    };
    CHECK(weak("HIGH:!aNULL:!MD5").empty());
    CHECK(weak("ALL").empty());      // the security level refuses what ALL adds (page)
    CHECK(weak("!RC4:RC4").empty()); // ! is for good
    CHECK(weak("-RC4:RC4").find("(RC4)") != std::string::npos); // - is not
    CHECK(weak("+3DES:HIGH").empty());                          // + only reorders
    CHECK(weak("ADH+AES256 HIGH").find("(ADH)") != std::string::npos);
    CHECK(weak("DEFAULT:aNULL:EXP") ==
          "CipherList `DEFAULT:aNULL:EXP` asks OpenSSL for weak cipher suites (aNULL and EXP): "
          "which of them a session can use depends on the OpenSSL version and its security "
          "level (OpenSSL 3.0 at its default level still refused anonymous and null suites), "
          "but a list that asks for them gets them wherever the library allows");
    auto run = run_rule("SM-S036", "V10/Berkeley\nO CipherList=DEFAULT:@SECLEVEL=0\n");
    CHECK(run.only().severity == Severity::High);
}

TEST_CASE("SM-S036 on SSL options and Diffie-Hellman primes") {
    auto run = run_rule("SM-S036", "V10/Berkeley\n"
                                   "O ServerSSLOptions=-SSL_OP_NO_SSLv2,-SSL_OP_NO_TLSv1\n"
                                   "O ClientSSLOptions=+SSL_OP_NO_SSLv3\n"
                                   "O DHParameters=512\n");
    REQUIRE(run.findings.size() == 2);
    CHECK(run.findings[0].message == "ServerSSLOptions clears SSL_OP_NO_SSLv2, which keeps weak "
                                     "protocol features off: SSLv2 is broken (DROWN)");
    CHECK(run.findings[1].severity == Severity::High);
    CHECK(run.line(run.findings[1]) == 4);
    CHECK(run_rule("SM-S036", "V10/Berkeley\nO DHParameters=1\n").only().severity ==
          Severity::Medium);
    for (std::string ok : {"i", "2", "2048", "none", "/etc/mail/dh.pem"})
        CHECK(run_rule("SM-S036", "V10/Berkeley\nO DHParameters=" + ok + "\n").findings.empty());
}

TEST_CASE("SM-S039 on DefaultAuthInfo: ignored beside an authinfo ruleset, used without one") {
    auto used = run_rule("SM-S039", "V10/Berkeley\nO DefaultAuthInfo=/etc/mail/dai\n");
    const Diagnostic& d = used.only();
    CHECK(d.severity == Severity::Low);
    CHECK(d.message == "DefaultAuthInfo names `/etc/mail/dai`, a deprecated file of plain-text "
                       "credentials for outgoing AUTH: it must be readable by root only (not "
                       "checked from the files); use AuthInfo: entries in a map of their own");
    auto ignored = run_rule("SM-S039", "V10/Berkeley\nO DefaultAuthInfo=/etc/mail/dai\n"
                                       "Sauthinfo\n");
    CHECK(ignored.only().message.find("makes sendmail ignore it") != std::string::npos);
    CHECK(run_rule("SM-S039", "V10/Berkeley\n#O DefaultAuthInfo=/etc/mail/dai\n").findings.empty());
}

TEST_CASE("SM-S040 reports a null client's reachable daemons and puts them on loopback") {
    auto run = run_rule("SM-S040", "V10/Berkeley\n"
                                   "#####  $Id: nullclient.m4,v 8.25 2013-11-22 20:51:11 ca Exp $  "
                                   "#####\n"
                                   "DSmailhub.example.com\n"
                                   "O DaemonPortOptions=Name=MTA-v6, Family=inet6, Addr=::\n");
    const Diagnostic& d = run.only();
    CHECK(d.severity == Severity::Medium);
    CHECK(d.message ==
          "daemon MTA-v6 on port 25 on all addresses is reachable from other hosts, but "
          "FEATURE(`nullclient') makes this host hand all its mail to mailhub.example.com, so it "
          "is no mail server: every open port is one more way in (CIS: MTA local-only mode); "
          "local programs reach it on ::1");
    REQUIRE(d.fix);
    CHECK_FALSE(d.fix->safe);
    CHECK(run.apply(*d.fix).ends_with("O DaemonPortOptions=Name=MTA-v6, Family=inet6, "
                                      "Addr=::1\n"));
    // Not a null client: an MX must listen.
    CHECK(run_rule("SM-S040", "V10/Berkeley\nO DaemonPortOptions=Name=MTA\n").findings.empty());
}
