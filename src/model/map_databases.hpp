// The map databases a configuration makes sendmail load (each `K name hash|btree` map and each
// AliasFile), as the audit found them on disk and compared with their text sources. Only the
// audit touches the file system (app/map_databases.hpp); rules read what it found through
// RuleContext::map_databases.
#pragma once

#include "diag/diagnostic.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smaudit::model {

// A key whose entry differs between the database and its text source.
struct MapDifference {
    std::string key;                         // as stored (folded, without a trailing NUL)
    std::optional<std::string> source_value; // none: not in the source (a removed entry)
    std::optional<std::string> db_value;     // none: not in the database (never built)
};

struct MapDatabase {
    enum class State {
        Compared,   // the database was read (and compared with its source when there is one)
        Missing,    // no database file where sendmail opens it
        Unreadable, // there, but no hash/btree database of the class sendmail opens (`why`)
        Damaged,    // sendmail opens it, but Berkeley DB's verifier finds it damaged (`why`)
    };
    std::string map;       // "access" (the K name), or "aliases" for an AliasFile
    std::string map_class; // "hash", "btree"; "implicit" for an AliasFile without a class
    bool alias = false;    // an AliasFile (built by newaliases), not a K map (makemap)
    bool optional = false; // K -o: sendmail goes on silently without it
    std::string source;    // the text source as the configuration names it (/etc/mail/access)
    std::string database;  // the database as sendmail opens it (/etc/mail/access.db)
    Location where;        // the K line or the AliasFile line
    State state = State::Compared;
    std::string why; // Unreadable, Damaged: in words
    // Compared:
    bool source_present = false;            // the text source exists and was read
    bool older_than_source = false;         // the database's mtime is older than the source's
    std::vector<MapDifference> differences; // the first few, in source order then database order
    size_t difference_count = 0;            // all of them

    // The command that rebuilds the database from its source.
    std::string rebuild_command() const {
        return alias ? "newaliases" : "makemap " + map_class + " " + source + " < " + source;
    }
};

struct MapDatabases {
    std::vector<MapDatabase> maps;
};

} // namespace smaudit::model
