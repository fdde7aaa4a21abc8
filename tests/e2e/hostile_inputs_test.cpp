// Hostile inputs (issue 13): each case builds its input in the test's own directory, runs the
// real binary there, and pins the exit code, the message (path:line:column where there is a
// place) and bounds on the work: the output's size, the number of findings, the m4 engine's
// limits named in its message. No wall-clock assertions: a case that hung would be killed by the
// `timeout` guard and fail on its exit code. Large inputs are cheap: a 1 GB sparse file is one
// stat, a 50 MB line is refused by its length before any parsing (docs/limits.md).
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string repeat(const std::string& piece, size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

// Bytes of every value, the same on every run (a linear congruential generator).
std::string binary_bytes(size_t n) {
    std::string out(n, '\0');
    uint32_t x = 12345;
    for (char& c : out) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(x >> 16);
    }
    return out;
}

const std::string kMillion(1'000'000, 'k');

// An .mc that reads the cf tree: OSTYPE first so the rest is judged as a real .mc would be.
std::string mc(const std::string& body) {
    return "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\nOSTYPE(`debian')dnl\n" + body;
}

struct Hostile {
    const char* name;
    std::function<void(const fs::path&)> make;
    std::string args; // run in the case's directory
    int exit_code;
    std::vector<std::string> expect; // in stdout and stderr together
    std::vector<std::string> absent = {};
    size_t max_output = 64 << 10;
};

const std::vector<Hostile>& cases() {
    static const std::vector<Hostile> table = {
        // ---- empty, binary, encodings ----
        {"empty .mc",
         [](auto& d) { write(d / "e.mc", ""); },
         "e.mc",
         1,
         {"e.mc:1:1: high SM-E105 m4-errprint", "No system type defined"}},
        {"empty .cf", [](auto& d) { write(d / "e.cf", ""); }, "e.cf", 1, {"1 file"}},
        {"empty access", [](auto& d) { write(d / "access", ""); }, "access", 0, {"no findings"}},
        {"empty aliases",
         [](auto& d) { write(d / "aliases", ""); },
         "aliases",
         1,
         {"aliases:1:1: low SM-S049 role-alias-missing"}},
        {"binary .cf",
         [](auto& d) { write(d / "b.cf", binary_bytes(4096)); },
         "b.cf",
         1,
         {"b.cf:1:", "SM-E013 nul-byte-in-line"}},
        {"binary file of no known name",
         [](auto& d) { write(d / "blob", binary_bytes(4096)); },
         "blob",
         2,
         {"smaudit: blob: cannot tell what kind of file this is"}},
        {"NUL bytes in a .cf line",
         [](auto& d) { write(d / "n.cf", std::string("V10\nO A\0B=1\n", 12)); },
         "n.cf",
         1,
         {"n.cf:2:4: medium SM-E013 nul-byte-in-line"}},
        {"NUL bytes in an access key",
         [](auto& d) { write(d / "access", std::string("From:a\0b REJECT\n", 16)); },
         "access",
         1,
         {"access:1:"}},
        {"invalid UTF-8 in a .cf",
         [](auto& d) { write(d / "u.cf", "V10/Berkeley\nO SmtpGreetingMessage=\xff\xfe\x80\n"); },
         "u.cf",
         1,
         {"1 file"},
         {"\xff"}},
        {"invalid UTF-8 in an aliases key",
         [](auto& d) { write(d / "aliases", "\xff\xfe: root\n"); },
         "aliases",
         1,
         {"aliases:1:1:"},
         {"\xff\xfe"}},
        {"CRLF .cf",
         [](auto& d) { write(d / "c.cf", "V10/Berkeley\r\nO SmtpGreetingMessage=x\r\n"); },
         "c.cf",
         1,
         {"1 file"}},
        {"lone CR in a .cf",
         [](auto& d) { write(d / "c.cf", "V10/Berkeley\rO SmtpGreetingMessage=x\r"); },
         "c.cf",
         1,
         {"c.cf:1:13: high SM-E014 carriage-return-without-line-feed"}},
        {"lone CR in an access map",
         [](auto& d) { write(d / "access", "From:a REJECT\rTo:b RELAY\n"); },
         "access",
         0,
         {"1 file · no findings"}},
        // ---- size ----
        {"a 50 MB line",
         [](auto& d) { write(d / "access", "From:" + std::string(50'000'000, 'a') + " REJECT\n"); },
         "access",
         2,
         // 5 + 50000000 + 7 bytes; the first byte past the limit is column 1048577.
         {"smaudit: access:1:1048577: line 1 is 50000012 bytes, longer than the 1048576 bytes "
          "smaudit reads of one line: not read"}},
        {"a 1 GB sparse file",
         [](auto& d) {
             write(d / "access", "");
             REQUIRE(::truncate((d / "access").c_str(), off_t{1} << 30) == 0);
         },
         "access",
         2,
         {"smaudit: access: is 1073741824 bytes, larger than the 268435456 bytes smaudit reads "
          "of one file"}},
        {"100,000 continuation lines in a .cf",
         [](auto& d) {
             write(d / "c.cf",
                   "V10/Berkeley\nO SmtpGreetingMessage=x\n" + repeat("\tcontinued\n", 100'000));
         },
         "c.cf",
         1,
         {"1 file"}},
        {"100,000 continuation lines in aliases",
         [](auto& d) { write(d / "aliases", "root: a\n" + repeat("\t, b\n", 100'000)); },
         "aliases",
         1,
         {"1 file"}},
        {"an alias with 200,000 targets",
         [](auto& d) {
             write(d / "aliases",
                   "postmaster: root\nlist: a\n" + repeat("\t, user@example.com\n", 200'000));
         },
         "aliases",
         1,
         {"1 file"}},
        // ---- m4: recursion, growth, huge numbers ----
        {"self-referencing define",
         [](auto& d) { write(d / "x.mc", mc("define(`X', `X')X\n")); },
         "x.mc",
         1,
         {"x.mc:3:14: medium SM-E103 m4-limit-exceeded", "limit of 5000000 exceeded"}},
        {"mutually recursive defines",
         [](auto& d) { write(d / "x.mc", mc("define(`A', `B')define(`B', `A')A\n")); },
         "x.mc",
         1,
         {"medium SM-E103 m4-limit-exceeded", "limit of 5000000 exceeded"}},
        {"output that doubles on each rescan",
         [](auto& d) { write(d / "x.mc", mc("define(`D', `D D')D\n")); },
         "x.mc",
         1,
         {"medium SM-E103 m4-limit-exceeded", "limit of"}},
        {"m4wrap that re-arms itself (GNU m4 runs it forever)",
         [](auto& d) { write(d / "x.mc", "define(`W', `m4wrap(`W')x')W\n"); },
         "expand --cf-dir /nonexistent -o x.cf x.mc",
         1,
         {"x.mc:1:14: SM-E103 m4 expansion stopped: macro expansion count limit of 5000000 "
          "exceeded"}},
        {"huge format width",
         [](auto& d) { write(d / "x.mc", mc("format(`%999999999d', 1)\n")); },
         "x.mc",
         1,
         {"x.mc:3:1:"}},
        {"eval overflow wraps as in GNU m4",
         [](auto& d) { write(d / "x.m4", "eval(2147483647+1)\n"); },
         "expand x.m4 --cf-dir /nonexistent",
         1,
         {"-2147483648"}},
        {"eval division by zero: GNU m4's message",
         [](auto& d) { write(d / "x.mc", mc("eval(1/0)eval(1%0)dnl\n")); },
         "x.mc",
         1,
         {"x.mc:3:1: low SM-E106 m4-bad-argument", "divide by zero in eval: 1/0",
          "modulo by zero in eval: 1%0"}},
        {"huge substr numbers",
         [](auto& d) { write(d / "x.mc", mc("substr(`abc', 999999999999, 99999999999)dnl\n")); },
         "x.mc",
         1,
         {"1 file"}},
        {"huge divert numbers",
         [](auto& d) {
             write(d / "x.mc", mc("divert(999999999999)x divert(-99999999999)y divert(0)dnl\n"));
         },
         "x.mc",
         1,
         {"1 file"}},
        {"100,000 nested quotes",
         [](auto& d) { write(d / "x.mc", mc(repeat("`", 100'000) + "\n")); },
         "x.mc",
         1,
         {"SM-E104 m4-unterminated"}},
        {"100,000 nested parentheses",
         [](auto& d) { write(d / "x.mc", mc("define(" + repeat("(", 100'000) + "\n")); },
         "x.mc",
         1,
         {"SM-E104 m4-unterminated"}},
        {"100,000 nested macro calls",
         [](auto& d) {
             write(d / "x.mc", mc(repeat("len(", 100'000) + repeat(")", 100'000) + "\n"));
         },
         "x.mc",
         1,
         {"SM-E103 m4-limit-exceeded"}},
        // ---- files: loops, special files, outside the tree ----
        {"include loop",
         [](auto& d) { write(d / "x.mc", mc("include(`x.mc')\n")); },
         "x.mc",
         1,
         {"SM-E103 m4-limit-exceeded"}},
        {"symbolic link loop on the command line",
         [](auto& d) {
             fs::create_symlink("b.cf", d / "a.cf");
             fs::create_symlink("a.cf", d / "b.cf");
         },
         "a.cf",
         2,
         {"smaudit: a.cf: Too many levels of symbolic links"}},
        {"a directory where a file is expected",
         [](auto& d) { fs::create_directories(d / "sendmail.cf"); },
         "--kind cf sendmail.cf/",
         2,
         {"smaudit: sendmail.cf/: no sendmail file here"}},
        {"a directory included",
         [](auto& d) {
             fs::create_directories(d / "sub");
             write(d / "x.mc", mc("include(`sub')dnl\n"));
         },
         "x.mc",
         1,
         {"x.mc:3:1: high SM-E107 m4-include-refused",
          "sub is a directory, not a regular file: not read"}},
        {"a FIFO on the command line",
         [](auto& d) { REQUIRE(mkfifo((d / "sendmail.cf").c_str(), 0600) == 0); },
         "sendmail.cf",
         2,
         {"smaudit: sendmail.cf: is a FIFO (named pipe), not a regular file: not read"}},
        {"a FIFO in an audited directory is skipped",
         [](auto& d) {
             REQUIRE(mkfifo((d / "access").c_str(), 0600) == 0);
             write(d / "aliases", "root: admin\n");
         },
         ".",
         1,
         {"1 file", "SM-S049"},
         {"FIFO"}},
        {"a character device on the command line",
         [](auto&) {},
         "--kind cf /dev/zero",
         2,
         {"smaudit: /dev/zero: is a character device, not a regular file: not read"}},
        {"a socket on the command line",
         [](auto& d) {
             const std::string path = (d / "s.cf").string();
             const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
             sockaddr_un address{};
             address.sun_family = AF_UNIX;
             std::copy(path.begin(), path.end(), address.sun_path);
             REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
             ::close(fd);
         },
         "s.cf",
         2,
         {"smaudit: s.cf: is a socket, not a regular file: not read"}},
        {"a FIFO included (sinclude too)",
         [](auto& d) {
             REQUIRE(mkfifo((d / "f.m4").c_str(), 0600) == 0);
             write(d / "x.mc", mc("sinclude(`f.m4')dnl\n"));
         },
         "x.mc",
         1,
         {"x.mc:3:1: high SM-E107 m4-include-refused", "f.m4 is a FIFO (named pipe)"}},
        {"a FIFO as the help file a .cf names",
         [](auto& d) {
             REQUIRE(mkfifo((d / "helpfile").c_str(), 0600) == 0);
             write(d / "sendmail.cf",
                   "V10/Berkeley\nO HelpFile=" + (d / "helpfile").string() + "\n");
         },
         "sendmail.cf",
         1,
         {"1 file"}},
        {"include of /etc/passwd is refused, not shown",
         [](auto& d) { write(d / "x.mc", mc("include(`/etc/passwd')dnl\n")); },
         "expand x.mc",
         1,
         {"x.mc:3:1: SM-E107 include outside the config tree, not read: /etc/passwd"},
         {"root:x:0:0"},
         1 << 20},
        {"a link in the .mc's directory to a file outside",
         [](auto& d) {
             fs::create_symlink("/etc/passwd", d / "local.m4");
             write(d / "x.mc", mc("include(`local.m4')dnl\n"));
         },
         "show x.mc",
         1, // as audit and expand: the configuration shown lacks what was refused
         {"x.mc:3:1: SM-E107 include outside the config tree, not read: local.m4 (which is "
          "/etc/passwd)"},
         {"root:x:0:0"},
         1 << 20},
    };
    return table;
}

// The million-character access key and alias, through every reporter.
const char* const kFormats[] = {"terminal", "json", "sarif", "nagios", "openmetrics"};

} // namespace

TEST_CASE("hostile inputs: each ends with its message and exit code, bounded") {
    CHECK(cases().size() >= 40);
    for (const Hostile& c : cases()) {
        const std::string name = c.name;
        CAPTURE(name);
        TempDir dir("smaudit-hostile");
        c.make(dir.path);
        const CommandResult run =
            run_command("cd '" + dir.path.string() + "' && NO_COLOR=1 timeout 300 " +
                        SMAUDIT_BINARY + " " + c.args + " 2>&1");
        CAPTURE(run.out.substr(0, 2000));
        CHECK(run.code == c.exit_code);
        for (const std::string& text : c.expect)
            CHECK_MESSAGE(run.out.find(text) != std::string::npos, text);
        for (const std::string& text : c.absent)
            CHECK_MESSAGE(run.out.find(text) == std::string::npos, text);
        CHECK(run.out.size() <= c.max_output);
    }
}

TEST_CASE("hostile inputs: a million-character key and alias in every reporter") {
    TempDir dir("smaudit-hostile-million");
    write(dir.path / "access", "From:" + kMillion + " REJECT\nConnect:10 RELAY\n");
    write(dir.path / "aliases", kMillion + ": root\nroot: " + kMillion + "@example.com\n");
    for (const char* file : {"access", "aliases"})
        for (const char* format : kFormats) {
            CAPTURE(file);
            CAPTURE(format);
            const CommandResult run =
                run_command("cd '" + dir.path.string() + "' && NO_COLOR=1 timeout 300 " +
                            SMAUDIT_BINARY + " audit --format " + format + " " + file + " 2>&1");
            // nagios: its own codes (CRITICAL 2 for the access map's critical finding, OK 0
            // for the aliases' one low finding).
            const int expected = std::string(format) != "nagios" ? 1
                                 : std::string(file) == "access" ? 2
                                                                 : 0;
            CHECK(run.code == expected);
            // Bounded: a few hundred findings (makemap reads such a line in 1023-byte pieces),
            // each excerpt in the terminal cut to a window, never the million characters
            // once per finding.
            CHECK(run.out.size() <= 8u << 20);
            if (std::string(format) == "terminal") {
                CHECK(run.out.find(std::string(file) + ":1:1: ") != std::string::npos);
                CHECK(run.out.find("…") != std::string::npos);
                CHECK(run.out.find(std::string(1000, 'k')) == std::string::npos);
            }
        }
}
