#include "model/referenced_files.hpp"

#include <cstdio>

namespace smaudit::model {

std::string_view to_string(FileRole role) {
    switch (role) {
    case FileRole::ConfigFile:
        return "configuration";
    case FileRole::ConfigDirectory:
        return "configuration directory";
    case FileRole::AliasFile:
        return "alias file";
    case FileRole::AliasDatabase:
        return "alias database";
    case FileRole::MapSource:
        return "map source";
    case FileRole::MapDatabase:
        return "map database";
    case FileRole::ClassFile:
        return "class file";
    case FileRole::HelpFile:
        return "help file";
    case FileRole::QueueDirectory:
        return "queue directory";
    case FileRole::SafeFileEnvironment:
        return "safe file environment";
    case FileRole::SmrshDirectory:
        return "smrsh directory";
    case FileRole::SmrshProgram:
        return "smrsh program";
    case FileRole::AliasProgram:
        return "alias program";
    case FileRole::IncludeList:
        return "include list";
    case FileRole::ForwardDirectory:
        return "forward directory";
    case FileRole::TlsCertificate:
        return "TLS certificate";
    case FileRole::TlsKey:
        return "TLS key";
    case FileRole::TlsCaFile:
        return "TLS CA/CRL/DH file";
    case FileRole::TlsCaDirectory:
        return "TLS CA directory";
    case FileRole::StatusFile:
        return "statistics file";
    case FileRole::PidFile:
        return "pid file";
    }
    return "file";
}

std::optional<std::string> first_unsafe_directory(const std::vector<PathStep>& directories,
                                                  const Config& config) {
    const bool group_safe = config.dont_blame_has("groupwritabledirpathsafe");
    const bool trust_sticky = config.dont_blame_has("truststickybit");
    for (const PathStep& dir : directories) {
        const uint32_t mode = dir.stat.mode;
        if (trust_sticky && (mode & 01000) != 0) continue;
        const bool world = (mode & 0002) != 0, group = (mode & 0020) != 0;
        if (!world && (group_safe || !group)) continue;
        char octal[8];
        std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 07777));
        return "the directory " + dir.path + " is " + (world ? "world" : "group") +
               "-writable (mode " + octal + ")";
    }
    return std::nullopt;
}

} // namespace smaudit::model
