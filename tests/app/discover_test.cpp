#include "app/discover.hpp"

#include <doctest/doctest.h>

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

TEST_CASE("files without a telling name are typed by their content") {
    CHECK(kind_from_content("# generated\nV10/Berkeley\nO LogLevel=9\n") == FileKind::Cf);
    CHECK(kind_from_content("divert(-1)\nOSTYPE(`linux')dnl\n") == FileKind::Mc);
    CHECK(kind_from_content("hello\n") == FileKind::Unknown);
    CHECK(kind_from_content("") == FileKind::Unknown);
    CHECK(kind_from_content("# only a comment\n\n") == FileKind::Unknown);
}

TEST_CASE("access maps and aliases files are told by most of their entries") {
    // Tagged and untagged keys, numbers (GreetPause:), Spam: FRIEND, quoted ERROR: texts, CRLF.
    CHECK(kind_from_content("# site policy\nConnect:10.1\tRELAY\nexample.com REJECT\n"
                            "GreetPause:192.0.2 5000\r\nSpam:abuse@ FRIEND\n"
                            "spam.example \"ERROR:550 go away\"\n") == FileKind::Access);
    // `name: targets`, `name:target`, `name : target`, with a continuation line and a comment.
    CHECK(kind_from_content("# aliases\nMAILER-DAEMON: postmaster\npostmaster:root\n"
                            "staff : alice,\n\tbob\nlist: :include:/etc/mail/list\n") ==
          FileKind::Aliases);
    // One bad line among aliases does not change the kind; mostly neither is unknown.
    CHECK(kind_from_content("RNET SERVICES\nhostmaster: root\nusenet: root\n") ==
          FileKind::Aliases);
    CHECK(kind_from_content("example.org\nexample.net\n") == FileKind::Unknown); // class file?
    CHECK(kind_from_content("user@example.org\tlocal\n") == FileKind::Unknown);  // which map?
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
    auto empty = std::filesystem::temp_directory_path() / "smaudit-discover-empty";
    std::filesystem::create_directories(empty);
    std::ofstream(empty / "notes.txt") << "not a sendmail file\n";
    CHECK(discover({empty.string()}, std::nullopt, errors).empty());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message.starts_with("no sendmail file here"));
    CHECK_FALSE(parse_kind("zip").has_value());
}
