// The text maps of an audit (the access map source, the aliases file, class files such as
// relay-domains, key/value maps such as virtusertable): ParsedMaps owns them once; a MapSet is
// the view one configuration's rules read (the maps of its directory), so a million-entry map
// is never copied per configuration.
#pragma once

#include "ast/maps.hpp"
#include "diag/diagnostic.hpp"
#include "model/config.hpp"

#include <deque>
#include <functional>
#include <vector>

namespace smaudit::model {

template <class T> using MapRefs = std::vector<std::reference_wrapper<const T>>;

struct MapSet {
    MapRefs<ast::AccessFile> access;
    MapRefs<ast::AliasesFile> aliases;
    MapRefs<ast::ClassFile> class_files; // relay-domains, local-host-names, trusted-users
    MapRefs<ast::KeyValueMap> kv_maps;   // virtusertable, mailertable, genericstable, ...
    bool empty() const {
        return access.empty() && aliases.empty() && class_files.empty() && kv_maps.empty();
    }
};

// The file name part of a path.
std::string_view base_name(std::string_view path);

// Whether a class file holds class R (the hosts and domains sendmail relays for): named
// relay-domains (or *.relay-domains), or read by one of `config`'s F{R} lines (`config` may be
// null: no configuration audited).
bool is_relay_domains_file(const SourceSet& sources, const Config* config,
                           const ast::ClassFile& file);

class ParsedMaps {
  public:
    // Parses FILE with the parser of KIND and keeps the result; its syntax diagnostics go to
    // `diagnostics`. False, and nothing parsed, when KIND is not a map kind.
    bool parse(const SourceSet& sources, FileId file, FileKind kind,
               std::vector<Diagnostic>& diagnostics);
    // The kept maps whose file passes `keep`.
    MapSet view(const std::function<bool(FileId)>& keep) const;
    // Every kept map's file, in the order parsed.
    const std::vector<FileId>& files() const { return files_; }
    // Calls `visit` with the map parsed from FILE (an ast::AccessFile, AliasesFile, ClassFile
    // or KeyValueMap); nothing if FILE was not parsed as a map.
    template <class Visit> void visit(FileId file, Visit&& visit) const {
        for (const auto& m : access_)
            if (m.file == file) return visit(m);
        for (const auto& m : aliases_)
            if (m.file == file) return visit(m);
        for (const auto& m : class_files_)
            if (m.file == file) return visit(m);
        for (const auto& m : kv_maps_)
            if (m.file == file) return visit(m);
    }

  private:
    // deques: a reference handed out stays valid as more maps are parsed.
    std::deque<ast::AccessFile> access_;
    std::deque<ast::AliasesFile> aliases_;
    std::deque<ast::ClassFile> class_files_;
    std::deque<ast::KeyValueMap> kv_maps_;
    std::vector<FileId> files_;
};

} // namespace smaudit::model
