// File-system rule examples: a directory tree built by the test under a fresh root (modes and
// owners set as the example says; tests run as root), with the example's .cf as
// /etc/mail/sendmail.cf, audited as `smaudit --root ROOT ROOT/etc/mail` audits it.
//
// A tree is one entry a line (`#` starts a comment):
//   file PATH MODE [UID:GID] [TEXT]   a regular file; TEXT with \n and \t escapes
//   dir PATH MODE [UID:GID]           a directory
//   link PATH TARGET                  a symbolic link
// Parent directories are made 0755 root:root. A `file` line for /etc/mail/sendmail.cf without
// TEXT sets the mode and owner of the example's .cf.
#pragma once

#include "../support/temp_dir.hpp"
#include "app/audit.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace smaudit::test {

inline std::string unescape_tree_text(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char next = text[++i];
            out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Makes the tree under `root`. Returns an error message, empty when all went well.
inline std::string build_tree(const std::filesystem::path& root, const std::string& cf_text,
                              std::string_view tree) {
    namespace fs = std::filesystem;
    auto host = [&](const std::string& path) { return root / fs::path(path).relative_path(); };
    auto make_parents = [&](const fs::path& path) {
        fs::path walked = root;
        for (const fs::path& part : path.parent_path().lexically_relative(root)) {
            walked /= part;
            if (fs::exists(fs::symlink_status(walked))) continue;
            fs::create_directory(walked);
            ::chmod(walked.c_str(), 0755);
        }
    };
    const fs::path cf = host("/etc/mail/sendmail.cf");
    make_parents(cf);
    std::ofstream(cf, std::ios::binary) << cf_text;
    ::chmod(cf.c_str(), 0644);
    std::istringstream lines{std::string(tree)};
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string kind, path, third, owner;
        if (!(words >> kind) || kind.starts_with("#")) continue;
        words >> path >> third;
        const fs::path where = host(path);
        make_parents(where);
        if (kind == "link") {
            fs::create_symlink(third, where);
            continue;
        }
        const auto mode = static_cast<mode_t>(std::stoul(third, nullptr, 8));
        std::string text;
        if (words >> owner && owner.find(':') == std::string::npos) {
            text = owner;
            owner.clear();
        }
        std::string rest;
        std::getline(words, rest);
        if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        text = unescape_tree_text(text.empty() ? rest : text + (rest.empty() ? "" : " " + rest));
        if (kind == "dir") {
            fs::create_directories(where);
        } else if (kind == "file") {
            if (!(where == cf && text.empty())) std::ofstream(where, std::ios::binary) << text;
        } else {
            return "unknown tree entry: " + line;
        }
        if (::chmod(where.c_str(), mode) != 0) return "chmod failed: " + line;
        if (!owner.empty()) {
            const size_t colon = owner.find(':');
            if (::lchown(where.c_str(), static_cast<uid_t>(std::stoul(owner.substr(0, colon))),
                         static_cast<gid_t>(std::stoul(owner.substr(colon + 1)))) != 0)
                return "chown failed (not root?): " + line;
        }
    }
    return {};
}

struct TreeRun {
    std::unique_ptr<TempDir> root;
    std::unique_ptr<AuditRun> run;
    FileId cf = kNoFile;
    uint32_t line(const Diagnostic& d) const { return run->sources.line_of(d.where); }
};

// Builds the tree and audits it with rule `rule_id` alone (every rule when empty).
inline TreeRun run_tree_rule(const std::string& rule_id, const std::string& cf_text,
                             std::string_view tree) {
    TreeRun out;
    out.root = std::make_unique<TempDir>("smaudit-tree");
    const std::string error = build_tree(out.root->path, cf_text, tree);
    REQUIRE_MESSAGE(error.empty(), error);
    AuditRequest request;
    request.root = out.root->path.string();
    request.paths = {(out.root->path / "etc/mail").string()};
    if (!rule_id.empty()) request.selection.select = {rule_id};
    out.run = run_audit(request, true);
    for (const FileId id : out.run->result.files)
        if (out.run->sources.get(id).path().ends_with("/sendmail.cf")) out.cf = id;
    return out;
}

} // namespace smaudit::test
