// SM-C007 map-db-out-of-date: a map database that is not what its text source says (KB CFG-003):
// sendmail looks entries up in the .db only, so an edit of access or aliases that was never
// followed by makemap or newaliases has no effect. Entries are compared key by key; a .db
// merely older than its source (same entries) is a low finding: the next edit will count.
#include "rules/rule_support.hpp"

#include <fmt/format.h>

namespace smaudit::rules {

namespace {

std::string shown(std::string_view text) {
    std::string out = bytes_to_utf8(text);
    if (out.size() > 40) out = out.substr(0, 37) + "...";
    return "'" + out + "'";
}

std::string describe(const model::MapDifference& d) {
    if (!d.db_value) return shown(d.key) + " is only in the source";
    if (!d.source_value) return shown(d.key) + " is only in the .db";
    return shown(d.key) + " is " + shown(*d.source_value) + " in the source but " +
           shown(*d.db_value) + " in the .db";
}

void check(const RuleContext& context, Emitter& out) {
    if (context.map_databases == nullptr) return;
    for (const model::MapDatabase& map : context.map_databases->maps) {
        if (map.state != model::MapDatabase::State::Compared || !map.source_present) continue;
        if (map.difference_count == 0 && !map.older_than_source) continue;
        std::string message;
        if (map.difference_count > 0) {
            std::vector<std::string> first;
            for (size_t i = 0; i < map.differences.size() && i < 3; ++i)
                first.push_back(describe(map.differences[i]));
            message = fmt::format(
                "{} differs from its source {} in {} {}: sendmail looks {} up in the .db, so "
                "the source's entries are not in effect ({}{}){}; rebuild it: {}",
                map.database, map.source, map.difference_count,
                map.difference_count == 1 ? "key" : "keys", map.alias ? "aliases" : "keys",
                word_list(first), map.difference_count > first.size() ? ", ..." : "",
                map.older_than_source ? "; the .db is older than the source" : "",
                map.rebuild_command());
        } else {
            message = fmt::format("{} is older than its source {}: its entries are still the "
                                  "same, but the source was changed after the last rebuild; "
                                  "rebuild it: {}",
                                  map.database, map.source, map.rebuild_command());
        }
        Diagnostic& d = out.report(map.where, std::move(message),
                                   map.alias ? "the aliases sendmail loads" : "the map's .db");
        if (map.difference_count == 0) d.severity = Severity::Low;
    }
}

} // namespace

extern const Rule kSM_C007 = {"SM-C007",
                              "map-db-out-of-date",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "a map's .db differs from its text source, or is older than it",
                              "rebuild the .db (makemap, newaliases, or make -C /etc/mail)",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
