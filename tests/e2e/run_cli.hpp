// Runs the real smaudit binary (the one ctest built) and captures stdout and the exit code, so
// end-to-end tests pin what a user or CI job sees.
#pragma once

#include "../support/run_command.hpp"

#include <string>

using CliResult = CommandResult;

// `args` is a shell fragment (already quoted by the caller); stderr is discarded unless
// `with_stderr`.
inline CliResult run_smaudit(const std::string& args, bool with_stderr = false) {
    return run_command(std::string("NO_COLOR=1 ") + SMAUDIT_BINARY + " " + args +
                       (with_stderr ? " 2>&1" : " 2>/dev/null"));
}

inline std::string source_path(const std::string& relative) {
    return std::string(SMAUDIT_SOURCE_DIR) + "/" + relative;
}

// The role a .cf without DaemonPortOptions gets (docs/roles.md), as the terminal summary shows it.
inline const std::string kDefaultDaemonMx = " · role mx (detected: no DaemonPortOptions: "
                                            "sendmail's default daemon on port 25 on all "
                                            "addresses)";
