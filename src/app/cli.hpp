#pragma once

namespace smaudit {

// The whole command line: parses arguments, runs the command, returns the exit code
// (0 clean, 1 findings at or above --fail-on, 2 usage or internal error).
int run_cli(int argc, char** argv);

} // namespace smaudit
