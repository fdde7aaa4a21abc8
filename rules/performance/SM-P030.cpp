// SM-P030 min-free-blocks: the free-space reserve sendmail keeps on the queue file system, judged
// against that file system's size (KB PERF-030; host_figures.hpp). 0 (a raw .cf's default)
// keeps none; below 0.1% of the file system (cfhead.m4's 100 blocks, 400 KiB) is next to none;
// above 10% refuses mail while there is plenty of room. sendmail counts the blocks of the queue
// file system (statfs f_bsize, conf.c freediskspace()) and answers 452 when fewer are free
// (queue.c, daemon.c).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

// About 1% of the file system, in blocks, to two significant digits.
static uint64_t recommended_blocks(uint64_t fs_blocks) {
    uint64_t blocks = std::max<uint64_t>(fs_blocks / 100, 1);
    uint64_t scale = 1;
    while (blocks / scale >= 100)
        scale *= 10;
    return blocks / scale * scale;
}

static void check(const RuleContext& context, Emitter& out) {
    const analyze::HostFigures& host = host_figures(context);
    const uint64_t block = std::max<uint64_t>(host.block_size, 1);
    const uint64_t fs_blocks = std::max<uint64_t>(host.queue_fs.value / block, 1);
    const std::string blocks_of =
        analyze::format_size(block) + " blocks (" +
        (host.block_size_measured ? std::string("the queue file system's")
                                  : std::string("assumed: ext4 and xfs make them")) +
        ")";
    const std::string file_system = analyze::describe_queue_fs(host.queue_fs);
    const uint64_t recommended = recommended_blocks(fs_blocks);
    const std::string fix_title = "set MinFreeBlocks to " + std::to_string(recommended) + " (" +
                                  analyze::format_size(recommended * block) +
                                  ", about 1% of the queue file system)";

    const model::OptionValue* option = context.config.option("MinFreeBlocks");
    const std::string keeps_nothing =
        "sendmail keeps no free space in reserve: it takes mail until " + file_system +
        " is full (only a message that announces its SIZE is checked, against its own size)";
    if (is_unset(option)) {
        Diagnostic& d = out.report_default("MinFreeBlocks not set: sendmail's default 0 "
                                           "applies, so " +
                                           keeps_nothing);
        if (auto edit = insert_option_line(context, "MinFreeBlocks", std::to_string(recommended)))
            d.fix = Fix{fix_title, false, {*edit}};
        return;
    }
    const model::OptionSetting& setting = option->settings.back();
    const long long value = leading_integer(setting.value);
    const std::string shown = describe_number("MinFreeBlocks", setting.value, value, " ");
    std::string message;
    Severity severity = Severity::Low;
    if (value <= 0) {
        message = shown + ": " + keeps_nothing;
        severity = Severity::Medium;
    } else {
        const uint64_t reserve = static_cast<uint64_t>(value) * block;
        if (static_cast<uint64_t>(value) * 10 > fs_blocks) {
            message = shown + " keeps " + analyze::format_size(reserve) + " free at " + blocks_of +
                      ", " + std::to_string(static_cast<uint64_t>(value) * 100 / fs_blocks) +
                      "% of " + file_system +
                      ": sendmail refuses mail with 452 while that much is still free";
        } else if (static_cast<uint64_t>(value) * 1000 < fs_blocks) {
            message = shown + " keeps only " + analyze::format_size(reserve) + " free at " +
                      blocks_of + ", less than 0.1% of " + file_system +
                      ": sendmail takes mail until the file system is all but full";
        } else {
            return;
        }
    }
    Diagnostic& d = out.report(setting.value_where, std::move(message),
                               set_here(context, setting, "MinFreeBlocks"));
    d.severity = severity;
    // In an .mc, a value no line wrote is cfhead.m4's: a default of the cf tree.
    d.about_default = !setting.value_where.valid();
    if (auto edits = set_value(context, setting, "MinFreeBlocks", std::to_string(recommended));
        !edits.empty())
        d.fix = Fix{fix_title, false, std::move(edits)};
}

extern const Rule kSM_P030 = {"SM-P030",
                              "min-free-blocks",
                              Pack::Performance,
                              Severity::Medium,
                              8,
                              "MinFreeBlocks keeps no, next to no, or too much free space on the "
                              "queue file system",
                              "set MinFreeBlocks to about 1% of the queue file system",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
