// The m4 layer's option table, for reading an .mc without a cf tree (the static fallback):
// which confXXX (or ALIAS_FILE...) m4 name sets which .cf option, what proto.m4 writes as a
// commented example when it is undefined, and the value cfhead.m4 gives it by default (then the
// .cf sets the option even if the .mc never mentions it). Generated from a cf tree by
// tools/gen_option_table.py into option_table_generated.cpp; values are m4 text with one level
// of quotes removed (e.g. "MAIL_SETTINGS_DIR`'aliases"), as the cf files write them.
// Only `_OPTION(...)` lines of proto.m4 are covered; options proto.m4 writes by other means
// (HelpFile from HELP_FILE, QueueDirectory from QUEUE_DIR, DaemonPortOptions from
// DAEMON_OPTIONS, ...) are not in the table.
#pragma once

#include "m4/expand.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::m4 {

struct M4Option {
    std::string_view m4_name;    // "confPRIVACY_FLAGS"
    std::string_view option;     // "PrivacyOptions", "Timeout.queuewarn"
    std::string_view example;    // proto.m4's `#O PrivacyOptions=<example>` when undefined
    bool cf_default_set;         // cfhead.m4 defines the m4 name
    std::string_view cf_default; // its value there
    uint32_t proto_line;         // the _OPTION line in proto.m4
};

// In proto.m4 order (the order of the O lines in a generated .cf).
const std::vector<M4Option>& m4_option_table();
// The entry of an m4 name (exact, case-sensitive as m4 is), nullptr when unknown.
const M4Option* find_m4_option(std::string_view m4_name);
// The entry that sets a .cf option (its long name, case-insensitive), nullptr when none does.
const M4Option* find_m4_option_for(std::string_view option);

// An option as the static reading knows it.
struct StaticOption {
    const M4Option* entry; // the table row (option name, m4 name)
    std::string value;     // the .mc's value or cfhead.m4's default, quotes removed as m4 would
    Location where;        // the value's bytes in the .mc; invalid for cfhead.m4's default
    Location statement;    // the .mc's define call (from `define` to `)`); invalid likewise
};

// The reading without a cf tree: the options an .mc sets with its own top-level
// define/undefine calls (last one wins; undefine drops cfhead.m4's default too, as Debian does
// with confHOST_STATUS_DIRECTORY), plus cfhead.m4's defaults for the rest, in table order.
// Values set in OSTYPE/DOMAIN/FEATURE files cannot be known this way.
std::vector<StaticOption> static_options(const Expansion& expansion);

} // namespace smaudit::m4
