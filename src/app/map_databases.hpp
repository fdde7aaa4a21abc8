// Finds the map databases a configuration makes sendmail load (K hash/btree maps, AliasFile),
// reads each through Berkeley DB and compares it with its text source, read by the parser of
// makemap (access, other key/value maps) or newaliases (aliases).
//
// Where it looks: the paths as the configuration names them, only where the audit may look at
// the live tree: a database whose directory is the configuration's own or lies under a directory
// named on the command line. Elsewhere (a configuration kept in a repository, naming
// /etc/mail/access) nothing is looked up and the map rules stay silent. `root`, when not empty,
// is a directory every absolute path is taken under instead (a test's tree).
#pragma once

#include "model/config.hpp"
#include "model/map_databases.hpp"

#include <string>
#include <vector>

namespace smaudit {

model::MapDatabases inspect_map_databases(const model::Config& config,
                                          const std::string& config_path,
                                          const std::vector<std::string>& audited_dirs,
                                          const std::string& root = {});

} // namespace smaudit
