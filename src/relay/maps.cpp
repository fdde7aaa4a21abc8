#include "relay/maps.hpp"

#include "mapdb/berkeley_db.hpp"
#include "parse/maps.hpp"

#include <regex.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace smaudit::relay {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

constexpr size_t kMaxMapFile = 64u << 20;

} // namespace

std::optional<std::string> read_rooted(const std::string& root, const std::string& path) {
    std::string host = root.empty() || root == "/" ? path : root + path;
    std::ifstream in(host, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct MapSet::Map {
    enum class Kind {
        Table,
        Host,
        Dequote,
        Arith,
        Macro,
        Sequence,
        Regex,
        User,
        Null,
        Unavailable
    };
    std::string name;
    std::string type;
    Kind kind = Kind::Null;
    bool optional = false;
    bool nofold = false;
    bool matchonly = false;
    bool keepquotes = false;
    bool regex_not = false;
    std::string app;                 // -a
    std::optional<std::string> tapp; // -T
    char spacesub = ' ';
    int valcol = -1; // user: -v field
    std::string file;
    bool open = false; // the data was read (Table, User)
    std::string open_error;
    std::unordered_map<std::string, std::string> table;
    std::vector<std::string> members; // sequence
    std::shared_ptr<regex_t> re;
    std::vector<int> subfields;
    std::string delim = " ";

    // map_rewrite(): %0..%9 from the arguments, %% a percent sign, any other % kept; then the
    // -a text. Maps that pass no arguments (dequote) copy the value as it is.
    std::string rewrite(std::string_view value, const std::vector<std::string>* args) const {
        if (!args) return std::string(value) + app;
        std::string out;
        for (size_t i = 0; i < value.size(); ++i) {
            char c = value[i];
            if (c != '%' || i + 1 >= value.size()) {
                out += c;
                continue;
            }
            char d = value[++i];
            if (d >= '0' && d <= '9') {
                size_t n = static_cast<size_t>(d - '0');
                if (n < args->size()) out += (*args)[n];
            } else if (d == '%') {
                out += '%';
            } else {
                out += '%';
                out += d;
            }
        }
        return out + app;
    }
};

namespace {

using Kind = MapSet::Map::Kind;

Kind kind_of(std::string_view type) {
    if (type == "hash" || type == "btree" || type == "implicit" || type == "text" || type == "dbm")
        return Kind::Table;
    if (type == "host") return Kind::Host;
    if (type == "dequote") return Kind::Dequote;
    if (type == "arith") return Kind::Arith;
    if (type == "macro") return Kind::Macro;
    if (type == "sequence") return Kind::Sequence;
    if (type == "regex") return Kind::Regex;
    if (type == "user") return Kind::User;
    if (type == "null" || type == "stab") return Kind::Null;
    return Kind::Unavailable; // dns, bestmx, program, ldap, socket, nis, switch, syslog, ...
}

std::optional<std::string> locate(const Environment& env, const std::string& path) {
    if (env.locate) return env.locate(path);
    std::string host = env.root.empty() || env.root == "/" ? path : env.root + path;
    std::ifstream probe(host, std::ios::binary);
    if (!probe) return std::nullopt;
    return host;
}

std::optional<std::string> read_host_file(const std::string& host_path) {
    std::ifstream in(host_path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void load_table(MapSet::Map& map, const Environment& env, std::vector<std::string>& notes) {
    if (map.file.empty()) return;
    std::string db = map.file;
    bool hashed = map.type == "hash" || map.type == "btree" || map.type == "implicit";
    if (hashed && !db.ends_with(".db")) db += ".db";
    if (hashed) {
        if (auto host = locate(env, db)) {
            mapdb::DbRead read = mapdb::read_berkeley_db(*host, kMaxMapFile);
            if (read.contents) {
                for (auto& [key, value] : read.contents->entries) {
                    std::string k = key;
                    std::string v = value;
                    if (!k.empty() && k.back() == '\0') k.pop_back();
                    if (!v.empty() && v.back() == '\0') v.pop_back();
                    map.table.emplace(std::move(k), std::move(v));
                }
                map.open = true;
                return;
            }
            notes.push_back("map " + map.name + ": " + db + ": " + read.error);
        }
    }
    // No database: the text source as makemap would store it.
    std::string source = map.file;
    if (source.ends_with(".db")) source.resize(source.size() - 3);
    auto host = locate(env, source);
    std::optional<std::string> text = host ? read_host_file(*host) : std::nullopt;
    if (!text) {
        if (!map.optional) {
            map.open_error = map.type + " map \"" + map.name + "\": missing map file " +
                             (hashed ? db : source) + ": No such file or directory";
            notes.push_back(map.open_error);
        }
        return;
    }
    SourceSet sources;
    FileId id = sources.add(source, std::move(*text), FileKind::KeyValueMap);
    std::vector<Diagnostic> ignored;
    ast::KeyValueMap kv = parse_kv_map(sources, id, ignored);
    for (const auto& entry : kv.entries)
        map.table.emplace(kv.stored_key(entry), std::string(kv.value(entry)));
    map.open = true;
}

void load_passwd(MapSet::Map& map, const Environment& env) {
    auto host = locate(env, "/etc/passwd");
    std::optional<std::string> text = host ? read_host_file(*host) : std::nullopt;
    if (!text) return;
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::string user = line.substr(0, line.find(':'));
        map.table.emplace(user, line);
    }
    map.open = true;
}

int passwd_field(std::string_view name) {
    static const char* const kFields[] = {"name", "passwd", "uid", "gid", "gecos", "dir", "shell"};
    for (int i = 0; i < 7; ++i)
        if (lower(name) == kFields[i]) return i;
    if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0])))
        return std::atoi(std::string(name).c_str());
    return -1;
}

} // namespace

MapSet::MapSet(const model::Config& config, const Environment& env,
               std::vector<std::string>& notes) {
    for (const auto& [name, def] : config.maps) {
        auto map = std::make_unique<Map>();
        map->name = name;
        map->type = def.type;
        map->kind = kind_of(def.type);
        bool regex = map->kind == Kind::Regex;
        std::vector<std::string> rest;
        bool flags_done = false;
        for (const std::string& arg : def.args) {
            if (flags_done || arg.size() < 2 || arg[0] != '-') {
                flags_done = true;
                rest.push_back(arg);
                continue;
            }
            char flag = arg[1];
            std::string value = arg.substr(2);
            switch (flag) {
            case 'a':
                map->app = value;
                break;
            case 'T':
                map->tapp = value;
                break;
            case 'f':
                map->nofold = true;
                break;
            case 'm':
                map->matchonly = true;
                break;
            case 'o':
                map->optional = true;
                break;
            case 'q':
                map->keepquotes = true;
                break;
            case 'S':
                map->spacesub = value.empty() ? ' ' : value[0];
                break;
            case 'n':
                if (regex) map->regex_not = true;
                break;
            case 's':
                if (regex) {
                    std::istringstream list(value);
                    std::string number;
                    while (std::getline(list, number, ','))
                        if (!number.empty()) map->subfields.push_back(std::atoi(number.c_str()));
                } else if (map->kind == Kind::Dequote) {
                    map->spacesub = value.empty() ? ' ' : value[0];
                }
                break;
            case 'd':
                if (regex) map->delim = value;
                break;
            case 'v':
                map->valcol = passwd_field(value);
                break;
            default:
                break;
            }
            if (regex && flag == 'b')
                map->regex_not = map->regex_not; // basic syntax: handled below
        }
        switch (map->kind) {
        case Kind::Table:
            if (!rest.empty()) map->file = rest.front();
            load_table(*map, env, notes);
            break;
        case Kind::User:
            load_passwd(*map, env);
            break;
        case Kind::Sequence:
            for (const std::string& word : rest) {
                std::istringstream list(word);
                std::string member;
                while (std::getline(list, member, ','))
                    if (!member.empty()) map->members.push_back(member);
            }
            break;
        case Kind::Regex: {
            std::string pattern;
            for (const std::string& word : rest)
                pattern += (pattern.empty() ? "" : " ") + word;
            bool basic = std::any_of(def.args.begin(), def.args.end(),
                                     [](const std::string& a) { return a == "-b"; });
            int flags = (basic ? 0 : REG_EXTENDED) | (map->nofold ? 0 : REG_ICASE);
            if (map->subfields.empty()) flags |= REG_NOSUB;
            auto re = std::shared_ptr<regex_t>(new regex_t, [](regex_t* r) {
                regfree(r);
                delete r;
            });
            if (regcomp(re.get(), pattern.c_str(), flags) == 0)
                map->re = std::move(re);
            else
                notes.push_back("map " + name + ": bad regular expression '" + pattern + "'");
            break;
        }
        case Kind::Dequote:
            map->keepquotes = true;
            break;
        default:
            break;
        }
        maps_.emplace(name, std::move(map));
    }
    if (!maps_.contains("host")) {
        auto host = std::make_unique<Map>();
        host->name = "host";
        host->type = "host";
        host->kind = Kind::Host;
        maps_.emplace("host", std::move(host));
    }
}

MapSet::~MapSet() = default;
MapSet::MapSet(MapSet&&) noexcept = default;
MapSet& MapSet::operator=(MapSet&&) noexcept = default;

const MapSet::Map* MapSet::find(std::string_view name) const {
    auto it = maps_.find(name);
    return it == maps_.end() ? nullptr : it->second.get();
}

char MapSet::space_sub(const Map& map) const {
    return map.spacesub;
}

const std::string& MapSet::open_error(const Map& map) const {
    return map.open_error;
}

bool MapSet::keeps_quotes(const Map& map) const {
    return map.keepquotes;
}

MapResult MapSet::lookup(const Map& map, const std::vector<std::string>& args,
                         MacroTable& macros) const {
    return lookup(map, args, macros, 0);
}

namespace {

std::optional<std::string> dequote(std::string_view name, char spacesub) {
    std::string out;
    int angles = 0, comments = 0, quotes = 0, spaces = 0;
    bool quoted = false, backslash = false;
    for (char c : name) {
        if (backslash) {
            backslash = false;
            out += c;
            continue;
        }
        if (c == ' ' && spacesub != '\0') c = spacesub;
        switch (c) {
        case '\\':
            backslash = true;
            break;
        case '(':
            ++comments;
            break;
        case ')':
            if (comments-- <= 0) return std::nullopt;
            break;
        case ' ':
        case '\t':
            ++spaces;
            break;
        default:
            break;
        }
        if (comments > 0) {
            out += c;
            continue;
        }
        if (c == '"') {
            quoted = !quoted;
            ++quotes;
            continue;
        }
        if (c == '<')
            ++angles;
        else if (c == '>' && angles-- <= 0)
            return std::nullopt;
        out += c;
    }
    if (angles != 0 || comments != 0 || backslash || quoted || quotes <= 0 || spaces != 0)
        return std::nullopt;
    return out;
}

std::optional<std::string> arith(std::string_view op, const std::vector<std::string>& args) {
    if (args.size() < 3) return std::nullopt;
    long a = std::strtol(args[1].c_str(), nullptr, 10);
    long b = std::strtol(args[2].c_str(), nullptr, 10);
    std::string o = lower(op);
    if (o == "+") return std::to_string(a + b);
    if (o == "-") return std::to_string(a - b);
    if (o == "*") return std::to_string(a * b);
    if (o == "/") return b == 0 ? std::nullopt : std::optional(std::to_string(a / b));
    if (o == "%") return b == 0 ? std::nullopt : std::optional(std::to_string(a % b));
    if (o == "|") return std::to_string(a | b);
    if (o == "&") return std::to_string(a & b);
    if (o == "l") return std::string(a < b ? "TRUE" : "FALSE");
    if (o == "=") return std::string(a == b ? "TRUE" : "FALSE");
    return std::nullopt;
}

std::string strip_braces(std::string_view name) {
    if (name.size() >= 2 && name.front() == '{' && name.back() == '}')
        return std::string(name.substr(1, name.size() - 2));
    return std::string(name);
}

// The flags a kind's lookup honours (its *_map function in sendmail's map.c): -m gives the key
// itself as the value, -a is appended by map_rewrite() (which also puts the lookup's arguments
// in for %0..%9 where `args`), -T gives the key and its text when the map could not be read.
struct KindFlags {
    bool matchonly = false, append = false, args = false, tempfail_text = false;
};

KindFlags flags_of(Kind kind) {
    switch (kind) {
    case Kind::Table:
        return {.matchonly = true, .append = true, .args = true, .tempfail_text = true};
    case Kind::Regex:
        return {.matchonly = true, .append = true, .args = true};
    case Kind::User:
        return {.matchonly = true, .append = true};
    case Kind::Dequote:
        return {.append = true};
    default:
        return {}; // arith, macro: their own values; sequence: its member's, flags applied
    }
}

// What a kind's lookup matched: the key (`matched`) and what it gives for it (none: a user
// map's column the entry lacks).
struct Match {
    bool matched = false;
    std::optional<std::string> value;
};

} // namespace

MapResult MapSet::lookup(const Map& map, const std::vector<std::string>& args, MacroTable& macros,
                         int depth) const {
    MapResult result;
    const std::string& key = args.empty() ? std::string() : args[0];
    Match match;
    switch (map.kind) {
    case Kind::Table: {
        if (!map.open) {
            result.tempfail = !map.optional;
            break;
        }
        auto it = map.table.find(map.nofold ? key : lower(key));
        if (it != map.table.end()) match = {true, it->second};
        break;
    }
    case Kind::Host:
        // No DNS: a name resolves only through the --hosts table (trailing dot as the resolver
        // gives it); otherwise the lookup fails and `$[ name $]` leaves the name as given.
        break;
    case Kind::Dequote:
        if (auto out = dequote(key, map.spacesub)) match = {true, std::move(*out)};
        break;
    case Kind::Arith:
        if (auto out = arith(key, args)) match = {true, std::move(*out)};
        break;
    case Kind::Macro: {
        std::string name = strip_braces(key);
        if (args.size() > 1)
            macros[name] = args[1];
        else
            macros.erase(name);
        match = {true, ""};
        break;
    }
    case Kind::Sequence: {
        if (depth > 10) break;
        for (const std::string& member : map.members) {
            auto it = maps_.find(member);
            if (it == maps_.end()) continue;
            MapResult sub = lookup(*it->second, args, macros, depth + 1);
            result.unavailable |= sub.unavailable;
            if (sub.value) {
                match = {true, std::move(sub.value)};
                result.tempfail = sub.tempfail;
                break;
            }
            result.tempfail |= sub.tempfail;
        }
        break;
    }
    case Kind::Regex: {
        if (!map.re) break;
        regmatch_t matches[10];
        bool hit = regexec(map.re.get(), key.c_str(), 10, matches, 0) == 0;
        if (map.regex_not) {
            if (!hit) match = {true, ""};
            break;
        }
        if (!hit) break;
        std::string joined;
        bool first = true;
        for (int n : map.subfields) {
            if (n < 0 || n >= 10 || matches[n].rm_so < 0) continue;
            if (!first) joined += map.delim;
            first = false;
            joined += key.substr(static_cast<size_t>(matches[n].rm_so),
                                 static_cast<size_t>(matches[n].rm_eo - matches[n].rm_so));
        }
        match = {true, std::move(joined)};
        break;
    }
    case Kind::User: {
        auto it = map.table.find(key);
        if (it == map.table.end()) break;
        match.matched = true;
        if (map.valcol <= 0) {
            match.value = key;
            break;
        }
        std::istringstream fields(it->second);
        std::string field;
        for (int i = 0; std::getline(fields, field, ':'); ++i)
            if (i == map.valcol) {
                match.value = field;
                break;
            }
        break;
    }
    case Kind::Null:
        break;
    case Kind::Unavailable:
        result.unavailable = true;
        break;
    }
    // The map's flags, as its kind honours them.
    const KindFlags honoured = flags_of(map.kind);
    if (match.matched && honoured.matchonly && map.matchonly) match.value = key;
    if (match.value)
        result.value = honoured.append ? map.rewrite(*match.value, honoured.args ? &args : nullptr)
                                       : std::move(*match.value);
    if (result.tempfail && honoured.tempfail_text && map.tapp) result.value = key + *map.tapp;
    return result;
}

} // namespace smaudit::relay
