#include "rules/file_support.hpp"

#include <cstdio>

namespace smaudit::rules {

std::string octal_mode(uint32_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

bool group_writable(const model::FileStat& stat) {
    return (stat.mode & 0020) != 0;
}
bool world_writable(const model::FileStat& stat) {
    return (stat.mode & 0002) != 0;
}
bool group_readable(const model::FileStat& stat) {
    return (stat.mode & 0040) != 0;
}
bool world_readable(const model::FileStat& stat) {
    return (stat.mode & 0004) != 0;
}

std::string writable_by(const model::FileStat& stat) {
    if (group_writable(stat) && world_writable(stat)) return "group- and world-writable";
    if (world_writable(stat)) return "world-writable";
    if (group_writable(stat)) return "group-writable";
    return {};
}

void for_each_present(const RuleContext& context, model::FileRole role,
                      const std::function<void(const model::ReferencedFile&)>& visit) {
    if (!context.referenced || !context.referenced->inspected) return;
    for (const model::ReferencedFile& file : context.referenced->files)
        if (file.role == role && file.presence == model::Presence::Present) visit(file);
}

std::optional<std::string> unsafe_directory(const model::ReferencedFile& file,
                                            const model::Config& config) {
    return model::first_unsafe_directory(file.directories, config);
}

Diagnostic& report_file(Emitter& out, const model::ReferencedFile& file, std::string message) {
    if (file.where.valid()) return out.report(file.where, std::move(message), file.named);
    return out.report_default(std::move(message));
}

void report_writable(const RuleContext& context, Emitter& out, model::FileRole role,
                     std::string_view what, std::string_view why, Severity severity) {
    for_each_present(context, role, [&](const model::ReferencedFile& file) {
        if (!group_writable(file.stat) && !world_writable(file.stat)) return;
        report_file(out, file,
                    std::string(what) + " " + file.named + " is " + writable_by(file.stat) +
                        " (mode " + octal_mode(file.stat.mode) + "): " + std::string(why))
            .severity = severity;
    });
}

std::string not_root_owner(const model::FileStat& stat) {
    if (stat.uid == 0) return {};
    const std::string uid = "uid " + std::to_string(stat.uid);
    return "owned by " + (stat.user_name.empty() ? uid : stat.user_name + " (" + uid + ")");
}

std::string group_of(const model::FileStat& stat) {
    const std::string gid = "gid " + std::to_string(stat.gid);
    return stat.group_name.empty() ? gid : stat.group_name + " (" + gid + ")";
}

} // namespace smaudit::rules
