#include "app/fix_run.hpp"

#include "fix/apply.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>

namespace smaudit {

namespace {

using Texts = std::map<std::string, std::string>;

std::string path_of(const SourceSet& sources, const Diagnostic& d) {
    const SourceFile* file = sources.find(d.where.valid() ? d.where.file : d.config_file);
    return file ? file->path() : std::string();
}

// A finding's identity from one audit to the next: lines move when a fix adds one.
std::string identity(const SourceSet& sources, const Diagnostic& d) {
    return path_of(sources, d) + '\n' + d.rule_id + '\n' + d.message;
}

std::string file_name(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

std::shared_ptr<AuditRun> audit(const AuditRequest& request, const Texts& texts) {
    AuditRequest with_texts = request;
    with_texts.texts = &texts;
    return run_audit(with_texts, true);
}

// The audit of the texts a fix application makes, and what is wrong with them ("" if nothing).
struct Proof {
    std::shared_ptr<AuditRun> run;
    std::string failure;
};

Proof prove(const AuditRequest& all_rules, const Texts& texts, const AuditRun& before,
            const SourceSet& sources, const FixApplication& application) {
    Texts trial = texts;
    for (const auto& [file, text] : application.texts)
        trial[sources.get(file).path()] = text;
    Proof proof{audit(all_rules, trial), {}};
    const AuditRun& after = *proof.run;
    std::multiset<std::string> syntax_before;
    for (const Diagnostic& d : before.result.diagnostics)
        if (d.rule_id.starts_with("SM-E")) syntax_before.insert(identity(before.sources, d));
    for (const Diagnostic& d : after.result.diagnostics) {
        if (!d.rule_id.starts_with("SM-E")) continue;
        auto it = syntax_before.find(identity(after.sources, d));
        if (it != syntax_before.end()) {
            syntax_before.erase(it);
            continue;
        }
        const uint32_t line = after.sources.line_of(d.where);
        proof.failure = "the fixed text would not expand or parse cleanly (" +
                        path_of(after.sources, d) +
                        (line ? ":" + std::to_string(line) : std::string()) + ": " + d.rule_id +
                        " " + d.message + "), so it is not written";
        return proof;
    }
    std::set<std::string> remaining;
    for (const Diagnostic& d : after.result.diagnostics)
        remaining.insert(identity(after.sources, d));
    for (const Diagnostic* fixed : application.applied)
        if (remaining.contains(identity(sources, *fixed))) {
            proof.failure = "tried in memory, the finding would remain, so it is not written";
            return proof;
        }
    return proof;
}

bool selects_some(const RuleSelection& selection) {
    return !selection.select.empty() || !selection.ignore.empty() || !selection.packs.empty();
}

} // namespace

FixPlan plan_fixes(const AuditRequest& request, bool unsafe) {
    FixPlan plan;
    AuditRequest all_rules = request;
    all_rules.selection = {};
    Texts texts;
    std::map<std::string, FixedFile> files;
    std::map<std::string, std::string> generated_from; // .cf path -> .mc path
    std::set<std::string> rejected, noted;
    std::set<size_t> states;
    auto not_applied = [&](const SourceSet& sources, const Diagnostic& d, const std::string& why) {
        if (noted.insert(identity(sources, d)).second)
            plan.summary.not_applied.push_back({path_of(sources, d), d.rule_id, d.message, why});
    };

    // `full`: every rule on the texts as they stand, the baseline a proof compares with.
    std::shared_ptr<AuditRun> full = audit(all_rules, texts);
    plan.errors = full->errors;
    plan.read_anything = !full->result.files.empty();
    for (FileId id : full->result.files) {
        const SourceFile& file = full->sources.get(id);
        std::optional<FileStamp> stamp = stamp_file(file.path());
        files[file.path()] = {file.path(), file.text(), file.text(), stamp.value_or(FileStamp{}),
                              0};
    }
    for (const auto& [cf, mc] : full->built_from)
        generated_from[full->sources.get(cf).path()] = full->sources.get(mc).path();

    // Bounded: every round either applies fixes (kMaxFixPasses of them at most) or rejects one.
    for (int round = 0; round < 4 * kMaxFixPasses; ++round) {
        std::shared_ptr<AuditRun> run =
            selects_some(request.selection) ? audit(request, texts) : full;
        const SourceSet& sources = run->sources;
        const std::set<FileId> audited(run->result.files.begin(), run->result.files.end());
        std::vector<const Diagnostic*> candidates;
        int unsafe_left = 0;
        for (const Diagnostic& d : run->result.diagnostics) {
            if (!d.fix || d.fix->edits.empty()) continue;
            if (!d.fix->safe && !unsafe) {
                ++unsafe_left;
                continue;
            }
            if (rejected.contains(identity(sources, d))) continue;
            const auto& edits = d.fix->edits;
            if (!std::all_of(edits.begin(), edits.end(),
                             [&](const Edit& e) { return audited.contains(e.where.file); })) {
                auto outside = std::find_if(edits.begin(), edits.end(), [&](const Edit& e) {
                    return !audited.contains(e.where.file);
                });
                const SourceFile* other = sources.find(outside->where.file);
                not_applied(sources, d,
                            "it would edit " + (other ? other->path() : std::string("a file")) +
                                ", which smaudit reads but does not audit (--fix edits only the "
                                "audited files): edit it by hand");
                continue;
            }
            auto cf = std::find_if(edits.begin(), edits.end(), [&](const Edit& e) {
                return run->built_from.contains(e.where.file);
            });
            if (cf != edits.end()) {
                // Said of the files as they were read: once the .mc is fixed in memory, the
                // .cf it no longer matches has the fixed findings too, until it is rebuilt.
                if (round > 0) continue;
                const std::string cf_name = file_name(sources.get(cf->where.file).path());
                const std::string mc_name =
                    file_name(sources.get(run->built_from.at(cf->where.file)).path());
                not_applied(sources, d,
                            cf_name + " is generated from " + mc_name +
                                " (audited with it), and rebuilding it would undo this edit: "
                                "fix " +
                                mc_name + " and rebuild " + cf_name + " from it instead");
                continue;
            }
            candidates.push_back(&d);
        }
        plan.summary.unsafe_left = unsafe_left;
        if (candidates.empty()) break;
        if (plan.summary.passes == kMaxFixPasses) {
            plan.summary.notes.push_back(
                "stopped after " + std::to_string(kMaxFixPasses) +
                " passes with fixes still to apply (fixes that undo each other?); the fixes of "
                "those passes are kept, the rest are not applied");
            for (const Diagnostic* d : candidates)
                not_applied(sources, *d, "the pass limit was reached");
            break;
        }

        FixApplication application = apply_fixes(sources, candidates);
        Proof proof = prove(all_rules, texts, *full, sources, application);
        if (!proof.failure.empty()) {
            // One by one: each fix is kept only when it proves good with those kept before it.
            std::vector<const Diagnostic*> kept;
            FixApplication kept_application;
            Proof kept_proof;
            for (const Diagnostic* d : application.applied) {
                std::vector<const Diagnostic*> trial = kept;
                trial.push_back(d);
                FixApplication attempt = apply_fixes(sources, trial);
                Proof attempt_proof = prove(all_rules, texts, *full, sources, attempt);
                if (attempt_proof.failure.empty() && attempt.applied.size() == trial.size()) {
                    kept = std::move(trial);
                    kept_application = std::move(attempt);
                    kept_proof = std::move(attempt_proof);
                } else {
                    rejected.insert(identity(sources, *d));
                    not_applied(sources, *d,
                                attempt_proof.failure.empty() ? "it overlaps another fix"
                                                              : attempt_proof.failure);
                }
            }
            application = std::move(kept_application);
            proof = std::move(kept_proof);
        }
        if (application.applied.empty()) continue; // some were rejected: the others next round

        ++plan.summary.passes;
        for (const auto& [file, text] : application.texts)
            texts[sources.get(file).path()] = text;
        for (const Diagnostic* d : application.applied)
            ++files[sources.get(d->fix->edits.front().where.file).path()].fixes;
        full = proof.run;
        size_t state = 0;
        for (const auto& [path, text] : texts)
            state ^= std::hash<std::string>{}(path + '\n' + text) + 0x9e3779b97f4a7c15ULL +
                     (state << 6) + (state >> 2);
        if (!states.insert(state).second) {
            plan.summary.notes.push_back(
                "stopped: a pass brought the files back to an earlier state (fixes that undo "
                "each other)");
            break;
        }
    }

    for (auto& [path, file] : files) {
        auto it = texts.find(path);
        if (it == texts.end() || it->second == file.original) continue;
        file.fixed = it->second;
        plan.files.push_back(file);
        for (const auto& [cf, mc] : generated_from)
            if (mc == path)
                plan.summary.notes.push_back(cf + " is generated from " + path +
                                             ": rebuild it (m4, or make in its directory) for "
                                             "sendmail to use the fixes");
    }
    return plan;
}

} // namespace smaudit
