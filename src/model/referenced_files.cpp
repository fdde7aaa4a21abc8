#include "model/referenced_files.hpp"

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

} // namespace smaudit::model
