#include "rules/map_support.hpp"

#include "model/option_table.hpp"
#include "parse/maps.hpp"

#include <libpsl.h>

#include <algorithm>
#include <cctype>

namespace smaudit::rules {

bool is_public_suffix(std::string_view domain) {
    while (!domain.empty() && domain.front() == '.')
        domain.remove_prefix(1);
    while (!domain.empty() && domain.back() == '.')
        domain.remove_suffix(1);
    if (domain.empty()) return false;
    // psl_latest() takes the newer of the built-in list and Debian's publicsuffix package;
    // loaded once, never freed (it lives as long as the program).
    static const psl_ctx_t* const psl = [] {
        const psl_ctx_t* ctx = psl_latest(nullptr);
        return ctx != nullptr ? ctx : psl_builtin();
    }();
    std::string name = model::to_lower(domain);
    if (name.find('.') == std::string::npos) return true; // single label: a TLD or the like
    return psl != nullptr && psl_is_public_suffix2(psl, name.c_str(), PSL_TYPE_ANY) != 0;
}

static bool in_rfc1918(std::string_view key) {
    // key is "a.b" with two octets
    size_t dot = key.find('.');
    std::string_view first = key.substr(0, dot), second = key.substr(dot + 1);
    if (first == "10" || first == "127") return true;
    if (first == "192" && second == "168") return true;
    if (first == "172") {
        int n = 0;
        for (char c : second)
            n = n * 10 + (c - '0');
        return n >= 16 && n <= 31;
    }
    return false;
}

// Loopback: the host itself (Debian's default access file relays for these).
static bool is_loopback(std::string_view key) {
    std::string name = model::to_lower(key);
    return name == "localhost" || name == "localhost.localdomain" || name == "127" ||
           name.starts_with("127.") || name == "ipv6:::1" || name == "ipv6:0:0:0:0:0:0:0:1";
}

std::optional<std::string> relay_breadth(std::string_view key) {
    if (is_loopback(key)) return std::nullopt;
    ast::AccessKeyInfo info = classify_access_key(key);
    switch (info.kind) {
    case ast::AccessKeyKind::IPv4:
        if (info.components == 1)
            return "the one-octet prefix `" + std::string(key) + "` covers " + std::string(key) +
                   ".0.0.0/8, 16 million addresses";
        if (info.components == 2 && !in_rfc1918(key))
            return "the two-octet prefix `" + std::string(key) + "` covers " + std::string(key) +
                   ".0.0/16, 65,536 public addresses";
        return std::nullopt;
    case ast::AccessKeyKind::IPv6:
        // A key written with "::" is a whole address, not a prefix.
        if (info.components <= 2 && !info.ipv6_compressed)
            return "the IPv6 prefix `" + std::string(key) +
                   "` has at most two groups (a /32 or wider)";
        return std::nullopt;
    case ast::AccessKeyKind::Domain:
        if (key.find('.', key.starts_with('.') ? 1 : 0) == std::string_view::npos)
            return "`" + std::string(key) + "` is a single label: every name that ends in ." +
                   std::string(key.starts_with('.') ? key.substr(1) : key) + " matches";
        if (is_public_suffix(key))
            return "`" + std::string(key) +
                   "` is a public suffix (public suffix list): every domain registered under it "
                   "matches";
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

static bool kept_less(const ast::MapDuplicate& a, const ast::MapDuplicate& b) {
    return a.kept < b.kept;
}

DuplicatesByKept::DuplicatesByKept(const std::vector<ast::MapDuplicate>& duplicates)
    : sorted_(duplicates) {
    std::stable_sort(sorted_.begin(), sorted_.end(), kept_less);
}

std::span<const ast::MapDuplicate> DuplicatesByKept::of(uint32_t kept) const {
    auto [first, last] =
        std::equal_range(sorted_.begin(), sorted_.end(), ast::MapDuplicate{kept, kept}, kept_less);
    return {first, last};
}

bool is_relay_domains_file(const RuleContext& context, const ast::ClassFile& file) {
    return model::is_relay_domains_file(context.sources,
                                        context.config_present ? &context.config : nullptr, file);
}

} // namespace smaudit::rules
