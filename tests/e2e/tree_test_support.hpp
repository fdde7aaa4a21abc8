// What the end-to-end tests on a file tree built for sendmail share: writing its files with a
// mode, and reading smaudit's findings as "RULE: message" lines.
#pragma once

#include "run_cli.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
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

// "RULE: message" of each finding of one of `rules` that `smaudit --root /` reports on `dir`
// (a tree whose .cf names its files by their paths on this host, so that sendmail and smaudit
// judge the very same files).
inline std::vector<std::string> findings_under_root(const std::filesystem::path& dir,
                                                    std::initializer_list<std::string_view> rules) {
    const auto result = run_smaudit("--format json --fail-on none --root / " + dir.string());
    std::vector<std::string> out;
    const nlohmann::json report = nlohmann::json::parse(result.out);
    for (const auto& f : report["findings"]) {
        const std::string rule = f["rule"];
        if (std::find(rules.begin(), rules.end(), rule) != rules.end())
            out.push_back(rule + ": " + f["message"].get<std::string>());
    }
    return out;
}

// One finding a line, for a test's failure message.
inline std::string joined(const std::vector<std::string>& findings) {
    std::string out;
    for (const std::string& f : findings)
        out += "\n  " + f;
    return out;
}

} // namespace smaudit::test
