// The TLS files sendmail refuses (SM-S035), checked with sendmail itself: sendmail initialises
// its server TLS only as a daemon (never for -bs or -bt), so each case starts `sendmail -bD` in
// namespaces of its own (host name, mounts, a network with only its loopback), asks EHLO
// whether STARTTLS is offered, and stops it. smaudit judges the same files (--root /: the .cf
// names them by their paths on this host).
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
    static const bool available =
        std::system("command -v m4 >/dev/null && command -v openssl >/dev/null && "
                    "command -v ip >/dev/null && command -v python3 >/dev/null") == 0 &&
        fs::exists("/usr/share/sendmail/cf/m4/cf.m4") && smaudit::test::sendmail_available() &&
        geteuid() == 0 && std::system("unshare -umn true >/dev/null 2>&1") == 0;
    return available;
}

struct TlsTree {
    TempDir root{"smaudit-tls-files"};
    fs::path mail, certs;

    TlsTree() {
        const fs::path r = root.path;
        ::chmod(r.c_str(), 0755);
        mail = r / "etc/mail";
        certs = r / "certs";
        fs::create_directories(certs);
        ::chmod(certs.c_str(), 0755);
        ::chmod((r / "etc").c_str(), 0755);
        fs::create_directories(r / "queue");
        ::chmod((r / "queue").c_str(), 0700);
        REQUIRE(run_command("openssl req -x509 -newkey rsa:2048 -nodes -keyout " +
                            (certs / "key.pem").string() + " -out " +
                            (certs / "cert.pem").string() +
                            " -days 2 -subj /CN=mx.example.test >/dev/null 2>&1")
                    .code == 0);
        ::chmod((certs / "key.pem").c_str(), 0600);
        ::chmod((certs / "cert.pem").c_str(), 0644);
        smaudit::test::write_file(r / "hosts",
                                  "127.0.0.1 localhost\n127.0.1.1 mx.example.test mx\n", 0644);
        smaudit::test::write_file(mail / "aliases", "postmaster: root\n", 0644);
    }

    // Builds the .cf with these DontBlameSendmail flags (TrustStickyBit: the tree is below /tmp).
    void configure(const std::string& dont_blame) const {
        const fs::path r = root.path;
        smaudit::test::write_file(
            mail / "sendmail.mc",
            "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
            "OSTYPE(`linux')dnl\n"
            "define(`QUEUE_DIR', `" +
                (r / "queue").string() + "')dnl\n" + "define(`confSERVER_CERT', `" +
                (certs / "cert.pem").string() + "')dnl\n" + "define(`confSERVER_KEY', `" +
                (certs / "key.pem").string() + "')dnl\n" + "define(`confCACERT', `" +
                (certs / "cert.pem").string() + "')dnl\n" + "define(`confCACERT_PATH', `" +
                certs.string() + "')dnl\n" + "define(`confDONT_BLAME_SENDMAIL', `" + dont_blame +
                "')dnl\n" + "define(`ALIAS_FILE', `" + (mail / "aliases").string() + "')dnl\n" +
                "MAILER(`local')dnl\nMAILER(`smtp')dnl\n",
            0644);
        REQUIRE(run_command("cd /usr/share/sendmail/cf/cf && m4 " +
                            (mail / "sendmail.mc").string() + " > " +
                            (mail / "sendmail.cf").string() + " 2>&1")
                    .code == 0);
        ::chmod((mail / "sendmail.cf").c_str(), 0644);
        ::chmod(mail.c_str(), 0755);
    }

    // Whether sendmail, started as a daemon on this .cf, offers STARTTLS.
    std::string daemon_offers() const {
        const fs::path r = root.path;
        const std::string client =
            "import smtplib,socket,time\n"
            "for i in range(100):\n"
            "  try: socket.create_connection((\"127.0.0.1\",2525),1).close(); break\n"
            "  except OSError: time.sleep(0.1)\n"
            "s=smtplib.SMTP(\"127.0.0.1\",2525,timeout=30)\n"
            "s.ehlo(\"client.example.test\")\n"
            "print(\"STARTTLS offered\" if s.has_extn(\"starttls\") else \"no STARTTLS\")\n"
            "s.quit()\n";
        smaudit::test::write_file(r / "client.py", client, 0644);
        return run_command("unshare -umn sh -c 'mount --bind " + (r / "hosts").string() +
                           " /etc/hosts && hostname mx.example.test && ip link set lo up && "
                           "sendmail -C " +
                           (mail / "sendmail.cf").string() +
                           " -O ServiceSwitchFile=/etc/mail/service.switch-nodns"
                           " -O DontProbeInterfaces=true -O DaemonPortOptions=Port=2525,"
                           "Addr=127.0.0.1 -O PidFile=" +
                           (r / "pid").string() + " -bD >/dev/null 2>&1 & daemon=$!; python3 " +
                           (r / "client.py").string() +
                           " 2>&1; kill $daemon; wait $daemon' </dev/null 2>&1")
            .out;
    }

    // SM-S035's messages on this tree.
    std::vector<std::string> findings() const {
        return smaudit::test::findings_under_root(mail, {"SM-S035"});
    }
};

} // namespace

TEST_CASE("TLS files: what the sendmail daemon refuses, smaudit reports") {
    if (!tools_available()) {
        MESSAGE("m4, openssl, ip, python3, sendmail, unshare or root missing: not run");
        return;
    }
    const TlsTree tree;
    const std::string key = (tree.certs / "key.pem").string();
    struct Case {
        mode_t key_mode, dir_mode;
        std::string dont_blame;
        bool offered;
        std::string fragment; // of SM-S035's message; empty: no finding
    };
    const Case cases[] = {
        {0600, 0755, "TrustStickyBit", true, ""},
        {0640, 0755, "TrustStickyBit", false,
         "the TLS private key " + key +
             " is group-readable (mode 0640): whoever can read it "
             "can impersonate this server; sendmail refuses the file"},
        {0640, 0755, "TrustStickyBit,GroupReadableKeyFile", true,
         "is group-readable (mode 0640): whoever can read it can impersonate this server; "
         "DontBlameSendmail GroupReadableKeyFile lets sendmail use it"},
        {0644, 0755, "TrustStickyBit,GroupReadableKeyFile", false,
         "is world-readable (mode 0644): whoever can read it can impersonate this server; "
         "sendmail refuses the file"},
        {0600, 0775, "TrustStickyBit", false,
         "lies below an unsafe directory: the directory " + tree.certs.string() +
             " is group-writable (mode 0775); sendmail refuses the file"},
        {0600, 0775, "TrustStickyBit,GroupWritableDirPathSafe", true, ""},
    };
    for (const Case& c : cases) {
        ::chmod(key.c_str(), c.key_mode);
        ::chmod(tree.certs.c_str(), c.dir_mode);
        tree.configure(c.dont_blame);
        const std::string said = tree.daemon_offers();
        const std::vector<std::string> found = tree.findings();
        INFO("key ", std::oct, c.key_mode, ", directory ", c.dir_mode, ", ", c.dont_blame,
             "\nsendmail: ", said, "\nsmaudit:", joined(found));
        CHECK(said.find(c.offered ? "STARTTLS offered" : "no STARTTLS") != std::string::npos);
        if (c.fragment.empty())
            CHECK(found.empty());
        else
            CHECK(smaudit::test::has_finding(found, "SM-S035", c.fragment));
        // smaudit says sendmail refuses exactly when the daemon offers no STARTTLS.
        CHECK(smaudit::test::has_finding(found, "SM-S035", "sendmail refuses") == !c.offered);
    }
    ::chmod(tree.certs.c_str(), 0755);
}
