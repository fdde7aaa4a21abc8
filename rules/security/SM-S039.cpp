// SM-S039 auth-password-in-clear: credentials sendmail uses as an SMTP client (AuthInfo: entries
// of the access map) that it may send in clear text, and the deprecated DefaultAuthInfo file
// (KB SEC-039). Whether the files holding them are readable by others needs the live tree.
#include "rules/tls_support.hpp"

#include <cctype>

namespace smaudit::rules {

namespace {

std::vector<std::string> words_upper(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == ',') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// The mechanisms of an AuthInfo value's "M:..." item (cf/README: a list delimited by spaces);
// nullopt when it has none (then AuthMechanisms applies).
std::optional<std::string_view> mechanisms_item(std::string_view value) {
    size_t at = value.find("\"M:");
    if (at == std::string_view::npos) return std::nullopt;
    at += 3;
    size_t end = value.find('"', at);
    return value.substr(at, end == std::string_view::npos ? value.size() - at : end - at);
}

// The plain-text mechanisms the client may use with this entry.
std::vector<std::string> plaintext_mechanisms(const model::Config& config, std::string_view value) {
    std::string_view list;
    if (std::optional<std::string_view> item = mechanisms_item(value)) {
        list = *item;
    } else {
        const model::OptionValue* mechanisms = config.option("AuthMechanisms");
        if (is_unset(mechanisms)) return {}; // conf.h's default has neither
        list = mechanisms->value;
    }
    std::vector<std::string> found;
    for (const std::string& word : words_upper(list))
        if ((word == "PLAIN" || word == "LOGIN") &&
            std::find(found.begin(), found.end(), word) == found.end())
            found.push_back(word);
    return found;
}

// A TLS_Srv: requirement that covers the server of `host` (the tls_server ruleset looks up
// the server's name and its parent domains, its address, then the tag alone) and makes an
// unencrypted session fail: ENCR:bits or VERIFY, with an optional PERM+/TEMP+ in front.
bool encryption_required(const RuleContext& context, std::string_view host) {
    const AccessFeatures requirements =
        access_features(context, ast::AccessTag::TlsSrv, "tls_server", "TLS_Srv");
    auto requires_tls = [](std::string_view value) {
        std::string upper;
        for (char c : value)
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (std::string_view prefix : {"PERM+", "TEMP+"})
            if (upper.starts_with(prefix)) upper.erase(0, prefix.size());
        return upper.starts_with("ENCR") || upper.starts_with("VERIFY");
    };
    if (requirements.fallback && requires_tls(requirements.fallback->value())) return true;
    const std::string wanted = model::to_lower(host);
    for (const AccessEntry& entry : requirements.per_host) {
        const std::string key = model::to_lower(entry.file->bare_key(*entry.entry));
        const bool covers =
            key == wanted || (wanted.size() > key.size() && wanted.ends_with("." + key));
        if (covers && requires_tls(entry.value())) return true;
    }
    return false;
}

void check_auth_info(const RuleContext& context, Emitter& out) {
    const AccessFeatures entries =
        access_features(context, ast::AccessTag::AuthInfo, "authinfo", "AuthInfo");
    std::vector<AccessEntry> all = entries.per_host;
    if (entries.fallback) all.push_back(*entries.fallback);
    for (const AccessEntry& entry : all) {
        const std::vector<std::string> plain = plaintext_mechanisms(context.config, entry.value());
        if (plain.empty()) continue;
        const std::string_view host = entry.file->bare_key(*entry.entry);
        if (encryption_required(context, host)) continue;
        const std::string server = host.empty()
                                       ? std::string("every server without an entry of its own")
                                       : std::string(host);
        const std::string tls_key = "TLS_Srv:" + std::string(host);
        out.report(entry.where(),
                   "the password of `" + std::string(entry.key()) + "` goes to " + server +
                       " with " + join_words(plain) +
                       ", which sends it as it is: sendmail authenticates on a session without "
                       "STARTTLS when the server offers none or an attacker strips the offer "
                       "(AuthOptions p does not stop the client), and no `" +
                       tls_key + " ENCR:128` entry requires encryption first",
                   "password may travel in clear");
    }
}

void check_default_auth_info(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("DefaultAuthInfo");
    if (is_unset(option) || option->value.empty()) return;
    const model::OptionSetting& setting = option->settings.back();
    const bool ignored = context.config.ruleset("authinfo") != nullptr;
    Diagnostic& d = out.report(
        setting.value_where,
        "DefaultAuthInfo names `" + setting.value +
            "`, a deprecated file of plain-text credentials for outgoing AUTH" +
            (ignored ? std::string(", and the .cf's authinfo ruleset makes sendmail ignore it "
                                   "(cf/README): any password in it is on disk for nothing")
                     : std::string(": it must be readable by root only (not checked from the "
                                   "files); use AuthInfo: entries in a map of their own")),
        set_here(context, setting, "DefaultAuthInfo"));
    d.severity = Severity::Low;
}

void check(const RuleContext& context, Emitter& out) {
    if (!context.config_present) return;
    check_auth_info(context, out);
    check_default_auth_info(context, out);
}

} // namespace

extern const Rule kSM_S039 = {"SM-S039",
                              "auth-password-in-clear",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "credentials for outgoing AUTH may be sent in clear text",
                              "require STARTTLS for the server (TLS_Srv:host ENCR:128)",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
