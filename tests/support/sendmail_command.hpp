// Running the real sendmail on a .cf without a daemon, for tests that compare smaudit with what
// sendmail itself reads (design.md "Ground truth").
#pragma once

#include "run_command.hpp"
#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace smaudit::test {

// sendmail and `unshare -u` (root) are there.
inline bool sendmail_available() {
    static const bool available = std::system("command -v sendmail >/dev/null 2>&1") == 0 &&
                                  std::system("unshare -u true >/dev/null 2>&1") == 0;
    return available;
}

// sendmail looks up its own host name before it reads the .cf, through DNS when /etc/hosts
// does not have it, and a slow DNS server stalls it for 5 s. In a mount namespace of its own
// it gets an /etc/hosts that has the name; without that permission, the plain recipe of
// design.md. The prefix opens a single-quoted `sh -c '` script.
// `hosts` is the /etc/hosts sendmail sees (it must name sendmail's host name).
inline std::string sendmail_shell_prefix_with_hosts(const std::filesystem::path& hosts) {
    const std::string mount = "mount --bind " + hosts.string() + " /etc/hosts && ";
    if (std::system(("unshare -um sh -c '" + mount + "true' >/dev/null 2>&1").c_str()) == 0)
        return "unshare -um sh -c '" + mount;
    return std::string("unshare -u sh -c '");
}

inline std::string sendmail_shell_prefix() {
    static const TempDir dir("smaudit-sendmail-hosts"); // removed when the tests end
    static const std::string prefix = [] {
        const std::filesystem::path hosts = dir.path / "hosts";
        std::ofstream(hosts) << "127.0.0.1 localhost\n127.0.1.1 mx.example.test mx\n"
                                "::1 mx.example.test mx\n";
        return sendmail_shell_prefix_with_hosts(hosts);
    }();
    return prefix;
}

// What sendmail prints when it reads the .cf (address test mode, no input), run in the .cf's
// directory: it shortens long file names in its messages. Without probing the interfaces,
// whose reverse lookups may wait for DNS too. `flags` go on sendmail's command line (debug
// flags such as -d64.5); they must not contain a single quote.
inline std::string sendmail_reads(const std::filesystem::path& cf, const std::string& flags = {}) {
    return run_command("cd '" + cf.parent_path().string() + "' && " + sendmail_shell_prefix() +
                       "hostname mx.example.test; exec sendmail -C \"" + cf.filename().string() +
                       "\" -O ServiceSwitchFile=/etc/mail/service.switch-nodns "
                       "-O DontProbeInterfaces=true " +
                       flags + " -bt' </dev/null 2>&1")
        .out;
}

} // namespace smaudit::test
