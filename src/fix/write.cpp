#include "fix/write.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace smaudit {

namespace fs = std::filesystem;

namespace {

FileStamp stamp_of(const struct stat& st) {
    return {static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec),
            static_cast<int64_t>(st.st_mtim.tv_nsec)};
}

// Whether `path` is `tree` or lies below it (both already canonical).
bool inside(const fs::path& path, const fs::path& tree) {
    auto p = path.begin();
    for (auto t = tree.begin(); t != tree.end(); ++t, ++p)
        if (p == path.end() || *p != *t) return false;
    return true;
}

// Closes a descriptor on every path out.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

bool read_all(int fd, std::string& out) {
    char buffer[65536];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return true;
        out.append(buffer, static_cast<size_t>(n));
    }
}

bool write_all(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

std::string system_error(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

} // namespace

std::optional<FileStamp> stamp_file(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    return stamp_of(st);
}

std::vector<std::string> audited_trees(const std::vector<std::string>& audited_paths) {
    std::vector<std::string> trees;
    for (const std::string& path : audited_paths) {
        std::error_code ec;
        fs::path given(path);
        fs::path tree = fs::is_directory(given, ec) ? given : given.parent_path();
        if (tree.empty()) tree = ".";
        fs::path resolved = fs::canonical(tree, ec);
        if (!ec) trees.push_back(resolved.string());
    }
    return trees;
}

std::string write_fixed_file(const std::string& path, const std::string& read_text,
                             const FileStamp& stamp, const std::string& text,
                             const std::vector<std::string>& trees) {
    std::error_code ec;
    const fs::path target = fs::canonical(path, ec);
    if (ec) return "cannot resolve " + path + ": " + ec.message();
    bool in_tree = false;
    for (const std::string& tree : trees)
        in_tree = in_tree || inside(target, fs::path(tree));
    if (!in_tree)
        return path + " leads through a symbolic link to " + target.string() +
               ", outside the audited tree: not written";

    // The file as it is now, opened without following a link (canonical() resolved them all;
    // a link appearing here since is a change), nor waiting should a FIFO have taken its name.
    Fd current{open(target.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)};
    if (current.fd < 0) return system_error("cannot open " + target.string());
    struct stat st;
    if (fstat(current.fd, &st) != 0) return system_error("cannot stat " + target.string());
    if (!S_ISREG(st.st_mode)) return target.string() + " is not a regular file: not written";
    std::string now;
    if (stamp_of(st) != stamp || !read_all(current.fd, now) || now != read_text)
        return path + " changed since it was read: not written (run smaudit again)";

    // The new text beside it, with its mode, owner and group, on disk before it takes the name.
    std::string temporary =
        (target.parent_path() / ("." + target.filename().string() + ".smaudit-XXXXXX")).string();
    Fd out{mkstemp(temporary.data())};
    if (out.fd < 0) return system_error("cannot create a temporary file beside " + target.string());
    auto fail = [&](const std::string& why) {
        unlink(temporary.c_str());
        return why;
    };
    if (fchown(out.fd, st.st_uid, st.st_gid) != 0) {
        struct stat made;
        if (fstat(out.fd, &made) != 0 || made.st_uid != st.st_uid || made.st_gid != st.st_gid)
            return fail(system_error("cannot keep the owner and group of " + target.string()));
    }
    if (fchmod(out.fd, st.st_mode & 07777) != 0)
        return fail(system_error("cannot keep the mode of " + target.string()));
    if (!write_all(out.fd, text) || fsync(out.fd) != 0)
        return fail(system_error("cannot write " + temporary));
    // Last look before the rename: the window for a concurrent change stays as small as it can.
    struct stat again;
    if (lstat(target.c_str(), &again) != 0 || !S_ISREG(again.st_mode) || stamp_of(again) != stamp ||
        again.st_ino != st.st_ino)
        return fail(path + " changed since it was read: not written (run smaudit again)");
    if (rename(temporary.c_str(), target.c_str()) != 0)
        return fail(system_error("cannot rename " + temporary + " to " + target.string()));
    Fd dir{open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd >= 0) fsync(dir.fd);
    return {};
}

} // namespace smaudit
