// Classification of access keys (KB §1.6).
#include "parse/maps.hpp"
#include "parse/maps_common.hpp"

#include <cctype>

namespace smaudit {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_label_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool starts_with_ci(std::string_view text, std::string_view lower) {
    if (text.size() < lower.size()) return false;
    for (size_t i = 0; i < lower.size(); ++i)
        if (maps_detail::ascii_lower(text[i]) != lower[i]) return false;
    return true;
}

// Dotted decimal octets (0-255), 1 to 4 of them; the number of octets, 0 when not one.
int ipv4_octets(std::string_view s) {
    int octets = 0;
    size_t i = 0;
    while (true) {
        size_t start = i;
        unsigned value = 0;
        while (i < s.size() && is_digit(s[i]) && i - start < 3)
            value = value * 10 + (s[i++] - '0');
        if (i == start || value > 255 || (i < s.size() && is_digit(s[i]))) return 0;
        if (++octets > 4) return 0;
        if (i == s.size()) return octets;
        if (s[i] != '.') return 0;
        ++i;
    }
}

// Hex groups separated by ':' with at most one "::"; the number of groups written (a trailing
// embedded IPv4 address counts as two), 0 when not an IPv6 prefix.
int ipv6_groups(std::string_view s, bool& compressed) {
    compressed = s.find("::") != std::string_view::npos;
    if (s.empty() || (compressed && s.find("::", s.find("::") + 1) != std::string_view::npos))
        return 0;
    int groups = 0;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == ':') {
            ++i;
            continue;
        }
        size_t start = i;
        while (i < s.size() && is_hex(s[i]) && i - start < 4)
            ++i;
        if (i < s.size() && s[i] == '.') { // embedded IPv4 at the end
            return ipv4_octets(s.substr(start)) == 4 ? groups + 2 : 0;
        }
        if (i == start || (i < s.size() && s[i] != ':')) return 0;
        ++groups;
    }
    return groups <= 8 ? groups : 0;
}

} // namespace

ast::AccessKeyInfo classify_access_key(std::string_view key) {
    using ast::AccessKeyKind;
    ast::AccessKeyInfo info;
    if (key.empty()) {
        info.kind = AccessKeyKind::Empty;
        return info;
    }
    if (key.size() >= 2 && key.front() == '[' && key.back() == ']') {
        const std::string_view inner = key.substr(1, key.size() - 2);
        bool compressed = false;
        if (ipv4_octets(inner) == 4 ||
            (starts_with_ci(inner, "ipv6:") && ipv6_groups(inner.substr(5), compressed) > 0)) {
            info.kind = AccessKeyKind::BracketedIp;
            info.ipv6_compressed = compressed;
        }
        return info;
    }
    if (starts_with_ci(key, "ipv6:")) {
        const int groups = ipv6_groups(key.substr(5), info.ipv6_compressed);
        if (groups > 0) {
            info.kind = AccessKeyKind::IPv6;
            info.components = static_cast<uint8_t>(groups);
        }
        return info;
    }
    if (const int octets = ipv4_octets(key)) {
        info.kind = AccessKeyKind::IPv4;
        info.components = static_cast<uint8_t>(octets);
        return info;
    }
    if (const size_t at = key.find('@'); at != std::string_view::npos) {
        if (at + 1 == key.size())
            info.kind = at > 0 ? AccessKeyKind::LocalPart : AccessKeyKind::Other;
        else
            info.kind = at > 0 ? AccessKeyKind::Address : AccessKeyKind::Other;
        return info;
    }
    // A domain: labels of letters, digits, '-' and '_', an optional leading '.'.
    std::string_view labels = key.front() == '.' ? key.substr(1) : key;
    int count = 0;
    size_t i = 0;
    while (i <= labels.size()) {
        size_t start = i;
        while (i < labels.size() && is_label_char(labels[i]))
            ++i;
        if (i == start) return info; // empty label or a character no host name has
        ++count;
        if (i == labels.size()) break;
        if (labels[i] != '.') return info;
        ++i;
    }
    info.kind = AccessKeyKind::Domain;
    info.components = static_cast<uint8_t>(std::min(count, 255));
    return info;
}

namespace ast {

std::string_view to_string(AccessKeyKind kind) {
    switch (kind) {
    case AccessKeyKind::Empty:
        return "empty";
    case AccessKeyKind::IPv4:
        return "ipv4";
    case AccessKeyKind::IPv6:
        return "ipv6";
    case AccessKeyKind::BracketedIp:
        return "bracketed-ip";
    case AccessKeyKind::Domain:
        return "domain";
    case AccessKeyKind::Address:
        return "address";
    case AccessKeyKind::LocalPart:
        return "local-part";
    case AccessKeyKind::Other:
        return "other";
    }
    return "other";
}

} // namespace ast

} // namespace smaudit
