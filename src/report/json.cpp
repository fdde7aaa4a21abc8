#include "report/json.hpp"

#include "report/display.hpp"

#include <algorithm>

namespace smaudit::report {

namespace {

using Json = nlohmann::ordered_json;

std::string path_of(const SourceSet& sources, FileId file) {
    return file != kNoFile && file < sources.size() ? sources.get(file).path() : std::string();
}

// line, column, end_line, end_column of a location, added to `object` in that order.
void put_range(Json& object, const SourceSet& sources, const Location& where) {
    if (!where.valid() || where.file >= sources.size()) {
        for (const char* key : {"line", "column", "end_line", "end_column"})
            object[key] = nullptr;
        return;
    }
    const SourceFile& file = sources.get(where.file);
    Position begin = locate(file, where.span.begin);
    Position end = locate(file, std::max(where.span.begin, where.span.end));
    object["line"] = begin.line;
    object["column"] = begin.column;
    object["end_line"] = end.line;
    object["end_column"] = end.column;
}

Json fix_json(const SourceSet& sources, const Fix& fix) {
    Json edits = Json::array();
    for (const Edit& edit : fix.edits) {
        if (!edit.where.valid() || edit.where.file >= sources.size()) continue; // no place
        Json e;
        e["path"] = path_of(sources, edit.where.file);
        put_range(e, sources, edit.where);
        e["replacement"] = edit.replacement;
        edits.push_back(std::move(e));
    }
    Json f;
    f["title"] = fix.title;
    f["safe"] = fix.safe;
    f["edits"] = std::move(edits);
    return f;
}

} // namespace

Json report_json(const SourceSet& sources, const AuditResult& result) {
    Json report;
    report["version"] = kJsonReportVersion;
    report["tool"] = {{"name", kToolName}, {"version", kToolVersion}};

    Json files = Json::array();
    for (FileId id : result.files) {
        if (id >= sources.size()) continue;
        const SourceFile& f = sources.get(id);
        files.push_back({{"path", f.path()}, {"kind", to_string(f.kind())}});
    }
    report["files"] = std::move(files);

    const std::vector<const Diagnostic*> sorted = sorted_diagnostics(result.diagnostics, sources);
    FileId fallback = result.files.empty() ? kNoFile : result.files.front();
    Json findings = Json::array();
    for (const Diagnostic* finding : sorted) {
        const Diagnostic& d = *finding;
        Json f;
        f["rule"] = d.rule_id;
        f["name"] = d.rule_name;
        f["pack"] = to_string(d.pack);
        f["severity"] = to_string(d.severity);
        f["message"] = d.message;
        FileId file = d.where.valid()            ? d.where.file
                      : d.config_file != kNoFile ? d.config_file
                                                 : fallback;
        f["path"] = path_of(sources, file);
        put_range(f, sources, d.where);
        f["fix"] = d.fix ? fix_json(sources, *d.fix) : Json(nullptr);
        findings.push_back(std::move(f));
    }
    report["findings"] = std::move(findings);

    Json scores;
    for (Pack pack : {Pack::Security, Pack::Performance}) {
        auto it = result.scores.find(pack);
        scores[std::string(to_string(pack))] =
            it == result.scores.end()
                ? Json(nullptr)
                : Json{{"score", it->second.score}, {"grade", it->second.grade}};
    }
    report["scores"] = std::move(scores);

    SeverityCounts counts = count_severities(result.diagnostics);
    Json summary;
    for (Severity s :
         {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info})
        summary[std::string(to_string(s))] = counts[s];
    report["summary"] = std::move(summary);
    return report;
}

std::string render_json(const SourceSet& sources, const AuditResult& result, int indent) {
    return report_json(sources, result)
               .dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
           "\n";
}

} // namespace smaudit::report
