// --root is never escaped (issue 13): `..`, absolute links, chains of links, loops and links to
// `/` all stay inside the root, or are reported, never followed out of it.
#include "../support/temp_dir.hpp"
#include "app/referenced_files.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace smaudit;
using model::Presence;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

// Whether `host` (a resolved host path) lies in `root` (or is it).
bool inside(const fs::path& root, const std::string& host) {
    const std::string r = root.string();
    return host == r || host.rfind(r + "/", 0) == 0;
}

} // namespace

TEST_CASE("--root: chains, loops, `..` above the root and links to / never leave it") {
    TempDir outer;
    const fs::path root = outer.path / "root";
    write(root / "etc/mail/aliases", "root: admin\n");
    write(outer.path / "secret", "outside\n"); // beside the root: must never be reached
    fs::create_directories(root / "a/b");
    const RootedTree tree(root.string());

    // A chain of absolute and relative links ending inside.
    fs::create_symlink("/etc/mail/aliases", root / "a/one");
    fs::create_symlink("one", root / "a/two");
    fs::create_symlink("/a/two", root / "a/b/three");
    RootedTree::Resolved chain = tree.resolve("/a/b/three");
    CHECK(chain.presence == Presence::Present);
    CHECK(chain.host_path == (root / "etc/mail/aliases").string());

    // A chain whose last link climbs out: reported, not followed.
    fs::create_symlink("../../../secret", root / "a/b/up");
    fs::create_symlink("/a/b/up", root / "a/via");
    RootedTree::Resolved up = tree.resolve("/a/via");
    CHECK(up.presence == Presence::OutsideRoot);
    CHECK(up.why.find("leads out of") != std::string::npos);

    // Absolute links are taken inside the root, also `/` and `/..`.
    fs::create_symlink("/", root / "a/slash");
    fs::create_symlink("/../../..", root / "a/dotdot-abs");
    fs::create_symlink("/../secret", root / "a/abs-secret");
    CHECK(tree.resolve("/a/slash").host_path == root.string());
    CHECK(tree.resolve("/a/slash/etc/mail/aliases").presence == Presence::Present);
    CHECK(tree.resolve("/a/dotdot-abs/etc/mail/aliases").host_path ==
          (root / "etc/mail/aliases").string());
    CHECK(tree.resolve("/a/abs-secret").presence == Presence::Missing); // <root>/secret

    // `..` in the named path stops at the root.
    CHECK(tree.resolve("/../../../secret").presence == Presence::Missing);
    CHECK(tree.resolve("/a/../../../etc/mail/aliases").presence == Presence::Present);
    CHECK(tree.resolve("/a/b/../../../../secret").presence == Presence::Missing);

    // Loops: a link to itself, two links to each other, a directory link into its own subtree.
    fs::create_symlink("self", root / "a/self");
    fs::create_symlink("ping", root / "a/pong");
    fs::create_symlink("pong", root / "a/ping");
    fs::create_symlink("/a/deep", root / "a/deep");
    for (const char* looping : {"/a/self", "/a/ping", "/a/deep/x"}) {
        CAPTURE(looping);
        RootedTree::Resolved loop = tree.resolve(looping);
        CHECK(loop.presence == Presence::Unreadable);
        CHECK(loop.why == "too many levels of symbolic links");
    }
    // A directory link back to the root, followed many times, stays in it.
    fs::create_symlink("..", root / "a/parent");
    CHECK(tree.resolve("/a/parent/a/parent/a/parent/etc/mail/aliases").presence ==
          Presence::Present);
    fs::create_symlink("../..", root / "a/grandparent"); // /a/.. /.. : climbs out
    CHECK(tree.resolve("/a/grandparent/secret").presence == Presence::OutsideRoot);

    // Whatever was asked, what was found is under the root.
    for (const char* path : {"/a/b/three", "/a/slash", "/a/dotdot-abs", "/a/abs-secret",
                             "/../../../secret", "/a/parent/a/parent", "/a/b/.."}) {
        CAPTURE(path);
        const RootedTree::Resolved r = tree.resolve(path);
        if (!r.host_path.empty()) CHECK(inside(root, r.host_path));
    }
}

TEST_CASE("--root: the root given through a link is the tree the link names") {
    TempDir outer;
    const fs::path root = outer.path / "image";
    write(root / "etc/mail/access", "x\n");
    fs::create_directory_symlink(root, outer.path / "link-to-image");
    const RootedTree tree((outer.path / "link-to-image").string());
    CHECK(tree.root() == root.string());
    RootedTree::Resolved found = tree.resolve("/etc/mail/access");
    CHECK(found.presence == Presence::Present);
    CHECK(found.host_path == (root / "etc/mail/access").string());
}
