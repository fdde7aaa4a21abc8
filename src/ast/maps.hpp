// AST of the text maps a sendmail server reads: the access map, other `key value` maps built
// with makemap (virtusertable, mailertable, genericstable, domaintable, authinfo), class files
// (F lines: relay-domains, local-host-names, trusted-users) and the aliases file.
//
// Map files can be huge (a million-line access map is not unusual), so entries hold byte
// offsets into the file's text, not strings: an access entry costs 12 bytes on top of the text.
// The file structs keep a view of that text (owned by the SourceSet) and give the key and
// value back, raw as written or as sendmail stores them.
#pragma once

#include "source/source.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::ast {

// The tag before the first ':' of an access key (KB §1.6). Matched case-insensitively, since
// makemap folds keys to lower case. `Unknown` is a key with a ':' whose prefix is no known tag
// (a misspelled tag, or an IPv6 address without the `IPv6:` prefix).
enum class AccessTag : uint8_t {
    None, // untagged key (deprecated: tried for connect, sender and recipient lookups)
    Connect,
    From,
    To,
    Spam,
    GreetPause,
    ClientRate,
    ClientConn,
    Qgrp,
    SrvFeatures,
    CltFeatures,
    TryTls,
    TlsClt,
    TlsSrv,
    TlsRcpt,
    TlsSrvFeatures,
    TlsCltFeatures,
    CertIssuer,
    CertSubject,
    AuthInfo,
    Compat,
    Unknown,
};
// "Connect", "TLS_Srv", ... ("" for None and Unknown).
std::string_view to_string(AccessTag tag);

// What the right-hand side of an access entry means, from its first word (sendmail's rulesets
// compare these case-insensitively).
enum class AccessValueKind : uint8_t {
    Ok,
    Relay,
    Reject,
    Discard,
    Skip,
    Error,       // ERROR:[D.S.N:]### text
    Quarantine,  // QUARANTINE:reason
    Temp,        // TEMP:...
    LegacyError, // "### text": a three-digit SMTP code and text
    Number,      // GreetPause/ClientRate/ClientConn values
    Friend,
    Hater,
    Other, // anything else: TLS_* requirements, Srv_Features letters, AuthInfo strings, ...
};
std::string_view to_string(AccessValueKind kind);

// What an access key (after its tag) is, for the rules about over-broad or dead keys (KB §1.6:
// IPv4 keys match on octet boundaries only, IPv6 keys need the `IPv6:` prefix, no CIDR).
enum class AccessKeyKind : uint8_t {
    Empty,       // `GreetPause:`: the tag's default entry
    IPv4,        // 1 to 4 dotted decimal octets: `10`, `192.168`, `192.0.2.9`
    IPv6,        // `IPv6:2001:db8` (prefix of groups)
    BracketedIp, // `[192.0.2.9]`, `[IPv6:2001:db8::1]`: an unresolved client's name
    Domain,      // `example.com`, `.example.com` (lookupdotdomain), `com`
    Address,     // `user@example.com`
    LocalPart,   // `user@`
    Other,       // anything else: CIDR `192.0.2.0/24`, `*`, IPv6 without `IPv6:`, ...
};
std::string_view to_string(AccessKeyKind kind);

struct AccessKeyInfo {
    AccessKeyKind kind = AccessKeyKind::Other;
    uint8_t components = 0;       // IPv4 octets, IPv6 groups written, domain labels
    bool ipv6_compressed = false; // IPv6 key written with "::" (sendmail's form depends on
                                  // IPV6_FULL and UseCompressedIPv6Addresses)
};

// One `KEY<blanks>VALUE` line of a makemap source, as offsets into the file's text. makemap
// splits at the first run of blanks; the value is the rest of the line without the newline,
// trailing blanks and a CR included (makemap stores them).
struct MapEntry {
    uint32_t begin = 0; // first byte of the key, which is the first byte of the line
    // makemap reads at most 1023 bytes of a line, so 10 bits hold each length and offset in it,
    // and an entry is 12 bytes (a million-entry map's audit is held to twice the file's size).
    uint32_t key_len : 10 = 0;
    uint32_t value_off : 10 = 0; // from begin
    uint32_t value_len : 10 = 0;
    uint32_t flags : 2 = 0;
    uint16_t tag_len = 0; // access: bytes of the tag and its ':' ("Connect:" = 8); 0 untagged
    AccessTag tag = AccessTag::None;               // access maps only
    AccessValueKind kind = AccessValueKind::Other; // access maps only

    static constexpr uint8_t kDuplicate =
        1; // same stored key as an earlier entry: makemap drops it
    static constexpr uint8_t kQuotedValue = 2; // the whole value is in double quotes

    Span key_span() const { return {begin, begin + key_len}; }
    Span tag_span() const { return {begin, begin + tag_len}; }
    // The key after the tag: "192.168" of "Connect:192.168".
    Span bare_key_span() const { return {begin + tag_len, begin + key_len}; }
    Span value_span() const {
        return {begin + value_off, begin + value_off + static_cast<uint32_t>(value_len)};
    }
    Span span() const { return {begin, value_span().end}; }
    bool duplicate() const { return (flags & kDuplicate) != 0; }
    bool quoted_value() const { return (flags & kQuotedValue) != 0; }
};
static_assert(sizeof(MapEntry) == 12);

// A dropped duplicate and the entry that wins, both as indices into `entries`.
struct MapDuplicate {
    uint32_t entry = 0;
    uint32_t kept = 0;
};

// A `key value` map source (virtusertable, mailertable, genericstable, domaintable, authinfo).
struct KeyValueMap {
    FileId file = kNoFile;
    std::string_view text;         // the file's text, owned by the SourceSet
    std::vector<MapEntry> entries; // every well-formed line in file order, duplicates included
    std::vector<MapDuplicate> duplicates;
    std::vector<Span> comments; // `#` lines (suppression comments live there)

    std::string_view slice(Span span) const { return text.substr(span.begin, span.size()); }
    std::string_view key(const MapEntry& entry) const { return slice(entry.key_span()); }
    std::string_view value(const MapEntry& entry) const { return slice(entry.value_span()); }
    // The key as makemap stores it: ASCII A-Z folded to lower case, nothing else changed.
    std::string stored_key(const MapEntry& entry) const;
};

// The access map: a KeyValueMap whose entries also carry tag and value kind.
struct AccessFile : KeyValueMap {
    // The tag as written, without its ':' ("Connect", "conect"); empty when untagged.
    std::string_view tag_text(const MapEntry& entry) const {
        return slice({entry.begin, entry.begin + (entry.tag_len ? entry.tag_len - 1u : 0u)});
    }
    std::string_view bare_key(const MapEntry& entry) const { return slice(entry.bare_key_span()); }
};

// A class file read by an `F` line. sendmail's fileclass() reads it with a scanf pattern:
// the default `%s` takes the first word of each line; Debian's `%[^\#]` takes every word
// before the first '#'. Lines starting with '#' are skipped either way.
enum class ClassPattern : uint8_t {
    FirstWord,       // "%s" (the default when the F line names no pattern)
    WordsBeforeHash, // "%[^#]" or "%[^\#]"
};

struct ClassFile {
    FileId file = kNoFile;
    std::string_view text;
    ClassPattern pattern = ClassPattern::FirstWord;
    std::vector<Span> words; // class members in file order (as written: sendmail keeps the case)
    std::vector<Span> comments;

    std::string_view word(Span span) const { return text.substr(span.begin, span.size()); }
};

// One alias target (an item of the comma-separated right-hand side).
enum class AliasTargetKind : uint8_t {
    Local,   // a local user or another alias
    Address, // user@domain, host!user: delivered elsewhere
    File,    // /path: appended to by the *file* mailer
    Program, // |command: piped to by the prog mailer
    Include, // :include:/path
    Error,   // error:code text
    Mailbox, // \user: the user's mailbox, no further aliasing
};
std::string_view to_string(AliasTargetKind kind);

struct AliasTarget {
    std::string text; // as written, blanks around it removed, quotes kept
    std::string unquoted;
    Span span; // raw bytes in the file (may cross a continuation line)
    AliasTargetKind kind = AliasTargetKind::Local;
    bool quoted = false; // the whole target is in double quotes
};

// `name: target, target` with its continuation lines. 20 bytes: aliases files of 100,000 lines
// exist, and the value of a continued entry is joined on demand rather than stored.
struct AliasEntry {
    Span span;             // the logical line: first line through its last continuation, no newline
    uint32_t name_end = 0; // the name is [span.begin, name_end), blanks before ':' excluded
    uint32_t value_begin = 0; // raw offset of the value's first byte; it runs to span.end
    uint8_t flags = 0;

    static constexpr uint8_t kOverridden = 1; // a later entry has the same name: it wins
    static constexpr uint8_t kContinued = 2;  // continuation or `\`-joined lines follow

    Span name_span() const { return {span.begin, name_end}; }
    Span value_span() const { return {value_begin, span.end}; } // raw, may cross lines
    bool continued() const { return (flags & kContinued) != 0; }
    bool overridden() const { return (flags & kOverridden) != 0; }
};

struct AliasesFile {
    FileId file = kNoFile;
    std::string_view text;
    std::vector<AliasEntry> entries;      // every stored definition in file order
    std::vector<MapDuplicate> duplicates; // {overridden entry, the later entry that wins}
    std::vector<Span> comments;           // comment logical lines (with swallowed indented lines)

    std::string_view slice(Span span) const { return text.substr(span.begin, span.size()); }
    std::string_view name(const AliasEntry& entry) const { return slice(entry.name_span()); }
    // The value exactly as newaliases stores it in the database: continuation lines joined
    // (newline and `\`-newline removed, the blanks starting a continuation line kept).
    std::string value(const AliasEntry& entry) const;
    // The key as newaliases stores it: lower case, comments and <> removed, blanks between
    // words replaced by '.' (BlankSub), blanks next to specials dropped.
    std::string key(const AliasEntry& entry) const;
    // The value's comma-separated targets, with their raw spans.
    std::vector<AliasTarget> targets(const AliasEntry& entry) const;
    // The raw span of bytes [offset, offset+length) of value(entry).
    Span raw_span(const AliasEntry& entry, uint32_t offset, uint32_t length) const;
};

} // namespace smaudit::ast
