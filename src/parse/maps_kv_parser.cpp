// Parser of plain `key value` makemap sources and the AST helpers shared with the access map.
#include "parse/maps.hpp"
#include "parse/maps_makemap.hpp"

namespace smaudit {

namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar::makemap;

template <typename Rule> struct kv_action : pegtl::nothing<Rule> {};
template <> struct kv_action<g::plain_key> {
    template <typename Input> static void apply(const Input& in, maps_detail::MakemapLineState& s) {
        s.entry.begin = static_cast<uint32_t>(in.begin() - s.base);
        s.entry.key_len = static_cast<uint16_t>(in.size());
    }
};
template <> struct kv_action<g::plain_value> {
    template <typename Input> static void apply(const Input& in, maps_detail::MakemapLineState& s) {
        s.entry.value_off = static_cast<uint16_t>((in.begin() - s.base) - s.entry.begin);
        s.entry.value_len = static_cast<uint16_t>(in.size());
    }
};
template <> struct kv_action<g::entry<g::plain_key, g::plain_value>> {
    template <typename Input> static void apply(const Input&, maps_detail::MakemapLineState& s) {
        s.entries.push_back(s.entry);
    }
};

} // namespace

ast::KeyValueMap parse_kv_map(const SourceSet& sources, FileId file,
                              std::vector<Diagnostic>& diagnostics) {
    return maps_detail::parse_makemap<g::line<g::plain_key, g::plain_value>, kv_action,
                                      ast::KeyValueMap>(sources, file, diagnostics);
}

namespace ast {

std::string KeyValueMap::stored_key(const MapEntry& entry) const {
    std::string key(this->key(entry));
    for (char& c : key)
        c = maps_detail::ascii_lower(c);
    return key;
}

std::string_view to_string(AccessTag tag) {
    switch (tag) {
    case AccessTag::None:
        return "";
    case AccessTag::Connect:
        return "Connect";
    case AccessTag::From:
        return "From";
    case AccessTag::To:
        return "To";
    case AccessTag::Spam:
        return "Spam";
    case AccessTag::GreetPause:
        return "GreetPause";
    case AccessTag::ClientRate:
        return "ClientRate";
    case AccessTag::ClientConn:
        return "ClientConn";
    case AccessTag::Qgrp:
        return "QGRP";
    case AccessTag::SrvFeatures:
        return "Srv_Features";
    case AccessTag::CltFeatures:
        return "Clt_Features";
    case AccessTag::TryTls:
        return "Try_TLS";
    case AccessTag::TlsClt:
        return "TLS_Clt";
    case AccessTag::TlsSrv:
        return "TLS_Srv";
    case AccessTag::TlsRcpt:
        return "TLS_Rcpt";
    case AccessTag::TlsSrvFeatures:
        return "TLS_Srv_Features";
    case AccessTag::TlsCltFeatures:
        return "TLS_Clt_Features";
    case AccessTag::CertIssuer:
        return "CERTISSUER";
    case AccessTag::CertSubject:
        return "CERTSUBJECT";
    case AccessTag::AuthInfo:
        return "AuthInfo";
    case AccessTag::Compat:
        return "Compat";
    case AccessTag::Unknown:
        return "";
    }
    return "";
}

std::string_view to_string(AccessValueKind kind) {
    switch (kind) {
    case AccessValueKind::Ok:
        return "OK";
    case AccessValueKind::Relay:
        return "RELAY";
    case AccessValueKind::Reject:
        return "REJECT";
    case AccessValueKind::Discard:
        return "DISCARD";
    case AccessValueKind::Skip:
        return "SKIP";
    case AccessValueKind::Error:
        return "ERROR";
    case AccessValueKind::Quarantine:
        return "QUARANTINE";
    case AccessValueKind::Temp:
        return "TEMP";
    case AccessValueKind::LegacyError:
        return "legacy-error";
    case AccessValueKind::Number:
        return "number";
    case AccessValueKind::Friend:
        return "FRIEND";
    case AccessValueKind::Hater:
        return "HATER";
    case AccessValueKind::Other:
        return "other";
    }
    return "other";
}

} // namespace ast

} // namespace smaudit
