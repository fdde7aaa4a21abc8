#include "rules/performance/process_limits.hpp"

#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

char delivery_mode_letter(std::string_view value) {
    // readcf.c setoption('d'): `switch (*val)`, an empty value being SM_DELIVER ('i').
    return value.empty() ? 'i' : value.front();
}

std::string delivery_mode_name(char mode) {
    switch (mode) {
    case 'i':
        return "interactive";
    case 'b':
        return "background";
    case 'q':
        return "queue";
    case 'd':
        return "deferred";
    default:
        return std::string("`") + mode + "`";
    }
}

char socket_delivery_mode(const model::Config& config, const model::PortOptions& socket) {
    // daemon.c: a socket's D= takes its first character and replaces DeliveryMode in the
    // children of that socket.
    if (std::optional<std::string> own = socket.get("DeliveryMode"); own && !own->empty())
        return own->front();
    const model::OptionValue* mode = config.option("DeliveryMode");
    if (mode == nullptr) return 'b'; // setdefaults(): SM_FORK
    return delivery_mode_letter(mode->value);
}

std::optional<long long> socket_children_limit(const model::PortOptions& socket) {
    if (std::optional<std::string> own = socket.get("children")) return leading_integer(*own);
    return std::nullopt;
}

ProcessLimits read_process_limits(const model::Config& config) {
    ProcessLimits limits;
    const model::OptionValue* children = config.option("MaxDaemonChildren");
    const long long global =
        is_unset(children) ? 0 : leading_integer(children->settings.back().value);
    limits.global_children_applies = config.daemons.empty();
    for (const model::PortOptions& socket : config.daemons) {
        std::optional<long long> own = socket_children_limit(socket);
        const bool has_own = own && *own > 0;
        if (!has_own) limits.global_children_applies = true;
        limits.children_cap = std::max(limits.children_cap, has_own ? *own : global);
    }
    if (config.daemons.empty()) limits.children_cap = global;
    limits.children_unlimited = limits.global_children_applies && global <= 0;
    if (limits.children_unlimited) limits.children_cap = 0;

    const model::OptionValue* rate = config.option("ConnectionRateThrottle");
    limits.rate_unlimited = is_unset(rate) || leading_integer(rate->settings.back().value) <= 0;

    if (config.daemons.empty()) {
        const model::OptionValue* mode = config.option("DeliveryMode");
        limits.background = mode == nullptr || delivery_mode_letter(mode->value) == 'b';
    }
    for (const model::PortOptions& socket : config.daemons)
        if (socket_delivery_mode(config, socket) == 'b') limits.background = true;
    return limits;
}

uint64_t recommended_daemon_children(const analyze::HostFigures& host) {
    return std::max<uint64_t>(static_cast<uint64_t>(kFewestDaemonChildren),
                              host.memory.value / 2 / kDaemonChildMemory);
}

std::string children_for_memory(const analyze::HostFigures& host) {
    const uint64_t children = recommended_daemon_children(host);
    return "each daemon child can use about " + analyze::format_size(kDaemonChildMemory) + ", so " +
           std::to_string(children) + " of them take about " +
           analyze::format_size(children * kDaemonChildMemory) + " of the " +
           analyze::describe_memory(host.memory);
}

} // namespace smaudit::rules
