// What the end-to-end tests on a file tree built for sendmail share: writing its files with a
// mode, and reading smaudit's findings as "RULE: message" lines.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace smaudit::test {

inline void write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), mode);
}

// Whether one of `findings` ("RULE: message ...") is of `rule` and holds `fragment`.
inline bool has_finding(const std::vector<std::string>& findings, const std::string& rule,
                        const std::string& fragment) {
    return std::any_of(findings.begin(), findings.end(), [&](const std::string& f) {
        return f.starts_with(rule + ": ") && f.find(fragment) != std::string::npos;
    });
}

// One finding a line, for a test's failure message.
inline std::string joined(const std::vector<std::string>& findings) {
    std::string out;
    for (const std::string& f : findings)
        out += "\n  " + f;
    return out;
}

} // namespace smaudit::test
