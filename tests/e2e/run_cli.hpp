// Runs the real smaudit binary (the one ctest built) and captures stdout and the exit code, so
// end-to-end tests pin what a user or CI job sees.
#pragma once

#include <cstdio>
#include <string>
#include <sys/wait.h>

struct CliResult {
    std::string out;
    int code = -1;
};

// `args` is a shell fragment (already quoted by the caller); stderr is discarded unless
// `with_stderr`.
inline CliResult run_smaudit(const std::string& args, bool with_stderr = false) {
    std::string command = std::string("NO_COLOR=1 ") + SMAUDIT_BINARY + " " + args +
                          (with_stderr ? " 2>&1" : " 2>/dev/null");
    CliResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
        result.out.append(buffer, n);
    int status = pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string source_path(const std::string& relative) {
    return std::string(SMAUDIT_SOURCE_DIR) + "/" + relative;
}
