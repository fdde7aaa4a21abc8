// SM-S020 greeting-reveals-version: the 220 greeting is the first thing every client (and every
// scanner) reads; it should not say which sendmail release answers (KB SEC-020, STIG GEN004560).
#include "rules/rule_support.hpp"

#include <cctype>
#include <optional>

namespace smaudit::rules {

namespace {

// sendmail's default when no SmtpGreetingMessage line exists (conf.c), and what cfhead.m4 writes.
constexpr std::string_view kBinaryDefault = "$j Sendmail $v ready at $b";
constexpr std::string_view kStockGreetings[] = {kBinaryDefault, "$j Sendmail $v/$Z; $b"};
constexpr int kMaxMacroDepth = 8; // macros may refer to each other, even in a loop

// One macro reference in a greeting: `$v`, `${v}`, `$&v`, `${Banner}`.
struct MacroRef {
    std::string name;
    uint32_t begin = 0, end = 0; // bytes in the text
};

// The macro references that expand to text. `$?x` (a conditional) only tests x; `$|` and `$.`
// belong to conditionals; other `$` operators are rule syntax and expand to nothing here.
std::vector<MacroRef> macro_refs(std::string_view text) {
    std::vector<MacroRef> refs;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '$') continue;
        size_t at = i + 1;
        bool conditional = text[at] == '?';
        if (conditional || text[at] == '&') ++at;
        if (at >= text.size()) break;
        std::string name;
        size_t end = at + 1;
        if (text[at] == '{') {
            size_t close = text.find('}', at);
            if (close == std::string_view::npos) break;
            name = std::string(text.substr(at + 1, close - at - 1));
            end = close + 1;
        } else if (std::isalnum(static_cast<unsigned char>(text[at]))) {
            name = std::string(1, text[at]);
        } else {
            i = at; // `$$`, `$|`, `$.`, ... : skip the operator character
            continue;
        }
        if (!conditional && !name.empty())
            refs.push_back({name, static_cast<uint32_t>(i), static_cast<uint32_t>(end)});
        i = end - 1;
    }
    return refs;
}

// A release number written out: at least three dot-separated numbers ("8.17.1").
bool has_literal_version(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
        if (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.'))
            continue;
        int numbers = 0;
        size_t j = i;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
            while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])))
                ++j;
            ++numbers;
            if (j + 1 < text.size() && text[j] == '.' &&
                std::isdigit(static_cast<unsigned char>(text[j + 1])))
                ++j;
            else
                break;
        }
        if (numbers >= 3) return true;
    }
    return false;
}

// Why a macro reveals the version, or nothing. `$v` is sendmail's own version; `$Z` is what the
// .cf's `DZ` line says (m4 writes the release there), empty when undefined; other macros reveal
// it when their value does. A one-character name in braces is the same macro: `${v}` is `$v`.
std::optional<std::string> macro_reveals(const model::Config& config, const std::string& name,
                                         int depth);

std::optional<std::string> text_reveals(const model::Config& config, std::string_view text,
                                        int depth) {
    for (const MacroRef& ref : macro_refs(text))
        if (auto why = macro_reveals(config, ref.name, depth)) return why;
    if (has_literal_version(text)) return "a release number written out";
    return std::nullopt;
}

std::optional<std::string> macro_reveals(const model::Config& config, const std::string& name,
                                         int depth) {
    if (name == "v") return "$v, sendmail's version";
    if (depth >= kMaxMacroDepth) return std::nullopt;
    auto it = config.macros.find(name);
    if (it == config.macros.end()) return std::nullopt; // undefined: expands to nothing
    if (name == "Z") { // m4 writes the release there; a value without digits is no version
        const std::string& value = it->second.value;
        for (char c : value)
            if (std::isdigit(static_cast<unsigned char>(c)))
                return "$Z, the configuration's version (" + value + ")";
    }
    auto why = text_reveals(config, it->second.value, depth + 1);
    if (!why) return std::nullopt;
    std::string shown = name.size() == 1 ? "$" + name : "${" + name + "}";
    return shown + ", whose value shows " + *why;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// The greeting without its version references, when they are written directly in it (`$v`,
// `${v}`, `$Z` with a versioned DZ): "$j Sendmail $v/$Z; $b" -> "$j Sendmail; $b". Null when the
// version comes another way (through another macro, or written out).
std::optional<std::string> without_version(const model::Config& config, std::string_view text) {
    std::vector<std::pair<uint32_t, uint32_t>> cut;
    for (const MacroRef& ref : macro_refs(text)) {
        if (!macro_reveals(config, ref.name, 0)) continue;
        if (ref.name != "v" && ref.name != "Z") return std::nullopt;
        // `$v/$Z`: the slash between two removed references goes too.
        if (!cut.empty() && ref.begin == cut.back().second + 1 && text[cut.back().second] == '/')
            cut.back().second = ref.end;
        else
            cut.emplace_back(ref.begin, ref.end);
    }
    std::string result;
    uint32_t from = 0;
    for (auto [begin, end] : cut) {
        // Drop the blank before the reference when punctuation or the end follows it.
        uint32_t keep_to = begin;
        if (keep_to > from && text[keep_to - 1] == ' ' &&
            (end == text.size() || text[end] == ';' || text[end] == ',' || text[end] == ' ' ||
             text[end] == ')'))
            --keep_to;
        result.append(text.substr(from, keep_to - from));
        from = end;
    }
    result.append(text.substr(from));
    if (has_literal_version(result) || trim(result).empty()) return std::nullopt;
    return result;
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const model::OptionValue* option = config.option("SmtpGreetingMessage");
    if (is_unset(option)) {
        // Configurations below level 7 (or without a V line) take the greeting from `De`.
        auto legacy = config.macros.find("e");
        bool old_level = config.version_level.empty() || leading_integer(config.version_level) < 7;
        if (old_level && legacy != config.macros.end()) {
            if (auto why = text_reveals(config, legacy->second.value, 0))
                out.report(legacy->second.where,
                           "the greeting (macro e, used below configuration level 7) shows " + *why,
                           "the greeting is set here");
            return;
        }
        Diagnostic& d = out.report_default(
            "SmtpGreetingMessage not set: sendmail's default `" + std::string(kBinaryDefault) +
            "` applies, so the greeting tells every client the sendmail version");
        if (auto edit = insert_option_line(context, "SmtpGreetingMessage", "$j"))
            d.fix = Fix{"set SmtpGreetingMessage to $j", true, {*edit}};
        return;
    }
    const model::OptionSetting& setting = option->settings.back();
    auto why = text_reveals(config, setting.value, 0);
    if (!why) return;
    Diagnostic& d = out.report(setting.value_where, "the greeting shows " + *why,
                               set_here(context, setting, "SmtpGreetingMessage"));
    // Dropping only the version keeps the rest of the text; a stock greeting is replaced with
    // `$j` (the FQDN must come first), and so is any other, but that changes more than the
    // version, hence unsafe.
    bool stock = false;
    for (std::string_view greeting : kStockGreetings)
        stock = stock || trim(setting.value) == greeting;
    if (!stock) {
        if (auto stripped = without_version(config, setting.value)) {
            if (auto edits = set_value(context, setting, "SmtpGreetingMessage", *stripped);
                !edits.empty()) {
                d.fix = Fix{"remove the version from SmtpGreetingMessage", true, std::move(edits)};
                return;
            }
        }
    }
    if (auto edits = set_value(context, setting, "SmtpGreetingMessage", "$j"); !edits.empty())
        d.fix = Fix{"set SmtpGreetingMessage to $j", stock, std::move(edits)};
}

} // namespace

extern const Rule kSM_S020 = {"SM-S020",
                              "greeting-reveals-version",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "the SMTP greeting tells every client the sendmail version",
                              "remove the version from SmtpGreetingMessage",
                              FixKind::Mixed,
                              &check};

} // namespace smaudit::rules
