// `smaudit show`: the effective configuration of each audited file, like `postconf -n`.
#pragma once

#include "app/audit.hpp"

#include <string>

namespace smaudit {

// One file: its show object (design.md: `options` as {name, value, path, line}, ...). Several
// files: {"files": [ {"path", "kind", ...show object...} ]}.
std::string show_json_text(const AuditRun& run);
// `Name=value    # path:line` per option in effect, defaults marked `# default`.
std::string show_terminal_text(const AuditRun& run);

} // namespace smaudit
