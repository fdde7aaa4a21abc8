#include "app/relay_test.hpp"

#include "app/audit.hpp"
#include "app/mc_config.hpp"
#include "app/referenced_files.hpp"
#include "parse/cf_parser.hpp"
#include "relay/simulate.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

namespace smaudit {

CLI::App* add_relay_test_command(CLI::App& app, RelayTestOptions& o) {
    CLI::App* cmd = app.add_subcommand(
        "relay-test", "Run one SMTP transaction (check_relay; MAIL FROM and RCPT TO parsed, then "
                      "check_mail and check_rcpt) through the "
                      "configuration's own rulesets, as sendmail would; nothing is contacted or "
                      "run (docs/relay-test.md)");
    cmd->add_option("config", o.config, "The .cf (or .mc, simulated through its expansion)")
        ->required();
    cmd->add_option("--hostname", o.hostname,
                    "The server's FQDN: $j, $w, $m, class w "
                    "(default: this machine's name)");
    cmd->add_option("--client-addr", o.client_addr, "The client's IP address ({client_addr})")
        ->capture_default_str();
    cmd->add_option("--client-name", o.client_name,
                    "The client's resolved host name ({client_name}; default: none, so "
                    "[addr] and {client_resolve} FAIL)");
    cmd->add_option("--rcpt", o.rcpt, "The RCPT TO argument")->capture_default_str();
    cmd->add_option("--from", o.from, "The MAIL FROM argument")->capture_default_str();
    cmd->add_option("--auth", o.auth,
                    "The client authenticated: MECH:USER ({auth_type}, "
                    "{auth_authen})");
    cmd->add_option("--hosts", o.hosts_file,
                    "A hosts(5) file for $[ name $] and host maps (default: no name resolves)")
        ->type_name("FILE");
    cmd->add_option("--root", o.root,
                    "Read the files the configuration names (F classes, K "
                    "maps, /etc/passwd) under this directory")
        ->type_name("DIR");
    cmd->add_option("--cf-dir", o.cf_dir, "sendmail's cf tree for an .mc");
    cmd->add_option("--bt", o.bt_line,
                    "Address test mode: `RULESETS ADDRESS` as typed to sendmail -bt (\"3,0 "
                    "<u@example.org>\"); prints each ruleset call as -bt does")
        ->type_name("LINE");
    cmd->add_flag("--trace", o.trace, "Print each ruleset call as `sendmail -bt` prints it");
    cmd->add_option("--format", o.format, "Output format")
        ->check(CLI::IsMember({"terminal", "json"}))
        ->capture_default_str();
    return cmd;
}

namespace {

std::map<std::string, std::string> read_hosts(const std::string& text) {
    std::map<std::string, std::string> hosts;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        line = line.substr(0, line.find('#'));
        std::istringstream words(line);
        std::string addr, canonical, alias;
        if (!(words >> addr >> canonical)) continue;
        hosts.emplace(canonical, canonical);
        while (words >> alias)
            hosts.emplace(alias, canonical);
    }
    return hosts;
}

} // namespace

int run_relay_test(const RelayTestOptions& o) {
    SourceSet sources;
    std::string text, error;
    if (!read_file_text(o.config, text, error)) {
        std::cerr << "smaudit: " << o.config << ": " << error << "\n";
        return 2;
    }
    std::vector<Diagnostic> diagnostics;
    model::Config config;
    bool is_mc = o.config.ends_with(".mc");
    FileId id = sources.add(o.config, std::move(text), is_mc ? FileKind::Mc : FileKind::Cf);
    // An .mc: its rules' places are in the .mc (or nowhere: text of the cf tree); the expanded
    // .cf text is modelled too, for the line a rule has there (`smaudit expand` prints it).
    std::optional<model::Config> expanded;
    if (is_mc) {
        McConfig mc = build_mc_config(sources, id, o.cf_dir, diagnostics);
        config = std::move(mc.config);
        if (mc.generated != kNoFile) {
            std::vector<Diagnostic> ignored;
            ast::CfFile cf = parse_cf(sources, mc.generated, ignored);
            expanded = model::build_config(sources, cf, ignored);
        }
    } else {
        ast::CfFile cf = parse_cf(sources, id, diagnostics);
        config = model::build_config(sources, cf, diagnostics);
    }

    relay::Environment env;
    env.hostname = o.hostname;
    env.root = o.root;
    RootedTree tree(o.root.empty() ? "/" : o.root);
    env.locate = [&tree](std::string_view path) -> std::optional<std::string> {
        RootedTree::Resolved found = tree.resolve(path);
        if (found.presence != model::Presence::Present) return std::nullopt;
        return found.host_path;
    };
    if (!o.hosts_file.empty()) {
        std::string hosts;
        if (!read_file_text(o.hosts_file, hosts, error)) {
            std::cerr << "smaudit: " << o.hosts_file << ": " << error << "\n";
            return 2;
        }
        env.hosts = read_hosts(hosts);
    }
    relay::Probe probe;
    probe.client.addr = o.client_addr;
    probe.client.name = o.client_name;
    probe.mail_from = o.from;
    probe.rcpt = o.rcpt;
    probe.auth = o.auth;

    relay::Simulator simulator(config, env);
    if (!o.bt_line.empty()) {
        size_t blank = o.bt_line.find_first_of(" \t");
        std::string sets = o.bt_line.substr(0, blank);
        std::string address =
            blank == std::string::npos ? std::string() : o.bt_line.substr(blank + 1);
        relay::Outcome tested = simulator.rewrite(sets, address, probe);
        for (const std::string& l : relay::format_trace(tested.trace))
            std::cout << l << "\n";
        return tested.loop ? 2 : 0;
    }
    relay::Outcome outcome = simulator.run(probe);
    std::vector<std::string> notes = simulator.notes();
    notes.insert(notes.end(), outcome.notes.begin(), outcome.notes.end());

    std::string path;
    uint32_t line = 0;
    if (outcome.rule && outcome.rule->where.valid()) {
        path = sources.get(outcome.rule->where.file).path();
        line = sources.line_of(outcome.rule->where);
    }
    uint32_t expanded_line = 0;
    if (expanded && outcome.rule)
        if (const model::RulesetDef* set = expanded->ruleset(outcome.rule->ruleset);
            set && outcome.rule->index < set->rules.size())
            expanded_line = sources.line_of(set->rules[outcome.rule->index].where);
    if (o.format == "json") {
        nlohmann::ordered_json out;
        out["verdict"] = std::string(relay::to_string(outcome.verdict));
        out["reply"] = outcome.reply ? nlohmann::ordered_json(bytes_to_utf8(*outcome.reply))
                                     : nlohmann::ordered_json(nullptr);
        out["ruleset"] = outcome.deciding_ruleset;
        if (outcome.rule) {
            out["rule"] = {{"ruleset", outcome.rule->ruleset}, {"index", outcome.rule->index}};
        } else {
            out["rule"] = nullptr;
        }
        out["path"] = path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(path);
        out["line"] = line ? nlohmann::ordered_json(line) : nlohmann::ordered_json(nullptr);
        if (is_mc)
            out["expanded_line"] = expanded_line ? nlohmann::ordered_json(expanded_line)
                                                 : nlohmann::ordered_json(nullptr);
        out["rcpt_mailer"] = outcome.rcpt_mailer.empty()
                                 ? nlohmann::ordered_json(nullptr)
                                 : nlohmann::ordered_json(bytes_to_utf8(outcome.rcpt_mailer));
        out["rcpt_local"] = outcome.rcpt_local;
        out["used_unavailable_map"] = outcome.used_unavailable_map;
        out["unavailable_maps"] = outcome.unavailable_maps;
        out["loop"] = outcome.loop;
        nlohmann::ordered_json note_list = nlohmann::ordered_json::array();
        for (const std::string& n : notes)
            note_list.push_back(bytes_to_utf8(n));
        out["notes"] = note_list;
        nlohmann::ordered_json trace = nlohmann::ordered_json::array();
        for (const relay::Step& step : outcome.trace) {
            if (!step.message.empty()) {
                trace.push_back({{"depth", step.depth}, {"message", bytes_to_utf8(step.message)}});
                continue;
            }
            trace.push_back({{"ruleset", bytes_to_utf8(step.ruleset)},
                             {"depth", step.depth},
                             {"input", bytes_to_utf8(step.input)},
                             {"output", bytes_to_utf8(step.output)}});
        }
        out["trace"] = trace;
        std::cout << out.dump(2) << "\n";
    } else {
        if (o.trace)
            for (const std::string& l : relay::format_trace(outcome.trace))
                std::cout << l << "\n";
        std::cout << "verdict: " << relay::to_string(outcome.verdict) << "\n";
        if (outcome.reply) std::cout << "reply: " << *outcome.reply << "\n";
        if (!outcome.deciding_ruleset.empty())
            std::cout << "decided in: " << outcome.deciding_ruleset;
        if (outcome.rule) {
            std::cout << " (rule " << outcome.rule->index + 1 << " of " << outcome.rule->ruleset;
            if (line) std::cout << ", " << path << ":" << line;
            if (expanded_line) std::cout << ", line " << expanded_line << " of the expanded .cf";
            std::cout << ")";
        }
        if (!outcome.deciding_ruleset.empty()) std::cout << "\n";
        if (!outcome.rcpt_mailer.empty())
            std::cout << "recipient's mailer: " << outcome.rcpt_mailer
                      << (outcome.rcpt_local ? " (local: delivered on this host, not relayed)" : "")
                      << "\n";
        if (outcome.used_unavailable_map) {
            std::cout << "depended on maps smaudit never consults:";
            for (const std::string& m : outcome.unavailable_maps)
                std::cout << " " << m;
            std::cout << "\n";
        }
        for (const std::string& n : notes)
            std::cout << "note: " << n << "\n";
    }
    if (outcome.verdict == relay::Verdict::unknown) return 2;
    return outcome.verdict == relay::Verdict::accepted ? 0 : 1;
}

} // namespace smaudit
