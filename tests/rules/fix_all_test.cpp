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
