// Parsers of the text maps: access map, other makemap sources, class files and the aliases
// file. Every bad line gives one diagnostic (SM-E2xx, pack Syntax) and parsing goes on; the
// result holds what sendmail's own map builders would store.
#pragma once

#include "ast/maps.hpp"
#include "diag/diagnostic.hpp"
#include "diag/syntax_code.hpp"

#include <span>

#include <optional>
#include <string_view>
#include <vector>

namespace smaudit {

// `makemap hash access < access`
ast::AccessFile parse_access(const SourceSet& sources, FileId file,
                             std::vector<Diagnostic>& diagnostics);
// virtusertable, mailertable, genericstable, domaintable, authinfo: `makemap hash X < X`
ast::KeyValueMap parse_kv_map(const SourceSet& sources, FileId file,
                              std::vector<Diagnostic>& diagnostics);
// What an access key is, from the key after its tag ("192.168", "IPv6:2001:db8", "user@").
ast::AccessKeyInfo classify_access_key(std::string_view bare_key);

// `newaliases` (sendmail -bi)
ast::AliasesFile parse_aliases(const SourceSet& sources, FileId file,
                               std::vector<Diagnostic>& diagnostics);
// A class file as an F line with this pattern reads it.
ast::ClassFile parse_class_file(const SourceSet& sources, FileId file,
                                std::vector<Diagnostic>& diagnostics,
                                ast::ClassPattern pattern = ast::ClassPattern::FirstWord);

// The ClassPattern of an F line's scanf pattern: "" and "%s" read the first word, "%[^#]" and
// "%[^\#]" every word before a '#'. Other patterns: nullopt (the caller should say it cannot
// read the file the way sendmail does).
std::optional<ast::ClassPattern> class_pattern(std::string_view scanf_pattern);

// makemap's identity of keys (ASCII A-Z folded, nothing else), for hash containers keyed by
// keys as written in the map's text: no folded copy of each key is made.
struct FoldedKeyHash {
    size_t operator()(std::string_view key) const;
};
struct FoldedKeyEqual {
    bool operator()(std::string_view a, std::string_view b) const;
};

// The syntax diagnostics these parsers emit (SM-E2xx), for the rule registry.
std::span<const SyntaxCode> map_syntax_codes();

} // namespace smaudit
