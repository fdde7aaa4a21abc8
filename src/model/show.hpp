// `smaudit show`: the effective configuration as JSON (like `postconf -n`, design.md).
//
// Object layout:
//   {"version": "10" | null,
//    "options":  [{"name", "value", "path", "line", "default": bool, "note"?,
//                  "settings": [{"name" (as written), "value", "path", "line"}]}],
//    "features": [{"name", "args": [], "path", "line"}],
//    "daemons":  [{"options": {key: value}, "path", "line", "default": bool}],
//    "clients":  [same as daemons],
//    "mailers":  [{"name", "fields": {"P": ..., "F": ...}, "path", "line"}],
//    "maps":     [{"name", "type", "spec", "path", "line"}],
//    "classes":  [{"name", "words": [], "files": [], "path", "line"}]   (first line),
//    "macros":   [{"name", "value", "path", "line"}],
//    "rulesets": [{"name", "number": n | null, "rules": count, "path", "line"}],
//    "queue_groups", "milters": [{"name", "fields", "path", "line"}]}
//
// `options` lists every option IN EFFECT, sorted by name: every option an active `O` line sets
// (so every active line of an option sendmail knows shows up, in `settings` when several lines
// made the value; a name sendmail does not know is a syntax finding instead) and every
// option sendmail gives a compiled-in default, with `"default": true` and path/line null.
// path/line of an option are those of the line that decided the value (the last one); for an
// .mc, the .mc line where the define() (or other call) that set it starts, or the OSTYPE/DOMAIN/
// FEATURE call that read the file that set it (app/mc_config.cpp), null for the cf tree's own;
// DaemonPortOptions and ClientPortOptions, where each line is its own socket, get one entry per
// line. Options whose default depends on the host (QueueLA, DefaultUser, ...) and unset
// options are absent. Lines are 1-based.
#pragma once

#include "model/config.hpp"

#include <nlohmann/json.hpp>

namespace smaudit::model {

nlohmann::json show_json(const SourceSet& sources, const Config& config);

} // namespace smaudit::model
