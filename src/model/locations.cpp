#include "model/locations.hpp"

namespace smaudit::model {

void for_each_location(Config& config, const std::function<void(Location&)>& visit) {
    visit(config.version_where);
    for (auto& [name, option] : config.options)
        for (OptionSetting& setting : option.settings) {
            visit(setting.where);
            visit(setting.value_where);
            for (ValuePiece& piece : setting.value_pieces)
                visit(piece.where);
        }
    for (PortOptions& port : config.daemons)
        visit(port.where);
    for (PortOptions& port : config.clients)
        visit(port.where);
    for (auto& [name, cls] : config.classes) {
        for (Location& where : cls.word_where)
            visit(where);
        for (Location& where : cls.where)
            visit(where);
    }
    for (auto& [name, macro] : config.macros)
        visit(macro.where);
    for (HeaderDef& header : config.headers) {
        visit(header.where);
        visit(header.value_where);
    }
    for (auto& [name, map] : config.maps)
        visit(map.where);
    for (auto& [name, mailer] : config.mailers) {
        visit(mailer.where);
        for (auto& [letter, where] : mailer.field_where)
            visit(where);
    }
    for (RulesetDef& ruleset : config.rulesets) {
        visit(ruleset.where);
        for (RuleDef& rule : ruleset.rules)
            visit(rule.where);
    }
    for (Feature& feature : config.features)
        visit(feature.where);
    for (QueueGroupDef& group : config.queue_groups)
        visit(group.where);
    for (MilterDef& milter : config.milters) {
        visit(milter.where);
        for (auto& [letter, where] : milter.field_where)
            visit(where);
    }
}

} // namespace smaudit::model
