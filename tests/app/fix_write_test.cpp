// write_fixed_file (src/fix/write.hpp): how `--fix` replaces a file, on copies in mkdtemp dirs.
#include "../support/read_text.hpp"
#include "../support/temp_dir.hpp"
#include "fix/write.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

size_t entries(const fs::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
        ++n;
    return n;
}

} // namespace

TEST_CASE("the file is replaced with its mode, owner and group, and nothing is left beside it") {
    const TempDir scratch("smaudit-write");
    const fs::path file = scratch.path / "sendmail.mc";
    std::ofstream(file) << "old\n";
    REQUIRE(chmod(file.c_str(), 0640) == 0);
    const bool root = geteuid() == 0;
    if (root) REQUIRE(chown(file.c_str(), 4242, 4343) == 0);
    const FileStamp stamp = *stamp_file(file.string());
    CHECK(write_fixed_file(file.string(), "old\n", stamp, "new\n",
                           audited_trees({scratch.path.string()}))
              .empty());
    CHECK(read_whole_file(file) == "new\n");
    struct stat st;
    REQUIRE(stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    if (root) {
        CHECK(st.st_uid == 4242);
        CHECK(st.st_gid == 4343);
    }
    CHECK(entries(scratch.path) == 1);
}

TEST_CASE("nothing is written when the file changed since it was read") {
    const TempDir scratch("smaudit-write");
    const fs::path file = scratch.path / "sendmail.cf";
    std::ofstream(file) << "O A=1\n";
    const FileStamp stamp = *stamp_file(file.string());
    const auto trees = audited_trees({file.string()});
    SUBCASE("other bytes, same size and modification time") {
        struct stat st;
        REQUIRE(stat(file.c_str(), &st) == 0);
        std::ofstream(file) << "O A=2\n";
        const struct timespec times[2] = {st.st_atim, st.st_mtim};
        REQUIRE(utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
        REQUIRE(*stamp_file(file.string()) == stamp);
        CHECK(write_fixed_file(file.string(), "O A=1\n", stamp, "fixed\n", trees)
                  .find("changed since it was read") != std::string::npos);
        CHECK(read_whole_file(file) == "O A=2\n");
    }
    SUBCASE("the same bytes written again: a new modification time") {
        struct timespec old_time[2] = {{1000000000, 0}, {1000000000, 0}};
        REQUIRE(utimensat(AT_FDCWD, file.c_str(), old_time, 0) == 0);
        CHECK(write_fixed_file(file.string(), "O A=1\n", stamp, "fixed\n", trees)
                  .find("changed since it was read") != std::string::npos);
        CHECK(read_whole_file(file) == "O A=1\n");
    }
    CHECK(entries(scratch.path) == 1);
}

TEST_CASE("a symbolic link out of the audited tree is refused; one inside it is kept") {
    const TempDir scratch("smaudit-write");
    fs::create_directories(scratch.path / "tree");
    fs::create_directories(scratch.path / "outside");
    const fs::path outside = scratch.path / "outside" / "sendmail.mc";
    const fs::path inside = scratch.path / "tree" / "real.mc";
    std::ofstream(outside) << "x\n";
    std::ofstream(inside) << "x\n";
    fs::create_symlink("../outside/sendmail.mc", scratch.path / "tree" / "out.mc");
    fs::create_symlink("real.mc", scratch.path / "tree" / "in.mc");
    const auto trees = audited_trees({(scratch.path / "tree").string()});

    const std::string out = (scratch.path / "tree" / "out.mc").string();
    std::string why = write_fixed_file(out, "x\n", *stamp_file(out), "fixed\n", trees);
    CHECK(why.find("outside the audited tree") != std::string::npos);
    CHECK(read_whole_file(outside) == "x\n");

    const std::string in = (scratch.path / "tree" / "in.mc").string();
    CHECK(write_fixed_file(in, "x\n", *stamp_file(in), "fixed\n", trees).empty());
    CHECK(fs::is_symlink(in));
    CHECK(read_whole_file(inside) == "fixed\n");

    // A file named directly is judged by the directory it was named in.
    CHECK(write_fixed_file(out, "x\n", *stamp_file(out), "fixed\n", audited_trees({out}))
              .find("outside the audited tree") != std::string::npos);
}
