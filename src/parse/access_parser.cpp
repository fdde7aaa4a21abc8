// Access map parser: grammar/access/access.hpp over makemap's line reader.
#include "grammar/access/access.hpp"
#include "parse/maps.hpp"
#include "parse/maps_makemap.hpp"

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

} // namespace

ast::AccessFile parse_access(const SourceSet& sources, FileId file,
                             std::vector<Diagnostic>& diagnostics) {
    return maps_detail::parse_makemap<g::line, access_action, ast::AccessFile>(sources, file,
                                                                               diagnostics);
}

} // namespace smaudit
