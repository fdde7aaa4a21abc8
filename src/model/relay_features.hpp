// The relay FEATUREs of a .cf, and the two that turn off check_mail's sender checks
// (accept_unresolvable_domains, accept_unqualified_senders), recognised by the rules m4 writes
// for them rather than by the banner comment (`#####  $Id: promiscuous_relay.m4 ...`) that comes
// with them: a banner can be deleted or pasted, the rules are what sendmail runs. Checked against
// m4 output of the installed cf tree (8.18) and of proto.m4 8.243 (8.9), with and without each
// FEATURE.
#pragma once

#include "model/config.hpp"

#include <span>
#include <string_view>

namespace smaudit::model {

// The FEATUREs recognised by their rules (their banners are then ignored), and whether `name`
// is one of them.
std::span<const std::string_view> relay_features_decided_by_rules();
bool relay_feature_decided_by_rules(std::string_view name);

// Appends to config.features the relay FEATUREs the rulesets show, each at the rule that shows
// it (for promiscuous_relay, which removes rules, at the Basic_check_rcpt ruleset that lacks
// them), keeping the list in file order.
void detect_relay_features(Config& config);

// What taking a relay FEATURE out of the .mc changes in the .cf m4 writes: each rule (or map) the
// FEATURE wrote, deleted or replaced by the rule m4 writes without it (`replacement`, the text of
// a whole line; empty: the line goes). For the rules of the cf tree since 8.10, as written with
// the other FEATUREs too; checked against m4 output with and without each FEATURE. Empty when the
// .cf does not hold them all in that shape (hand-edited, 8.9), and for promiscuous_relay, which
// takes rules out rather than adding any: what it took out depends on the other FEATUREs.
struct LineChange {
    Location where;
    std::string replacement;
};
std::vector<LineChange> changes_without_feature(const Config& config, std::string_view feature);

} // namespace smaudit::model
