// Parses one map file the way smaudit does and prints what it found, so bench/maps/run.sh can
// time the whole process (read + parse + duplicate check) beside sendmail's own builders.
// Usage: maps_parse_bench access|aliases|kv|class FILE
#include "parse/maps.hpp"

#include <chrono>
#include <cstdio>
#include <string>

using namespace smaudit;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s access|aliases|kv|class FILE\n", argv[0]);
        return 2;
    }
    const std::string kind = argv[1];
    std::FILE* f = std::fopen(argv[2], "rb");
    if (!f) {
        std::perror(argv[2]);
        return 2;
    }
    // Read straight into the string: a stream copy would double the peak memory.
    std::fseek(f, 0, SEEK_END);
    std::string text(static_cast<size_t>(std::ftell(f)), '\0');
    std::fseek(f, 0, SEEK_SET);
    const size_t read = std::fread(text.data(), 1, text.size(), f);
    std::fclose(f);
    text.resize(read);

    const auto start = std::chrono::steady_clock::now();
    SourceSet sources;
    const FileId id = sources.add(argv[2], std::move(text));
    std::vector<Diagnostic> diagnostics;
    size_t entries = 0;
    if (kind == "access")
        entries = parse_access(sources, id, diagnostics).entries.size();
    else if (kind == "kv")
        entries = parse_kv_map(sources, id, diagnostics).entries.size();
    else if (kind == "aliases")
        entries = parse_aliases(sources, id, diagnostics).entries.size();
    else if (kind == "class")
        entries = parse_class_file(sources, id, diagnostics).words.size();
    else {
        std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
        return 2;
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %zu entries, %zu diagnostics, parse %.1f ms\n", kind.c_str(), entries,
                diagnostics.size(), ms);
    return 0;
}
