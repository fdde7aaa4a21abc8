// Access map parser: grammar/access/access.hpp over makemap's line reader.
#include "grammar/access/access.hpp"
#include "parse/access_line.hpp"
#include "parse/maps.hpp"
#include "parse/maps_makemap.hpp"

#include <atomic>
#include <optional>
#include <string>

namespace smaudit {

namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar::access;

template <typename Rule> struct access_action : pegtl::nothing<Rule> {};

template <ast::AccessTag Tag> struct tag_action {
    template <typename Input> static void apply(const Input& in, maps_detail::MakemapLineState& s) {
        s.entry.tag = Tag;
        s.entry.tag_len = static_cast<uint16_t>(in.size());
    }
};
template <> struct access_action<g::tag_connect> : tag_action<ast::AccessTag::Connect> {};
template <> struct access_action<g::tag_from> : tag_action<ast::AccessTag::From> {};
template <> struct access_action<g::tag_to> : tag_action<ast::AccessTag::To> {};
template <> struct access_action<g::tag_spam> : tag_action<ast::AccessTag::Spam> {};
template <> struct access_action<g::tag_greet_pause> : tag_action<ast::AccessTag::GreetPause> {};
template <> struct access_action<g::tag_client_rate> : tag_action<ast::AccessTag::ClientRate> {};
template <> struct access_action<g::tag_client_conn> : tag_action<ast::AccessTag::ClientConn> {};
template <> struct access_action<g::tag_qgrp> : tag_action<ast::AccessTag::Qgrp> {};
template <> struct access_action<g::tag_srv_features> : tag_action<ast::AccessTag::SrvFeatures> {};
template <> struct access_action<g::tag_clt_features> : tag_action<ast::AccessTag::CltFeatures> {};
template <> struct access_action<g::tag_try_tls> : tag_action<ast::AccessTag::TryTls> {};
template <> struct access_action<g::tag_tls_clt> : tag_action<ast::AccessTag::TlsClt> {};
template <> struct access_action<g::tag_tls_srv> : tag_action<ast::AccessTag::TlsSrv> {};
template <> struct access_action<g::tag_tls_rcpt> : tag_action<ast::AccessTag::TlsRcpt> {};
template <>
struct access_action<g::tag_tls_srv_features> : tag_action<ast::AccessTag::TlsSrvFeatures> {};
template <>
struct access_action<g::tag_tls_clt_features> : tag_action<ast::AccessTag::TlsCltFeatures> {};
template <> struct access_action<g::tag_cert_issuer> : tag_action<ast::AccessTag::CertIssuer> {};
template <> struct access_action<g::tag_cert_subject> : tag_action<ast::AccessTag::CertSubject> {};
template <> struct access_action<g::tag_auth_info> : tag_action<ast::AccessTag::AuthInfo> {};
template <> struct access_action<g::tag_compat> : tag_action<ast::AccessTag::Compat> {};

template <> struct access_action<g::key> {
    template <typename Input> static void apply(const Input& in, maps_detail::MakemapLineState& s) {
        s.entry.begin = static_cast<uint32_t>(in.begin() - s.base);
        s.entry.key_len = static_cast<uint16_t>(in.size());
        if (s.entry.tag != ast::AccessTag::None) return;
        // A ':' in an untagged key: an unknown (misspelled) tag, unless it is an IPv6 key.
        const std::string_view key(in.begin(), in.size());
        const size_t colon = key.find(':');
        if (colon == std::string_view::npos || colon == 0) return;
        std::string prefix;
        for (char c : key.substr(0, colon))
            prefix += maps_detail::ascii_lower(c);
        if (prefix == "ipv6" || prefix == "[ipv6") return;
        s.entry.tag = ast::AccessTag::Unknown;
        s.entry.tag_len = static_cast<uint16_t>(colon + 1);
    }
};

template <ast::AccessValueKind Kind> struct kind_action {
    template <typename Input> static void apply(const Input&, maps_detail::MakemapLineState& s) {
        s.entry.kind = Kind;
    }
};
using K = ast::AccessValueKind;
template <> struct access_action<g::value_ok> : kind_action<K::Ok> {};
template <> struct access_action<g::value_relay> : kind_action<K::Relay> {};
template <> struct access_action<g::value_reject> : kind_action<K::Reject> {};
template <> struct access_action<g::value_discard> : kind_action<K::Discard> {};
template <> struct access_action<g::value_skip> : kind_action<K::Skip> {};
template <> struct access_action<g::value_friend> : kind_action<K::Friend> {};
template <> struct access_action<g::value_hater> : kind_action<K::Hater> {};
template <> struct access_action<g::value_error> : kind_action<K::Error> {};
template <> struct access_action<g::value_quarantine> : kind_action<K::Quarantine> {};
template <> struct access_action<g::value_temp> : kind_action<K::Temp> {};
template <> struct access_action<g::value_legacy_error> : kind_action<K::LegacyError> {};
template <> struct access_action<g::value_number> : kind_action<K::Number> {};

template <> struct access_action<g::value> {
    template <typename Input> static void apply(const Input& in, maps_detail::MakemapLineState& s) {
        const uint32_t begin = static_cast<uint32_t>(in.begin() - s.base);
        s.entry.value_off = static_cast<uint16_t>(begin - s.entry.begin);
        s.entry.value_len = static_cast<uint16_t>(in.size());
        std::string_view value(in.begin(), in.size());
        while (!value.empty() &&
               (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
            value.remove_suffix(1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            s.entry.flags |= ast::MapEntry::kQuotedValue;
    }
};

template <> struct access_action<grammar::makemap::entry<g::key, g::value>> {
    template <typename Input> static void apply(const Input&, maps_detail::MakemapLineState& s) {
        s.entries.push_back(s.entry);
    }
};

// The access grammar's reading of the common line shapes, by hand (parse/access_line.hpp):
// a key (with a known tag, or none) up to the first blank, blanks, a value of at least one
// byte. Lines that start with a blank or have no value (errors) are left to the grammar.
// tests/maps/access_fast_path_test.cpp holds it equal to the grammar.

bool is_blank(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// Whether [p, end) starts with WORD (lower case) in any case.
bool starts_folded(const char* p, const char* end, std::string_view word) {
    if (static_cast<size_t>(end - p) < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i)
        if (maps_detail::ascii_lower(p[i]) != word[i]) return false;
    return true;
}

// The grammar's known_tag: the name before the key's first ':' (no name holds a ':'). Tried
// only against the names of its length and first letter: a million keys come here.
ast::AccessTag known_tag(std::string_view name) {
    using T = ast::AccessTag;
    if (name.empty()) return T::None;
    auto is = [&](std::string_view known) {
        return starts_folded(name.data(), name.data() + name.size(), known);
    };
    const char first = maps_detail::ascii_lower(name[0]);
    switch (name.size()) {
    case 2:
        return is("to") ? T::To : T::None;
    case 4:
        return first == 'f'   ? (is("from") ? T::From : T::None)
               : first == 's' ? (is("spam") ? T::Spam : T::None)
               : first == 'q' ? (is("qgrp") ? T::Qgrp : T::None)
                              : T::None;
    case 6:
        return is("compat") ? T::Compat : T::None;
    case 7:
        return first == 'c'    ? (is("connect") ? T::Connect : T::None)
               : is("try_tls") ? T::TryTls
               : is("tls_clt") ? T::TlsClt
               : is("tls_srv") ? T::TlsSrv
                               : T::None;
    case 8:
        return is("tls_rcpt") ? T::TlsRcpt : is("authinfo") ? T::AuthInfo : T::None;
    case 10:
        return first == 'g'       ? (is("greetpause") ? T::GreetPause : T::None)
               : is("clientrate") ? T::ClientRate
               : is("clientconn") ? T::ClientConn
               : is("certissuer") ? T::CertIssuer
                                  : T::None;
    case 11:
        return is("certsubject") ? T::CertSubject : T::None;
    case 12:
        return is("srv_features") ? T::SrvFeatures : is("clt_features") ? T::CltFeatures : T::None;
    case 16:
        return is("tls_srv_features")   ? T::TlsSrvFeatures
               : is("tls_clt_features") ? T::TlsCltFeatures
                                        : T::None;
    default:
        return T::None;
    }
}

// The grammar's value_kind at p (after an optional quote); Other when none matches.
ast::AccessValueKind value_kind_at(const char* p, const char* end) {
    using K = ast::AccessValueKind;
    auto word_end = [&](const char* q) { return q == end || is_blank(*q) || *q == '"'; };
    auto keyword = [&](std::string_view word) {
        return starts_folded(p, end, word) && word_end(p + word.size());
    };
    if (p == end) return K::Other;
    switch (maps_detail::ascii_lower(*p)) {
    case 'r':
        return keyword("relay") ? K::Relay : keyword("reject") ? K::Reject : K::Other;
    case 'o':
        return keyword("ok") ? K::Ok : K::Other;
    case 'e':
        return starts_folded(p, end, "error:") ? K::Error : K::Other;
    case 'd':
        return keyword("discard") ? K::Discard : K::Other;
    case 's':
        return keyword("skip") ? K::Skip : K::Other;
    case 'q':
        return starts_folded(p, end, "quarantine:") ? K::Quarantine : K::Other;
    case 't':
        return starts_folded(p, end, "temp:") ? K::Temp : K::Other;
    case 'f':
        return keyword("friend") ? K::Friend : K::Other;
    case 'h':
        return keyword("hater") ? K::Hater : K::Other;
    default:
        break;
    }
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(*p)) return K::Other;
    // value_legacy_error: three digits and a blank; value_number: digits, blanks, the end.
    if (end - p >= 4 && digit(p[1]) && digit(p[2]) && is_blank(p[3])) return K::LegacyError;
    const char* q = p;
    while (q != end && digit(*q))
        ++q;
    while (q != end && is_blank(*q))
        ++q;
    return q == end ? K::Number : K::Other;
}

bool fast_access_line(const char* line, const char* end, const char* base, ast::MapEntry& entry) {
    if (line == end || is_blank(*line) || *line == '#') return false;
    const char* key_end = grammar::makemap::find_blank(line, end);
    if (key_end == end) return false; // no value: the grammar's error
    const char* value = key_end;
    while (value != end && is_blank(*value))
        ++value;
    if (value == end) return false; // blanks only after the key: the grammar's error
    const std::string_view key(line, static_cast<size_t>(key_end - line));
    entry.begin = static_cast<uint32_t>(line - base);
    entry.key_len = static_cast<uint16_t>(key.size());
    if (const size_t colon = key.find(':'); colon != std::string_view::npos && colon > 0) {
        if (const ast::AccessTag tag = known_tag(key.substr(0, colon));
            tag != ast::AccessTag::None) {
            entry.tag = tag;
            entry.tag_len = static_cast<uint16_t>(colon + 1);
        } else {
            // As the key action: an unknown (misspelled) tag, unless an IPv6 key.
            std::string prefix;
            for (char c : key.substr(0, colon))
                prefix += maps_detail::ascii_lower(c);
            if (prefix != "ipv6" && prefix != "[ipv6") {
                entry.tag = ast::AccessTag::Unknown;
                entry.tag_len = static_cast<uint16_t>(colon + 1);
            }
        }
    }
    entry.value_off = static_cast<uint16_t>(value - line);
    entry.value_len = static_cast<uint16_t>(end - value);
    entry.kind = value_kind_at(value + (*value == '"'), end);
    const char* last = end;
    while (last != value && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\r'))
        --last;
    if (last - value >= 2 && *value == '"' && last[-1] == '"')
        entry.flags |= ast::MapEntry::kQuotedValue;
    return true;
}

} // namespace

ast::AccessFile parse_access(const SourceSet& sources, FileId file,
                             std::vector<Diagnostic>& diagnostics) {
    return maps_detail::parse_makemap<g::line, access_action, ast::AccessFile>(
        sources, file, diagnostics, access_fast_path_enabled() ? &fast_access_line : nullptr);
}

namespace {
std::atomic<bool> fast_path{true};
} // namespace

bool access_fast_path_enabled() {
    return fast_path;
}

void set_access_fast_path(bool on) {
    fast_path = on;
}

std::optional<ast::MapEntry> access_line_fast(std::string_view line) {
    ast::MapEntry entry{};
    if (!fast_access_line(line.data(), line.data() + line.size(), line.data(), entry))
        return std::nullopt;
    return entry;
}

std::optional<ast::MapEntry> access_line_grammar(std::string_view line) {
    std::vector<ast::MapEntry> entries;
    std::vector<uint32_t> hashes;
    maps_detail::MakemapLineState state{line.data(), entries, hashes};
    tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy, tao::pegtl::eol::lf, const char*> in(
        line.data(), line.data() + line.size(), "");
    try {
        tao::pegtl::parse<g::line, access_action, grammar::makemap::control>(in, state);
    } catch (const tao::pegtl::parse_error&) {
        return std::nullopt;
    }
    if (entries.empty()) return std::nullopt; // a comment
    return entries.front();
}

} // namespace smaudit
