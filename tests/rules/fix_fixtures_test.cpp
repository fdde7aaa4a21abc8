// The fixes issue 9 names, each pinned byte-exact (fixtures/fixes/README.md): the file is
// audited with its directory's rules, all their fixes are applied at once through
// src/fix/apply (safe and unsafe), and the result must be the `.fixed` file beside it. Then, as
// the fix-all harness checks: real m4 expands a fixed .mc without new messages (and its .cf has
// the lines of `<stem>.expect-cf`), sendmail reads a fixed .cf without new complaints, makemap
// builds a fixed access map, newaliases a fixed aliases file, and a second audit reports nothing
// of those rules.
#include "apply_all_fixes.hpp"

#include <algorithm>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

const fs::path kFixes = fs::path(SMAUDIT_SOURCE_DIR) / "fixtures" / "fixes";

std::optional<FileKind> input_kind(const fs::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".mc") return FileKind::Mc;
    if (ext == ".cf") return FileKind::Cf;
    if (ext == ".access") return FileKind::Access;
    if (ext == ".aliases") return FileKind::Aliases;
    return std::nullopt;
}

// `<stem>.<ext>` -> `<stem>.fixed.<ext>`; inputs are the files without `.fixed`.
fs::path fixed_path(const fs::path& input) {
    return input.parent_path() / (input.stem().string() + ".fixed" + input.extension().string());
}

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;)
        words.push_back(word);
    return words;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

// makemap / newaliases on the fixed map, in a directory of its own.
void check_map_builds(const std::string& text, FileKind kind) {
    if (std::system("command -v makemap >/dev/null 2>&1") != 0) {
        MESSAGE("skipped: no makemap");
        return;
    }
    const TempDir dir("smaudit-fixed-map");
    const fs::path map = dir.path / (kind == FileKind::Access ? "access" : "aliases");
    std::ofstream(map, std::ios::binary) << text;
    const std::string command =
        kind == FileKind::Access
            ? "makemap hash '" + map.string() + "' < '" + map.string() + "' 2>&1"
            // newaliases as `sendmail -bi` with this file as the only alias file.
            : "sendmail -bi -O AliasFile='" + map.string() + "' 2>&1";
    CommandResult r = run_command(command);
    CAPTURE(r.out);
    CHECK(r.code == 0);
}

} // namespace

TEST_CASE("the fixes of issue 9, each against its expected fixed file, byte-exact") {
    if (!test::fix_all_tools_available()) return;
    REQUIRE(fs::is_directory(kFixes));
    size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(kFixes)) {
        if (!entry.is_directory()) continue;
        const std::vector<std::string> rules =
            words_of(test::fix_all_detail::read_text(entry.path() / "rules"));
        CAPTURE(entry.path().string());
        REQUIRE(!rules.empty());
        std::vector<fs::path> inputs;
        for (const auto& file : fs::directory_iterator(entry.path()))
            if (input_kind(file.path()) && file.path().stem().extension() != ".fixed")
                inputs.push_back(file.path());
        std::sort(inputs.begin(), inputs.end());
        REQUIRE(!inputs.empty());
        for (const fs::path& input : inputs) {
            CAPTURE(input.string());
            const FileKind kind = *input_kind(input);
            test::FixAllOutcome outcome = test::apply_all_fixes(input, kind, rules);
            CHECK(fs::exists(fixed_path(input)));
            CHECK(!outcome.applied.empty());
            CHECK_MESSAGE(outcome.clean(), outcome.explain());
            CHECK(outcome.fixed == test::fix_all_detail::read_text(fixed_path(input)));
            // None of the item's findings is left.
            for (const std::string& finding : outcome.after)
                CHECK_MESSAGE(finding.starts_with("SM-E"), finding);
            if (kind == FileKind::Mc) {
                const fs::path expect_cf =
                    input.parent_path() / (input.stem().string() + ".expect-cf");
                if (fs::exists(expect_cf))
                    for (const std::string& line :
                         lines_of(test::fix_all_detail::read_text(expect_cf))) {
                        CAPTURE(line);
                        CHECK(outcome.fixed_cf.find("\n" + line + "\n") != std::string::npos);
                    }
            }
            if (kind == FileKind::Access || kind == FileKind::Aliases)
                check_map_builds(outcome.fixed, kind);
            ++checked;
        }
    }
    MESSAGE(checked << " fixture files fixed as expected");
    CHECK(checked >= 13);
}
