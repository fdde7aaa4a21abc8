// Map databases as sendmail loads them (SM-C007, SM-C008): a live tree in a temporary directory
// whose .cf names its own access and aliases files, maps built by the real makemap and
// newaliases, and every claim of the rules' pages about what sendmail does with a stale,
// missing or damaged .db checked with the real sendmail.
#include "../support/sendmail_command.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using smaudit::test::sendmail_available;
using smaudit::test::sendmail_shell_prefix;

namespace {

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// A live tree: sendmail.cf (Debian's stock .cf) naming DIR/access and DIR/aliases.
struct LiveTree {
    TempDir dir{"smaudit-live-maps"};
    std::string path(const std::string& name) const { return (dir.path / name).string(); }

    // `alias_class`: "hash:" names the aliases with a class; empty: implicit.
    explicit LiveTree(const std::string& access_class = "hash",
                      const std::string& alias_class = "") {
        std::ifstream in("/etc/mail/sendmail.cf");
        std::ostringstream text;
        text << in.rdbuf();
        std::string cf = text.str();
        cf = std::regex_replace(cf, std::regex("\nKaccess hash "),
                                "\nKaccess " + access_class + " ");
        cf = std::regex_replace(cf, std::regex("/etc/mail/access"), path("access"));
        cf = std::regex_replace(cf, std::regex("\nO AliasFile=[^\n]*"),
                                "\nO AliasFile=" + alias_class + path("aliases"));
        write_file(cf_path(), cf);
    }
    fs::path cf_path() const { return dir.path / "sendmail.cf"; }

    void makemap(const std::string& name, const std::string& text, const std::string& type = "hash",
                 const std::string& flags = "") const {
        write_file(path(name), text);
        REQUIRE(run_command("makemap " + flags + " " + type + " " + path(name) + " < " +
                            path(name) + " 2>/dev/null")
                    .code == 0);
    }
    void newaliases(const std::string& text) const {
        write_file(path("aliases"), text);
        sendmail("-bi");
        REQUIRE(fs::exists(path("aliases.db")));
    }
    // Makes NAME newer than its .db by a minute, as an edit after the last rebuild does.
    void edit(const std::string& name, const std::string& text) const {
        write_file(path(name), text);
        fs::last_write_time(path(name),
                            fs::last_write_time(path(name + ".db")) + std::chrono::minutes(1));
    }
    std::string sendmail(const std::string& args, const std::string& input = "") const {
        const fs::path in = dir.path / "stdin";
        write_file(in, input);
        return run_command(sendmail_shell_prefix() + "hostname mx.example.test; exec sendmail -C " +
                           cf_path().string() +
                           " -O ServiceSwitchFile=/etc/mail/service.switch-nodns "
                           "-O DontProbeInterfaces=true " +
                           args + "' <" + in.string() + " 2>&1")
            .out;
    }
    nlohmann::json findings() const {
        const CliResult result =
            run_smaudit(cf_path().string() + " --select SM-C007,SM-C008 --format json");
        REQUIRE(result.code <= 1);
        return nlohmann::json::parse(result.out)["findings"];
    }
};

bool tools_available() {
    return sendmail_available() && std::system("command -v makemap >/dev/null 2>&1") == 0 &&
           fs::exists("/etc/mail/sendmail.cf");
}

} // namespace

TEST_CASE("an access map edited after makemap: sendmail uses the .db, SM-C007 names the keys") {
    if (!tools_available()) return;
    LiveTree tree;
    tree.newaliases("postmaster: root\n");
    tree.makemap("access", "Connect:192.0.2.1\tRELAY\nold.example\tREJECT\n");
    tree.edit("access", "Connect:192.0.2.1\tREJECT\nnew.example\tREJECT\n");
    // sendmail reads the .db, not the source, and says nothing about its age.
    const std::string lookup = tree.sendmail("-bt", "/map access connect:192.0.2.1\n");
    CHECK(lookup.find("returns RELAY") != std::string::npos);
    CHECK(lookup.find("out of date") == std::string::npos);

    const nlohmann::json findings = tree.findings();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["rule"] == "SM-C007");
    CHECK(findings[0]["severity"] == "medium");
    CHECK(findings[0]["message"] ==
          tree.path("access.db") + " differs from its source " + tree.path("access") +
              " in 3 keys: sendmail looks keys up in the .db, so the source's entries are not "
              "in effect ('connect:192.0.2.1' is 'REJECT' in the source but 'RELAY' in the "
              ".db, 'new.example' is only in the source and 'old.example' is only in the .db); "
              "the .db is older than the source; rebuild it: makemap hash " +
              tree.path("access") + " < " + tree.path("access"));
}

TEST_CASE("aliases edited after newaliases: sendmail warns and uses the old .db") {
    if (!tools_available()) return;
    LiveTree tree;
    tree.makemap("access", "Connect:192.0.2.1\tREJECT\n");
    tree.newaliases("postmaster: root\n");
    tree.edit("aliases", "postmaster: root\nextra: root\n");
    const std::string verify = tree.sendmail("-v -bv extra");
    CHECK(verify.find("Warning: alias database " + tree.path("aliases.db") + " out of date") !=
          std::string::npos);
    CHECK(verify.find("extra... User unknown") != std::string::npos);
    // No option makes sendmail rebuild it by itself any more.
    CHECK(tree.sendmail("-O AutoRebuildAliases=true -bv extra")
              .find("unknown option name AutoRebuildAliases") != std::string::npos);
    const nlohmann::json findings = tree.findings();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["rule"] == "SM-C007");
    CHECK(findings[0]["message"].get<std::string>().find("'extra' is only in the source") !=
          std::string::npos);
}

TEST_CASE("a source touched but not changed: SM-C007 at low") {
    if (!tools_available()) return;
    LiveTree tree;
    tree.newaliases("postmaster: root\n");
    tree.makemap("access", "Connect:192.0.2.1\tREJECT\n");
    tree.edit("access", "# a comment added\nCONNECT:192.0.2.1\tREJECT\n");
    const nlohmann::json findings = tree.findings();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["severity"] == "low");
    CHECK(findings[0]["message"].get<std::string>().find("is older than its source") !=
          std::string::npos);
}

TEST_CASE("maps rebuilt after the last edit: nothing, for hash, btree and makemap -N") {
    if (!tools_available()) return;
    for (const std::string flags : {"", "-N"}) {
        for (const std::string type : {"hash", "btree"}) {
            CAPTURE(type);
            CAPTURE(flags);
            LiveTree tree(type + (flags.empty() ? "" : " -N"));
            tree.newaliases("Postmaster: root\nabuse: root,\n  hostmaster\n");
            tree.makemap("access", "Connect:192.0.2.1\tREJECT\nSpam.Example  ERROR:550 no\n", type,
                         flags);
            // sendmail finds the entry the source has, in the database makemap built.
            CHECK(tree.sendmail("-bt", "/map access spam.example\n").find("returns ERROR:550 no") !=
                  std::string::npos);
            CHECK(tree.findings().empty());
        }
    }
}

TEST_CASE("a missing access.db: every recipient gets 451; SM-C008 high") {
    if (!tools_available()) return;
    LiveTree tree;
    tree.newaliases("postmaster: root\n");
    write_file(tree.path("access"), "Connect:192.0.2.1\tREJECT\n");
    const std::string rcpt =
        tree.sendmail("-bt", ".D{client_addr}192.0.2.7\ncheck_rcpt <a@example.org>\n");
    CHECK(rcpt.find("missing map file " + tree.path("access.db")) != std::string::npos);
    CHECK(rcpt.find("check_rcpt       returns: $# error $@ 4 . 3 . 0 $: \"451 Temporary system "
                    "failure. Please try again later.\"") != std::string::npos);
    const nlohmann::json findings = tree.findings();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["rule"] == "SM-C008");
    CHECK(findings[0]["severity"] == "high");
    CHECK(findings[0]["line"] == 163);
}

TEST_CASE("a missing aliases.db: the implicit class reads the text, a hash class expands "
          "nothing") {
    if (!tools_available()) return;
    {
        LiveTree tree;
        tree.makemap("access", "Connect:192.0.2.1\tREJECT\n");
        write_file(tree.path("aliases"), "foo: root\n");
        const std::string verify = tree.sendmail("-v -bv foo");
        CHECK(verify.find("cannot open alias database " + tree.path("aliases") +
                          "; reading text version") != std::string::npos);
        CHECK(verify.find("root... deliverable") != std::string::npos);
        const nlohmann::json findings = tree.findings();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0]["rule"] == "SM-C008");
        CHECK(findings[0]["severity"] == "low");
    }
    {
        LiveTree tree("hash", "hash:");
        tree.makemap("access", "Connect:192.0.2.1\tREJECT\n");
        write_file(tree.path("aliases"), "foo: root\n");
        const std::string verify = tree.sendmail("-bv foo");
        CHECK(verify.find("missing map file " + tree.path("aliases.db")) != std::string::npos);
        CHECK(verify.find("foo... deliverable: mailer local, user foo") != std::string::npos);
        const nlohmann::json findings = tree.findings();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0]["rule"] == "SM-C008");
        CHECK(findings[0]["severity"] == "medium");
    }
}

TEST_CASE("a damaged or mistyped access.db: sendmail cannot open it; SM-C008 says why") {
    if (!tools_available()) return;
    LiveTree tree;
    tree.newaliases("postmaster: root\n");
    std::string entries;
    for (int i = 0; i < 500; ++i)
        entries += "host" + std::to_string(i) + ".example\tREJECT\n";
    SUBCASE("truncated: sendmail opens it and silently misses entries") {
        tree.makemap("access", entries);
        fs::resize_file(tree.path("access.db"), 8192);
        std::string lookups;
        for (int i = 0; i < 500; ++i)
            lookups += "/map access host" + std::to_string(i) + ".example\n";
        const std::string found = tree.sendmail("-bt", lookups);
        size_t misses = 0;
        for (size_t at = 0; (at = found.find("no match (0)", at)) != std::string::npos; ++at)
            ++misses;
        CHECK(misses > 100); // 375 of 500 when this test was written
        const nlohmann::json findings = tree.findings();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0]["rule"] == "SM-C008");
        CHECK(findings[0]["message"].get<std::string>().starts_with(
            tree.path("access.db") + " is damaged (it is not a valid Berkeley DB database"));
    }
    SUBCASE("garbage") {
        write_file(tree.path("access"), entries);
        write_file(tree.path("access.db"), std::string(8192, '\x5a'));
        CHECK(tree.sendmail("-bt", "/map access host1.example\n")
                  .find("Cannot open hash database " + tree.path("access.db")) !=
              std::string::npos);
        const nlohmann::json findings = tree.findings();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0]["rule"] == "SM-C008");
    }
    SUBCASE("a btree database where the K line says hash") {
        tree.makemap("access", entries, "btree");
        CHECK(tree.sendmail("-bt", "/map access host1.example\n")
                  .find("Cannot open hash database " + tree.path("access.db")) !=
              std::string::npos);
        const nlohmann::json findings = tree.findings();
        REQUIRE(findings.size() == 1);
        CHECK(findings[0]["message"].get<std::string>().find(
                  "it is a btree database, and sendmail opens it as hash") != std::string::npos);
    }
}

TEST_CASE("a configuration outside the live tree: its /etc/mail maps are not looked up") {
    if (!tools_available()) return;
    TempDir dir;
    write_file(dir.path / "sendmail.cf",
               "V10/Berkeley\nKaccess hash -T<TMPF> /nonexistent/mail/access\n"
               "O AliasFile=/nonexistent/mail/aliases\n");
    const CliResult result = run_smaudit((dir.path / "sendmail.cf").string() +
                                         " --select SM-C007,SM-C008 --format json");
    CHECK(nlohmann::json::parse(result.out)["findings"].empty());
}
