// `smaudit relay-test` on Debian's stock sendmail.cf: the verdict, reply, deciding rule and exit
// code a user sees (the rejection text is what sendmail -bt's check_rcpt returns for the same
// client: no PTR name, so {client_resolve} FAIL).
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

const char* const kDebianCf = "/etc/mail/sendmail.cf";

uint32_t line_of(const std::string& path, const std::string& text) {
    std::ifstream in(path);
    std::string line;
    for (uint32_t n = 1; std::getline(in, line); ++n)
        if (line == text) return n;
    return 0;
}

} // namespace

TEST_CASE("relay-test: an outside client cannot relay through Debian's default config") {
    if (!std::filesystem::exists(kDebianCf)) {
        MESSAGE("skipped: no /etc/mail/sendmail.cf");
        return;
    }
    CliResult r = run_smaudit(std::string("relay-test ") + kDebianCf +
                              " --hostname mx.example.test --format json");
    CHECK(r.code == 1);
    auto json = nlohmann::json::parse(r.out);
    CHECK(json["verdict"] == "rejected");
    CHECK(json["reply"] ==
          "550 5.7.1 <victim@example.org>... Relaying denied. IP name lookup failed [192.0.2.7]");
    CHECK(json["ruleset"] == "check_rcpt");
    CHECK(json["rule"]["ruleset"] == "Relay_ok");
    CHECK(json["path"] == kDebianCf);
    CHECK(json["line"] == line_of(kDebianCf,
                                  "R<FAIL>\t\t\t$#error $@ 5.7.1 $: \"550 Relaying denied. IP name "
                                  "lookup failed \" $&{client_name}"));
    CHECK(json["trace"].size() > 10);
    CHECK(json["used_unavailable_map"] == false);
    // The recipient was parsed before check_rcpt refused it: an outside domain goes to esmtp
    // (sendmail -bt: `/parse <victim@example.org>` gives "mailer esmtp, host example.org").
    CHECK(json["rcpt_mailer"] == "esmtp");
    CHECK(json["rcpt_local"] == false);
}

TEST_CASE("relay-test: loopback relays; --trace prints -bt's lines") {
    if (!std::filesystem::exists(kDebianCf)) {
        MESSAGE("skipped: no /etc/mail/sendmail.cf");
        return;
    }
    CliResult r = run_smaudit(std::string("relay-test ") + kDebianCf +
                              " --hostname mx.example.test --client-addr 127.0.0.1"
                              " --client-name localhost --trace");
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("check_relay        input: localhost $| 127 . 0 . 0 . 1\n"));
    CHECK(r.out.find("\nverdict: accepted\n") != std::string::npos);
    CHECK(r.out.find("\nrecipient's mailer: esmtp\n") != std::string::npos);
}

TEST_CASE("relay-test: a recipient ruleset 0 gives a local mailer is delivered, not relayed") {
    CliResult r = run_smaudit(std::string("relay-test ") + SMAUDIT_SOURCE_DIR +
                              "/fixtures/rules/SM-S065/bad-local-delivery.cf --format json");
    CHECK(r.code == 0);
    auto json = nlohmann::json::parse(r.out);
    CHECK(json["verdict"] == "accepted");
    CHECK(json["rcpt_mailer"] == "local");
    CHECK(json["rcpt_local"] == true);
}

TEST_CASE("relay-test: unreadable configuration is a usage error") {
    CliResult r = run_smaudit("relay-test /nonexistent/sendmail.cf");
    CHECK(r.code == 2);
}
