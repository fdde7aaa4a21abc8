#include "model/map_set.hpp"

#include "parse/maps.hpp"

namespace smaudit::model {

std::string_view base_name(std::string_view path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_relay_domains_file(const SourceSet& sources, const Config* config,
                           const ast::ClassFile& file) {
    std::string_view name = base_name(sources.get(file.file).path());
    if (name == "relay-domains" || name.ends_with(".relay-domains")) return true;
    if (config == nullptr) return false;
    auto r = config->classes.find("R");
    if (r == config->classes.end()) return false;
    for (const std::string& path : r->second.files)
        if (base_name(path) == name) return true;
    return false;
}

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
