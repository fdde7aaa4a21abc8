// sendmail.cf parser: the actions of grammar/cf/cf.hpp. It reads a file the way sendmail's
// readcf() does (see src/ast/cf.hpp for what "as sendmail reads it" means), keeping for every
// byte of a logical line the raw offset it came from, so each AST span points at real bytes.
#include "parse/cf_parser.hpp"

#include "grammar/cf/cf.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>

namespace smaudit {

namespace {

namespace g = grammar::cf;
namespace pegtl = tao::pegtl;

// Every code up to SM-E012 is an error sendmail's readcf reports, after which sendmail refuses to
// start (checked with sendmail 8.17 on each message's line:
// tests/scripts/cf_errors_stop_sendmail.sh); those codes are high. SM-E013..SM-E015 are lines
// sendmail reads without an error, but not as they look.
constexpr std::array<SyntaxCode, 15> kSyntaxRules{{
    {"SM-E001", "unknown-line-type", Severity::High,
     "A line whose first character is no .cf line type: sendmail refuses the file", true},
    {"SM-E002", "malformed-option", Severity::High,
     "An O line without an option name, or with a blank inside the name: sendmail refuses the "
     "file",
     true},
    {"SM-E003", "malformed-rule", Severity::High,
     "An R line without a TAB between pattern and replacement, or with an empty side: sendmail "
     "refuses the file",
     true},
    {"SM-E004", "malformed-field-definition", Severity::High,
     "An M, Q or X line with a missing name, a field without `=`, an unknown field or a "
     "missing required field: sendmail refuses the file",
     true},
    {"SM-E005", "malformed-macro-definition", Severity::High,
     "A D line with a missing, unbalanced or invalid macro name: sendmail refuses the file", true},
    {"SM-E006", "malformed-class-definition", Severity::High,
     "A C or F line with a bad class name, or an F line without a usable file name: sendmail "
     "refuses the file",
     true},
    {"SM-E007", "malformed-header-definition", Severity::High,
     "An H line without a field name and colon, or with a bad ?condition?: sendmail refuses the "
     "file",
     true},
    {"SM-E008", "malformed-map-definition", Severity::High,
     "A K line without a map name or type, or with a type no sendmail has: sendmail refuses the "
     "file",
     true},
    {"SM-E009", "malformed-ruleset-declaration", Severity::High,
     "An S line with an invalid ruleset name or number: sendmail refuses the file", true},
    {"SM-E010", "rule-outside-ruleset", Severity::High,
     "An R line before any valid S line: sendmail refuses the file", true},
    {"SM-E011", "malformed-version-line", Severity::High,
     "A V line without a level number, or with a vendor code stock sendmail does not know: "
     "sendmail refuses the file",
     true},
    {"SM-E012", "malformed-precedence", Severity::High,
     "A P line without `=`: sendmail refuses the file", true},
    {"SM-E013", "nul-byte-in-line", Severity::Medium,
     "A NUL byte: sendmail reads the line only up to it, without a warning"},
    {"SM-E014", "carriage-return-without-line-feed", Severity::High,
     "A CR not followed by LF: sendmail does not end the line there, the text after it joins "
     "the line"},
    {"SM-E015", "map-definition-separator", Severity::Low,
     "A K line whose map name or type is followed by a character other than a blank, which "
     "sendmail skips"},
}};

const SyntaxCode& rule_for(std::string_view code) {
    for (const auto& r : kSyntaxRules)
        if (r.id == code) return r;
    return kSyntaxRules[0];
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The map types (classes) of sendmail 8.17 under any compile options (conf.c setupmaps(); `hash`
// and `btree` need NEWDB, `ldap` LDAPMAP, `socket` SOCKETMAP, ...). sendmail looks the type up
// without regard to case and refuses a K line whose type it does not have.
bool is_map_type(std::string_view type) {
    static constexpr std::string_view kTypes[] = {
        "arith",   "arpa",    "bestmx", "btree",  "cdb",      "dbm",     "dequote", "dns",
        "dprintf", "hash",    "hesiod", "host",   "implicit", "ldap",    "macro",   "netinfo",
        "nis",     "nisplus", "nsd",    "null",   "ph",       "program", "regex",   "sequence",
        "socket",  "stab",    "switch", "syslog", "text",     "user",    "userdb"};
    return std::any_of(std::begin(kTypes), std::end(kTypes), [&](std::string_view known) {
        return known.size() == type.size() &&
               std::equal(known.begin(), known.end(), type.begin(),
                          [](char a, char b) { return a == (b | 0x20); });
    });
}

// A problem found on a logical line, in logical-text offsets.
struct LineError {
    const char* code;
    std::string message;
    uint32_t begin;
    uint32_t end;
    Severity severity = Severity::Info; // Info: the code's default
};

// A [b, e) range of the logical text matched by a grammar rule.
struct Piece {
    uint32_t b = 0;
    uint32_t e = 0;
    bool set = false;
};

struct FieldPieces {
    Piece key;
    Piece value;
};

// What the statement grammar matched on one logical line; the AST node is built from it.
struct Captures {
    const char* base = nullptr;
    uint32_t size = 0;
    Piece name, value, type, cond, level, vendor, lhs, rhs, comment, number, letter, sep1, sep2;
    bool equals = false;
    bool optional = false;
    bool long_option = false;
    std::optional<LineError> error; // the first error point the grammar reached
    std::vector<Piece> words;
    std::vector<FieldPieces> fields;

    void reset(const std::string& text) {
        base = text.data();
        size = static_cast<uint32_t>(text.size());
        name = value = type = cond = level = vendor = lhs = rhs = comment = number = letter = sep1 =
            sep2 = Piece{};
        equals = optional = long_option = false;
        error.reset();
        words.clear();
        fields.clear();
    }
    template <typename ActionInput> Piece piece(const ActionInput& in) const {
        auto b = static_cast<uint32_t>(in.begin() - base);
        return {b, b + static_cast<uint32_t>(in.size()), true};
    }
};

// Statement actions: record where each part is.
template <typename Rule> struct action : pegtl::nothing<Rule> {};

#define SMAUDIT_CF_CAPTURE(rule, member)                                                           \
    template <> struct action<g::rule> {                                                           \
        template <typename ActionInput> static void apply(const ActionInput& in, Captures& c) {    \
            c.member = c.piece(in);                                                                \
        }                                                                                          \
    }
SMAUDIT_CF_CAPTURE(macro_name, name);
SMAUDIT_CF_CAPTURE(macro_value, value);
SMAUDIT_CF_CAPTURE(file_class_spec, value);
SMAUDIT_CF_CAPTURE(option_long_name, name);
SMAUDIT_CF_CAPTURE(option_letter, letter);
SMAUDIT_CF_CAPTURE(option_value, value);
SMAUDIT_CF_CAPTURE(header_condition, cond);
SMAUDIT_CF_CAPTURE(header_name_chars, name);
SMAUDIT_CF_CAPTURE(header_value, value);
SMAUDIT_CF_CAPTURE(map_name, name);
SMAUDIT_CF_CAPTURE(map_type, type);
SMAUDIT_CF_CAPTURE(map_spec, value);
SMAUDIT_CF_CAPTURE(field_list_name, name);
SMAUDIT_CF_CAPTURE(ruleset_number, number);
SMAUDIT_CF_CAPTURE(ruleset_name, name);
SMAUDIT_CF_CAPTURE(rule_lhs, lhs);
SMAUDIT_CF_CAPTURE(rule_rhs, rhs);
SMAUDIT_CF_CAPTURE(rule_comment, comment);
SMAUDIT_CF_CAPTURE(precedence_name, name);
SMAUDIT_CF_CAPTURE(precedence_value, value);
SMAUDIT_CF_CAPTURE(version_level, level);
SMAUDIT_CF_CAPTURE(version_vendor, vendor);
SMAUDIT_CF_CAPTURE(env_name, name);
SMAUDIT_CF_CAPTURE(env_value, value);
#undef SMAUDIT_CF_CAPTURE

template <> struct action<g::option_long> {
    template <typename ActionInput> static void apply(const ActionInput&, Captures& c) {
        c.long_option = true;
    }
};
template <> struct action<g::option_equals> {
    template <typename ActionInput> static void apply(const ActionInput&, Captures& c) {
        c.equals = true;
    }
};
template <> struct action<g::file_class_optional> {
    template <typename ActionInput> static void apply(const ActionInput& in, Captures& c) {
        c.optional = true;
        c.type = c.piece(in); // F lines have no type: the `-o` word is kept here
    }
};
template <> struct action<g::class_word> {
    template <typename ActionInput> static void apply(const ActionInput& in, Captures& c) {
        c.words.push_back(c.piece(in));
    }
};
template <> struct action<g::trusted_user> : action<g::class_word> {};
template <> struct action<g::map_separator> {
    template <typename ActionInput> static void apply(const ActionInput& in, Captures& c) {
        (c.sep1.set ? c.sep2 : c.sep1) = c.piece(in);
    }
};
template <> struct action<g::field_key> {
    template <typename ActionInput> static void apply(const ActionInput& in, Captures& c) {
        c.fields.push_back({c.piece(in), {}});
    }
};
template <> struct action<g::field_value> {
    template <typename ActionInput> static void apply(const ActionInput& in, Captures& c) {
        c.fields.back().value = c.piece(in);
    }
};

// Error points of the grammar become a LineError at the place they were reached.
template <typename Rule> struct control : pegtl::normal<Rule> {
    template <typename ParseInput, typename... States>
    static void error_point(const ParseInput& in, Captures& c, States&&...) {
        constexpr const g::ErrorInfo& info = g::error<Rule>;
        static_assert(info.code != nullptr, "every error point needs an entry in g::error");
        if (c.error) return; // the first error of the line is the one sendmail meets
        auto at = static_cast<uint32_t>(in.current() - c.base);
        uint32_t b = at, e = at;
        switch (info.extent) {
        case g::Extent::Char:
            e = std::min(at + 1, c.size);
            break;
        case g::Extent::Word:
            while (e < c.size && !is_space(c.base[e]))
                ++e;
            break;
        case g::Extent::ToEnd:
            e = c.size;
            break;
        case g::Extent::Body:
            b = std::min<uint32_t>(1, c.size);
            e = c.size;
            break;
        case g::Extent::Line:
            b = 0;
            e = c.size;
            break;
        case g::Extent::FieldToEnd:
            if (!c.fields.empty()) b = c.fields.back().key.b;
            // a trailing comma: point at it rather than at the empty end of the line
            while (b == c.size && b > 0 && c.base[b - 1] == ',')
                --b;
            e = c.size;
            break;
        }
        c.error = LineError{info.code, info.message, b, e};
    }
};

// Physical layer action: hands each logical line to the parser.
class CfParser;
template <typename Rule> struct line_action : pegtl::nothing<Rule> {};

// sendmail's munchstring(): quotes toggle quoting and vanish, a backslash escapes the next byte
// (\n \r \f \b become control characters).
std::string munch(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool backslash = false;
    for (char c : s) {
        if (backslash) {
            backslash = false;
            switch (c) {
            case 'r':
                out += '\r';
                continue;
            case 'n':
                out += '\n';
                continue;
            case 'f':
                out += '\f';
                continue;
            case 'b':
                out += '\b';
                continue;
            default:
                out += c;
                continue;
            }
        }
        if (c == '\\')
            backslash = true;
        else if (c != '"')
            out += c;
    }
    return out;
}

// Field letters each definition accepts (makemailer, makequeue, milter_setup; checked with -bt).
constexpr std::string_view kMailerFields = "ACDEFLMNPQRSTUWmr/";
constexpr std::string_view kQueueFields = "FIJNPRr";
constexpr std::string_view kMilterFields = "FST";
constexpr uint32_t kMaxMacroName = 25; // MAXMACNAMELEN
constexpr long kMaxRuleset = 99;       // MAXRWSETS / 2 - 1

class CfParser {
  public:
    CfParser(const SourceFile& source, FileId file, std::vector<Diagnostic>& diagnostics)
        : raw_(source.text()), file_(file), diagnostics_(diagnostics) {
        result_.file = file;
    }

    ast::CfFile run() {
        pegtl::memory_input<pegtl::tracking_mode::lazy> in(raw_.data(), raw_.size(), "");
        pegtl::parse<g::file, line_action>(in, *this);
        diagnostics_.finish();
        return std::move(result_);
    }

    const char* base() const { return raw_.data(); }

    // [rb, re): a logical line's raw bytes, without the final LF.
    void logical_line(uint32_t rb, uint32_t re) {
        uint32_t span_end = re;
        if (span_end > rb && raw_[span_end - 1] == '\r' && span_end < raw_.size()) --span_end;
        stmt_ = Span{rb, span_end};
        text_.clear();
        map_.clear();
        for (uint32_t i = rb; i < re; ++i) {
            // fgetfolded(): CR LF reads as LF; a lone CR is kept.
            if (raw_[i] == '\r' && i + 1 < raw_.size() && raw_[i + 1] == '\n') continue;
            text_.push_back(raw_[i]);
            map_.push_back(i);
        }
        if (text_.empty()) return; // empty line
        // A CR that no LF follows does not end the line (old Mac line endings make the whole
        // file one line); the text after it, even a whole statement, belongs to this line.
        std::optional<LineError> problem;
        size_t end = text_[0] == '#' ? text_.size() : std::min(text_.find('\0'), text_.size());
        size_t cr = text_.find('\r');
        // blanks after the CR are stripped with the line's trailing blanks: harmless
        if (cr < end && std::any_of(text_.begin() + static_cast<long>(cr) + 1,
                                    text_.begin() + static_cast<long>(end),
                                    [](char c) { return !is_space(c); }))
            problem = LineError{"SM-E014",
                                "CR without LF: sendmail does not end the line here, so the text "
                                "after it is part of this line",
                                map_[cr], map_[cr] + 1};
        if (text_[0] == '#') {
            result_.statements.emplace_back(ast::CfComment{stmt_, text_.substr(1)});
            if (problem) report_raw(*problem);
            return;
        }
        if (end < text_.size()) {
            if (!problem)
                problem = LineError{"SM-E013",
                                    "NUL byte: sendmail reads the line only up to here and "
                                    "ignores the rest",
                                    map_[end], stmt_.end};
            text_.resize(end);
            map_.resize(end);
        }
        translate();
        if (problem) {
            report_raw(*problem);
            // One diagnostic per line: the first problem explains the rest.
            quiet_ = true;
            if (!text_.empty()) statement();
            quiet_ = false;
            return;
        }
        if (text_.empty()) return;
        pending_.reset();
        statement();
        if (pending_) report(*pending_);
    }

  private:
    // readcf()'s translate_dollars(): inline comments (V3 and later) and trailing blanks.
    void translate() {
        out_.clear();
        omap_.clear();
        const size_t n = text_.size();
        for (size_t i = 0; i < n;) {
            char c = text_[i];
            if (c == '#' && !out_.empty() && config_level_ >= 3) {
                if (out_.back() == '\\') {
                    // \# is a literal '#'
                    out_.back() = '#';
                    omap_.back() = map_[i];
                    ++i;
                    continue;
                }
                while (out_.size() > 1 && is_space(out_.back()) && out_.back() != '\n') {
                    out_.pop_back();
                    omap_.pop_back();
                }
                size_t lf = text_.find('\n', i);
                i = lf == std::string::npos ? n : lf;
                continue;
            }
            if (c == '$' && i + 1 < n) {
                // $x, $=x, ${name}: the macro name is never a comment start ($# is an operator).
                push(i++);
                if (text_[i] == '$') {
                    push(i++); // $$ is a literal dollar: what follows it is ordinary text
                    continue;
                }
                if (std::strchr("=~&?", text_[i]) != nullptr) push(i++);
                if (i < n && text_[i] == '{') {
                    while (i < n && text_[i] != '}')
                        push(i++);
                    if (i < n) push(i++);
                } else if (i < n) {
                    push(i++);
                }
                continue;
            }
            push(i++);
        }
        while (out_.size() > 1 && is_space(out_.back())) {
            out_.pop_back();
            omap_.pop_back();
        }
        text_.swap(out_);
        map_.swap(omap_);
    }
    void push(size_t i) {
        out_.push_back(text_[i]);
        omap_.push_back(map_[i]);
    }

    // Raw span of the logical range [b, e).
    Span span(uint32_t b, uint32_t e) const {
        if (b < e) return Span{map_[b], map_[e - 1] + 1};
        uint32_t at = b < map_.size() ? map_[b] : (map_.empty() ? stmt_.begin : map_.back() + 1);
        return Span{at, at};
    }
    Span span(Piece p) const { return span(p.b, p.e); }
    std::string str(Piece p) const { return text_.substr(p.b, p.e - p.b); }
    std::string str(uint32_t b, uint32_t e) const { return text_.substr(b, e - b); }

    void report(const LineError& error) {
        if (quiet_) return;
        LineError raw = error;
        Span s = span(error.begin, error.end);
        raw.begin = s.begin;
        raw.end = s.end;
        report_raw(raw);
    }
    void report_raw(const LineError& error) {
        const SyntaxCode& rule = rule_for(error.code);
        Diagnostic d = make_syntax_diagnostic(rule, Location{file_, Span{error.begin, error.end}},
                                              error.message);
        if (error.severity != Severity::Info) d.severity = error.severity;
        diagnostics_.add(std::move(d));
    }
    // Records the line's error; the caller returns without adding a statement. (No exceptions:
    // unwinding would cost microseconds per bad line.)
    void fail(const char* code, std::string message, uint32_t b, uint32_t e,
              Severity severity = Severity::Info) {
        if (!pending_) pending_ = LineError{code, std::move(message), b, e, severity};
    }

    void statement() {
        const char letter = text_[0];
        if (stmt_.begin == 0 && text_.starts_with("\xEF\xBB\xBF"))
            return fail(
                "SM-E001",
                "UTF-8 byte order mark before the first line: sendmail reads it as part of the "
                "line, which is then an unknown configuration line",
                0, 3);
        if (is_space(letter))
            return fail("SM-E001",
                        "line starts with a blank but continues nothing (it is the first line, or "
                        "follows an empty line): sendmail reports an unknown configuration line",
                        0, static_cast<uint32_t>(text_.size()));
        if (letter == 'R' && !in_ruleset_)
            return fail("SM-E010", "rule outside a ruleset: no valid S line comes before it", 0,
                        static_cast<uint32_t>(text_.size()));
        if (letter == 'S') in_ruleset_ = false; // an invalid S line ends the previous ruleset too
        caps_.reset(text_);
        pegtl::memory_input<pegtl::tracking_mode::lazy> in(text_.data(), text_.size(), "");
        if (!pegtl::parse<g::statement, action, control>(in, caps_) || caps_.error) {
            LineError& error = *caps_.error;
            // The name grammar is shared by D, C and F lines; a class name error is SM-E006.
            if ((letter == 'C' || letter == 'F') && std::strcmp(error.code, "SM-E005") == 0)
                error.code = "SM-E006";
            if (std::strcmp(error.code, "SM-E001") == 0)
                error.message = "unknown configuration line: no line type starts with `" +
                                printable(letter) + "`";
            pending_ = std::move(error);
            return;
        }
        switch (letter) {
        case 'R':
            rule();
            break;
        case 'S':
            ruleset();
            break;
        case 'O':
            option();
            break;
        case 'D':
            macro();
            break;
        case 'C':
            word_class();
            break;
        case 'F':
            file_class();
            break;
        case 'H':
            header();
            break;
        case 'K':
            map();
            break;
        case 'M':
            fields<ast::CfMailer>(kMailerFields, "mailer");
            break;
        case 'Q':
            fields<ast::CfQueueGroup>(kQueueFields, "queue group");
            break;
        case 'X':
            fields<ast::CfMilter>(kMilterFields, "milter");
            break;
        case 'P':
            precedence();
            break;
        case 'V':
            version();
            break;
        case 'E':
            env();
            break;
        case 'T':
            trusted();
            break;
        default:
            break;
        }
    }

    static std::string printable(char c) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x21 && u < 0x7f) return std::string(1, c);
        static const char* hex = "0123456789abcdef";
        return std::string("\\x") + hex[u >> 4] + hex[u & 15];
    }
    static bool blank_only(std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
    }

    // Macro/class name: "{name}" -> "name"; the span is the raw name with braces.
    bool macro_name(const char* code, std::string& name, Span& name_span) {
        Piece p = caps_.name;
        name_span = span(p);
        if (text_[p.b] != '{') {
            name = str(p);
            return true;
        }
        uint32_t length = p.e - p.b - 2;
        if (length > kMaxMacroName) {
            fail(code,
                 "macro or class name longer than " + std::to_string(kMaxMacroName) + " characters",
                 p.b, p.e);
            return false;
        }
        name = str(p.b + 1, p.e - 1);
        return true;
    }

    void rule() {
        if (blank_only(str(caps_.lhs)))
            return fail("SM-E003", "rule with a blank pattern (LHS)", caps_.lhs.b, caps_.lhs.e);
        if (blank_only(str(caps_.rhs)))
            return fail("SM-E003", "rule with a blank replacement (RHS)", caps_.rhs.b, caps_.rhs.e);
        ast::CfRule r;
        r.span = stmt_;
        r.lhs = str(caps_.lhs);
        r.lhs_span = span(caps_.lhs);
        r.rhs = str(caps_.rhs);
        r.rhs_span = span(caps_.rhs);
        if (caps_.comment.set) {
            r.comment = str(caps_.comment);
            r.comment_span = span(caps_.comment);
        } else {
            r.comment_span = span(caps_.rhs.e, caps_.rhs.e);
        }
        result_.statements.emplace_back(std::move(r));
    }

    void ruleset() {
        ast::CfRuleset r;
        r.span = stmt_;
        if (caps_.number.set) {
            std::string digits = str(caps_.number);
            long n = 0;
            for (char c : digits)
                n = std::min<long>(n * 10 + (c - '0'), 1000000);
            if (n > kMaxRuleset)
                return fail("SM-E009",
                            "ruleset number " + digits + " out of range: sendmail allows 0 to " +
                                std::to_string(kMaxRuleset),
                            caps_.number.b, caps_.number.e);
            r.number = static_cast<int>(n);
        }
        if (caps_.name.set) {
            r.name = str(caps_.name);
            r.name_span = span(caps_.name);
        } else {
            r.name = str(caps_.number);
            r.name_span = span(caps_.number);
        }
        in_ruleset_ = true;
        result_.statements.emplace_back(std::move(r));
    }

    void option() {
        ast::CfOption o;
        o.span = stmt_;
        if (caps_.long_option) {
            Piece name = caps_.name;
            while (name.e > name.b && text_[name.e - 1] == ' ')
                --name.e;
            if (name.e == name.b)
                return fail("SM-E002", "option line without an option name before `=`", name.b,
                            caps_.name.e);
            for (uint32_t i = name.b; i < name.e; ++i)
                if (is_space(text_[i]))
                    return fail(
                        "SM-E002",
                        "blank inside the option name: only single spaces around `=` are "
                        "ignored, so sendmail looks up a name with the blank and rejects it",
                        i, i + 1);
            o.name = str(name);
            o.name_span = span(name);
            o.has_value = caps_.equals;
        } else {
            // Whether the letter names an option is the model's question (SM-E050), as for
            // long names: the parser only reads the line.
            o.legacy = true;
            o.name = str(caps_.letter);
            o.name_span = span(caps_.letter);
            o.has_value = caps_.value.e > caps_.value.b;
        }
        if (caps_.value.set) {
            o.value = str(caps_.value);
            o.value_span = span(caps_.value);
        } else {
            o.value_span =
                span(static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(text_.size()));
        }
        result_.statements.emplace_back(std::move(o));
    }

    void macro() {
        ast::CfMacroDef m;
        m.span = stmt_;
        if (!macro_name("SM-E005", m.name, m.name_span)) return;
        m.value = munch(str(caps_.value));
        m.value_span = span(caps_.value);
        result_.statements.emplace_back(std::move(m));
    }

    void word_class() {
        ast::CfClass c;
        c.span = stmt_;
        if (!macro_name("SM-E006", c.name, c.name_span)) return;
        for (Piece w : caps_.words)
            c.words.push_back({str(w), span(w)});
        result_.statements.emplace_back(std::move(c));
    }

    void trusted() {
        ast::CfTrustedUsers t;
        t.span = stmt_;
        for (Piece w : caps_.words)
            t.users.push_back({str(w), span(w)});
        result_.statements.emplace_back(std::move(t));
    }

    void file_class() {
        ast::CfClass c;
        c.span = stmt_;
        if (!macro_name("SM-E006", c.name, c.name_span)) return;
        c.from_file = true;
        c.optional = caps_.optional;
        Piece spec = caps_.value;
        std::string_view s(text_.data() + spec.b, spec.e - spec.b);
        // `key@map:spec` or `@LDAP` (readcf.c): the whole spec goes to the map.
        if (!s.empty() && s[0] != '/' && s[0] != '|') {
            if (auto at = s.find('@'); at != std::string_view::npos) {
                std::string_view after = s.substr(at + 1);
                if (after == "LDAP" || (!after.empty() && after[0] != ':' &&
                                        after.find(':') != std::string_view::npos)) {
                    c.map = true;
                    c.path = std::string(s);
                    c.path_span = span(spec);
                    result_.statements.emplace_back(std::move(c));
                    return;
                }
            }
        }
        // extrquotstr(): the file name ends at an unquoted space; `\ ` is a space.
        std::string path;
        bool quoted = false, backslash = false;
        uint32_t i = spec.b;
        for (; i < spec.e; ++i) {
            char ch = text_[i];
            if (backslash) {
                backslash = false;
                if (ch != ' ') path += '\\';
            }
            if (ch == '\\')
                backslash = true;
            else if (ch == '"')
                quoted = !quoted;
            else if (quoted || ch != ' ')
                path += ch;
            else
                break;
        }
        if (quoted || backslash)
            return fail("SM-E006",
                        quoted ? "unbalanced `\"` in the file name of a file class"
                               : "file name of a file class ends with a backslash",
                        spec.b, i);
        if (path.empty()) {
            if (!caps_.optional)
                return fail("SM-E006", "file class without a file name", spec.b, spec.e);
            // `-o/etc/mail/x`: sendmail skips the whole word as the option and finds no file
            Piece word = caps_.type;
            while (word.e > word.b && is_space(text_[word.e - 1]))
                --word.e;
            if (word.e - word.b == 2)
                return fail("SM-E006", "file class without a file name after `-o`", word.b, word.e);
            return fail("SM-E006",
                        "file class without a file name: sendmail takes the whole word for the "
                        "`-o` flag (a blank must follow `-o`)",
                        word.b, word.e);
        }
        c.path = path;
        c.path_span = span(spec.b, i);
        c.program = path[0] == '|';
        if (!c.program) {
            uint32_t p = i;
            while (p < spec.e && is_space(text_[p]))
                ++p;
            c.pattern = str(p, spec.e);
            c.pattern_span = span(p, spec.e);
        } else {
            c.pattern_span = span(spec.e, spec.e);
        }
        result_.statements.emplace_back(std::move(c));
    }

    void header() {
        ast::CfHeader h;
        h.span = stmt_;
        if (caps_.cond.set) {
            std::string cond = str(caps_.cond);
            // `?$x?` and `?${name}?` test a macro; anything else after `$` is an error.
            if (!cond.empty() && cond[0] == '$') {
                bool ok = (cond.size() == 2 && cond[1] != '{') ||
                          (cond.size() > 3 && cond[1] == '{' && cond.back() == '}');
                if (!ok)
                    return fail("SM-E007",
                                "header condition `?" + cond +
                                    "?`: after `$` sendmail wants one macro, `$x` or `${name}`",
                                caps_.cond.b, caps_.cond.e);
            }
            h.condition = cond;
            h.condition_span = span(caps_.cond);
        }
        h.name = str(caps_.name);
        h.name_span = span(caps_.name);
        h.value = str(caps_.value);
        h.value_span = span(caps_.value);
        result_.statements.emplace_back(std::move(h));
    }

    void map() {
        std::string name = str(caps_.name), type = str(caps_.type);
        // makemapentry() ends the name and the type at the first character that cannot be part
        // of them and skips that character, whatever it is: `Kmy-map hash /x` defines map "my"
        // of type "map". The first such character that is not a blank, if any:
        std::optional<Piece> odd;
        for (Piece sep : {caps_.sep1, caps_.sep2})
            if (!odd && sep.set && sep.e > sep.b && !is_space(text_[sep.b])) odd = sep;
        std::string read_as;
        if (odd) {
            const char* part = odd->b == caps_.sep1.b ? "name" : "type";
            read_as = "`" + printable(text_[odd->b]) + "` right after the map " + part +
                      ": sendmail ends the " + part +
                      " there and skips the character, so it reads map `" + name + "` of type `" +
                      type + "`";
        }
        if (!is_map_type(type)) {
            Piece at = odd ? *odd : caps_.type;
            return fail("SM-E008",
                        odd ? read_as + ", a type no sendmail has"
                            : "map type `" + type +
                                  "` exists in no sendmail (hash, btree, cdb, text, dns, ldap, "
                                  "regex, sequence, ...)",
                        at.b, at.e);
        }
        ast::CfMap m;
        m.span = stmt_;
        m.name = name;
        m.name_span = span(caps_.name);
        m.type = type;
        m.type_span = span(caps_.type);
        m.spec = str(caps_.value);
        m.spec_span = span(caps_.value);
        for (uint32_t i = caps_.value.b; i < caps_.value.e;) {
            while (i < caps_.value.e && is_space(text_[i]))
                ++i;
            uint32_t b = i;
            while (i < caps_.value.e && !is_space(text_[i]))
                ++i;
            if (i > b) m.args.push_back({str(b, i), span(b, i)});
        }
        if (odd)
            report(LineError{"SM-E015",
                             read_as +
                                 (m.spec.empty() ? "" : " with the arguments `" + m.spec + "`") +
                                 "; separate the parts with blanks",
                             odd->b, odd->e});
        result_.statements.emplace_back(std::move(m));
    }

    template <typename Node> void fields(std::string_view letters, const char* what) {
        Node node;
        node.span = stmt_;
        node.name = str(caps_.name);
        node.name_span = span(caps_.name);
        bool has_path = false, has_argv = false, has_socket = false;
        for (const FieldPieces& f : caps_.fields) {
            Piece key = f.key;
            while (key.e > key.b && is_space(text_[key.e - 1]))
                --key.e;
            char letter = key.e > key.b ? text_[key.b] : '\0';
            if (letter == '\0' || letters.find(letter) == std::string_view::npos)
                return fail("SM-E004",
                            letter == '\0'
                                ? std::string("field without a name before `=`")
                                : std::string("unknown ") + what + " field `" + printable(letter) +
                                      "=`; known: " + std::string(letters),
                            f.key.b, std::max(f.key.b + 1, key.e));
            ast::CfField field;
            field.key = str(key);
            field.letter = letter;
            field.value = munch(str(f.value));
            field.value_span = span(f.value);
            field.span = span(f.key.b, f.value.e);
            // makemailer() rejects these when empty.
            if (letters == kMailerFields && field.value.empty() &&
                std::string_view("EDCQ/").find(letter) != std::string_view::npos)
                return fail("SM-E004",
                            std::string("mailer field `") + letter + "=` must not be empty",
                            f.key.b, f.value.e);
            has_path = has_path || (letter == 'P' && !field.value.empty());
            has_argv = has_argv || (letter == 'A' && !field.value.empty());
            has_socket = has_socket || (letter == 'S' && !field.value.empty());
            node.fields.push_back(std::move(field));
        }
        // makemailer() and milter_setup() reject definitions without these.
        if (letters == kMailerFields && (!has_path || !has_argv))
            return fail("SM-E004",
                        std::string("mailer without ") +
                            (!has_argv ? "an argument list `A=`" : "a path `P=`"),
                        caps_.name.b, caps_.name.e);
        if (letters == kMilterFields && !has_socket)
            return fail("SM-E004", "milter without a socket `S=`", caps_.name.b, caps_.name.e);
        result_.statements.emplace_back(std::move(node));
    }

    void precedence() {
        ast::CfPrecedence p;
        p.span = stmt_;
        p.name = str(caps_.name);
        p.name_span = span(caps_.name);
        p.value = str(caps_.value);
        p.value_span = span(caps_.value);
        result_.statements.emplace_back(std::move(p));
    }

    void version() {
        ast::CfVersion v;
        v.span = stmt_;
        v.level = str(caps_.level);
        v.level_span = span(caps_.level);
        long level = 0;
        for (char c : v.level)
            level = std::min<long>(level * 10 + (c - '0'), 1000000);
        // Takes effect for the lines after this one (inline comments from V3 on).
        config_level_ = level;
        if (caps_.vendor.set) {
            v.vendor = str(caps_.vendor);
            v.vendor_span = span(caps_.vendor);
        } else {
            v.vendor_span = span(caps_.level.e, caps_.level.e);
        }
        std::string lower = v.vendor;
        for (char& c : lower)
            c = static_cast<char>(c | 0x20);
        result_.statements.emplace_back(std::move(v));
        // Reported, not dropped: sendmail has already taken the level when it rejects the vendor.
        if (caps_.vendor.set && lower != "berkeley")
            report(LineError{"SM-E011",
                             "vendor code `" + str(caps_.vendor) +
                                 "`: stock sendmail knows only `Berkeley` (vendor builds such "
                                 "as Sun's accept their own)",
                             caps_.vendor.b, caps_.vendor.e});
    }

    void env() {
        ast::CfEnv e;
        e.span = stmt_;
        e.name = str(caps_.name);
        e.name_span = span(caps_.name);
        e.has_value = caps_.value.set;
        if (caps_.value.set) {
            e.value = str(caps_.value);
            e.value_span = span(caps_.value);
        } else {
            e.value_span = span(caps_.name.e, caps_.name.e);
        }
        result_.statements.emplace_back(std::move(e));
    }

    const std::string& raw_;
    FileId file_;
    SyntaxSink diagnostics_; // capped per file
    ast::CfFile result_;
    Span stmt_{};
    std::string text_, out_;
    std::vector<uint32_t> map_, omap_;
    Captures caps_;
    long config_level_ = 0;            // sendmail's ConfigLevel before any V line
    std::optional<LineError> pending_; // the current line's error
    bool quiet_ = false;               // the line already has its diagnostic
    bool in_ruleset_ = false;
};

template <> struct line_action<g::logical_line> {
    template <typename ActionInput> static void apply(const ActionInput& in, CfParser& parser) {
        auto b = static_cast<uint32_t>(in.begin() - parser.base());
        parser.logical_line(b, b + static_cast<uint32_t>(in.size()));
    }
};

} // namespace

ast::CfFile parse_cf(const SourceSet& sources, FileId file, std::vector<Diagnostic>& diagnostics) {
    CfParser parser(sources.get(file), file, diagnostics);
    return parser.run();
}

std::span<const SyntaxCode> cf_syntax_rules() {
    return kSyntaxRules;
}

} // namespace smaudit
