// Test helpers: run the real GNU m4 on a temporary file (ground truth) and smaudit's engine on
// the same text, so tests compare the two instead of trusting smaudit's own output.
#pragma once

#include "../support/temp_dir.hpp"
#include "m4/expand.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace m4test {

inline bool real_m4_available() {
    return std::system("m4 --version >/dev/null 2>&1") == 0;
}

// The test process's own directory, removed when it ends.
inline std::string temp_dir() {
    static const TempDir dir("smaudit-m4");
    return dir.path.string();
}

inline std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = temp_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

struct RealRun {
    std::string out;
    std::string err; // run_m4_direct only
    int status = -1;
    // Killed (timeout), or GNU m4 died of its own: "m4: stack overflow" (exit 1) on deep
    // recursion, where smaudit stops at its nesting limit. Such output is cut short.
    bool died() const {
        return status != 0 && (status != 1 || err.find("stack overflow") != std::string::npos);
    }
};

// Runs `m4 ARGS` in `dir`, stdout captured, stderr discarded.
inline RealRun run_real_m4(const std::string& dir, const std::string& args) {
    RealRun r;
    const std::string cmd = "cd '" + dir + "' && timeout 5 m4 " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// Runs `m4 ARGS...` in `dir` without a shell (the differential test runs thousands), stdout
// and stderr captured; killed after `timeout_ms` (status -1, like a crash).
inline RealRun run_m4_direct(const std::string& dir, const std::vector<std::string>& args,
                             int timeout_ms = 5000) {
    RealRun r;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return r;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return r;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(127);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>("m4"));
        for (const std::string& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execvp("m4", argv.data());
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        close(out[0]);
        close(err[0]);
        return r;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    bool killed = false;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* into[2] = {&r.out, &r.err};
    char buf[65536];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (poll(fds, 2, static_cast<int>(left)) <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                into[i]->append(buf, static_cast<size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1; // poll ignores it now
            }
        }
    }
    for (const pollfd& f : fds)
        if (f.fd >= 0) close(f.fd);
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = !killed && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// Plain m4 over `text` (no cf tree), real and ours.
inline std::string real_m4(const std::string& text) {
    const std::string path = write_temp("in.m4", text);
    return run_real_m4(temp_dir(), "'" + path + "'").out;
}

// `path`: the file name __file__ says (the real m4 is given the same).
inline smaudit::m4::Expansion ours_full(const std::string& text,
                                        const std::string& path = temp_dir() + "/in.m4") {
    smaudit::SourceSet sources;
    const smaudit::FileId id = sources.add(path, text);
    smaudit::m4::ExpandOptions options;
    options.work_dir = temp_dir();
    return smaudit::m4::expand_m4(sources, id, options);
}
inline std::string ours(const std::string& text) {
    return ours_full(text).text;
}

// Drops the lines cfhead.m4 makes with syscmd (makeinfo.sh): who built it, where, when.
inline std::string drop_build_info(const std::string& text) {
    std::istringstream in(text);
    std::string line, out;
    while (std::getline(in, line)) {
        if (line.rfind("##### built by ", 0) == 0 || line.rfind("##### in ", 0) == 0 ||
            (line.rfind("##### using ", 0) == 0 &&
             line.find(" as configuration include directory") != std::string::npos))
            continue;
        out += line;
        out += '\n';
    }
    if (!text.empty() && text.back() != '\n' && !out.empty()) out.pop_back();
    return out;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace m4test
