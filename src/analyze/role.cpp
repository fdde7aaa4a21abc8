#include "analyze/role.hpp"

#include "model/option_table.hpp"
#include "parse/maps.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace smaudit::model {

namespace {

// submit.cf / submit.mc, and FreeBSD's <host>.submit.cf / .mc: the names sendmail's own cf tree
// and the BSD Makefiles give the submission program's configuration.
bool is_submit_file_name(std::string_view path) {
    std::string_view name = base_name(path);
    for (std::string_view submit : {"submit.cf", "submit.mc"})
        if (name == submit || (name.size() > submit.size() && name.ends_with(submit) &&
                               name[name.size() - submit.size() - 1] == '.'))
            return true;
    return false;
}

bool is_ip_word(std::string_view word) {
    if (word.size() > 5 && to_lower(word.substr(0, 5)) == "ipv6:") return true;
    return !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
        return std::isdigit(c) != 0 || c == '.';
    });
}

bool is_loopback_name_or_ip(std::string_view word) {
    std::string w = to_lower(word);
    if (w.starts_with("ipv6:")) w = w.substr(5);
    return w == "localhost" || w.starts_with("localhost.") || w == "127" || is_loopback_address(w);
}

// Evidence that the configuration relays for other hosts by their address or name: "class R
// 10.1" or "access Connect:10.1 RELAY". Empty when there is none.
std::string relays_for_hosts(const SourceSet& sources, const Config& config, const MapSet* maps) {
    if (auto r = config.classes.find("R"); r != config.classes.end())
        for (const std::string& word : r->second.words)
            if (is_ip_word(word) && !is_loopback_name_or_ip(word)) return "class R " + word;
    if (maps == nullptr) return {};
    for (const ast::ClassFile& file : maps->class_files) {
        if (!is_relay_domains_file(sources, &config, file)) continue;
        for (Span span : file.words)
            if (is_ip_word(file.word(span)) && !is_loopback_name_or_ip(file.word(span)))
                return std::string(base_name(sources.get(file.file).path())) + " " +
                       std::string(file.word(span));
    }
    for (const ast::AccessFile& access : maps->access)
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.duplicate() || entry.kind != ast::AccessValueKind::Relay) continue;
            std::string_view key = access.bare_key(entry);
            if (is_loopback_name_or_ip(key)) continue;
            ast::AccessKeyKind kind = classify_access_key(key).kind;
            bool by_address = kind == ast::AccessKeyKind::IPv4 || kind == ast::AccessKeyKind::IPv6;
            // Untagged keys are also looked up for sender and recipient domains: only an
            // address says "this client"; a Connect: key names a client either way.
            if (entry.tag == ast::AccessTag::Connect ||
                (entry.tag == ast::AccessTag::None && by_address))
                return "access " + std::string(access.key(entry)) + " RELAY";
        }
    return {};
}

// Where the configuration hands mail on: "SMART_HOST [hub]" or "MAIL_HUB hub".
std::string hands_mail_on(const Config& config) {
    for (auto [macro, name] : {std::pair{"S", "SMART_HOST"}, std::pair{"H", "MAIL_HUB"}})
        if (auto m = config.macros.find(macro);
            m != config.macros.end() && !m->second.value.empty())
            return std::string(name) + " " + m->second.value;
    return {};
}

std::string join(const std::vector<std::string>& items, std::string_view last_separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? last_separator : std::string_view(", ");
        out += items[i];
    }
    return out;
}

} // namespace

int port_number(const PortOptions& daemon) {
    std::string port = to_lower(daemon.get("Port").value_or("smtp"));
    if (!port.empty() &&
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
        return port.size() <= 5 ? std::stoi(port) : -1;
    if (port == "smtp") return 25;
    if (port == "submission") return 587;
    if (port == "smtps" || port == "submissions") return 465;
    return -1;
}

bool is_local_socket(const PortOptions& daemon) {
    std::string family = to_lower(daemon.get("Family").value_or("inet"));
    return family == "local" || family == "unix";
}

bool is_any_address(const std::optional<std::string>& addr) {
    if (!addr) return true;
    std::string a = to_lower(*addr);
    return a.empty() || a == "0.0.0.0" || a == "::" || a == "0:0:0:0:0:0:0:0" || a == "inaddr_any";
}

bool reachable_off_host(const PortOptions& daemon) {
    if (is_local_socket(daemon)) return false;
    std::optional<std::string> addr = daemon.get("Addr");
    return is_any_address(addr) || !is_loopback_address(*addr);
}

bool has_modifier(const PortOptions& daemon, char modifier) {
    return daemon.get("Modifiers").value_or("").find(modifier) != std::string::npos;
}

bool takes_submissions_only(const PortOptions& daemon) {
    int port = port_number(daemon);
    if (port == 587 || port == 465) return true;
    return has_modifier(daemon, 'a');
}

std::string daemon_name(const PortOptions& daemon) {
    if (daemon.is_default) return "sendmail's default daemon";
    std::optional<std::string> name = daemon.get("Name");
    return name && !name->empty() ? "daemon " + *name : std::string("a daemon");
}

std::string describe_daemon(const PortOptions& daemon) {
    int port = port_number(daemon);
    std::string text = daemon_name(daemon) + " on port " +
                       (port >= 0 ? std::to_string(port) : daemon.get("Port").value_or("smtp"));
    std::optional<std::string> addr = daemon.get("Addr");
    text += is_any_address(addr) ? " on all addresses" : " at " + *addr;
    if (port != 587 && port != 465 && takes_submissions_only(daemon)) text += " with M=a (AUTH)";
    return text;
}

std::string_view to_string(Role role) {
    switch (role) {
    case Role::Mx:
        return "mx";
    case Role::RelayHub:
        return "relay-hub";
    case Role::Submission:
        return "submission";
    case Role::ClientOnly:
        return "client-only";
    case Role::Msp:
        return "msp";
    }
    return "mx";
}

std::optional<Role> parse_role(std::string_view name) {
    for (Role role : kRoles)
        if (to_string(role) == name) return role;
    return std::nullopt;
}

std::string_view describe(Role role) {
    switch (role) {
    case Role::Mx:
        return "an MX";
    case Role::RelayHub:
        return "a relay hub";
    case Role::Submission:
        return "a submission server";
    case Role::ClientOnly:
        return "a client-only host";
    case Role::Msp:
        return "the mail submission program";
    }
    return "an MX";
}

bool is_loopback_address(std::string_view addr) {
    std::string a = to_lower(addr);
    if (a == "localhost" || a == "ip6-localhost" || a == "localhost6") return true;
    unsigned char bytes[16];
    if (inet_pton(AF_INET, a.c_str(), bytes) == 1) return bytes[0] == 127;
    if (inet_pton(AF_INET6, a.c_str(), bytes) == 1) {
        static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
        static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xff, 0xff};
        return std::equal(bytes, bytes + 16, kLoopback) ||
               (std::equal(bytes, bytes + 12, kMappedPrefix) && bytes[12] == 127);
    }
    // inet_addr(), which sendmail tries first, also takes short forms such as 127.1.
    return a.starts_with("127.") && std::all_of(a.begin(), a.end(), [](unsigned char c) {
               return std::isdigit(c) != 0 || c == '.';
           });
}

HostRole detect_role(const SourceSet& sources, const Config& config, const MapSet* maps) {
    HostRole result;
    auto decide = [&](Role role, std::string why) {
        result.role = result.detected = role;
        result.why = std::move(why);
        return result;
    };

    std::vector<const PortOptions*> off_host;
    for (const PortOptions& daemon : config.daemons)
        if (reachable_off_host(daemon)) off_host.push_back(&daemon);

    if (config.feature("msp") != nullptr)
        return decide(Role::Msp, "FEATURE(`msp'): the mail submission program, never a daemon");
    const std::string path =
        config.files.empty() ? std::string() : sources.get(config.files.front()).path();
    if (is_submit_file_name(path))
        return decide(Role::Msp, std::string(base_name(path)) +
                                     ": the mail submission program, never a daemon");

    result.exposed = !off_host.empty();
    if (config.feature("nullclient") != nullptr) {
        auto hub = config.macros.find("S");
        std::string why =
            "FEATURE(`nullclient'): a null client, it hands all mail to " +
            (hub != config.macros.end() && !hub->second.value.empty() ? hub->second.value
                                                                      : std::string("its hub"));
        if (!off_host.empty())
            why += "; but " + describe_daemon(*off_host.front()) + " is reachable from other hosts";
        return decide(Role::ClientOnly, std::move(why));
    }
    if (off_host.empty()) {
        std::vector<std::string> places;
        for (const PortOptions& daemon : config.daemons) {
            std::string place = is_local_socket(daemon) ? std::string("a local socket")
                                                        : daemon.get("Addr").value_or("");
            if (std::find(places.begin(), places.end(), place) == places.end())
                places.push_back(place);
        }
        return decide(Role::ClientOnly, "every daemon listens on " + join(places, " or "));
    }

    if (std::all_of(off_host.begin(), off_host.end(),
                    [](const PortOptions* d) { return takes_submissions_only(*d); })) {
        std::vector<std::string> described;
        for (const PortOptions* daemon : off_host)
            described.push_back(describe_daemon(*daemon));
        return decide(Role::Submission,
                      "only submission daemons are reachable from off the host: " +
                          join(described, " and "));
    }

    const PortOptions* smtp =
        *std::find_if(off_host.begin(), off_host.end(),
                      [](const PortOptions* d) { return !takes_submissions_only(*d); });
    std::string relays = relays_for_hosts(sources, config, maps);
    std::string onward = hands_mail_on(config);
    if (!relays.empty() && !onward.empty())
        return decide(Role::RelayHub, describe_daemon(*smtp) + ", relays for other hosts (" +
                                          relays + ") and hands mail on (" + onward + ")");
    return decide(Role::Mx,
                  (smtp->is_default ? "no DaemonPortOptions: " : "") + describe_daemon(*smtp));
}

HostRole given_role(Role role, HostRole detected) {
    if (detected.role == Role::Msp && role != Role::Msp) {
        detected.why += "; --role " + std::string(to_string(role)) +
                        " is the host's role, not its submission program's";
        return detected;
    }
    detected.role = role;
    detected.given = true;
    return detected;
}

} // namespace smaudit::model
