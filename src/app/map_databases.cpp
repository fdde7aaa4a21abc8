#include "app/map_databases.hpp"

#include "app/audit.hpp"
#include "mapdb/berkeley_db.hpp"
#include "parse/maps.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <unordered_map>

namespace smaudit {

namespace {

namespace fs = std::filesystem;

// At most this many differing keys are kept to be named; all are counted.
constexpr size_t kDifferencesKept = 5;

// A map sendmail opens as a Berkeley DB database, as the configuration names it.
struct DbReference {
    std::string map;
    std::string map_class; // hash, btree, implicit
    bool alias = false;
    bool optional = false;
    bool fold_keys = true; // no -f: makemap folds keys to lower case, sendmail looks them up so
    std::string source;
    Location where;
};

// The file of a map spec: the first word that is no flag (flags carry their argument attached:
// `-T<TMPF>`, `-a<OKR>`).
std::string file_of(const std::vector<std::string>& words) {
    for (const std::string& word : words)
        if (!word.empty() && word.front() != '-') return word;
    return {};
}

bool has_flag(const std::vector<std::string>& words, char flag) {
    for (const std::string& word : words) {
        if (word.empty() || word.front() != '-') break;
        if (word.size() >= 2 && word[1] == flag) return true;
    }
    return false;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && (text[at] == ' ' || text[at] == '\t'))
            ++at;
        size_t end = at;
        while (end < text.size() && text[end] != ' ' && text[end] != '\t')
            ++end;
        if (end > at) words.emplace_back(text.substr(at, end - at));
        at = end;
    }
    return words;
}

// The maps of `config` read from a Berkeley DB file. (The discovery of every file a
// configuration references, app/referenced_files, can take this over when it lands.)
std::vector<DbReference> db_references(const model::Config& config) {
    std::vector<DbReference> out;
    for (const auto& [name, map] : config.maps) {
        if (map.type != "hash" && map.type != "btree") continue;
        std::string file = file_of(map.args);
        if (file.empty()) continue;
        out.push_back({name, map.type, false, has_flag(map.args, 'o'), !has_flag(map.args, 'f'),
                       std::move(file), map.where});
    }
    const model::OptionValue* aliases = config.option("AliasFile");
    if (aliases != nullptr && !aliases->is_default) {
        std::string_view list = aliases->value;
        while (!list.empty()) {
            const size_t comma = list.find(',');
            std::string_view entry = list.substr(0, comma);
            list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
            while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
                entry.remove_prefix(1);
            std::string map_class = "implicit";
            if (!entry.starts_with("/")) { // `class:file`
                const size_t colon = entry.find(':');
                if (colon == std::string_view::npos) continue;
                map_class = entry.substr(0, colon);
                entry.remove_prefix(colon + 1);
            }
            if (map_class != "implicit" && map_class != "hash" && map_class != "btree") continue;
            const std::vector<std::string> words = words_of(entry);
            std::string file = file_of(words);
            if (file.empty()) continue;
            out.push_back(
                {"aliases", map_class, true, false, true, std::move(file), aliases->where()});
        }
    }
    return out;
}

fs::path resolved(const fs::path& path) {
    std::error_code ec;
    fs::path out = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? path.lexically_normal() : out;
}

bool within(const fs::path& dir, const fs::path& path) {
    const fs::path relative = path.lexically_relative(dir);
    return !relative.empty() && *relative.begin() != "..";
}

std::optional<int64_t> mtime_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return static_cast<int64_t>(st.st_mtime);
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

model::MapDatabase inspect(const DbReference& ref, const std::string& root) {
    model::MapDatabase out;
    out.map = ref.map;
    out.map_class = ref.map_class;
    out.alias = ref.alias;
    out.optional = ref.optional;
    out.source = ref.source;
    // sendmail opens FILE.db, or FILE itself when it already ends in .db (db_map_open).
    const bool named_db = ref.source.ends_with(".db");
    out.database = named_db ? ref.source : ref.source + ".db";
    if (named_db) out.source = ref.source.substr(0, ref.source.size() - 3);
    out.where = ref.where;
    const std::string host_source = root.empty() ? out.source : root + out.source;
    const std::string host_database = root.empty() ? out.database : root + out.database;

    std::error_code ec;
    if (!fs::exists(host_database, ec)) {
        out.state = model::MapDatabase::State::Missing;
        return out;
    }
    const mapdb::DbRead db = mapdb::read_berkeley_db(host_database, kMaxFileBytes);
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
    std::string text, error;
    if (!read_file_text(host_source, text, error)) return out; // no source: nothing to compare
    out.source_present = true;
    const auto source_time = mtime_of(host_source);
    const auto db_time = mtime_of(host_database);
    // sendmail's own test (alias.c aliaswait): whole seconds, strictly older.
    out.older_than_source = source_time && db_time && *db_time < *source_time;
    compare(out, *db.contents, source_entries(host_source, text, ref), ref.alias);
    return out;
}

} // namespace

model::MapDatabases inspect_map_databases(const model::Config& config,
                                          const std::string& config_path,
                                          const std::vector<std::string>& audited_dirs,
                                          const std::string& root) {
    model::MapDatabases out;
    const fs::path config_dir = resolved(fs::path(config_path).parent_path());
    for (const DbReference& ref : db_references(config)) {
        if (!fs::path(ref.source).is_absolute()) continue;
        if (root.empty()) {
            const fs::path dir = resolved(fs::path(ref.source).parent_path());
            bool live = dir == config_dir;
            for (const std::string& audited : audited_dirs)
                live = live || within(resolved(audited), dir);
            if (!live) continue;
        }
        out.maps.push_back(inspect(ref, root));
    }
    return out;
}

} // namespace smaudit
