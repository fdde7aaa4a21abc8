#include "app/discover.hpp"

#include <doctest/doctest.h>

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
    CHECK_FALSE(parse_kind("zip").has_value());
}
