// SM-C006 cf-differs-from-mc: the .cf that sendmail loads is not what the .mc beside it
// generates (KB CFG-003): edited by hand, or not rebuilt after the .mc changed. The .mc then
// does not describe the server, and the next rebuild silently undoes the difference. Each
// difference is reported setting by setting (analyze::ModelDifference), with the .cf line and
// the line the .mc generates, and the .mc line behind it as a related place; and, in a live or
// --root audit, a .cf older than its .mc.
#include "rules/map_support.hpp"

#include <map>

namespace smaudit::rules {

namespace {

// Beyond this many differences the rest is one summary finding: a .cf that is another
// configuration altogether must not bury the report under thousands of lines.
constexpr size_t kMaxDifferences = 20;

// A statement for a message: its first line, long ones cut.
std::string excerpt(std::string_view statement) {
    constexpr size_t kMax = 70;
    const size_t line_end = statement.find('\n');
    std::string_view line = statement.substr(0, line_end);
    const bool cut = line.size() > kMax || line_end != std::string_view::npos;
    return "`" + std::string(line.substr(0, kMax)) + (cut ? "...`" : "`");
}

std::string file_line(const SourceSet& sources, Location where) {
    const SourceFile& file = sources.get(where.file);
    return std::string(base_name(file.path())) + ":" +
           std::to_string(file.position(where.span.begin).line);
}

// The .mc place behind a stretch of the .mc's output: the .mc statement that wrote its bytes
// (`define(`confMAX_MESSAGE_SIZE', ...)`), else the .mc call whose file wrote it (a FEATURE's
// rules), else nothing (sendmail's cf tree writes it by itself).
Location mc_place(const m4::Expansion& expansion, Span generated) {
    if (Location statement = expansion.mc_statement_in(generated); statement.valid())
        return statement;
    Location origin = expansion.mc_origin_in(generated);
    if (!origin.valid() || origin.file == expansion.mc) return origin;
    for (const m4::Expansion::IncludedFile& included : expansion.included_by)
        if (included.file == origin.file) return included.by_call;
    return {};
}

std::string what(const analyze::ModelDifference& d) {
    return d.name.empty() ? d.model : d.model + " " + d.name;
}

void report_difference(const RuleContext& context, Emitter& out, const analyze::CfDrift& drift,
                       const analyze::ModelDifference& d) {
    const SourceSet& sources = context.sources;
    const std::string cf(base_name(sources.get(drift.cf).path()));
    const std::string mc(base_name(sources.get(context.expansion->mc).path()));
    const Location at{drift.cf, d.cf_span};
    std::string generator; // "that sendmail.mc:14 generates"
    Location origin;
    if (d.generated_line) {
        origin = mc_place(*context.expansion, d.generated_span);
        generator = origin.valid() ? "that " + file_line(sources, origin) + " generates"
                                   : "that sendmail's cf tree writes for " + mc +
                                         " by default (no line of it sets this)";
    }
    std::string message = what(d) + ": ";
    std::string label;
    if (d.cf_line && d.generated_line) {
        message += excerpt(*d.cf_line) + " at " + cf + ":" +
                   std::to_string(sources.get(drift.cf).position(d.cf_span.begin).line) +
                   " differs from " + excerpt(*d.generated_line) + " " + generator +
                   "; the next rebuild of " + cf + " from " + mc +
                   " replaces this line, so a hand edit of it is lost";
        label = "the .mc generates " + excerpt(*d.generated_line) + " instead";
    } else if (d.cf_line) {
        message += excerpt(*d.cf_line) + " at " + cf + ":" +
                   std::to_string(sources.get(drift.cf).position(d.cf_span.begin).line) +
                   " is not in what " + mc + " generates; the next rebuild of " + cf +
                   " drops it, so a hand edit of it is lost";
        label = "not in the .mc's output";
    } else {
        message += cf + " lacks " + excerpt(*d.generated_line) + " " + generator +
                   "; sendmail runs without it until " + cf + " is rebuilt from " + mc;
        label = "the .mc generates " + excerpt(*d.generated_line) +
                (drift.cf_lines == 0 ? "" : " before this line");
    }
    Diagnostic& finding = out.report(at, std::move(message), std::move(label));
    if (origin.valid())
        finding.notes.push_back(
            {origin, "generates " + excerpt(*d.generated_line) + " in the .mc's output"});
}

// One finding for the differences past the cap, counted by kind of setting.
void report_rest(const RuleContext& context, Emitter& out, const analyze::CfDrift& drift) {
    const SourceSet& sources = context.sources;
    const std::string cf(base_name(sources.get(drift.cf).path()));
    const std::string mc(base_name(sources.get(context.expansion->mc).path()));
    std::map<std::string, size_t> by_model;
    for (size_t i = kMaxDifferences; i < drift.differences.size(); ++i) {
        const std::string& model = drift.differences[i].model;
        ++by_model[model.starts_with("rules of ") ? "rules" : model];
    }
    std::string counts;
    for (const auto& [model, n] : by_model)
        counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + model;
    const analyze::ModelDifference& first = drift.differences[kMaxDifferences];
    out.report({drift.cf, first.cf_span},
               std::to_string(drift.differences.size() - kMaxDifferences) +
                   " more differences between " + cf + " and what " + mc + " generates (" + counts +
                   "), from here on; " + std::to_string(drift.differences.size()) +
                   " in all: " + cf + " may not have been built from this " + mc + " at all",
               "the first difference not reported on its own");
}

void check(const RuleContext& context, Emitter& out) {
    if (context.loaded_cf == nullptr || context.expansion == nullptr) return;
    const analyze::CfDrift& drift = *context.loaded_cf;
    const std::string cf(base_name(context.sources.get(drift.cf).path()));
    const std::string mc(base_name(context.sources.get(context.expansion->mc).path()));
    // Known only when the audit looked at the files on disk (live /etc/mail or --root).
    if (drift.mc_mtime && drift.cf_mtime && *drift.mc_mtime > *drift.cf_mtime) {
        const bool same = drift.differences.empty();
        Diagnostic& finding = out.report(
            {drift.cf, {0, 0}},
            mc + " changed after " + cf + " was built (" +
                std::to_string(*drift.mc_mtime - *drift.cf_mtime) + " s later): " +
                (same ? "what it generates is still what " + cf +
                            " holds, but the build is stale; run make in its directory (Debian: "
                            "sendmailconfig) so the two agree"
                      : "its changes are not in what sendmail loads until " + cf +
                            " is rebuilt; run make in its directory (Debian: sendmailconfig)"),
            "built before " + mc + " last changed");
        if (same) finding.severity = Severity::Low;
    }
    const size_t shown = std::min(drift.differences.size(), kMaxDifferences);
    for (size_t i = 0; i < shown; ++i)
        report_difference(context, out, drift, drift.differences[i]);
    if (drift.differences.size() > kMaxDifferences) report_rest(context, out, drift);
}

} // namespace

extern const Rule kSM_C006 = {
    "SM-C006",
    "cf-differs-from-mc",
    Pack::Consistency,
    Severity::Medium,
    5,
    "the .cf sendmail loads is not what the .mc beside it generates",
    "rebuild the .cf from the .mc (make -C /etc/mail), after moving any hand edit into the .mc",
    FixKind::None,
    &check};

} // namespace smaudit::rules
