// All fixes of a report applied at once (src/fix/apply.hpp) must give what each promises: on
// Debian's stock files, on the shared corpus and on every fixture, m4 and sendmail accept the
// fixed file and a second audit no longer reports what was fixed.
#include "apply_all_fixes.hpp"

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(SMAUDIT_SOURCE_DIR) / ".." / "shared" / "corpus";
const fs::path kFixtures = fs::path(SMAUDIT_SOURCE_DIR) / "fixtures";

std::vector<fs::path> files_in(const fs::path& dir, std::string_view extension = {}) {
    std::vector<fs::path> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && (extension.empty() || entry.path().extension() == extension))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

void check_all_fixes(const fs::path& file, FileKind kind) {
    CAPTURE(file.string());
    test::FixAllOutcome outcome = test::apply_all_fixes(file, kind);
    CHECK_MESSAGE(outcome.clean(), outcome.explain());
}

} // namespace

TEST_CASE("all fixes at once on Debian's stock sendmail.mc and sendmail.cf") {
    if (!test::fix_all_tools_available()) return;
    for (const auto& [path, kind] : {std::pair{"/etc/mail/sendmail.mc", FileKind::Mc},
                                     std::pair{"/etc/mail/submit.mc", FileKind::Mc},
                                     std::pair{"/etc/mail/sendmail.cf", FileKind::Cf},
                                     std::pair{"/etc/mail/submit.cf", FileKind::Cf}}) {
        if (!fs::exists(path)) continue;
        CAPTURE(std::string(path));
        test::FixAllOutcome outcome = test::apply_all_fixes(path, kind);
        CHECK_MESSAGE(outcome.clean(), outcome.explain());
        // Debian's MTA files have fixes to apply (the MSP files, submit.*, may have none).
        if (std::string_view(path).starts_with("/etc/mail/sendmail"))
            CHECK(outcome.applied.size() >= 10);
    }
}

TEST_CASE("each fix alone on Debian's stock sendmail.mc and sendmail.cf") {
    if (!test::fix_all_tools_available()) return;
    for (const auto& [path, kind] : {std::pair{"/etc/mail/sendmail.mc", FileKind::Mc},
                                     std::pair{"/etc/mail/sendmail.cf", FileKind::Cf}}) {
        if (!fs::exists(path)) continue;
        CAPTURE(std::string(path));
        for (size_t i = 0;; ++i) {
            CAPTURE(i);
            test::FixAllOutcome outcome = test::apply_all_fixes(path, kind, {}, i);
            if (outcome.applied.empty()) break;
            CHECK(outcome.applied.size() == 1);
            CHECK_MESSAGE(outcome.clean(), outcome.explain());
        }
    }
}

TEST_CASE("all fixes at once on every .mc and .cf of the shared corpus") {
    if (!test::fix_all_tools_available()) return;
    if (!fs::is_directory(kCorpus)) {
        MESSAGE("skipped: no corpus at " << kCorpus.string());
        return;
    }
    // Only the .mc files: other runs leave m4 message files beside them.
    for (const fs::path& file : files_in(kCorpus / "mc", ".mc"))
        check_all_fixes(file, FileKind::Mc);
    for (const fs::path& file : files_in(kCorpus / "cf"))
        check_all_fixes(file, FileKind::Cf);
}

TEST_CASE("all fixes at once on every fixture") {
    if (!test::fix_all_tools_available()) return;
    for (const auto& entry : fs::directory_iterator(kFixtures / "rules")) {
        for (const fs::path& file : files_in(entry.path(), ".mc"))
            check_all_fixes(file, FileKind::Mc);
        for (const fs::path& file : files_in(entry.path(), ".cf"))
            check_all_fixes(file, FileKind::Cf);
    }
    for (const fs::path& file : files_in(kFixtures / "mc", ".mc"))
        check_all_fixes(file, FileKind::Mc);
}

// Issue 9, "done when": `smaudit audit --fix --unsafe-fixes` on a copy of every fixture and every
// corpus .mc that real m4 expands; real m4 still expands the fixed file into a .cf with the
// options smaudit proved, sendmail reads it without new complaints, and a second audit reports
// none of the fixed findings. Prints the figures.
TEST_CASE("--fix --unsafe-fixes through the CLI on every fixture and every corpus .mc") {
    if (!test::fix_all_tools_available()) return;
    std::vector<std::pair<fs::path, FileKind>> files;
    for (const auto& entry : fs::directory_iterator(kFixtures / "rules")) {
        for (const fs::path& file : files_in(entry.path(), ".mc"))
            files.emplace_back(file, FileKind::Mc);
        for (const fs::path& file : files_in(entry.path(), ".cf"))
            files.emplace_back(file, FileKind::Cf);
    }
    for (const char* dir : {"mc", "e2e"})
        for (const fs::path& file : files_in(kFixtures / dir, ".mc"))
            files.emplace_back(file, FileKind::Mc);
    for (const fs::path& file : files_in(kFixtures / "e2e", ".cf"))
        files.emplace_back(file, FileKind::Cf);
    const size_t fixtures = files.size();
    for (const fs::path& file : files_in(kCorpus / "mc", ".mc"))
        files.emplace_back(file, FileKind::Mc);
    std::sort(files.begin() + static_cast<long>(fixtures), files.end());

    struct Figures {
        int audited = 0, not_expanded = 0, fixed = 0, fixes = 0, passes = 0, max_passes = 0;
    } figures[2]; // fixtures, corpus
    for (size_t i = 0; i < files.size(); ++i) {
        const auto& [file, kind] = files[i];
        CAPTURE(file.string());
        test::FixAllOutcome outcome =
            test::apply_all_fixes(file, kind, {}, std::nullopt, test::FixApplier::Cli);
        Figures& f = figures[i < fixtures ? 0 : 1];
        if (outcome.m4_failed_before) { // real m4 cannot expand it: nothing to compare with
            ++f.not_expanded;
            continue;
        }
        ++f.audited;
        CHECK_MESSAGE(outcome.clean(), outcome.explain());
        if (outcome.fixes_written > 0) ++f.fixed;
        f.fixes += outcome.fixes_written;
        f.passes += outcome.passes;
        f.max_passes = std::max(f.max_passes, outcome.passes);
    }
    for (int i = 0; i < 2; ++i)
        MESSAGE(std::string(i == 0 ? "fixtures" : "corpus .mc")
                << ": " << figures[i].audited << " files checked (" << figures[i].not_expanded
                << " that real m4 cannot expand left out), " << figures[i].fixed << " fixed, "
                << figures[i].fixes << " fixes applied, " << figures[i].passes
                << " passes in all, at most " << figures[i].max_passes << " for one file");
    CHECK(figures[1].fixed > 0);
}
