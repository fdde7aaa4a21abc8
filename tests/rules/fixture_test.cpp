// The fixture harness: every fixtures/rules/<ID>/*.cf is run through parse_cf and build_config,
// rule <ID> alone runs on it, and the findings, as (rule, line) pairs counted with repeats, must
// be exactly what the file's annotations say. Text maps (*.access, *.aliases, *.relay-domains,
// *.virtusertable) are parsed by their parsers into one MapSet per stem: `bad-x.access` runs
// with the maps of stem `bad-x` and with `bad-x.cf` when there is one (cross-file rules), else
// without a configuration; the annotations of every file of the stem are then checked together.
// An .mc with a `.cf.diff` of the same stem runs with the .cf that diff makes of its output
// beside it, as sendmail.mc runs with sendmail.cf in a directory (check_loaded_cf_pair).
// A `.cf` or `.mc` fixture with a `.helpfile` of the same stem runs with that file as the help
// file its HelpFile names (as the audit reads one beside the configuration); the help file's
// annotations are checked with the configuration's.
// A `.cf` or `.mc` fixture with `<stem>.source-<map>` and/or `<stem>.db-<map>` files runs with a
// tree of map databases (map_db_tree.hpp): /etc/mail/<map> holds the first, and its .db is built
// from the second by the real makemap (newaliases for `aliases`).
// In an aliases file an indented line after a comment belongs to the comment, so an annotation
// must be followed by a line that starts in column 1.
//   # expect-next: SM-S023            a finding on the next line that is not an annotation
//   # expect-next: SM-S052 SM-S052    two findings there (or SM-S052*2)
//   # expect-default: SM-S023         a finding about a default (no line), anywhere in the file
#include "map_db_tree.hpp"
#include "map_rule_run.hpp"
#include "mc_test_support.hpp"
#include "rule_test_support.hpp"
#include "tree_run.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

using Expectation = std::pair<std::string, uint32_t>; // rule ID, line (0: about a default)

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// IDs of one annotation, `SM-S052*3` standing for three.
std::vector<std::string> annotation_ids(std::string_view list) {
    std::vector<std::string> ids;
    std::istringstream words{std::string(list)};
    for (std::string word; words >> word;) {
        if (!word.empty() && word.back() == ',') word.pop_back();
        int repeat = 1;
        if (size_t star = word.find('*'); star != std::string::npos) {
            repeat = std::stoi(word.substr(star + 1));
            word.resize(star);
        }
        for (int i = 0; i < repeat; ++i)
            ids.push_back(word);
    }
    return ids;
}

std::vector<Expectation> annotations(const SourceFile& file) {
    constexpr std::string_view kNext = "# expect-next:", kDefault = "# expect-default:";
    std::vector<Expectation> expected;
    std::vector<std::string> pending; // waiting for the next non-annotation line
    for (uint32_t line = 1; line <= file.line_count(); ++line) {
        std::string text(file.line_text(line));
        if (text.starts_with("dnl expect-")) text.replace(0, 3, "#"); // an .mc's annotations
        if (text.starts_with(kNext)) {
            for (std::string& id : annotation_ids(text.substr(kNext.size())))
                pending.push_back(std::move(id));
        } else if (text.starts_with(kDefault)) {
            for (std::string& id : annotation_ids(text.substr(kDefault.size())))
                expected.emplace_back(std::move(id), 0);
        } else {
            for (std::string& id : pending)
                expected.emplace_back(std::move(id), line);
            pending.clear();
        }
    }
    REQUIRE_MESSAGE(pending.empty(), file.path(), ": expect-next at the end of the file");
    std::sort(expected.begin(), expected.end());
    return expected;
}

// The syntax codes a fixture expects from m4 or the parsers, as `dnl expect-diagnostic: ID` (.mc;
// an .mc about an ordering error makes m4 print one, SM-E105) or `# expect-diagnostic: ID` lines
// (.cf: a fixture about an abbreviated option name gets sendmail's warning, SM-E054). Compared as
// a list of IDs with repeats, wherever they are.
void check_parse_diagnostics(const test::RuleRun& run, const std::string& shown) {
    const SourceFile& file = run.sources.get(run.file);
    std::vector<std::string> expected, actual;
    for (uint32_t line = 1; line <= file.line_count(); ++line)
        for (std::string_view marker : {"dnl expect-diagnostic:", "# expect-diagnostic:"})
            if (std::string_view text = file.line_text(line); text.starts_with(marker))
                for (std::string& id : annotation_ids(text.substr(marker.size())))
                    expected.push_back(std::move(id));
    std::string messages;
    for (const Diagnostic& d : run.parse_diagnostics) {
        actual.push_back(d.rule_id);
        messages += "\n    " + std::to_string(run.line(d)) + ": " + d.rule_id + " " + d.message;
    }
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    // A fixture that sendmail (or m4) would reject unexpectedly tests nothing.
    CHECK_MESSAGE(actual == expected, shown,
                  ": diagnostics other than the expected ones:", messages);
}

std::string describe(const std::vector<Expectation>& list) {
    std::string out;
    for (const auto& [id, line] : list)
        out += "\n    " + id + (line == 0 ? " (default)" : " line " + std::to_string(line));
    return out.empty() ? "\n    (none)" : out;
}

// Fixture files that go together: the part of the name before its first '.'.
std::string stem_of(const fs::path& path) {
    std::string name = path.filename().string();
    return name.substr(0, name.find('.'));
}

bool is_map_fixture(const fs::path& path) {
    return test::map_kind_of(path.filename().string()).has_value();
}

// The findings of a run over several files (the maps of one stem with their .cf, an .mc with
// the .cf beside it) must be exactly what the annotations of all of those files say. Findings
// are compared as "file:rule" and line.
void check_group_annotations(const SourceSet& sources, const std::vector<FileId>& files,
                             const std::vector<Diagnostic>& findings, const std::string& shown) {
    auto line_of = [&](const Diagnostic& d) {
        return d.where.valid() ? sources.get(d.where.file).position(d.where.span.begin).line : 0;
    };
    std::vector<Expectation> expected, actual;
    for (FileId id : files) {
        const SourceFile& file = sources.get(id);
        for (auto& [rule, line] : annotations(file))
            expected.emplace_back(file.path() + ":" + rule, line);
    }
    std::string messages;
    for (const Diagnostic& d : findings) {
        // A finding about a default belongs to the configuration it was reported against.
        const FileId file = d.where.valid() ? d.where.file : d.config_file;
        std::string path = sources.find(file) ? sources.get(file).path() : "?";
        actual.emplace_back(path + ":" + d.rule_id, line_of(d));
        messages += "\n    " + path + " line " + std::to_string(line_of(d)) + ": " + d.message;
    }
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    CHECK_MESSAGE(actual == expected, shown, "\n  expected:", describe(expected),
                  "\n  found:", describe(actual), messages);
    if (shown.find("/bad") != std::string::npos)
        CHECK_MESSAGE(!expected.empty(), shown, ": a bad fixture must expect a finding");
    else if (shown.find("/good") != std::string::npos)
        CHECK_MESSAGE(expected.empty(), shown, ": a good fixture must expect nothing");
}

// Whether each rule's findings on its fixtures came with safe fixes, unsafe ones, or none.
struct FixesSeen {
    bool safe = false;
    bool unsafe = false;
};
using FixesByRule = std::map<std::string, FixesSeen>;

void note_fixes(const std::vector<Diagnostic>& findings, FixesByRule& seen) {
    for (const Diagnostic& d : findings)
        if (d.fix) (d.fix->safe ? seen[d.rule_id].safe : seen[d.rule_id].unsafe) = true;
}

// The rule's declared FixKind must be what its fixtures show: a rule declaring fixes offers one
// on some fixture, of each kind it declares, and a rule declaring none never offers one.
void check_fix_kind(const Rule& rule, const FixesSeen& seen) {
    std::string shown = seen.safe && seen.unsafe ? "safe and unsafe"
                        : seen.safe              ? "safe"
                        : seen.unsafe            ? "unsafe"
                                                 : "no";
    INFO("rule ", rule.id, " declares fix kind ", to_string(rule.fix_kind), "; its fixtures show ",
         shown, " fixes");
    const bool safe = rule.fix_kind == FixKind::Safe || rule.fix_kind == FixKind::Mixed;
    const bool unsafe = rule.fix_kind == FixKind::Unsafe || rule.fix_kind == FixKind::Mixed;
    CHECK(seen.safe == safe);
    CHECK(seen.unsafe == unsafe);
}

// Runs the rule on the maps (and .cf) of one stem.
void check_map_group(const std::string& rule_id, const std::vector<fs::path>& group,
                     const std::string& shown, FixesByRule& fixes) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const fs::path& path : group)
        files.emplace_back(path.filename().string(), read_file(path));
    test::MapRun run = test::run_rule_on_maps(rule_id, std::move(files));
    note_fixes(run.findings, fixes);
    for (const Diagnostic& d : run.parse_diagnostics)
        FAIL_CHECK(shown, ": ", run.sources.get(d.where.file).path(), ":", run.line(d), ": ",
                   d.rule_id, " ", d.message);
    check_group_annotations(run.sources, run.files, run.findings, shown);
}

// An .mc fixture with the .cf sendmail loads beside it: `bad.mc` and `bad.cf.diff`, the diff
// making that .cf of the .mc's output (mc_test_support.hpp); the diff's `+` lines can hold the
// .cf's annotations.
void check_loaded_cf_pair(const std::string& rule_id, const fs::path& mc, const fs::path& diff,
                          const std::string& shown, FixesByRule& fixes) {
    test::LoadedCfRun run =
        test::run_mc_rule_with_loaded_cf(rule_id, read_file(mc), read_file(diff),
                                         mc.filename().string(), mc.stem().string() + ".cf");
    check_parse_diagnostics(run, shown);
    note_fixes(run.findings, fixes);
    check_group_annotations(run.sources, {run.file, run.cf}, run.findings, shown);
}

std::vector<fs::path> fixture_dirs() {
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(SMAUDIT_SOURCE_DIR "/fixtures/rules"))
        if (entry.is_directory()) dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

} // namespace

namespace {

// `bad.source-access`, `bad.db-aliases`: parts of a fixture's tree of map databases.
bool is_map_db_part(const fs::path& path) {
    const std::string extension = path.extension().string();
    return extension.starts_with(".source-") || extension.starts_with(".db-");
}

// The tree of map databases of a .cf or .mc fixture; null when it has none.
std::unique_ptr<test::MapDbTree> map_db_tree_of(const fs::path& config) {
    std::map<std::string, test::MapDbFile> maps;
    const std::string stem = stem_of(config);
    for (const auto& entry : fs::directory_iterator(config.parent_path())) {
        const fs::path& part = entry.path();
        if (!is_map_db_part(part) || stem_of(part) != stem) continue;
        const std::string extension = part.extension().string();
        const bool source = extension.starts_with(".source-");
        const std::string name = extension.substr(source ? 8 : 4);
        maps[name].name = name;
        (source ? maps[name].source : maps[name].built_from) = read_file(part);
    }
    if (maps.empty()) return nullptr;
    std::vector<test::MapDbFile> files;
    for (auto& [name, file] : maps)
        files.push_back(std::move(file));
    return test::build_map_db_tree(files);
}

} // namespace

TEST_CASE("annotations are read as the harness documents them") {
    SourceSet sources;
    FileId id = sources.add("a.cf", "# expect-default: SM-P004\n# expect-next: SM-S052*2, SM-S023\n"
                                    "# expect-next: SM-S020\nO X=1\nO Y=2\n");
    std::vector<Expectation> expected = annotations(sources.get(id));
    CHECK(expected ==
          std::vector<Expectation>{
              {"SM-P004", 0}, {"SM-S020", 4}, {"SM-S023", 4}, {"SM-S052", 4}, {"SM-S052", 4}});
}

TEST_CASE("every rule has a fixture directory, and every fixture directory is a rule") {
    std::vector<std::string> dirs;
    for (const fs::path& dir : fixture_dirs())
        dirs.push_back(dir.filename().string());
    for (const Rule& rule : all_rules())
        if (rule.check) // syntax codes have their fixtures with their parser (fixtures/parse/)
            CHECK_MESSAGE(std::find(dirs.begin(), dirs.end(), rule.id) != dirs.end(),
                          "no fixtures/rules/", rule.id);
    for (const std::string& dir : dirs)
        CHECK_MESSAGE(find_rule(dir) != nullptr, "fixtures/rules/", dir, " names no rule");
}

TEST_CASE("fixtures: each rule finds exactly what the annotations say, with the fixes it "
          "declares") {
    FixesByRule fixes;
    bool every_mc_ran = true;
    for (const fs::path& dir : fixture_dirs()) {
        const std::string rule_id = dir.filename().string();
        if (find_rule(rule_id) == nullptr) continue; // reported above
        int bad_files = 0, good_files = 0;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir))
            files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        // Stems with a map file run as a group (with their .cf, if any).
        std::map<std::string, std::vector<fs::path>> map_groups;
        for (const fs::path& path : files)
            if (is_map_fixture(path)) map_groups[stem_of(path)];
        for (const fs::path& path : files)
            if (map_groups.contains(stem_of(path))) map_groups[stem_of(path)].push_back(path);
        for (const auto& [stem, group] : map_groups) {
            const std::string shown = rule_id + "/" + stem + ".*";
            INFO("fixture ", shown);
            check_map_group(rule_id, group, shown, fixes);
            if (stem.starts_with("bad")) ++bad_files;
            if (stem.starts_with("good")) ++good_files;
        }
        for (const fs::path& path : files) {
            if (map_groups.contains(stem_of(path)) || path.string().ends_with(".cf.diff") ||
                path.extension() == ".helpfile" || path.extension() == ".tree" ||
                is_map_db_part(path))
                continue;
            const std::string name = path.filename().string();
            const std::string shown = rule_id + "/" + name;
            INFO("fixture ", shown);
            // A .cf with a .tree beside it: a file-system rule's fixture, audited with --root
            // on the tree built from it (tree_run.hpp); the annotations are the .cf's.
            if (const fs::path tree = path.parent_path() / (stem_of(path) + ".tree");
                path.extension() == ".cf" && fs::exists(tree)) {
                test::TreeRun run = test::run_tree_rule(rule_id, read_file(path), read_file(tree));
                REQUIRE(run.cf != kNoFile);
                std::vector<Expectation> expected = annotations(run.run->sources.get(run.cf));
                std::vector<Expectation> actual;
                std::string messages;
                for (const Diagnostic& d : run.run->result.diagnostics) {
                    actual.emplace_back(d.rule_id, run.line(d));
                    messages += "\n    line " + std::to_string(run.line(d)) + ": " + d.message;
                }
                std::sort(actual.begin(), actual.end());
                CHECK_MESSAGE(actual == expected, shown, "\n  expected:", describe(expected),
                              "\n  found:", describe(actual), messages);
                bad_files += name.starts_with("bad");
                good_files += name.starts_with("good");
                continue;
            }
            // An .mc is expanded with the installed cf tree, as `smaudit` does it.
            const bool mc = path.extension() == ".mc";
            fs::path cf_diff = path;
            cf_diff.replace_extension(".cf.diff");
            if (mc && fs::exists(cf_diff) && !test::installed_cf_tree().empty()) {
                check_loaded_cf_pair(rule_id, path, cf_diff, shown, fixes);
                bad_files += name.starts_with("bad");
                good_files += name.starts_with("good");
                continue;
            }
            if (mc && test::installed_cf_tree().empty()) {
                MESSAGE("no sendmail cf tree installed: ", shown, " not run");
                every_mc_ran = false;
                bad_files += name.starts_with("bad");
                good_files += name.starts_with("good");
                continue;
            }
            const fs::path help_file = path.parent_path() / (stem_of(path) + ".helpfile");
            std::vector<test::NamedText> named;
            if (fs::exists(help_file))
                named.push_back({"HelpFile", help_file.filename().string(), read_file(help_file)});
            const auto tree = map_db_tree_of(path);
            const std::string root = tree ? tree->root() : std::string();
            test::RuleRun run = mc ? test::run_mc_rule(rule_id, read_file(path), shown, named, root)
                                   : test::run_rule(rule_id, read_file(path), shown, named, root);
            check_parse_diagnostics(run, shown);
            note_fixes(run.findings, fixes);
            if (!named.empty()) {
                std::vector<FileId> group{run.file};
                for (FileId id = 0; id < run.sources.size(); ++id)
                    if (run.sources.get(id).path() == named.front().path) group.push_back(id);
                check_group_annotations(run.sources, group, run.findings, shown);
                bad_files += name.starts_with("bad");
                good_files += name.starts_with("good");
                continue;
            }
            std::vector<Expectation> expected = annotations(run.sources.get(run.file));
            std::vector<Expectation> actual;
            std::string messages;
            for (const Diagnostic& d : run.findings) {
                actual.emplace_back(d.rule_id, run.line(d));
                messages += "\n    line " + std::to_string(run.line(d)) + ": " + d.message;
                // expect-default is for findings about a default; the report says so of them.
                if (run.line(d) == 0)
                    CHECK_MESSAGE(d.about_default, shown, ": ", d.rule_id,
                                  " has no line but is not about a default: ", d.message);
            }
            std::sort(actual.begin(), actual.end());
            CHECK_MESSAGE(actual == expected, shown, "\n  expected:", describe(expected),
                          "\n  found:", describe(actual), messages);
            if (name.starts_with("bad")) {
                ++bad_files;
                CHECK_MESSAGE(!expected.empty(), shown, ": a bad fixture must expect a finding");
            } else if (name.starts_with("good")) {
                ++good_files;
                CHECK_MESSAGE(expected.empty(), shown, ": a good fixture must expect nothing");
            }
        }
        CHECK_MESSAGE(bad_files > 0, rule_id, " has no bad* fixture");
        CHECK_MESSAGE(good_files > 0, rule_id, " has no good* fixture");
    }
    // Without the cf tree the .mc fixtures, and the fixes they show, did not run.
    if (every_mc_ran)
        for (const Rule& rule : all_rules())
            if (rule.check) check_fix_kind(rule, fixes[std::string(rule.id)]);
}
