// What the file-system rules share: reading the facts the audit found for each referenced file
// (RuleContext::referenced, app/referenced_files.hpp) and judging them as sendmail's safefile()
// and safedirpath() (libsmutil/safefile.c) would under the effective DontBlameSendmail flags.
// Rules that need these facts are silent when the audit did not look (no --root, not the live
// /etc/mail) or the file is absent: never guessed.
#pragma once

#include "engine/rule.hpp"

#include <functional>
#include <optional>
#include <string>

namespace smaudit::rules {

// "0664"
std::string octal_mode(uint32_t mode);

bool group_writable(const model::FileStat& stat);
bool world_writable(const model::FileStat& stat);
bool group_readable(const model::FileStat& stat);
bool world_readable(const model::FileStat& stat);
// "group- and world-writable", "world-writable", ... of the write bits of `stat`; empty if none.
std::string writable_by(const model::FileStat& stat);

// Calls `visit` for each referenced file of `role` that the audit found (Present).
void for_each_present(const RuleContext& context, model::FileRole role,
                      const std::function<void(const model::ReferencedFile&)>& visit);

// The first directory above `file` that safedirpath() refuses when SFF_SAFEDIRPATH is set:
// group-writable (unless GroupWritableDirPathSafe) or world-writable, unless TrustStickyBit is
// set and the directory is sticky. "the directory /etc/mail is group-writable (mode 0775)".
std::optional<std::string> unsafe_directory(const model::ReferencedFile& file,
                                            const model::Config& config);

// Reports a finding about `file` at the line that names it (its default has no line: the
// finding is then about the configuration file).
Diagnostic& report_file(Emitter& out, const model::ReferencedFile& file, std::string message);

// Reports each present file of `role` that is group- or world-writable: "<what> <path> is
// group-writable (mode 0664): <why>", at `severity`.
void report_writable(const RuleContext& context, Emitter& out, model::FileRole role,
                     std::string_view what, std::string_view why, Severity severity);

// "owned by alice (uid 1000)" ("owned by uid 1000" when no account names it) when the owner is
// not root, else empty.
std::string not_root_owner(const model::FileStat& stat);
// "mail (gid 8)", "gid 8" when no group names it.
std::string group_of(const model::FileStat& stat);

} // namespace smaudit::rules
