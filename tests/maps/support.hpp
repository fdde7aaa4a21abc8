// Helpers for the map tests: files, temporary directories and running sendmail's own tools.
#pragma once

#include "../support/temp_dir.hpp"
#include "diag/diagnostic.hpp"
#include "source/source.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace maps_test {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The access maps of the corpus, the relay tests' configurations and the map fixtures, that
// exist here (CI has ../shared beside the checkout): every regular file under them, to any
// depth, named with "access" and not an .mc.
inline std::vector<std::filesystem::path> known_access_maps() {
    std::vector<std::filesystem::path> maps;
    for (const char* dir :
         {"/../shared/corpus/access", "/tests/relay/configs", "/fixtures/parse/maps"}) {
        const std::filesystem::path path = std::string(SMAUDIT_SOURCE_DIR) + dir;
        if (!std::filesystem::is_directory(path)) continue;
        for (const auto& file : std::filesystem::recursive_directory_iterator(path)) {
            const std::string name = file.path().filename().string();
            if (file.is_regular_file() && name.find("access") != std::string::npos &&
                !name.ends_with(".mc"))
                maps.push_back(file.path());
        }
    }
    std::sort(maps.begin(), maps.end());
    return maps;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

inline int run(const std::string& command) {
    return std::system(command.c_str());
}

// `makemap -u` output: one `key<TAB>value` line per entry.
inline std::map<std::string, std::string> parse_dump(const std::string& dump) {
    std::map<std::string, std::string> out;
    size_t pos = 0;
    while (pos < dump.size()) {
        size_t nl = dump.find('\n', pos);
        if (nl == std::string::npos) nl = dump.size();
        const std::string line = dump.substr(pos, nl - pos);
        const size_t tab = line.find('\t');
        out[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
        pos = nl + 1;
    }
    return out;
}

// Lines of a tool's stderr that report a problem with one input line ("...: line 7: ...").
inline size_t count_line_messages(const std::string& err) {
    size_t n = 0;
    std::istringstream in(err);
    std::string line;
    while (std::getline(in, line))
        if (line.find(": line ") != std::string::npos) ++n;
    return n;
}

inline std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string show(const std::map<std::string, std::string>& m) {
    std::string s;
    for (const auto& [k, v] : m)
        s += "  [" + k + "] -> [" + v + "]\n";
    return s;
}

inline const std::string kCorpus = SMAUDIT_SOURCE_DIR "/../shared/corpus";
inline const std::string kFixtures = SMAUDIT_SOURCE_DIR "/fixtures/parse/maps";

} // namespace maps_test
