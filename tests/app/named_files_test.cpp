// app/named_files: where the audit reads the help file a configuration names, and why it does
// not elsewhere.
#include "../support/temp_dir.hpp"
#include "app/named_files.hpp"
#include "model/config.hpp"
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace smaudit;
namespace fs = std::filesystem;
using Found = model::NamedFile::Found;

namespace {

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

struct Looked {
    SourceSet sources;
    model::NamedFiles files;
    const model::NamedFile& help() const {
        REQUIRE(files.files.size() == 1);
        return files.files[0];
    }
};

// Audits `cf_text` as the file `cf_path`, with `dirs` named on the command line.
std::unique_ptr<Looked> look(const fs::path& cf_path, const std::string& cf_text,
                             const std::vector<std::string>& dirs = {}) {
    auto looked = std::make_unique<Looked>();
    std::vector<Diagnostic> diagnostics;
    const FileId id = looked->sources.add(cf_path.string(), cf_text, FileKind::Cf);
    const ast::CfFile cf = parse_cf(looked->sources, id, diagnostics);
    const model::Config config = model::build_config(looked->sources, cf, diagnostics);
    looked->files = read_named_files(looked->sources, config, cf_path.string(), dirs);
    return looked;
}

} // namespace

TEST_CASE("a help file beside the configuration is read; a missing one is what sendmail meets") {
    TempDir dir;
    fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    write(dir.path / "helpfile", "#vers\t2\n");
    // TrustStickyBit: the test's directory may sit in /tmp, which sendmail trusts only so.
    const std::string cf = "V10/Berkeley\nO DontBlameSendmail=TrustStickyBit\nO HelpFile=" +
                           (dir.path / "helpfile").string() + "\n";
    auto read = look(dir.path / "sendmail.cf", cf);
    CHECK(read->help().found == Found::Read);
    CHECK(read->sources.get(read->help().file).text() == "#vers\t2\n");
    CHECK(read->files.file_ids() == std::vector<FileId>{read->help().file});

    fs::remove(dir.path / "helpfile");
    CHECK(look(dir.path / "sendmail.cf", cf)->help().found == Found::Missing);

    fs::create_directory(dir.path / "helpfile");
    CHECK(look(dir.path / "sendmail.cf", cf)->help().found == Found::NotRegular);
}

TEST_CASE("sendmail does not open a help file in a group- or world-writable directory") {
    TempDir dir;
    fs::create_directory(dir.path / "mail");
    write(dir.path / "mail" / "helpfile", "#vers\t2\n");
    fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir.path / "mail", fs::perms::owner_all | fs::perms::group_all |
                                           fs::perms::others_read | fs::perms::others_exec);
    const std::string help = (dir.path / "mail" / "helpfile").string();
    auto unsafe =
        look(dir.path / "mail" / "sendmail.cf",
             "V10/Berkeley\nO DontBlameSendmail=TrustStickyBit\nO HelpFile=" + help + "\n");
    CHECK(unsafe->help().found == Found::UnsafeDirectory);
    CHECK(unsafe->help().why == "the directory " + fs::canonical(dir.path / "mail").string() +
                                    " is group-writable (mode 0775)");
    auto allowed = look(dir.path / "mail" / "sendmail.cf",
                        "V10/Berkeley\nO HelpFile=" + help +
                            "\nO DontBlameSendmail=TrustStickyBit,GroupWritableDirPathSafe\n");
    CHECK(allowed->help().found == Found::Read);
}

TEST_CASE("a configuration kept outside /etc/mail is read with the copy of its help file") {
    TempDir dir;
    const std::string cf = "V10/Berkeley\nO HelpFile=/etc/mail/no-such-helpfile\n";
    auto none = look(dir.path / "sendmail.cf", cf);
    CHECK(none->help().found == Found::NotChecked);
    CHECK(none->help().why.starts_with("it is not beside the audited configuration"));
    write(dir.path / "no-such-helpfile", "smtp\tTopics\n");
    auto copy = look(dir.path / "sendmail.cf", cf);
    CHECK(copy->help().found == Found::Read);
    CHECK(copy->help().copy);
}

TEST_CASE("a relative path or one outside the audited files is not checked, with the reason") {
    TempDir dir;
    auto relative = look(dir.path / "sendmail.cf", "V10/Berkeley\nO HelpFile=helpfile\n");
    CHECK(relative->help().found == Found::NotChecked);
    CHECK(relative->help().why ==
          "its path is relative, and sendmail opens it from its queue directory");
    auto elsewhere =
        look(dir.path / "sendmail.cf", "V10/Berkeley\nO HelpFile=/usr/share/no/helpfile\n");
    CHECK(elsewhere->help().found == Found::NotChecked);
    // A directory named on the command line holds it: then it is read as sendmail would.
    CHECK(look(dir.path / "sendmail.cf", "V10/Berkeley\nO HelpFile=/usr/share/no/helpfile\n",
               {"/usr/share"})
              ->help()
              .found == Found::Missing);
    // No HelpFile line: nothing to look up.
    CHECK(look(dir.path / "sendmail.cf", "V10/Berkeley\n")->files.files.empty());
}

TEST_CASE("under --root, the help file is the one inside the root, wherever the .cf names it") {
    TempDir root;
    fs::create_directories(root.path / "usr/share/sendmail");
    fs::permissions(root.path, fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec);
    write(root.path / "usr/share/sendmail/helpfile", "#vers\t2\n");
    const std::string cf = "V10/Berkeley\nO HelpFile=/usr/share/sendmail/helpfile\n";
    SourceSet sources;
    std::vector<Diagnostic> diagnostics;
    const FileId id = sources.add((root.path / "etc/mail/sendmail.cf").string(), cf, FileKind::Cf);
    const model::Config config =
        model::build_config(sources, parse_cf(sources, id, diagnostics), diagnostics);
    const RootedTree tree(root.path.string());
    model::NamedFiles files =
        read_named_files(sources, config, (root.path / "etc/mail/sendmail.cf").string(), {}, &tree);
    REQUIRE(files.files.size() == 1);
    CHECK(files.files[0].found == Found::Read);
    CHECK(sources.get(files.files[0].file).text() == "#vers\t2\n");

    fs::remove(root.path / "usr/share/sendmail/helpfile");
    fs::create_symlink("../../../../../../../../etc/hostname",
                       root.path / "usr/share/sendmail/helpfile");
    files =
        read_named_files(sources, config, (root.path / "etc/mail/sendmail.cf").string(), {}, &tree);
    CHECK(files.files[0].found == Found::NotChecked);
    CHECK(files.files[0].why.find("leads out of") != std::string::npos);
}
