// SM-C008 map-db-missing: a map the configuration loads from a Berkeley DB file whose .db is
// missing or cannot be opened (KB CFG-003, issue 10). What sendmail does then, checked with the
// real sendmail (tests/e2e/map_databases_test.cpp):
//  - a K hash/btree map: "missing map file" / "Cannot open hash database", and every lookup
//    fails with a temporary error; with Debian's access map (-T<TMPF>) every recipient gets
//    "451 Temporary system failure";
//  - an AliasFile of class hash/btree: the aliases are not expanded at all;
//  - an AliasFile without a class (implicit): sendmail reads the text file itself instead;
//  - a .db that Berkeley DB's verifier finds damaged but that still opens (a truncated file):
//    sendmail uses it, and entries on lost pages are silently not found.
// A K map with -o is optional: sendmail goes on silently, and so does this rule.
#include "rules/rule_support.hpp"

#include <fmt/format.h>

namespace smaudit::rules {

namespace {

void check(const RuleContext& context, Emitter& out) {
    if (context.map_databases == nullptr) return;
    for (const model::MapDatabase& map : context.map_databases->maps) {
        if (map.state == model::MapDatabase::State::Compared || map.optional) continue;
        const bool missing = map.state == model::MapDatabase::State::Missing;
        if (map.state == model::MapDatabase::State::Damaged) {
            out.report(map.where,
                       fmt::format("{} is damaged ({}): sendmail still opens it, but lookups of "
                                   "entries on damaged or lost pages find nothing (a truncated "
                                   ".db loses entries without a word); rebuild it: {}",
                                   map.database, map.why, map.rebuild_command()),
                       "its .db is damaged");
            continue;
        }
        const std::string what =
            missing ? fmt::format("{} does not exist", map.database)
                    : fmt::format("{} cannot be opened as a {} database: {}", map.database,
                                  map.map_class == "implicit" ? "hash" : map.map_class, map.why);
        const std::string rebuild = map.rebuild_command();
        Severity severity = Severity::Medium;
        std::string effect;
        if (map.alias && map.map_class == "implicit" && missing) {
            severity = Severity::Low;
            effect =
                "sendmail reads the text file " + map.source + " itself instead, at every start";
        } else if (map.alias) {
            effect = "sendmail cannot open the alias database, so no alias is expanded";
        } else if (map.map == "access") {
            severity = Severity::High;
            effect = "sendmail cannot open the access map, so every lookup in it fails with a "
                     "temporary error: with the usual -T<TMPF>, every SMTP recipient is "
                     "refused with \"451 Temporary system failure\"";
        } else {
            effect = "sendmail cannot open map " + map.map + ", so every lookup in it fails";
        }
        Diagnostic& d =
            out.report(map.where, fmt::format("{}: {}; build it: {}", what, effect, rebuild),
                       missing ? "its .db is missing" : "its .db cannot be opened");
        d.severity = severity;
    }
}

} // namespace

extern const Rule kSM_C008 = {"SM-C008",
                              "map-db-missing",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "a map the configuration loads has no usable .db",
                              "build the .db (makemap, newaliases, or make -C /etc/mail)",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
