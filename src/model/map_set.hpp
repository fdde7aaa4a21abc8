// The text maps audited together with a configuration (the access map source, the aliases
// file, class files such as relay-domains, key/value maps such as virtusertable): what the map
// rules and the cross-file rules read.
#pragma once

#include "ast/maps.hpp"

#include <vector>

namespace smaudit::model {

struct MapSet {
    std::vector<ast::AccessFile> access;
    std::vector<ast::AliasesFile> aliases;
    std::vector<ast::ClassFile> class_files; // relay-domains, local-host-names, trusted-users
    std::vector<ast::KeyValueMap> kv_maps;   // virtusertable, mailertable, genericstable, ...
    bool empty() const {
        return access.empty() && aliases.empty() && class_files.empty() && kv_maps.empty();
    }
};

} // namespace smaudit::model
