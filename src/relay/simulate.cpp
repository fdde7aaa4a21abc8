// The rewriting engine (sendmail's rewrite()/callsubr() semantics as op.me and cf/README describe
// them and `sendmail -bt` shows them) and the SMTP session that calls check_relay, parses the
// MAIL FROM and RCPT TO arguments and calls check_mail and check_rcpt as the daemon does.
#include "relay/simulate.hpp"

#include "parse/maps.hpp"
#include "relay/maps.hpp"
#include "relay/tokens.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace smaudit::relay {

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::accepted:
        return "accepted";
    case Verdict::rejected:
        return "rejected";
    case Verdict::tempfail:
        return "tempfail";
    case Verdict::unknown:
        break;
    }
    return "unknown";
}

namespace {

constexpr int kMaxRuleRecursion = 50; // MaxRuleRecursion
constexpr int kMaxLoop = 100;         // tries of one rule before "Infinite loop"
constexpr int kMaxSubr = 16;          // MAX_SUBR
// Not sendmail's: a budget of ruleset calls per probe, so that a configuration whose rulesets
// call each other in loops (sendmail would spin for hours) ends with a diagnostic.
constexpr int kMaxCalls = 20000;

enum Status { kOk = 0, kTempfail = 75, kConfig = 78, kDataErr = 65, kAborted = -1 };

// A left-hand side token as match() takes it, classified once when the rules are prepared.
struct PatternToken {
    enum class Kind : unsigned char {
        literal,      // a word, an operator, or a meta token compared as one
        zany,         // $*
        any,          // $+
        one,          // $-
        in_class,     // $=X
        not_in_class, // $~X
        zero,         // $@
        macro         // $&X
    };
    Kind kind = Kind::literal;
    const Token* token = nullptr; // the rule's token (CompiledRule::lhs)
    std::string lowered;          // literal: the token in lower case
    // $=X, $~X: the class's words (lower case), nullptr when the configuration has no such class;
    // and the length of its longest word.
    const std::unordered_set<std::string>* words = nullptr;
    size_t longest_word = 0;
};

struct CompiledRule {
    Tokens lhs;
    Tokens rhs;
    Location where;
    // lhs classified (filled once the classes are read); pointers into lhs and the classes.
    std::vector<PatternToken> pattern;
    long min_tokens = 0;            // the fewest tokens the pattern can match
    std::uint64_t literal_bits = 0; // signature_bit() of every literal
    // The right-hand side has a `$#` the left-hand side does not: a rule that decides, where
    // `R$* $| $#$*  $#$2` only passes on a decision made before.
    bool writes_net = false;
    bool writes_lookup = false; // the right-hand side has a `$(` or `$[`
    bool writes_call = false;   // and a `$>`
};

struct CompiledRuleset {
    std::string name; // as -bt prints it
    int number = -1;
    std::vector<CompiledRule> rules;
};

// tolower() in the "C" locale smaudit runs in (it never calls setlocale): ASCII letters only.
// Inline, without the libc call: the engine compares every token of every rule it tries.
constexpr char lower_ascii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower_ascii(x) == lower_ascii(y);
           });
}

// equal_ci() where `lowered` is already in lower case: the engine's most frequent comparison
// (a rule's literal with a token), inline.
inline bool equal_lowered(const std::string& lowered, const std::string& token) {
    const size_t size = lowered.size();
    if (size != token.size()) return false;
    for (size_t i = 0; i < size; ++i)
        if (lowered[i] != lower_ascii(token[i])) return false;
    return true;
}

void lower_in_place(std::string& text) {
    for (char& c : text)
        c = lower_ascii(c);
}

std::string lower(std::string_view text) {
    std::string out(text);
    lower_in_place(out);
    return out;
}

// A token's bit in a vector's signature, by its length and its first and last bytes (without
// case): a rule with a literal whose bit a vector's signature lacks cannot match it, which one
// test says for all the rule's literals.
inline std::uint64_t signature_bit(const std::string& token) {
    if (token.empty()) return 1;
    // `| 0x20` folds case as lower_ascii() does for letters, and leaves a byte's twin alike.
    const unsigned hash = (static_cast<unsigned char>(token.front()) | 0x20u) * 31u +
                          (static_cast<unsigned char>(token.back()) | 0x20u) * 7u +
                          static_cast<unsigned>(token.size());
    return std::uint64_t{1} << (hash & 63u);
}

std::uint64_t signature(const Tokens& tokens) {
    std::uint64_t bits = 0;
    for (const Token& token : tokens)
        bits |= signature_bit(token);
    return bits;
}

// Whether `word` is in the class of a `$=X` or `$~X`; `word` is lowered in place (the caller's
// scratch buffer).
bool class_has(const PatternToken& p, std::string& word) {
    if (!p.words) return false;
    lower_in_place(word);
    return p.words->contains(word);
}

using ClassMap = std::map<std::string, std::unordered_set<std::string>, std::less<>>;

// A rule's left-hand side classified for match(), with what rules a vector out without trying:
// the fewest tokens the pattern takes, and the signature bits of its literals.
void compile_pattern(CompiledRule& rule, const ClassMap& classes,
                     const std::map<std::string_view, size_t>& longest_words) {
    using Kind = PatternToken::Kind;
    rule.pattern.clear();
    for (const Token& token : rule.lhs) {
        PatternToken p;
        p.token = &token;
        auto class_of = [&] {
            auto it = classes.find(meta_name(token));
            if (it == classes.end()) return;
            p.words = &it->second;
            p.longest_word = longest_words.at(it->first);
        };
        const Meta code = is_meta(token) ? static_cast<Meta>(token[1]) : Meta{};
        if (!is_meta(token)) {
            p.lowered = lower(token);
            ++rule.min_tokens;
        } else if (code == Meta::MatchZany) {
            p.kind = Kind::zany;
        } else if (code == Meta::MatchAny) {
            p.kind = Kind::any;
            ++rule.min_tokens;
        } else if (code == Meta::MatchOne) {
            p.kind = Kind::one;
            ++rule.min_tokens;
        } else if (code == Meta::MatchClass) {
            p.kind = Kind::in_class;
            class_of();
            ++rule.min_tokens;
        } else if (code == Meta::MatchNclass) {
            p.kind = Kind::not_in_class;
            class_of();
            ++rule.min_tokens;
        } else if (code == Meta::MatchZero) {
            p.kind = Kind::zero;
        } else if (code == Meta::MacroDExpand) {
            p.kind = Kind::macro;
        } else {
            p.lowered = lower(token); // another meta token, compared as a literal
            ++rule.min_tokens;
        }
        rule.pattern.push_back(std::move(p));
    }
    for (const PatternToken& p : rule.pattern)
        if (p.kind == Kind::literal) rule.literal_bits |= signature_bit(p.lowered);
    auto has_net = [](const Tokens& side) {
        return std::any_of(side.begin(), side.end(),
                           [](const Token& t) { return is_meta(t, Meta::CanonNet); });
    };
    rule.writes_net = has_net(rule.rhs) && !has_net(rule.lhs);
    for (const Token& t : rule.rhs) {
        rule.writes_lookup |= is_meta(t, Meta::LookupBegin) || is_meta(t, Meta::HostBegin);
        rule.writes_call |= is_meta(t, Meta::CallSubr);
    }
}

// `$x` / `${name}` at text[i] (i at the name's first byte); advances i past it.
std::string read_name(std::string_view text, size_t& i) {
    if (i >= text.size()) return {};
    if (text[i] == '{') {
        size_t close = text.find('}', i);
        if (close == std::string_view::npos) {
            std::string name(text.substr(i + 1));
            i = text.size();
            return name;
        }
        std::string name(text.substr(i + 1, close - i - 1));
        i = close + 1;
        return name;
    }
    return std::string(1, text[i++]);
}

} // namespace

struct Simulator::Impl {
    const model::Config* config = nullptr;
    Environment env;
    std::vector<std::string> notes;
    TokenTables tables;
    bool rules_no_comments = false; // V9+: parentheses in rules and -bt input are tokens
    bool soft_bounce = false;       // O SoftBounce: 5xx replies become 4xx
    std::vector<CompiledRuleset> rulesets;
    // Lower-case words; hashed, looked up by name without building a key string.
    ClassMap classes;
    MacroTable base_macros; // before the session
    std::unique_ptr<MapSet> maps;
    std::map<std::string, std::string> hosts; // lower-case name -> canonical

    int find_ruleset(std::string_view name) const {
        // The name as written, unless quotes or backslashes are to be stripped from it.
        std::string stripped;
        if (name.find_first_of("\"\\") != std::string_view::npos)
            name = stripped = strip_quotes(name);
        bool numeric = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        });
        if (numeric) {
            auto it = ruleset_by_number.find(std::atoi(std::string(name).c_str()));
            return it == ruleset_by_number.end() ? -1 : it->second;
        }
        auto it = ruleset_by_name.find(name);
        return it == ruleset_by_name.end() ? -1 : it->second;
    }
    // find_ruleset()'s indexes: the first ruleset of each number, and of each name without
    // case (a call names its ruleset by a token, which rules compare without case).
    struct FoldedHash {
        using is_transparent = void;
        size_t operator()(std::string_view text) const {
            size_t hash = 14695981039346656037u; // FNV-1a over the bytes in lower case
            for (char c : text)
                hash = (hash ^ static_cast<unsigned char>(lower_ascii(c))) * 1099511628211u;
            return hash;
        }
    };
    struct FoldedEqual {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const { return equal_ci(a, b); }
    };
    std::unordered_map<int, int> ruleset_by_number;
    std::unordered_map<std::string, int, FoldedHash, FoldedEqual> ruleset_by_name;
};

namespace {

bool location_before(const Location& a, const Location& b) {
    if (!a.valid() || !b.valid() || a.file != b.file) return true;
    return a.span.begin < b.span.begin;
}

// The macros a rule line sees: those sendmail defines before it reads the configuration, under
// the D lines read before the rule. Looked up in place: a table of its own for every rule cost
// more than expanding the rules.
struct VisibleMacros {
    const MacroTable& early;
    const std::map<std::string, model::MacroDef>& defined;
    const Location& rule;

    const std::string* find(const std::string& name) const {
        auto it = defined.find(name);
        if (it != defined.end() && location_before(it->second.where, rule))
            return &it->second.value;
        auto e = early.find(name);
        return e == early.end() ? nullptr : &e->second;
    }
};

// Macro expansion as readcf does it on a rule side: `$x` replaced by the value defined so far,
// `$?x ... $| ... $.` conditionals, every other `$` sequence turned into its meta token.
void expand_side(std::string_view text, const VisibleMacros& macros, int depth,
                 std::vector<Piece>& out) {
    std::vector<bool> conditions;
    size_t unmet = 0; // conditions that are false: text is kept while there is none
    auto active = [&] { return unmet == 0; };
    for (size_t i = 0; i < text.size();) {
        char c = text[i++];
        if (c != '$' || i >= text.size()) {
            if (active()) out.push_back(Piece{c, {}});
            continue;
        }
        char d = text[i++];
        Meta meta{};
        bool simple = true;
        switch (d) {
        case '*':
            meta = Meta::MatchZany;
            break;
        case '+':
            meta = Meta::MatchAny;
            break;
        case '-':
            meta = Meta::MatchOne;
            break;
        case '@':
            meta = Meta::CanonHost;
            break;
        case ':':
            meta = Meta::CanonUser;
            break;
        case '#':
            meta = Meta::CanonNet;
            break;
        case '>':
            meta = Meta::CallSubr;
            break;
        case '[':
            meta = Meta::HostBegin;
            break;
        case ']':
            meta = Meta::HostEnd;
            break;
        case '(':
            meta = Meta::LookupBegin;
            break;
        case ')':
            meta = Meta::LookupEnd;
            break;
        default:
            simple = false;
            break;
        }
        if (simple) {
            if (active()) out.push_back(Piece{0, meta_token(meta)});
            continue;
        }
        if (d == '|') {
            if (conditions.empty()) {
                out.push_back(Piece{0, meta_token(Meta::CondElse)});
            } else {
                conditions.back() = !conditions.back();
                conditions.back() ? --unmet : ++unmet;
            }
            continue;
        }
        if (d == '.') {
            if (conditions.empty()) {
                out.push_back(Piece{0, meta_token(Meta::CondFi)});
            } else {
                if (!conditions.back()) --unmet;
                conditions.pop_back();
            }
            continue;
        }
        if (d == '?') {
            std::string name = read_name(text, i);
            conditions.push_back(macros.find(name) != nullptr);
            if (!conditions.back()) ++unmet;
            continue;
        }
        if (d >= '1' && d <= '9') {
            if (active()) out.push_back(Piece{0, meta_token(Meta::MatchRepl, std::string(1, d))});
            continue;
        }
        if (d == '=' || d == '~' || d == '&') {
            std::string name = read_name(text, i);
            Meta code =
                d == '=' ? Meta::MatchClass : (d == '~' ? Meta::MatchNclass : Meta::MacroDExpand);
            if (active()) out.push_back(Piece{0, meta_token(code, name)});
            continue;
        }
        if (d == '$') {
            if (active()) out.push_back(Piece{'$', {}});
            continue;
        }
        --i;
        std::string name = read_name(text, i);
        if (!active()) continue;
        const std::string* value = macros.find(name);
        if (value && depth < 20) expand_side(*value, macros, depth + 1, out);
    }
}

// Plain text expansion of a macro value ($x inside it), for values used at run time.
std::string expand_text(std::string_view text, const MacroTable& macros, int depth = 0) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        char c = text[i++];
        if (c != '$' || i >= text.size() || depth > 20) {
            out += c;
            continue;
        }
        if (text[i] == '$') {
            out += '$';
            ++i;
            continue;
        }
        std::string name = read_name(text, i);
        auto it = macros.find(name);
        if (it != macros.end()) out += expand_text(it->second, macros, depth + 1);
    }
    return out;
}

std::string short_name(const std::string& fqdn) {
    return fqdn.substr(0, fqdn.find('.'));
}

std::string machine_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

// One probe's run of the engine.
struct Run {
    const Simulator::Impl& impl;
    MacroTable macros;
    Outcome& out;
    bool tracing = true; // false: out.trace stays empty (Trace::skipped)
    int depth = 0;
    int calls = 0;
    bool aborted = false;
    // A `$(` or `$[` (`$>`) left in a vector by a rule whose lookup (call) failed: from then
    // on every rewritten vector is searched for them, not only those of rules that write one.
    bool stray_lookup = false;
    bool stray_call = false;
    std::optional<DecidingRule> decided; // the last rule that wrote a `$#`
    std::set<std::string> reported_maps; // maps whose open failure was shown

    Run(const Simulator::Impl& prepared, MacroTable session, Outcome& outcome, bool traced)
        : impl(prepared), macros(std::move(session)), out(outcome), tracing(traced) {}
    // A copy of `from`'s state that writes to `outcome` (a copy of from's): a run that goes on
    // from where `from` stopped.
    Run(const Run& from, Outcome& outcome)
        : impl(from.impl), macros(from.macros), out(outcome), tracing(from.tracing),
          depth(from.depth), calls(from.calls), aborted(from.aborted),
          stray_lookup(from.stray_lookup), stray_call(from.stray_call), decided(from.decided),
          reported_maps(from.reported_maps), system_errors(from.system_errors) {}

    void message(const std::string& text) {
        if (!tracing) return note(text);
        Step step;
        step.depth = depth;
        step.message = text;
        out.trace.push_back(std::move(step));
        note(text);
    }

    void note(std::string text) {
        if (std::find(out.notes.begin(), out.notes.end(), text) == out.notes.end())
            out.notes.push_back(std::move(text));
    }

    // A syserr() of sendmail's rewriting: `reply` is what the daemon answers the MAIL or RCPT
    // command it happens in (Errors > 0 refuses the command); `shown` is the line -bt prints,
    // in the trace when `traced`.
    std::vector<std::string> system_errors;
    void system_error(const std::string& reply, const std::string& shown, bool traced) {
        system_errors.push_back(reply);
        traced ? message(shown) : note(shown);
    }
    void system_error(const std::string& reply) { system_error(reply, reply, false); }

    const std::string* macro(std::string_view name) const {
        auto it = macros.find(std::string(name));
        return it == macros.end() ? nullptr : &it->second;
    }

    int rewrite(Tokens& pvp, int set_index, int reclevel);
    int call_subroutines(Tokens& pvp, int reclevel);
    int lookups(Tokens& npvp);
    // `pvp_bits`: signature(pvp), computed here when a rule first needs it (0 before: the
    // signature of a vector that has tokens is never 0).
    bool match(const CompiledRule& rule, const Tokens& pvp, std::uint64_t& pvp_bits,
               std::vector<std::pair<long, long>>& bindings);

    // match()'s stack of `$*`/`$+`/`$-`/`$=X` positions and its class-word buffer, kept across
    // calls so that trying a rule allocates nothing (match() does not recurse).
    struct MatchEntry {
        size_t pattern;
        long first;
        long last;
    };
    std::vector<MatchEntry> match_stack;
    std::string class_word;
    std::vector<std::pair<long, long>> match_bindings;

    // Token vectors done with, their buffers kept for the next ruleset call: a Spare takes one
    // (or a new one) and gives it back when it goes.
    std::vector<Tokens> spares;
    struct Spare {
        Run& run;
        Tokens tokens;
        explicit Spare(Run& owner) : run(owner) {
            if (run.spares.empty()) return;
            tokens = std::move(run.spares.back());
            run.spares.pop_back();
        }
        Spare(const Spare&) = delete;
        Spare& operator=(const Spare&) = delete;
        ~Spare() {
            tokens.clear();
            run.spares.push_back(std::move(tokens));
        }
    };
};

bool Run::match(const CompiledRule& rule, const Tokens& pvp, std::uint64_t& pvp_bits,
                std::vector<std::pair<long, long>>& bindings) {
    using Entry = MatchEntry;
    using Kind = PatternToken::Kind;
    const std::vector<PatternToken>& lhs = rule.pattern;
    const long n = static_cast<long>(pvp.size());
    // What cannot match, said without trying: too few tokens, or a literal the tokens lack.
    if (n < rule.min_tokens) return false;
    if (rule.literal_bits != 0) {
        if (pvp_bits == 0) pvp_bits = signature(pvp);
        if ((rule.literal_bits & ~pvp_bits) != 0) return false;
    }
    std::vector<Entry>& ml = match_stack;
    if (ml.size() < lhs.size() + 1) ml.resize(lhs.size() + 1);
    long mlp = 0;
    size_t rv = 0;
    long av = 0;
    // `$=X` over the tokens first..e.last; false when no word of the class is as long as that
    // (`too_long`): a longer run of tokens only makes a longer word.
    auto class_match = [&](const Entry& e, const PatternToken& p, bool& too_long) {
        cat_tokens_into(class_word, pvp, static_cast<size_t>(e.first),
                        static_cast<size_t>(e.last) + 1, impl.tables, ' ');
        too_long = class_word.size() >= p.longest_word;
        return class_has(p, class_word);
    };
    // Extends e (a `$=X` at pattern p) one token at a time until its words are in the class.
    auto extend_class = [&](Entry& e, const PatternToken& p) {
        while (av < n) {
            e.last = av++;
            bool too_long = false;
            if (class_match(e, p, too_long)) return true;
            if (too_long) return false;
        }
        return false;
    };
    while (av < n || rv < lhs.size()) {
        bool ok = true;
        if (rv == lhs.size()) {
            ok = false;
        } else {
            const PatternToken& rp = lhs[rv];
            if (av >= n && rp.kind != Kind::zany && rp.kind != Kind::zero) {
                ok = false;
            } else {
                switch (rp.kind) {
                case Kind::in_class: {
                    Entry& e = ml[static_cast<size_t>(mlp)];
                    e = {rv, av, av};
                    ok = extend_class(e, rp);
                    if (ok) ++mlp;
                    break;
                }
                case Kind::not_in_class:
                    if (class_has(rp, class_word.assign(pvp[static_cast<size_t>(av)]))) {
                        ok = false;
                        break;
                    }
                    [[fallthrough]];
                case Kind::one:
                case Kind::any:
                    ml[static_cast<size_t>(mlp++)] = {rv, av, av};
                    ++av;
                    break;
                case Kind::zany:
                    ml[static_cast<size_t>(mlp++)] = {rv, av, av - 1};
                    break;
                case Kind::zero: // matches nothing
                    break;
                case Kind::macro: {
                    const std::string* value = macro(meta_name(*rp.token));
                    long start = av;
                    if (value) {
                        std::string_view rest = *value;
                        while (!rest.empty()) {
                            if (av >= n) {
                                ok = false;
                                break;
                            }
                            const Token& t = pvp[static_cast<size_t>(av)];
                            if (t.empty() || rest.size() < t.size() ||
                                !equal_ci(rest.substr(0, t.size()), t)) {
                                ok = false;
                                break;
                            }
                            rest.remove_prefix(t.size());
                            ++av;
                        }
                        if (!ok) av = start;
                    }
                    break;
                }
                case Kind::literal:
                    if (!equal_lowered(rp.lowered, pvp[static_cast<size_t>(av)]))
                        ok = false;
                    else
                        ++av;
                    break;
                }
            }
        }
        if (ok) {
            ++rv;
            continue;
        }
        // Back up: extend the latest `$*`, `$+` or `$=X` that can take one more token.
        bool resumed = false;
        while (--mlp >= 0) {
            Entry& e = ml[static_cast<size_t>(mlp)];
            rv = e.pattern;
            const PatternToken& rp = lhs[rv];
            av = e.last + 1;
            if (av >= n) continue;
            if (rp.kind == Kind::any || rp.kind == Kind::zany) {
                e.last = av++;
                ++rv;
                ++mlp;
                resumed = true;
                break;
            }
            if (rp.kind == Kind::in_class && extend_class(e, rp)) {
                ++rv;
                ++mlp;
                resumed = true;
                break;
            }
        }
        if (!resumed) return false;
    }
    if (rv != lhs.size()) return false;
    bindings.clear();
    for (long i = 0; i < mlp; ++i)
        bindings.emplace_back(ml[static_cast<size_t>(i)].first, ml[static_cast<size_t>(i)].last);
    return true;
}

int Run::lookups(Tokens& npvp) {
    int status = kOk;
    for (size_t i = 0; i < npvp.size(); ++i) {
        Meta end_token;
        std::string map_name;
        size_t key_start;
        if (is_meta(npvp[i], Meta::HostBegin)) {
            end_token = Meta::HostEnd;
            map_name = "host";
            key_start = i + 1;
        } else if (is_meta(npvp[i], Meta::LookupBegin)) {
            end_token = Meta::LookupEnd;
            if (i + 1 >= npvp.size()) {
                stray_lookup = true;
                system_error("554 5.3.0 rewrite: missing mapname");
                return kConfig;
            }
            map_name = npvp[i + 1];
            key_start = i + 2;
        } else {
            continue;
        }
        const MapSet::Map* map = impl.maps->find(map_name);
        const bool known = map != nullptr;
        if (!known) system_error("554 5.3.0 rewrite: map " + map_name + " not found");
        // Segments: the key, then each `$@` argument, then the `$:` default.
        size_t end = key_start;
        while (end < npvp.size() && !is_meta(npvp[end], end_token))
            ++end;
        std::vector<std::pair<size_t, size_t>> args;
        std::optional<std::pair<size_t, size_t>> fallback;
        size_t key_end = end;
        std::optional<size_t> segment_start;
        bool in_default = false;
        for (size_t j = key_start; j < end; ++j) {
            bool host = is_meta(npvp[j], Meta::CanonHost);
            bool user = is_meta(npvp[j], Meta::CanonUser);
            if (!host && !user) continue;
            if (key_end == end) key_end = j;
            if (segment_start) {
                if (in_default)
                    fallback = std::pair(*segment_start, j);
                else
                    args.emplace_back(*segment_start, j);
            }
            segment_start = j + 1;
            in_default = user;
        }
        if (segment_start) {
            if (in_default)
                fallback = std::pair(*segment_start, end);
            else
                args.emplace_back(*segment_start, end);
        }
        char space = known ? impl.maps->space_sub(*map) : ' ';
        std::string key = cat_tokens(npvp, key_start, key_end, impl.tables, space);
        if (!known || !impl.maps->keeps_quotes(*map)) key = strip_quotes(key);
        std::vector<std::string> argv{key};
        for (auto [from, to] : args)
            argv.push_back(cat_tokens(npvp, from, to, impl.tables, ' '));
        MapResult found;
        if (known) {
            auto declared = impl.config->maps.find(map_name);
            bool host_map = declared == impl.config->maps.end() ? map_name == "host"
                                                                : declared->second.type == "host";
            if (host_map) {
                // No DNS: the --hosts table, read as the resolver reads /etc/hosts; a canonical
                // name without a dot gets the local domain ($m), and a trailing dot, as
                // sendmail's host map answers.
                std::string name = lower(key);
                if (name.ends_with(".")) name.pop_back();
                auto it = impl.hosts.find(name);
                if (it != impl.hosts.end()) {
                    std::string canonical = it->second;
                    if (canonical.find('.') == std::string::npos)
                        if (const std::string* domain = macro("m")) canonical += "." + *domain;
                    canonical += '.';
                    if (declared != impl.config->maps.end())
                        for (const std::string& arg : declared->second.args)
                            if (arg.starts_with("-a")) canonical += arg.substr(2);
                    found.value = canonical;
                }
            } else {
                if (const std::string& error = impl.maps->open_error(*map);
                    !error.empty() && reported_maps.insert(map_name).second)
                    message(error);
                found = impl.maps->lookup(*map, argv, macros);
            }
        }
        if (found.unavailable) {
            out.used_unavailable_map = true;
            if (std::find(out.unavailable_maps.begin(), out.unavailable_maps.end(), map_name) ==
                out.unavailable_maps.end())
                out.unavailable_maps.push_back(map_name);
        }
        if (found.tempfail) status = kTempfail;
        bool external = found.value.has_value();
        std::optional<std::string> replacement = std::move(found.value);
        if (!replacement && fallback)
            replacement = cat_tokens(npvp, fallback->first, fallback->second, impl.tables, ' ');
        Tokens inserted;
        if (!replacement) {
            inserted.assign(npvp.begin() + static_cast<long>(key_start),
                            npvp.begin() + static_cast<long>(key_end));
        } else if (!replacement->empty()) {
            PrescanResult scanned =
                prescan(*replacement, external ? impl.tables.ext : impl.tables.internal);
            if (!scanned.tokens) return kDataErr;
            inserted = std::move(*scanned.tokens);
        }
        size_t stop = end < npvp.size() ? end + 1 : end;
        npvp.erase(npvp.begin() + static_cast<long>(i), npvp.begin() + static_cast<long>(stop));
        npvp.insert(npvp.begin() + static_cast<long>(i), inserted.begin(), inserted.end());
        i += inserted.size();
        // The loop's ++ moves past the inserted tokens; after nothing inserted at the front it
        // goes on from the token after, as sendmail does (it does not look at position 0 again).
        if (i > 0) --i;
    }
    return status;
}

int Run::call_subroutines(Tokens& pvp, int reclevel) {
    std::vector<std::pair<int, size_t>> calls; // ruleset, position
    for (size_t j = 0; j < pvp.size(); ++j) {
        if (!is_meta(pvp[j], Meta::CallSubr)) continue;
        if (j + 1 >= pvp.size()) {
            stray_call = true;
            continue;
        }
        int set = impl.find_ruleset(pvp[j + 1]);
        if (set < 0) {
            stray_call = true;
            system_error("554 5.3.5 Unknown ruleset " + strip_quotes(pvp[j + 1]));
            return kConfig;
        }
        if (impl.rulesets[static_cast<size_t>(set)].rules.empty()) {
            // An empty ruleset is not called: the call is removed (and, as in sendmail, the
            // token that moves into its place is not looked at again).
            pvp.erase(pvp.begin() + static_cast<long>(j), pvp.begin() + static_cast<long>(j) + 2);
            continue;
        }
        if (static_cast<int>(calls.size()) + 1 >= kMaxSubr) {
            stray_call = true;
            system_error("554 5.3.0 Too many subroutine calls (" + std::to_string(kMaxSubr) +
                         " max)");
            return kConfig;
        }
        calls.emplace_back(set, j);
    }
    int rstat = kOk;
    for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
        auto [set, at] = *it;
        pvp.erase(pvp.begin() + static_cast<long>(at), pvp.begin() + static_cast<long>(at) + 2);
        Spare spare(*this);
        Tokens& tail = spare.tokens;
        tail.assign(std::make_move_iterator(pvp.begin() + static_cast<long>(at)),
                    std::make_move_iterator(pvp.end()));
        int status = rewrite(tail, set, reclevel);
        pvp.resize(at);
        pvp.insert(pvp.end(), std::make_move_iterator(tail.begin()),
                   std::make_move_iterator(tail.end()));
        if (status == kAborted) return kAborted;
        if (status != kOk && status != kTempfail) {
            stray_call = true; // the calls before this one stay in the vector
            return status;
        }
        if (rstat == kOk || status == kTempfail) rstat = status;
    }
    return rstat;
}

int Run::rewrite(Tokens& pvp, int set_index, int reclevel) {
    const CompiledRuleset& set = impl.rulesets[static_cast<size_t>(set_index)];
    if (aborted) return kAborted;
    if (++calls > kMaxCalls) {
        aborted = true;
        out.loop = true;
        note("ruleset calls exceed " + std::to_string(kMaxCalls) +
             " for one probe: the rulesets call each other without end (stopped)");
        return kAborted;
    }
    const size_t step_index = out.trace.size();
    if (tracing)
        out.trace.push_back(Step{set.name, set.number, print_tokens(pvp), {}, depth, {}, true});
    // The call's output in its trace step, when there is one.
    auto returns = [&] {
        if (tracing) out.trace[step_index].output = print_tokens(pvp);
    };
    if (reclevel++ > kMaxRuleRecursion) {
        // -bt shows the call's input, the diagnostic, and no "returns" line for it.
        out.loop = true;
        if (tracing) out.trace[step_index].returned = false;
        const std::string text = "rewrite: excessive recursion (max " +
                                 std::to_string(kMaxRuleRecursion) + "), ruleset " + set.name;
        system_error("554 5.0.0 " + text, text, true); // syserr() without a code
        return kConfig;
    }
    ++depth;
    int rstat = kOk;
    size_t ruleno = 0;
    int loopcount = 0;
    // match()'s `$n` bindings, read before the rule's calls run: one buffer serves every call.
    std::vector<std::pair<long, long>>& bindings = match_bindings;
    Spare spare(*this);
    Tokens& npvp = spare.tokens; // the rewritten vector; its buffer serves every rule of this call
    std::uint64_t pvp_bits = 0;
    while (ruleno < set.rules.size()) {
        if (!pvp.empty() && is_meta(pvp[0], Meta::CanonNet)) break;
        const CompiledRule& rule = set.rules[ruleno];
        if (++loopcount > kMaxLoop) {
            out.loop = true;
            const std::string text =
                "Infinite loop in ruleset " + set.name + ", rule " + std::to_string(ruleno + 1);
            system_error("554 5.3.5 " + text, text, true);
            break;
        }
        if (!match(rule, pvp, pvp_bits, bindings)) {
            ++ruleno;
            loopcount = 0;
            continue;
        }
        size_t rv = 0;
        size_t this_rule = ruleno;
        if (!rule.rhs.empty() && is_meta(rule.rhs[0], Meta::CanonUser)) {
            rv = 1;
            ++ruleno;
            loopcount = 0;
        } else if (!rule.rhs.empty() && is_meta(rule.rhs[0], Meta::CanonHost)) {
            rv = 1;
            ruleno = set.rules.size();
        }
        npvp.clear();
        npvp.reserve(pvp.size() + rule.rhs.size()); // room for the usual rewrite: one allocation
        for (; rv < rule.rhs.size(); ++rv) {
            const Token& rp = rule.rhs[rv];
            if (is_meta(rp, Meta::MatchRepl)) {
                size_t m = static_cast<size_t>(meta_name(rp)[0] - '1');
                if (m >= bindings.size()) {
                    system_error("554 5.3.5 rewrite: ruleset " + set.name + ": replacement $" +
                                 std::string(meta_name(rp)) + " out of bounds");
                    --depth;
                    returns();
                    return kConfig;
                }
                for (long k = bindings[m].first; k <= bindings[m].second; ++k)
                    npvp.push_back(pvp[static_cast<size_t>(k)]);
            } else if (is_meta(rp, Meta::MacroDExpand)) {
                const std::string* value = macro(meta_name(rp));
                if (!value || value->empty()) continue;
                PrescanResult scanned = prescan(*value, impl.tables.ext);
                if (!scanned.tokens) {
                    --depth;
                    returns();
                    return kDataErr;
                }
                npvp.insert(npvp.end(), scanned.tokens->begin(), scanned.tokens->end());
            } else {
                npvp.push_back(rp);
            }
            if (npvp.size() > kMaxAtom) {
                system_error("554 5.3.0 rewrite: expansion too long");
                --depth;
                returns();
                return kDataErr;
            }
        }
        // Only a rule's right-hand side makes a `$(`, `$[` or `$>` (the input, macro values and
        // map answers are text): the vector of a rule that writes none holds none to act on.
        int status = rule.writes_lookup || stray_lookup ? lookups(npvp) : kOk;
        if (status == kDataErr) {
            --depth;
            returns();
            return kDataErr;
        }
        if (status == kTempfail) rstat = kTempfail;
        // The rule that decided is the one that wrote the `$#`; rules that only pass on a
        // `$#` they matched (`R$* $| $#$*  $#$2`) keep the decision where it was made.
        if (rule.writes_net && !npvp.empty() && is_meta(npvp[0], Meta::CanonNet))
            decided = DecidingRule{set.name, this_rule, rule.where};
        status = rule.writes_call || stray_call ? call_subroutines(npvp, reclevel) : kOk;
        if (status == kAborted) {
            --depth;
            return kAborted;
        }
        if (rstat == kOk || status == kTempfail) rstat = status;
        pvp.swap(npvp);
        pvp_bits = 0;
    }
    --depth;
    returns();
    return rstat;
}

} // namespace

Simulator::Simulator(const model::Config& config, Environment env)
    : impl_(std::make_unique<Impl>()) {
    Impl& im = *impl_;
    im.config = &config;
    im.env = std::move(env);
    std::string fqdn = im.env.hostname.empty() ? machine_name() : im.env.hostname;
    for (const auto& [name, canonical] : im.env.hosts)
        im.hosts[lower(name)] = canonical;

    // Macros sendmail defines before it reads the configuration.
    MacroTable early;
    early["w"] = short_name(fqdn);
    early["j"] = fqdn;
    early["k"] = fqdn;
    if (fqdn.find('.') != std::string::npos) early["m"] = fqdn.substr(fqdn.find('.') + 1);
    early["n"] = "MAILER-DAEMON";
    early["v"] = "8.17.1.9";

    int level = std::atoi(config.version_level.c_str());
    im.rules_no_comments = level >= 9;
    std::string operators = ".:@[]";
    if (const model::OptionValue* op = config.option("OperatorChars"); op && !op->is_default)
        operators = op->value;
    else if (level < 7)
        if (auto it = config.macros.find("o"); it != config.macros.end())
            operators = it->second.value;
    im.tables = make_token_tables(operators);
    if (const model::OptionValue* sb = config.option("SoftBounce"); sb && !sb->is_default) {
        std::string v = lower(sb->value);
        im.soft_bounce = v.empty() || v[0] == 't' || v[0] == 'y' || v == "on";
    }

    // Rules, their macros expanded with the D lines above them.
    std::vector<Piece> pieces; // one side's, its buffer kept from rule to rule
    for (const model::RulesetDef& def : config.rulesets) {
        CompiledRuleset set;
        set.name = def.name;
        set.number = def.number.value_or(-1);
        for (const model::RuleDef& rule : def.rules) {
            const VisibleMacros visible{early, config.macros, rule.where};
            CompiledRule compiled;
            compiled.where = rule.where;
            pieces.reserve(std::max(rule.lhs.size(), rule.rhs.size()));
            for (int side = 0; side < 2; ++side) {
                pieces.clear();
                expand_side(side == 0 ? rule.lhs : rule.rhs, visible, 0, pieces);
                PrescanResult scanned = prescan(
                    pieces, im.rules_no_comments ? im.tables.no_comments : im.tables.internal, '\0',
                    true);
                Tokens tokens = scanned.tokens ? std::move(*scanned.tokens) : Tokens{};
                if (side == 0) {
                    for (Token& t : tokens)
                        if (is_meta(t, Meta::CanonHost)) t = meta_token(Meta::MatchZero);
                    compiled.lhs = std::move(tokens);
                } else {
                    compiled.rhs = std::move(tokens);
                }
            }
            set.rules.push_back(std::move(compiled));
        }
        im.rulesets.push_back(std::move(set));
    }

    // Classes: C words, F files under the root (programs never run), and what sendmail adds.
    for (const auto& [name, cls] : config.classes) {
        auto& words = im.classes[name];
        for (const std::string& word : cls.words)
            words.insert(lower(word));
        for (const std::string& file : cls.files) {
            if (!file.empty() && file[0] == '|') {
                im.notes.push_back("class " + name + ": program " + file.substr(1) +
                                   " is never run; its words are unknown");
                continue;
            }
        }
        for (const auto& line : cls.file_lines) {
            auto host = im.env.locate
                            ? im.env.locate(line.path)
                            : std::optional<std::string>(im.env.root.empty() || im.env.root == "/"
                                                             ? line.path
                                                             : im.env.root + line.path);
            std::optional<std::string> text = host ? read_rooted("", *host) : std::nullopt;
            if (!text) {
                if (!line.optional)
                    im.notes.push_back("class " + name + ": cannot read " + line.path);
                continue;
            }
            // fileclass(): lines starting with '#' skipped; "%s" (no pattern) takes a line's
            // first word, "%[^#]" everything before a '#'; the words of what it took each join
            // the class. Other patterns are read as "%[^#]" and said so.
            std::optional<ast::ClassPattern> pattern = class_pattern(line.pattern);
            if (!pattern)
                im.notes.push_back("class " + name + ": scanf pattern " + line.pattern + " of " +
                                   line.path + " read as %[^#]");
            bool first_word = pattern == ast::ClassPattern::FirstWord;
            size_t pos = 0;
            while (pos < text->size()) {
                size_t eol = text->find('\n', pos);
                std::string_view line_text(text->data() + pos,
                                           (eol == std::string::npos ? text->size() : eol) - pos);
                pos = eol == std::string::npos ? text->size() : eol + 1;
                if (line_text.empty() || line_text[0] == '#') continue;
                if (first_word) {
                    size_t start = line_text.find_first_not_of(" \t\r");
                    if (start == std::string_view::npos) continue;
                    line_text = line_text.substr(start);
                    line_text = line_text.substr(0, line_text.find_first_of(" \t\r"));
                } else {
                    line_text = line_text.substr(0, line_text.find('#'));
                }
                size_t i = 0;
                while (i < line_text.size()) {
                    while (i < line_text.size() &&
                           std::isspace(static_cast<unsigned char>(line_text[i])))
                        ++i;
                    size_t start = i;
                    while (i < line_text.size() &&
                           !std::isspace(static_cast<unsigned char>(line_text[i])))
                        ++i;
                    if (i > start) words.insert(lower(line_text.substr(start, i - start)));
                }
            }
        }
    }
    auto& w = im.classes["w"];
    w.insert("localhost");
    w.insert("[localhost]");
    w.insert(lower(fqdn));
    std::vector<std::string> addrs = im.env.interface_addrs;
    if (addrs.empty()) addrs.push_back("127.0.0.1");
    for (const std::string& addr : addrs)
        w.insert("[" + lower(addr) + "]");
    if (early.contains("m")) im.classes["m"].insert(lower(early["m"]));
    im.classes["k"].insert(lower(fqdn));

    // Run-time macros: the configuration's final D lines over the early ones.
    im.base_macros = early;
    for (const auto& [name, macro] : config.macros)
        im.base_macros[name] = macro.value;
    for (auto& [name, value] : im.base_macros)
        value = expand_text(value, im.base_macros);
    // {deliveryMode}: the DeliveryMode letter readcf's set_delivery_mode() records (b, the
    // default, i, q or d; an empty value is i); proto.m4's checks let everything through in
    // deferred mode. Checked with a daemon whose check_rcpt replies with the macro.
    std::string mode = "b";
    if (const model::OptionValue* dm = config.option("DeliveryMode"); dm && !dm->is_default) {
        if (dm->value.empty())
            mode = "i";
        else if (std::string_view("biqd").find(dm->value[0]) != std::string_view::npos)
            mode = dm->value.substr(0, 1);
    }
    im.base_macros["deliveryMode"] = mode;
    for (const auto& [name, value] : im.env.macros)
        im.base_macros[name] = value;

    im.maps = std::make_unique<MapSet>(config, im.env, im.notes);

    for (size_t i = 0; i < im.rulesets.size(); ++i) {
        im.ruleset_by_number.emplace(im.rulesets[i].number, static_cast<int>(i));
        im.ruleset_by_name.emplace(im.rulesets[i].name, static_cast<int>(i));
    }
    // The left-hand sides classified, now that the classes are complete.
    std::map<std::string_view, size_t> longest_words;
    for (const auto& [name, words] : im.classes) {
        size_t longest = 0;
        for (const std::string& word : words)
            longest = std::max(longest, word.size());
        longest_words[name] = longest;
    }
    for (CompiledRuleset& set : im.rulesets)
        for (CompiledRule& rule : set.rules)
            compile_pattern(rule, im.classes, longest_words);
}

Simulator::~Simulator() = default;
Simulator::Simulator(Simulator&&) noexcept = default;
Simulator& Simulator::operator=(Simulator&&) noexcept = default;

const std::vector<std::string>& Simulator::notes() const {
    return impl_->notes;
}

namespace {

std::string strip_angles(std::string_view address) {
    std::string text(address);
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>')
        return text.substr(1, text.size() - 2);
    return text;
}

void set_session_macros(const Probe& probe, MacroTable& macros) {
    const Client& client = probe.client;
    std::string name = client.name.empty() ? "[" + client.addr + "]" : client.name;
    std::string resolve = client.resolve;
    if (resolve.empty())
        resolve = client.name.empty() ? "FAIL" : (client.name_resolves ? "OK" : "FAIL");
    macros["client_addr"] = client.addr;
    macros["client_name"] = name;
    macros["client_ptr"] = name;
    macros["client_resolve"] = resolve;
    macros["_"] = name + " [" + client.addr + "]";
    if (!macros.contains("daemon_flags")) macros["daemon_flags"] = "";
    if (!macros.contains("daemon_name")) macros["daemon_name"] = "MTA";
    macros["s"] = name;
    if (!probe.auth.empty()) {
        size_t colon = probe.auth.find(':');
        macros["auth_type"] = probe.auth.substr(0, colon);
        if (colon != std::string::npos) {
            macros["auth_authen"] = probe.auth.substr(colon + 1);
            macros["auth_author"] = probe.auth.substr(colon + 1);
        }
        macros["auth_ssf"] = "0";
    }
}

// Whether the text is an SMTP reply code followed by a blank: "550 ...".
bool smtp_code(std::string_view text) {
    return text.size() >= 4 && text[0] >= '2' && text[0] <= '5' &&
           std::isdigit(static_cast<unsigned char>(text[1])) &&
           std::isdigit(static_cast<unsigned char>(text[2])) && text[3] == ' ';
}

// The length of an enhanced status code ("5.7.1") at the start of text, followed by `end`
// (or the end of text for '\0'); 0 when there is none.
size_t enhanced_code(std::string_view text, char end) {
    size_t i = 0;
    if (text.empty() || (text[0] != '2' && text[0] != '4' && text[0] != '5')) return 0;
    if (text.size() < 2 || text[1] != '.') return 0;
    i = 2;
    for (int part = 0; part < 2; ++part) {
        size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
        if (i == start || i - start > 3) return 0;
        if (part == 0) {
            if (i >= text.size() || text[i] != '.') return 0;
            ++i;
        }
    }
    if (end == '\0' ? i == text.size() : (i < text.size() && text[i] == end)) return i;
    return 0;
}

struct Decision {
    Verdict verdict = Verdict::accepted;
    std::optional<std::string> reply;
    bool discard = false;
};

// The reply usrerr() sends for `text` ("553 5.1.3 message", "550 message", or a bare message,
// which buildaddr() sends as 553 5.3.0): the text's own SMTP and enhanced codes, else
// `fallback_enhanced` when it is one (buildaddr's `$@`), else x.0.0; the address the command named
// before the message for the codes sendmail puts it before (450, 550, 553); SoftBounce turns 5
// into 4.
Decision user_error(std::string_view text, std::string_view fallback_enhanced,
                    std::string_view address, bool soft_bounce) {
    std::string code = "553";
    std::string enh = "5.3.0";
    if (smtp_code(text)) {
        code = std::string(text.substr(0, 3));
        text.remove_prefix(4);
        if (size_t len = enhanced_code(text, ' '); len > 0) {
            enh = std::string(text.substr(0, len));
            text.remove_prefix(len + 1);
        } else if (enhanced_code(fallback_enhanced, '\0') > 0) {
            enh = std::string(fallback_enhanced);
        } else {
            enh = std::string(1, code[0]) + ".0.0";
        }
    }
    if (soft_bounce && code[0] == '5') code[0] = '4';
    if (soft_bounce && enh[0] == '5') enh[0] = '4';
    bool prefixed = !address.empty() && (code == "450" || code == "550" || code == "553");
    Decision decision;
    decision.verdict = code[0] == '4' ? Verdict::tempfail : Verdict::rejected;
    decision.reply = code + " " + enh + " " + (prefixed ? std::string(address) + "... " : "") +
                     std::string(text);
    return decision;
}

// A syserr() of buildaddr(): the configuration's rulesets gave no usable triple.
Decision config_error(const std::string& text) {
    Decision decision;
    decision.verdict = Verdict::rejected;
    decision.reply = "554 5.3.5 buildaddr: " + text;
    return decision;
}

// What rscheck() makes of a ruleset's result: `$#error` is a rejection with buildaddr()'s reply,
// `$#discard` accepts and drops the message, anything else passes.
Decision judge(const Tokens& result, const TokenTables& tables, std::string_view address,
               bool soft_bounce) {
    Decision decision;
    if (result.size() < 2 || !is_meta(result[0], Meta::CanonNet)) return decision;
    if (result[1] == "discard") {
        decision.discard = true;
        return decision;
    }
    if (result[1] != "error") return decision;
    size_t host_start = 0;
    size_t user_start = 0;
    for (size_t i = 2; i < result.size(); ++i) {
        if (is_meta(result[i], Meta::CanonHost) && host_start == 0 && user_start == 0)
            host_start = i + 1;
        else if (is_meta(result[i], Meta::CanonUser) && user_start == 0)
            user_start = i + 1;
    }
    if (user_start == 0) return config_error("no user");
    std::string host =
        host_start ? cat_tokens(result, host_start, user_start - 1, tables, ' ') : std::string();
    std::string user = strip_quotes(cat_tokens(result, user_start, result.size(), tables, ' '));
    // buildaddr(): a text without an SMTP code gets 553 5.3.0 whatever `$@` says.
    return user_error(user, host, address, soft_bounce);
}

// The F= flags of the mailer named `mailer`: the configuration's M line, else the mailers
// sendmail defines before it reads the configuration (setupmailers()); none for an unknown one.
std::optional<std::string> mailer_flags(const model::Config& config, std::string_view mailer) {
    std::optional<std::string> flags;
    for (const auto& [name, def] : config.mailers)
        if (equal_ci(name, mailer)) {
            auto field = def.fields.find('F');
            flags = field == def.fields.end() ? std::string() : field->second;
        }
    if (!flags && equal_ci(mailer, "prog")) flags = "lsouDq9";
    if (!flags && equal_ci(mailer, "*file*")) flags = "lsDFMPEouq9";
    if (!flags && equal_ci(mailer, "*include*")) flags = "su";
    return flags;
}

// What buildaddr() makes of ruleset 0's result when the daemon parses a MAIL FROM or RCPT TO
// argument: `$#error` refuses the command with its reply; a result without `$#`, a mailer the
// configuration does not define (prog, *file* and *include* are built in), a `$:` missing, or no
// `$@` host for a mailer without the local flag `l` are configuration errors the daemon answers
// with 554 (checked with `sendmail -bs`); anything else parses.
Decision build_address(const Tokens& pvp, const model::Config& config, const TokenTables& tables,
                       std::string_view address, bool soft_bounce) {
    if (pvp.size() < 2 || !is_meta(pvp[0], Meta::CanonNet))
        return config_error("no mailer in parsed address");
    const std::string& mailer = pvp[1];
    bool has_host = pvp.size() > 2 && is_meta(pvp[2], Meta::CanonHost);
    bool has_user = std::any_of(pvp.begin() + 2, pvp.end(),
                                [](const Token& t) { return is_meta(t, Meta::CanonUser); });
    if (!has_user) return config_error("no user");
    if (equal_ci(mailer, "error")) {
        Tokens as_error = pvp;
        as_error[1] = "error";
        return judge(as_error, tables, address, soft_bounce);
    }
    const std::optional<std::string> flags = mailer_flags(config, mailer);
    if (!flags) return config_error("unknown mailer " + mailer);
    if (!has_host && flags->find('l') == std::string::npos) return config_error("no host");
    return Decision{};
}

} // namespace

Outcome Simulator::rewrite(std::string_view rulesets, std::string_view input,
                           const Probe& probe) const {
    const Impl& im = *impl_;
    Outcome out;
    Run run(im, im.base_macros, out, true);
    set_session_macros(probe, run.macros);
    // As -bt does, each address of a comma-separated list in turn; the last one's result is
    // given back.
    Tokens pvp;
    while (true) {
        PrescanResult scanned =
            prescan(input, im.rules_no_comments ? im.tables.no_comments : im.tables.ext, ',');
        // -bt prints a scanning error after the address, without its reply code.
        for (const std::string& error : scanned.errors)
            run.message(std::string(input.substr(0, scanned.stop)) + "... " +
                        error.substr(error.find(' ') + 1));
        if (scanned.tokens) {
            pvp = std::move(*scanned.tokens);
            size_t start = 0;
            while (start <= rulesets.size()) {
                size_t comma = rulesets.find(',', start);
                std::string name(rulesets.substr(start, comma == std::string_view::npos
                                                            ? std::string_view::npos
                                                            : comma - start));
                int set = im.find_ruleset(name);
                if (set < 0) {
                    run.message("Undefined ruleset " + name);
                    break;
                }
                if (run.rewrite(pvp, set, 0) == kAborted) break;
                if (comma == std::string_view::npos) break;
                start = comma + 1;
            }
        }
        if (scanned.stop >= input.size() || run.aborted) break;
        input.remove_prefix(scanned.stop + 1);
    }
    out.reply = print_tokens(pvp);
    out.rule = run.decided;
    return out;
}

Outcome Simulator::run(const Probe& probe) const {
    return std::move(run_recipients(probe, {probe.rcpt}).front());
}

std::vector<Outcome> Simulator::run_recipients(const Probe& probe,
                                               const std::vector<std::string>& rcpts,
                                               Trace trace) const {
    const Impl& im = *impl_;

    // A syserr() while the daemon ran the rulesets for a MAIL or RCPT command refuses the command
    // with that error's reply (`sendmail -bs`: "554 5.3.5 Infinite loop in ruleset check_rcpt,
    // rule 1"); one in check_relay does not end the session (a daemon still greets).
    auto system_error_refuses = [&](Run& run, size_t errors_before, const std::string& stage) {
        if (run.system_errors.size() <= errors_before) return false;
        const std::string& reply = run.system_errors[errors_before];
        run.out.verdict = reply[0] == '4' ? Verdict::tempfail : Verdict::rejected;
        run.out.reply = reply;
        run.out.deciding_ruleset = stage;
        run.out.rule.reset();
        return true;
    };

    // Runs one check ruleset on `pieces` as rscheck() does; true when the session goes on.
    auto check = [&](Run& run, const std::string& ruleset, const std::vector<Piece>& pieces,
                     std::string_view address) {
        // A missing or skipped ruleset decides nothing: no rule of an earlier step (the parse)
        // may be taken for the one that accepted.
        run.decided.reset();
        int set = im.find_ruleset(ruleset);
        if (set < 0) return true;
        PrescanResult scanned = prescan(pieces, im.tables.internal);
        if (!scanned.tokens) return true; // rscheck: input it cannot scan passes
        Tokens pvp = std::move(*scanned.tokens);
        const size_t errors_before = run.system_errors.size();
        if (run.rewrite(pvp, set, 0) == kAborted) {
            run.out.verdict = Verdict::unknown;
            run.out.deciding_ruleset = ruleset;
            return false;
        }
        if (ruleset != "check_relay" && system_error_refuses(run, errors_before, ruleset))
            return false;
        Decision decision = judge(pvp, im.tables, address, im.soft_bounce);
        if (decision.discard)
            run.note(ruleset + " selected the discard mailer: the message is accepted and "
                               "thrown away");
        if (decision.verdict == Verdict::accepted) return true;
        run.out.verdict = decision.verdict;
        run.out.reply = decision.reply;
        run.out.deciding_ruleset = ruleset;
        run.out.rule = run.decided;
        return false;
    };
    auto text_pieces = [](std::string_view text) {
        std::vector<Piece> pieces;
        pieces.reserve(text.size() + 1);
        for (char c : text)
            pieces.push_back(Piece{c, {}});
        return pieces;
    };

    // parseaddr(): the daemon parses the MAIL FROM and RCPT TO arguments (prescan, rulesets 3
    // and 0, buildaddr) before it calls check_mail or check_rcpt, and refuses the command when
    // that fails (srvrsmtp.c: `if (Errors > 0)` after setsender() and parseaddr()). The triple
    // gives {mail_*} / {rcpt_*}. `side` is "mail" or "rcpt"; true when the session goes on.
    auto parse = [&](Run& run, std::string_view address, const std::string& side) {
        const std::string stage = "parse_" + side;
        auto refuse = [&](const Decision& decision) {
            run.out.verdict = decision.verdict;
            run.out.reply = decision.reply;
            run.out.deciding_ruleset = stage;
            run.out.rule = run.decided;
            return false;
        };
        run.decided.reset();
        PrescanResult scanned = prescan(address, im.tables.ext);
        // prescan's usrerr() ("553 Unbalanced '<'") refuses the address even where it patched it.
        if (!scanned.errors.empty())
            return refuse(user_error(scanned.errors.front(), "", address, im.soft_bounce));
        if (!scanned.tokens) // nothing to parse: setsender() falls back to postmaster
            return side == "mail" ||
                   refuse(user_error("501 5.0.0 Missing recipient", "", "", im.soft_bounce));
        Tokens pvp = std::move(*scanned.tokens);
        const size_t errors_before = run.system_errors.size();
        for (const char* set_name : {"3", "0"}) {
            int set = im.find_ruleset(set_name);
            if (set >= 0 && run.rewrite(pvp, set, 0) == kAborted) {
                run.out.verdict = Verdict::unknown;
                run.out.deciding_ruleset = stage;
                return false;
            }
        }
        if (system_error_refuses(run, errors_before, stage)) return false;
        if (pvp.size() >= 2 && is_meta(pvp[0], Meta::CanonNet)) {
            run.macros[side + "_mailer"] = pvp[1];
            if (side == "rcpt") {
                run.out.rcpt_mailer = pvp[1];
                // Final only without ruleset 5 on the way: for a mailer with flag 5, sendmail
                // runs localaddr (MAIL_HUB, LUSER_RELAY, LOCAL_RELAY) on the local user after
                // aliasing, and it may send the user elsewhere (not simulated).
                const std::optional<std::string> flags = mailer_flags(*im.config, pvp[1]);
                const int localaddr = im.find_ruleset("5");
                run.out.rcpt_local = flags && flags->find('l') != std::string::npos &&
                                     (flags->find('5') == std::string::npos || localaddr < 0 ||
                                      im.rulesets[static_cast<size_t>(localaddr)].rules.empty());
            }
            size_t host = 0, user = 0;
            for (size_t i = 2; i < pvp.size(); ++i) {
                if (is_meta(pvp[i], Meta::CanonHost) && !host && !user)
                    host = i + 1;
                else if (is_meta(pvp[i], Meta::CanonUser) && !user)
                    user = i + 1;
            }
            if (host)
                run.macros[side + "_host"] =
                    cat_tokens(pvp, host, user ? user - 1 : pvp.size(), im.tables, ' ');
            if (user)
                run.macros[side + "_addr"] = cat_tokens(pvp, user, pvp.size(), im.tables, ' ');
        }
        Decision decision = build_address(pvp, *im.config, im.tables, address, im.soft_bounce);
        return decision.verdict == Verdict::accepted || refuse(decision);
    };

    // The session and the MAIL command, once for every recipient: each RCPT goes on from a
    // copy of their state, as one whole run of the transaction per recipient would.
    Outcome head;
    Run session(im, im.base_macros, head, trace == Trace::recorded);
    set_session_macros(probe, session.macros);
    // Connection: check_relay gets "name $| addr".
    std::vector<Piece> relay = text_pieces(session.macros["client_name"]);
    relay.push_back(Piece{0, meta_token(Meta::CondElse)});
    for (Piece& p : text_pieces(probe.client.addr))
        relay.push_back(std::move(p));
    // MAIL FROM: the sender parsed, then check_mail.
    bool mail_accepted =
        check(session, "check_relay", relay, "") && parse(session, probe.mail_from, "mail");
    if (mail_accepted) {
        session.macros["f"] = strip_angles(probe.mail_from);
        session.macros["mail_from"] = probe.mail_from;
        mail_accepted = check(session, "check_mail", text_pieces(probe.mail_from), probe.mail_from);
    }

    std::vector<Outcome> outcomes;
    outcomes.reserve(rcpts.size());
    for (const std::string& rcpt : rcpts) {
        Outcome& out = outcomes.emplace_back(head);
        if (!mail_accepted) continue;
        // RCPT TO: the recipient parsed, then check_rcpt.
        Run run(session, out);
        if (!parse(run, rcpt, "rcpt") || !check(run, "check_rcpt", text_pieces(rcpt), rcpt))
            continue;
        out.verdict = Verdict::accepted;
        out.deciding_ruleset = "check_rcpt";
        out.rule = run.decided;
    }
    return outcomes;
}

std::vector<std::string> format_trace(const std::vector<Step>& trace) {
    auto column = [](const std::string& name) {
        std::string out = name.substr(0, 16);
        out.resize(16, ' ');
        return out;
    };
    std::vector<std::string> lines;
    std::vector<const Step*> open;
    auto close_to = [&](int depth) {
        while (!open.empty() && open.back()->depth >= depth) {
            const Step& step = *open.back();
            if (step.returned)
                lines.push_back(column(step.ruleset) +
                                " returns:" + (step.output.empty() ? "" : " " + step.output));
            open.pop_back();
        }
    };
    for (const Step& step : trace) {
        if (!step.message.empty()) {
            close_to(step.depth);
            lines.push_back(step.message);
            continue;
        }
        close_to(step.depth);
        lines.push_back(column(step.ruleset) +
                        "   input:" + (step.input.empty() ? "" : " " + step.input));
        open.push_back(&step);
    }
    close_to(0);
    return lines;
}

Outcome simulate(const model::Config& config, const Environment& env, const Probe& probe) {
    return Simulator(config, env).run(probe);
}

} // namespace smaudit::relay
