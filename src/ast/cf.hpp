// AST of a sendmail.cf: one statement per logical line (a physical line plus its continuation
// lines). Plain structs; every node carries byte spans into the file it was parsed from.
// Strings hold the logical text as sendmail reads it; spans point at the raw bytes, so fixes and
// carets land on the real text. "As sendmail reads it" (readcf.c, checked with sendmail 8.17 -bt):
//  - a continuation keeps its line break: "a\n\tb" (fgetfolded() keeps the LF and the blanks);
//  - CR before LF is dropped; text after a NUL byte is dropped (C strings);
//  - from `V3` on, an inline `#` starts a comment to the end of that physical line, blanks before
//    it removed (`$#` and `\#` are not comments, `\#` becomes `#`); before any V line, or below
//    V3, `#` is text. This applies to O lines too: `O HelpFile=/x # note` sets "/x";
//  - blanks at the end of the logical line are removed.
#pragma once

#include "source/source.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace smaudit::ast {

// A word with its span (class members, map arguments, T users, ...).
struct CfWord {
    std::string text;
    Span span;
};

// `# text` (and the indented lines that continue it). `#O Name=value` lines are comments too:
// the model ignores them, rules may look at them.
struct CfComment {
    Span span;
    std::string text; // without the leading '#'
};

// `V10/Berkeley`
struct CfVersion {
    Span span;
    std::string level;  // "10"
    std::string vendor; // "Berkeley" (empty when absent)
    Span level_span;
    Span vendor_span; // empty when there is no vendor
};

// `Dj$w.Foo.COM`, `D{MTAHost}mail.example.org`
struct CfMacroDef {
    Span span;
    std::string name; // "j", "MTAHost" (braces removed)
    Span name_span;
    std::string value; // as sendmail stores it: quotes removed, backslash escapes applied
    Span value_span;   // the raw bytes after the name, quotes and escapes included
};

// `Cw localhost foo`, `C{R}example.org` (class words) and `Fw/etc/mail/local-host-names`,
// `F{R}-o /etc/mail/relay-domains %[^#]` (file classes), `F{x}|/usr/bin/prog` (program classes).
struct CfClass {
    Span span;
    std::string name; // "w", "R" ({R} and R are the same class: braces removed)
    Span name_span;
    bool from_file = false;
    std::vector<CfWord> words; // C lines: the members
    // F lines:
    bool optional = false; // -o
    bool program = false;  // path starts with '|'
    bool map = false;      // `F{x}key@maptype:spec` or `F{x}@LDAP`: path holds the whole spec
    std::string path;      // file or program (quotes removed), or the map spec
    Span path_span;        // raw bytes, quotes included
    std::string pattern;   // scanf pattern, e.g. "%[^#]"; empty when absent (sendmail: "%s").
                           // Always empty for programs and maps: sendmail ignores the rest.
    Span pattern_span;
};

// `O PrivacyOptions=goaway` (long form) or `Opgoaway` (legacy single letter form).
struct CfOption {
    Span span;
    bool legacy = false; // single letter form
    std::string name;    // as written: "PrivacyOptions", "Privacy", "p"
    Span name_span;
    bool has_value = false; // '=' present (long form) or text after the letter (legacy)
    std::string value;      // blanks around '=' and trailing blanks removed
    Span value_span;        // the value's bytes (empty span at the end when there is no value)
};

// `H?F?From: $q`, `H?${daemon_flags}?X: y`
struct CfHeader {
    Span span;
    std::string condition; // between the ?...? (flags or ${macro}), without the '?'
    Span condition_span;   // empty when there is no condition
    std::string name;
    Span name_span;
    std::string value; // one space after ':' removed (chompheader); continuations keep "\n\t"
    Span value_span;
};

// `Kaccess hash -T<TMPF> -o /etc/mail/access`
struct CfMap {
    Span span;
    std::string name;
    Span name_span;
    std::string type; // "hash", "host", "dns", "sequence", ...
    Span type_span;
    std::string spec; // everything after the type, as written (flags and path/arguments)
    Span spec_span;
    std::vector<CfWord> args; // spec split on blanks
};

// One `X=value` field of an M, Q or X line. Only the first letter of the field name counts.
struct CfField {
    Span span;
    std::string key;   // as written ("P", "Path", "F")
    char letter = 0;   // key's first letter
    std::string value; // quotes removed, backslash escapes applied (sendmail's munchstring)
    Span value_span;   // raw bytes of the value, quotes included
};

// `Mlocal, P=/usr/lib/sm.bin/mail.local, F=lsDFMAw5:/|@qPn9S, S=EnvFromL/HdrFromL, ...`
struct CfMailer {
    Span span;
    std::string name;
    Span name_span;
    std::vector<CfField> fields;
};

// `Qname, P=/var/spool/mqueue/q1, R=2, ...`
struct CfQueueGroup {
    Span span;
    std::string name;
    Span name_span;
    std::vector<CfField> fields;
};

// `Xmilter, S=local:/var/run/f1.sock, F=R, T=S:1s;R:1s`
struct CfMilter {
    Span span;
    std::string name;
    Span name_span;
    std::vector<CfField> fields;
};

// `Pfirst-class=0`
struct CfPrecedence {
    Span span;
    std::string name;
    Span name_span;
    std::string value;
    Span value_span;
};

// `Troot daemon` (trusted users, legacy)
struct CfTrustedUsers {
    Span span;
    std::vector<CfWord> users;
};

// `E TZ=...` / `Ename` (environment for mailers)
struct CfEnv {
    Span span;
    std::string name;
    Span name_span;
    std::string value;
    Span value_span;
    bool has_value = false;
};

// `S0`, `Scheck_rcpt`, `SLocal_check_rcpt=100` — starts a ruleset; the R lines after it belong
// to it. (`S{name}` is not valid: sendmail 8.17 rejects it as an invalid ruleset name.)
struct CfRuleset {
    Span span;
    std::string name; // "check_rcpt" or "0" for a numbered one
    Span name_span;
    std::optional<int> number; // "S0" -> 0; "Sname=100" -> 100; "Sname" -> nullopt
};

// `R$+ < @ $=w . >	$#local $: $1	comment`: LHS, RHS and comment are separated by tabs.
struct CfRule {
    Span span;
    std::string lhs;
    Span lhs_span;
    std::string rhs;
    Span rhs_span;
    std::string comment; // after the TABs that end the RHS; sendmail ignores it. Empty when absent
    Span comment_span;
};

// Reserved for lines sendmail accepts but smaudit does not model; the parser emits none today
// (`L`/`G` lines exist only in XLA or Sun builds and are reported as SM-E001).
struct CfOther {
    Span span;
    char letter = 0;
    std::string text;
};

using CfStatement = std::variant<CfComment, CfVersion, CfMacroDef, CfClass, CfOption, CfHeader,
                                 CfMap, CfMailer, CfQueueGroup, CfMilter, CfPrecedence,
                                 CfTrustedUsers, CfEnv, CfRuleset, CfRule, CfOther>;

struct CfFile {
    FileId file = kNoFile;
    std::vector<CfStatement> statements; // in file order; bad lines are left out
};

} // namespace smaudit::ast
