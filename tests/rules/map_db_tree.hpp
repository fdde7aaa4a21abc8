// A test's own live tree of map databases: map sources and the .db files the real makemap and
// newaliases build, under a temporary root that the configuration's /etc/mail paths are looked
// up under (app/map_databases.hpp, RootedTree). Fixtures and doc examples give, per map, the text
// the source holds now and the text its .db was built from; they differ when someone edited the
// source and never rebuilt.
#pragma once

#include "../support/run_command.hpp"
#include "../support/sendmail_command.hpp"
#include "../support/temp_dir.hpp"

#include "app/map_databases.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace smaudit::test {

struct MapDbFile {
    std::string name;                      // "access", "aliases": the file in /etc/mail
    std::optional<std::string> source;     // the source's text now; none: no source
    std::optional<std::string> built_from; // the text its .db was built from; none: no .db
    std::string type = "hash";             // makemap's type (aliases: always newaliases)
};

struct MapDbTree {
    TempDir dir{"smaudit-mapdb"};
    std::string root() const { return dir.path.string(); }
};

// Builds the tree: each .db from `built_from` (makemap TYPE, or newaliases for "aliases"), then
// the source written, dated one minute before its .db so that only the entries can differ.
inline std::unique_ptr<MapDbTree> build_map_db_tree(const std::vector<MapDbFile>& files) {
    namespace fs = std::filesystem;
    auto tree = std::make_unique<MapDbTree>();
    const fs::path mail = tree->dir.path / "etc/mail";
    fs::create_directories(mail);
    for (const MapDbFile& file : files) {
        const fs::path path = mail / file.name;
        const fs::path db = mail / (file.name + ".db");
        if (file.built_from) {
            std::ofstream(path, std::ios::binary) << *file.built_from;
            if (file.name == "aliases") {
                REQUIRE_MESSAGE(sendmail_available(), "newaliases needs sendmail and unshare");
                run_command(sendmail_shell_prefix() +
                            "hostname mx.example.test; exec sendmail -C /etc/mail/sendmail.cf "
                            "-O ServiceSwitchFile=/etc/mail/service.switch-nodns -O AliasFile=" +
                            path.string() + " -bi' >/dev/null 2>&1");
            } else {
                run_command("makemap " + file.type + " " + path.string() + " < " + path.string() +
                            " 2>/dev/null");
            }
            REQUIRE_MESSAGE(fs::exists(db), "no ", db.string(), " was built");
        }
        fs::remove(path);
        if (file.source) {
            std::ofstream(path, std::ios::binary) << *file.source;
            if (fs::exists(db))
                fs::last_write_time(path, fs::last_write_time(db) - std::chrono::minutes(1));
        }
    }
    return tree;
}

} // namespace smaudit::test
