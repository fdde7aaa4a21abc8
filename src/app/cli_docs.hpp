// The man page smaudit.1 and the bash completion script, both written from the CLI11 definition
// `--help` prints (and the completion's rule IDs from the rule registry), so neither is a copy
// kept by hand. The build runs the hidden `smaudit help-man` and `smaudit help-completion`
// (CMakeLists.txt); `make install` installs their output.
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace smaudit {

// The man page (roff, man macros): NAME and DESCRIPTION from the app's description, the global
// options, one section per visible subcommand with its usage, options (type, choices, default)
// and footer when it has its own, EXIT STATUS from the app's footer.
void write_man_page(std::ostream& out, const CLI::App& app);

// A bash completion script: the visible subcommands, each one's options, the choices of options
// that take one of a set ({a,b,c} in --help), rule IDs (RULE_IDS) for options and positionals
// whose type name is RULE (comma-separated lists completed item by item), directories for DIR,
// and file names for everything else. A first word that is no subcommand means DEFAULT_COMMAND.
void write_bash_completion(std::ostream& out, const CLI::App& app,
                           const std::vector<std::string>& rule_ids,
                           const std::string& default_command);

} // namespace smaudit
