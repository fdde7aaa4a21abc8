// Judging a configuration by a policy: values read as sendmail reads them (rules/rule_support,
// model/duration), findings placed as built-in rules place theirs (the line that set the value,
// the .mc's define for an .mc; the configuration's file when a default applies).
#include "policy/policy.hpp"

#include "model/duration.hpp"
#include "model/option_table.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace smaudit::policy {

namespace {

using rules::FlagSeparators;

// Long values (an alias with thousands of members) are matched on their first bytes only:
// std::regex recurses per character and must not run out of stack on hostile input.
constexpr size_t kMaxMatchedBytes = 4096;

bool matches(const Pattern& pattern, std::string_view text) {
    text = text.substr(0, std::min(text.size(), kMaxMatchedBytes));
    return std::regex_search(text.begin(), text.end(), *pattern.regex);
}

// What the option table says of a default the model has no value for ("12 times the number
// of online CPUs"): the configuration holds no entry for such an option.
std::string_view default_note(const Policy& policy, const model::OptionValue* option) {
    if (option != nullptr) return option->default_note;
    const std::string_view name = policy.option;
    const size_t dot = name.find('.');
    if (dot != std::string_view::npos && name.starts_with("Timeout."))
        if (const model::SubOptionInfo* sub = model::find_timeout_suboption(name.substr(dot + 1)))
            return sub->default_note;
    const model::OptionInfo* info = model::option_by_name(name.substr(0, dot));
    return info && dot == std::string_view::npos ? info->default_note : std::string_view();
}

// How a finding names an unset option: "MaxMessageSize not set: sendmail's default 0 (no
// limit) applies".
std::string default_applies(const Policy& policy, const model::OptionValue* option) {
    std::string text = policy.option + " not set: ";
    const std::string_view note = default_note(policy, option);
    if (option == nullptr || option->value.empty())
        return text + (note.empty() ? "sendmail's built-in default applies"
                                    : "sendmail's default (" + std::string(note) + ") applies");
    text += "sendmail's default " + option->value;
    if (zero_means_no_limit(policy.option) && rules::leading_integer(option->value) <= 0)
        text += " (no limit)";
    return text + " applies";
}

// Whether the effective value has `word`, as sendmail reads the option: PrivacyOptions with
// what goaway stands for, DontBlameSendmail after its `safe` resets, other options as a list
// of words.
bool has_word(const model::Config& config, const Policy& policy, const model::OptionValue* option,
              const std::string& word) {
    // The model keeps these flag lists in lower case, as sendmail matches their words.
    std::string lower(word);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (policy.option == "PrivacyOptions") return config.privacy_has(lower);
    if (policy.option == "DontBlameSendmail") return config.dont_blame_has(lower);
    if (option == nullptr) return false;
    for (const std::string& w :
         rules::split_flag_words(option->value, FlagSeparators::BlanksAndCommas))
        if (rules::equals_ignore_case(w, word)) return true;
    return false;
}

// The value a bound is compared with, or why there is none.
struct Reading {
    std::optional<long long> value; // the number, or the duration in seconds
    bool no_limit = false;          // sendmail enforces nothing
    std::string shown;              // "0 (no limit)", "5d (5 days)"
};

Reading read_bounded(const Policy& policy, const model::OptionValue* option) {
    Reading reading;
    const bool unlimited_at_zero = zero_means_no_limit(policy.option);
    if (option == nullptr || (option->value.empty() && option->settings.empty())) {
        // No line and no fixed default: no limit when the model says so (MaxQueueChildren,
        // MaxQueueAge); otherwise the default depends on the host (RefuseLA: 12 per CPU).
        const std::string_view note = default_note(policy, option);
        reading.no_limit = unlimited_at_zero && (note.find("unlimited") != note.npos ||
                                                 note.find("no limit") != note.npos);
        return reading;
    }
    const std::string& text = option->value;
    if (policy.duration_unit) {
        model::Duration duration = model::read_duration(text, *policy.duration_unit);
        reading.value = duration.seconds;
        reading.shown = "`" + text + "` (" + duration.describe() + ")";
    } else {
        reading.value = rules::leading_integer(text);
        reading.shown = rules::is_plain_integer(text)
                            ? text
                            : "`" + text + "` (read as " + std::to_string(*reading.value) + ")";
    }
    if (unlimited_at_zero && *reading.value <= 0) {
        reading.no_limit = true;
        reading.shown += " (no limit)";
    }
    return reading;
}

std::string describe_bound(const Policy& policy, const Bound& bound) {
    if (!policy.duration_unit) return bound.written;
    return bound.written + " (" + model::describe_seconds(bound.value) + ")";
}

// What is wrong with the option's value by the policy: one clause per broken condition.
std::vector<std::string> option_problems(const RuleContext& context, const Policy& policy,
                                         const model::OptionValue* option, bool unset) {
    std::vector<std::string> problems;
    const std::string& name = policy.option;
    if (policy.must_be_set == true && unset) problems.push_back(default_applies(policy, option));
    if (policy.must_be_set == false && !unset)
        problems.push_back(name + " is set to `" + option->value +
                           "`; the policy leaves it to sendmail's default");
    std::vector<std::string> missing, present;
    for (const std::string& word : policy.contains)
        if (!has_word(context.config, policy, option, word)) missing.push_back(word);
    for (const std::string& word : policy.lacks)
        if (has_word(context.config, policy, option, word)) present.push_back(word);
    const std::string as_is = unset ? " (" + default_applies(policy, option) + ")"
                                    : " (it is `" + (option ? option->value : std::string()) + "`)";
    if (!missing.empty()) problems.push_back(name + " lacks " + rules::word_list(missing) + as_is);
    if (!present.empty()) problems.push_back(name + " has " + rules::word_list(present) + as_is);
    if (policy.min || policy.max) {
        Reading reading = read_bounded(policy, option);
        const std::string is =
            unset ? default_applies(policy, option) : name + " is " + reading.shown;
        if (!reading.value && !reading.no_limit)
            problems.push_back(is + "; it depends on the host and cannot be checked against " +
                               (policy.max ? "the maximum " + describe_bound(policy, *policy.max)
                                           : "the minimum " + describe_bound(policy, *policy.min)));
        else if (policy.max && (reading.no_limit || *reading.value > policy.max->value))
            problems.push_back(is + ", above the maximum " + describe_bound(policy, *policy.max));
        else if (policy.min && !reading.no_limit && *reading.value < policy.min->value)
            problems.push_back(is + ", below the minimum " + describe_bound(policy, *policy.min));
    }
    if (policy.pattern) {
        const std::string value = option ? option->value : std::string();
        if (!matches(*policy.pattern, value))
            problems.push_back((unset ? default_applies(policy, option) + ", and `" : name + " `") +
                               value + "` does not match /" + policy.pattern->text + "/");
    }
    return problems;
}

std::string joined(const std::vector<std::string>& clauses) {
    std::string out;
    for (const std::string& clause : clauses)
        out += (out.empty() ? "" : "; ") + clause;
    return out;
}

void check_option(const RuleContext& context, Emitter& out, const Policy& policy) {
    const model::OptionValue* option = context.config.option(policy.option);
    const bool unset = rules::is_unset(option);
    std::vector<std::string> problems = option_problems(context, policy, option, unset);
    if (problems.empty()) return;
    const std::string message = policy.message + ": " + joined(problems);
    Diagnostic* finding = nullptr;
    std::vector<Edit> edits;
    if (unset) {
        finding = &out.report_default(message);
        if (policy.fix)
            if (auto edit = rules::insert_option_line(context, policy.option, *policy.fix))
                edits.push_back(*edit);
    } else {
        const model::OptionSetting& setting = option->settings.back();
        finding = &out.report(setting.value_where.valid() ? setting.value_where : setting.where,
                              message, rules::set_here(context, setting, policy.option));
        rules::mark_if_default(*finding, setting);
        if (option->settings.size() > 1)
            rules::add_earlier_settings(*finding, *option, "also sets " + policy.option);
        if (policy.fix) edits = rules::set_value(context, setting, policy.option, *policy.fix);
    }
    if (!edits.empty())
        finding->fix =
            Fix{"set " + policy.option + " to " + *policy.fix + " (policy " + policy.id + ")",
                false, std::move(edits)};
}

void check_feature(const RuleContext& context, Emitter& out, const Policy& policy) {
    const model::Feature* feature = context.config.feature(policy.feature);
    const std::string call = "FEATURE(`" + policy.feature + "')";
    if (policy.feature_required && feature == nullptr)
        out.report_default(policy.message + ": " + call + " is not used");
    if (!policy.feature_required && feature != nullptr) {
        const std::string message = policy.message + ": " + call + " is used";
        if (feature->where.valid())
            out.report(feature->where, message, call + " here");
        else
            out.report_default(message);
    }
}

// Whether a daemon accepts connections only from this host: Addr= a loopback address
// (127.0.0.0/8, ::1), or a local (unix-domain) socket.
bool on_loopback(const model::PortOptions& daemon, std::string& where) {
    const std::string family = daemon.get("Family").value_or("inet");
    if (family == "local" || family == "unix") return true;
    std::optional<std::string> addr = daemon.get("Addr");
    if (!addr || addr->empty()) {
        where = "every address (no Addr=)";
        return false;
    }
    std::string a = *addr;
    if (family == "inet6") {
        if (a == "::1" || a == "0:0:0:0:0:0:0:1") return true;
    } else if (a.starts_with("127.") && a.find_first_not_of("0123456789.") == std::string::npos &&
               std::count(a.begin(), a.end(), '.') == 3) {
        return true;
    }
    where = "Addr=" + a + (a == "localhost" ? " (a name: smaudit does not resolve it)" : "");
    return false;
}

void check_daemons(const RuleContext& context, Emitter& out, const Policy& policy) {
    for (const model::PortOptions& daemon : context.config.daemons) {
        std::string listens;
        if (on_loopback(daemon, listens)) continue;
        const std::string name = daemon.get("Name").value_or("");
        const std::string what =
            daemon.is_default
                ? "no DaemonPortOptions: sendmail's default daemon listens on port 25 on every "
                  "address"
                : "the daemon" + (name.empty() ? std::string() : " " + name) + " listens on " +
                      listens;
        if (daemon.is_default || !daemon.where.valid())
            out.report_default(policy.message + ": " + what);
        else
            out.report(daemon.where, policy.message + ": " + what, "DaemonPortOptions here");
    }
}

void check_map_entries(const RuleContext& context, Emitter& out, const Policy& policy) {
    if (context.maps == nullptr) return;
    auto judge = [&](FileId file, Span key_span, std::string_view key, std::string_view value,
                     std::string_view kind) {
        if (policy.key_pattern && !matches(*policy.key_pattern, key)) return;
        if (policy.value_pattern && !matches(*policy.value_pattern, value)) return;
        std::string shown(key);
        shown += ' ';
        shown += value.substr(0, std::min<size_t>(value.size(), 80));
        out.report(Location{file, key_span},
                   policy.message + ": " + std::string(kind) + " entry `" + shown + "`",
                   "forbidden by policy " + policy.id);
    };
    if (policy.map == "access")
        for (const ast::AccessFile& access : context.maps->access)
            for (const ast::MapEntry& entry : access.entries)
                if (!entry.duplicate())
                    judge(access.file, entry.key_span(), access.key(entry), access.value(entry),
                          "access");
    if (policy.map == "aliases")
        for (const ast::AliasesFile& aliases : context.maps->aliases)
            for (const ast::AliasEntry& entry : aliases.entries)
                if (!entry.overridden())
                    judge(aliases.file, entry.name_span(), aliases.name(entry),
                          aliases.value(entry), "alias");
}

} // namespace

bool zero_means_no_limit(std::string_view option) {
    static constexpr std::array<std::string_view, 12> kNoLimitAtZero = {"MaxMessageSize",
                                                                        "MaxDaemonChildren",
                                                                        "MaxRecipientsPerMessage",
                                                                        "ConnectionRateThrottle",
                                                                        "MaxQueueRunSize",
                                                                        "MaxQueueChildren",
                                                                        "MaxHeadersLength",
                                                                        "MaxMimeHeaderLength",
                                                                        "BadRcptThrottle",
                                                                        "RefuseLA",
                                                                        "DelayLA",
                                                                        "MaxQueueAge"};
    return std::any_of(kNoLimitAtZero.begin(), kNoLimitAtZero.end(), [&](std::string_view name) {
        return rules::equals_ignore_case(name, option);
    });
}

void check_policy(const RuleContext& context, Emitter& out) {
    const Policy* policy = out.rule().policy;
    if (policy == nullptr) return;
    switch (policy->subject) {
    case Policy::Subject::Option:
        return check_option(context, out, *policy);
    case Policy::Subject::Feature:
        return check_feature(context, out, *policy);
    case Policy::Subject::Daemons:
        return check_daemons(context, out, *policy);
    case Policy::Subject::MapEntry:
        return check_map_entries(context, out, *policy);
    }
}

} // namespace smaudit::policy
