#include "source/file_reader.hpp"

#include "source/source.hpp"
#include "source/text_position.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace smaudit {

const char* file_type_name(unsigned mode) {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

namespace {

FileRead failed(FileRead::Status status, std::string error) {
    FileRead out;
    out.status = status;
    out.error = std::move(error);
    return out;
}

FileRead not_regular(unsigned mode) {
    return failed(FileRead::Status::NotRegular,
                  std::string("is ") + file_type_name(mode) + ", not a regular file: not read");
}

// The stat and the checks on it, shared by check_regular_file and read_regular_file.
FileRead check_stat(const std::string& path, size_t max_bytes, struct stat& seen) {
    if (::stat(path.c_str(), &seen) != 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR)
            return failed(FileRead::Status::Missing, std::strerror(error));
        return failed(FileRead::Status::Error, std::strerror(error));
    }
    // Decided on stat alone: opening a FIFO for reading waits for a writer, a device may act.
    if (!S_ISREG(seen.st_mode)) return not_regular(seen.st_mode);
    if (static_cast<uintmax_t>(seen.st_size) > max_bytes)
        return failed(FileRead::Status::TooBig,
                      "is " + std::to_string(seen.st_size) + " bytes, larger than the " +
                          std::to_string(max_bytes) + " bytes smaudit reads of one file");
    FileRead out;
    out.status = FileRead::Status::Ok;
    return out;
}

} // namespace

OverlongLine overlong_line(std::string_view text, size_t max_line) {
    // Window by window, not line by line: every line that starts in [at, at + max_line] and ends
    // at or before its last newline is short enough, so one memrchr per max_line bytes checks a
    // million-line map.
    size_t at = 0;
    while (text.size() - at > max_line) {
        const void* nl = ::memrchr(text.data() + at, '\n', max_line + 1);
        if (nl == nullptr) { // the line starting at `at` is longer: placed past what is read
            const Position past = text_position(text, at + max_line);
            const size_t end = std::min(text.find('\n', at), text.size());
            return {past.line, past.column,
                    "line " + std::to_string(past.line) + " is " + std::to_string(end - at) +
                        " bytes, longer than the " + std::to_string(max_line) +
                        " bytes smaudit reads of one line: not read"};
        }
        at = static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    }
    return {};
}

FileRead check_regular_file(const std::string& path, size_t max_bytes) {
    struct stat seen {};
    return check_stat(path, max_bytes, seen);
}

FileRead read_regular_file(const std::string& path, size_t max_bytes) {
    struct stat seen {};
    if (FileRead checked = check_stat(path, max_bytes, seen); !checked.ok()) return checked;
    // O_NONBLOCK: should the name have been replaced by a FIFO since stat, open does not wait;
    // fstat then tells the file opened is still the regular file stat saw.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return failed(FileRead::Status::Error, std::strerror(errno));
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode) || opened.st_dev != seen.st_dev ||
        opened.st_ino != seen.st_ino) {
        const unsigned mode = opened.st_mode;
        ::close(fd);
        return S_ISREG(mode) ? failed(FileRead::Status::Error, "changed while being read")
                             : not_regular(mode);
    }
    FileRead out;
    // Sized by the file; grown while it grows, never past the limit.
    out.text.resize(static_cast<size_t>(opened.st_size) + 1);
    size_t used = 0;
    for (;;) {
        if (used == out.text.size()) {
            if (used > max_bytes) break;
            out.text.resize(std::min(out.text.size() * 2, max_bytes + 1));
        }
        const ssize_t n = ::read(fd, out.text.data() + used, out.text.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return failed(FileRead::Status::Error, std::strerror(error));
        }
        if (n == 0) break;
        used += static_cast<size_t>(n);
    }
    ::close(fd);
    if (used > max_bytes)
        return failed(FileRead::Status::TooBig, "grew larger than the " +
                                                    std::to_string(max_bytes) +
                                                    " bytes smaudit reads of one file");
    out.text.resize(used);
    out.status = FileRead::Status::Ok;
    return out;
}

} // namespace smaudit
