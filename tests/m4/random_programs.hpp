// Random m4 programs for the differential test: fragments of the constructs .mc files and the cf
// tree use, plus generated regexp/patsubst, eval and format calls, __file__/__line__ in m4wrap
// text and after multi-line calls, m4exit with diverted text, builtin tokens in arguments,
// includes of files beside the program, and quotes that start with `(`.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace m4test {

class ProgramGenerator {
  public:
    explicit ProgramGenerator(uint32_t seed) : rng_(seed) {}

    // Files the include fragments read, written beside the program (name, text): a name, an
    // open quote and a macro call cut at the end, files without a final newline.
    static std::vector<std::pair<std::string, std::string>> support_files() {
        return {{"frag1.m4", "a(inc"},
                {"frag2.m4", "luded) `q"},
                {"frag3.m4", "define(`z', `Z')z"},
                {"nolf.m4", "__line__"},
                {"nolf2.m4", "x\n__file__:__line__"},
                {"lines.m4", "1\n2 __line__\nm4wrap(`[w __file__:__line__]')3 __line__\n"}};
    }

    // A plain m4 program.
    std::string plain() { return program(false); }
    // A program read after sendmail's cf.m4 (as `m4 cf.m4 PROGRAM`): also the macros .mc files
    // call.
    std::string mc() { return program(true); }

  private:
    std::mt19937 rng_;

    size_t pick(size_t n) { return static_cast<size_t>(rng_() % n); }
    template <size_t N> const char* one_of(const char* const (&items)[N]) { return items[pick(N)]; }

    std::string program(bool mc_context) {
        std::string text;
        const size_t length = 3 + pick(12);
        for (size_t i = 0; i < length; ++i)
            text += fragment(mc_context);
        if (pick(8) != 0) text += "\n"; // sometimes no final newline
        return text;
    }

    std::string fragment(bool mc_context) {
        const size_t kind = pick(100);
        if (kind < 10) return regex_call();
        if (kind < 18) return "eval(`" + expression() + "')";
        if (kind < 25) return format_call();
        if (mc_context && kind < 40) return one_of(kMcFragments);
        return one_of(kFragments);
    }

    // regexp/patsubst with a pattern of GNU (Emacs syntax) regex atoms on a short text; no
    // back-references (\1 in a pattern), which smaudit does not match (a documented limit).
    std::string regex_call() {
        static const char* const atoms[] = {
            "a",   "b",   ".",       "*",        "+",           "?",    "^",   "$",
            "\\(", "\\)", "\\|",     "[ab]",     "[^a]",        "[]a]", "[a-", "[[:alpha:]]",
            "\\{", "\\}", "{2}",     "\\w",      "\\W",         "\\s",  "\\S", "\\<",
            "\\>", "\\b", "\\B",     "\\`",      "\\'",         "\n",   "\r",  "[a-c]",
            " ",   "x",   "\\.",     "\\*",      "\\",          "-",    "[.]", "\\n",
            "a*",  "b+",  "\\(a\\)", "\\(b*\\)", "\\(a\\|b\\)", "[\\]", "\\\\"};
        static const char* const texts[] = {"a", "b",       "ab", "ba", " ",   "\n", "\r", "x",
                                            "-", "foo bar", "*",  "{",  "aab", ".",  "\\", "_w"};
        static const char* const repl[] = {"X",  "\\&", "\\0", "\\1", "\\2", "\\9", "\\\\",
                                           "\\", "\\n", "-",   "<",   ">",   ""};
        std::string pattern, text, replacement;
        for (size_t n = 1 + pick(5); n-- > 0;)
            pattern += one_of(atoms);
        for (size_t n = pick(6); n-- > 0;)
            text += one_of(texts);
        for (size_t n = pick(4); n-- > 0;)
            replacement += one_of(repl);
        switch (pick(4)) {
        case 0:
            return "regexp(`" + text + "', `" + pattern + "')";
        case 1:
            return "regexp(`" + text + "', `" + pattern + "', `" + replacement + "')";
        default:
            return "patsubst(`" + text + "', `" + pattern + "', `" + replacement + "')";
        }
    }

    // Tokens of eval's language, valid and not, in random order.
    std::string expression() {
        static const char* const tokens[] = {
            "0",  "1",  "2",  "-1", "0x10", "0b11", "0r3:12", "010", "08", "2147483647", "0r1:0011",
            "+",  "-",  "*",  "/",  "%",    "**",   "<<",     ">>",  "<",  ">",          "<=",
            ">=", "==", "!=", "=",  "&",    "|",    "^",      "&&",  "||", "!",          "~",
            "(",  ")",  "--", "++", "+=",   "?",    " ",      "a",   "3",  "1/0",        "0**0"};
        std::string e;
        for (size_t n = 1 + pick(7); n-- > 0;)
            e += one_of(tokens);
        return e;
    }

    // format with random flags, widths, precisions, length modifiers and conversions.
    std::string format_call() {
        static const char* const flags[] = {"", "", "-", "+", " ", "0", "#", "'", "-0", "+ "};
        static const char* const widths[] = {"", "", "5", "*", "0", "12"};
        static const char* const precisions[] = {"", "", ".2", ".*", ".", ".0"};
        static const char* const lengths[] = {"", "", "", "h", "hh", "l", "ll", "lh"};
        static const char* const conversions[] = {"d", "i", "o", "u", "x", "X", "c", "s", "e",
                                                  "E", "f", "F", "g", "G", "a", "A", "%", "z"};
        static const char* const args[] = {"-1",    "0",    "42",  "300", "70000",  "9999999999",
                                           "abc",   "12ab", "1.5", "-3",  "",       "inf",
                                           "1e300", " 5",   "65",  "-20", "100000", "2147483647"};
        std::string fmt = pick(3) == 0 ? "<" : "";
        for (size_t n = 1 + pick(2); n-- > 0;) {
            fmt += "%";
            fmt += one_of(flags);
            fmt += one_of(widths);
            fmt += one_of(precisions);
            fmt += one_of(lengths);
            fmt += one_of(conversions);
            if (pick(2) == 0) fmt += "|";
        }
        std::string call = "format(`" + fmt + "'";
        for (size_t n = pick(5); n-- > 0;)
            call += std::string(", `") + one_of(args) + "'";
        return call + ")";
    }

    static constexpr const char* kFragments[] = {
        "define(`a', `A$1')",
        "define(`b', `[$#:$*:$@]')",
        "define(`c', `a(`x', y)')",
        "define(`d', defn(`b'))",
        "pushdef(`a', `P')",
        "popdef(`a')",
        "undefine(`b')",
        "a",
        "a(1)",
        "b(1, 2 ,  3)",
        "b()",
        "b",
        "c",
        "d(q)",
        "`quoted a'",
        "``nested' a'",
        "ifelse(a, `A', `yes', `no')",
        "ifelse(x, y, 1, x, x, 2, 3)",
        "ifdef(`a', `def', `undef')",
        "dnl comment a b\n",
        "# comment a\n",
        "divert(1)",
        "divert(-1)",
        "divert(0)",
        "divert",
        "undivert(1)",
        "divnum",
        "changequote([, ])",
        "changequote",
        "changecom()",
        "changecom(`/*', `*/')",
        "[a]",
        "/* a */",
        "incr(len(`abc'))",
        "eval(2 * (3 + 4) % 5)",
        "substr(`hello', 1, 2)",
        "index(`hello', `ll')",
        "translit(`hello', `a-m', `A-M')",
        "shift(1, `2', 3)",
        "m4wrap(`wrapped a ')",
        "format(`%3d|%-4s|', 7, ab)",
        "patsubst(`a-b-c', `-', `+')",
        "regexp(`abc', `b')",
        "(a, b)",
        ",",
        ")",
        "\n",
        " ",
        "x_a a_x",
        "$1 $#",
        "define(`e', ``$0'+')e",
        "indir(`a', 2)",
        "builtin(`len', `xyz')",
        "__line__",
        "changequote(<<, >>)",
        "<<q<<n>>q>>",
        "a(b(c), `d')",
        "define(`f', `$@|$2')f(`1', `(2)', 3)",
        "define(`g', defn(`define'))g(`h', `H')h",
        "define(`i', `ifelse($#, 0, `none', `$1')')i i() i(z)",
        "sinclude(`nonexistent.m4')",
        "undivert",
        "divert(2)two",
        "errprint(`')",
        "len(x_a)",
        "define(`j', `$')j(1)",
        "\t",
        // __file__ and __line__: in m4wrap text, at the end of input, after multi-line calls.
        "__file__",
        "m4wrap(`[__file__:__line__]')",
        "m4wrap(`define(`w', __line__)w ')",
        "define(`ml', `<$1|__line__>')",
        "ml(`x',\n`y')__line__",
        "ml(`__line__',\nz)",
        "ml(\n__line__)",
        "f(`a\nb', `__line__')",
        "include(`nolf.m4')",
        "include(`nolf2.m4')",
        "include(`lines.m4')",
        "sinclude(`frag3.m4')",
        "include(`frag1.m4')",
        "include(`frag2.m4')",
        "undivert(`frag3.m4')",
        // m4exit drops diverted text.
        "divert(1)diverted\ndivert(0)",
        "m4exit",
        "m4exit(1)",
        "m4exit(`0')",
        // A builtin token and text in one argument.
        "define(`bt', defn(`len')xyz)bt(abc)",
        "define(`bu', `[$1]')bu(defn(`len')tail)",
        "bu(head`'defn(`len'))",
        "define(`bv', defn(`len')defn(`incr'))bv(5)",
        "ifelse(defn(`len')x, `', `empty', `text')",
        // Quotes and comments that start with `(`.
        "changequote(`(', `)')",
        "changequote(`((', `))')",
        "changecom(`(')",
        "define(x, y)x (q) len(abc)",
        "translit(`abc', `a-c')",
        "translit(`a-b', `-')",
        "substr(`abc', `1')",
        "incr(` 1')",
        "eval(`1', `16', `4')",
        "eval(`-5', `2')",
        "eval(`10', `1')",
    };

    // Sendmail's macros, read after cf.m4.
    static constexpr const char* kMcFragments[] = {
        "define(`confMAX_MESSAGE_SIZE', `1000')dnl\n",
        "define(`confPRIVACY_FLAGS', `goaway')dnl\n",
        "FEATURE(`nouucp')dnl\n",
        "FEATURE(`access_db')dnl\n",
        "FEATURE(`no_such_feature')dnl\n",
        "MAILER(`local')dnl\n",
        "MAILER(`smtp')dnl\n",
        "OSTYPE(`linux')dnl\n",
        "DOMAIN(`generic')dnl\n",
        "VERSIONID(`random')dnl\n",
        "LOCAL_CONFIG\nCw example.test\n",
        "LOCAL_RULESETS\nSLocal_check_rcpt\nR$*\t$: $1\n",
        "MASQUERADE_AS(`example.test')dnl\n",
        "EXPOSED_USER(`root')dnl\n",
        "undefine(`ALIAS_FILE')dnl\n",
        "define(`_USE_ETC_MAIL_')dnl\n",
        "DAEMON_OPTIONS(`Port=smtp, Name=MTA')dnl\n",
        "divert(-1)\n",
        "divert(0)dnl\n",
        "dnl # a comment line\n",
        "include(`lines.m4')dnl\n",
        "__file__:__line__\n",
    };
};

} // namespace m4test
