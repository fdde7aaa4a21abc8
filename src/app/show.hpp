// `smaudit show`: the effective configuration of each audited file, like `postconf -n`.
#pragma once

#include "app/audit.hpp"

#include <ostream>

namespace smaudit {

// One file: its show object (design.md: `options` as {name, value, path, line}, ...). Several
// files: {"files": [ {"path", "kind", ...show object...} ]}. Written to OUT as it is made: a
// million-entry map is never held as one text.
void write_show_json(const AuditRun& run, std::ostream& out);
// `Name=value    # path:line` per option in effect, defaults marked `# default`; a map's
// entries as `key<TAB>value`.
void write_show_terminal(const AuditRun& run, std::ostream& out);

} // namespace smaudit
