#include "engine/rule.hpp"

#include "engine/role_severity.hpp"
#include "engine/rule_docs.hpp"
#include "source/parallel.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <tuple>

namespace smaudit {

std::string_view to_string(FixKind kind) {
    switch (kind) {
    case FixKind::None:
        return "none";
    case FixKind::Safe:
        return "safe";
    case FixKind::Unsafe:
        return "unsafe";
    case FixKind::Mixed:
        return "mixed";
    }
    return "none";
}

Diagnostic& Emitter::report(Location where, std::string message, std::string label) {
    Diagnostic& d = out_.emplace_back();
    d.rule_id = std::string(rule_.id);
    d.rule_name = std::string(rule_.name);
    d.pack = rule_.pack;
    d.severity = rule_.severity;
    d.message = std::move(message);
    d.where = where;
    d.label = std::move(label);
    return d;
}

Diagnostic& Emitter::report_default(std::string message) {
    Diagnostic& d = report(Location{}, std::move(message));
    d.about_default = true;
    return d;
}

static bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

namespace {
const std::vector<Rule>* loaded = nullptr;
} // namespace

const std::vector<Rule>& loaded_rules() {
    static const std::vector<Rule> none;
    return loaded ? *loaded : none;
}

LoadedRules::LoadedRules(const std::vector<Rule>& rules) : previous_(loaded) {
    loaded = &rules;
}

LoadedRules::~LoadedRules() {
    loaded = previous_;
}

const Rule* find_rule(std::string_view id_or_name) {
    // The registry is sorted by ID: a finding's exact ID (looked up once per finding when
    // scoring and filtering) is a binary search; other spellings and names a scan.
    const auto& rules = all_rules();
    auto exact =
        std::lower_bound(rules.begin(), rules.end(), id_or_name,
                         [](const Rule& rule, std::string_view id) { return rule.id < id; });
    if (exact != rules.end() && exact->id == id_or_name) return &*exact;
    for (const auto* table : {&rules, &loaded_rules()})
        for (const Rule& rule : *table)
            if (iequals(rule.id, id_or_name) || iequals(rule.name, id_or_name)) return &rule;
    return nullptr;
}

// The bytes of the maps a context's rules read: what decides whether they run on threads.
static size_t map_bytes(const RuleContext& context) {
    if (context.maps == nullptr) return 0;
    size_t bytes = 0;
    auto add = [&](const auto& maps) {
        for (const auto& map : maps)
            bytes += context.sources.get(map.get().file).text().size();
    };
    add(context.maps->access);
    add(context.maps->aliases);
    add(context.maps->class_files);
    add(context.maps->kv_maps);
    return bytes;
}

void run_rules(const std::vector<const Rule*>& rules, const RuleContext& context,
               std::vector<Diagnostic>& out) {
    size_t first_new = out.size();
    std::optional<model::HostRole> detected;
    RuleContext with_role = context;
    if (context.config_present && context.role == nullptr) {
        detected = model::detect_role(context.sources, context.config, context.maps);
        with_role.role = &*detected;
    }
    std::vector<const Rule*> to_run;
    for (const Rule* rule : rules) {
        if (!rule->check) continue; // syntax codes: their parser reports them
        if (!context.config_present && rule->scope == Rule::Scope::Config) continue;
        // Where the role matrix has no cell for the host's role, apply_severity drops every
        // finding (a project override does not bring them back): the check's work (SM-S065's
        // relay probes on the msp) would be thrown away.
        if (with_role.role != nullptr)
            if (const RoleSeverityRow* row = find_role_severity(rule->id);
                row != nullptr && !severity_on(*row, *with_role.role))
                continue;
        to_run.push_back(rule);
    }
    auto run_one = [&](const Rule& rule, const RuleContext& part_context,
                       std::vector<Diagnostic>& found) {
        const size_t first_of_rule = found.size();
        Emitter emitter(rule, found);
        rule.check(part_context, emitter);
        if (with_role.role == nullptr && context.severity_overrides == nullptr) return;
        size_t kept = first_of_rule;
        for (size_t i = first_of_rule; i < found.size(); ++i)
            if (apply_severity(rule, with_role.role, context.severity_overrides, found[i])) {
                if (kept != i) found[kept] = std::move(found[i]);
                ++kept;
            }
        found.resize(kept);
    };
    if (parallel_parts(map_bytes(context)) <= 1) {
        for (const Rule* rule : to_run)
            run_one(*rule, with_role, out);
    } else {
        // Large maps: the rules (and the parts of those that have several) on threads, each
        // into its own list, joined in rule order. Checks only read the context.
        struct Task {
            const Rule* rule;
            RuleContext context;
        };
        std::vector<Task> tasks;
        for (const Rule* rule : to_run)
            for (unsigned part = 0; part < std::max(rule->parts, 1u); ++part) {
                tasks.push_back({rule, with_role});
                if (rule->parts > 1) tasks.back().context.part = part;
            }
        std::vector<std::vector<Diagnostic>> found(tasks.size());
        run_parallel(tasks.size(),
                     [&](size_t i) { run_one(*tasks[i].rule, tasks[i].context, found[i]); });
        // Each list freed once moved: the findings are not held twice.
        for (std::vector<Diagnostic>& list : found) {
            if (out.empty())
                out.swap(list);
            else
                std::move(list.begin(), list.end(), std::back_inserter(out));
            std::vector<Diagnostic>().swap(list);
        }
    }
    // A finding without a place (about a default, say) is reported against the configuration's
    // file.
    FileId config_file = context.config.files.empty() ? kNoFile : context.config.files.front();
    for (size_t i = first_new; i < out.size(); ++i)
        if (!out[i].where.valid() && out[i].config_file == kNoFile)
            out[i].config_file = config_file;
}

void drop_superseded(const SourceSet& sources, std::vector<Diagnostic>& diagnostics) {
    auto line_of = [&](const Location& where) { return sources.line_of(where); };
    std::set<std::tuple<std::string_view, FileId, uint32_t>> covered; // code, file, line
    for (const Diagnostic& d : diagnostics) {
        const Rule* rule = find_rule(d.rule_id);
        if (rule && !rule->supersedes.empty() && d.where.valid())
            covered.insert({rule->supersedes, d.where.file, line_of(d.where)});
    }
    if (covered.empty()) return;
    std::erase_if(diagnostics, [&](const Diagnostic& d) {
        return d.where.valid() && covered.count({d.rule_id, d.where.file, line_of(d.where)}) > 0;
    });
}

std::string_view rule_doc(std::string_view id) {
    for (const RuleDocPage& page : rule_doc_pages())
        if (page.id == id) return page.markdown;
    for (const Rule& rule : loaded_rules())
        if (rule.id == id) return rule.doc;
    return {};
}

std::string_view doc_code_block(std::string_view markdown, std::string_view heading) {
    size_t at = 0;
    while ((at = markdown.find("\n## ", at)) != std::string_view::npos) {
        at += 4;
        size_t eol = markdown.find('\n', at);
        if (eol == std::string_view::npos) return {};
        std::string_view title = markdown.substr(at, eol - at);
        while (!title.empty() && (title.back() == ' ' || title.back() == '\r'))
            title.remove_suffix(1);
        if (title != heading) continue;
        size_t fence = markdown.find("```", eol);
        if (fence == std::string_view::npos) return {};
        size_t body = markdown.find('\n', fence);
        if (body == std::string_view::npos) return {};
        ++body;
        size_t close = markdown.find("\n```", body - 1);
        if (close == std::string_view::npos) return {};
        return markdown.substr(body, close + 1 - body);
    }
    return {};
}

} // namespace smaudit
