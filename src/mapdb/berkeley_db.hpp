// Reads a map database the way sendmail opens it: a Berkeley DB hash or btree file (what
// `makemap hash|btree` and `newaliases` write), through the Berkeley DB library sendmail links.
// Only this module sees <db.h>.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace smaudit::mapdb {

enum class DbType { Hash, Btree };
std::string_view to_string(DbType type); // "hash", "btree"

struct DbContents {
    DbType type = DbType::Hash;
    // Every key/value pair as stored, bytes unchanged (a trailing NUL included when the map was
    // built with `makemap -N` or by newaliases), in the database's own order.
    std::vector<std::pair<std::string, std::string>> entries;
};

struct DbRead {
    std::optional<DbContents> contents; // set when the file was read
    std::string error;                  // otherwise: why not, in words
    // Not read, but the library opens it (as sendmail will): the verifier found it damaged, so
    // sendmail's lookups may miss entries (a truncated file) rather than fail.
    bool opens = false;
};

// Reads the database file at `path` (the `.db` itself). A file larger than `max_bytes`, a file
// that is no Berkeley DB hash or btree database, or one that is truncated or corrupt gives an
// error: the file is verified by the library before it is read, so bad bytes never reach the
// reader (a damaged file that still opens is not read: `opens` says so).
DbRead read_berkeley_db(const std::string& path, size_t max_bytes);

} // namespace smaudit::mapdb
