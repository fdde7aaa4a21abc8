// Discovery by role: every file the effective configuration references (model/referenced_files
// .hpp lists the roles), and what the file system holds there. Shared by the file-system rules
// (owners, modes) and the map checks (a K map's database, an alias file's .db).
//
// Paths are looked up inside a root directory: `--root DIR` for an image, a container layer or
// a chroot audited offline, "/" for the live /etc/mail. Every absolute path, and every symbolic
// link met on the way, is resolved component by component under the root: an absolute link
// target is taken inside the root (what sendmail running there would open); a relative target
// whose `..` climbs above the root is reported (Presence::OutsideRoot) and never followed.
#pragma once

#include "model/config.hpp"
#include "model/map_set.hpp"
#include "model/referenced_files.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

// A file system seen from inside a root directory.
class RootedTree {
  public:
    explicit RootedTree(std::string root); // "/" for the live system
    const std::string& root() const { return root_; }

    struct Resolved {
        model::Presence presence = model::Presence::Missing;
        std::string host_path; // the path on this machine (under the root)
        model::FileStat stat;  // Present: of the file, a final symbolic link followed
        bool final_link = false;
        std::vector<model::PathStep> directories; // Present: the directories above it
        std::string why;                          // OutsideRoot, Unreadable, NotChecked
    };
    // Looks up an absolute path (a relative one is NotChecked) under the root.
    Resolved resolve(std::string_view path) const;
    // The names in a directory that resolve() found Present (sorted; empty when unreadable).
    std::vector<std::string> entries(const Resolved& directory) const;

  private:
    std::string root_; // without a trailing '/', except "/" itself
};

// The names of user and group ids as the audited system has them: under --root from
// <root>/etc/passwd and <root>/etc/group (looked up inside the root like any file; this host's
// accounts never), on the live system through getpwuid()/getgrgid(). Empty: no entry.
class AccountNames {
  public:
    explicit AccountNames(const RootedTree& tree);
    std::string user(uint32_t uid) const;
    std::string group(uint32_t gid) const;

  private:
    static constexpr uint64_t kMaxAccountFile = 16u << 20; // a larger file is not read
    bool live_;
    std::map<uint32_t, std::string> users_, groups_;
};

// Where an audit without --root may look at the files a configuration names on this machine:
// the audited configuration's own directory and every directory named on the command line (and
// below), symbolic links resolved. A file named elsewhere (a copy in a repository naming
// /etc/mail/access) is left alone.
class InPlaceDirs {
  public:
    // `config_path`: the audited .cf or .mc; `audited_dirs`: the directories on the command line.
    InPlaceDirs(const std::string& config_path, const std::vector<std::string>& audited_dirs);
    // Whether the directory of the absolute path `named` is one of them or lies below one.
    bool hold(std::string_view named) const;
    const std::filesystem::path& config_dir() const { return config_dir_; }

  private:
    std::filesystem::path config_dir_;
    std::vector<std::filesystem::path> audited_dirs_;
};

// One reference to a file, from the effective configuration (or an alias target).
struct FileReference {
    model::FileRole role;
    std::string source; // "AliasFile", "K access", "F{R}", "HelpFile", "prog mailer", ...
    std::string named;  // the path sendmail uses
    Location where;     // the line naming it; invalid for a default
    bool optional = false;
    // A path on this machine (the audited configuration itself), never put under --root.
    bool on_host = false;
    // Places one of which holds it (smrsh's compiled-in directory): the first present is
    // taken, else `named` (the first) is reported missing.
    std::vector<std::string> candidates = {};
    // Maps and alias files: the class sendmail opens them with (hash, btree, dbm, text, ...;
    // "implicit" for an AliasFile entry without one), and a K map's definition.
    std::string map_class = {};
    const model::MapDef* map = nullptr;
    // An include list: whether the prog mailer runs its `|program` lines through smrsh.
    bool programs_through_smrsh = false;
};

// Every file `config` references, in a stable order (options, then K maps, F classes, mailers;
// each in the order of the configuration). `aliases`: the aliases files audited with it, whose
// `|program` targets name programs (null: none). `config_path`: the audited .cf or .mc.
std::vector<FileReference> references_of(const model::Config& config, const model::MapSet* aliases,
                                         const std::string& config_path);

// Looks each reference up under `tree` (null: not a live audit and no --root: every file
// NotChecked with `why_not`). Adds the entries of the smrsh directory (SmrshProgram), for a
// queue directory ending in `*` the directories it stands for, and for an include list that
// is there the programs its `|program` lines run (AliasProgram, named by the alias's target).
model::ReferencedFiles inspect_references(const std::vector<FileReference>& references,
                                          const RootedTree* tree, const std::string& why_not);

// Reads a map's path out of a K line's spec ("-o -T<TMPF> /etc/mail/access"): the first word
// that is no flag. Empty when there is none.
std::string map_path_of(const std::vector<std::string>& args);
// Whether a K line's spec (or an AliasFile entry) has the flag `-FLAG` before its path.
bool map_has_flag(const std::vector<std::string>& args, char flag);
// The database files sendmail opens for a map class and path: hash/btree/implicit → path.db
// (unless it already ends in .db), dbm → path.dir and path.pag, cdb → path.cdb, text → path.
// Empty for classes that read no file (host, dns, ldap, sequence, regex, program, ...).
std::vector<std::string> map_database_files(std::string_view map_class, const std::string& path);

} // namespace smaudit
