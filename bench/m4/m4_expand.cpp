// Benchmark driver: expands an .mc with smaudit's m4 engine, like `m4 ../m4/cf.m4 FILE.mc`
// (or `m4 FILE.mc`), and writes the .cf text to stdout. Built by bench/m4/bench.sh.
// Usage: m4_expand FILE.mc [CF_DIR] [REPEAT]
//   REPEAT > 1: in-process CPU time per expansion on stderr, cold (cf.m4 read each time) and warm
//   (resumed from the state after cf.m4, FrozenCache), interleaved.
// m4_expand --batch CF_DIR FILE...: every file once cold, then every file once with one cache
//   (as a run over a fleet does: the first .mc reads cf.m4, the others resume), best of 3 rounds
//   on stderr.
#include "m4/expand.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace {

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

smaudit::m4::Expansion expand(const char* path, const std::string& text,
                              smaudit::m4::ExpandOptions options) {
    smaudit::SourceSet sources;
    const auto id = sources.add(path, text, smaudit::FileKind::Mc);
    return smaudit::m4::expand_mc(sources, id, options);
}

// CPU time of this thread: the shared bench box is often loaded, and waiting for a core is
// not the engine's work.
using Clock = std::chrono::nanoseconds;
Clock now() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return Clock(t.tv_sec * 1'000'000'000LL + t.tv_nsec);
}
double ms_since(Clock start) {
    return std::chrono::duration<double, std::milli>(now() - start).count();
}

int batch(int argc, char** argv) {
    smaudit::m4::ExpandOptions options;
    options.cf_dir = argv[2];
    options.include_dirs = {"/etc/mail"};
    std::vector<std::string> texts;
    for (int i = 3; i < argc; ++i)
        texts.push_back(read_file(argv[i]));
    const size_t n = texts.size();
    // Three rounds of cold then warm (a fresh cache each round); the best of each.
    double cold = 1e300, warm = 1e300;
    size_t resumed = 0, recorded = 0;
    for (int round = 0; round < 3; ++round) {
        options.frozen = nullptr;
        auto start = now();
        for (size_t i = 0; i < n; ++i)
            expand(argv[i + 3], texts[i], options);
        cold = std::min(cold, ms_since(start));
        smaudit::m4::FrozenCache cache;
        options.frozen = &cache;
        resumed = 0;
        start = now();
        for (size_t i = 0; i < n; ++i)
            resumed += expand(argv[i + 3], texts[i], options).resumed_from_frozen ? 1 : 0;
        warm = std::min(warm, ms_since(start));
        recorded = cache.stats().recorded;
    }
    std::cerr << n << " .mc (best of 3 rounds): cold " << cold << " ms (" << cold / n
              << " ms each), warm " << warm << " ms (" << warm / n << " ms each; " << resumed
              << " resumed, " << recorded << " snapshots taken)\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::string_view(argv[1]) == "--batch") return batch(argc, argv);
    if (argc < 2) {
        std::cerr << "usage: m4_expand FILE.mc [CF_DIR] [REPEAT] | --batch CF_DIR FILE...\n";
        return 2;
    }
    const std::string text = read_file(argv[1]);
    smaudit::m4::ExpandOptions options;
    if (argc >= 3) options.cf_dir = argv[2];
    const int repeat = argc >= 4 ? std::atoi(argv[3]) : 1;
    std::string out = expand(argv[1], text, options).text;
    if (repeat > 1) {
        smaudit::m4::FrozenCache cache;
        smaudit::m4::ExpandOptions warm_options = options;
        warm_options.frozen = &cache;
        expand(argv[1], text, warm_options); // takes the snapshot
        std::vector<double> cold, warm;
        bool resumed = true;
        for (int i = 0; i < repeat; ++i) {
            auto start = now();
            expand(argv[1], text, options);
            cold.push_back(ms_since(start));
            start = now();
            resumed = expand(argv[1], text, warm_options).resumed_from_frozen && resumed;
            warm.push_back(ms_since(start));
        }
        auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::cerr << "in-process per expansion (" << repeat << " runs, median): cold "
                  << median(cold) << " ms, warm " << median(warm) << " ms"
                  << (resumed ? "" : " (NOT resumed)") << "\n";
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}
