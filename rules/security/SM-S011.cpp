// SM-S011 access-key-never-matches: access keys sendmail never looks up in the form written
// (CIDR, wildcards, a trailing .0, IPv6 without `IPv6:`, an unknown tag), and untagged entries
// that tagged ones shadow for every lookup (KB SEC-011).
// Duplicate keys, whose later values makemap drops, are the access parser's SM-E205.
#include "rules/map_support.hpp"

#include "parse/maps.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

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
    // memchr for each of '/', '*' and '?': find_first_of("*?") calls memchr once per key byte,
    // and a byte loop costs more than three vectorised scans of a short key. A million keys
    // come here.
    const bool slash = key.find('/') != std::string_view::npos;
    const bool wildcard =
        key.find('*') != std::string_view::npos || key.find('?') != std::string_view::npos;
    if (slash)
        return "`" + std::string(key) +
               "` is CIDR notation, which sendmail does not understand: keys match whole octets "
               "only (`192.0.2` covers 192.0.2.0/24; contrib/cidrexpand expands CIDR)";
    if (wildcard)
        return "`" + std::string(key) +
               "` contains a wildcard, which sendmail compares literally: domain keys already "
               "cover their subdomains, IPv4 keys are prefixes";
    if (!key.ends_with(".0")) return {}; // checked first: a million keys are classified once
    ast::AccessKeyInfo info = classify_access_key(key);
    if (info.kind == ast::AccessKeyKind::IPv4 && info.components == 4)
        return "`" + std::string(key) + "` matches only the one address " + std::string(key) +
               ", not its network: write the prefix `" +
               std::string(key.substr(0, key.size() - 2)) + "`";
    return {};
}

// The octet prefix a CIDR key or a key ending in .0 was meant as ("192.0.2" for
// "192.0.2.0/24" and "192.0.2.0"), when it has one: masks of /8, /16, /24 (or /32) with the
// host bits zero. Empty otherwise.
static std::string meant_prefix(std::string_view key) {
    std::string_view address = key.substr(0, key.find('/'));
    int mask = 32;
    if (size_t slash = key.find('/'); slash != std::string_view::npos) {
        std::string_view bits = key.substr(slash + 1);
        if (bits != "8" && bits != "16" && bits != "24" && bits != "32") return {};
        mask = bits[0] == '8' ? 8 : bits == "16" ? 16 : bits == "24" ? 24 : 32;
    } else if (!address.ends_with(".0")) {
        return {};
    } else {
        mask = 24;
    }
    ast::AccessKeyInfo info = classify_access_key(address);
    if (info.kind != ast::AccessKeyKind::IPv4 || info.components != 4) return {};
    std::vector<std::string_view> octets;
    for (size_t start = 0; start <= address.size();) {
        size_t dot = address.find('.', start);
        if (dot == std::string_view::npos) dot = address.size();
        octets.push_back(address.substr(start, dot - start));
        start = dot + 1;
    }
    size_t keep = static_cast<size_t>(mask / 8);
    for (size_t i = keep; i < octets.size(); ++i)
        if (octets[i] != "0") return {}; // host bits set: not a network written this way
    std::string prefix;
    for (size_t i = 0; i < keep; ++i)
        prefix += (i ? "." : "") + std::string(octets[i]);
    return prefix;
}

// Untagged entries serve the Connect:, From: and To: lookups, each of which tries the tagged key
// first at every level (the D and A rulesets of proto.m4): with all three tagged keys present,
// the untagged entry is never used.
static void report_shadowed(const ast::AccessFile& access, Emitter& out) {
    // The untagged keys (usually few), by 32 bits of the hash of their folded text, in one sorted
    // array of 8 bytes a key (their Connect/From/To bits beside it): a million tagged entries
    // cost one binary search each in a few cache lines, and no key is copied.
    struct Untagged {
        uint32_t hash;
        uint32_t entry;
    };
    const FoldedKeyHash hash;
    const FoldedKeyEqual equal;
    // Counted first and reserved exactly: grown by doubling, this array and its copy were the
    // peak memory of a million-entry audit.
    size_t untagged_count = 0;
    for (const ast::MapEntry& entry : access.entries)
        untagged_count += !entry.duplicate() && entry.tag == AccessTag::None;
    if (untagged_count == 0) return;
    // A Bloom filter of the full hashes (two bits each, 8 to 16 bits a key, at least 128 KB so it
    // stays in cache): most tagged keys have no untagged twin and stop here.
    size_t filter_bits = size_t{1} << 20;
    while (filter_bits < untagged_count * 8)
        filter_bits <<= 1;
    std::vector<uint64_t> filter(filter_bits / 64);
    auto bit_positions = [&](size_t h) {
        return std::pair<size_t, size_t>{h & (filter_bits - 1), (h >> 32) & (filter_bits - 1)};
    };
    std::vector<Untagged> untagged;
    untagged.reserve(untagged_count);
    for (uint32_t i = 0; i < access.entries.size(); ++i) {
        const ast::MapEntry& entry = access.entries[i];
        if (entry.duplicate() || entry.tag != AccessTag::None) continue;
        const size_t h = hash(access.key(entry));
        untagged.push_back({static_cast<uint32_t>(h), i});
        auto [a, b] = bit_positions(h);
        filter[a / 64] |= uint64_t{1} << (a % 64);
        filter[b / 64] |= uint64_t{1} << (b % 64);
    }
    auto by_hash = [](const Untagged& a, const Untagged& b) { return a.hash < b.hash; };
    std::sort(untagged.begin(), untagged.end(), by_hash);
    std::vector<uint8_t> tags(untagged.size()); // a bit per Connect/From/To key of the same text
    auto maybe_untagged = [&](size_t h) {
        auto [a, b] = bit_positions(h);
        return (filter[a / 64] >> (a % 64) & 1) != 0 && (filter[b / 64] >> (b % 64) & 1) != 0;
    };
    for (const ast::MapEntry& entry : access.entries) {
        if (entry.duplicate()) continue;
        uint8_t bit = entry.tag == AccessTag::Connect ? 1
                      : entry.tag == AccessTag::From  ? 2
                      : entry.tag == AccessTag::To    ? 4
                                                      : 0;
        if (bit == 0) continue;
        const std::string_view bare = access.bare_key(entry);
        const size_t h = hash(bare);
        if (!maybe_untagged(h)) continue;
        auto [first, last] = std::equal_range(untagged.begin(), untagged.end(),
                                              Untagged{static_cast<uint32_t>(h), 0}, by_hash);
        for (auto it = first; it != last; ++it)
            if (equal(access.key(access.entries[it->entry]), bare))
                tags[static_cast<size_t>(it - untagged.begin())] |= bit;
    }
    std::vector<uint32_t> shadowed;
    for (size_t i = 0; i < untagged.size(); ++i)
        if (tags[i] == 7) shadowed.push_back(untagged[i].entry);
    // Freed before the findings are made, which may grow the findings array.
    std::vector<Untagged>().swap(untagged);
    std::vector<uint64_t>().swap(filter);
    std::vector<uint8_t>().swap(tags);
    std::sort(shadowed.begin(), shadowed.end()); // report in file order
    for (uint32_t i : shadowed) {
        const ast::MapEntry& entry = access.entries[i];
        std::string key(access.key(entry));
        out.report(at(access.file, entry.key_span()),
                   "`" + key + "` is never used: Connect:" + key + ", From:" + key + " and To:" +
                       key + " are all in the map, and each lookup takes its tagged key first",
                   "shadowed by tagged entries");
    }
}

// Two parts (Rule::parts), each a pass over a million entries: the shadowed untagged keys,
// and the keys never looked up.
static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    for (const ast::AccessFile& access : context.maps->access) {
        if (context.does_part(0)) report_shadowed(access, out);
        if (!context.does_part(1)) continue;
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
                Diagnostic& d = out.report(at(access.file, entry.key_span()), std::move(message),
                                           "never looked up");
                if (looks_like_ipv6(key))
                    d.fix = Fix{"add the IPv6: prefix",
                                false,
                                {Edit{at(access.file, {entry.begin, entry.begin}), "IPv6:"}}};
                continue;
            }
            if (!host_or_address_tag(entry.tag)) continue;
            std::string why = never_matches(access.bare_key(entry));
            if (why.empty()) continue;
            Diagnostic& d =
                out.report(at(access.file, entry.bare_key_span()),
                           "`" + std::string(key) + "` never matches: " + why, "never matches");
            // Unsafe: the entry starts to act, on the network it was presumably meant for.
            if (std::string prefix = meant_prefix(access.bare_key(entry)); !prefix.empty())
                d.fix = Fix{"write the octet prefix `" + prefix + "`",
                            false,
                            {Edit{at(access.file, entry.bare_key_span()), prefix}}};
        }
    }
}

extern const Rule kSM_S011 = {
    "SM-S011",
    "access-key-never-matches",
    Pack::Security,
    Severity::Medium,
    5,
    "An access entry never matches (CIDR, wildcard, trailing .0, bad tag, "
    "shadowed)",
    "rewrite the key in a form sendmail looks up",
    FixKind::Unsafe,
    &check,
    Rule::Scope::Maps,
    {},
    {},
    nullptr,
    2};

} // namespace smaudit::rules
