#include "m4/builtins.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <mutex>

#include <regex.h>

namespace smaudit::m4 {

namespace {

// GNU m4 1.4's eval: a token lexer with one token of undo, and one function per precedence
// level that stops at the first error. An error that is not a syntax error (division by zero,
// negative exponent) in the unused side of && or || is forgotten, but the operand's parsing
// stopped there: what is left must still fit the expression, else it is excess input
// (`1||1/0>2`). Values wrap at 32 bits.
class EvalParser {
  public:
    explicit EvalParser(std::string_view text) : s_(text) {}

    EvalResult run() {
        EvalResult r;
        int32_t value = 0;
        Error err = logical_or(lex(value), value);
        if (err == Error::None && pos_ < s_.size()) {
            int32_t ignored = 0;
            err = lex(ignored) == Tok::BadOp ? Error::InvalidOperator : Error::ExcessInput;
        }
        r.warnings = std::move(warnings_);
        if (err == Error::None) {
            r.value = value;
            return r;
        }
        r.too_deep = err == Error::TooDeep;
        r.error = message(err);
        return r;
    }

  private:
    enum class Tok {
        Error,
        BadOp,
        Plus,
        Minus,
        Exponent,
        Times,
        Divide,
        Modulo,
        Assign,
        Eq,
        NotEq,
        Gt,
        GtEq,
        Ls,
        LsEq,
        LShift,
        RShift,
        LNot,
        LAnd,
        LOr,
        Not,
        And,
        Or,
        Xor,
        LeftP,
        RightP,
        Number,
        End
    };
    // In m4's order: the ones before Syntax may be forgotten in a dead branch of && and ||.
    enum class Error {
        None,
        DivideZero,
        ModuloZero,
        NegativeExponent,
        Syntax,
        MissingRight,
        UnknownInput,
        ExcessInput,
        InvalidOperator,
        TooDeep
    };

    std::string_view s_;
    size_t pos_ = 0;
    size_t last_ = 0; // where the last token started, for undo
    int depth_ = 0;
    std::vector<std::string> warnings_;

    static const char* message(Error e) {
        switch (e) {
        case Error::DivideZero:
            return "divide by zero";
        case Error::ModuloZero:
            return "modulo by zero";
        case Error::NegativeExponent:
            return "negative exponent";
        case Error::MissingRight:
            return "bad expression (missing right parenthesis)";
        case Error::UnknownInput:
            return "bad expression (bad input)";
        case Error::ExcessInput:
            return "bad expression (excess input)";
        case Error::InvalidOperator:
            return "invalid operator";
        case Error::TooDeep:
            return "expression nested too deeply";
        default:
            return "bad expression";
        }
    }

    static int32_t wrap(uint32_t v) { return static_cast<int32_t>(v); }
    static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    }
    bool next_is(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    void undo() { pos_ = last_; }

    Tok lex(int32_t& value) {
        while (pos_ < s_.size() && is_space(s_[pos_]))
            ++pos_;
        last_ = pos_;
        if (pos_ == s_.size()) return Tok::End;
        const char c = s_[pos_];
        if (c >= '0' && c <= '9') return number(value);
        ++pos_;
        switch (c) {
        case '+':
            return next_is('+') || next_is('=') ? Tok::BadOp : Tok::Plus;
        case '-':
            return next_is('-') || next_is('=') ? Tok::BadOp : Tok::Minus;
        case '*':
            if (next_is('*')) return ++pos_, Tok::Exponent;
            return next_is('=') ? Tok::BadOp : Tok::Times;
        case '/':
            return next_is('=') ? Tok::BadOp : Tok::Divide;
        case '%':
            return next_is('=') ? Tok::BadOp : Tok::Modulo;
        case '=':
            if (next_is('=')) return ++pos_, Tok::Eq;
            return Tok::Assign;
        case '!':
            if (next_is('=')) return ++pos_, Tok::NotEq;
            return Tok::LNot;
        case '>':
            if (next_is('=')) return ++pos_, Tok::GtEq;
            if (!next_is('>')) return Tok::Gt;
            ++pos_;
            return next_is('=') ? Tok::BadOp : Tok::RShift;
        case '<':
            if (next_is('=')) return ++pos_, Tok::LsEq;
            if (!next_is('<')) return Tok::Ls;
            ++pos_;
            return next_is('=') ? Tok::BadOp : Tok::LShift;
        case '^':
            return next_is('=') ? Tok::BadOp : Tok::Xor;
        case '~':
            return Tok::Not;
        case '&':
            if (next_is('&')) return ++pos_, Tok::LAnd;
            return next_is('=') ? Tok::BadOp : Tok::And;
        case '|':
            if (next_is('|')) return ++pos_, Tok::LOr;
            return next_is('=') ? Tok::BadOp : Tok::Or;
        case '(':
            return Tok::LeftP;
        case ')':
            return Tok::RightP;
        default:
            return Tok::Error;
        }
    }

    // 0x.. hex, 0b.. binary, 0rN:.. radix N (1..36; radix 1 counts ones after leading
    // zeros), 0.. octal; digits end at the first that does not fit the radix.
    Tok number(int32_t& value) {
        unsigned base = 10;
        if (s_[pos_] == '0') {
            ++pos_;
            if (next_is('x') || next_is('X')) {
                base = 16, ++pos_;
            } else if (next_is('b') || next_is('B')) {
                base = 2, ++pos_;
            } else if (next_is('r') || next_is('R')) {
                ++pos_;
                base = 0;
                while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9' && base <= 36)
                    base = 10 * base + static_cast<unsigned>(s_[pos_++] - '0');
                if (base == 0 || base > 36 || !next_is(':')) return Tok::Error;
                ++pos_;
            } else {
                base = 8;
            }
        }
        uint32_t v = 0;
        for (; pos_ < s_.size(); ++pos_) {
            const char c = s_[pos_];
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'z')
                digit = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'Z')
                digit = static_cast<unsigned>(c - 'A' + 10);
            else
                break;
            if (base == 1) {
                if (digit == 1)
                    ++v;
                else if (digit != 0 || v != 0)
                    break;
            } else if (digit >= base) {
                break;
            } else {
                v = v * base + digit;
            }
        }
        value = wrap(v);
        return Tok::Number;
    }

    using Level = Error (EvalParser::*)(Tok, int32_t&);

    // One left-associative level: `operand (op operand)*` for the operators `is_op` takes,
    // combined by `apply` (which may fail).
    template <typename IsOp, typename Apply>
    Error binary(Tok et, int32_t& v1, Level operand, IsOp is_op, Apply apply) {
        if (Error er = (this->*operand)(et, v1); er != Error::None) return er;
        Tok op;
        int32_t v2 = 0;
        while (is_op(op = lex(v2))) {
            et = lex(v2);
            if (et == Tok::Error) return Error::UnknownInput;
            if (Error er = (this->*operand)(et, v2); er != Error::None) return er;
            if (Error er = apply(op, v1, v2); er != Error::None) return er;
        }
        if (op == Tok::Error) return Error::UnknownInput;
        undo();
        return Error::None;
    }

    // && and ||: an error before Syntax in an operand that does not count is forgotten.
    Error logical(Tok et, int32_t& v1, Tok which, Level operand) {
        if (Error er = (this->*operand)(et, v1); er != Error::None) return er;
        int32_t v2 = 0;
        while ((et = lex(v2)) == which) {
            et = lex(v2);
            if (et == Tok::Error) return Error::UnknownInput;
            const Error er = (this->*operand)(et, v2);
            const bool dead = which == Tok::LOr ? v1 != 0 : v1 == 0;
            if (er != Error::None && (!dead || er >= Error::Syntax)) return er;
            if (er != Error::None) v2 = 0; // forgotten: the result is what v1 says
            v1 = which == Tok::LOr ? (v1 != 0 || v2 != 0) : (v1 != 0 && v2 != 0);
        }
        if (et == Tok::Error) return Error::UnknownInput;
        undo();
        return Error::None;
    }

    Error logical_or(Tok et, int32_t& v) {
        return logical(et, v, Tok::LOr, &EvalParser::logical_and);
    }
    Error logical_and(Tok et, int32_t& v) { return logical(et, v, Tok::LAnd, &EvalParser::bit_or); }
    Error bit_or(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::bit_xor, [](Tok t) { return t == Tok::Or; },
            [](Tok, int32_t& a, int32_t b) { return a |= b, Error::None; });
    }
    Error bit_xor(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::bit_and, [](Tok t) { return t == Tok::Xor; },
            [](Tok, int32_t& a, int32_t b) { return a ^= b, Error::None; });
    }
    Error bit_and(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::equality, [](Tok t) { return t == Tok::And; },
            [](Tok, int32_t& a, int32_t b) { return a &= b, Error::None; });
    }
    Error equality(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::compare,
            [](Tok t) { return t == Tok::Eq || t == Tok::NotEq || t == Tok::Assign; },
            [this](Tok op, int32_t& a, int32_t b) {
                if (op == Tok::Assign)
                    warnings_.emplace_back("Warning: recommend ==, not =, for equality operator");
                a = op == Tok::NotEq ? a != b : a == b;
                return Error::None;
            });
    }
    Error compare(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::shift,
            [](Tok t) { return t == Tok::Gt || t == Tok::GtEq || t == Tok::Ls || t == Tok::LsEq; },
            [](Tok op, int32_t& a, int32_t b) {
                a = op == Tok::Gt     ? a > b
                    : op == Tok::GtEq ? a >= b
                    : op == Tok::Ls   ? a < b
                                      : a <= b;
                return Error::None;
            });
    }
    Error shift(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::additive,
            [](Tok t) { return t == Tok::LShift || t == Tok::RShift; },
            [](Tok op, int32_t& a, int32_t b) {
                const unsigned by = static_cast<unsigned>(b) & 0x1f;
                if (op == Tok::LShift)
                    a = wrap(static_cast<uint32_t>(a) << by);
                else // arithmetic: the sign is kept
                    a = a < 0 ? ~(~a >> by) : a >> by;
                return Error::None;
            });
    }
    Error additive(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::multiplicative,
            [](Tok t) { return t == Tok::Plus || t == Tok::Minus; },
            [](Tok op, int32_t& a, int32_t b) {
                const auto ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b);
                a = wrap(op == Tok::Plus ? ua + ub : ua - ub);
                return Error::None;
            });
    }
    Error multiplicative(Tok et, int32_t& v) {
        return binary(
            et, v, &EvalParser::power,
            [](Tok t) { return t == Tok::Times || t == Tok::Divide || t == Tok::Modulo; },
            [](Tok op, int32_t& a, int32_t b) {
                if (op == Tok::Times) {
                    a = wrap(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
                } else if (b == 0) {
                    return op == Tok::Divide ? Error::DivideZero : Error::ModuloZero;
                } else if (b == -1) { // INT_MIN / -1 would trap
                    a = op == Tok::Divide ? wrap(0u - static_cast<uint32_t>(a)) : 0;
                } else {
                    a = op == Tok::Divide ? a / b : a % b;
                }
                return Error::None;
            });
    }
    // ** is right-associative and binds looser than the unary operators (-2**2 is 4).
    Error power(Tok et, int32_t& v1) {
        if (Error er = unary(et, v1); er != Error::None) return er;
        int32_t v2 = 0;
        while ((et = lex(v2)) == Tok::Exponent) {
            et = lex(v2);
            if (et == Tok::Error) return Error::UnknownInput;
            if (Error er = nested(&EvalParser::power, et, v2); er != Error::None) return er;
            if (v2 < 0) return Error::NegativeExponent;
            if (v1 == 0 && v2 == 0) return Error::DivideZero;
            uint32_t result = 1, base = static_cast<uint32_t>(v1);
            for (auto e = static_cast<uint32_t>(v2); e != 0; e >>= 1) {
                if ((e & 1) != 0) result *= base;
                base *= base;
            }
            v1 = wrap(result);
        }
        if (et == Tok::Error) return Error::UnknownInput;
        undo();
        return Error::None;
    }
    Error unary(Tok et, int32_t& v) {
        if (et != Tok::Plus && et != Tok::Minus && et != Tok::Not && et != Tok::LNot)
            return primary(et, v);
        const Tok next = lex(v);
        if (next == Tok::Error) return Error::UnknownInput;
        if (Error er = nested(&EvalParser::unary, next, v); er != Error::None) return er;
        if (et == Tok::Minus)
            v = wrap(0u - static_cast<uint32_t>(v));
        else if (et == Tok::Not)
            v = ~v;
        else if (et == Tok::LNot)
            v = v == 0 ? 1 : 0;
        return Error::None;
    }
    Error primary(Tok et, int32_t& v) {
        switch (et) {
        case Tok::LeftP: {
            et = lex(v);
            if (et == Tok::Error) return Error::UnknownInput;
            if (Error er = nested(&EvalParser::logical_or, et, v); er != Error::None) return er;
            int32_t ignored = 0;
            et = lex(ignored);
            if (et == Tok::Error) return Error::UnknownInput;
            return et == Tok::RightP ? Error::None : Error::MissingRight;
        }
        case Tok::Number:
            return Error::None;
        case Tok::BadOp:
            return Error::InvalidOperator;
        default:
            return Error::Syntax;
        }
    }
    // A level entered again (parentheses, unary operators, **): bounded, for the stack.
    Error nested(Level level, Tok et, int32_t& v) {
        if (++depth_ > kMaxEvalDepth) return Error::TooDeep;
        const Error er = (this->*level)(et, v);
        --depth_;
        return er;
    }
};

} // namespace

EvalResult eval_expression(std::string_view expr) {
    return EvalParser(expr).run();
}

std::string format_radix(int32_t value, int radix, int width) {
    std::string digits;
    const bool negative = value < 0;
    uint32_t mag = negative ? 0u - static_cast<uint32_t>(value) : static_cast<uint32_t>(value);
    if (radix == 1) {
        digits.assign(mag, '1');
    } else {
        do {
            const uint32_t d = mag % static_cast<uint32_t>(radix);
            digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
            mag /= static_cast<uint32_t>(radix);
        } while (mag != 0);
    }
    if (static_cast<int>(digits.size()) < width)
        digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
    return negative ? "-" + digits : digits;
}

std::string expand_ranges(std::string_view s) {
    std::string out;
    int from = -1; // previous character, -1 at the start
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '-' && from >= 0) {
            if (i + 1 >= s.size()) {
                out += '-';
                break;
            }
            const int to = static_cast<unsigned char>(s[++i]);
            if (from <= to)
                while (from++ < to)
                    out += static_cast<char>(from);
            else
                while (--from >= to)
                    out += static_cast<char>(from);
            from = to;
        } else {
            out += static_cast<char>(c);
            from = c;
        }
    }
    return out;
}

struct GnuRegex::Impl {
    re_pattern_buffer buffer{};
    mutable re_registers registers{};
    ~Impl() {
        regfree(&buffer); // also frees the fastmap
        std::free(registers.start);
        std::free(registers.end);
    }
};

GnuRegex::GnuRegex() : impl_(std::make_unique<Impl>()) {}
GnuRegex::~GnuRegex() = default;

std::unique_ptr<GnuRegex> GnuRegex::compile(std::string_view pattern, std::string& error) {
    std::unique_ptr<GnuRegex> re(new GnuRegex());
    re_pattern_buffer& buffer = re->impl_->buffer;
    buffer.fastmap = static_cast<char*>(std::malloc(256)); // as m4 does; regfree frees it
    const char* message;
    {
        // re_compile_pattern reads the process-wide syntax bits: set them for this call only,
        // one compilation at a time.
        static std::mutex syntax_lock;
        const std::lock_guard<std::mutex> hold(syntax_lock);
        const reg_syntax_t before = re_set_syntax(RE_SYNTAX_EMACS);
        message = re_compile_pattern(pattern.data(), pattern.size(), &buffer);
        re_set_syntax(before);
    }
    if (message != nullptr) {
        error = message;
        return nullptr;
    }
    // Emacs syntax: \1..\9 outside brackets; inside them a backslash is literal, and a ] right
    // after [ or [^ is a member.
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\' && i + 1 < pattern.size()) {
            if (pattern[++i] >= '1' && pattern[i] <= '9') re->back_reference_ = true;
        } else if (pattern[i] == '[') {
            size_t j = i + 1;
            if (j < pattern.size() && pattern[j] == '^') ++j;
            if (j < pattern.size() && pattern[j] == ']') ++j;
            while (j < pattern.size() && pattern[j] != ']')
                ++j;
            i = j;
        }
    }
    return re;
}

size_t GnuRegex::groups() const {
    return impl_->buffer.re_nsub;
}

std::optional<GnuRegex::Match> GnuRegex::search(std::string_view text, size_t start,
                                                bool& failed) const {
    failed = false;
    if (text.size() > static_cast<size_t>(std::numeric_limits<regoff_t>::max()) ||
        start > text.size()) {
        failed = true;
        return std::nullopt;
    }
    const auto length = static_cast<regoff_t>(text.size());
    const auto from = static_cast<regoff_t>(start);
    re_registers& regs = impl_->registers;
    const regoff_t at = re_search(&impl_->buffer, text.data(), length, from, length - from, &regs);
    if (at == -2) failed = true;
    if (at < 0) return std::nullopt;
    Match m;
    const size_t n = std::min<size_t>(regs.num_regs, impl_->buffer.re_nsub + 1);
    for (size_t g = 0; g < n; ++g)
        m.groups.emplace_back(regs.start[g], regs.end[g]);
    return m;
}

std::string substitute(std::string_view repl, std::string_view text, const GnuRegex::Match& m,
                       size_t groups, std::vector<std::string>& warnings) {
    std::string out;
    for (size_t i = 0; i < repl.size(); ++i) {
        if (repl[i] != '\\') {
            out += repl[i];
            continue;
        }
        if (i + 1 == repl.size()) {
            warnings.emplace_back("trailing \\ ignored in replacement");
            break;
        }
        const char n = repl[++i];
        if (n == '&' || (n >= '0' && n <= '9')) {
            const size_t g = n == '&' ? 0 : static_cast<size_t>(n - '0');
            if (g > groups)
                warnings.push_back("sub-expression " + std::to_string(g) + " not present");
            else if (g < m.groups.size() && m.groups[g].first >= 0)
                out.append(
                    text.substr(static_cast<size_t>(m.groups[g].first),
                                static_cast<size_t>(m.groups[g].second - m.groups[g].first)));
        } else {
            out += n;
        }
    }
    return out;
}

std::optional<long> numeric_argument(std::string_view text) {
    if (text.empty()) return 0;
    const std::string s(text);
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (*end != '\0') return std::nullopt;
    return static_cast<int>(v); // m4 keeps it in an int
}

namespace {

// format's arguments, taken in order as GNU m4 takes them: a missing one is 0 or empty, a
// number is strtol's or strtod's reading of as much as it can with m4's warnings.
class FormatArgs {
  public:
    FormatArgs(const std::vector<std::string>& args, std::vector<std::string>& warnings)
        : args_(args), warnings_(warnings) {}

    const char* text() { return next_ < args_.size() ? args_[next_++].c_str() : ""; }
    int integer() {
        if (next_ >= args_.size()) return 0;
        const long v = number(std::strtol, true);
        return static_cast<int>(v);
    }
    long long_integer() { return next_ >= args_.size() ? 0 : number(std::strtol, false); }
    double real() {
        if (next_ >= args_.size()) return 0;
        const std::string& s = args_[next_];
        if (s.empty()) {
            ++next_;
            warnings_.emplace_back("empty string treated as 0");
            return 0;
        }
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(s.c_str(), &end);
        check(s, end, errno == ERANGE);
        ++next_;
        return v;
    }

  private:
    const std::vector<std::string>& args_;
    std::vector<std::string>& warnings_;
    size_t next_ = 0;

    long number(long (*parse)(const char*, char**, int), bool as_int) {
        const std::string& s = args_[next_++];
        if (s.empty()) {
            warnings_.emplace_back("empty string treated as 0");
            return 0;
        }
        char* end = nullptr;
        errno = 0;
        const long v = parse(s.c_str(), &end, 10);
        check(s, end, errno == ERANGE || (as_int && static_cast<int>(v) != v));
        return v;
    }
    void check(const std::string& s, const char* end, bool overflow) {
        if (*end != '\0')
            warnings_.push_back("non-numeric argument " + s);
        else if (std::isspace(static_cast<unsigned char>(s[0])))
            warnings_.emplace_back("leading whitespace ignored");
        else if (overflow)
            warnings_.emplace_back("numeric overflow detected");
    }
};

// printf's flags in the order m4 writes them, and the conversions each makes m4 refuse.
struct FormatFlag {
    char flag;
    const char* refuses;
};
constexpr FormatFlag kFormatFlags[] = {{'\'', "aAceEosxX"}, {'+', "cosuxX"}, {'-', ""},
                                       {' ', "cosuxX"},     {'0', "cs"},     {'#', "cdisu"}};

// snprintf of one conversion: nothing when printf fails (a field over INT_MAX bytes), as m4;
// only up to a NUL byte (%c of 0), as m4 copies a C string.
template <typename... Values>
void print_field(FormatResult& r, size_t max_size, const char* spec, Values... values) {
    const int n = std::snprintf(nullptr, 0, spec, values...);
    if (n < 0 || n == std::numeric_limits<int>::max()) return; // m4's xasprintf fails there too
    if (static_cast<size_t>(n) > max_size) {
        r.too_big = static_cast<size_t>(n);
        return;
    }
    std::string field(static_cast<size_t>(n) + 1, '\0');
    std::snprintf(field.data(), field.size(), spec, values...);
    field.resize(std::strlen(field.c_str()));
    r.text += field;
}

} // namespace

FormatResult format_builtin(std::string_view fmt, const std::vector<std::string>& args,
                            size_t max_size) {
    FormatResult r;
    FormatArgs take(args, r.warnings);
    size_t i = 0;
    while (i < fmt.size()) {
        const size_t percent = fmt.find('%', i);
        if (percent == std::string_view::npos) {
            r.text.append(fmt.substr(i));
            break;
        }
        r.text.append(fmt.substr(i, percent - i));
        i = percent + 1;
        if (i < fmt.size() && fmt[i] == '%') {
            r.text += '%';
            ++i;
            continue;
        }
        auto at = [&](size_t k) { return k < fmt.size() ? fmt[k] : '\0'; };
        // Conversions the flags, precision and length seen so far still allow: m4 refuses the
        // ones whose printf behaviour C leaves undefined (%+x, %#d, %.3c, %hs, %lc...).
        std::string ok = "aAcdeEfFgGiosuxX";
        auto refuse = [&](std::string_view convs) {
            for (char c : convs)
                ok.erase(std::remove(ok.begin(), ok.end(), c), ok.end());
        };
        // Flags, each once, written in m4's order.
        bool present[std::size(kFormatFlags)] = {};
        for (;; ++i) {
            const auto* flag = std::find_if(std::begin(kFormatFlags), std::end(kFormatFlags),
                                            [&](const FormatFlag& f) { return f.flag == at(i); });
            if (flag == std::end(kFormatFlags)) break;
            present[flag - std::begin(kFormatFlags)] = true;
            refuse(flag->refuses);
        }
        std::string spec = "%";
        for (size_t f = 0; f < std::size(kFormatFlags); ++f)
            if (present[f]) spec += kFormatFlags[f].flag;
        // Width and precision are passed as `*` arguments: a negative width left-justifies, a
        // negative precision is none, as printf has it.
        int width = 0;
        if (at(i) == '*') {
            width = take.integer();
            ++i;
        } else {
            unsigned w = 0; // wraps on absurd digit strings as m4's int does
            while (std::isdigit(static_cast<unsigned char>(at(i))))
                w = 10 * w + static_cast<unsigned>(fmt[i++] - '0');
            width = static_cast<int>(w);
        }
        int precision = -1;
        if (at(i) == '.') {
            refuse("c");
            ++i;
            if (at(i) == '*') {
                precision = take.integer();
                ++i;
            } else {
                unsigned p = 0;
                while (std::isdigit(static_cast<unsigned char>(at(i))))
                    p = 10 * p + static_cast<unsigned>(fmt[i++] - '0');
                precision = static_cast<int>(p);
            }
        }
        // Length modifiers: l (long), h and hh; not ll, j, t, z.
        std::string length;
        if (at(i) == 'l') {
            length = "l";
            ++i;
            refuse("cs");
        } else if (at(i) == 'h') {
            length = "h";
            if (at(++i) == 'h') length += 'h', ++i;
            refuse("aAceEfFgGs");
        }
        const char conv = at(i);
        if (conv == '\0' || ok.find(conv) == std::string::npos) {
            r.warnings.push_back("Warning: unrecognized specifier in `" + std::string(fmt) + "'");
            if (conv != '\0') ++i;
            continue;
        }
        ++i;
        switch (conv) {
        case 'c':
            spec += "*c";
            print_field(r, max_size, spec.c_str(), width, take.integer());
            break;
        case 's':
            spec += "*.*s";
            print_field(r, max_size, spec.c_str(), width, precision, take.text());
            break;
        case 'd':
        case 'i':
        case 'o':
        case 'u':
        case 'x':
        case 'X':
            spec += "*.*" + length + conv;
            if (length == "l")
                print_field(r, max_size, spec.c_str(), width, precision, take.long_integer());
            else
                print_field(r, max_size, spec.c_str(), width, precision, take.integer());
            break;
        default: // a A e E f F g G
            spec += "*.*" + length + conv;
            print_field(r, max_size, spec.c_str(), width, precision, take.real());
        }
        if (r.too_big != 0) break;
    }
    return r;
}

} // namespace smaudit::m4
