// The parser against real files: the public corpus (must not crash, figures printed) and the
// ground truth of sendmail's own cf tree expanded by real m4 and the installed /etc/mail files
// (must parse with zero SM-E diagnostics, and the statement counts must match a plain count of
// the line types in the text).
#include "../support/temp_dir.hpp"
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Counts of line starts in the raw text, as `grep -c '^X'` would give them.
struct LineCounts {
    size_t rules = 0, rulesets = 0, long_options = 0, legacy_options = 0, maps = 0, mailers = 0;
};
LineCounts count_lines(const std::string& text) {
    LineCounts c;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        switch (line[0]) {
        case 'R':
            ++c.rules;
            break;
        case 'S':
            ++c.rulesets;
            break;
        case 'O':
            (line.size() > 1 && line[1] == ' ' ? c.long_options : c.legacy_options)++;
            break;
        case 'K':
            ++c.maps;
            break;
        case 'M':
            ++c.mailers;
            break;
        default:
            break;
        }
    }
    return c;
}

LineCounts count_statements(const ast::CfFile& file) {
    LineCounts c;
    for (const auto& s : file.statements) {
        if (std::holds_alternative<ast::CfRule>(s)) ++c.rules;
        if (std::holds_alternative<ast::CfRuleset>(s)) ++c.rulesets;
        if (const auto* o = std::get_if<ast::CfOption>(&s))
            (o->legacy ? c.legacy_options : c.long_options)++;
        if (std::holds_alternative<ast::CfMap>(s)) ++c.maps;
        if (std::holds_alternative<ast::CfMailer>(s)) ++c.mailers;
    }
    return c;
}

// Parses a file that sendmail reads without complaint: no diagnostic, counts as in the text.
size_t check_clean(const fs::path& path, const std::string& text) {
    SourceSet set;
    FileId id = set.add(path.string(), text, FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    ast::CfFile file = parse_cf(set, id, diagnostics);
    INFO(path.string());
    for (const auto& d : diagnostics) {
        Position p = set.get(id).position(d.where.span.begin);
        INFO(d.rule_id << " at line " << p.line << ": " << d.message);
        CHECK(false);
    }
    LineCounts expected = count_lines(text), got = count_statements(file);
    CHECK(got.rules == expected.rules);
    CHECK(got.rulesets == expected.rulesets);
    CHECK(got.long_options == expected.long_options);
    CHECK(got.legacy_options == expected.legacy_options);
    CHECK(got.maps == expected.maps);
    CHECK(got.mailers == expected.mailers);
    CHECK(expected.rules > 100); // a real sendmail.cf, not an empty expansion
    return file.statements.size();
}

} // namespace

TEST_CASE("every corpus .cf parses without crashing") {
    fs::path dir = fs::path(SMAUDIT_SOURCE_DIR) / ".." / "shared" / "corpus" / "cf";
    if (!fs::is_directory(dir)) {
        MESSAGE("corpus not found at " << dir.string() << "; skipped");
        return;
    }
    size_t files = 0, statements = 0, diagnostics_total = 0, bytes = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::string text = read_file(entry.path());
        SourceSet set;
        FileId id = set.add(entry.path().string(), text, FileKind::Cf);
        std::vector<Diagnostic> diagnostics;
        ast::CfFile file = parse_cf(set, id, diagnostics);
        ++files;
        bytes += text.size();
        statements += file.statements.size();
        diagnostics_total += diagnostics.size();
        for (const auto& d : diagnostics) {
            CHECK(d.pack == Pack::Syntax);
            CHECK(d.where.file == id);
            CHECK(d.where.span.end <= text.size());
            Position p = set.get(id).position(d.where.span.begin);
            MESSAGE(entry.path().filename().string()
                    << ":" << p.line << ": " << d.rule_id << " " << d.message);
        }
    }
    CHECK(files > 0);
    MESSAGE("corpus: " << files << " files, " << bytes << " bytes, " << statements
                       << " statements, " << diagnostics_total << " diagnostics");
}

TEST_CASE("ground truth: sendmail's own .mc files expanded by m4 and /etc/mail parse cleanly") {
    fs::path cf_dir = "/usr/share/sendmail/cf/cf";
    if (!fs::is_directory(cf_dir) || std::system("command -v m4 >/dev/null 2>&1") != 0) {
        MESSAGE("m4 or " << cf_dir.string() << " missing; m4 ground truth skipped");
    } else {
        const TempDir scratch("smaudit-cf-truth");
        const fs::path& tmp = scratch.path;
        size_t files = 0, skipped = 0, statements = 0;
        for (const auto& entry : fs::directory_iterator(cf_dir)) {
            if (entry.path().extension() != ".mc") continue;
            fs::path out = tmp / (entry.path().stem().string() + ".cf");
            // Runs sendmail's own, trusted cf tree (cfhead.m4 calls syscmd for build info).
            std::string command = "cd '" + cf_dir.string() + "' && m4 ../m4/cf.m4 '" +
                                  entry.path().filename().string() + "' > '" + out.string() +
                                  "' 2>/dev/null";
            std::string text;
            if (std::system(command.c_str()) != 0 || (text = read_file(out)).empty()) {
                ++skipped;
                continue;
            }
            ++files;
            statements += check_clean(entry.path(), text);
        }
        CHECK(files > 0);
        MESSAGE("m4 ground truth: " << files << " .mc files expanded and parsed, " << skipped
                                    << " failed to expand, " << statements << " statements");
    }
    for (const char* installed : {"/etc/mail/sendmail.cf", "/etc/mail/submit.cf"}) {
        if (!fs::exists(installed)) continue;
        size_t n = check_clean(installed, read_file(installed));
        MESSAGE(std::string(installed) << ": " << n << " statements");
    }
}
