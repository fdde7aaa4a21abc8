#include "report/sarif.hpp"

#include "report/display.hpp"
#include "report/fingerprint.hpp"
#include "report/json_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace smaudit::report {

namespace {

using Json = nlohmann::ordered_json;

// RFC 3986: unreserved characters and the path's slashes stay, every other byte is %XX.
std::string percent_encode(std::string_view path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : path) {
        auto byte = static_cast<unsigned char>(c);
        if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
            c == '/') {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

std::filesystem::path absolute_normal(std::string_view path, std::string_view root) {
    std::filesystem::path p{std::string(path)};
    if (p.is_relative()) p = std::filesystem::path(std::string(root)) / p;
    return p.lexically_normal();
}

} // namespace

// The root as the URI of a directory: file:///abs/dir/ (originalUriBaseIds wants the slash).
std::string root_uri(std::string_view root) {
    std::string dir = absolute_normal(".", root).string();
    if (dir.empty() || dir.back() != '/') dir += '/';
    return "file://" + percent_encode(dir);
}

namespace {

Json artifact_location(const ArtifactUri& uri) {
    Json location = {{"uri", uri.uri}};
    if (uri.under_root) location["uriBaseId"] = kSrcRoot;
    return location;
}

// 1-based region of a span, columns in code points as the JSON report counts them (the run's
// columnKind is unicodeCodePoints); end is exclusive, as SARIF's endColumn is.
Json region_json(const SourceFile& file, Span span) {
    Position begin = locate(file, span.begin);
    Position end = locate(file, std::max(span.begin, span.end));
    return {{"startLine", begin.line},
            {"startColumn", begin.column},
            {"endLine", end.line},
            {"endColumn", end.column}};
}

// Writes one run's pieces; keeps the URIs of files already seen and the rules named.
// The log's opening up to the run's `{`, as write_sarif writes it.
std::string sarif_opening() {
    Json head = {{"$schema", kSarifSchemaUri}, {"version", kSarifVersion}};
    std::string opening = head.dump(2);
    opening.pop_back(); // the closing brace: the runs follow
    opening.pop_back(); // its newline
    return opening + ",\n  \"runs\": [\n    ";
}

class SarifWriter {
  public:
    // HOST: a fleet's host, named in each result's properties (its results then have no
    // ruleIndex: the run's rules are known only after the last host's results).
    SarifWriter(const SourceSet& sources, const AuditResult& result, const SarifContext& context,
                std::string_view host = {})
        : sources_(sources), result_(result), context_(context), host_(host) {
        for (size_t i = 0; i < context.all_rules().size(); ++i)
            known_rules_.emplace(context.all_rules()[i].id, i);
        for (const Diagnostic& d : result.diagnostics)
            name_rule(d);
        for (const SuppressedFinding& s : result.suppressed)
            name_rule(s.finding);
        size_t index = 0;
        for (auto& [id, entry] : named_rules_)
            entry.index = index++;
    }

    Json driver() const {
        Json rules = Json::array();
        for (const auto& [id, entry] : named_rules_)
            rules.push_back(rule_json(entry));
        return {{"name", kToolName},
                {"semanticVersion", kToolVersion},
                {"informationUri", kToolInformationUri},
                {"rules", std::move(rules)}};
    }

    std::vector<std::pair<std::string, Json>> rules() const {
        std::vector<std::pair<std::string, Json>> rules;
        for (const auto& [id, entry] : named_rules_)
            rules.emplace_back(id, rule_json(entry));
        return rules;
    }

    Json invocations() const {
        Json invocation = {{"executionSuccessful", context_.failures.empty()}};
        if (Json notes = notifications(); !notes.empty())
            invocation["toolExecutionNotifications"] = std::move(notes);
        return Json::array({std::move(invocation)});
    }

    // The paths that could not be read, then the packs not graded (a fleet's host: its name
    // first).
    Json notifications() const {
        const std::string about = host_.empty() ? std::string() : "host " + host_ + ": ";
        Json notifications = Json::array();
        // A fleet's: properties.host too, by which `smaudit merge` sorts the shards' ones.
        auto with_host = [&](Json notification) {
            if (!host_.empty()) notification["properties"] = {{"host", host_}};
            return notification;
        };
        for (const SarifContext::Failure& failure : context_.failures)
            notifications.push_back(with_host(
                {{"level", "error"},
                 {"message", {{"text", about + failure.path + ": " + failure.message}}},
                 {"locations",
                  {{{"physicalLocation",
                     {{"artifactLocation",
                       artifact_location(artifact_uri(failure.path, context_.root))}}}}}}}));
        // A configuration that could not be built leaves its packs without a grade: say why.
        std::map<std::string, std::string> packs_by_reason;
        for (const auto& [pack, score] : result_.scores)
            if (!score.graded() && score.ran) {
                std::string& packs = packs_by_reason[score.not_graded];
                packs += (packs.empty() ? "" : " and ") + std::string(to_string(pack));
            }
        for (const auto& [reason, packs] : packs_by_reason)
            notifications.push_back(
                with_host({{"level", "warning"},
                           {"message", {{"text", about + packs + " not graded: " + reason}}}}));
        return notifications;
    }

    Json original_uri_base_ids() const { return {{kSrcRoot, {{"uri", root_uri(context_.root)}}}}; }

    Json result(const Diagnostic& d, const SuppressedFinding* suppressed) {
        const NamedRule& rule = named_rules_.at(d.rule_id);
        Json r;
        r["ruleId"] = d.rule_id;
        if (host_.empty()) r["ruleIndex"] = rule.index;
        r["level"] = sarif_level(d.severity);
        r["message"] = {{"text", d.message}};

        const SourceFile* file = sources_.find(d.where.file);
        const SourceFile* about =
            file ? file : sources_.find(finding_file(sources_, d, fallback()));
        if (about) {
            const ArtifactUri uri = uri_of(*about);
            Json physical = {{"artifactLocation", artifact_location(uri)}};
            if (file) {
                physical["region"] = region_json(*file, d.where.span);
            }
            Json location = {{"physicalLocation", std::move(physical)}};
            if (file && !d.label.empty()) location["message"] = {{"text", d.label}};
            r["locations"] = Json::array({std::move(location)});
            r["partialFingerprints"] = {
                {kFingerprintKey, occurrences_.next(fingerprint_hash(
                                      d.rule_id, uri.uri, fingerprint_text(sources_, d)))}};
        }

        Json related = Json::array();
        for (const Label& note : d.notes) {
            const SourceFile* at = sources_.find(note.where.file);
            if (at == nullptr) continue;
            Json location = {{"id", related.size()},
                             {"physicalLocation",
                              {{"artifactLocation", artifact_location(uri_of(*at))},
                               {"region", region_json(*at, note.where.span)}}}};
            if (!note.text.empty()) location["message"] = {{"text", note.text}};
            related.push_back(std::move(location));
        }
        // A value an OSTYPE/DOMAIN/FEATURE file set is placed at the call that read the file:
        // the file is the other place, whole (which of its lines set the value is not kept).
        if (file)
            for (const SarifContext::IncludedFile& included : context_.included) {
                const Location call = included.by_call;
                const SourceFile* read = sources_.find(included.file);
                if (read == nullptr || call.file != d.where.file ||
                    d.where.span.begin < call.span.begin || d.where.span.end > call.span.end)
                    continue;
                related.push_back(
                    {{"id", related.size()},
                     {"physicalLocation", {{"artifactLocation", artifact_location(uri_of(*read))}}},
                     {"message", {{"text", "the file this call reads: " + read->path()}}}});
            }
        if (!related.empty()) r["relatedLocations"] = std::move(related);

        if (suppressed) {
            Json suppression = {{"kind", "inSource"}, {"status", "accepted"}};
            if (!suppressed->reason.empty()) suppression["justification"] = suppressed->reason;
            if (const SourceFile* at = sources_.find(suppressed->comment.file))
                suppression["location"] = {
                    {"physicalLocation",
                     {{"artifactLocation", artifact_location(uri_of(*at))},
                      {"region", region_json(*at, suppressed->comment.span)}}}};
            r["suppressions"] = Json::array({std::move(suppression)});
        }
        // SARIF 2.1.0 §3.27.24, where --baseline is in effect: a reported finding is one the
        // baseline does not list; a suppressed one may have used up an entry. The findings it
        // lists are not results, nor are its entries no finding matched (as results, "absent",
        // code scanning would show fixed findings as open alerts).
        if (result_.baseline)
            r["baselineState"] =
                suppressed != nullptr && suppressed->baselined ? "unchanged" : "new";
        if (d.fix) {
            Json fix = fix_json(*d.fix);
            if (!fix.is_null()) r["fixes"] = Json::array({std::move(fix)});
        }
        Json properties = {{"severity", to_string(d.severity)}, {"pack", to_string(d.pack)}};
        if (file == nullptr) properties["aboutDefault"] = d.about_default;
        if (!host_.empty()) properties["host"] = host_;
        r["properties"] = std::move(properties);
        return r;
    }

  private:
    struct NamedRule {
        const SarifRule* rule = nullptr; // null: not in the context, made from a finding
        std::string id, name;
        Pack pack = Pack::Security;
        Severity severity = Severity::Medium;
        size_t index = 0;
    };

    void name_rule(const Diagnostic& d) {
        if (named_rules_.count(d.rule_id)) return;
        NamedRule entry{nullptr, d.rule_id, d.rule_name, d.pack, d.severity, 0};
        if (auto known = known_rules_.find(d.rule_id); known != known_rules_.end())
            entry.rule = &context_.all_rules()[known->second];
        named_rules_.emplace(d.rule_id, std::move(entry));
    }

    static Json rule_json(const NamedRule& entry) {
        const SarifRule* rule = entry.rule;
        const Severity severity = rule ? rule->severity : entry.severity;
        Json r;
        r["id"] = entry.id;
        r["name"] = rule ? rule->name : entry.name;
        const std::string summary = rule ? rule->summary : std::string();
        if (!summary.empty()) {
            r["shortDescription"] = {{"text", summary}};
            r["fullDescription"] = {
                {"text", rule->description.empty() ? summary : rule->description}};
        }
        if (rule && !rule->doc_page.empty())
            r["help"] = {{"text", rule->doc_page}, {"markdown", rule->doc_page}};
        // smaudit's own rules (SM-) have pages; a policy's (--policy, never SM-) help is its doc.
        if (entry.id.starts_with("SM-"))
            r["helpUri"] = std::string(kToolInformationUri) + "docs/rules/" + entry.id + ".md";
        r["defaultConfiguration"] = {{"level", sarif_level(severity)}};
        Json properties;
        properties["tags"] =
            rule ? Json(rule->tags) : Json::array({std::string(to_string(entry.pack))});
        if (std::string_view score = security_severity(severity); !score.empty())
            properties["security-severity"] = score;
        properties["severity"] = to_string(severity);
        r["properties"] = std::move(properties);
        return r;
    }

    Json fix_json(const Fix& fix) {
        // One artifactChange per file, in the order the edits first name it.
        Json changes = Json::array();
        std::map<FileId, size_t> change_of;
        for (const Edit& edit : fix.edits) {
            const SourceFile* at = sources_.find(edit.where.file);
            if (at == nullptr) continue; // no place
            auto [it, added] = change_of.emplace(edit.where.file, changes.size());
            if (added)
                changes.push_back({{"artifactLocation", artifact_location(uri_of(*at))},
                                   {"replacements", Json::array()}});
            // Both forms of the deleted region: lines and columns as elsewhere, and the bytes,
            // which an editing tool can apply without decoding the file.
            Json region = region_json(*at, edit.where.span);
            const Span span = edit.where.span;
            region["byteOffset"] = span.begin;
            region["byteLength"] = span.end > span.begin ? span.end - span.begin : 0;
            changes[it->second]["replacements"].push_back(
                {{"deletedRegion", std::move(region)},
                 {"insertedContent", {{"text", edit.replacement}}}});
        }
        if (changes.empty()) return nullptr;
        return {{"description", {{"text", fix.title}}},
                {"artifactChanges", std::move(changes)},
                {"properties", {{"safe", fix.safe}}}};
    }

    ArtifactUri uri_of(const SourceFile& file) {
        auto [it, added] = uris_.try_emplace(&file);
        if (added) it->second = artifact_uri(file.path(), context_.root);
        return it->second;
    }

    FileId fallback() const { return result_.files.empty() ? kNoFile : result_.files.front(); }

    const SourceSet& sources_;
    const AuditResult& result_;
    const SarifContext& context_;
    std::string host_;
    std::map<std::string, size_t, std::less<>> known_rules_;
    std::map<std::string, NamedRule> named_rules_; // by ID: rules[] in ID order
    std::map<const SourceFile*, ArtifactUri> uris_;
    FingerprintOccurrences occurrences_;
};

} // namespace

std::string_view security_severity(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return "9.5";
    case Severity::High:
        return "8.0";
    case Severity::Medium:
        return "5.5";
    case Severity::Low:
        return "2.0";
    case Severity::Info:
        return "";
    }
    return "";
}

std::string_view sarif_level(Severity severity) {
    switch (severity) {
    case Severity::Critical:
    case Severity::High:
        return "error";
    case Severity::Medium:
        return "warning";
    case Severity::Low:
    case Severity::Info:
        return "note";
    }
    return "note";
}

ArtifactUri artifact_uri(std::string_view path, std::string_view root) {
    const PathUnderRoot place = path_under_root(path, root);
    if (place.under_root) return {percent_encode(place.path), true};
    return {"file://" + percent_encode(place.path), false};
}

void write_sarif(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                 const SarifContext& context) {
    SarifWriter sarif(sources, result, context);
    // The log around the one run; the run itself is written member by member.
    StreamedObject run(out, 2, 2);
    run.raw(sarif_opening());
    run.member("tool", {{"driver", sarif.driver()}});
    run.member("invocations", sarif.invocations());
    run.member("originalUriBaseIds", sarif.original_uri_base_ids());
    run.member("columnKind", "unicodeCodePoints");
    run.key("results");
    run.begin_array();
    for (const Diagnostic* finding : sorted_diagnostics(result.diagnostics, sources))
        run.element(sarif.result(*finding, nullptr));
    for (const SuppressedFinding* s : sorted_suppressed(result, sources))
        run.element(sarif.result(s->finding, s));
    run.end_array();
    run.end();
    run.raw("\n  ]\n}\n");
}

SarifHostPart render_sarif_host(std::string_view host, const SourceSet& sources,
                                const AuditResult& result, const SarifContext& context) {
    SarifWriter sarif(sources, result, context, host);
    SarifHostPart part;
    // A result stands at level 4 of the log: {"runs": [{"results": [ here.
    for (const Diagnostic* finding : sorted_diagnostics(result.diagnostics, sources))
        part.results.push_back(StreamedObject::dump_at(sarif.result(*finding, nullptr), 2, 4));
    for (const SuppressedFinding* s : sorted_suppressed(result, sources))
        part.results.push_back(StreamedObject::dump_at(sarif.result(s->finding, s), 2, 4));
    part.rules = sarif.rules();
    part.notifications = sarif.notifications();
    part.failed = !context.failures.empty();
    return part;
}

SarifFleetWriter::SarifFleetWriter(std::ostream& out, std::string root_uri)
    : run_(std::make_unique<StreamedObject>(out, 2, 2)), root_uri_(std::move(root_uri)),
      notifications_(Json::array()) {
    run_->raw(sarif_opening());
    run_->key("results");
    run_->begin_array();
}

SarifFleetWriter::~SarifFleetWriter() = default;

void SarifFleetWriter::add(const SarifHostPart& part) {
    for (const std::string& result : part.results)
        run_->element_text(result);
    for (const auto& [id, rule] : part.rules)
        rules_.emplace(id, rule);
    for (const Json& notification : part.notifications)
        notifications_.push_back(notification);
    failed_ = failed_ || part.failed;
}

void SarifFleetWriter::end(const Json& run_properties) {
    run_->end_array();
    Json rules = Json::array();
    for (const auto& [id, rule] : rules_)
        rules.push_back(rule);
    run_->member("tool", {{"driver",
                           {{"name", kToolName},
                            {"semanticVersion", kToolVersion},
                            {"informationUri", kToolInformationUri},
                            {"rules", std::move(rules)}}}});
    Json invocation = {{"executionSuccessful", !failed_}};
    if (!notifications_.empty()) invocation["toolExecutionNotifications"] = notifications_;
    run_->member("invocations", Json::array({std::move(invocation)}));
    run_->member("originalUriBaseIds", {{kSrcRoot, {{"uri", root_uri_}}}});
    run_->member("columnKind", "unicodeCodePoints");
    if (!run_properties.is_null()) run_->member("properties", run_properties);
    run_->end();
    run_->raw("\n  ]\n}\n");
    run_.reset(); // flushes
}

std::string render_sarif(const SourceSet& sources, const AuditResult& result,
                         const SarifContext& context) {
    std::ostringstream out;
    write_sarif(out, sources, result, context);
    return out.str();
}

} // namespace smaudit::report
