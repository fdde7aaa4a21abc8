// The core promise of the m4 engine: for every .mc that the real m4 can expand with the
// installed cf tree, smaudit writes the same .cf text byte for byte, except the build-info lines
// cfhead.m4 makes with syscmd. Inputs: the corpus .mc files, sendmail's own cf/cf/*.mc and the
// fixtures in fixtures/mc/. Real m4 never runs an .mc that calls syscmd/esyscmd itself.
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <regex>

namespace fs = std::filesystem;

namespace {

const std::string kCfDir = "/usr/share/sendmail/cf";

std::vector<std::string> mc_files() {
    std::vector<std::string> files;
    for (const std::string& dir :
         {std::string(SMAUDIT_SOURCE_DIR "/../shared/corpus/mc"), std::string("/etc/mail"),
          kCfDir + "/cf", std::string(SMAUDIT_SOURCE_DIR "/fixtures/mc")}) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string p = entry.path().string();
            const bool corpus = dir.find("corpus") != std::string::npos;
            if (entry.is_regular_file() && (corpus || entry.path().extension() == ".mc"))
                files.push_back(p);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// An include of another tree's cf.m4 becomes this tree's, for the real m4.
std::string rewrite_cf_include(const std::string& text) {
    static const std::regex re(R"(([`(\s])[^`'()\s]*m4/cf\.m4)");
    return std::regex_replace(text, re, "$1" + kCfDir + "/m4/cf.m4");
}

bool includes_cf_m4(const std::string& text) {
    static const std::regex re(R"(include\s*\(\s*`?[^)']*cf\.m4)");
    return std::regex_search(text, re);
}

std::string to_crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// First differing line, for the failure message.
std::string first_difference(const std::string& a, const std::string& b) {
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    const size_t line_start = a.rfind('\n', i == 0 ? 0 : i - 1);
    const size_t from = line_start == std::string::npos ? 0 : line_start + 1;
    const size_t line_no = static_cast<size_t>(std::count(a.begin(), a.begin() + from, '\n')) + 1;
    return "line " + std::to_string(line_no) + ": m4 `" + a.substr(from, 120) + "'\n   ours `" +
           b.substr(from, 120) + "'";
}

} // namespace

TEST_CASE("every .mc expands exactly as the real m4 writes it") {
    if (!m4test::real_m4_available() || !fs::exists(kCfDir + "/m4/cf.m4")) {
        MESSAGE("m4 or the sendmail cf tree is missing: agreement test skipped");
        return;
    }
    const std::string out_dir = m4test::temp_dir() + "/agreement";
    fs::create_directories(out_dir);
    size_t compared = 0, identical = 0, m4_errors = 0, unsafe = 0;
    // Every file as it is, and again with CRLF line ends (files edited on Windows): m4 keeps the
    // CR as text, and so must smaudit.
    std::vector<std::pair<std::string, bool>> inputs;
    for (const std::string& path : mc_files()) {
        inputs.emplace_back(path, false);
        inputs.emplace_back(path, true);
    }
    for (const auto& [path, crlf] : inputs) {
        std::string text = m4test::read_text(path);
        if (crlf) text = to_crlf(text);
        const std::string base = fs::path(path).filename().string() + (crlf ? ".crlf" : "");
        if (text.find("syscmd") != std::string::npos || text.find("esyscmd") != std::string::npos) {
            ++unsafe; // never hand a shell command from an untrusted file to the real m4
            continue;
        }
        const std::string copy = out_dir + "/" + base;
        std::ofstream(copy, std::ios::binary) << rewrite_cf_include(text);
        const bool self_includes = includes_cf_m4(text);
        const auto real = m4test::run_real_m4(kCfDir + "/cf",
                                              (self_includes ? "'" : "../m4/cf.m4 '") + copy + "'");

        smaudit::SourceSet sources;
        const auto id = sources.add(path, text, smaudit::FileKind::Mc);
        smaudit::m4::ExpandOptions options;
        options.cf_dir = kCfDir;
        // Debian's .mc includes /etc/mail/tls/starttls.m4 and /etc/mail/m4/*.m4 by absolute path;
        // a copy of it read elsewhere may read them only when allowed (SM-E107).
        options.include_dirs = {"/etc/mail"};
        const auto ours = smaudit::m4::expand_mc(sources, id, options);

        if (real.status != 0) {
            // m4 itself complains (a missing OSTYPE, FEATURE or include) but still writes its
            // output: smaudit must write the same and say what is missing.
            ++m4_errors;
            bool reported = false;
            for (const auto& d : ours.diagnostics)
                reported = reported || d.rule_id == "SM-E102" || d.rule_id == "SM-E104";
            CHECK_MESSAGE(reported, base << ": m4 fails but smaudit reports no missing file");
        }
        ++compared;
        const std::string expected = m4test::drop_build_info(real.out);
        if (expected == ours.text) {
            ++identical;
        } else {
            std::ofstream(copy + ".m4.cf", std::ios::binary) << expected;
            std::ofstream(copy + ".ours.cf", std::ios::binary) << ours.text;
            FAIL_CHECK(base << " differs, " << first_difference(expected, ours.text));
        }
    }
    std::cout << "m4 agreement: " << identical << " identical / " << compared << " compared ("
              << m4_errors << " of them with m4 errors (missing files), " << unsafe
              << " not run: they call syscmd)\n";
    // 84 files without the corpus (../shared beside the checkout, which CI has), 144 with it.
    const bool corpus = fs::is_directory(SMAUDIT_SOURCE_DIR "/../shared/corpus/mc");
    if (!corpus)
        MESSAGE("no corpus beside the checkout: sendmail's own .mc files and fixtures only");
    CHECK(compared > (corpus ? 100 : 50));
    CHECK(identical == compared);
}
