#include "sendmail_bt.hpp"

#include "../support/read_text.hpp"
#include "../support/run_command.hpp"
#include "../support/sendmail_command.hpp"

#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace fs = std::filesystem;

namespace smaudit::test {

namespace {

bool is_enhanced_code(std::string_view s) {
    // x.y.z with x in 2,4,5 and y, z digits (sendmail's isenhsc)
    size_t i = 0;
    if (s.empty() || (s[0] != '2' && s[0] != '4' && s[0] != '5')) return false;
    i = 1;
    for (int part = 0; part < 2; ++part) {
        if (i >= s.size() || s[i] != '.') return false;
        ++i;
        size_t start = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
            ++i;
        if (i == start) return false;
    }
    return i == s.size();
}

// -bt prints tokens separated by one blank; a quoted string is one token with its blanks.
std::vector<std::string> bt_tokens(std::string_view text) {
    std::vector<std::string> tokens;
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        std::string token;
        if (text[i] == '"') {
            token += text[i++];
            while (i < text.size() && text[i] != '"') {
                if (text[i] == '\\' && i + 1 < text.size()) token += text[i++];
                token += text[i++];
            }
            if (i < text.size()) token += text[i++];
        } else {
            while (i < text.size() && text[i] != ' ')
                token += text[i++];
        }
        tokens.push_back(std::move(token));
    }
    return tokens;
}

bool is_word(const std::string& token) {
    return !token.empty() && (std::isalnum(static_cast<unsigned char>(token[0])) ||
                              token[0] == '"' || token[0] == '_');
}

// cataddr(): tokens glued, with one blank between two words.
std::string glue(const std::vector<std::string>& tokens, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) {
        if (i > from && is_word(tokens[i - 1]) && is_word(tokens[i])) out += ' ';
        out += tokens[i];
    }
    return out;
}

std::string strip_quotes(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            out += s[++i];
            continue;
        }
        if (s[i] != '"') out += s[i];
    }
    return out;
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    size_t b = 0;
    while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    return s.substr(b);
}

// The output of each input line: -bt prints "> " before reading a line, so chunk k + 1 is what
// input line k printed (chunk 0 is the banner, the last one the prompt that met end of input).
std::vector<std::string> split_by_prompts(const std::string& out) {
    std::vector<std::string> chunks(1);
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        std::string_view rest = line;
        while (rest.starts_with("> ") || rest == ">") {
            chunks.emplace_back();
            rest.remove_prefix(rest.size() == 1 ? 1 : 2);
        }
        if (!rest.empty()) {
            chunks.back() += rest;
            chunks.back() += '\n';
        }
    }
    return chunks;
}

// The last "NAME  returns: ..." line of a chunk (nested calls print theirs before).
std::optional<std::string> returns_of(const std::string& chunk, const std::string& ruleset) {
    std::optional<std::string> found;
    std::istringstream lines(chunk);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.starts_with(ruleset + " ")) continue;
        const size_t at = line.find("returns: ");
        if (at == std::string::npos) continue;
        if (trim(line.substr(ruleset.size(), at - ruleset.size())) != "") continue;
        found = line.substr(at + 9);
    }
    return found;
}

std::string client_name_of(const relay::Client& client) {
    return client.name.empty() ? "[" + client.addr + "]" : client.name;
}

std::string client_resolve_of(const relay::Client& client) {
    if (!client.resolve.empty()) return client.resolve;
    return client.name_resolves && !client.name.empty() ? "OK" : "FAIL";
}

// $f as setsender() makes it: the sender through rulesets 3, 1 and 4 (final), which for the
// plain addresses the probes use is the address without its brackets, and empty for "<>".
std::string sender_macro_of(const std::string& address) {
    if (address == "<>") return "";
    if (address.size() >= 2 && address.front() == '<' && address.back() == '>')
        return address.substr(1, address.size() - 2);
    return address;
}

// The configured DeliveryMode's letter, as the daemon's {deliveryMode} holds it (a daemon whose
// check_rcpt replied with the macro said b without the option, d for deferred): the value's first
// character, i for an empty value; sendmail refuses a configuration with any other letter.
std::string delivery_mode_of(const fs::path& cf) {
    std::string mode = "b"; // sendmail's default, background
    std::ifstream in(cf);
    std::string line;
    while (std::getline(in, line)) {
        std::string value;
        if (line.starts_with("O DeliveryMode="))
            value = line.substr(15);
        else if (line.starts_with("Od"))
            value = line.substr(2);
        else
            continue;
        mode = value.empty() || std::isspace(static_cast<unsigned char>(value[0]))
                   ? "i"
                   : value.substr(0, 1);
    }
    return mode;
}

bool write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

// Every hash/btree map and every class file the .cf reads from `dir` exists, empty when the
// variant gave none, so that sendmail and the simulator read the same (empty) data.
std::string complete_files(const fs::path& cf, const fs::path& dir) {
    std::ifstream in(cf);
    std::string line;
    const std::string prefix = dir.string() + "/";
    while (std::getline(in, line)) {
        if (line.empty() || (line[0] != 'K' && line[0] != 'F')) continue;
        std::istringstream words(line);
        std::string word, type, path;
        words >> word;
        if (line[0] == 'K') words >> type;
        while (words >> word)
            if (word.starts_with(prefix)) path = word;
        if (path.empty()) continue;
        if (line[0] == 'F') {
            if (!fs::exists(path)) write_file(path, "");
            continue;
        }
        if (type != "hash" && type != "btree") continue;
        if (path.ends_with(".db")) path.resize(path.size() - 3); // sendmail adds it itself
        if (fs::exists(path + ".db")) continue;
        if (!fs::exists(path)) write_file(path, "");
        const CommandResult made = run_command("makemap " + type + " " + shell_quote(path) + " < " +
                                               shell_quote(path) + " 2>&1");
        if (made.code != 0) return "makemap " + path + ": " + made.out;
    }
    return {};
}

// The reply of a syserr() -bt printed while it rewrote (the line without the code sendmail gives
// it): the daemon refuses the MAIL or RCPT command it happens in (`sendmail -bs`: "554 5.3.5
// Infinite loop in ruleset check_rcpt, rule 1", "554 5.0.0 rewrite: excessive recursion ...").
std::optional<std::string> system_error_reply(const std::string& line) {
    static const std::pair<std::string_view, std::string_view> kSystemErrors[] = {
        {"Infinite loop in ruleset ", "554 5.3.5 "},
        {"rewrite: excessive recursion ", "554 5.0.0 "},
        {"rewrite: map ", "554 5.3.0 "}, // "rewrite: map X not found"
        {"rewrite: missing mapname", "554 5.3.0 "},
        {"Unknown ruleset ", "554 5.3.5 "},
        {"Too many subroutine calls ", "554 5.3.0 "},
        {"rewrite: expansion too long", "554 5.3.0 "},
        {"rewrite: ruleset ", "554 5.3.5 "}, // "...: replacement $N out of bounds"
    };
    for (const auto& [start, code] : kSystemErrors)
        if (line.starts_with(start)) return std::string(code) + line;
    return std::nullopt;
}

} // namespace

std::string bt_hosts_file(const std::string& hostname) {
    const std::string short_name = hostname.substr(0, hostname.find('.'));
    // The host name on the loopback address: class w gets [127.0.0.1] from it, as a daemon
    // gets it from probing its interfaces (which the harness turns off: the machine's own
    // addresses must not count).
    return "127.0.0.1 localhost\n127.0.0.1 " + hostname + " " + short_name + "\n";
}

BtVerdict verdict_of_error(const std::string& host, const std::string& user_text) {
    BtVerdict v;
    const std::string text = strip_quotes(user_text);
    const bool has_code = text.size() >= 4 && std::isdigit(static_cast<unsigned char>(text[0])) &&
                          std::isdigit(static_cast<unsigned char>(text[1])) &&
                          std::isdigit(static_cast<unsigned char>(text[2])) && text[3] == ' ';
    std::string message;
    if (has_code) {
        v.code = text.substr(0, 3);
        std::string rest = text.substr(4);
        const size_t blank = rest.find(' ');
        if (is_enhanced_code(rest.substr(0, blank))) {
            v.dsn = rest.substr(0, blank);
            message = blank == std::string::npos ? "" : rest.substr(blank + 1);
        } else {
            if (is_enhanced_code(host)) v.dsn = host;
            message = rest;
        }
    } else {
        v.code = "553";
        v.dsn = "5.3.0";
        message = text;
    }
    // usrerr() gives a reply without an enhanced code the default of its class (err.c)
    if (v.dsn.empty() && (v.code[0] == '4' || v.code[0] == '5' || v.code[0] == '2'))
        v.dsn = std::string(1, v.code[0]) + ".0.0";
    v.verdict = v.code[0] == '4' ? relay::Verdict::tempfail : relay::Verdict::rejected;
    v.reply = trim(v.code + " " + (v.dsn.empty() ? "" : v.dsn + " ") + trim(message));
    return v;
}

BtVerdict verdict_of_result(const std::string& returned) {
    const std::vector<std::string> tokens = bt_tokens(returned);
    BtVerdict accepted;
    accepted.verdict = relay::Verdict::accepted;
    accepted.returned = returned;
    if (tokens.size() < 2 || tokens[0] != "$#") return accepted;
    if (tokens[1] == "discard") {
        accepted.discarded = true;
        return accepted;
    }
    if (tokens[1] != "error") return accepted;
    size_t host_at = tokens.size(), user_at = tokens.size();
    for (size_t i = 2; i < tokens.size(); ++i) {
        if (tokens[i] == "$@" && host_at == tokens.size()) host_at = i;
        if (tokens[i] == "$:" && user_at == tokens.size()) user_at = i;
    }
    std::string host;
    if (host_at < user_at)
        for (size_t i = host_at + 1; i < user_at; ++i)
            host += tokens[i];
    if (host == "quarantine") return accepted;
    const std::string user =
        user_at < tokens.size() ? glue(tokens, user_at + 1, tokens.size()) : std::string();
    BtVerdict v = verdict_of_error(host, user);
    v.returned = returned;
    return v;
}

BtRun run_sendmail_bt(const fs::path& cf, const std::string& hostname,
                      const std::vector<relay::Probe>& probes) {
    BtRun run;
    const fs::path dir = cf.parent_path();
    const fs::path hosts = dir / "bt-hosts";
    write_file(hosts, bt_hosts_file(hostname));

    // Which input line (0-based) is each probe's check_relay; the others follow it.
    std::string input = ".D{deliveryMode}" + delivery_mode_of(cf) + "\n.D{daemon_flags}\n";
    size_t line_no = 2;
    std::vector<size_t> first_check;
    for (const relay::Probe& p : probes) {
        const std::string name = client_name_of(p.client);
        input += ".D{client_addr}" + p.client.addr + "\n";
        input += ".D{client_name}" + name + "\n";
        input += ".D{client_ptr}" + name + "\n";
        input += ".D{client_resolve}" + client_resolve_of(p.client) + "\n";
        input += ".D{addr_type}\n";
        input += ".Df\n";
        input += ".D{mail_from}\n";
        line_no += 7;
        first_check.push_back(line_no);
        input += "smaudit_check_relay x\n";
        input += ".D{addr_type}e s\n";
        input += "/tryflags es\n"; // /parse as setsender() parses: an envelope sender
        input += "/parse " + p.mail_from + "\n";
        input += ".Df" + sender_macro_of(p.mail_from) + "\n";
        input += ".D{mail_from}" + p.mail_from + "\n";
        input += "check_mail " + p.mail_from + "\n";
        input += ".D{addr_type}e r\n";
        input += "/tryflags er\n";
        input += "/parse " + p.rcpt + "\n";
        input += "check_rcpt " + p.rcpt + "\n";
        line_no += 11;
    }
    // -bt does not read "$|" in an input line as the operator, so check_relay's two-part argument
    // comes from a ruleset of our own (in a copy of the .cf) built from the client macros, as
    // rscheck() builds it.
    const fs::path bt_cf = dir / ("bt-" + cf.filename().string());
    write_file(bt_cf, read_whole_file(cf) +
                          "\nSsmaudit_check_relay\n"
                          "R$*\t\t$@ $>check_relay $&{client_name} $| $&{client_addr}\n");
    const fs::path input_file = dir / "bt-input";
    const fs::path stderr_file = dir / "bt-stderr";
    write_file(input_file, input);
    const std::string command =
        "cd " + shell_quote(dir.string()) + " && " + sendmail_shell_prefix_with_hosts(hosts) +
        "hostname " + hostname + "; exec sendmail -C \"" + bt_cf.filename().string() +
        "\" -O ServiceSwitchFile=/etc/mail/service.switch-nodns -O DontProbeInterfaces=true "
        // the maps live under /tmp, which is world-writable: sendmail would refuse them
        "-O DontBlameSendmail=MapInUnsafeDirPath,ClassFileInUnsafeDirPath -bt' < " +
        shell_quote(input_file.string()) + " 2> " + shell_quote(stderr_file.string());
    const CommandResult result = run_command(command);
    run.stderr_text = read_whole_file(stderr_file);
    const std::vector<std::string> chunks = split_by_prompts(result.out);
    if (chunks.size() != line_no + 2) {
        run.error = "sendmail -bt answered " + std::to_string(chunks.size()) + " prompts for " +
                    std::to_string(line_no) + " input lines (exit " + std::to_string(result.code) +
                    "): " + run.stderr_text;
        return run;
    }
    auto check = [&](size_t line, const std::string& ruleset,
                     BtVerdict& out) -> bool { // true: decided (rejected or tempfailed)
        const std::string& chunk = chunks[line + 1];
        // no such ruleset: nothing to check (delay_checks has no check_relay, for one)
        if (chunk.find("Undefined ruleset " + ruleset) != std::string::npos ||
            chunk.find("Unknown ruleset " + ruleset) != std::string::npos)
            return false;
        if (ruleset != "check_relay") { // one at connection time does not end the session
            std::istringstream lines(chunk);
            std::string text;
            while (std::getline(lines, text))
                if (const std::optional<std::string> reply = system_error_reply(text)) {
                    out = verdict_of_error("", *reply);
                    out.stage = ruleset;
                    out.returned = text;
                    return true;
                }
        }
        const std::optional<std::string> returned = returns_of(chunk, ruleset);
        if (!returned) {
            if (run.error.empty())
                run.error = "no '" + ruleset + " returns:' in: " + chunk.substr(0, 2000);
            return false;
        }
        BtVerdict v = verdict_of_result(*returned);
        if (v.verdict == relay::Verdict::accepted) {
            if (v.discarded) out.discarded = true;
            return false;
        }
        v.stage = ruleset;
        v.discarded = out.discarded;
        out = v;
        return true;
    };
    // prescan's usrerr() ("ADDR... Unbalanced '<'", printed before the rulesets run) refuses the
    // address even where prescan patched it and -bt goes on to print a mailer: 553, with 5.1.0
    // for a too long address, else no enhanced code (x.0.0), as `sendmail -bs` answers.
    auto prescan_refusal = [](const std::string& message, const std::string& stage) {
        const size_t dots = message.find("... ");
        const std::string text = dots == std::string::npos ? message : message.substr(dots + 4);
        const bool too_long = text.find("too many tokens") != std::string::npos ||
                              text.find("too long") != std::string::npos;
        BtVerdict v = verdict_of_error(too_long ? "5.1.0" : "", "553 " + text);
        v.stage = stage;
        v.returned = message;
        return v;
    };
    auto parse = [&](size_t line, const std::string& stage, BtVerdict& out) -> bool {
        std::istringstream lines(chunks[line + 1]);
        std::string text, last_message, prescan_error;
        bool rulesets_ran = false;
        while (std::getline(lines, text)) {
            const bool trace = text.find(" input: ") != std::string::npos ||
                               text.find(" returns: ") != std::string::npos;
            rulesets_ran = rulesets_ran || trace;
            if (!rulesets_ran && prescan_error.empty() && text.find("... ") != std::string::npos)
                prescan_error = text;
            if (prescan_error.empty())
                if (const std::optional<std::string> reply = system_error_reply(text)) {
                    out = verdict_of_error("", *reply);
                    out.stage = stage;
                    out.returned = text;
                    return true;
                }
            if (text.starts_with("mailer ")) {
                if (!prescan_error.empty()) {
                    out = prescan_refusal(prescan_error, stage);
                    return true;
                }
                if (!text.starts_with("mailer *error*")) {
                    if (stage == "parse_rcpt") out.rcpt_mailer = text.substr(7, text.find(',') - 7);
                    return false;
                }
                // "mailer *error*, host 5.1.3, user "553 Invalid route address""
                std::string host;
                const size_t host_at = text.find(", host ");
                const size_t user_at = text.find(", user ");
                if (host_at != std::string::npos && user_at != std::string::npos)
                    host = text.substr(host_at + 7, user_at - host_at - 7);
                const std::string user =
                    user_at == std::string::npos ? "" : text.substr(user_at + 7);
                // buildaddr's syserr() ("buildaddr: unknown mailer foo" before an empty
                // triple): the daemon answers 554 5.3.5 with the message
                BtVerdict v = last_message.starts_with("buildaddr: ") && user.empty()
                                  ? verdict_of_error("", "554 5.3.5 " + last_message)
                                  : verdict_of_error(host, user);
                v.stage = stage;
                v.returned = text;
                out = v;
                return true;
            }
            if (!text.starts_with("Cracked address") && !text.starts_with("Parsing envelope") &&
                !trace)
                last_message = text;
        }
        // prescan returned nothing to parse: no mailer line
        out = prescan_refusal(prescan_error.empty() ? last_message : prescan_error, stage);
        return true;
    };
    for (size_t i = 0; i < probes.size(); ++i) {
        const size_t at = first_check[i];
        BtVerdict v;
        v.verdict = relay::Verdict::accepted;
        if (!check(at, "check_relay", v) && !parse(at + 3, "parse_mail", v) &&
            !check(at + 6, "check_mail", v) && !parse(at + 9, "parse_rcpt", v) &&
            !check(at + 10, "check_rcpt", v))
            v.verdict = relay::Verdict::accepted;
        run.verdicts.push_back(v);
    }
    return run;
}

PreparedConfig prepare_mc_variant(const fs::path& mc, const fs::path& dir) {
    PreparedConfig prepared;
    const std::string stem = mc.stem().string();
    const fs::path local_mc = dir / (stem + ".mc");
    write_file(local_mc,
               "define(`MAIL_SETTINGS_DIR', `" + dir.string() + "/')dnl\n" + read_whole_file(mc));
    for (const char* companion : {"access", "relay-domains", "local-host-names"}) {
        const fs::path source = mc.parent_path() / (stem + "." + companion);
        if (fs::exists(source)) fs::copy_file(source, dir / companion);
    }
    prepared.cf = dir / (stem + ".cf");
    const CommandResult m4 = run_command(
        "cd /usr/share/sendmail/cf/cf && m4 ../m4/cf.m4 " + shell_quote(local_mc.string()) + " > " +
        shell_quote(prepared.cf.string()) + " 2> " + shell_quote((dir / "m4-stderr").string()));
    if (m4.code != 0) {
        prepared.error = "m4 failed on " + mc.string() + ": " + read_whole_file(dir / "m4-stderr");
        return prepared;
    }
    prepared.error = complete_files(prepared.cf, dir);
    return prepared;
}

PreparedConfig prepare_foreign_cf(const fs::path& cf, const fs::path& dir) {
    PreparedConfig prepared;
    std::string text = read_whole_file(cf);
    const std::string from = "/etc/mail/";
    const std::string to = dir.string() + "/";
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    prepared.cf = dir / "sendmail.cf";
    write_file(prepared.cf, text);
    prepared.error = complete_files(prepared.cf, dir);
    return prepared;
}

} // namespace smaudit::test
