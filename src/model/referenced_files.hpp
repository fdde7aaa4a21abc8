// The files and directories a configuration references (its alias files, K maps and their
// databases, F class files, help file, queue, smrsh directory, TLS files, ...), each with its role
// and, in a live audit or under --root, what the file system holds there: type, owner, mode,
// size, and the directories on the way to it. Only the audit touches the file system
// (app/referenced_files.hpp); rules read what it found through RuleContext::referenced.
#pragma once

#include "diag/diagnostic.hpp"
#include "model/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::model {

enum class FileRole {
    ConfigFile,          // the .cf (or .mc) audited
    ConfigDirectory,     // the directory that holds it (/etc/mail)
    AliasFile,           // an AliasFile text source (newaliases reads it)
    AliasDatabase,       // its .db (.dir/.pag): what sendmail looks aliases up in
    MapSource,           // a K map's text source (makemap reads it; sendmail never does)
    MapDatabase,         // a K map's database (.db, .dir/.pag, .cdb) or a text map's file
    ClassFile,           // an F line's file
    HelpFile,            // HelpFile
    QueueDirectory,      // QueueDirectory, and each queue group's directory
    SafeFileEnvironment, // SafeFileEnvironment (the chroot of file deliveries)
    SmrshDirectory,      // the directory smrsh runs programs from (prog mailer P=.../smrsh)
    SmrshProgram,        // an entry of that directory
    AliasProgram,        // the program a `|program` alias target (or :include: line) runs
    IncludeList,         // the file an `:include:/path` alias target reads its targets from
    ForwardDirectory,    // a directory of ForwardPath that is not a home directory ($z)
    TlsCertificate,      // ServerCertFile, ClientCertFile
    TlsKey,              // ServerKeyFile, ClientKeyFile
    TlsCaFile,           // CACertFile, CRLFile, DHParameters (a file)
    TlsCaDirectory,      // CACertPath
    StatusFile,          // StatusFile (statistics)
    PidFile,             // PidFile
};
// "alias file", "map database", ... for reports.
std::string_view to_string(FileRole role);

enum class FileType { Regular, Directory, Symlink, Other };

// What lstat/stat says of a file.
struct FileStat {
    FileType type = FileType::Other;
    uint32_t mode = 0; // permission bits, set-id and sticky bits included (07777)
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t size = 0;
    uint64_t links = 1;
    int64_t mtime = 0; // seconds since the epoch
    // The owner's and group's names: from <root>/etc/passwd and <root>/etc/group under --root
    // (the image's accounts, never this host's), from the live system's account database
    // otherwise; empty when no entry names the id.
    std::string user_name, group_name;
};

// A directory on the way to a referenced file, after symbolic links: what safedirpath() walks.
struct PathStep {
    std::string path; // as sendmail names it (inside --root)
    FileStat stat;
};

enum class Presence {
    Present,     // `stat` describes it
    Missing,     // nothing there (or a directory on the way is missing)
    OutsideRoot, // a symbolic link on the way leaves --root: not followed (`why` names it)
    Unreadable,  // stat failed for another reason (`why`)
    NotChecked,  // not looked up: a relative path, not a live audit (`why`)
};

struct ReferencedFile {
    FileRole role = FileRole::ConfigFile;
    std::string source; // what names it: "AliasFile", "K access", "F{R}", "prog mailer", ...
    std::string named;  // the path as sendmail uses it
    Location where;     // the line that names it; invalid for a default
    // Sendmail goes on without it, silently (`K name hash -o`, `F{R}-o`, a map source, which
    // only makemap reads): its absence is no finding.
    bool optional = false;
    Presence presence = Presence::NotChecked;
    std::string host_path;   // the file smaudit looked at (`named` under --root)
    FileStat stat;           // Present: after following a final symbolic link
    bool final_link = false; // Present: `named` itself is a symbolic link (`stat` is its target)
    std::vector<PathStep> directories; // Present: the directories above it, "/" first
    std::string why;                   // OutsideRoot, Unreadable, NotChecked: in words
};

struct ReferencedFiles {
    // Whether the file system was looked at: a live audit (the configuration is in /etc/mail)
    // or --root. When false, every file is NotChecked and rules that need facts stay silent.
    bool inspected = false;
    std::string root; // "/" for the live tree, else --root
    std::vector<ReferencedFile> files;

    std::vector<const ReferencedFile*> with_role(FileRole role) const {
        std::vector<const ReferencedFile*> out;
        for (const ReferencedFile& file : files)
            if (file.role == role) out.push_back(&file);
        return out;
    }
};

// The first of `directories` (the way to a file, "/" first) that sendmail's safedirpath()
// refuses when SFF_SAFEDIRPATH is set (libsmutil/safefile.c): world-writable, or group-writable
// without DontBlameSendmail GroupWritableDirPathSafe, unless TrustStickyBit is set and the
// directory is sticky. "the directory /etc/mail is group-writable (mode 0775)".
std::optional<std::string> first_unsafe_directory(const std::vector<PathStep>& directories,
                                                  const Config& config);

} // namespace smaudit::model
