// app/referenced_files: every file a configuration references, by role, and the lookup of each
// under --root (symbolic links resolved inside the root, a link leaving it never followed).
#include "../support/temp_dir.hpp"
#include "app/referenced_files.hpp"
#include "model/config.hpp"
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace smaudit;
namespace fs = std::filesystem;
using model::FileRole;
using model::Presence;

namespace {

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

struct Built {
    SourceSet sources;
    model::Config config;
};

std::unique_ptr<Built> build(const std::string& cf_text) {
    auto built = std::make_unique<Built>();
    std::vector<Diagnostic> diagnostics;
    const FileId id = built->sources.add("sendmail.cf", cf_text, FileKind::Cf);
    const ast::CfFile cf = parse_cf(built->sources, id, diagnostics);
    built->config = model::build_config(built->sources, cf, diagnostics);
    return built;
}

// "role named" of each reference, for comparing whole lists.
std::vector<std::string> listed(const std::vector<FileReference>& references) {
    std::vector<std::string> out;
    for (const FileReference& r : references)
        out.push_back(std::string(model::to_string(r.role)) + " " + r.named +
                      (r.optional ? " (optional)" : ""));
    return out;
}

} // namespace

TEST_CASE("every file the .cf references, by role") {
    auto built = build("V10/Berkeley\n"
                       "O AliasFile=/etc/mail/aliases,nis:mail.aliases,dbm:/etc/mail/old\n"
                       "O HelpFile=/etc/mail/helpfile\n"
                       "O QueueDirectory=/var/spool/mqueue\n"
                       "O StatusFile=/etc/mail/statistics\n"
                       "O PidFile=/run/sendmail.pid\n"
                       "O SafeFileEnvironment=/var/mailfiles\n"
                       "O ForwardPath=$z/.forward:/var/forward/$u\n"
                       "O ServerCertFile=/etc/mail/tls/cert.pem\n"
                       "O ServerKeyFile=/etc/mail/tls/key.pem\n"
                       "O CACertPath=/etc/ssl/certs\n"
                       "O DHParameters=2048\n"
                       "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
                       "Kmailertable hash /etc/mail/mailertable.db\n"
                       "Kdnsbl dns -R A\n"
                       "F{R}-o /etc/mail/relay-domains %[^#]\n"
                       "Fw|/bin/hostname\n"
                       "Mprog, P=/usr/sbin/smrsh, F=lsDFMoqeu9, S=EnvFromL, R=EnvToL, "
                       "D=$z:/, A=smrsh -c $u\n");
    const std::vector<FileReference> references =
        references_of(built->config, nullptr, "/etc/mail/sendmail.cf");
    CHECK(listed(references) == std::vector<std::string>{
                                    "configuration /etc/mail/sendmail.cf",
                                    "configuration directory /etc/mail",
                                    "alias file /etc/mail/aliases",
                                    "alias database /etc/mail/aliases.db",
                                    "alias file /etc/mail/old",
                                    "alias database /etc/mail/old.dir",
                                    "alias database /etc/mail/old.pag",
                                    "help file /etc/mail/helpfile",
                                    "queue directory /var/spool/mqueue",
                                    "safe file environment /var/mailfiles",
                                    "statistics file /etc/mail/statistics",
                                    "pid file /run/sendmail.pid",
                                    "TLS certificate /etc/mail/tls/cert.pem",
                                    "TLS key /etc/mail/tls/key.pem",
                                    "TLS CA directory /etc/ssl/certs",
                                    "forward directory /var/forward",
                                    "map database /etc/mail/access.db (optional)",
                                    "map source /etc/mail/access (optional)",
                                    "map database /etc/mail/mailertable.db",
                                    "class file /etc/mail/relay-domains (optional)",
                                    "smrsh directory /etc/mail/smrsh",
                                });
    // Each names the line that references it.
    CHECK(built->sources.line_of(references[2].where) == 2);
    CHECK(built->sources.line_of(references.back().where) == 18);
}

TEST_CASE("paths are looked up under the root; links inside it are followed, a link out is not") {
    TempDir root;
    write(root.path / "etc/mail/aliases", "root: admin\n");
    fs::create_directory_symlink("/etc/mail", root.path / "etc/mail-link");
    fs::create_symlink("aliases", root.path / "etc/mail/aliases.link");
    fs::create_symlink("../../../../../../../../etc/passwd", root.path / "etc/mail/escape");
    fs::create_symlink("/etc/passwd-not-in-root", root.path / "etc/mail/absolute");
    const RootedTree tree(root.path.string());

    RootedTree::Resolved plain = tree.resolve("/etc/mail/aliases");
    CHECK(plain.presence == Presence::Present);
    CHECK(plain.host_path == (root.path / "etc/mail/aliases").string());
    CHECK(plain.stat.type == model::FileType::Regular);
    CHECK(plain.stat.size == 12);
    REQUIRE(plain.directories.size() == 3); // /, /etc, /etc/mail
    CHECK(plain.directories[0].path == "/");
    CHECK(plain.directories[2].path == "/etc/mail");

    // An absolute link target is taken inside the root, as sendmail running there opens it.
    RootedTree::Resolved through_link = tree.resolve("/etc/mail-link/aliases.link");
    CHECK(through_link.presence == Presence::Present);
    CHECK(through_link.final_link);
    CHECK(through_link.host_path == (root.path / "etc/mail/aliases").string());

    RootedTree::Resolved escape = tree.resolve("/etc/mail/escape");
    CHECK(escape.presence == Presence::OutsideRoot);
    CHECK(escape.why.find("/etc/mail/escape is a symbolic link to ../../") == 0);

    CHECK(tree.resolve("/etc/mail/absolute").presence == Presence::Missing);
    CHECK(tree.resolve("/etc/mail/none").presence == Presence::Missing);
    CHECK(tree.resolve("/etc/mail/aliases/below").presence == Presence::Missing);
    CHECK(tree.resolve("relative/path").presence == Presence::NotChecked);
    // `..` in the configuration's own path stops at the root, as the kernel's does at "/".
    CHECK(tree.resolve("/../../etc/mail/aliases").host_path ==
          (root.path / "etc/mail/aliases").string());
}

TEST_CASE("inspecting: the smrsh directory's programs, the queue directories a * stands for") {
    TempDir root;
    write(root.path / "etc/mail/smrsh/procmail", "");
    write(root.path / "etc/mail/smrsh/vacation", "");
    fs::create_directories(root.path / "var/spool/mqueue/q1");
    fs::create_directories(root.path / "var/spool/mqueue/q2");
    fs::create_directories(root.path / "var/spool/mqueue/other");
    auto built = build("V10/Berkeley\nO QueueDirectory=/var/spool/mqueue/q*\n"
                       "Mprog, P=/usr/sbin/smrsh, F=lsDFMoqeu9, A=smrsh -c $u\n");
    const RootedTree tree(root.path.string());
    const model::ReferencedFiles found =
        inspect_references(references_of(built->config, nullptr, ""), &tree, "");
    std::vector<std::string> seen;
    for (const model::ReferencedFile& f : found.files)
        seen.push_back(std::string(model::to_string(f.role)) + " " + f.named +
                       (f.presence == Presence::Present ? "" : " missing"));
    CHECK(seen == std::vector<std::string>{
                      "queue directory /var/spool/mqueue",
                      "queue directory /var/spool/mqueue/q1",
                      "queue directory /var/spool/mqueue/q2",
                      "smrsh directory /etc/mail/smrsh",
                      "smrsh program /etc/mail/smrsh/procmail",
                      "smrsh program /etc/mail/smrsh/vacation",
                  });
    CHECK(found.inspected);

    const model::ReferencedFiles not_live =
        inspect_references(references_of(built->config, nullptr, ""), nullptr, "not live");
    CHECK_FALSE(not_live.inspected);
    CHECK(not_live.files.size() == 2);
    CHECK(not_live.files[0].presence == Presence::NotChecked);
    CHECK(not_live.files[0].why == "not live");
}
