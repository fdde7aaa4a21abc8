// SM-C010 relay-entry-without-access-db: access RELAY entries beside a configuration that reads
// no access map (no `Kaccess` line, no FEATURE(`access_db')): sendmail never sees them, so the
// relaying someone wanted does not happen.
#include "rules/map_support.hpp"

namespace smaudit::rules {

// True when an F line of class R reads a file of this name.
static bool reads_class_r_file(const model::Config& config, std::string_view name) {
    auto r = config.classes.find("R");
    if (r == config.classes.end()) return false;
    for (const std::string& path : r->second.files)
        if (base_name(path) == name ||
            (name.ends_with(".relay-domains") && base_name(path) == "relay-domains"))
            return true;
    return false;
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    // A relay-domains file no F{R} line reads.
    for (const ast::ClassFile& file : context.maps->class_files) {
        std::string_view name = base_name(context.sources.get(file.file).path());
        if (!(name == "relay-domains" || name.ends_with(".relay-domains")) || file.words.empty())
            continue;
        if (reads_class_r_file(context.config, name)) continue;
        out.report(at(file.file, file.words.front()),
                   "relay-domains does nothing: no F{R} line of the configuration reads it, "
                   "so none of its domains is relayed for",
                   "never read");
    }
    if (context.maps->access.empty()) return;
    if (context.config.maps.contains("access") || context.config.feature("access_db") != nullptr)
        return;
    for (const ast::AccessFile& access : context.maps->access) {
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.kind != ast::AccessValueKind::Relay || entry.duplicate()) continue;
            out.report(at(access.file, entry.span()),
                       "`" + std::string(access.key(entry)) +
                           " RELAY` does nothing: the configuration reads no access map (no "
                           "Kaccess line, no FEATURE(`access_db'))",
                       "never read");
        }
    }
}

extern const Rule kSM_C010 = {"SM-C010",
                              "relay-entry-without-access-db",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "Access RELAY entries beside a configuration without an access map",
                              "add FEATURE(`access_db') to the .mc (or a Kaccess line to the .cf)",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
