// Finds the files to audit: a file is taken as given (typed by name and content unless --kind
// forces it); a directory is read as an /etc/mail-style layout by file role.
#pragma once

#include "source/source.hpp"

#include <optional>
#include <string>
#include <vector>

namespace smaudit {

struct DiscoveredFile {
    std::string path;
    FileKind kind = FileKind::Unknown;
    // submit.cf/submit.mc found in a directory: the mail submission program's config, which
    // never listens on the network. Until rules know roles, it is parsed (syntax findings) but
    // the server rule packs do not run on it. Named explicitly, it is audited in full.
    bool msp_found_in_directory = false;
};

struct DiscoveryError {
    std::string path;
    std::string message;
    std::optional<Position> place = {}; // where in the file, when the error is about one place
};

// The error as every command prints it: "path:line:column: message", or "path: message".
std::string describe(const DiscoveryError& error);

// Types one file by its name, then by its content when the name says nothing. By content,
// each line counts as the reader that takes it would read it (comment lines count for nothing):
// m4 macro calls for an .mc, a V line, rulesets and rules for a .cf, `Tag:key value` lines and
// keys with an action for an access map, `name: targets` for an aliases file. The reading that
// explains most lines, and more than twice as many as any other, decides; Unknown otherwise,
// with what the lines look like: the audit then asks for --kind instead of guessing.
FileKind kind_from_name(std::string_view path);
struct ContentKind {
    FileKind kind = FileKind::Unknown;
    std::string doubt; // for Unknown: what the lines look like, for the message asking for --kind
};
ContentKind kind_from_content(std::string_view text);
std::optional<FileKind> parse_kind(std::string_view name); // for --kind

// Expands the command-line paths. Unreadable or missing paths become errors (exit 2).
std::vector<DiscoveredFile> discover(const std::vector<std::string>& paths,
                                     std::optional<FileKind> forced_kind,
                                     std::vector<DiscoveryError>& errors);

} // namespace smaudit
