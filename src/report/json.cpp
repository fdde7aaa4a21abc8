#include "report/json.hpp"

#include "report/display.hpp"
#include "report/json_writer.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>

namespace smaudit::report {

namespace {

using Json = nlohmann::ordered_json;

std::string path_of(const SourceSet& sources, FileId file) {
    const SourceFile* found = sources.find(file);
    return found ? found->path() : std::string();
}

} // namespace

nlohmann::ordered_json role_json(const ConfigRole& role) {
    return {{"name", role.name},
            {"source", role.given ? "given" : "detected"},
            {"detected", role.detected},
            {"why", role.why},
            {"exposed", role.exposed}};
}

namespace {

using Members = StreamedObject::Members;

// line, column, end_line, end_column of a location; null when it is in no file.
void write_range(Members& out, const SourceSet& sources, const Location& where) {
    const SourceFile* file = sources.find(where.file);
    if (file == nullptr) {
        for (const char* key : {"line", "column", "end_line", "end_column"}) {
            out.key(key);
            out.null();
        }
        return;
    }
    const Position begin = locate(*file, where.span.begin);
    const Position end = locate(*file, std::max(where.span.begin, where.span.end));
    out.key("line");
    out.number(begin.line);
    out.key("column");
    out.number(begin.column);
    out.key("end_line");
    out.number(end.line);
    out.key("end_column");
    out.number(end.column);
}

// `{"path", line and column range, NAME: TEXT}`: a fix's edit or a further place of a finding.
void write_place(Members& out, const SourceSet& sources, const Location& where,
                 std::string_view name, std::string_view text) {
    out.begin_object();
    out.key("path");
    out.string(path_of(sources, where.file));
    write_range(out, sources, where);
    out.key(name);
    out.string(text);
    out.end_object();
}

// One finding's object (with its suppression, for a suppressed one), written straight into the
// report.
void write_finding(Members& out, const SourceSet& sources, const Diagnostic& d, FileId fallback,
                   std::string_view host, const SuppressedFinding* suppressed = nullptr) {
    out.begin_object();
    if (!host.empty()) { // a fleet's host (docs/ci.md, Fleets)
        out.key("host");
        out.string(host);
    }
    out.key("rule");
    out.string(d.rule_id);
    out.key("name");
    out.string(d.rule_name);
    out.key("pack");
    out.string(to_string(d.pack));
    out.key("severity");
    out.string(to_string(d.severity));
    out.key("message");
    out.string(d.message);
    out.key("path");
    out.string(path_of(sources, finding_file(sources, d, fallback)));
    write_range(out, sources, d.where);
    out.key("fix");
    if (d.fix) {
        out.begin_object();
        out.key("title");
        out.string(d.fix->title);
        out.key("safe");
        out.boolean(d.fix->safe);
        out.key("edits");
        out.begin_array();
        for (const Edit& edit : d.fix->edits) {
            if (sources.find(edit.where.file) == nullptr) continue; // no place
            write_place(out, sources, edit.where, "replacement", edit.replacement);
        }
        out.end_array();
        out.end_object();
    } else {
        out.null();
    }
    // Added within version 1: the finding's further places (the .mc line behind a .cf line),
    // as SARIF's relatedLocations; only when there are some.
    auto placed = [&](const Label& note) { return sources.find(note.where.file) != nullptr; };
    if (std::any_of(d.notes.begin(), d.notes.end(), placed)) {
        out.key("related");
        out.begin_array();
        for (const Label& note : d.notes) {
            if (!placed(note)) continue;
            write_place(out, sources, note.where, "message", note.text);
        }
        out.end_array();
    }
    // Added within version 1, for a finding without a place only: default, or no line?
    if (sources.find(d.where.file) == nullptr) {
        out.key("about_default");
        out.boolean(d.about_default);
    }
    if (suppressed != nullptr) {
        // The comment that silenced it and its reason (SARIF's suppressions want the
        // justification).
        out.key("suppression");
        out.begin_object();
        out.key("reason");
        if (suppressed->reason.empty())
            out.null();
        else
            out.string(suppressed->reason);
        out.key("path");
        out.string(path_of(sources, suppressed->comment.file));
        out.key("line");
        if (const SourceFile* file = sources.find(suppressed->comment.file))
            out.number(locate(*file, suppressed->comment.span.begin).line);
        else
            out.null();
        out.end_object();
    }
    out.end_object();
}

} // namespace

void write_json(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                int indent) {
    StreamedObject report(out, indent);
    report.member("version", kJsonReportVersion);
    report.member("tool", tool_json());
    write_report_members(report, sources, result, {});
    report.end();
}

nlohmann::ordered_json tool_json() {
    return {{"name", kToolName}, {"version", kToolVersion}};
}

nlohmann::ordered_json scores_json(const AuditResult& result) {
    Json scores;
    for (Pack pack : {Pack::Security, Pack::Performance}) {
        const std::string name(to_string(pack));
        auto it = result.scores.find(pack);
        scores[name] = it != result.scores.end() && it->second.graded()
                           ? Json{{"score", it->second.score}, {"grade", it->second.grade}}
                           : Json(nullptr);
    }
    return scores;
}

nlohmann::ordered_json summary_json(const AuditResult& result) {
    SeverityCounts counts = count_severities(result.diagnostics);
    Json summary;
    for (Severity s :
         {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info})
        summary[std::string(to_string(s))] = counts[s];
    summary["suppressed"] = result.suppressed.size();
    if (result.fixing) {
        Json fixed = Json::object();
        for (const auto& [path, count] : result.fixing->applied)
            fixed[bytes_to_utf8(path)] = count;
        summary["fixed"] = std::move(fixed);
    }
    if (result.baseline)
        summary["baseline"] = {{"file", bytes_to_utf8(result.baseline->file)},
                               {"matched", result.baseline->matched},
                               {"gone", result.baseline->gone}};
    return summary;
}

void write_report_members(StreamedObject& report, const SourceSet& sources,
                          const AuditResult& result, std::string_view host) {
    Json files = Json::array();
    for (FileId id : result.files) {
        const SourceFile* f = sources.find(id);
        if (f == nullptr) continue;
        Json file = {{"path", f->path()}, {"kind", to_string(f->kind())}};
        auto role = std::find_if(result.roles.begin(), result.roles.end(),
                                 [&](const ConfigRole& r) { return r.file == id; });
        if (role != result.roles.end()) file["role"] = role_json(*role);
        files.push_back(std::move(file));
    }
    report.member("files", files);

    // What the configurations reference, as the live audit or --root found it; left out when
    // the audit did not look (a copy audited elsewhere).
    if (!result.root.empty()) {
        Json referenced = Json::array();
        for (const ReferencedFileRow& row : result.referenced) {
            Json file = {{"role", row.role},     {"path", row.path}, {"named_by", row.named_by},
                         {"status", row.status}, {"size", nullptr},  {"mode", nullptr},
                         {"uid", nullptr},       {"gid", nullptr}};
            if (row.size) file["size"] = *row.size;
            if (!row.mode.empty()) file["mode"] = row.mode;
            if (row.uid) file["uid"] = *row.uid;
            if (row.gid) file["gid"] = *row.gid;
            if (!row.why.empty()) file["why"] = row.why;
            referenced.push_back(std::move(file));
        }
        report.member("root", result.root);
        report.member("referenced_files", referenced);
    }

    FileId fallback = result.files.empty() ? kNoFile : result.files.front();
    report.key("findings");
    report.begin_array();
    const std::vector<const Diagnostic*> findings = sorted_diagnostics(result.diagnostics, sources);
    report.elements_members(findings.size(), [&](Members& out, size_t i) {
        write_finding(out, sources, *findings[i], fallback, host);
    });
    report.end_array();

    // Suppressed findings, with the comment that silenced them and its reason.
    report.key("suppressed");
    report.begin_array();
    for (const SuppressedFinding* s : sorted_suppressed(result, sources))
        report.element_members(
            [&](Members& out) { write_finding(out, sources, s->finding, fallback, host, s); });
    report.end_array();

    // A pack without a grade is null in `scores` (as version 1 always allowed) and says why in
    // `not_scored`.
    Json not_scored = Json::object();
    for (Pack pack : {Pack::Security, Pack::Performance}) {
        auto it = result.scores.find(pack);
        if (it == result.scores.end())
            not_scored[std::string(to_string(pack))] = "not scored in this run";
        else if (!it->second.graded())
            not_scored[std::string(to_string(pack))] = it->second.not_graded;
    }
    report.member("scores", scores_json(result));
    report.member("not_scored", not_scored);
    Json summary = summary_json(result);
    report.member("summary", summary);
    if (result.fixing) {
        const FixingSummary& fixing = *result.fixing;
        Json not_applied = Json::array();
        for (const FixNotApplied& f : fixing.not_applied)
            not_applied.push_back({{"path", bytes_to_utf8(f.path)},
                                   {"rule", f.rule_id},
                                   {"message", bytes_to_utf8(f.message)},
                                   {"reason", bytes_to_utf8(f.reason)}});
        Json notes = Json::array();
        for (const std::string& note : fixing.notes)
            notes.push_back(bytes_to_utf8(note));
        report.member("fixing", {{"passes", fixing.passes},
                                 {"not_applied", std::move(not_applied)},
                                 {"unsafe_left", fixing.unsafe_left},
                                 {"notes", std::move(notes)}});
    }
}

std::string render_json(const SourceSet& sources, const AuditResult& result, int indent) {
    std::ostringstream out;
    write_json(out, sources, result, indent);
    return out.str();
}

} // namespace smaudit::report
