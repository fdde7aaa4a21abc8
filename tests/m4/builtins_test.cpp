// Each builtin against the real GNU m4 on small inputs. The expected strings written here were
// checked by hand against m4's manual; the comparison with real m4 guards the rest.
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

namespace {

// Compares with real m4 and with the hand-checked expectation.
void same_as_m4(const std::string& input, const std::string& expected) {
    CAPTURE(input);
    CHECK(m4test::ours(input) == expected);
    if (m4test::real_m4_available()) CHECK(m4test::real_m4(input) == expected);
}

// Compares with real m4 only (for output too long to write out by hand).
void agrees_with_m4(const std::string& input) {
    if (!m4test::real_m4_available()) {
        MESSAGE("m4 not installed: comparison skipped");
        return;
    }
    CAPTURE(input);
    CHECK(m4test::ours(input) == m4test::real_m4(input));
}

} // namespace

TEST_CASE("define, arguments, $#, $*, $@ and rescanning") {
    same_as_m4("define(`x', `[$1|$2]')x(a, b)\n", "[a|b]\n");
    same_as_m4("define(`n', `$#')n n() n(a,b,c)\n", "0 1 3\n");
    same_as_m4("define(`x',`$1|$#|$*|$@|$10')x(a,b ,  c,d,e,f,g,h,i,j)\n",
               "a|10|a,b ,c,d,e,f,g,h,i,j|a,b ,c,d,e,f,g,h,i,j|j\n");
    same_as_m4("define(`q', `$@')define(`y', `Y')q(`y', y)\n", "y,Y\n");
    same_as_m4("define(`a', `b')define(`b', `c')a `a'\n", "c a\n");
    // An expansion joins with the text after it into one name.
    same_as_m4("define(`ab',`Z')define(`f',`a')f()b f`'b\n", "Z ab\n");
    same_as_m4("define(`x', `$')x $ $$1\n", "$ $ $$1\n");
    // Unquoted commas split the value: only the first item survives (KB 1.1.3).
    same_as_m4("define(`v', goaway,noetrn)v\n", "goaway\n");
    same_as_m4("define(`v', `goaway,noetrn')v\n", "goaway,noetrn\n");
    same_as_m4("define(`f', `($1)')f( (a, b) , c)\n", "((a, b) )\n");
}

TEST_CASE("pushdef, popdef, undefine, defn, ifdef") {
    same_as_m4("define(`x',1)pushdef(`x',2)x popdef(`x')x undefine(`x')x\n", "2 1 x\n");
    same_as_m4("define(`x',`a$1')defn(`x') defn(`nope')|\n", "a$1 |\n");
    same_as_m4("define(`d', defn(`define'))d(`y', `Y')y\n", "Y\n");
    same_as_m4("ifdef(`x', yes, no) define(`x')ifdef(`x', yes, no)\n", "no yes\n");
    same_as_m4("define\n", "define\n");                // blind builtin without (
    same_as_m4("divnum dnl gone\nkept\n", "0 kept\n"); // non-blind ones expand anyway
}

TEST_CASE("ifelse") {
    same_as_m4("ifelse(a,a,yes,no) ifelse(a,b,yes,no) ifelse(a,b,yes)|\n", "yes no |\n");
    same_as_m4("ifelse(a,b,1,c,c,2,3) ifelse(a,b,1,c,d,2,3) ifelse(a,b,1,c,d,2)|\n", "2 3 |\n");
    same_as_m4("ifelse(`comment only')x\n", "x\n");
    agrees_with_m4("ifelse(a)ifelse(a,b)ifelse(a,a,1,2,3)\n");
}

TEST_CASE("quotes, comments, changequote, changecom") {
    same_as_m4("`a`b'c' # not `expanded' define\n", "a`b'c # not `expanded' define\n");
    same_as_m4("changequote([,])[a[b]c] `x'\n", "a[b]c `x'\n");
    same_as_m4("changequote(<<, >>)<<a<<b>>c>>\n", "a<<b>>c\n");
    same_as_m4("changequote([,])changequote`x'\n", "x\n");
    same_as_m4("define(`x',X)changecom()# x\n", "# X\n");
    same_as_m4("define(`x',X)changecom(`/*', `*/')/* x */ x\n", "/* x */ X\n");
    agrees_with_m4("changequote(`')`x'\n");
    agrees_with_m4("changequote(\"\")\"a\"b\"\n");
}

TEST_CASE("dnl, divert, undivert, divnum") {
    same_as_m4("a dnl b\nc\n", "a c\n");
    same_as_m4("divert(1)one\ndivert(2)two\ndivert(0)zero\n", "zero\none\ntwo\n");
    same_as_m4("divert(-1)gone\ndivert divnum\n", " 0\n");
    same_as_m4("divert(2)two\ndivert(1)one\nundivert(2)divert(0)zero\n", "zero\none\ntwo\n");
    same_as_m4("divert(1)x\ndivert(-1)undivert(1)divert(0)y\n", "y\n");
    agrees_with_m4("divert(3)a\ndivert(1)b\nundivert()divert(0)c undivert\n");
}

TEST_CASE("arithmetic and strings") {
    same_as_m4("incr(41) decr(0) incr(-1)\n", "42 -1 0\n");
    same_as_m4("eval(2+3*4) eval((2+3)*4) eval(-7/2) eval(-7%2) eval(2**10)\n",
               "14 20 -3 -1 1024\n");
    same_as_m4("eval(1<2 && 3>=3) eval(!0) eval(~0) eval(5&3|8^1) eval(1<<4>>2)\n", "1 1 -1 9 4\n");
    same_as_m4("eval(0x1f) eval(010) eval(0b101) eval(255, 16) eval(5, 2, 8)\n",
               "31 8 5 ff 00000101\n");
    same_as_m4("eval(2147483647+1) eval(1==1) eval(1!=1)\n", "-2147483648 1 0\n");
    same_as_m4("len(`hello') len() index(`hello', `l') index(`hello', `z')\n", "5 0 2 -1\n");
    same_as_m4("substr(`hello', 1, 3) substr(`hello', 3) substr(`hello', 9)|\n", "ell lo |\n");
    same_as_m4("translit(`hello', `a-z', `A-Z') translit(`hello', `l')\n", "HELLO heo\n");
    same_as_m4("translit(`abc', `c-a', `xyz')\n", "zyx\n");
    agrees_with_m4("substr(`hello') substr(`hello', -1, 2) substr(`hello', 1, -1) index(`a')\n");
    agrees_with_m4("eval(1/0) eval(x) eval() eval(3, 1) eval(-5, 16, 4)\n");
    agrees_with_m4("incr(x) incr() incr( 3)\n");
}

TEST_CASE("shift, format, patsubst, regexp, indir, builtin") {
    same_as_m4("shift(a, b, c) shift(a)|\n", "b,c |\n");
    same_as_m4("format(`%s-%d-%5.2f-%x', abc, 42, 3.14159, 255)\n", "abc-42- 3.14-ff\n");
    same_as_m4("format(`<%3|%-4s|>', 7)\n", "<7   |>\n"); // a bad specifier is dropped
    same_as_m4("patsubst(`hello world', `o', `0') patsubst(`abc', `\\(b\\)', `[\\1]')\n",
               "hell0 w0rld a[b]c\n");
    same_as_m4("regexp(`hello', `l+') regexp(`hello', `z') regexp(`abc', `b\\(c\\)', `<\\1>')\n",
               "2 -1 <c>\n");
    same_as_m4("define(`x', `[$1]')indir(`x', a) builtin(`len', abc)\n", "[a] 3\n");
    // Too few arguments: m4 warns; with one argument some builtins still expand to something.
    same_as_m4("regexp(`abc') patsubst(`abc') index(`abc') builtin(`index')|\n", "0 abc 0 |\n");
    agrees_with_m4("patsubst(`a.b.c', `\\.', `\\\\') patsubst(`aaa', `a*', `-') "
                   "patsubst(`x y', `\\w+', `<\\&>')\n");
}

TEST_CASE("m4wrap runs at the end, last in first out") {
    same_as_m4("m4wrap(`1')m4wrap(`2')x\n", "x\n21");
}

TEST_CASE("include, sinclude, __file__") {
    m4test::write_temp("inc.m4", "define(`fromfile', `F')included\n");
    same_as_m4("include(`inc.m4')fromfile sinclude(`missing.m4')|\n", "included\nF |\n");
    // A name and a quote may continue across the end of an included file.
    m4test::write_temp("part.m4", "ab");
    same_as_m4("define(`abc', X)include(`part.m4')c\n", "X\n");
    m4test::write_temp("quote.m4", "`ab");
    same_as_m4("include(`quote.m4')c'\n", "abc\n");
}

TEST_CASE("unsafe builtins do nothing and are recorded") {
    auto e = m4test::ours_full("syscmd(`touch /tmp/smaudit-must-not-exist')esyscmd(`id')x\n");
    CHECK(e.text == "x\n");
    CHECK(e.unsafe_builtin_calls.size() == 2);
    CHECK_FALSE(std::filesystem::exists("/tmp/smaudit-must-not-exist"));
    CHECK(e.unsafe_builtin_calls[0].span.begin == 0);
}

TEST_CASE("errprint is captured as data with its location") {
    auto e = m4test::ours_full("a\nerrprint(`*** ERROR: bad')b\n");
    REQUIRE(e.errprints.size() == 1);
    CHECK(e.errprints[0].text == "*** ERROR: bad");
    CHECK(e.errprints[0].where.span.begin == 2);
    CHECK(e.text == "a\nb\n");
}
