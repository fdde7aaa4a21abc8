// The .db reader against databases the real makemap and newaliases write, and against damaged
// files: every one gives an error in words, none a crash.
#include "mapdb/berkeley_db.hpp"

#include "../support/run_command.hpp"
#include "../support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace smaudit::mapdb;
namespace fs = std::filesystem;

namespace {

constexpr size_t kMax = size_t{256} << 20;

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::map<std::string, std::string> as_map(const DbContents& contents) {
    return {contents.entries.begin(), contents.entries.end()};
}

const char* kAccess = "Connect:10.0.0.1\tRELAY\nFoo@Example.COM  REJECT\n# comment\n"
                      "To:x.org OK  \n";

bool makemap_available() {
    return std::system("command -v makemap >/dev/null 2>&1") == 0;
}

} // namespace

TEST_CASE("makemap hash and btree: keys folded to lower case, values as written, no NUL") {
    if (!makemap_available()) return;
    TempDir dir;
    write_file(dir.path / "access", kAccess);
    for (const std::string type : {"hash", "btree"}) {
        CAPTURE(type);
        const fs::path out = dir.path / ("map-" + type);
        REQUIRE(run_command("makemap " + type + " " + out.string() + " < " +
                            (dir.path / "access").string())
                    .code == 0);
        const DbRead read = read_berkeley_db(out.string() + ".db", kMax);
        REQUIRE_MESSAGE(read.contents.has_value(), read.error);
        CHECK(read.contents->type == (type == "hash" ? DbType::Hash : DbType::Btree));
        CHECK(as_map(*read.contents) ==
              std::map<std::string, std::string>{{"connect:10.0.0.1", "RELAY"},
                                                 {"foo@example.com", "REJECT"},
                                                 {"to:x.org", "OK  "}});
    }
}

TEST_CASE("makemap -N stores a NUL after each key and value") {
    if (!makemap_available()) return;
    TempDir dir;
    write_file(dir.path / "access", kAccess);
    const fs::path out = dir.path / "map";
    REQUIRE(run_command("makemap -N hash " + out.string() + " < " + (dir.path / "access").string())
                .code == 0);
    const DbRead read = read_berkeley_db(out.string() + ".db", kMax);
    REQUIRE(read.contents.has_value());
    CHECK(as_map(*read.contents)[std::string("to:x.org\0", 9)] == std::string("OK  \0", 5));
}

TEST_CASE("damaged files give an error, never a crash") {
    if (!makemap_available()) return;
    TempDir dir;
    std::string big;
    for (int i = 0; i < 2000; ++i)
        big += "key" + std::to_string(i) + ".example.com\tRELAY value " + std::to_string(i) + "\n";
    write_file(dir.path / "access", big);
    const fs::path out = dir.path / "map";
    REQUIRE(
        run_command("makemap hash " + out.string() + " < " + (dir.path / "access").string()).code ==
        0);
    const std::string good = read_bytes(out.string() + ".db");
    REQUIRE(good.size() > 8192);
    const fs::path bad = dir.path / "bad.db";

    SUBCASE("missing") {
        const DbRead read = read_berkeley_db((dir.path / "none.db").string(), kMax);
        CHECK_FALSE(read.contents);
        CHECK(read.error.find("No such file") != std::string::npos);
    }
    SUBCASE("empty and text files") {
        write_file(bad, "");
        CHECK_FALSE(read_berkeley_db(bad.string(), kMax).contents);
        write_file(bad, kAccess);
        const DbRead read = read_berkeley_db(bad.string(), kMax);
        CHECK_FALSE(read.contents);
        CHECK(read.error.starts_with("it is not a valid Berkeley DB database"));
    }
    SUBCASE("too large") {
        const DbRead read = read_berkeley_db(out.string() + ".db", 4096);
        CHECK_FALSE(read.contents);
        CHECK(read.error.find("larger than") != std::string::npos);
    }
    SUBCASE("truncated at every page boundary and in between") {
        for (size_t size = 0; size < good.size(); size += 1000) {
            CAPTURE(size);
            write_file(bad, good.substr(0, size));
            CHECK_FALSE(read_berkeley_db(bad.string(), kMax).contents);
        }
    }
    SUBCASE("random bytes overwritten") {
        // SMAUDIT_RANDOM_SEED and SMAUDIT_RANDOM_ROUNDS explore further than the default run.
        const char* seed = std::getenv("SMAUDIT_RANDOM_SEED");
        const char* rounds = std::getenv("SMAUDIT_RANDOM_ROUNDS");
        std::mt19937 random(seed ? std::stoul(seed) : 20261205);
        const int round_count = rounds ? std::stoi(rounds) : 200;
        int read_anyway = 0;
        for (int round = 0; round < round_count; ++round) {
            std::string damaged = good;
            for (int n = 0; n < 8; ++n)
                damaged[random() % damaged.size()] = static_cast<char>(random());
            write_file(bad, damaged);
            // Damage in unused bytes of a page leaves a readable database: either is fine, as
            // long as nothing crashes and a failure says why.
            const DbRead read = read_berkeley_db(bad.string(), kMax);
            if (read.contents)
                ++read_anyway;
            else
                CHECK_FALSE(read.error.empty());
        }
        MESSAGE(read_anyway, " of ", round_count, " damaged files still read");
    }
}
