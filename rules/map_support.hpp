// What the access, aliases and relay-domains rules share: locations in map files, the
// over-broad relay key test (KB SEC-009/SEC-010) and finding the relay-domains class file.
#pragma once

#include "engine/rule.hpp"
#include "model/option_table.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

inline Location at(FileId file, Span span) {
    return Location{file, span};
}

// True when libpsl (Debian's public suffix list) says `domain` is a public suffix: `com`,
// `co.uk`, `github.io`. A leading '.' (lookupdotdomain keys) is ignored. Any single label counts
// (the list's implicit `*` rule), so `localhost` is one too.
bool is_public_suffix(std::string_view domain);

// Why relaying for `key` (an access key after its tag, or a class R word) covers far more than
// one site, or nullopt when it does not: a single label or public suffix (every name under it),
// a one-octet IPv4 prefix (a /8), a two-octet prefix outside RFC 1918 (a /16), an IPv6 prefix of
// at most two groups. Loopback keys (localhost, 127, IPv6:::1) are the host itself and never too
// broad. Sendmail matches domain keys with every subdomain and IPv4/IPv6 keys as
// prefixes on octet/group boundaries (KB §1.6).
std::optional<std::string> relay_breadth(std::string_view key);

// True for the class file sendmail reads into class R: named relay-domains (or *.relay-domains,
// fixtures), or named by an `F{R}` line of the configuration.
bool is_relay_domains_file(const RuleContext& context, const ast::ClassFile& file);

// Calls visit(aliases, entry, target) for every target of every alias in effect (an alias
// defined again later is replaced by that definition, as newaliases keeps the last), in file
// order: what the alias-target rules (SM-S044..S047) walk.
template <typename Visit> void for_each_alias_target(const RuleContext& context, Visit&& visit) {
    if (context.maps == nullptr) return;
    for (const ast::AliasesFile& aliases : context.maps->aliases)
        for (const ast::AliasEntry& entry : aliases.entries) {
            if (entry.overridden()) continue;
            for (const ast::AliasTarget& target : aliases.targets(entry))
                visit(aliases, entry, target);
        }
}

// The dropped duplicates of a map (makemap keeps a key's first entry, newaliases an alias's last
// definition) by the entry kept in their place, in file order: one lookup per finding, not a
// pass over every duplicate (a map may have tens of thousands of each).
class DuplicatesByKept {
  public:
    explicit DuplicatesByKept(const std::vector<ast::MapDuplicate>& duplicates);
    std::span<const ast::MapDuplicate> of(uint32_t kept) const;

  private:
    std::vector<ast::MapDuplicate> sorted_;
};

// The file name part of a path.
using model::base_name;

} // namespace smaudit::rules
