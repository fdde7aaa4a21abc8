#include "relay/probe_forms.hpp"

namespace smaudit::relay {

std::vector<ProbeAddress> relay_probe_addresses(std::string_view hostname) {
    const std::string h(hostname);
    const std::string v(probe_victim_domain);
    const std::string short_host = h.substr(0, h.find('.'));
    return {
        {"plain", "<user@" + v + ">", true},
        {"no-angle-brackets", "user@" + v, true},
        {"trailing-dot", "<user@" + v + ".>", true},
        {"quoted-address", "<\"user@" + v + "\">", true},
        {"quoted-local-part-at-host", "<\"user@" + v + "\"@" + h + ">", true},
        {"percent-hack", "<user%" + v + "@" + h + ">", true},
        {"percent-hack-trailing-dot", "<user%" + v + "@" + h + ".>", true},
        {"percent-hack-short-host", "<user%" + v + "@" + short_host + ">", true},
        {"percent-hack-localhost", "<user%" + v + "@localhost>", true},
        {"percent-hack-ip-literal", "<user%" + v + "@[127.0.0.1]>", true},
        {"quoted-percent-hack", "<\"user%" + v + "\"@" + h + ">", true},
        {"bang-path", "<" + v + "!user>", true},
        {"bang-path-at-host", "<" + v + "!user@" + h + ">", true},
        {"quoted-bang-path", "<\"" + v + "!user\"@" + h + ">", true},
        {"bang-path-via-host", "<" + h + "!" + v + "!user>", true},
        {"source-route", "<@" + h + ":user@" + v + ">", true},
        {"at-in-local-part", "<user@" + v + "@" + h + ">", true},
        {"ip-literal", "<user@[192.0.2.1]>", true},
        {"local-postmaster", "<postmaster@" + h + ">", false},
        {"local-unqualified", "<postmaster>", false},
    };
}

std::vector<ProbeClient> outside_probe_clients() {
    return {
        {"outside-unresolved", Client{"192.0.2.7", "", false, ""}},
        {"outside-resolved", Client{"198.51.100.7", "mail.outside.example", true, ""}},
    };
}

std::vector<ProbeClient> all_probe_clients() {
    std::vector<ProbeClient> clients = outside_probe_clients();
    clients.push_back({"relay-network", Client{"10.1.2.3", "", false, ""}});
    clients.push_back({"loopback", Client{"127.0.0.1", "localhost", true, ""}});
    return clients;
}

} // namespace smaudit::relay
