// Parses one map file the way smaudit does and prints what it found, so bench/maps/run.sh can
// time the whole process (read + parse + duplicate check) beside sendmail's own builders.
// Usage: maps_parse_bench access|aliases|kv|class FILE [--dump]
// --dump prints the stored entries as `makemap -u` does (key TAB value) and the diagnostics,
// for comparing with sendmail's tools by hand.
#include "parse/maps.hpp"

#include <chrono>
#include <cstdio>
#include <string>

using namespace smaudit;

int main(int argc, char** argv) {
    const bool dump = argc == 4 && std::string(argv[3]) == "--dump";
    if (argc != 3 && !dump) {
        std::fprintf(stderr, "usage: %s access|aliases|kv|class FILE [--dump]\n", argv[0]);
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
    std::string out;
    auto print = [&](std::string_view key, std::string_view value) {
        out.append(key).append("\t").append(value).append("\n");
    };
    if (kind == "access" || kind == "kv") {
        const ast::KeyValueMap map = kind == "access" ? parse_access(sources, id, diagnostics)
                                                      : parse_kv_map(sources, id, diagnostics);
        entries = map.entries.size();
        if (dump)
            for (const auto& e : map.entries)
                if (!e.duplicate()) print(map.stored_key(e), map.value(e));
    } else if (kind == "aliases") {
        const ast::AliasesFile aliases = parse_aliases(sources, id, diagnostics);
        entries = aliases.entries.size();
        if (dump)
            for (const auto& e : aliases.entries)
                if (!e.overridden()) print(aliases.key(e), aliases.value(e));
    } else if (kind == "class") {
        const ast::ClassFile cls = parse_class_file(sources, id, diagnostics);
        entries = cls.words.size();
        if (dump)
            for (const Span& w : cls.words)
                print(cls.word(w), "");
    } else {
        std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
        return 2;
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (dump) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        for (const Diagnostic& d : diagnostics)
            std::fprintf(stderr, "line %u: %s %s\n",
                         sources.get(id).position(d.where.span.begin).line, d.rule_id.c_str(),
                         d.message.c_str());
        return 0;
    }
    std::printf("%s: %zu entries, %zu diagnostics, parse %.1f ms\n", kind.c_str(), entries,
                diagnostics.size(), ms);
    return 0;
}
