#include "app/show.hpp"

#include "model/show.hpp"
#include "parse/maps_show.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace smaudit {

namespace {

nlohmann::ordered_json file_header(const AuditRun& run, FileId file) {
    nlohmann::ordered_json object;
    object["path"] = run.sources.get(file).path();
    object["kind"] = to_string(run.sources.get(file).kind());
    return object;
}

template <class Json> void append(nlohmann::ordered_json& object, const Json& shown) {
    for (auto it = shown.begin(); it != shown.end(); ++it)
        object[it.key()] = *it;
}

// Configurations and maps, in the order their files were found.
std::vector<nlohmann::ordered_json> shown_files(const AuditRun& run) {
    std::vector<std::pair<FileId, nlohmann::ordered_json>> shown;
    for (const AuditedConfig& audited : run.configs) {
        nlohmann::ordered_json object = file_header(run, audited.file);
        append(object, model::show_json(run.sources, audited.config));
        shown.emplace_back(audited.file, std::move(object));
    }
    for (FileId map : run.maps.files()) {
        nlohmann::ordered_json object = file_header(run, map);
        run.maps.visit(
            map, [&](const auto& parsed) { append(object, map_show_json(run.sources, parsed)); });
        shown.emplace_back(map, std::move(object));
    }
    std::stable_sort(shown.begin(), shown.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<nlohmann::ordered_json> out;
    for (auto& entry : shown)
        out.push_back(std::move(entry.second));
    return out;
}

std::string json_text(const nlohmann::ordered_json& value) {
    return value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace

std::string show_json_text(const AuditRun& run) {
    std::vector<nlohmann::ordered_json> shown = shown_files(run);
    if (shown.size() == 1) return json_text(shown.front());
    nlohmann::ordered_json out;
    out["files"] = shown;
    return json_text(out);
}

std::string show_terminal_text(const AuditRun& run) {
    std::string out;
    std::vector<nlohmann::ordered_json> shown = shown_files(run);
    for (const nlohmann::ordered_json& object : shown) {
        if (shown.size() > 1) out += "# " + object["path"].get<std::string>() + "\n";
        if (object.contains("entries")) {
            for (const auto& entry : object["entries"]) {
                std::string line = entry["key"].get<std::string>();
                if (entry.contains("value") && entry["value"].is_string())
                    line += "\t" + entry["value"].get<std::string>();
                out += line + "\n";
            }
            continue;
        }
        for (const auto& option : object["options"]) {
            std::string line =
                option["name"].get<std::string>() + "=" + option["value"].get<std::string>();
            if (line.size() < 48) line.resize(48, ' ');
            if (option["line"].is_null())
                line += "  # default";
            else
                line += "  # " + option["path"].get<std::string>() + ":" +
                        std::to_string(option["line"].get<int>());
            out += line + "\n";
        }
    }
    return out;
}

} // namespace smaudit
