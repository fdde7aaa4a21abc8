#include "app/show.hpp"

#include "model/show.hpp"

#include <nlohmann/json.hpp>

namespace smaudit {

namespace {

nlohmann::ordered_json show_object(const AuditRun& run, const AuditedConfig& audited) {
    nlohmann::ordered_json object;
    object["path"] = run.sources.get(audited.file).path();
    object["kind"] = to_string(run.sources.get(audited.file).kind());
    auto shown = model::show_json(run.sources, audited.config);
    for (auto it = shown.begin(); it != shown.end(); ++it) object[it.key()] = *it;
    return object;
}

} // namespace

std::string show_json_text(const AuditRun& run) {
    if (run.configs.size() == 1) return show_object(run, run.configs.front()).dump(2) + "\n";
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const AuditedConfig& audited : run.configs)
        files.push_back(show_object(run, audited));
    nlohmann::ordered_json out;
    out["files"] = files;
    return out.dump(2) + "\n";
}

std::string show_terminal_text(const AuditRun& run) {
    std::string out;
    for (const AuditedConfig& audited : run.configs) {
        if (run.configs.size() > 1) out += "# " + run.sources.get(audited.file).path() + "\n";
        nlohmann::ordered_json object = show_object(run, audited);
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
