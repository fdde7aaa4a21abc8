// :include: lists (issue 10): what sendmail does with a list file, checked with sendmail itself,
// against what smaudit says of the same files. The tree's .cf names its files by their paths on
// this host, so that sendmail -bv opens the very files smaudit judges with --root /.
#include "../support/sendmail_command.hpp"
#include "run_cli.hpp"
#include "tree_test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using smaudit::test::joined;

namespace {

bool tools_available() {
    return std::system("command -v m4 >/dev/null") == 0 &&
           fs::exists("/usr/share/sendmail/cf/m4/cf.m4") && smaudit::test::sendmail_available() &&
           geteuid() == 0;
}

// A tree whose aliases read lists of every kind sendmail judges. `dont_blame`: the
// DontBlameSendmail flags of its .cf (TrustStickyBit: the tree sits below /tmp).
struct ListTree {
    TempDir root{"smaudit-include-lists"};
    fs::path mail, lists;

    explicit ListTree(const std::string& dont_blame) {
        const fs::path r = root.path;
        ::chmod(r.c_str(), 0755);
        mail = r / "etc/mail";
        lists = r / "lists";
        smaudit::test::write_file(mail / "sendmail.mc",
                                  "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                                  "OSTYPE(`linux')dnl\n"
                                  "define(`ALIAS_FILE', `" +
                                      (mail / "aliases").string() +
                                      "')dnl\n"
                                      "define(`QUEUE_DIR', `" +
                                      (r / "queue").string() +
                                      "')dnl\n"
                                      "define(`confDONT_BLAME_SENDMAIL', `" +
                                      dont_blame +
                                      "')dnl\n"
                                      "MAILER(`local')dnl\n"
                                      "MAILER(`smtp')dnl\n",
                                  0644);
        REQUIRE(run_command("cd /usr/share/sendmail/cf/cf && m4 " +
                            (mail / "sendmail.mc").string() + " > " +
                            (mail / "sendmail.cf").string() + " 2>&1")
                    .code == 0);
        ::chmod((mail / "sendmail.cf").c_str(), 0644);
        fs::create_directories(r / "queue");
        ::chmod((r / "queue").c_str(), 0700);
        ::chmod(mail.c_str(), 0755);
        ::chmod((r / "etc").c_str(), 0755);
        fs::create_directories(lists);
        ::chmod(lists.c_str(), 0755);
        smaudit::test::write_file(lists / "ok", "root\n", 0644);
        smaudit::test::write_file(lists / "group-writable", "root\n\"|/bin/cat\"\n", 0664);
        smaudit::test::write_file(lists / "world-writable", "root\n", 0666);
        smaudit::test::write_file(lists / "owned", "root\n\"|/bin/cat\"\n", 0644);
        REQUIRE(::chown((lists / "owned").c_str(), 1000, 0) == 0);
        smaudit::test::write_file(r / "open-lists/in-writable-dir", "root\n", 0644);
        ::chmod((r / "open-lists").c_str(), 0775);
        // A program run from a list, which others can write.
        smaudit::test::write_file(r / "bin/listprog", "#!/bin/sh\ncat >/dev/null\n", 0777);
        ::chmod((r / "bin").c_str(), 0755);
        smaudit::test::write_file(lists / "runs",
                                  "\"|" + (r / "bin/listprog").string() + " --list\"\n", 0644);
        auto alias = [](const std::string& name, const fs::path& list) {
            return name + ": :include:" + list.string() + "\n";
        };
        smaudit::test::write_file(
            mail / "aliases",
            "postmaster: root\nMAILER-DAEMON: postmaster\n" + alias("ok", lists / "ok") +
                alias("gw", lists / "group-writable") + alias("ww", lists / "world-writable") +
                alias("owned", lists / "owned") + alias("indir", r / "open-lists/in-writable-dir") +
                alias("missing", lists / "none") + alias("runs", lists / "runs"),
            0644);
        const std::string built = sendmail("-bi");
        INFO(built);
        REQUIRE(fs::exists(mail / "aliases.db"));
        ::chmod((mail / "aliases.db").c_str(), 0640);
    }

    std::string sendmail(const std::string& flags) const {
        return run_command(smaudit::test::sendmail_shell_prefix() +
                           "hostname mx.example.test; exec sendmail -C " +
                           (mail / "sendmail.cf").string() +
                           " -O ServiceSwitchFile=/etc/mail/service.switch-nodns"
                           " -O DontProbeInterfaces=true " +
                           flags + "' </dev/null 2>&1")
            .out;
    }

    std::vector<std::string> findings() const {
        return smaudit::test::findings_under_root(mail, {"SM-S047", "SM-S042", "SM-C011"});
    }
};

} // namespace

TEST_CASE("include lists: sendmail -bv and smaudit agree on each list file") {
    if (!tools_available()) {
        MESSAGE("m4, sendmail, unshare or root missing: include list test not run");
        return;
    }
    const ListTree tree("TrustStickyBit");
    const std::vector<std::string> found = tree.findings();
    INFO("smaudit:", joined(found));
    auto bv = [&](const std::string& alias) { return tree.sendmail("-bv " + alias); };
    const std::string lists = tree.lists.string();

    CHECK(bv("ok").find("deliverable: mailer local, user root") != std::string::npos);
    CHECK_FALSE(smaudit::test::has_finding(found, "SM-S047", lists + "/ok "));

    // Group- or world-writable: refused, the list gets nothing.
    const std::string gw = bv("gw");
    CHECK_MESSAGE(gw.find("Cannot open " + lists + "/group-writable: Group writable file") !=
                      std::string::npos,
                  gw);
    CHECK(smaudit::test::has_finding(
        found, "SM-S047",
        "the include list " + lists +
            "/group-writable (alias gw) is group-writable (mode 0664): sendmail refuses to "
            "read it (`Cannot open " +
            lists + "/group-writable: Group writable file`)"));
    const std::string ww = bv("ww");
    CHECK_MESSAGE(ww.find("Cannot open " + lists + "/world-writable: Group writable file") !=
                      std::string::npos,
                  ww);
    CHECK(smaudit::test::has_finding(
        found, "SM-S047",
        "/world-writable (alias ww) is group- and world-writable (mode 0666): sendmail "
        "refuses to read it (`Cannot open " +
            lists + "/world-writable: Group writable file`)"));

    // Owned by another user: read, its program run.
    const std::string owned = bv("owned");
    CHECK_MESSAGE(owned.find("deliverable: mailer prog") != std::string::npos, owned);
    CHECK(smaudit::test::has_finding(found, "SM-S047", "/owned (alias owned) is owned by "));
    CHECK(smaudit::test::has_finding(found, "SM-S047", "uid 1000"));
    CHECK(smaudit::test::has_finding(found, "SM-S047",
                                     ": that user decides where the alias's mail goes"));

    // Below a group-writable directory: refused.
    const std::string in_dir = bv("indir");
    CHECK_MESSAGE(in_dir.find("Group writable directory") != std::string::npos, in_dir);
    CHECK(smaudit::test::has_finding(
        found, "SM-S047",
        "/in-writable-dir (alias indir) lies below an unsafe directory: the directory " +
            tree.root.path.string() +
            "/open-lists is group-writable (mode 0775); sendmail refuses to read it"));

    // Missing: sendmail cannot open it.
    const std::string missing = bv("missing");
    CHECK_MESSAGE(missing.find("Cannot open " + lists + "/none: No such file or directory") !=
                      std::string::npos,
                  missing);
    CHECK(smaudit::test::has_finding(
        found, "SM-C011", "include list " + lists + "/none does not exist (alias missing)"));

    // A program a list runs is judged as an alias's program is.
    const std::string runs = bv("runs");
    CHECK_MESSAGE(runs.find("deliverable: mailer prog") != std::string::npos, runs);
    CHECK(smaudit::test::has_finding(found, "SM-S042",
                                     "the program of :include:" + lists + "/runs line 1, " +
                                         tree.root.path.string() +
                                         "/bin/listprog is group- and world-writable"));
}

TEST_CASE("include lists: DontBlameSendmail GroupWritableIncludeFile lets sendmail read one, "
          "but not run its programs") {
    if (!tools_available()) {
        MESSAGE("m4, sendmail, unshare or root missing: include list test not run");
        return;
    }
    const ListTree tree("TrustStickyBit,GroupWritableIncludeFile");
    const std::vector<std::string> found = tree.findings();
    INFO("smaudit:", joined(found));
    const std::string lists = tree.lists.string();
    const std::string gw = tree.sendmail("-bv gw");
    CHECK_MESSAGE(gw.find("is unsafe for mailing to programs") != std::string::npos, gw);
    CHECK_MESSAGE(gw.find("root... deliverable") != std::string::npos, gw);
    CHECK(smaudit::test::has_finding(
        found, "SM-S047",
        "/group-writable (alias gw) is group-writable (mode 0664): DontBlameSendmail lets "
        "sendmail read it, so whoever can write it decides where the alias's mail goes "
        "(sendmail refuses its program and file lines)"));
    // World-writable needs WorldWritableIncludeFile as well.
    const std::string ww = tree.sendmail("-bv ww");
    CHECK_MESSAGE(ww.find("World writable file") != std::string::npos, ww);
    CHECK(
        smaudit::test::has_finding(found, "SM-S047",
                                   "/world-writable (alias ww) is group- and world-writable (mode "
                                   "0666): sendmail refuses to read it (`Cannot open " +
                                       lists + "/world-writable: World writable file`)"));
}
