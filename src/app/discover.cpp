#include "app/discover.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace smaudit {

namespace {

std::string basename_of(std::string_view path) {
    return fs::path(std::string(path)).filename().string();
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Names sendmail's own layout gives its files (Debian, FreeBSD, the cf/README examples).
struct NamedRole {
    std::string_view name;
    FileKind kind;
};
constexpr NamedRole kRoles[] = {
    {"sendmail.cf", FileKind::Cf},          {"submit.cf", FileKind::Cf},
    {"sendmail.mc", FileKind::Mc},          {"submit.mc", FileKind::Mc},
    {"access", FileKind::Access},           {"aliases", FileKind::Aliases},
    {"relay-domains", FileKind::ClassFile}, {"local-host-names", FileKind::ClassFile},
    {"trusted-users", FileKind::ClassFile}, {"virtusertable", FileKind::KeyValueMap},
    {"mailertable", FileKind::KeyValueMap}, {"genericstable", FileKind::KeyValueMap},
    {"domaintable", FileKind::KeyValueMap}, {"authinfo", FileKind::KeyValueMap},
};

// An access map's value: an action word, an ERROR:/QUARANTINE:/TEMP: text, or a number
// (GreetPause:, ClientRate:, ClientConn:). FRIEND and HATER are the Spam: tag's values.
bool access_value(std::string_view value) {
    for (std::string_view word : {"OK", "RELAY", "REJECT", "DISCARD", "SKIP", "FRIEND", "HATER"})
        if (value == word) return true;
    for (std::string_view prefix : {"ERROR:", "QUARANTINE:", "TEMP:", "\"ERROR:"})
        if (value.starts_with(prefix)) return true;
    return !value.empty() &&
           std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A map source without a telling name: an access map when most entries end in an access
// value, an aliases file when most are `name: targets`. Comment, blank and continuation lines
// do not count. Class files and other key/value maps cannot be told by their content.
FileKind map_kind_from_lines(std::string_view text) {
    size_t entries = 0, access = 0, aliases = 0;
    for (size_t pos = 0; pos < text.size();) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line[0] == '#' || line[0] == ' ' || line[0] == '\t') continue;
        ++entries;
        const size_t key_end = line.find_first_of(" \t");
        if (key_end != std::string_view::npos) {
            std::string_view rest = line.substr(key_end);
            rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
            rest = rest.substr(0, rest.find_first_of(" \t"));
            if (access_value(rest)) {
                ++access;
                continue;
            }
        }
        // `name:` before any blank (the access key `Connect:10.1 RELAY` was counted above).
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos && colon > 0 &&
            (key_end == std::string_view::npos || colon < key_end ||
             line.find_first_not_of(" \t", key_end) == colon))
            ++aliases;
    }
    if (entries == 0) return FileKind::Unknown;
    if (access * 2 > entries) return FileKind::Access;
    if (aliases * 2 > entries) return FileKind::Aliases;
    return FileKind::Unknown;
}

} // namespace

FileKind kind_from_name(std::string_view path) {
    std::string base = basename_of(path);
    for (const NamedRole& role : kRoles)
        if (base == role.name) return role.kind;
    // Copies kept under other names: site.access, lists.aliases, backup.relay-domains.
    if (ends_with(base, ".access")) return FileKind::Access;
    if (ends_with(base, ".aliases")) return FileKind::Aliases;
    if (ends_with(base, ".relay-domains") || ends_with(base, ".local-host-names"))
        return FileKind::ClassFile;
    if (ends_with(base, ".cf")) return FileKind::Cf;
    if (ends_with(base, ".mc")) return FileKind::Mc;
    if (ends_with(base, ".m4")) return FileKind::M4;
    return FileKind::Unknown;
}

FileKind kind_from_content(std::string_view text) {
    // A generated or hand-written .cf has a V line or rulesets; an .mc calls m4 macros.
    std::string_view head = text.substr(0, 64 * 1024);
    auto has_line_starting = [&](std::string_view prefix) {
        if (head.substr(0, prefix.size()) == prefix) return true;
        std::string needle = "\n" + std::string(prefix);
        return head.find(needle) != std::string_view::npos;
    };
    if (has_line_starting("V10") || has_line_starting("V9") || has_line_starting("V8") ||
        (has_line_starting("S0") && has_line_starting("R")))
        return FileKind::Cf;
    if (head.find("OSTYPE(") != std::string_view::npos ||
        head.find("include(`") != std::string_view::npos ||
        head.find("FEATURE(") != std::string_view::npos ||
        head.find("VERSIONID(") != std::string_view::npos)
        return FileKind::Mc;
    return map_kind_from_lines(head);
}

std::optional<FileKind> parse_kind(std::string_view name) {
    for (FileKind k : {FileKind::Mc, FileKind::Cf, FileKind::M4, FileKind::Access,
                       FileKind::Aliases, FileKind::ClassFile, FileKind::KeyValueMap})
        if (to_string(k) == name) return k;
    return std::nullopt;
}

std::vector<DiscoveredFile> discover(const std::vector<std::string>& paths,
                                     std::optional<FileKind> forced_kind,
                                     std::vector<DiscoveryError>& errors) {
    std::vector<DiscoveredFile> found;
    for (const std::string& path : paths) {
        std::error_code ec;
        auto status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            errors.push_back({path, "no such file or directory"});
            continue;
        }
        if (fs::is_directory(status)) {
            // Only files whose name gives their role: a directory holds much else (.db maps,
            // Makefiles, certificates) that is not configuration text.
            std::vector<DiscoveredFile> in_dir;
            for (const auto& entry : fs::directory_iterator(path, ec)) {
                if (!entry.is_regular_file(ec)) continue;
                std::string name = entry.path().filename().string();
                FileKind kind = kind_from_name(name);
                bool known_name = std::any_of(std::begin(kRoles), std::end(kRoles),
                                              [&](const NamedRole& r) { return r.name == name; });
                if (!known_name && kind != FileKind::Cf && kind != FileKind::Mc) continue;
                bool msp = name == "submit.cf" || name == "submit.mc";
                in_dir.push_back({entry.path().string(), kind, false, msp});
            }
            if (ec)
                errors.push_back({path, ec.message()});
            else if (in_dir.empty())
                // An empty report would read as a clean bill of health for a mistyped path.
                errors.push_back({path, "no sendmail file here (sendmail.cf, sendmail.mc, "
                                        "access, aliases, relay-domains, *.cf, *.mc, ...)"});
            std::sort(in_dir.begin(), in_dir.end(),
                      [](const auto& a, const auto& b) { return a.path < b.path; });
            found.insert(found.end(), in_dir.begin(), in_dir.end());
            continue;
        }
        FileKind kind = forced_kind ? *forced_kind : kind_from_name(path);
        found.push_back({path, kind, true, false});
    }
    return found;
}

} // namespace smaudit
