// Finds the map databases a configuration makes sendmail load (K hash/btree maps, AliasFile),
// reads each through Berkeley DB and compares it with its text source, read by the parser of
// makemap (access, other key/value maps) or newaliases (aliases).
//
// Where it looks: the databases app/referenced_files finds the configuration referencing
// (references_of), each looked up with RootedTree::resolve as every referenced file is: under
// --root (`root`), a symbolic link that leaves the root never followed; without it, on this
// machine, only where the audit may look at the live tree (InPlaceDirs: the configuration's own
// directory or one named on the command line). Elsewhere (a configuration kept in a repository,
// naming /etc/mail/access) nothing is looked up and the map rules stay silent.
#pragma once

#include "app/referenced_files.hpp"
#include "model/map_databases.hpp"

#include <vector>

namespace smaudit {

model::MapDatabases inspect_map_databases(const std::vector<FileReference>& references,
                                          const RootedTree* root, const InPlaceDirs& in_place);

} // namespace smaudit
