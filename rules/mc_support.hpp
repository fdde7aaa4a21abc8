// What the .mc rules share: the .mc's own text around a call, the names sendmail's cf tree knows
// (read from the tree at run time, never a hand-written list), and the relay FEATURE rules that
// work the same on a .cf (banners) and an .mc (the FEATURE call that read the feature file).
#pragma once

#include "engine/rule.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

// The .mc text of the line `where` starts on, from the start of that line up to `where`.
std::string_view text_before_on_line(const SourceSet& sources, Location where);

// The first call of the .mc that includes cf.m4 (`include(`../m4/cf.m4')`), null when the .mc
// does not include it itself (then the cf tree was read before the whole .mc).
const m4::MacroCall* cf_m4_include(const m4::Expansion& expansion);

// Names the cf tree uses, read from the files of `cf_dir` (cached per directory):
//  conf_names: every `conf[A-Z_0-9]+` word of m4/*.m4, feature/*.m4, ostype/*.m4, domain/*.m4,
//              mailer/*.m4 and hack/*.m4;
//  features:   the feature/*.m4 file names without `.m4`;
//  cfhead_defines: names cfhead.m4 defines at the start of a line (run when cf.m4 is read,
//              replacing any earlier define of the same name).
struct CfTreeNames {
    std::vector<std::string> conf_names;     // sorted
    std::vector<std::string> features;       // sorted
    std::vector<std::string> cfhead_defines; // sorted
};
const CfTreeNames& cf_tree_names(const std::string& cf_dir);

// Levenshtein distance (bytes), for suggesting the nearest known name.
size_t edit_distance(std::string_view a, std::string_view b);
// The nearest of `known` to `name` (ties: the first), empty when none is within a third of the
// name's length after `shared_prefix` bytes every candidate has (at least 1, at most 3 edits).
std::string nearest_name(std::string_view name, const std::vector<std::string>& known,
                         size_t shared_prefix = 0);

// One relay FEATURE (KB SEC-001, SEC-004...SEC-008): a finding at each place the model saw the
// feature: its banner in a .cf, or the FEATURE call of an .mc.
struct RelayFeatureCheck {
    std::string_view feature; // "promiscuous_relay"
    std::string_view consequence;
};
void check_relay_feature(const RuleContext& context, Emitter& out, const RelayFeatureCheck& check);

} // namespace smaudit::rules
