// SM-P006 load-thresholds-inconsistent: QueueLA, RefuseLA and DelayLA (and a socket's q=, r=,
// d=) that do not fit the host's CPUs or each other (KB PERF-006). sendmail's own defaults scale
// with the CPUs online (QueueLA 8, RefuseLA 12 per CPU; DelayLA off), so only values the
// configuration writes are judged, against the CPU figure of host_figures.hpp:
//   - below 2 per CPU (QueueLA also at 0 or less): acts at a load the CPUs still handle;
//   - QueueLA or RefuseLA above 50 per CPU: in effect never acts; RefuseLA 0 or less: off;
//   - DelayLA not below RefuseLA: connections are refused before they would be delayed
//     (conf.c refuseconnections() tests RefuseLA first), reported at DelayLA;
//   - RefuseLA above QueueLA while every message is queued (DeliveryMode queue or deferred):
//     queue runners hold back while the daemon still accepts (sendmail/TUNING "High Volume
//     Mail"), reported at RefuseLA (at QueueLA when only that one is written).
// Problems of one setting make one finding, at that setting.
#include "rules/performance/process_limits.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

enum class Kind { Queue, Refuse, Delay };

struct Threshold {
    Kind kind = Kind::Queue;
    long long value = 0;
    bool written = false; // by the configuration; false: sendmail's default
    Location where;       // the value (an option) or the DaemonPortOptions line (a socket key)
    std::string subject;  // "RefuseLA 12", "r=12 of DaemonPortOptions MTA"
    std::string label;
};

struct Finding {
    Threshold at;
    std::vector<std::string> clauses; // each follows the subject: "is ...", "turns ..."
};

std::string_view option_name(Kind kind) {
    return kind == Kind::Queue ? "QueueLA" : kind == Kind::Refuse ? "RefuseLA" : "DelayLA";
}

long long default_value(Kind kind, uint64_t cpus) {
    const auto n = static_cast<long long>(cpus);
    return kind == Kind::Queue ? 8 * n : kind == Kind::Refuse ? 12 * n : 0;
}

// "1.5": a value per CPU, with one decimal when it has one.
std::string per_cpu(long long value, uint64_t cpus) {
    const long long tenths = value * 10 / static_cast<long long>(cpus);
    std::string out = std::to_string(tenths / 10);
    if (tenths % 10 != 0) out += "." + std::to_string(std::abs(tenths % 10));
    return out;
}

// "RefuseLA 12", or for a default "sendmail's default RefuseLA, 48 for 4 CPUs (assumed ...)".
std::string named(const Threshold& threshold, const analyze::HostFigure& cpus) {
    if (threshold.written) return threshold.subject;
    return "sendmail's default " + std::string(option_name(threshold.kind)) + ", " +
           std::to_string(threshold.value) + " for " + analyze::describe_cpus(cpus);
}

Threshold global_threshold(const RuleContext& context, Kind kind, uint64_t cpus) {
    Threshold t;
    t.kind = kind;
    const std::string name(option_name(kind));
    const model::OptionValue* option = context.config.option(name);
    if (is_unset(option)) {
        t.value = default_value(kind, cpus);
        return t;
    }
    const model::OptionSetting& setting = option->settings.back();
    t.value = leading_integer(setting.value);
    t.written = true;
    t.where = setting.value_where;
    t.subject = describe_number(name, setting.value, t.value, " ");
    t.label = set_here(context, setting, name);
    return t;
}

// The socket's own q=, r= or d=, replacing the option for that socket's children.
std::optional<Threshold> socket_threshold(const model::PortOptions& socket, Kind kind) {
    static constexpr std::string_view kKeys[] = {"queueLA", "refuseLA", "delayLA"};
    static constexpr char kLetters[] = {'q', 'r', 'd'};
    const auto index = static_cast<size_t>(kind);
    std::optional<std::string> own = socket.get(kKeys[index]);
    if (!own || !socket.where.valid()) return std::nullopt;
    Threshold t;
    t.kind = kind;
    t.value = leading_integer(*own);
    t.written = true;
    t.where = socket.where;
    const std::string name = socket.get("Name").value_or("");
    t.subject = std::string(1, kLetters[index]) + "=" + *own + " (" +
                std::string(option_name(kind)) + ") of DaemonPortOptions" +
                (name.empty() ? std::string() : " " + name);
    t.label = std::string(option_name(kind)) + " is set for this socket here";
    return t;
}

class Checker {
  public:
    explicit Checker(const analyze::HostFigure& cpus) : cpus_(cpus) {}

    void judge_value(const Threshold& t) {
        if (!t.written) return;
        const uint64_t n = cpus_.value;
        const std::string on_cpus =
            per_cpu(t.value, n) + " per CPU on " + analyze::describe_cpus(cpus_);
        const long long default_here = default_value(t.kind, n);
        if (t.kind == Kind::Refuse && t.value <= 0) {
            add(t, "turns refusing off: sendmail refuses connections for load only when RefuseLA "
                   "is above 0, so nothing stops new connections however high the load climbs");
        } else if ((t.kind == Kind::Queue && t.value <= 0) ||
                   (t.value > 0 && t.value < 2 * static_cast<long long>(n))) {
            std::string what =
                t.kind == Kind::Queue
                    ? "sendmail starts queueing mail instead of delivering it, and holding back "
                      "queue runs,"
                : t.kind == Kind::Refuse ? "sendmail refuses every SMTP connection"
                                         : "sendmail delays every new connection and SMTP "
                                           "command by a second";
            std::string clause =
                "is only " + on_cpus + ": " + what + " at a load those CPUs still handle";
            if (t.kind != Kind::Delay)
                clause += ", while its own default scales with them (" +
                          std::to_string(default_value(t.kind, 1)) + " per CPU, " +
                          std::to_string(default_here) + " here)";
            add(t, std::move(clause));
        } else if (t.kind != Kind::Delay && t.value > 50 * static_cast<long long>(n)) {
            add(t, "is " + on_cpus + ", more than 50 per CPU: a load the host does not reach " +
                       "while it still answers, so sendmail in effect never " +
                       (t.kind == Kind::Queue ? "queues mail for load"
                                              : "refuses connections for load"));
        }
    }

    // One socket's thresholds (or the options', for `socket` null) against each other.
    void judge_together(const Threshold& queue, const Threshold& refuse, const Threshold& delay,
                        char mode) {
        if (delay.value > 0 && refuse.value > 0 && delay.value >= refuse.value && delay.written)
            add(delay, "is not below " + named(refuse, cpus_) + ": from load " +
                           std::to_string(refuse.value) +
                           " on sendmail refuses new connections, so it never delays one; "
                           "DelayLA then only slows the commands of sessions already open");
        if ((mode == 'q' || mode == 'd') && refuse.value > 0 && refuse.value > queue.value &&
            (refuse.written || queue.written)) {
            const std::string why =
                " while every message waits for a queue runner (DeliveryMode " +
                delivery_mode_name(mode) + "): from load " + std::to_string(queue.value) +
                " on queue runners hold back messages, the larger the sooner, while the daemon "
                "keeps accepting mail up to load " +
                std::to_string(refuse.value) +
                ", so under load the queue grows faster than it drains (sendmail's TUNING: "
                "RefuseLA lower than QueueLA)";
            if (refuse.written)
                add(refuse, "is above " + named(queue, cpus_) + why);
            else
                add(queue, "is below " + named(refuse, cpus_) + why);
        }
    }

    void report(Emitter& out) {
        for (Finding& f : findings_) {
            std::string message = f.at.subject + " " + f.clauses.front();
            for (size_t i = 1; i < f.clauses.size(); ++i)
                message += "; and it " + f.clauses[i];
            out.report(f.at.where, std::move(message), f.at.label);
        }
    }

  private:
    void add(const Threshold& t, std::string clause) {
        for (Finding& f : findings_)
            if (f.at.where == t.where && f.at.kind == t.kind) {
                if (std::find(f.clauses.begin(), f.clauses.end(), clause) == f.clauses.end())
                    f.clauses.push_back(std::move(clause));
                return;
            }
        findings_.push_back(Finding{t, {std::move(clause)}});
    }

    const analyze::HostFigure& cpus_;
    std::vector<Finding> findings_;
};

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const uint64_t cpus = host_figures(context).cpus.value;
    Checker checker(host_figures(context).cpus);
    const Threshold queue = global_threshold(context, Kind::Queue, cpus);
    const Threshold refuse = global_threshold(context, Kind::Refuse, cpus);
    const Threshold delay = global_threshold(context, Kind::Delay, cpus);
    for (const Threshold* t : {&queue, &refuse, &delay})
        checker.judge_value(*t);
    // Every socket's children use the options unless the socket replaces them.
    const model::OptionValue* mode = config.option("DeliveryMode");
    char global_mode = mode == nullptr ? 'b' : delivery_mode_letter(mode->value);
    if (config.daemons.empty()) checker.judge_together(queue, refuse, delay, global_mode);
    for (const model::PortOptions& socket : config.daemons) {
        Threshold own[3] = {queue, refuse, delay};
        for (Kind kind : {Kind::Queue, Kind::Refuse, Kind::Delay})
            if (std::optional<Threshold> t = socket_threshold(socket, kind)) {
                checker.judge_value(*t);
                own[static_cast<size_t>(kind)] = *t;
            }
        checker.judge_together(own[0], own[1], own[2], socket_delivery_mode(config, socket));
    }
    checker.report(out);
}

} // namespace

extern const Rule kSM_P006 = {"SM-P006",
                              "load-thresholds-inconsistent",
                              Pack::Performance,
                              Severity::Low,
                              4,
                              "QueueLA, RefuseLA or DelayLA that do not fit the host's CPUs or "
                              "each other",
                              "leave the load thresholds unset (they scale with the CPUs) or set "
                              "all three deliberately",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
