#include "app/discover.hpp"

#include "m4/expand.hpp"
#include "parse/cf_parser.hpp"
#include "parse/maps.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace smaudit {

namespace {

std::string basename_of(std::string_view path) {
    return fs::path(std::string(path)).filename().string();
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Names sendmail's own layout gives its files (Debian, FreeBSD, the cf/README examples).
struct NamedRole {
    std::string_view name;
    FileKind kind;
};
constexpr NamedRole kRoles[] = {
    {"sendmail.cf", FileKind::Cf},          {"submit.cf", FileKind::Cf},
    {"sendmail.mc", FileKind::Mc},          {"submit.mc", FileKind::Mc},
    {"access", FileKind::Access},           {"aliases", FileKind::Aliases},
    {"relay-domains", FileKind::ClassFile}, {"local-host-names", FileKind::ClassFile},
    {"trusted-users", FileKind::ClassFile}, {"virtusertable", FileKind::KeyValueMap},
    {"mailertable", FileKind::KeyValueMap}, {"genericstable", FileKind::KeyValueMap},
    {"domaintable", FileKind::KeyValueMap}, {"authinfo", FileKind::KeyValueMap},
};

// Typing by content reads at most this much of a file (cut at a line end): a million-line
// access map is typed by its first thirty thousand lines.
constexpr size_t kTypingBytes = size_t{1} << 20;

// The lines of a file by what sendmail's readers make of them. Blank lines, comment lines and
// indented lines (continuations in a .cf, an access map or an aliases file) say nothing and
// are not counted: an access map's comments may well mention FEATURE(...).
struct LineTally {
    size_t mc = 0;      // starts with an m4 macro call: FEATURE(, define(, dnl, LOCAL_CONFIG
    size_t cf = 0;      // a statement the .cf parser reads
    size_t access = 0;  // an access entry: a tag and a key, or a key and an action (RELAY...)
    size_t aliases = 0; // `name: target, ...` with targets an aliases file would hold
    size_t unread = 0;  // none of these
    // Of the .cf and aliases lines, those after an .mc's LOCAL_CONFIG, LOCAL_RULESETS or
    // MAILER_DEFINITIONS: .cf text an .mc holds. Its header and DS lines read as aliases.
    size_t cf_text_in_mc = 0;
    // A V line, a ruleset or a rule among the .cf statements: what a .cf has and a shell file
    // of `NAME="value"` lines, which the .cf parser reads as D, C or Q lines, has not.
    bool cf_rules = false;

    size_t total() const { return mc + cf + access + aliases + unread; }
};

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `FEATURE(...`, `define(...`, `divert(-1)dnl`, `dnl ...`, `LOCAL_CONFIG`: a call m4 would make
// at the start of the line. Only `dnl` and sendmail's own upper-case macros count without
// arguments (`divert the mail` in a README is prose).
bool starts_with_mc_call(std::string_view line) {
    size_t n = 0;
    while (n < line.size() && is_name_char(line[n]))
        ++n;
    if (n == 0 || (line[0] >= '0' && line[0] <= '9')) return false;
    const std::string_view name = line.substr(0, n), rest = line.substr(n);
    if (!m4::is_mc_macro(name)) return false;
    if (rest.starts_with("(")) return true;
    if (name == "dnl") return rest.empty() || !is_name_char(rest[0]);
    // `LOCAL_CONFIG`, `MAILER_DEFINITIONS dnl`; `MAILER-DAEMON: postmaster` is an alias.
    const bool sendmail_macro =
        std::none_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    return sendmail_macro && (rest.empty() || rest[0] == ' ' || rest[0] == '\t' ||
                              rest[0] == '\r' || rest.starts_with("dnl"));
}

// Tags whose entry with an empty key is the tag's default (`GreetPause:<TAB>5000`, KB 1.6).
bool has_default_entry(ast::AccessTag tag) {
    using T = ast::AccessTag;
    switch (tag) {
    case T::GreetPause:
    case T::ClientRate:
    case T::ClientConn:
    case T::SrvFeatures:
    case T::CltFeatures:
    case T::TryTls:
    case T::TlsSrv:
    case T::TlsClt:
    case T::TlsRcpt:
    case T::TlsSrvFeatures:
    case T::TlsCltFeatures:
    case T::AuthInfo:
        return true;
    default:
        return false;
    }
}

// An access entry whatever its value: a known tag with a key (`Connect:10<TAB>RELAY`,
// `CertIssuer:/C=CH/...<TAB>RELAY`, `Srv_Features:192.168<TAB>A`) or a tag's default entry;
// an untagged key with an action (`spammer@example.com REJECT`). `spam: /dev/null` and
// `abuse: REJECT` are aliases: no access tag has an empty key with such a value.
bool reads_as_access(const ast::MapEntry& entry) {
    using K = ast::AccessValueKind;
    const bool action = entry.kind != K::Other && entry.kind != K::Number;
    const bool empty_key = entry.bare_key_span().empty();
    switch (entry.tag) {
    case ast::AccessTag::None:
        return action;
    case ast::AccessTag::Unknown: // an IPv6 key without `IPv6:`, a misspelt tag
        return action && !empty_key;
    default:
        return !empty_key || entry.kind != K::Other || has_default_entry(entry.tag);
    }
}

// A target an aliases file would hold: no blank outside quotes, (comments) and <addresses>,
// except in a program or error: target (`"|prog arg"`, `error:nouser No such user`).
bool plausible_alias_target(const ast::AliasTarget& target) {
    if (target.kind == ast::AliasTargetKind::Program || target.kind == ast::AliasTargetKind::Error)
        return true;
    // No local name has a ':' (`root:x:0:0:root:/root:/bin/bash` is /etc/passwd).
    if (target.kind == ast::AliasTargetKind::Local &&
        target.unquoted.find(':') != std::string::npos)
        return false;
    char closing = 0;
    for (char c : target.text) {
        if (closing) {
            if (c == closing) closing = 0;
        } else if (c == '"') {
            closing = '"';
        } else if (c == '(') {
            closing = ')';
        } else if (c == '<') {
            return true; // `Full Name <user@example.org>`
        } else if (c == ' ' || c == '\t') {
            return false;
        }
    }
    return true;
}

// `name: target, ...` as newaliases reads it, with a one-word name and plausible targets:
// `Note: this is prose` and a Makefile's `all: a b` are not aliases.
bool reads_as_alias(const ast::AliasesFile& file, const ast::AliasEntry& entry) {
    const std::string_view name = file.name(entry);
    if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return false;
    const std::vector<ast::AliasTarget> targets = file.targets(entry);
    return !targets.empty() && std::all_of(targets.begin(), targets.end(), plausible_alias_target);
}

Span statement_span(const ast::CfStatement& statement) {
    return std::visit([](const auto& s) { return s.span; }, statement);
}

// Reads `text` with each parser and counts its lines by the first reading that takes them:
// an access entry, an m4 call, an alias, a .cf statement. The order settles the lines two
// readers take: `Connect:10 RELAY` is also an alias named Connect, `H?P?Return-Path: <$g>`
// also a .cf header line, `OSTYPE(`linux')` also a .cf O line.
LineTally tally_lines(std::string_view text) {
    SourceSet probe;
    const FileId id = probe.add("", std::string(text));
    std::vector<Diagnostic> ignored;
    const ast::AccessFile access = parse_access(probe, id, ignored);
    const ast::AliasesFile aliases = parse_aliases(probe, id, ignored);
    const ast::CfFile cf = parse_cf(probe, id, ignored);
    // Each parser's entries are in file order and start at the start of a line.
    size_t next_access = 0, next_alias = 0, next_statement = 0;
    auto at_line = [](auto& next, const auto& items, uint32_t line_begin, auto begin_of) {
        while (next < items.size() && begin_of(items[next]) < line_begin)
            ++next;
        return next < items.size() && begin_of(items[next]) == line_begin ? &items[next] : nullptr;
    };
    LineTally tally;
    bool in_local_section = false; // after an .mc's LOCAL_CONFIG, LOCAL_RULESETS, ...
    for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        const auto line_begin = static_cast<uint32_t>(pos);
        pos = end + 1;
        if (line.empty() || line[0] == '#' || line[0] == ' ' || line[0] == '\t' || line == "\r")
            continue;
        // A line starting with m4's open quote continues a quoted argument of an .mc call
        // (define(`confPRIVACY_FLAGS',<newline>`goaway')dnl); three are a Markdown code fence.
        if (line[0] == '`') {
            if (line.starts_with("```")) ++tally.unread;
            continue;
        }
        const ast::MapEntry* entry = at_line(next_access, access.entries, line_begin,
                                             [](const ast::MapEntry& e) { return e.begin; });
        const ast::AliasEntry* alias =
            at_line(next_alias, aliases.entries, line_begin,
                    [](const ast::AliasEntry& e) { return e.span.begin; });
        const ast::CfStatement* statement =
            at_line(next_statement, cf.statements, line_begin,
                    [](const ast::CfStatement& s) { return statement_span(s).begin; });
        if (entry && reads_as_access(*entry))
            ++tally.access;
        else if (starts_with_mc_call(line)) {
            ++tally.mc;
            if (line.starts_with("LOCAL_") || line.starts_with("MAILER_DEFINITIONS"))
                in_local_section = true;
        } else if (alias && reads_as_alias(aliases, *alias)) {
            ++tally.aliases;
            tally.cf_text_in_mc += in_local_section;
        } else if (statement && !std::holds_alternative<ast::CfComment>(*statement)) {
            ++tally.cf;
            tally.cf_text_in_mc += in_local_section;
            if (std::holds_alternative<ast::CfVersion>(*statement) ||
                std::holds_alternative<ast::CfRuleset>(*statement) ||
                std::holds_alternative<ast::CfRule>(*statement))
                tally.cf_rules = true;
        } else
            ++tally.unread;
    }
    return tally;
}

// One way of reading a file: the lines it takes (`own`), those it tolerates (an .mc's
// LOCAL_CONFIG holds .cf lines, a .cf's header lines read as aliases) and the most lines
// another reading takes instead (`rival`).
struct Reading {
    FileKind kind;
    bool possible;
    size_t own, tolerated, rival;
};

// What the tally says a file is: the reading that explains most of its lines and takes more
// than twice as many lines as any other. Unknown otherwise, saying what the lines look like.
ContentKind kind_from_tally(const LineTally& t) {
    const size_t total = t.total();
    if (total == 0) return {FileKind::Unknown, "it has nothing but comments and blank lines"};
    // An .mc first: a working .cf, access map or aliases file never starts a line with an m4
    // call, while an .mc's LOCAL_CONFIG is .cf text.
    const Reading readings[] = {
        {FileKind::Mc, t.mc > 0, t.mc, t.cf_text_in_mc, t.access},
        {FileKind::Cf, t.cf_rules, t.cf, t.aliases + t.access, t.mc},
        {FileKind::Access, true, t.access, 0, std::max({t.mc, t.cf, t.aliases})},
        {FileKind::Aliases, true, t.aliases, 0, std::max({t.mc, t.cf, t.access})},
    };
    for (const Reading& r : readings)
        if (r.possible && r.own > 2 * r.rival && 2 * (r.own + r.tolerated) > total)
            return {r.kind, {}};
    // "of its 9 non-comment lines, 5 read as access map entries and 4 as aliases"
    std::vector<std::string> parts;
    auto part = [&](size_t n, std::string_view as) {
        if (n > 0)
            parts.push_back(std::to_string(n) + (parts.empty() ? " read as " : " as ") +
                            std::string(as));
    };
    part(t.access, "access map entries");
    part(t.aliases, "aliases");
    part(t.mc, ".mc macro calls");
    part(t.cf, ".cf lines");
    part(t.unread, "none of these");
    std::string doubt =
        "of its " + std::to_string(total) + " non-comment " + (total == 1 ? "line, " : "lines, ");
    for (size_t i = 0; i < parts.size(); ++i)
        doubt += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return {FileKind::Unknown, doubt};
}

} // namespace

FileKind kind_from_name(std::string_view path) {
    std::string base = basename_of(path);
    for (const NamedRole& role : kRoles)
        if (base == role.name) return role.kind;
    // Copies kept under other names: site.access, lists.aliases, backup.relay-domains.
    if (ends_with(base, ".access")) return FileKind::Access;
    if (ends_with(base, ".aliases")) return FileKind::Aliases;
    if (ends_with(base, ".relay-domains") || ends_with(base, ".local-host-names"))
        return FileKind::ClassFile;
    if (ends_with(base, ".cf")) return FileKind::Cf;
    if (ends_with(base, ".mc")) return FileKind::Mc;
    if (ends_with(base, ".m4")) return FileKind::M4;
    return FileKind::Unknown;
}

ContentKind kind_from_content(std::string_view text) {
    if (text.empty()) return {FileKind::Unknown, "it is empty"};
    std::string_view sample = text.substr(0, kTypingBytes);
    if (sample.find('\0') != std::string_view::npos)
        return {FileKind::Unknown, "it holds NUL bytes: a built map (.db) rather than its text "
                                   "source?"};
    if (sample.size() < text.size() && sample.rfind('\n') != std::string_view::npos)
        sample = sample.substr(0, sample.rfind('\n') + 1);
    return kind_from_tally(tally_lines(sample));
}

std::optional<FileKind> parse_kind(std::string_view name) {
    for (FileKind k : {FileKind::Mc, FileKind::Cf, FileKind::M4, FileKind::Access,
                       FileKind::Aliases, FileKind::ClassFile, FileKind::KeyValueMap})
        if (to_string(k) == name) return k;
    return std::nullopt;
}

std::string describe(const DiscoveryError& error) {
    std::string place = error.path;
    if (error.place)
        place +=
            ":" + std::to_string(error.place->line) + ":" + std::to_string(error.place->column);
    return place + ": " + error.message;
}

std::vector<DiscoveredFile> discover(const std::vector<std::string>& paths,
                                     std::optional<FileKind> forced_kind,
                                     std::vector<DiscoveryError>& errors) {
    std::vector<DiscoveredFile> found;
    for (const std::string& path : paths) {
        std::error_code ec;
        auto status = fs::status(path, ec);
        if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
            errors.push_back({path, ec.message()}); // a symbolic link loop, no permission
            continue;
        }
        if (ec || !fs::exists(status)) {
            errors.push_back({path, "no such file or directory"});
            continue;
        }
        if (fs::is_directory(status)) {
            // Only files whose name gives their role: a directory holds much else (.db maps,
            // Makefiles, certificates) that is not configuration text.
            std::vector<DiscoveredFile> in_dir;
            for (const auto& entry : fs::directory_iterator(path, ec)) {
                if (!entry.is_regular_file(ec)) continue;
                std::string name = entry.path().filename().string();
                FileKind kind = kind_from_name(name);
                bool known_name = std::any_of(std::begin(kRoles), std::end(kRoles),
                                              [&](const NamedRole& r) { return r.name == name; });
                if (!known_name && kind != FileKind::Cf && kind != FileKind::Mc) continue;
                bool msp = name == "submit.cf" || name == "submit.mc";
                in_dir.push_back({entry.path().string(), kind, msp});
            }
            if (ec)
                errors.push_back({path, ec.message()});
            else if (in_dir.empty())
                // An empty report would read as a clean bill of health for a mistyped path.
                errors.push_back({path, "no sendmail file here (sendmail.cf, sendmail.mc, "
                                        "access, aliases, relay-domains, *.cf, *.mc, ...)"});
            std::sort(in_dir.begin(), in_dir.end(),
                      [](const auto& a, const auto& b) { return a.path < b.path; });
            found.insert(found.end(), in_dir.begin(), in_dir.end());
            continue;
        }
        FileKind kind = forced_kind ? *forced_kind : kind_from_name(path);
        found.push_back({path, kind, false});
    }
    return found;
}

} // namespace smaudit
