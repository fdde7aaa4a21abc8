#include "app/referenced_files.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <iterator>
#include <map>
#include <optional>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smaudit {

namespace {

using model::FileRole;
using model::Presence;

// An include list larger than this is not read for the programs it runs.
constexpr uint64_t kMaxIncludeList = 4u << 20;

// Symbolic links followed for one path before giving up (Linux's limit, ELOOP).
constexpr int kMaxLinks = 40;

model::FileStat stat_of(const struct stat& st) {
    model::FileStat out;
    out.type = S_ISREG(st.st_mode)   ? model::FileType::Regular
               : S_ISDIR(st.st_mode) ? model::FileType::Directory
               : S_ISLNK(st.st_mode) ? model::FileType::Symlink
                                     : model::FileType::Other;
    out.mode = static_cast<uint32_t>(st.st_mode & 07777);
    out.uid = static_cast<uint32_t>(st.st_uid);
    out.gid = static_cast<uint32_t>(st.st_gid);
    out.size = static_cast<uint64_t>(st.st_size);
    out.links = static_cast<uint64_t>(st.st_nlink);
    out.mtime = static_cast<int64_t>(st.st_mtime);
    return out;
}

// The non-empty pieces of `text` between `separator`s.
std::vector<std::string> split_on(std::string_view text, char separator) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find(separator, pos);
        if (end == std::string_view::npos) end = text.size();
        if (end > pos) parts.emplace_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return parts;
}

std::vector<std::string> split_path(std::string_view path) {
    return split_on(path, '/');
}

std::string join(const std::vector<std::string>& parts, size_t count) {
    std::string out;
    for (size_t i = 0; i < count; ++i)
        out += "/" + parts[i];
    return out.empty() ? "/" : out;
}

std::string trim(std::string_view text) {
    const size_t begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return {};
    const size_t end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t begin = text.find_first_not_of(" \t", pos);
        if (begin == std::string_view::npos) break;
        size_t end = text.find_first_of(" \t", begin);
        if (end == std::string_view::npos) end = text.size();
        out.emplace_back(text.substr(begin, end - begin));
        pos = end;
    }
    return out;
}

// Where smrsh looks for programs: compiled into smrsh (CMDDIR), not named by the .cf. The
// places builds use: Debian and Red Hat /etc/mail/smrsh, FreeBSD /usr/libexec/sm.bin,
// sendmail's own default /usr/adm/sm.bin, older Red Hat /etc/smrsh.
constexpr std::string_view kSmrshDirectories[] = {"/etc/mail/smrsh", "/usr/libexec/sm.bin",
                                                  "/usr/adm/sm.bin", "/etc/smrsh"};

bool uses_smrsh(const model::Config& config) {
    auto prog = config.mailers.find("prog");
    if (prog == config.mailers.end()) return false;
    auto path = prog->second.fields.find('P');
    return path != prog->second.fields.end() && model::base_name(path->second) == "smrsh";
}

Location option_where(const model::OptionValue& option) {
    return option.where();
}

std::filesystem::path resolved(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::path out =
        std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
    return ec ? path.lexically_normal() : out;
}

// Whether `path` is `dir` or lies below it (both resolved).
bool within(const std::filesystem::path& dir, const std::filesystem::path& path) {
    const std::filesystem::path relative = path.lexically_relative(dir);
    return !relative.empty() && *relative.begin() != "..";
}

} // namespace

InPlaceDirs::InPlaceDirs(const std::string& config_path,
                         const std::vector<std::string>& audited_dirs)
    : config_dir_(resolved(std::filesystem::path(config_path).parent_path())) {
    for (const std::string& dir : audited_dirs)
        audited_dirs_.push_back(resolved(dir));
}

bool InPlaceDirs::hold(std::string_view named) const {
    const std::filesystem::path dir = resolved(std::filesystem::path(named).parent_path());
    return dir == config_dir_ ||
           std::any_of(audited_dirs_.begin(), audited_dirs_.end(),
                       [&](const auto& audited) { return within(audited, dir); });
}

RootedTree::RootedTree(std::string root) : root_(std::move(root)) {
    std::error_code ec;
    const std::filesystem::path canonical =
        std::filesystem::weakly_canonical(std::filesystem::absolute(root_, ec), ec);
    if (!ec) root_ = canonical.string();
    while (root_.size() > 1 && root_.back() == '/')
        root_.pop_back();
    if (root_.empty()) root_ = "/";
}

RootedTree::Resolved RootedTree::resolve(std::string_view path) const {
    Resolved out;
    if (path.empty() || path.front() != '/') {
        out.presence = Presence::NotChecked;
        out.why = "its path is relative: sendmail opens it from its queue directory";
        return out;
    }
    auto host_of = [&](const std::vector<std::string>& parts, size_t count) {
        const std::string inside = join(parts, count);
        if (root_ == "/") return inside;
        return inside == "/" ? root_ : root_ + inside;
    };
    struct Pending {
        std::string name;
        bool from_relative_link; // a `..` here that climbs above the root leaves it
    };
    std::deque<Pending> pending;
    for (std::string& part : split_path(path))
        pending.push_back({std::move(part), false});
    std::vector<std::string> resolved; // components below the root, links resolved
    int links = 0;
    while (!pending.empty()) {
        Pending part = std::move(pending.front());
        pending.pop_front();
        if (part.name == ".") continue;
        if (part.name == "..") {
            if (!resolved.empty())
                resolved.pop_back();
            else if (part.from_relative_link) {
                out.presence = Presence::OutsideRoot;
                return out; // `why` set where the link was read
            }
            continue;
        }
        resolved.push_back(part.name);
        const std::string host = host_of(resolved, resolved.size());
        struct stat st {};
        if (lstat(host.c_str(), &st) != 0) {
            const int error = errno;
            out.host_path = host;
            if (error == ENOENT || error == ENOTDIR) {
                out.presence = Presence::Missing;
            } else {
                out.presence = Presence::Unreadable;
                out.why = std::string(std::strerror(error));
            }
            return out;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > kMaxLinks) {
                out.presence = Presence::Unreadable;
                out.why = "too many levels of symbolic links";
                return out;
            }
            std::string target(4096, '\0');
            const ssize_t n = readlink(host.c_str(), target.data(), target.size());
            if (n < 0) {
                out.presence = Presence::Unreadable;
                out.why = std::string(std::strerror(errno));
                return out;
            }
            target.resize(static_cast<size_t>(n));
            const std::string link_name = join(resolved, resolved.size());
            resolved.pop_back();
            if (pending.empty()) out.final_link = true;
            const bool absolute = !target.empty() && target.front() == '/';
            if (absolute) resolved.clear(); // inside the root: what sendmail there would open
            const std::vector<std::string> target_parts = split_path(target);
            // Would a `..` of this target climb above the root? Then it leaves it.
            size_t depth = resolved.size();
            for (const std::string& t : target_parts) {
                if (t == "..") {
                    if (depth == 0 && !absolute) {
                        out.presence = Presence::OutsideRoot;
                        out.host_path = host;
                        out.why = link_name + " is a symbolic link to " + target +
                                  ", which leads out of " + root_;
                        return out;
                    }
                    if (depth > 0) --depth;
                } else if (t != ".") {
                    ++depth;
                }
            }
            for (auto it = target_parts.rbegin(); it != target_parts.rend(); ++it)
                pending.push_front({*it, !absolute});
            continue;
        }
        if (!pending.empty() && !S_ISDIR(st.st_mode)) {
            out.host_path = host;
            out.presence = Presence::Missing; // ENOTDIR: sendmail finds nothing either
            return out;
        }
        if (pending.empty()) out.stat = stat_of(st);
    }
    out.host_path = host_of(resolved, resolved.size());
    if (resolved.empty()) { // the root itself
        struct stat st {};
        if (lstat(out.host_path.c_str(), &st) != 0) {
            out.presence = Presence::Unreadable;
            out.why = std::string(std::strerror(errno));
            return out;
        }
        out.stat = stat_of(st);
    }
    for (size_t count = 0; count < resolved.size(); ++count) {
        struct stat st {};
        if (lstat(host_of(resolved, count).c_str(), &st) != 0) continue;
        out.directories.push_back({join(resolved, count), stat_of(st)});
    }
    out.presence = Presence::Present;
    return out;
}

std::vector<std::string> RootedTree::entries(const Resolved& directory) const {
    std::vector<std::string> names;
    if (directory.presence != Presence::Present ||
        directory.stat.type != model::FileType::Directory)
        return names;
    DIR* dir = opendir(directory.host_path.c_str());
    if (!dir) return names;
    while (const dirent* entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

bool map_has_flag(const std::vector<std::string>& args, char flag) {
    for (const std::string& arg : args) {
        if (arg.size() < 2 || arg[0] != '-') break; // flags come before the path
        if (arg[1] == flag) return true;
    }
    return false;
}

std::string map_path_of(const std::vector<std::string>& args) {
    for (const std::string& arg : args)
        if (!arg.empty() && arg.front() != '-') return arg;
    return {};
}

std::vector<std::string> map_database_files(std::string_view map_class, const std::string& path) {
    if (path.empty()) return {};
    if (map_class == "hash" || map_class == "btree" || map_class == "implicit")
        return {path.ends_with(".db") ? path : path + ".db"};
    if (map_class == "dbm") return {path + ".dir", path + ".pag"};
    if (map_class == "cdb") return {path.ends_with(".cdb") ? path : path + ".cdb"};
    if (map_class == "text") return {path};
    return {};
}

// The program a `|program args` target runs (through smrsh: the smrsh directory's entry of its
// base name, looked for in each of smrsh's directories); none for an empty command.
static std::optional<FileReference> program_reference(std::string_view target, std::string source,
                                                      Location where, bool smrsh) {
    std::string_view command = target;
    command.remove_prefix(std::min(command.find('|'), command.size()));
    if (!command.empty()) command.remove_prefix(1);
    const std::vector<std::string> argv = words(command);
    if (argv.empty()) return std::nullopt;
    FileReference program{FileRole::AliasProgram, std::move(source), argv.front(), where};
    if (smrsh) {
        const std::string base(model::base_name(argv.front()));
        program.named = std::string(kSmrshDirectories[0]) + "/" + base;
        for (std::string_view dir : kSmrshDirectories)
            program.candidates.push_back(std::string(dir) + "/" + base);
    }
    return program;
}

// A reference looked up under `tree`: its name, else the first of its candidates that is
// there; the name it was found under, and what is there.
static std::pair<std::string, RootedTree::Resolved> locate(const RootedTree& tree,
                                                           const FileReference& reference) {
    std::string named = reference.named;
    RootedTree::Resolved found = tree.resolve(named);
    for (const std::string& candidate : reference.candidates) {
        if (found.presence == Presence::Present) break;
        RootedTree::Resolved tried = tree.resolve(candidate);
        if (tried.presence == Presence::Present) {
            found = std::move(tried);
            named = candidate;
        }
    }
    return {std::move(named), std::move(found)};
}

// The `|program` entries of an include list's text, as sendmail reads the file: one or more
// addresses a line, separated by commas, `#` lines comments; a quoted address may hold commas.
static std::vector<std::pair<std::string, uint32_t>> include_list_programs(std::string_view text) {
    std::vector<std::pair<std::string, uint32_t>> programs; // target, line
    uint32_t number = 0;
    for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (line.starts_with('#')) continue;
        bool quoted = false;
        size_t start = 0;
        for (size_t i = 0; i <= line.size(); ++i) {
            if (i < line.size() && line[i] == '"') quoted = !quoted;
            if (i < line.size() && (quoted || line[i] != ',')) continue;
            std::string_view address = line.substr(start, i - start);
            start = i + 1;
            while (!address.empty() && std::isspace(static_cast<unsigned char>(address.front())))
                address.remove_prefix(1);
            while (!address.empty() && std::isspace(static_cast<unsigned char>(address.back())))
                address.remove_suffix(1);
            if (address.size() >= 2 && address.front() == '"' && address.back() == '"')
                address = address.substr(1, address.size() - 2);
            if (address.starts_with('|')) programs.emplace_back(std::string(address), number);
        }
    }
    return programs;
}

std::vector<FileReference> references_of(const model::Config& config, const model::MapSet* aliases,
                                         const std::string& config_path) {
    std::vector<FileReference> out;
    if (!config_path.empty()) {
        out.push_back({FileRole::ConfigFile, "audited", config_path, {}, false});
        out.back().on_host = true;
        const std::string dir = std::filesystem::path(config_path).parent_path().string();
        out.push_back({FileRole::ConfigDirectory, "audited", dir.empty() ? "." : dir, {}, false});
        out.back().on_host = true;
    }
    auto option = [&](std::string_view name) -> const model::OptionValue* {
        const model::OptionValue* value = config.option(name);
        return value && !value->is_default && !trim(value->value).empty() ? value : nullptr;
    };
    auto add_option = [&](FileRole role, std::string_view name) {
        if (const model::OptionValue* value = option(name))
            out.push_back({role, std::string(name), trim(value->value), option_where(*value)});
    };

    // AliasFile: `[class:]path` entries joined with ','; classes that read no file (nis, ldap,
    // ...) name no file here.
    if (const model::OptionValue* alias_file = option("AliasFile")) {
        for (const std::string& piece : split_on(alias_file->value, ',')) {
            std::string entry = trim(piece);
            std::string map_class = "implicit";
            if (size_t colon = entry.find(':');
                colon != std::string::npos && entry.find('/') > colon) {
                map_class = entry.substr(0, colon);
                entry = entry.substr(colon + 1);
            }
            const std::vector<std::string> args = words(entry);
            const std::string path = map_path_of(args);
            const std::vector<std::string> databases = map_database_files(map_class, path);
            if (databases.empty()) continue;
            const bool optional = map_has_flag(args, 'o');
            const Location where = option_where(*alias_file);
            out.push_back({FileRole::AliasFile, "AliasFile", path, where, optional});
            out.back().map_class = map_class;
            if (map_class != "text")
                for (const std::string& db : databases) {
                    out.push_back({FileRole::AliasDatabase, "AliasFile", db, where, optional});
                    out.back().map_class = map_class;
                }
        }
    }
    add_option(FileRole::HelpFile, "HelpFile");
    add_option(FileRole::QueueDirectory, "QueueDirectory");
    add_option(FileRole::SafeFileEnvironment, "SafeFileEnvironment");
    add_option(FileRole::StatusFile, "StatusFile");
    add_option(FileRole::PidFile, "PidFile");
    add_option(FileRole::TlsCertificate, "ServerCertFile");
    add_option(FileRole::TlsKey, "ServerKeyFile");
    add_option(FileRole::TlsCertificate, "ClientCertFile");
    add_option(FileRole::TlsKey, "ClientKeyFile");
    add_option(FileRole::TlsCaFile, "CACertFile");
    add_option(FileRole::TlsCaDirectory, "CACertPath");
    add_option(FileRole::TlsCaFile, "CRLFile");
    // DHParameters is a file only when it is a path (not 512, 1024, 2048, 2, 5, none, i).
    if (const model::OptionValue* dh = option("DHParameters"))
        if (trim(dh->value).starts_with('/'))
            out.push_back({FileRole::TlsCaFile, "DHParameters", trim(dh->value), dh->where()});
    // ForwardPath: the directories of entries that are no home directory ($z/.forward):
    // `/var/forward/$u` names /var/forward, which holds every user's forward file.
    if (const model::OptionValue* forward = option("ForwardPath")) {
        for (const std::string& piece : split_on(forward->value, ':')) {
            const std::string entry = trim(piece);
            const size_t macro = entry.find('$');
            if (!entry.starts_with('/') || macro == std::string::npos) continue;
            const size_t slash = entry.rfind('/', macro);
            const std::string dir = slash == 0 ? "/" : entry.substr(0, slash);
            out.push_back({FileRole::ForwardDirectory, "ForwardPath", dir, forward->where()});
        }
    }
    for (const model::QueueGroupDef& group : config.queue_groups)
        if (auto path = group.fields.find('P'); path != group.fields.end())
            out.push_back(
                {FileRole::QueueDirectory, "Q" + group.name, trim(path->second), group.where});

    for (const auto& [name, map] : config.maps) {
        const std::string path = map_path_of(map.args);
        const std::vector<std::string> databases = map_database_files(map.type, path);
        if (databases.empty()) continue;
        const bool optional = map_has_flag(map.args, 'o');
        // Captured by name: clang 14 captures no structured binding.
        auto add_map_file = [&out, &name = name, &map = map](FileRole role, const std::string& file,
                                                             bool file_optional) {
            out.push_back({role, "K " + name, file, map.where, file_optional});
            out.back().map_class = map.type;
            out.back().map = &map;
        };
        for (const std::string& db : databases)
            add_map_file(FileRole::MapDatabase, db, optional);
        // The text makemap builds the database from, when it has the usual name: only makemap
        // reads it, so its absence is no finding.
        if (map.type != "text" && databases.front() != path)
            add_map_file(FileRole::MapSource, path, true);
    }
    for (const auto& [name, cls] : config.classes)
        for (const model::ClassDef::FileLine& line : cls.file_lines)
            out.push_back({FileRole::ClassFile, name.size() == 1 ? "F" + name : "F{" + name + "}",
                           line.path, line.where, line.optional});

    const bool smrsh = uses_smrsh(config);
    if (smrsh) {
        const model::MailerDef& prog = config.mailers.at("prog");
        FileReference dir{FileRole::SmrshDirectory, "prog mailer",
                          std::string(kSmrshDirectories[0]), prog.where};
        for (std::string_view candidate : kSmrshDirectories)
            dir.candidates.emplace_back(candidate);
        out.push_back(std::move(dir));
    }
    // `|program args` alias targets: the program the prog mailer runs (with smrsh, the entry
    // of the smrsh directory with the program's base name); `:include:/path`, the list file.
    if (aliases)
        for (const ast::AliasesFile& file : aliases->aliases)
            for (const ast::AliasEntry& entry : file.entries)
                for (const ast::AliasTarget& target : file.targets(entry)) {
                    const std::string source = "alias " + std::string(file.name(entry));
                    const Location where{file.file, target.span};
                    if (target.kind == ast::AliasTargetKind::Program) {
                        if (auto program = program_reference(target.unquoted, source, where, smrsh))
                            out.push_back(std::move(*program));
                    } else if (target.kind == ast::AliasTargetKind::Include) {
                        std::string_view path = target.unquoted;
                        path.remove_prefix(
                            std::min(path.size(), std::string_view(":include:").size()));
                        FileReference list{FileRole::IncludeList, source, std::string(path), where};
                        list.programs_through_smrsh = smrsh;
                        out.push_back(std::move(list));
                    }
                }
    return out;
}

AccountNames::AccountNames(const RootedTree& tree) : live_(tree.root() == "/") {
    if (live_) return;
    // name:x:id:... lines; the first entry of an id names it, as getpwuid() takes it.
    auto read = [&](std::string_view path, std::map<uint32_t, std::string>& names) {
        const RootedTree::Resolved found = tree.resolve(path);
        if (found.presence != Presence::Present || found.stat.type != model::FileType::Regular ||
            found.stat.size > kMaxAccountFile)
            return;
        std::ifstream in(found.host_path);
        for (std::string line; std::getline(in, line);) {
            const std::vector<std::string> fields = split_on(line, ':');
            if (fields.size() < 3 || fields[0].starts_with('#') || fields[0].starts_with('+'))
                continue;
            // Fields may be empty (the password), which split_on drops: find the id by place.
            size_t first = line.find(':'), second = line.find(':', first + 1);
            if (second == std::string::npos) continue;
            const std::string id = line.substr(second + 1, line.find(':', second + 1) - second - 1);
            if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos ||
                id.size() > 9)
                continue;
            names.emplace(static_cast<uint32_t>(std::stoul(id)), line.substr(0, first));
        }
    };
    read("/etc/passwd", users_);
    read("/etc/group", groups_);
}

std::string AccountNames::user(uint32_t uid) const {
    if (!live_) {
        auto it = users_.find(uid);
        return it == users_.end() ? std::string() : it->second;
    }
    struct passwd entry, *found = nullptr;
    char buffer[4096];
    if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) != 0 || found == nullptr) return {};
    return found->pw_name;
}

std::string AccountNames::group(uint32_t gid) const {
    if (!live_) {
        auto it = groups_.find(gid);
        return it == groups_.end() ? std::string() : it->second;
    }
    struct group entry, *found = nullptr;
    char buffer[4096];
    if (getgrgid_r(gid, &entry, buffer, sizeof buffer, &found) != 0 || found == nullptr) return {};
    return found->gr_name;
}

model::ReferencedFiles inspect_references(const std::vector<FileReference>& references,
                                          const RootedTree* tree, const std::string& why_not) {
    model::ReferencedFiles out;
    out.inspected = tree != nullptr;
    if (tree) out.root = tree->root();
    const RootedTree host("/");
    std::optional<AccountNames> names;
    if (tree) names.emplace(*tree);
    auto add = [&](const FileReference& reference, std::string named, RootedTree::Resolved found) {
        if (found.presence == Presence::Present && names) {
            found.stat.user_name = names->user(found.stat.uid);
            found.stat.group_name = names->group(found.stat.gid);
        }
        model::ReferencedFile file;
        file.role = reference.role;
        file.source = reference.source;
        file.named = std::move(named);
        file.where = reference.where;
        file.optional = reference.optional;
        file.presence = found.presence;
        file.host_path = std::move(found.host_path);
        file.stat = found.stat;
        file.final_link = found.final_link;
        file.directories = std::move(found.directories);
        file.why = std::move(found.why);
        out.files.push_back(std::move(file));
    };
    for (const FileReference& reference : references) {
        if (!tree) {
            RootedTree::Resolved none;
            none.presence = Presence::NotChecked;
            none.why = why_not;
            add(reference, reference.named, std::move(none));
            continue;
        }
        const RootedTree& under = *tree;
        if (reference.on_host) {
            // The audited configuration: a path on this machine, seen from inside the root
            // when it lies there (--root DIR, DIR/etc/mail/sendmail.cf is /etc/mail/sendmail.cf).
            std::error_code ec;
            const std::string host_path = std::filesystem::weakly_canonical(
                                              std::filesystem::absolute(reference.named, ec), ec)
                                              .string();
            const std::string& root = tree->root();
            if (root != "/" && host_path.starts_with(root + "/")) {
                const std::string inside = host_path.substr(root.size());
                add(reference, inside, tree->resolve(inside));
            } else {
                add(reference, reference.named, host.resolve(host_path));
            }
            continue;
        }
        auto [named, found] = locate(under, reference);
        // `QueueDirectory=/var/spool/mqueue/q*`: the directory before the `*`, and each of its
        // entries the `*` stands for.
        if (reference.role == FileRole::QueueDirectory && named.find('*') != std::string::npos) {
            const size_t star = named.find('*'), slash = named.rfind('/', star);
            if (slash != std::string::npos) {
                const std::string parent = slash == 0 ? "/" : named.substr(0, slash);
                const std::string prefix = named.substr(slash + 1, star - slash - 1);
                RootedTree::Resolved dir = under.resolve(parent);
                const std::vector<std::string> names = under.entries(dir);
                add(reference, parent, std::move(dir));
                for (const std::string& name : names)
                    if (name.starts_with(prefix))
                        add(reference, (parent == "/" ? "" : parent) + "/" + name,
                            under.resolve((parent == "/" ? "" : parent) + "/" + name));
                continue;
            }
        }
        const std::vector<std::string> programs = reference.role == FileRole::SmrshDirectory
                                                      ? under.entries(found)
                                                      : std::vector<std::string>{};
        // An include list's programs: read from the file found (a bounded size; sendmail
        // reads it at delivery), each looked up as an alias program is.
        std::vector<FileReference> listed;
        if (reference.role == FileRole::IncludeList && found.presence == Presence::Present &&
            found.stat.type == model::FileType::Regular && found.stat.size <= kMaxIncludeList) {
            std::ifstream in(found.host_path, std::ios::binary);
            const std::string text((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
            for (const auto& [target, line] : include_list_programs(text))
                if (auto program = program_reference(
                        target, ":include:" + named + " line " + std::to_string(line),
                        reference.where, reference.programs_through_smrsh))
                    listed.push_back(std::move(*program));
        }
        add(reference, named, std::move(found));
        for (const FileReference& program : listed) {
            auto [program_named, at] = locate(under, program);
            add(program, std::move(program_named), std::move(at));
        }
        for (const std::string& name : programs) {
            FileReference program{FileRole::SmrshProgram, "smrsh directory", named + "/" + name,
                                  reference.where};
            add(program, program.named, under.resolve(program.named));
        }
    }
    return out;
}

} // namespace smaudit
