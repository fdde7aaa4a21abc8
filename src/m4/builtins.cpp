#include "m4/builtins.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace smaudit::m4 {

namespace {

// Recursive descent over eval's C-like grammar; values wrap at 32 bits as in GNU m4.
class EvalParser {
  public:
    explicit EvalParser(std::string_view text) : s_(text) {}

    std::optional<int32_t> run(std::string& error) {
        skip();
        if (pos_ == s_.size()) return 0; // GNU m4: an empty expression is 0 (with a warning)
        int32_t v = logical_or(true);
        skip();
        if (error_.empty() && pos_ != s_.size()) error_ = "bad expression";
        if (!error_.empty()) {
            error = error_;
            return std::nullopt;
        }
        return v;
    }

  private:
    std::string_view s_;
    size_t pos_ = 0;
    std::string error_;
    int depth_ = 0;

    static int32_t wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
    void skip() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' ||
                                    s_[pos_] == '\r' || s_[pos_] == '\f' || s_[pos_] == '\v'))
            ++pos_;
    }
    bool eat(std::string_view op) {
        skip();
        if (s_.substr(pos_, op.size()) == op) {
            pos_ += op.size();
            return true;
        }
        return false;
    }
    // `op` but not when it is the start of a longer operator (`&` vs `&&`, `<` vs `<<`).
    bool eat_only(std::string_view op, std::string_view not_followed) {
        skip();
        if (s_.substr(pos_, op.size()) != op) return false;
        const size_t after = pos_ + op.size();
        if (after < s_.size() && not_followed.find(s_[after]) != std::string_view::npos)
            return false;
        pos_ = after;
        return true;
    }
    void fail(const char* msg) {
        if (error_.empty()) error_ = msg;
    }

    // `live` false: evaluating the unused side of && / || (no division errors there).
    int32_t logical_or(bool live) {
        int32_t v = logical_and(live);
        while (eat("||")) {
            int32_t r = logical_and(live && v == 0);
            v = (v != 0 || r != 0) ? 1 : 0;
        }
        return v;
    }
    int32_t logical_and(bool live) {
        int32_t v = bit_or(live);
        while (eat("&&")) {
            int32_t r = bit_or(live && v != 0);
            v = (v != 0 && r != 0) ? 1 : 0;
        }
        return v;
    }
    int32_t bit_or(bool live) {
        int32_t v = bit_xor(live);
        while (eat_only("|", "|"))
            v = v | bit_xor(live);
        return v;
    }
    int32_t bit_xor(bool live) {
        int32_t v = bit_and(live);
        while (eat("^"))
            v = v ^ bit_and(live);
        return v;
    }
    int32_t bit_and(bool live) {
        int32_t v = equality(live);
        while (eat_only("&", "&"))
            v = v & equality(live);
        return v;
    }
    int32_t equality(bool live) {
        int32_t v = compare(live);
        for (;;) {
            if (eat("=="))
                v = (v == compare(live));
            else if (eat("!="))
                v = (v != compare(live));
            else if (eat_only("=", "="))
                v = (v == compare(live)); // GNU: `=' means `=='
            else
                return v;
        }
    }
    int32_t compare(bool live) {
        int32_t v = shift(live);
        for (;;) {
            if (eat("<="))
                v = (v <= shift(live));
            else if (eat(">="))
                v = (v >= shift(live));
            else if (eat_only("<", "<"))
                v = (v < shift(live));
            else if (eat_only(">", ">"))
                v = (v > shift(live));
            else
                return v;
        }
    }
    int32_t shift(bool live) {
        int32_t v = additive(live);
        for (;;) {
            if (eat("<<")) {
                const int32_t r = additive(live);
                v = wrap(static_cast<uint32_t>(v) << (r & 0x1f));
            } else if (eat(">>")) {
                const int32_t r = additive(live) & 0x1f;
                v = v < 0 ? ~(~v >> r) : v >> r;
            } else {
                return v;
            }
        }
    }
    int32_t additive(bool live) {
        int32_t v = multiplicative(live);
        for (;;) {
            if (eat("+"))
                v = wrap(int64_t{v} + multiplicative(live));
            else if (eat("-"))
                v = wrap(int64_t{v} - multiplicative(live));
            else
                return v;
        }
    }
    int32_t multiplicative(bool live) {
        int32_t v = power(live);
        for (;;) {
            skip();
            if (s_.substr(pos_, 2) == "**") return v;
            if (eat("*")) {
                v = wrap(int64_t{v} * power(live));
            } else if (eat("/") || (s_.substr(pos_, 1) == "%" && eat("%"))) {
                const bool is_div = s_[pos_ - 1] == '/';
                const int32_t r = power(live);
                if (r == 0) {
                    if (live) fail("divide by zero");
                    v = 0;
                } else if (r == -1) {
                    v = is_div ? wrap(-int64_t{v}) : 0;
                } else {
                    v = is_div ? v / r : v % r;
                }
            } else {
                return v;
            }
        }
    }
    int32_t power(bool live) {
        int32_t base = unary(live);
        if (eat("**")) {
            int32_t exp = power(live);
            if (exp < 0) {
                if (live) fail("negative exponent");
                return 0;
            }
            uint32_t result = 1, b = static_cast<uint32_t>(base);
            for (uint32_t e = static_cast<uint32_t>(exp); e != 0; e >>= 1) {
                if (e & 1) result *= b;
                b *= b;
            }
            return wrap(result);
        }
        return base;
    }
    int32_t unary(bool live) {
        if (++depth_ > 500) {
            fail("expression nested too deeply");
            return 0;
        }
        int32_t v;
        if (eat("-"))
            v = wrap(-int64_t{unary(live)});
        else if (eat("+"))
            v = unary(live);
        else if (eat("~"))
            v = ~unary(live);
        else if (eat_only("!", "="))
            v = unary(live) == 0;
        else
            v = primary(live);
        --depth_;
        return v;
    }
    int32_t primary(bool live) {
        skip();
        if (eat("(")) {
            int32_t v = logical_or(live);
            if (!eat(")")) fail("bad expression");
            return v;
        }
        if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
            fail("bad expression");
            pos_ = s_.size();
            return 0;
        }
        int radix = 10;
        if (s_[pos_] == '0' && pos_ + 1 < s_.size()) {
            const char c = s_[pos_ + 1];
            if (c == 'x' || c == 'X')
                radix = 16, pos_ += 2;
            else if (c == 'b' || c == 'B')
                radix = 2, pos_ += 2;
            else if (c == 'r' || c == 'R') {
                pos_ += 2;
                radix = 0;
                while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
                    radix = std::min(radix * 10 + (s_[pos_++] - '0'), 1000);
                if (pos_ >= s_.size() || s_[pos_] != ':' || radix < 1 || radix > 36) {
                    fail("bad expression");
                    return 0;
                }
                ++pos_;
            } else
                radix = 8, ++pos_;
        }
        uint32_t v = 0;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            int d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (c >= 'a' && c <= 'z')
                d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'Z')
                d = c - 'A' + 10;
            else
                break;
            if (radix == 1 ? d != 1 : d >= radix) break;
            v = radix == 1 ? v + 1 : v * static_cast<uint32_t>(radix) + static_cast<uint32_t>(d);
            ++pos_;
        }
        return wrap(v);
    }
};

} // namespace

std::optional<int32_t> eval_expression(std::string_view expr, std::string& error) {
    return EvalParser(expr).run(error);
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

std::optional<std::string> translate_regex(std::string_view gnu) {
    std::string out;
    for (size_t i = 0; i < gnu.size(); ++i) {
        const char c = gnu[i];
        if (c == '\\') {
            if (i + 1 >= gnu.size()) return std::nullopt; // trailing backslash
            const char n = gnu[++i];
            switch (n) {
            case '(':
                out += '(';
                break;
            case ')':
                out += ')';
                break;
            case '|':
                out += '|';
                break;
            case '{':
                out += '{';
                break;
            case '}':
                out += '}';
                break;
            case '`':
                out += "^";
                break;
            case '\'':
                out += "$";
                break;
            case '<':
            case '>':
                out += "\\b";
                break;
            case 'w':
            case 'W':
            case 'b':
            case 'B':
                out += '\\';
                out += n;
                break;
            default:
                if (n >= '1' && n <= '9') {
                    out += '\\';
                    out += n;
                } else if (std::isalnum(static_cast<unsigned char>(n))) {
                    out += n;
                } else {
                    out += '\\';
                    out += n;
                }
            }
        } else if (c == '(' || c == ')' || c == '|' || c == '{' || c == '}') {
            out += '\\';
            out += c;
        } else if (c == '[') {
            // Bracket expression: copied up to its closing ], a backslash inside is literal.
            size_t j = i + 1;
            out += '[';
            if (j < gnu.size() && gnu[j] == '^') out += '^', ++j;
            if (j < gnu.size() && gnu[j] == ']') out += "\\]", ++j;
            for (; j < gnu.size() && gnu[j] != ']'; ++j) {
                if (gnu[j] == '[' && j + 1 < gnu.size() &&
                    (gnu[j + 1] == ':' || gnu[j + 1] == '.' || gnu[j + 1] == '=')) {
                    const size_t close = gnu.find(std::string{gnu[j + 1], ']'}, j + 2);
                    if (close == std::string_view::npos) return std::nullopt;
                    out.append(gnu.substr(j, close + 2 - j));
                    j = close + 1;
                    continue;
                }
                if (gnu[j] == '\\')
                    out += "\\\\";
                else
                    out += gnu[j];
            }
            if (j >= gnu.size()) return std::nullopt;
            out += ']';
            i = j;
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<RegexMatch> regex_search_at(const std::regex& re, std::string_view text,
                                          size_t start) {
    std::cmatch m;
    const auto flags =
        start == 0 ? std::regex_constants::match_default : std::regex_constants::match_prev_avail;
    if (!std::regex_search(text.data() + start, text.data() + text.size(), m, re, flags))
        return std::nullopt;
    RegexMatch out;
    for (size_t g = 0; g < m.size() && g < 10; ++g) {
        if (m[g].matched)
            out.groups.emplace_back(m[g].first - text.data(), m[g].second - text.data());
        else
            out.groups.emplace_back(-1, -1);
    }
    return out;
}

std::string substitute(std::string_view repl, std::string_view text, const RegexMatch& m) {
    std::string out;
    for (size_t i = 0; i < repl.size(); ++i) {
        if (repl[i] != '\\' || i + 1 >= repl.size()) {
            out += repl[i];
            continue;
        }
        const char n = repl[++i];
        if (n == '&' || (n >= '0' && n <= '9')) {
            const size_t g = n == '&' ? 0 : static_cast<size_t>(n - '0');
            if (g < m.groups.size() && m.groups[g].first >= 0)
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
    return v;
}

std::string format_builtin(std::string_view fmt, const std::vector<std::string>& args) {
    std::string out;
    size_t next_arg = 0;
    auto take = [&]() -> std::string {
        return next_arg < args.size() ? args[next_arg++] : std::string();
    };
    auto take_int = [&]() -> long { return std::strtol(take().c_str(), nullptr, 10); };
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') {
            out += fmt[i];
            continue;
        }
        if (++i >= fmt.size()) break;
        if (fmt[i] == '%') {
            out += '%';
            continue;
        }
        std::string spec = "%";
        while (i < fmt.size() && std::strchr("-+ #0", fmt[i]) != nullptr)
            spec += fmt[i++];
        if (i < fmt.size() && fmt[i] == '*') {
            spec += std::to_string(std::clamp(take_int(), -10000L, 10000L));
            ++i;
        } else {
            while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
                spec += fmt[i++];
        }
        if (i < fmt.size() && fmt[i] == '.') {
            spec += fmt[i++];
            if (i < fmt.size() && fmt[i] == '*') {
                spec += std::to_string(std::clamp(take_int(), -1L, 10000L));
                ++i;
            } else {
                while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
                    spec += fmt[i++];
            }
        }
        while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l'))
            ++i;
        if (i >= fmt.size()) break;
        const char conv = fmt[i];
        std::vector<char> buf(64);
        auto print = [&](auto value) {
            for (;;) {
                const int n = std::snprintf(buf.data(), buf.size(), spec.c_str(), value);
                if (n < 0) return;
                if (static_cast<size_t>(n) < buf.size()) {
                    out.append(buf.data(), static_cast<size_t>(n));
                    return;
                }
                buf.resize(static_cast<size_t>(n) + 1);
            }
        };
        switch (conv) {
        case 'c':
            spec += 'c';
            print(static_cast<int>(static_cast<unsigned char>(take_int())));
            break;
        case 's': {
            spec += 's';
            const std::string s = take();
            print(s.c_str());
            break;
        }
        case 'd':
        case 'i':
            spec += 'd';
            print(static_cast<int>(take_int()));
            break;
        case 'o':
        case 'x':
        case 'X':
        case 'u':
            spec += conv;
            print(static_cast<unsigned>(take_int()));
            break;
        case 'a':
        case 'A':
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
            spec += conv;
            print(std::strtod(take().c_str(), nullptr));
            break;
        default:
            break; // GNU m4 warns and drops an unrecognised specifier, then goes on
        }
    }
    return out;
}

} // namespace smaudit::m4
