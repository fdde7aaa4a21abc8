// SM-S011 access-key-never-matches: access keys sendmail never looks up in the form written
// (CIDR, wildcards, a trailing .0, IPv6 without `IPv6:`, an unknown tag) (KB SEC-011).
// Duplicate keys, whose later values makemap drops, are the access parser's SM-E205.
#include "rules/map_support.hpp"

#include "parse/maps.hpp"

#include <cctype>

namespace smaudit::rules {

using ast::AccessTag;

// Tags whose keys are host names, IP prefixes or addresses, looked up by sendmail's rulesets.
static bool host_or_address_tag(AccessTag tag) {
    switch (tag) {
    case AccessTag::CertIssuer:
    case AccessTag::CertSubject:
    case AccessTag::AuthInfo:
    case AccessTag::Compat:
    case AccessTag::TlsSrvFeatures:
    case AccessTag::TlsCltFeatures:
    case AccessTag::Unknown:
        return false;
    default:
        return true;
    }
}

// Hex groups and colons only (with at least two colons): an IPv6 address.
static bool looks_like_ipv6(std::string_view key) {
    int colons = 0;
    for (char c : key) {
        if (c == ':')
            ++colons;
        else if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.')
            return false;
    }
    return colons >= 2;
}

// Why `key` (after its tag) is never what sendmail looks up, or empty.
static std::string never_matches(std::string_view key) {
    if (key.find('/') != std::string_view::npos)
        return "`" + std::string(key) +
               "` is CIDR notation, which sendmail does not understand: keys match whole octets "
               "only (`192.0.2` covers 192.0.2.0/24; contrib/cidrexpand expands CIDR)";
    if (key.find_first_of("*?") != std::string_view::npos)
        return "`" + std::string(key) +
               "` contains a wildcard, which sendmail compares literally: domain keys already "
               "cover their subdomains, IPv4 keys are prefixes";
    ast::AccessKeyInfo info = classify_access_key(key);
    if (info.kind == ast::AccessKeyKind::IPv4 && info.components == 4 && key.ends_with(".0"))
        return "`" + std::string(key) + "` matches only the one address " + std::string(key) +
               ", not its network: write the prefix `" +
               std::string(key.substr(0, key.size() - 2)) + "`";
    return {};
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    for (const ast::AccessFile& access : context.maps->access) {
        for (const ast::MapEntry& entry : access.entries) {
            // A dropped duplicate is the parser's SM-E205; the entry that wins is checked.
            if (entry.duplicate()) continue;
            std::string_view key = access.key(entry);
            if (entry.tag == AccessTag::Unknown) {
                std::string message =
                    looks_like_ipv6(key)
                        ? "`" + std::string(key) +
                              "` is an IPv6 address without the `IPv6:` prefix: sendmail looks "
                              "up `IPv6:" +
                              std::string(key) + "`, never this key"
                        : "`" + std::string(access.tag_text(entry)) +
                              ":` is no access tag sendmail knows (misspelled?): the entry is "
                              "never looked up";
                out.report(at(access.file, entry.key_span()), std::move(message),
                           "never looked up");
                continue;
            }
            if (!host_or_address_tag(entry.tag)) continue;
            std::string why = never_matches(access.bare_key(entry));
            if (!why.empty())
                out.report(at(access.file, entry.bare_key_span()),
                           "`" + std::string(key) + "` never matches: " + why, "never matches");
        }
    }
}

extern const Rule kSM_S011 = {"SM-S011",
                              "access-key-never-matches",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "An access key never matches (CIDR, wildcard, trailing .0, bad "
                              "tag)",
                              "rewrite the key in a form sendmail looks up",
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
