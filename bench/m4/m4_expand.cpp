// Benchmark driver: expands an .mc with smaudit's m4 engine, like `m4 ../m4/cf.m4 FILE.mc`
// (or `m4 FILE.mc`), and writes the .cf text to stdout. Built by bench/m4/bench.sh.
// Usage: m4_expand FILE.mc [CF_DIR] [REPEAT]   (REPEAT > 1: time in-process runs on stderr)
#include "m4/expand.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: m4_expand FILE.mc [CF_DIR] [REPEAT]\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    smaudit::m4::ExpandOptions options;
    if (argc >= 3) options.cf_dir = argv[2];
    const int repeat = argc >= 4 ? std::atoi(argv[3]) : 1;
    std::string out;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeat; ++i) {
        smaudit::SourceSet sources;
        const auto id = sources.add(argv[1], text, smaudit::FileKind::Mc);
        auto e = smaudit::m4::expand_mc(sources, id, options);
        out = std::move(e.text);
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (repeat > 1)
        std::cerr << "in-process: "
                  << std::chrono::duration<double, std::milli>(elapsed).count() / repeat
                  << " ms per expansion (" << repeat << " runs)\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}
