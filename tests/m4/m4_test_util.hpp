// Test helpers: run the real GNU m4 on a temporary file (ground truth) and smaudit's engine on
// the same text, so tests compare the two instead of trusting smaudit's own output.
#pragma once

#include "m4/expand.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace m4test {

inline bool real_m4_available() {
    return std::system("m4 --version >/dev/null 2>&1") == 0;
}

inline std::string temp_dir() {
    static std::string dir = [] {
        std::string tmpl = (std::filesystem::temp_directory_path() / "smaudit-m4-XXXXXX").string();
        const char* made = mkdtemp(tmpl.data());
        return std::string(made != nullptr ? made : "/tmp");
    }();
    return dir;
}

inline std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = temp_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

struct RealRun {
    std::string out;
    int status = -1;
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

// Plain m4 over `text` (no cf tree), real and ours.
inline std::string real_m4(const std::string& text) {
    const std::string path = write_temp("in.m4", text);
    return run_real_m4(temp_dir(), "'" + path + "'").out;
}

inline smaudit::m4::Expansion ours_full(const std::string& text) {
    smaudit::SourceSet sources;
    const smaudit::FileId id = sources.add(temp_dir() + "/in.m4", text);
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
