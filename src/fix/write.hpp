// Writing a fixed file back, as `smaudit audit --fix` does: atomically (a temporary file in the
// same directory, fsync, rename, fsync of the directory), with the file's mode, owner and group,
// never through a symbolic link that leads out of the audited tree, and never over a file that
// changed since smaudit read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smaudit {

// What a file looked like when it was read: compared again just before it is replaced.
struct FileStamp {
    int64_t size = 0;
    int64_t mtime_sec = 0;
    int64_t mtime_nsec = 0;
    bool operator==(const FileStamp&) const = default;
};

// The stamp of the file `path` names (symbolic links followed); none when it cannot be read.
std::optional<FileStamp> stamp_file(const std::string& path);

// The directories a file may be written in: each audited directory, and the directory of each
// audited file as it was named (`link.mc` names its own directory, not its link's target's),
// symbolic links resolved.
std::vector<std::string> audited_trees(const std::vector<std::string>& audited_paths);

// Replaces the file `path` by `text`. `read_text` and `stamp` are what smaudit read: when the
// file's size, modification time or bytes differ now, nothing is written. `path` may be a
// symbolic link whose target lies inside one of `trees` (the target is replaced, the link kept).
// Returns "" when written, else why not ("... changed since it was read").
std::string write_fixed_file(const std::string& path, const std::string& read_text,
                             const FileStamp& stamp, const std::string& text,
                             const std::vector<std::string>& trees);

} // namespace smaudit
