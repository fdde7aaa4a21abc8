#include "app/discover.hpp"

#include "parse/maps.hpp"

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

// A map source without a telling name, read by the parsers themselves: an access map when most
// entries have a value the access map knows (OK, RELAY, ERROR:..., a GreetPause number, ...), an
// aliases file when most are `name: targets`. Comment, blank and continuation lines do not
// count. Class files and other key/value maps cannot be told by their content.
FileKind map_kind_from_lines(std::string_view text) {
    size_t entries = 0;
    for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line[0] != '#' && line[0] != ' ' && line[0] != '\t' && line != "\r")
            ++entries;
    }
    if (entries == 0) return FileKind::Unknown;
    SourceSet probe;
    const FileId id = probe.add("", std::string(text));
    std::vector<Diagnostic> ignored;
    const ast::AccessFile access = parse_access(probe, id, ignored);
    const auto known = std::count_if(access.entries.begin(), access.entries.end(),
                                     [](auto& e) { return e.kind != ast::AccessValueKind::Other; });
    if (static_cast<size_t>(known) * 2 > entries) return FileKind::Access;
    if (parse_aliases(probe, id, ignored).entries.size() * 2 > entries) return FileKind::Aliases;
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
