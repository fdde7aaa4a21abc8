#include "app/baseline.hpp"

#include "report/display.hpp"
#include "report/fingerprint.hpp"
#include "source/text_position.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace smaudit {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

fs::path absolute_normal(std::string_view path) {
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(std::string(path)), ec);
    return (ec ? fs::path(std::string(path)) : p).lexically_normal();
}

bool is_hex16(const std::string& text) {
    if (text.size() != 16) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// The fingerprint of a finding as the baseline records it, and its path.
std::pair<std::string, std::string> fingerprint_of(const AuditRun& run, const Diagnostic& d,
                                                   const std::vector<std::string>& audited_paths) {
    const FileId fallback = run.result.files.empty() ? kNoFile : run.result.files.front();
    const SourceFile* file = run.sources.find(report::finding_file(run.sources, d, fallback));
    std::string path = file ? baseline_path(file->path(), audited_paths) : std::string();
    std::string hash =
        report::fingerprint_hash(d.rule_id, path, report::fingerprint_text(run.sources, d));
    return {std::move(hash), std::move(path)};
}

} // namespace

std::string baseline_path(std::string_view file, const std::vector<std::string>& audited_paths) {
    const fs::path absolute = absolute_normal(file);
    for (const std::string& given : audited_paths) {
        std::error_code ec;
        fs::path root = absolute_normal(given);
        if (!fs::is_directory(root, ec)) root = root.parent_path();
        const fs::path relative = absolute.lexically_relative(root);
        if (!relative.empty() && *relative.begin() != ".." && relative != ".")
            return relative.generic_string();
    }
    return absolute.generic_string();
}

Baseline make_baseline(const AuditRun& run, const std::vector<std::string>& audited_paths) {
    Baseline baseline;
    for (const Diagnostic* d : sorted_diagnostics(run.result.diagnostics, run.sources)) {
        auto [hash, path] = fingerprint_of(run, *d, audited_paths);
        baseline.entries.push_back({d->rule_id, std::move(path), std::move(hash), d->message});
    }
    return baseline;
}

std::string baseline_json(const Baseline& baseline) {
    Json findings = Json::array();
    for (const BaselineEntry& e : baseline.entries)
        findings.push_back({{"rule", e.rule},
                            {"path", e.path},
                            {"fingerprint", e.fingerprint},
                            {"message", e.message}});
    Json doc = {{"version", kBaselineVersion},
                {"tool", {{"name", kToolName}, {"version", kToolVersion}}},
                {"findings", std::move(findings)}};
    return doc.dump(2) + "\n";
}

namespace {

// The baseline DOC holds; false with a message naming the JSON path of what is wrong.
bool baseline_from_json(const Json& doc, Baseline& baseline, std::string& error) {
    if (!doc.is_object()) {
        error = "$: expected an object";
        return false;
    }
    if (!doc.contains("version") || !doc["version"].is_number_integer()) {
        error = "$.version: expected the integer " + std::to_string(kBaselineVersion);
        return false;
    }
    if (doc["version"] != kBaselineVersion) {
        error = "$.version: version " + doc["version"].dump() +
                " is not known (this smaudit "
                "reads version " +
                std::to_string(kBaselineVersion) + ")";
        return false;
    }
    if (!doc.contains("findings") || !doc["findings"].is_array()) {
        error = "$.findings: expected an array";
        return false;
    }
    const Json& findings = doc["findings"];
    for (size_t i = 0; i < findings.size(); ++i) {
        const std::string at = "$.findings[" + std::to_string(i) + "]";
        const Json& item = findings[i];
        if (!item.is_object()) {
            error = at + ": expected an object";
            return false;
        }
        BaselineEntry entry;
        for (auto [key, field] :
             {std::pair{"rule", &entry.rule}, std::pair{"path", &entry.path},
              std::pair{"fingerprint", &entry.fingerprint}, std::pair{"message", &entry.message}}) {
            auto it = item.find(key);
            if (it == item.end() && std::string_view(key) == "message") continue;
            if (it == item.end() || !it->is_string()) {
                error = at + "." + key + ": expected a string";
                return false;
            }
            *field = it->get<std::string>();
        }
        if (!is_hex16(entry.fingerprint)) {
            error = at + ".fingerprint: expected 16 lowercase hex digits";
            return false;
        }
        baseline.entries.push_back(std::move(entry));
    }
    return true;
}

} // namespace

bool read_baseline(const std::string& path, Baseline& baseline, std::string& error) {
    std::string text;
    Json doc;
    try {
        if (read_file_text(path, text, error)) {
            doc = Json::parse(text);
            if (baseline_from_json(doc, baseline, error)) return true;
        }
    } catch (const Json::parse_error& e) {
        error = json_syntax_error(path, text, e.byte, e.what());
        return false;
    }
    error = path + ": " + error;
    return false;
}

void apply_baseline(AuditRun& run, const Baseline& baseline, const std::string& file,
                    const std::vector<std::string>& audited_paths,
                    const std::function<bool(std::string_view rule_id)>& rule_ran) {
    std::map<std::string, int> left; // fingerprint → entries not yet matched
    for (const BaselineEntry& e : baseline.entries)
        if (rule_ran(e.rule)) ++left[e.fingerprint];
    auto take = [&](const Diagnostic& d) {
        auto it = left.find(fingerprint_of(run, d, audited_paths).first);
        if (it == left.end() || it->second == 0) return false;
        --it->second;
        return true;
    };
    BaselineSummary summary{file, 0, 0};
    // In report order, so that of several findings with one fingerprint the first ones match.
    std::vector<const Diagnostic*> matched;
    for (const Diagnostic* d : sorted_diagnostics(run.result.diagnostics, run.sources))
        if (take(*d)) matched.push_back(d);
    for (SuppressedFinding& s : run.result.suppressed)
        s.baselined = take(s.finding);
    summary.matched = static_cast<int>(matched.size());
    std::vector<Diagnostic> kept;
    std::sort(matched.begin(), matched.end());
    for (Diagnostic& d : run.result.diagnostics)
        if (!std::binary_search(matched.begin(), matched.end(), &d)) kept.push_back(std::move(d));
    run.result.diagnostics = std::move(kept);
    for (const auto& [hash, count] : left)
        summary.gone += count;
    run.result.baseline = std::move(summary);
}

} // namespace smaudit
