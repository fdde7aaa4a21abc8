#include "app/show.hpp"

#include "model/show.hpp"
#include "parse/maps_show.hpp"
#include "report/json.hpp"
#include "report/json_writer.hpp"
#include "report/terminal.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace smaudit {

namespace {

// A shown file: a configuration (small: shown through nlohmann) or a map (possibly a million
// entries: written entry by entry, parse/maps_show.hpp).
struct ShownFile {
    FileId file = kNoFile;
    const AuditedConfig* config = nullptr; // null for a map
};

// Configurations and maps, in the order their files were found.
std::vector<ShownFile> shown_files(const AuditRun& run) {
    std::vector<ShownFile> shown;
    for (const AuditedConfig& audited : run.configs)
        shown.push_back({audited.file, &audited});
    for (FileId map : run.maps.files())
        shown.push_back({map, nullptr});
    std::stable_sort(shown.begin(), shown.end(),
                     [](const ShownFile& a, const ShownFile& b) { return a.file < b.file; });
    return shown;
}

nlohmann::ordered_json config_object(const AuditRun& run, const ShownFile& shown) {
    nlohmann::ordered_json object;
    object["path"] = bytes_to_utf8(run.sources.get(shown.file).path());
    object["kind"] = to_string(run.sources.get(shown.file).kind());
    object["role"] = report::role_json(config_role(*shown.config));
    const nlohmann::json config = model::show_json(run.sources, shown.config->config);
    for (auto it = config.begin(); it != config.end(); ++it)
        object[it.key()] = *it;
    return object;
}

// The file's show object as nlohmann's dump(2, ' ', false, replace) prints it at nesting DEPTH
// (its `{` already indented, its other lines indented by 2 * DEPTH spaces more).
void write_file_json(std::ostream& out, const AuditRun& run, const ShownFile& shown,
                     unsigned depth) {
    const std::string indent(2 * size_t{depth}, ' ');
    std::string text;
    if (shown.config) {
        const std::string object =
            config_object(run, shown)
                .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        // JSON strings escape their newlines: every newline of the text starts a line.
        for (char c : object) {
            text += c;
            if (c == '\n') text += indent;
        }
        out << text;
        return;
    }
    const SourceFile& source = run.sources.get(shown.file);
    text = "{\n" + indent + "  \"path\": ";
    append_json_string(text, bytes_to_utf8(source.path()));
    text += ",\n" + indent + "  \"kind\": ";
    append_json_string(text, to_string(source.kind()));
    text += ",\n" + indent + "  \"entries\": ";
    out << text;
    run.maps.visit(shown.file, [&](const auto& parsed) {
        write_entries_json(out, run.sources, parsed, depth + 1);
    });
    out << "\n" << indent << "}";
}

} // namespace

void write_show_json(const AuditRun& run, std::ostream& out) {
    const std::vector<ShownFile> shown = shown_files(run);
    if (shown.size() == 1) {
        write_file_json(out, run, shown.front(), 0);
    } else if (shown.empty()) {
        out << "{\n  \"files\": []\n}";
    } else {
        out << "{\n  \"files\": [";
        for (size_t i = 0; i < shown.size(); ++i) {
            out << (i == 0 ? "\n    " : ",\n    ");
            write_file_json(out, run, shown[i], 2);
        }
        out << "\n  ]\n}";
    }
    out << '\n';
}

void write_show_terminal(const AuditRun& run, std::ostream& out) {
    const std::vector<ShownFile> shown = shown_files(run);
    for (const ShownFile& file : shown) {
        if (shown.size() > 1) out << "# " << run.sources.get(file.file).path() << "\n";
        if (!file.config) {
            run.maps.visit(file.file, [&](const auto& parsed) {
                write_entries_terminal(out, run.sources, parsed);
            });
            continue;
        }
        out << "# " << report::role_text(config_role(*file.config)) << "\n";
        const nlohmann::ordered_json object = config_object(run, file);
        for (const auto& option : object["options"]) {
            std::string line =
                option["name"].get<std::string>() + "=" + option["value"].get<std::string>();
            if (line.size() < 48) line.resize(48, ' ');
            // An .mc's value with no line is one its cf tree wrote (cfhead.m4, proto.m4): a
            // "cf default", not sendmail's own.
            if (option["line"].is_null())
                line += option["default"].get<bool>() ? "  # default" : "  # cf default";
            else
                line += "  # " + option["path"].get<std::string>() + ":" +
                        std::to_string(option["line"].get<int>());
            out << line << "\n";
        }
    }
}

} // namespace smaudit
