// `smaudit expand` writes what real m4 writes for an .mc, less the three build-info lines that
// cfhead.m4 makes by running commands (smaudit runs nothing).
#include "run_cli.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

std::string without_build_info(const std::string& text) {
    std::istringstream in(text);
    std::string line, out;
    while (std::getline(in, line))
        if (line.rfind("##### built by ", 0) != 0 && line.rfind("##### in ", 0) != 0 &&
            line.rfind("##### using ", 0) != 0)
            out += line + "\n";
    return out;
}

std::string run_real_m4(const std::string& mc) {
    return run_command("cd /usr/share/sendmail/cf/cf && m4 ../m4/cf.m4 " + mc + " 2>/dev/null").out;
}

} // namespace

TEST_CASE("expand agrees with real m4 on the bundled example") {
    if (!std::filesystem::exists("/usr/share/sendmail/cf/m4/cf.m4") ||
        std::system("command -v m4 >/dev/null") != 0) {
        MESSAGE("skipped: m4 or sendmail-cf is not installed");
        return;
    }
    std::string mc = source_path("fixtures/examples/sendmail.mc");
    CliResult mine = run_smaudit("expand " + mc);
    CHECK(mine.code == 0);
    std::string real = run_real_m4(mc);
    REQUIRE_FALSE(real.empty());
    CHECK(without_build_info(mine.out) == without_build_info(real));
    // The bundled .cf was made by real m4 from the bundled .mc: it must not have drifted.
    std::ifstream bundled(source_path("fixtures/examples/sendmail.cf"));
    std::stringstream text;
    text << bundled.rdbuf();
    CHECK(without_build_info(text.str()) == without_build_info(real));
}

TEST_CASE("expand names what is missing") {
    CliResult missing = run_smaudit("expand /nonexistent/x.mc", true);
    CHECK(missing.code == 2);
    CliResult no_tree = run_smaudit(
        "expand --cf-dir /nonexistent " + source_path("fixtures/examples/sendmail.mc"), true);
    CHECK(no_tree.code == 1);
    CHECK(no_tree.out.find("SM-E101") != std::string::npos);
}
