#include "app/map_databases.hpp"

#include "app/audit.hpp"
#include "mapdb/berkeley_db.hpp"
#include "parse/maps.hpp"

#include <optional>
#include <unordered_map>

namespace smaudit {

namespace {

// At most this many differing keys are kept to be named; all are counted.
constexpr size_t kDifferencesKept = 5;

// A map sendmail opens as a Berkeley DB database, with the text source it is built from.
struct DbReference {
    std::string map;
    std::string map_class; // hash, btree, implicit
    bool alias = false;
    bool optional = false;
    bool fold_keys = true; // no -f: makemap folds keys to lower case, sendmail looks them up so
    std::string source;
    std::string database;
    Location where;
};

// The databases among `references` that sendmail opens through Berkeley DB (K hash/btree maps,
// AliasFile entries of an implicit, hash or btree class). sendmail opens FILE.db, or FILE itself
// when it already ends in .db (db_map_open); its source is FILE without the .db.
std::vector<DbReference> db_references(const std::vector<FileReference>& references) {
    std::vector<DbReference> out;
    for (const FileReference& reference : references) {
        const bool alias = reference.role == model::FileRole::AliasDatabase;
        if (!alias && reference.role != model::FileRole::MapDatabase) continue;
        const std::string& map_class = reference.map_class;
        if (map_class != "hash" && map_class != "btree" && (!alias || map_class != "implicit"))
            continue;
        if (!reference.named.ends_with(".db")) continue;
        DbReference db;
        db.map = alias ? "aliases" : reference.map->name;
        db.map_class = map_class;
        db.alias = alias;
        db.optional = reference.optional;
        db.fold_keys = alias || !map_has_flag(reference.map->args, 'f');
        db.database = reference.named;
        db.source = reference.named.substr(0, reference.named.size() - 3);
        db.where = reference.where;
        out.push_back(std::move(db));
    }
    return out;
}

// The entries the source holds as its builder stores them: key (folded unless `fold` is off)
// to value, in file order; duplicates and overridden aliases left out as the builders drop them.
std::vector<std::pair<std::string, std::string>>
source_entries(const std::string& path, const std::string& text, const DbReference& ref) {
    SourceSet sources;
    const FileId id = sources.add(path, text);
    std::vector<Diagnostic> ignored; // the text file's own audit reports its syntax
    std::vector<std::pair<std::string, std::string>> out;
    if (ref.alias) {
        const ast::AliasesFile file = parse_aliases(sources, id, ignored);
        for (const ast::AliasEntry& entry : file.entries)
            if (!entry.overridden()) out.emplace_back(file.key(entry), file.value(entry));
        return out;
    }
    const ast::KeyValueMap file = ref.map == "access" ? parse_access(sources, id, ignored)
                                                      : parse_kv_map(sources, id, ignored);
    for (const ast::MapEntry& entry : file.entries)
        if (!entry.duplicate())
            out.emplace_back(ref.fold_keys ? file.stored_key(entry) : std::string(file.key(entry)),
                             std::string(file.value(entry)));
    return out;
}

// makemap -N and newaliases store a NUL after each key and value: sendmail looks keys up with
// it, and the text source has none.
std::string without_nul(std::string text) {
    if (!text.empty() && text.back() == '\0') text.pop_back();
    return text;
}

void compare(model::MapDatabase& out, const mapdb::DbContents& db,
             const std::vector<std::pair<std::string, std::string>>& source, bool alias) {
    std::unordered_map<std::string, std::string> stored;
    std::vector<std::string> order;
    for (const auto& [key, value] : db.entries) {
        std::string k = without_nul(key);
        if (alias && k == "@") continue; // newaliases' mark of a complete database
        order.push_back(k);
        stored.emplace(std::move(k), without_nul(value));
    }
    auto note = [&](model::MapDifference difference) {
        if (out.differences.size() < kDifferencesKept)
            out.differences.push_back(std::move(difference));
        ++out.difference_count;
    };
    for (const auto& [key, value] : source) {
        auto it = stored.find(key);
        if (it == stored.end()) {
            note({key, value, std::nullopt});
            continue;
        }
        if (it->second != value) note({key, value, it->second});
        stored.erase(it);
    }
    for (const std::string& key : order) {
        auto it = stored.find(key);
        if (it == stored.end()) continue;
        note({key, std::nullopt, it->second});
        stored.erase(it);
    }
}

// What `tree` holds of `ref`; none when the database was not looked at (a link on the way leaves
// the root, a relative path, stat refused): SM-C011 reports those.
std::optional<model::MapDatabase> inspect(const DbReference& ref, const RootedTree& tree) {
    model::MapDatabase out;
    out.map = ref.map;
    out.map_class = ref.map_class;
    out.alias = ref.alias;
    out.optional = ref.optional;
    out.source = ref.source;
    out.database = ref.database;
    out.where = ref.where;
    const RootedTree::Resolved database = tree.resolve(ref.database);
    if (database.presence == model::Presence::Missing) {
        out.state = model::MapDatabase::State::Missing;
        return out;
    }
    if (database.presence != model::Presence::Present) return std::nullopt;
    const mapdb::DbRead db = mapdb::read_berkeley_db(database.host_path, kMaxFileBytes);
    if (!db.contents) {
        out.state =
            db.opens ? model::MapDatabase::State::Damaged : model::MapDatabase::State::Unreadable;
        out.why = db.error;
        return out;
    }
    // A K hash map opens its file as a hash database, a btree map as a btree one; the implicit
    // class of an AliasFile tries hash.
    const std::string_view stored_type = mapdb::to_string(db.contents->type);
    if (stored_type != (ref.map_class == "implicit" ? "hash" : ref.map_class)) {
        out.state = model::MapDatabase::State::Unreadable;
        out.why = "it is a " + std::string(stored_type) + " database, and sendmail opens it as " +
                  (ref.map_class == "implicit" ? std::string("hash") : ref.map_class);
        return out;
    }
    const RootedTree::Resolved source = tree.resolve(ref.source);
    std::string text, error;
    if (source.presence != model::Presence::Present ||
        !read_config_text(source.host_path, text, error))
        return out; // no source: nothing to compare
    out.source_present = true;
    // sendmail's own test (alias.c aliaswait): whole seconds, strictly older.
    out.older_than_source = database.stat.mtime < source.stat.mtime;
    compare(out, *db.contents, source_entries(source.host_path, text, ref), ref.alias);
    return out;
}

} // namespace

model::MapDatabases inspect_map_databases(const std::vector<FileReference>& references,
                                          const RootedTree* root, const InPlaceDirs& in_place) {
    model::MapDatabases out;
    const RootedTree host("/");
    for (const DbReference& ref : db_references(references)) {
        if (!root && !in_place.hold(ref.database)) continue;
        if (auto database = inspect(ref, root ? *root : host))
            out.maps.push_back(std::move(*database));
    }
    return out;
}

} // namespace smaudit
