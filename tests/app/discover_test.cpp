#include "../support/temp_dir.hpp"
#include "app/discover.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace smaudit;

TEST_CASE("files are typed by their name") {
    CHECK(kind_from_name("/etc/mail/sendmail.cf") == FileKind::Cf);
    CHECK(kind_from_name("/etc/mail/submit.mc") == FileKind::Mc);
    CHECK(kind_from_name("/etc/mail/access") == FileKind::Access);
    CHECK(kind_from_name("site.access") == FileKind::Access);
    CHECK(kind_from_name("/etc/mail/aliases") == FileKind::Aliases);
    CHECK(kind_from_name("lists.aliases") == FileKind::Aliases);
    CHECK(kind_from_name("relay-domains") == FileKind::ClassFile);
    CHECK(kind_from_name("old.relay-domains") == FileKind::ClassFile);
    CHECK(kind_from_name("virtusertable") == FileKind::KeyValueMap);
    CHECK(kind_from_name("access.db") == FileKind::Unknown); // the built map, not its source
    CHECK(kind_from_name("notes.txt") == FileKind::Unknown);
}

namespace {

FileKind kind_of(std::string_view text) {
    return kind_from_content(text).kind;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The regular files of a directory, sorted; empty when it is not there.
std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST_CASE("files without a telling name are typed by their content") {
    CHECK(kind_of("# generated\nV10/Berkeley\nO LogLevel=9\n") == FileKind::Cf);
    CHECK(kind_of("divert(-1)\nOSTYPE(`linux')dnl\n") == FileKind::Mc);
    CHECK(kind_of("hello\n") == FileKind::Unknown);
    CHECK(kind_of("") == FileKind::Unknown);
    CHECK(kind_of("# only a comment\n\n") == FileKind::Unknown);
}

TEST_CASE("access maps and aliases files are told by most of their entries") {
    // Tagged and untagged keys, numbers (GreetPause:), Spam: FRIEND, quoted ERROR: texts, CRLF.
    CHECK(kind_of("# site policy\nConnect:10.1\tRELAY\nexample.com REJECT\n"
                  "GreetPause:192.0.2 5000\r\nSpam:abuse@ FRIEND\n"
                  "spam.example \"ERROR:550 go away\"\n") == FileKind::Access);
    // `name: targets`, `name:target`, `name : target`, with a continuation line and a comment.
    CHECK(kind_of("# aliases\nMAILER-DAEMON: postmaster\npostmaster:root\n"
                  "staff : alice,\n\tbob\nlist: :include:/etc/mail/list\n") == FileKind::Aliases);
    // One bad line among aliases does not change the kind; mostly neither is unknown.
    CHECK(kind_of("RNET SERVICES\nhostmaster: root\nusenet: root\n") == FileKind::Aliases);
    CHECK(kind_of("example.org\nexample.net\n") == FileKind::Unknown); // class file?
    CHECK(kind_of("user@example.org\tlocal\n") == FileKind::Unknown);  // which map?
}

// Issue 14: comment lines say nothing, whatever they mention; `Tag:key<TAB>ACTION` lines are
// access entries even when an aliases file could read them as `name:target`.
TEST_CASE("an access map whose comments quote .mc lines is an access map") {
    // Debian's stock /etc/mail/access starts like this (read as an .mc before).
    CHECK(kind_of("# Usage:\n#\t FEATURE(access_db[, type [-o] /etc/mail/access])dnl\n"
                  "# Related:\n#\t define(`confREJECT_MSG', `550 Access denied')dnl\n"
                  "#\t FEATURE(relay_hosts_only)dnl\n#Connect:10\t\t\t\tRELAY\n"
                  "Connect:127\t\t\t\tRELAY\nGreetPause:\t\t\t\t5000\n"
                  "Spam:abuse@\t\tFRIEND\nreject@\t\t\tREJECT\n") == FileKind::Access);
    // Tags whose values are no actions (read as aliases named Srv_Features... before).
    CHECK(kind_of("Srv_Features:\tl\nSrv_Features:192.168.1\tA\nSrv_Features:10.1\tV\n"
                  "TLS_Srv:mx.example.ch\tVERIFY:128\n"
                  "CertIssuer:/C=CH/O=Example+20Trust/CN=Root\tRELAY\nConnect:10 RELAY\n") ==
          FileKind::Access);
    CHECK(kind_of("TLS_Srv:mx.example.org\tVERIFY:128\nTry_TLS:broken.example\tNO\n"
                  "AuthInfo:relay.example \"U:smmsp\" \"P:secret\"\n") == FileKind::Access);
    // `Tag:key` with no value is an alias after all; `spam: /dev/null` too.
    CHECK(kind_of("From:alice@example.org\nspam: /dev/null\nroot: alice\n") == FileKind::Aliases);
    if (std::filesystem::exists("/etc/mail/access"))
        CHECK(kind_of(read_text("/etc/mail/access")) == FileKind::Access);
}

TEST_CASE("every file of the shared corpus is typed as its directory says") {
    const std::filesystem::path corpus = SMAUDIT_SOURCE_DIR "/../shared/corpus";
    if (!std::filesystem::exists(corpus)) {
        MESSAGE("skipped: no shared corpus beside the checkout");
        return;
    }
    const std::pair<const char*, FileKind> dirs[] = {{"access", FileKind::Access},
                                                     {"aliases", FileKind::Aliases},
                                                     {"cf", FileKind::Cf},
                                                     {"mc", FileKind::Mc}};
    size_t typed = 0;
    for (const auto& [dir, kind] : dirs)
        for (const auto& file : files_in(corpus / dir)) {
            CHECK_MESSAGE(kind_of(read_text(file)) == kind, file.string());
            ++typed;
        }
    CHECK(typed > 50);
    // sendmail's own example .mc files, and Debian's configuration.
    for (const auto& file : files_in("/usr/share/sendmail/cf/cf"))
        if (file.extension() == ".mc")
            CHECK_MESSAGE(kind_of(read_text(file)) == FileKind::Mc, file);
    const std::pair<const char*, FileKind> debian[] = {{"/etc/mail/sendmail.mc", FileKind::Mc},
                                                       {"/etc/mail/submit.mc", FileKind::Mc},
                                                       {"/etc/mail/sendmail.cf", FileKind::Cf},
                                                       {"/etc/mail/submit.cf", FileKind::Cf}};
    for (const auto& [path, kind] : debian)
        if (std::filesystem::exists(path)) CHECK_MESSAGE(kind_of(read_text(path)) == kind, path);
}

TEST_CASE("files that are none of sendmail's stay unknown, and say what they look like") {
    // A README, a Makefile, this test's own source, a shell script.
    for (const char* file :
         {"README.md", "Makefile", "CMakeLists.txt", "tests/app/discover_test.cpp"})
        CHECK_MESSAGE(kind_of(read_text(std::string(SMAUDIT_SOURCE_DIR "/") + file)) ==
                          FileKind::Unknown,
                      file);
    // Debian's own: the Makefile, the built maps, the SMTP help text, the init settings, the
    // sendmailconfig shell script.
    for (const char* path :
         {"/etc/mail/Makefile", "/etc/mail/access.db", "/etc/mail/aliases.db", "/etc/mail/helpfile",
          "/etc/mail/sendmail.conf", "/usr/sbin/sendmailconfig"})
        if (std::filesystem::exists(path))
            CHECK_MESSAGE(kind_of(read_text(path)) == FileKind::Unknown, path);
    CHECK(kind_of("#!/bin/sh\nset -e\nusage() {\n  echo \"usage: $0 FILE\"\n}\n"
                  "for f in \"$@\"; do\n  makemap hash \"$f\" < \"$f\"\ndone\n") ==
          FileKind::Unknown);
    // /etc/passwd (`root:x:0:0:...` is no alias target) and Debian's sendmail.conf, whose
    // NAME="value"; lines the .cf parser reads as D, C and Q lines.
    CHECK(kind_of("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/bin/sh\n") ==
          FileKind::Unknown);
    CHECK(kind_of("DAEMON_NETMODE=\"Static\";\nDAEMON_MODE=\"Daemon\";\nQUEUE_MODE=\"cron\";\n"
                  "CRON_MAILTO=\"root\";\nHANDS_OFF=\"No\";\n") == FileKind::Unknown);
    // A built map, an empty file, a file of comments.
    const ContentKind db = kind_from_content(std::string("\0\0\x06\x15"
                                                         "connect:127\0RELAY",
                                                         22));
    CHECK(db.kind == FileKind::Unknown);
    CHECK(db.doubt.find("NUL") != std::string::npos);
    CHECK(kind_from_content("").doubt == "it is empty");
    CHECK(kind_from_content("# a\n\n# b\n").doubt == "it has nothing but comments and blank lines");
    // Mixed evidence: the message counts each reading.
    const ContentKind mixed = kind_from_content("Connect:10\tRELAY\nExample.com REJECT\n"
                                                "postmaster: root\nabuse: root\nhello\n");
    CHECK(mixed.kind == FileKind::Unknown);
    CHECK(mixed.doubt == "of its 5 non-comment lines, 2 read as access map entries, 2 as aliases "
                         "and 1 as none of these");
}

TEST_CASE("missing paths are errors; --kind forces a kind") {
    std::vector<DiscoveryError> errors;
    auto files = discover({"/nonexistent/x"}, std::nullopt, errors);
    CHECK(files.empty());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "no such file or directory");
    errors.clear();
    auto forced = discover({SMAUDIT_SOURCE_DIR "/README.md"}, FileKind::Access, errors);
    REQUIRE(forced.size() == 1);
    CHECK(forced[0].kind == FileKind::Access);
    CHECK(parse_kind("aliases") == FileKind::Aliases);
    // A directory without any sendmail file is an error too: nothing would be audited.
    errors.clear();
    const TempDir empty("smaudit-discover-empty");
    std::ofstream(empty.path / "notes.txt") << "not a sendmail file\n";
    CHECK(discover({empty.path.string()}, std::nullopt, errors).empty());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message.starts_with("no sendmail file here"));
    CHECK_FALSE(parse_kind("zip").has_value());
}
