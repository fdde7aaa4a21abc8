// What the .mc rules share: the .mc's own text around a call, the names sendmail's cf tree knows
// (read from the tree at run time, never a hand-written list), and the relay FEATURE rules that
// work the same on a .cf (their rules) and an .mc (the FEATURE call that read the feature file).
#pragma once

#include "engine/rule.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

// The .mc text of the line `where` starts on, from the start of that line up to `where`.
std::string_view text_before_on_line(const SourceSet& sources, Location where);

// For a call of the .mc on a line that starts with `#` (blanks before it allowed): the offset of
// that `#`. Once cf.m4 is read `#` comments nothing (SM-C001), and that rule's fix turns it into
// `dnl`, so other fixes must not edit such a call's text in place.
std::optional<uint32_t> hash_before(const SourceSet& sources, Location call);

// The first call of the .mc that includes cf.m4 (`include(`../m4/cf.m4')`), null when the .mc
// does not include it itself (then the cf tree was read before the whole .mc).
const m4::MacroCall* cf_m4_include(const m4::Expansion& expansion);

// A define() of the .mc whose value is an unquoted comma list, define(`confX', a,b,c): m4 keeps
// `a` and drops the rest. Every fix that touches such a list quotes all of it twice (cf/README)
// with the same two edits, `open` and `close`, so that fixes applied together share them
// (src/fix/apply.hpp): `open` inserts ``` `` ``` before the first item, `close` replaces the
// define's `)` by `'')`. A fix adds an item by inserting it at `items.end` (before `close`,
// which replaces the byte there) and replaces the value by replacing `items`.
struct UnquotedList {
    Edit open, close;
    Location items;                   // first to last item, as written
    std::vector<std::string> dropped; // the items m4 drops today
};
// None when the call is not such a define or its text cannot be quoted as it stands (quote
// characters inside it, pieces from elsewhere).
std::optional<UnquotedList> unquoted_list(const SourceSet& sources, const m4::Expansion& expansion,
                                          const m4::MacroCall& call);

// A line an .mc needs before its MAILER() calls (FEATURE(`smrsh'), which cfhead.m4 wants before
// every MAILER(), and MODIFY_MAILER_FLAGS(`SHELL', ...), read when MAILER(`local') runs): at the
// start of the line of the .mc's first MAILER() call (or FEATURE(`nullclient') or
// FEATURE(`msp'), which call MAILER() themselves), else after its last top-level call. None
// without an .mc expansion.
std::optional<Edit> insert_before_mailers(const RuleContext& context, std::string_view line);

// The .mc's define() call whose value argument wrote `value_where`; null when none did.
const m4::MacroCall* defining_call(const m4::Expansion& expansion, Location value_where);

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
// feature: in a .cf the rule m4 writes for it (model/relay_features.hpp; banners do not count),
// in an .mc the FEATURE call that read its file. Each comes with an unsafe fix (relaying that
// someone relies on stops): in an .mc the FEATURE line removed (or replaced by
// `mc_replacement`), in a .cf the rules the FEATURE wrote taken out as m4 would leave them out
// (model::changes_without_feature). Where the .cf cannot be fixed in place, the message says so.
struct RelayFeatureCheck {
    std::string_view feature; // "promiscuous_relay"
    std::string_view consequence;
    std::string_view evidence; // the label at the rule in a .cf: "m4 writes this rule for it"
    // A line that takes the FEATURE's place in the .mc and the title of that fix; none: the
    // line is removed.
    std::optional<std::pair<std::string, std::string>> (*mc_replacement)(const RuleContext&) =
        nullptr;
    // Why a .cf cannot be fixed in place, when the FEATURE's rules are not the ones
    // model::changes_without_feature takes out (said in the message of a .cf finding).
    std::string_view cf_not_fixable =
        "its rules are not in the shape m4 writes, so they cannot be taken out here: regenerate "
        "the .cf from its .mc without the FEATURE";
};

// The FEATURE(`name', ...) calls the .mc makes itself (not through an OSTYPE/DOMAIN file or a
// macro of its own), in order.
std::vector<const m4::MacroCall*> feature_calls(const m4::Expansion& expansion,
                                                std::string_view name);

// The edits that take the .mc's FEATURE(`name') lines out, the first replaced by `replacement`
// when it is given. Empty when a call cannot be taken out by itself: another call on its line,
// or a `#` before it (SM-C001's fix turns that `#` into `dnl`, which removes the call already).
std::vector<Edit> remove_feature_lines(const RuleContext& context, std::string_view name,
                                       std::string_view replacement = {});
void check_relay_feature(const RuleContext& context, Emitter& out, const RelayFeatureCheck& check);

} // namespace smaudit::rules
