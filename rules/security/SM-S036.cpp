// SM-S036 weak-tls-parameters: the STARTTLS options ask OpenSSL for weak cipher suites, lower
// its security level to 0, clear protections OpenSSL and sendmail set by default, or give
// Diffie-Hellman a 512- or 1024-bit prime (KB SEC-036).
#include "rules/tls_support.hpp"

#include <algorithm>
#include <array>

namespace smaudit::rules {

namespace {

// OpenSSL cipher-string classes that name weak suites (ciphers(1)): no encryption, no
// authentication, export grade, 56/64-bit, RC4, (3)DES, MD5 MACs.
constexpr std::array<std::string_view, 13> kWeakClasses = {
    "NULL", "eNULL", "aNULL", "ADH",  "AECDH", "EXP",  "EXPORT",
    "LOW",  "RC4",   "DES",   "3DES", "MD5",   "SSLv2"};

bool is_weak_class(std::string_view word) {
    return std::any_of(kWeakClasses.begin(), kWeakClasses.end(),
                       [&](std::string_view weak) { return equals_ignore_case(word, weak); });
}

std::vector<std::string_view> words_of(std::string_view text, std::string_view separators) {
    std::vector<std::string_view> words;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find_first_of(separators, at);
        if (end == std::string_view::npos) end = text.size();
        if (end > at) words.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return words;
}

// The weak classes a cipher string leaves enabled, in the order it adds them: `X` or `A+X`
// adds X, `-X` takes it out (later words may add it again), `!X` takes it out for good;
// `+X` alone only moves suites already there.
struct CipherVerdict {
    std::vector<std::string> weak;
    bool security_level_zero = false;
};
CipherVerdict read_cipher_list(std::string_view value) {
    CipherVerdict verdict;
    std::vector<std::string> banned;
    auto has = [](const std::vector<std::string>& list, const std::string& word) {
        return std::find(list.begin(), list.end(), word) != list.end();
    };
    for (std::string_view word : words_of(value, ": ,")) {
        if (equals_ignore_case(word, "@SECLEVEL=0")) {
            verdict.security_level_zero = true;
            continue;
        }
        const char sign = word.front();
        if (sign == '!' || sign == '-' || sign == '+') word.remove_prefix(1);
        for (std::string_view part : words_of(word, "+")) {
            if (!is_weak_class(part)) continue;
            std::string name(part);
            if (sign == '!' || sign == '-') {
                verdict.weak.erase(std::remove(verdict.weak.begin(), verdict.weak.end(), name),
                                   verdict.weak.end());
                if (sign == '!') banned.push_back(name);
            } else if (sign != '+' && !has(banned, name) && !has(verdict.weak, name)) {
                verdict.weak.push_back(name);
            }
        }
    }
    return verdict;
}

void check_cipher_list(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("CipherList");
    if (is_unset(option)) return;
    const model::OptionSetting& setting = option->settings.back();
    const CipherVerdict verdict = read_cipher_list(setting.value);
    if (verdict.security_level_zero) {
        Diagnostic& d = out.report(
            setting.value_where,
            "CipherList `" + setting.value +
                "` lowers OpenSSL's security level to 0: every suite the list names becomes "
                "usable, anonymous ones included (with it any client negotiates "
                "ADH-AES256-GCM-SHA384, no certificate, so an attacker in the middle goes "
                "unnoticed)",
            "@SECLEVEL=0");
        d.severity = Severity::High;
        return;
    }
    if (verdict.weak.empty()) return;
    out.report(setting.value_where,
               "CipherList `" + setting.value + "` asks OpenSSL for weak cipher suites (" +
                   join_words(verdict.weak) +
                   "): which of them a session can use depends on the OpenSSL version and "
                   "its security level (OpenSSL 3.0 at its default level still refused "
                   "anonymous and null suites), but a list that asks for them gets them "
                   "wherever the library allows",
               "weak cipher suites");
}

// Options that keep broken protocol features off; a `-` in front clears them (OpenSSL 1.1.0 and
// later set SSL_OP_NO_COMPRESSION by default, sendmail's ClientSSLOptions default has
// SSL_OP_NO_SSLv2).
constexpr std::array<std::string_view, 3> kDefaultProtections = {
    "SSL_OP_NO_SSLv2", "SSL_OP_NO_SSLv3", "SSL_OP_NO_COMPRESSION"};

void check_ssl_options(const RuleContext& context, Emitter& out, std::string_view name) {
    const model::OptionValue* option = context.config.option(name);
    if (is_unset(option)) return;
    const model::OptionSetting& setting = option->settings.back();
    std::vector<std::string> cleared, reasons;
    // readssloptions() (readcf.c): words between blanks or commas, `-` clears, `+` sets.
    for (std::string_view word : words_of(setting.value, " \t,")) {
        if (word.front() != '-') continue;
        word.remove_prefix(1);
        for (std::string_view protection : kDefaultProtections)
            if (equals_ignore_case(word, protection)) {
                cleared.emplace_back(word);
                reasons.emplace_back(protection == "SSL_OP_NO_COMPRESSION"
                                         ? "TLS compression leaks secrets (CRIME)"
                                         : std::string(protection.substr(10)) +
                                               (protection == "SSL_OP_NO_SSLv2"
                                                    ? " is broken (DROWN)"
                                                    : " is broken (POODLE)"));
            }
    }
    if (cleared.empty()) return;
    out.report(setting.value_where,
               std::string(name) + " clears " + join_words(cleared) +
                   ", which keeps weak protocol features off: " + join_words(reasons),
               "clears a protection");
}

void check_dh_parameters(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("DHParameters");
    if (is_unset(option) || option->value.empty()) return;
    const model::OptionSetting& setting = option->settings.back();
    // tls.c inittls() reads the first character only: 5 is a fixed 512-bit prime, 1 a 1024-bit
    // one generated at start.
    const char first = setting.value.front();
    if (first != '5' && first != '1') return;
    const bool export_grade = first == '5';
    Diagnostic& d = out.report(
        setting.value_where,
        "DHParameters `" + setting.value + "` gives Diffie-Hellman a " +
            (export_grade ? "fixed 512-bit prime (export grade, broken by Logjam)"
                          : "1024-bit prime (within reach of a well-funded attacker, Logjam)") +
            "; sendmail's default `i` uses a fixed 2048-bit prime",
        export_grade ? "512-bit prime" : "1024-bit prime");
    if (export_grade) d.severity = Severity::High;
}

void check(const RuleContext& context, Emitter& out) {
    if (!context.config_present) return;
    check_cipher_list(context, out);
    check_ssl_options(context, out, "ServerSSLOptions");
    check_ssl_options(context, out, "ClientSSLOptions");
    check_dh_parameters(context, out);
}

} // namespace

extern const Rule kSM_S036 = {"SM-S036",
                              "weak-tls-parameters",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "STARTTLS options allow weak cipher suites, protocols or primes",
                              "no weak classes in CipherList, no cleared protections, "
                              "DHParameters i, 2 or a 2048-bit file",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
