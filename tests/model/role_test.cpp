// Host role detection (src/analyze/role.hpp) on .cf text: each criterion, with the why it
// gives, and the maps read beside the configuration. The .mc side (Debian's sendmail.mc and
// submit.mc, the KB's Appendix A MX) is checked end to end in tests/e2e/roles_test.cpp.
#include "analyze/role.hpp"
#include "parse/cf_parser.hpp"
#include "parse/maps.hpp"

#include <doctest/doctest.h>

#include <memory>

using namespace smaudit;
using model::Role;

namespace {

struct Detected {
    SourceSet sources;
    model::ParsedMaps parsed;
    model::HostRole role;
};

// Detects the role of .cf text named `path`, with maps beside it: {file name, kind, text}.
struct MapText {
    std::string path;
    FileKind kind;
    std::string text;
};
std::unique_ptr<Detected> detect(const std::string& cf_text, const std::string& path = "test.cf",
                                 const std::vector<MapText>& maps = {}) {
    auto d = std::make_unique<Detected>();
    std::vector<Diagnostic> ignored;
    FileId file = d->sources.add(path, cf_text, FileKind::Cf);
    ast::CfFile cf = parse_cf(d->sources, file, ignored);
    model::Config config = model::build_config(d->sources, cf, ignored);
    for (const MapText& map : maps)
        d->parsed.parse(d->sources, d->sources.add(map.path, map.text, map.kind), map.kind,
                        ignored);
    model::MapSet view = d->parsed.view([](FileId) { return true; });
    d->role = model::detect_role(d->sources, config, &view);
    return d;
}

} // namespace

TEST_CASE("no DaemonPortOptions: sendmail's own daemon on port 25 on every address is an MX") {
    auto d = detect("V10/Berkeley\n");
    CHECK(d->role.role == Role::Mx);
    CHECK_FALSE(d->role.given);
    CHECK(d->role.exposed);
    CHECK(d->role.why ==
          "no DaemonPortOptions: sendmail's default daemon on port 25 on all addresses");
}

TEST_CASE("an MTA socket without Addr, or on a public address, is an MX") {
    auto d = detect("V10\nO DaemonPortOptions=Name=MTA\nO DaemonPortOptions=Port=587, Name=MSA, "
                    "M=E\n");
    CHECK(d->role.role == Role::Mx);
    CHECK(d->role.why == "daemon MTA on port 25 on all addresses");
    d = detect("V10\nO DaemonPortOptions=Family=inet, Name=MTA-v4, Port=smtp, Addr=192.0.2.1\n");
    CHECK(d->role.role == Role::Mx);
    CHECK(d->role.why == "daemon MTA-v4 on port 25 at 192.0.2.1");
    // The wildcard addresses written out, and OpenBSD's `address=` spelling of Addr.
    d = detect("V10\nO DaemonPortOptions=Family=inet6, address=::, Name=MTA6\n");
    CHECK(d->role.role == Role::Mx);
    CHECK(d->role.why == "daemon MTA6 on port 25 on all addresses");
}

TEST_CASE("every daemon on loopback (or a local socket): client-only, not exposed") {
    // Debian's stock sendmail.cf.
    auto d = detect("V10\n"
                    "O DaemonPortOptions=Family=inet,  Name=MTA-v4, Port=smtp, Addr=127.0.0.1\n"
                    "O DaemonPortOptions=Family=inet,  Name=MSP-v4, Port=submission, M=Ea, "
                    "Addr=127.0.0.1\n");
    CHECK(d->role.role == Role::ClientOnly);
    CHECK_FALSE(d->role.exposed);
    CHECK(d->role.why == "every daemon listens on 127.0.0.1");
    d = detect("V10\nO DaemonPortOptions=Name=MTA-v4, Addr=127.0.0.1\n"
               "O DaemonPortOptions=Name=MTA-v6, Family=inet6, Addr=::1\n"
               "O DaemonPortOptions=Name=L, Family=local, Addr=/var/run/smtp.sock\n");
    CHECK(d->role.role == Role::ClientOnly);
    CHECK(d->role.why == "every daemon listens on 127.0.0.1, ::1 or a local socket");
    d = detect("V10\nO DaemonPortOptions=Name=MTA, Addr=localhost\n");
    CHECK(d->role.role == Role::ClientOnly);
    // One socket off the host is enough to be reachable.
    d = detect("V10\nO DaemonPortOptions=Name=MTA-v4, Addr=127.0.0.1\n"
               "O DaemonPortOptions=Name=MTA-v6, Family=inet6\n");
    CHECK(d->role.role == Role::Mx);
    CHECK(d->role.exposed);
}

TEST_CASE("a null client is client-only; exposed when its daemon listens on every address") {
    const std::string null_client =
        "V10\n#####  $Id: nullclient.m4,v 8.25 2013-11-22 20:51:11 ca Exp $  #####\n"
        "DSmailhost.example.com\n";
    auto d = detect(null_client + "O DaemonPortOptions=Name=MTA\n");
    CHECK(d->role.role == Role::ClientOnly);
    CHECK(d->role.exposed);
    CHECK(d->role.why == "FEATURE(`nullclient'): a null client, it hands all mail to "
                         "mailhost.example.com; but daemon MTA on port 25 on all addresses is "
                         "reachable from other hosts");
    d = detect(null_client + "O DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n");
    CHECK(d->role.role == Role::ClientOnly);
    CHECK_FALSE(d->role.exposed);
    CHECK(d->role.why ==
          "FEATURE(`nullclient'): a null client, it hands all mail to mailhost.example.com");
}

TEST_CASE("only submission sockets off the host: a submission server") {
    auto d = detect("V10\nO DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n"
                    "O DaemonPortOptions=Port=submission, Name=MSA, M=Ea\n"
                    "O DaemonPortOptions=Port=465, Name=SMTPS, M=s\n");
    CHECK(d->role.role == Role::Submission);
    CHECK(d->role.exposed);
    CHECK(d->role.why == "only submission daemons are reachable from off the host: daemon MSA on "
                         "port 587 on all addresses and daemon SMTPS on port 465 on all addresses");
    // M=a on port 25: no mail without AUTH, so no mail from the Internet's MTAs.
    d = detect("V10\nO DaemonPortOptions=Name=MTA, M=a\n");
    CHECK(d->role.role == Role::Submission);
    CHECK(d->role.why == "only submission daemons are reachable from off the host: daemon MTA on "
                         "port 25 on all addresses with M=a (AUTH)");
}

TEST_CASE("the submission program: FEATURE(msp) or the file name, never exposed") {
    const std::string msp = "V10\n#####  $Id: msp.m4,v 1.34 2013-11-22 20:51:11 ca Exp $  #####\n"
                            "O DaemonPortOptions=Name=NoMTA, Addr=127.0.0.1, M=E\n";
    auto d = detect(msp);
    CHECK(d->role.role == Role::Msp);
    CHECK_FALSE(d->role.exposed);
    CHECK(d->role.why == "FEATURE(`msp'): the mail submission program, never a daemon");
    d = detect("V10\n", "/etc/mail/submit.cf");
    CHECK(d->role.role == Role::Msp);
    CHECK(d->role.why == "submit.cf: the mail submission program, never a daemon");
    CHECK_FALSE(d->role.exposed); // although its default daemon would listen everywhere
    CHECK(detect("V10\n", "/etc/mail/freebsd.submit.cf")->role.role == Role::Msp);
    CHECK(detect("V10\n", "/etc/mail/resubmit.cf")->role.role == Role::Mx);
}

TEST_CASE("relay-hub: relays for other hosts by address and hands mail on") {
    const std::string base = "V10\nO DaemonPortOptions=Name=MTA\n";
    auto d = detect(base + "CR10.1\nDS[hub.example.com]\n");
    CHECK(d->role.role == Role::RelayHub);
    CHECK(d->role.why == "daemon MTA on port 25 on all addresses, relays for other hosts (class R "
                         "10.1) and hands mail on (SMART_HOST [hub.example.com])");
    // Relaying for networks alone, or a smart host alone, is what many MX hosts do.
    CHECK(detect(base + "CR10.1\n")->role.role == Role::Mx);
    CHECK(detect(base + "DS[hub.example.com]\n")->role.role == Role::Mx);
    // A relay domain is about recipient domains (a backup MX), not other hosts.
    CHECK(detect(base + "CRexample.com\nDS[hub]\n")->role.role == Role::Mx);
    // The access map and the relay-domains file beside the configuration.
    d = detect(base + "DHmailhub.example.com\n", "test.cf",
               {{"access", FileKind::Access,
                 "Connect:localhost RELAY\nConnect:127.0.0.1 RELAY\nConnect:192.168.1 RELAY\n"}});
    CHECK(d->role.role == Role::RelayHub);
    CHECK(d->role.why ==
          "daemon MTA on port 25 on all addresses, relays for other hosts (access "
          "Connect:192.168.1 RELAY) and hands mail on (MAIL_HUB mailhub.example.com)");
    CHECK(detect(base + "DS[hub]\n", "test.cf",
                 {{"access", FileKind::Access, "Connect:localhost RELAY\n127.0.0.1 RELAY\n"}})
              ->role.role == Role::Mx);
    CHECK(detect(base + "DS[hub]\n", "test.cf",
                 {{"access", FileKind::Access, "To:example.com RELAY\n"}})
              ->role.role == Role::Mx);
    d = detect(base + "DS[hub]\n", "test.cf",
               {{"relay-domains", FileKind::ClassFile, "example.com\n10.2.3\n"}});
    CHECK(d->role.role == Role::RelayHub);
    CHECK(d->role.why.find("(relay-domains 10.2.3)") != std::string::npos);
}

TEST_CASE("--role: the host's role, except that the submission program stays msp") {
    auto d = detect("V10\nO DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n");
    model::HostRole given = model::given_role(Role::Mx, d->role);
    CHECK(given.role == Role::Mx);
    CHECK(given.given);
    CHECK(given.detected == Role::ClientOnly);
    CHECK(given.why == "every daemon listens on 127.0.0.1");
    CHECK_FALSE(given.exposed);

    d = detect("V10\n", "submit.cf");
    given = model::given_role(Role::Mx, d->role);
    CHECK(given.role == Role::Msp);
    CHECK_FALSE(given.given);
    CHECK(given.why == "submit.cf: the mail submission program, never a daemon; --role mx is the "
                       "host's role, not its submission program's");
    CHECK(model::given_role(Role::Msp, detect("V10\n")->role).role == Role::Msp);
}

TEST_CASE("role names and loopback addresses") {
    for (Role role : model::kRoles)
        CHECK(model::parse_role(model::to_string(role)) == role);
    CHECK_FALSE(model::parse_role("MX"));
    CHECK_FALSE(model::parse_role("client"));
    for (const char* loopback : {"127.0.0.1", "127.1", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1",
                                 "::ffff:127.0.0.1", "localhost", "LOCALHOST"})
        CHECK_MESSAGE(model::is_loopback_address(loopback), loopback);
    for (const char* other : {"0.0.0.0", "::", "192.0.2.1", "128.0.0.1", "::2", "10.127.0.1",
                              "mail.example.com", "", "127.0.0.1x"})
        CHECK_MESSAGE(!model::is_loopback_address(other), other);
}
