#include "model/map_set.hpp"

#include "parse/maps.hpp"

namespace smaudit::model {

bool ParsedMaps::parse(const SourceSet& sources, FileId file, FileKind kind,
                       std::vector<Diagnostic>& diagnostics) {
    switch (kind) {
    case FileKind::Access:
        access_.push_back(parse_access(sources, file, diagnostics));
        break;
    case FileKind::Aliases:
        aliases_.push_back(parse_aliases(sources, file, diagnostics));
        break;
    case FileKind::ClassFile:
        class_files_.push_back(parse_class_file(sources, file, diagnostics));
        break;
    case FileKind::KeyValueMap:
        kv_maps_.push_back(parse_kv_map(sources, file, diagnostics));
        break;
    default:
        return false;
    }
    files_.push_back(file);
    return true;
}

MapSet ParsedMaps::view(const std::function<bool(FileId)>& keep) const {
    MapSet out;
    auto add = [&](const auto& owned, auto& refs) {
        for (const auto& m : owned)
            if (keep(m.file)) refs.push_back(std::cref(m));
    };
    add(access_, out.access);
    add(aliases_, out.aliases);
    add(class_files_, out.class_files);
    add(kv_maps_, out.kv_maps);
    return out;
}

} // namespace smaudit::model
