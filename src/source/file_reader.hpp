// The one way smaudit reads a file's bytes: the command line's files, what a configuration reaches
// (m4 includes, F class files, map sources, alias files, files under --root) and a baseline.
// Only regular files are read: a FIFO, device, socket or directory is refused without being
// opened for reading in a way that blocks (stat first, then open with O_NONBLOCK and check that
// the file opened is the regular file stat saw), and a file larger than the limit is refused
// before any byte is read (a 1 GB sparse file costs one stat).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace smaudit {

// Files larger than this are refused ("is N bytes, larger than the ... bytes smaudit reads of one
// file"): a million-entry access map is about 40 MB.
inline constexpr size_t kMaxFileBytes = size_t{256} << 20;

struct FileRead {
    enum class Status { Ok, Missing, NotRegular, TooBig, Error } status = Status::Error;
    std::string text;  // Ok: the bytes
    std::string error; // otherwise: why, e.g. "is a FIFO (named pipe), not a regular file"
    bool ok() const { return status == Status::Ok; }
};

// Reads `path` (symbolic links followed) when it is a regular file of at most `max_bytes`.
FileRead read_regular_file(const std::string& path, size_t max_bytes = kMaxFileBytes);

// What read_regular_file checks before it opens the file (one stat): Ok when `path` is a regular
// file of at most `max_bytes`; for readers that open the file themselves (Berkeley DB).
FileRead check_regular_file(const std::string& path, size_t max_bytes = kMaxFileBytes);

// The longest line smaudit reads in a configuration or map: sendmail reads at most a few
// thousand bytes of one (makemap 1023, a .cf line MAXLINE 2048 by default), and a line of
// 50 MB is refused at once instead of parsed.
inline constexpr size_t kMaxLineBytes = size_t{1} << 20;

// The first line of `text` longer than `max_line` bytes: its line, the column of its first byte
// past the limit (code points, as every reported column), and why the text is refused ("line N
// is X bytes, longer than the 1048576 bytes ..."). Line 0 and no message when there is none.
struct OverlongLine {
    uint32_t line = 0;
    uint32_t column = 0;
    std::string message;
};
OverlongLine overlong_line(std::string_view text, size_t max_line = kMaxLineBytes);

// What kind of file a st_mode is, as a message names it: "a FIFO (named pipe)", "a directory",
// "a character device", "a block device", "a socket", "a regular file".
const char* file_type_name(unsigned mode);

} // namespace smaudit
