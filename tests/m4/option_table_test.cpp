// The generated confXXX -> option table (src/m4/option_table_generated.cpp): it must be what
// tools/gen_option_table.py makes from the installed cf tree, and it must agree with what the
// engine writes when an .mc defines every one of those names.
#include "m4/option_table.hpp"
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace smaudit;

namespace {
const std::string kCfDir = "/usr/share/sendmail/cf";
}

TEST_CASE("the committed table is what the generator makes from the installed cf tree") {
    if (!std::filesystem::exists(kCfDir + "/m4/proto.m4") ||
        !std::filesystem::exists("/usr/bin/python3")) {
        MESSAGE("no cf tree or no python3: skipped");
        return;
    }
    const std::string cmd =
        "/usr/bin/python3 '" SMAUDIT_SOURCE_DIR "/tools/gen_option_table.py' '" + kCfDir + "'";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string generated;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        generated.append(buf, n);
    CHECK(pclose(p) == 0);
    const std::string committed =
        m4test::read_text(SMAUDIT_SOURCE_DIR "/src/m4/option_table_generated.cpp");
    CHECK_MESSAGE(generated == committed, "regenerate: tools/gen_option_table.py "
                                              << kCfDir << " > src/m4/option_table_generated.cpp");
}

TEST_CASE("known entries, checked against proto.m4 and cfhead.m4 by hand") {
    const m4::M4Option* privacy = m4::find_m4_option("confPRIVACY_FLAGS");
    REQUIRE(privacy != nullptr);
    CHECK(privacy->option == "PrivacyOptions");
    CHECK(privacy->cf_default_set);
    CHECK(privacy->cf_default == "authwarnings");
    const m4::M4Option* blame = m4::find_m4_option("confDONT_BLAME_SENDMAIL");
    REQUIRE(blame != nullptr);
    CHECK(blame->option == "DontBlameSendmail");
    CHECK(blame->example == "safe");
    CHECK_FALSE(blame->cf_default_set);
    const m4::M4Option* warn = m4::find_m4_option("confTO_QUEUEWARN");
    REQUIRE(warn != nullptr);
    CHECK(warn->option == "Timeout.queuewarn");
    CHECK(warn->cf_default == "4h");
    CHECK(m4::find_m4_option("confNO_SUCH_THING") == nullptr);
    CHECK(m4::m4_option_table().size() > 150);
}

TEST_CASE("defining every m4 name in an .mc sets exactly its option in the .cf") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    // A distinct value per name; names proto.m4 inspects with index/substr get a plain value
    // anyway, which they accept.
    std::string mc = "include(`" + kCfDir + "/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\n";
    // The Milter.* options are only written when the .mc declares a mail filter (which sets
    // confINPUT_MAIL_FILTERS itself, so it comes before the defines).
    mc += "INPUT_MAIL_FILTER(`f', `S=local:/run/f.sock')dnl\n";
    const auto& table = m4::m4_option_table();
    for (size_t i = 0; i < table.size(); ++i)
        mc += "define(`" + std::string(table[i].m4_name) + "', `v" + std::to_string(i) + "x')dnl\n";
    mc += "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    SourceSet sources;
    const FileId id = sources.add("all.mc", mc, FileKind::Mc);
    m4::ExpandOptions options;
    options.cf_dir = kCfDir;
    const auto e = m4::expand_mc(sources, id, options);
    size_t found = 0;
    std::vector<std::string> missing;
    for (size_t i = 0; i < table.size(); ++i) {
        const std::string line =
            "\nO " + std::string(table[i].option) + "=v" + std::to_string(i) + "x\n";
        if (e.text.find(line) != std::string::npos)
            ++found;
        else
            missing.push_back(std::string(table[i].m4_name));
    }
    CAPTURE(missing.size());
    for (const auto& m : missing)
        MESSAGE("not written as O line: " << m);
    CHECK(found == table.size());
}

TEST_CASE("without a cf tree: options from the .mc's defines and cfhead.m4's defaults") {
    const std::string mc = "divert(-1)\n"
                           "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                           "OSTYPE(`debian')dnl\n"
                           "define(`confPRIVACY_FLAGS', `authwarnings')dnl\n"
                           "# define(`confMAX_MESSAGE_SIZE', `1000')\n"
                           "define(`confPRIVACY_FLAGS', ``goaway,noetrn'')dnl\n"
                           "undefine(`confTO_QUEUEWARN')dnl\n"
                           "FEATURE(`access_db')dnl\n";
    SourceSet sources;
    const FileId id = sources.add("x.mc", mc, FileKind::Mc);
    m4::ExpandOptions options;
    options.cf_dir = "/nonexistent/cf";
    const auto e = m4::expand_mc(sources, id, options);
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].rule_id == "SM-E101");
    std::vector<std::string> names;
    for (const auto& c : e.calls)
        names.push_back(c.name);
    CHECK(names == std::vector<std::string>{"divert", "include", "dnl", "OSTYPE", "dnl", "define",
                                            "dnl", "define", "define", "dnl", "undefine", "dnl",
                                            "FEATURE", "dnl"});
    const auto opts = m4::static_options(e);
    auto find = [&](std::string_view option) -> const m4::StaticOption* {
        for (const auto& o : opts)
            if (o.entry->option == option) return &o;
        return nullptr;
    };
    const auto* privacy = find("PrivacyOptions");
    REQUIRE(privacy != nullptr);
    CHECK(privacy->value == "goaway,noetrn"); // the last define, quotes gone as in the .cf
    CHECK(sources.get(id).slice(privacy->where.span) == "`goaway,noetrn'");
    // After the cf.m4 include, # is no comment: the define on that line is active (KB 1.1.1).
    const auto* size = find("MaxMessageSize");
    REQUIRE(size != nullptr);
    CHECK(size->value == "1000");
    CHECK(find("Timeout.queuewarn") == nullptr); // undefined by the .mc
    const auto* level = find("LogLevel");        // cfhead.m4's default
    REQUIRE(level != nullptr);
    CHECK(level->value == "9");
    CHECK_FALSE(level->where.valid());
}
