#include "model/show.hpp"

#include <algorithm>

namespace smaudit::model {

namespace {

using nlohmann::json;

json texts(const std::vector<std::string>& list) {
    json out = json::array();
    for (const std::string& item : list)
        out.push_back(bytes_to_utf8(item));
    return out;
}

// Adds "path" and "line" (null for an invalid Location: a default).
void put_place(json& object, const SourceSet& sources, Location where) {
    if (!where.valid() || where.file >= sources.size()) {
        object["path"] = nullptr;
        object["line"] = nullptr;
        return;
    }
    const SourceFile& file = sources.get(where.file);
    object["path"] = bytes_to_utf8(file.path());
    object["line"] = file.position(where.span.begin).line;
}

json fields_json(const std::map<char, std::string>& fields) {
    json out = json::object();
    for (const auto& [letter, value] : fields)
        out[bytes_to_utf8(std::string(1, letter))] = bytes_to_utf8(value);
    return out;
}

json port_json(const SourceSet& sources, const PortOptions& port) {
    json entry;
    json pairs = json::object();
    for (const auto& [key, value] : port.pairs)
        pairs[key] = bytes_to_utf8(value); // a repeated key: the later one wins, as in sendmail
    entry["options"] = pairs;
    put_place(entry, sources, port.where);
    entry["default"] = port.is_default;
    return entry;
}

json setting_json(const SourceSet& sources, const OptionSetting& s) {
    json entry;
    entry["name"] = bytes_to_utf8(s.written_name);
    entry["value"] = bytes_to_utf8(s.value);
    put_place(entry, sources, s.where);
    return entry;
}

json option_entry(const SourceSet& sources, const OptionValue& option, const std::string& value,
                  Location where, const std::vector<const OptionSetting*>& settings) {
    json entry;
    entry["name"] = option.name;
    entry["value"] = bytes_to_utf8(value);
    put_place(entry, sources, where);
    entry["default"] = option.is_default;
    if (option.is_default && !option.default_note.empty())
        entry["note"] = std::string(option.default_note);
    json list = json::array();
    for (const OptionSetting* s : settings)
        list.push_back(setting_json(sources, *s));
    entry["settings"] = list;
    return entry;
}

} // namespace

json show_json(const SourceSet& sources, const Config& config) {
    json out;
    out["version"] =
        config.version_level.empty() ? json(nullptr) : json(bytes_to_utf8(config.version_level));

    json options = json::array();
    for (const auto& [name, option] : config.options) { // std::map: sorted by name
        if (name == "DaemonPortOptions" || name == "ClientPortOptions") {
            for (const OptionSetting& s : option.settings)
                options.push_back(option_entry(sources, option, s.value, s.where, {&s}));
            continue;
        }
        std::vector<const OptionSetting*> settings;
        for (const OptionSetting& s : option.settings)
            settings.push_back(&s);
        options.push_back(option_entry(sources, option, option.value, option.where(), settings));
    }
    out["options"] = options;

    json features = json::array();
    for (const Feature& feature : config.features) {
        json entry;
        entry["name"] = bytes_to_utf8(feature.name);
        entry["args"] = texts(feature.args);
        put_place(entry, sources, feature.where);
        features.push_back(entry);
    }
    out["features"] = features;

    json daemons = json::array();
    for (const PortOptions& port : config.daemons)
        daemons.push_back(port_json(sources, port));
    out["daemons"] = daemons;
    json clients = json::array();
    for (const PortOptions& port : config.clients)
        clients.push_back(port_json(sources, port));
    out["clients"] = clients;

    json mailers = json::array();
    for (const auto& [name, mailer] : config.mailers) {
        json entry;
        entry["name"] = bytes_to_utf8(name);
        entry["fields"] = fields_json(mailer.fields);
        put_place(entry, sources, mailer.where);
        mailers.push_back(entry);
    }
    out["mailers"] = mailers;

    json maps = json::array();
    for (const auto& [name, map] : config.maps) {
        json entry;
        entry["name"] = bytes_to_utf8(name);
        entry["type"] = bytes_to_utf8(map.type);
        entry["spec"] = bytes_to_utf8(map.spec);
        put_place(entry, sources, map.where);
        maps.push_back(entry);
    }
    out["maps"] = maps;

    json classes = json::array();
    for (const auto& [name, cls] : config.classes) {
        json entry;
        entry["name"] = bytes_to_utf8(name);
        entry["words"] = texts(cls.words);
        entry["files"] = texts(cls.files);
        put_place(entry, sources, cls.where.empty() ? Location{} : cls.where.front());
        classes.push_back(entry);
    }
    out["classes"] = classes;

    json macros = json::array();
    for (const auto& [name, macro] : config.macros) {
        json entry;
        entry["name"] = bytes_to_utf8(name);
        entry["value"] = bytes_to_utf8(macro.value);
        put_place(entry, sources, macro.where);
        macros.push_back(entry);
    }
    out["macros"] = macros;

    json rulesets = json::array();
    for (const RulesetDef& ruleset : config.rulesets) {
        json entry;
        entry["name"] = bytes_to_utf8(ruleset.name);
        entry["number"] = ruleset.number ? json(*ruleset.number) : json(nullptr);
        entry["rules"] = ruleset.rules.size();
        put_place(entry, sources, ruleset.where);
        rulesets.push_back(entry);
    }
    out["rulesets"] = rulesets;

    auto named_fields = [&](const auto& list) {
        json array = json::array();
        for (const auto& def : list) {
            json entry;
            entry["name"] = bytes_to_utf8(def.name);
            entry["fields"] = fields_json(def.fields);
            put_place(entry, sources, def.where);
            array.push_back(entry);
        }
        return array;
    };
    out["queue_groups"] = named_fields(config.queue_groups);
    out["milters"] = named_fields(config.milters);
    return out;
}

} // namespace smaudit::model
