// Reading policy files: every problem is reported with the JSON pointer of the value at fault,
// as docs/schema/smaudit-policy-v1.schema.json describes the format.
#include "policy/policy.hpp"

#include "app/audit.hpp"
#include "engine/score.hpp"
#include "model/duration.hpp"
#include "model/option_table.hpp"
#include "rules/rule_support.hpp"
#include "source/text_position.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace smaudit::policy {

namespace {

using Json = nlohmann::json;

constexpr std::array kTopKeys = {"$schema", "description", "policies"};
constexpr std::array kPolicyKeys = {"id",       "name",     "severity", "pack",    "message", "doc",
                                    "fix",      "option",   "feature",  "daemons", "map",     "set",
                                    "contains", "lacks",    "min",      "max",     "pattern", "key",
                                    "value",    "required", "forbidden"};
constexpr std::array kSubjects = {"option", "feature", "daemons", "map"};
// The condition keys each subject takes.
constexpr std::array kOptionConditions = {"set", "contains", "lacks", "min", "max", "pattern"};
constexpr std::array kFeatureConditions = {"required", "forbidden"};
constexpr std::array kMapConditions = {"key", "value"};

// The JSON pointer of a member (RFC 6901: `~` and `/` escaped).
std::string member(const std::string& pointer, std::string_view key) {
    std::string escaped;
    for (char c : key)
        escaped += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return pointer + "/" + escaped;
}

template <size_t N> bool listed(const std::array<const char*, N>& keys, std::string_view key) {
    return std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; });
}

template <size_t N> std::string quoted_list(const std::array<const char*, N>& keys) {
    std::string out;
    for (const char* k : keys)
        out += (out.empty() ? "" : ", ") + std::string("\"") + k + "\"";
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Collects one file's problems as "<file>: <pointer>: <message>".
class Reader {
  public:
    Reader(const std::string& file, std::vector<std::string>& errors)
        : file_(file), errors_(errors), first_(errors.size()) {}
    bool ok() const { return errors_.size() == first_; }
    void error(const std::string& pointer, const std::string& message) {
        errors_.push_back(file_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
    }

    const Json* string_member(const Json& object, const std::string& pointer, const char* key,
                              bool required) {
        auto it = object.find(key);
        if (it == object.end()) {
            if (required) error(pointer, "missing \"" + std::string(key) + "\"");
            return nullptr;
        }
        if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
            error(member(pointer, key), "expected a non-empty string");
            return nullptr;
        }
        return &*it;
    }

    std::optional<Pattern> pattern(const Json& value, const std::string& pointer,
                                   bool ignore_case) {
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
            error(pointer, "expected a non-empty string (an ECMAScript regular expression)");
            return std::nullopt;
        }
        const std::string& text = value.get_ref<const std::string&>();
        try {
            auto flags = std::regex::ECMAScript | std::regex::optimize;
            if (ignore_case) flags |= std::regex::icase;
            return Pattern{text, std::make_shared<const std::regex>(text, flags)};
        } catch (const std::regex_error& e) {
            error(pointer, "not a valid regular expression: " + std::string(e.what()));
            return std::nullopt;
        }
    }

    std::vector<std::string> words(const Json& value, const std::string& pointer) {
        std::vector<std::string> out;
        if (!value.is_array() || value.empty()) {
            error(pointer, "expected a non-empty list of words");
            return out;
        }
        for (size_t i = 0; i < value.size(); ++i) {
            const Json& word = value[i];
            if (!word.is_string() || word.get_ref<const std::string&>().empty() ||
                word.get_ref<const std::string&>().find_first_of(" \t,") != std::string::npos) {
                error(pointer + "/" + std::to_string(i), "expected a word (no blanks or commas)");
                continue;
            }
            out.push_back(word.get_ref<const std::string&>());
        }
        return out;
    }

    std::optional<Bound> bound(const Json& value, const std::string& pointer,
                               const std::optional<char>& unit, const std::string& option) {
        if (value.is_number_integer()) {
            long long number = value.get<long long>();
            std::string written = std::to_string(number);
            if (unit) return Bound{written, model::read_duration(written, *unit).seconds};
            return Bound{written, number};
        }
        if (value.is_string() && unit) {
            const std::string& text = value.get_ref<const std::string&>();
            model::Duration duration = model::read_duration(text, *unit);
            if (!duration.clean() || duration.now) {
                error(pointer, "expected a duration such as \"90m\", \"1h\" or \"5d\" (" + option +
                                   " is read as a time), not \"" + text + "\"");
                return std::nullopt;
            }
            return Bound{text, duration.seconds};
        }
        error(pointer,
              unit ? "expected a number or a duration such as \"1h\""
                   : "expected a number" + std::string(value.is_number() ? " (an integer)" : ""));
        return std::nullopt;
    }

  private:
    const std::string& file_;
    std::vector<std::string>& errors_;
    size_t first_;
};

// The canonical name of an option as the configuration model keys it ("MaxMessageSize",
// "Timeout.queuewarn"), or none when sendmail has no such option.
std::optional<std::string> canonical_option(std::string_view name) {
    size_t dot = name.find('.');
    const model::OptionInfo* info = model::option_by_name(name.substr(0, dot));
    if (info == nullptr || info->name.empty()) return std::nullopt;
    if (dot == std::string_view::npos) return model::canonical_name(*info);
    if (!info->has_suboptions) return std::nullopt;
    std::string_view sub_name = name.substr(dot + 1);
    const model::SubOptionInfo* sub = info->name == "Timeout"
                                          ? model::find_timeout_suboption(sub_name)
                                          : model::find_milter_suboption(sub_name);
    if (sub == nullptr) return std::nullopt;
    return model::canonical_name(*info, sub);
}

// Letters and digits in groups joined by '-', at least two groups, starting with a letter:
// ORG-001, STIG-GEN004540. Lower-cased it is a kebab-case name, as every rule name is.
bool valid_id(std::string_view id) {
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id.front())) ||
        id.find('-') == std::string_view::npos || id.back() == '-' ||
        id.find("--") != std::string_view::npos)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    });
}

bool valid_name(std::string_view name) {
    return !name.empty() && name.front() != '-' && name.back() != '-' &&
           name.find("--") == std::string_view::npos &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::islower(static_cast<unsigned char>(c)) ||
                      std::isdigit(static_cast<unsigned char>(c)) || c == '-';
           });
}

// One policy object at `pointer`; null (with errors) when it is not a valid policy.
std::unique_ptr<Policy> read_policy(Reader& reader, const Json& object, const std::string& pointer,
                                    const std::string& file) {
    if (!object.is_object()) {
        reader.error(pointer, "expected an object (one policy)");
        return nullptr;
    }
    auto policy = std::make_unique<Policy>();
    policy->file = file;
    for (const auto& [key, value] : object.items())
        if (!listed(kPolicyKeys, key))
            reader.error(member(pointer, key),
                         "unknown key (a policy takes " + quoted_list(kPolicyKeys) + ")");

    if (const Json* id = reader.string_member(object, pointer, "id", true)) {
        policy->id = id->get<std::string>();
        if (lower(policy->id).starts_with("sm-"))
            reader.error(member(pointer, "id"),
                         "\"" + policy->id +
                             "\": SM- IDs are smaudit's own rules; give the policy your own "
                             "prefix, e.g. ORG-001");
        else if (!valid_id(policy->id))
            reader.error(member(pointer, "id"),
                         "\"" + policy->id +
                             "\" is no rule ID: groups of letters and digits joined by '-', "
                             "starting with a letter (e.g. ORG-001)");
    }
    policy->name = lower(policy->id);
    if (const Json* name = reader.string_member(object, pointer, "name", false)) {
        policy->name = name->get<std::string>();
        if (!valid_name(policy->name))
            reader.error(member(pointer, "name"),
                         "\"" + policy->name +
                             "\" is no rule name: lower-case words of letters and digits joined "
                             "by '-' (e.g. message-size-cap)");
    }
    if (const Json* severity = reader.string_member(object, pointer, "severity", true)) {
        if (auto parsed = parse_severity(severity->get<std::string>()))
            policy->severity = *parsed;
        else
            reader.error(member(pointer, "severity"),
                         "expected one of \"critical\", \"high\", \"medium\", \"low\", \"info\"");
    }
    if (const Json* pack = reader.string_member(object, pointer, "pack", true)) {
        const std::string& text = pack->get_ref<const std::string&>();
        if (text == "security")
            policy->pack = Pack::Security;
        else if (text == "performance")
            policy->pack = Pack::Performance;
        else if (text == "consistency")
            policy->pack = Pack::Consistency;
        else
            reader.error(member(pointer, "pack"),
                         "expected one of \"security\", \"performance\", \"consistency\"");
    }
    if (const Json* message = reader.string_member(object, pointer, "message", true))
        policy->message = message->get<std::string>();
    policy->doc = policy->message;
    if (const Json* doc = reader.string_member(object, pointer, "doc", false))
        policy->doc = doc->get<std::string>();
    if (auto it = object.find("fix"); it != object.end()) {
        if (it->is_string())
            policy->fix = it->get<std::string>();
        else if (it->is_number_integer())
            policy->fix = std::to_string(it->get<long long>());
        else
            reader.error(member(pointer, "fix"), "expected a string or an integer (the value)");
        if (policy->fix && policy->fix->find('\n') != std::string::npos) {
            reader.error(member(pointer, "fix"), "expected a value on one line");
            policy->fix.reset();
        }
    }

    // Exactly one subject, and only the conditions it takes.
    std::vector<std::string> subjects;
    for (const char* subject : kSubjects)
        if (object.contains(subject)) subjects.emplace_back(subject);
    if (subjects.size() != 1) {
        reader.error(pointer, subjects.empty() ? "missing what the policy is about: one of " +
                                                     quoted_list(kSubjects)
                                               : "\"" + subjects[0] + "\" and \"" + subjects[1] +
                                                     "\" in one policy: give each its own policy");
        return nullptr;
    }
    const std::string& subject = subjects.front();
    auto check_conditions = [&](const auto& allowed) {
        bool any = false;
        for (const char* key : {"set", "contains", "lacks", "min", "max", "pattern", "required",
                                "forbidden", "key", "value"}) {
            if (!object.contains(key)) continue;
            if (listed(allowed, key))
                any = true;
            else
                reader.error(member(pointer, key), "not a condition of \"" + subject +
                                                       "\" (it takes " + quoted_list(allowed) +
                                                       ")");
        }
        if (!any)
            reader.error(pointer, "missing a condition for \"" + subject + "\": one of " +
                                      quoted_list(allowed));
    };
    if (policy->fix && subject != "option")
        reader.error(member(pointer, "fix"),
                     "only an option policy has a fix (the value the option is set to)");

    if (subject == "option") {
        policy->subject = Policy::Subject::Option;
        check_conditions(kOptionConditions);
        if (const Json* name = reader.string_member(object, pointer, "option", true)) {
            if (auto canonical = canonical_option(name->get<std::string>()))
                policy->option = *canonical;
            else
                reader.error(member(pointer, "option"),
                             "\"" + name->get<std::string>() +
                                 "\" is no sendmail option: use the .cf long name "
                                 "(MaxMessageSize, PrivacyOptions, Timeout.queuereturn)");
        }
        policy->duration_unit = model::duration_unit(policy->option);
        if (auto it = object.find("set"); it != object.end()) {
            if (it->is_boolean())
                policy->must_be_set = it->get<bool>();
            else
                reader.error(member(pointer, "set"), "expected true or false");
            if (policy->must_be_set == false && object.size() > 0)
                for (const char* other : {"contains", "lacks", "min", "max", "pattern", "fix"})
                    if (object.contains(other))
                        reader.error(member(pointer, other),
                                     "\"set\": false wants the option unset: a value condition "
                                     "or fix contradicts it");
        }
        if (auto it = object.find("contains"); it != object.end())
            policy->contains = reader.words(*it, member(pointer, "contains"));
        if (auto it = object.find("lacks"); it != object.end())
            policy->lacks = reader.words(*it, member(pointer, "lacks"));
        if (auto it = object.find("min"); it != object.end())
            policy->min =
                reader.bound(*it, member(pointer, "min"), policy->duration_unit, policy->option);
        if (auto it = object.find("max"); it != object.end())
            policy->max =
                reader.bound(*it, member(pointer, "max"), policy->duration_unit, policy->option);
        if (policy->min && policy->max && policy->min->value > policy->max->value)
            reader.error(member(pointer, "min"), "is above \"max\": no value could meet both");
        if (auto it = object.find("pattern"); it != object.end())
            policy->pattern = reader.pattern(*it, member(pointer, "pattern"), false);
    } else if (subject == "feature") {
        policy->subject = Policy::Subject::Feature;
        check_conditions(kFeatureConditions);
        if (const Json* name = reader.string_member(object, pointer, "feature", true)) {
            policy->feature = name->get<std::string>();
            if (!model::is_known_feature(policy->feature))
                reader.error(member(pointer, "feature"),
                             "\"" + policy->feature +
                                 "\" is no FEATURE of sendmail's cf tree (cf/feature/*.m4)");
        }
        const bool required = object.value("required", false) == true;
        const bool forbidden = object.value("forbidden", false) == true;
        for (const char* key : {"required", "forbidden"})
            if (auto it = object.find(key); it != object.end() && *it != true)
                reader.error(member(pointer, key), "expected true");
        if (required && forbidden)
            reader.error(pointer, "\"required\" and \"forbidden\" together: choose one");
        policy->feature_required = required;
    } else if (subject == "daemons") {
        policy->subject = Policy::Subject::Daemons;
        const Json& value = object["daemons"];
        if (!value.is_string() || value != "loopback")
            reader.error(member(pointer, "daemons"),
                         "expected \"loopback\" (every daemon listens on 127.0.0.1 or ::1)");
        for (const char* key : kOptionConditions)
            if (object.contains(key))
                reader.error(member(pointer, key), "\"daemons\" takes no condition");
        for (const char* key : {"required", "forbidden", "key", "value"})
            if (object.contains(key))
                reader.error(member(pointer, key), "\"daemons\" takes no condition");
    } else {
        policy->subject = Policy::Subject::MapEntry;
        check_conditions(kMapConditions);
        if (const Json* map = reader.string_member(object, pointer, "map", true)) {
            policy->map = map->get<std::string>();
            if (policy->map != "access" && policy->map != "aliases")
                reader.error(member(pointer, "map"), "expected \"access\" or \"aliases\"");
        }
        // Keys are matched as the map stores them: makemap and newaliases fold case.
        if (auto it = object.find("key"); it != object.end())
            policy->key_pattern = reader.pattern(*it, member(pointer, "key"), true);
        if (auto it = object.find("value"); it != object.end())
            policy->value_pattern = reader.pattern(*it, member(pointer, "value"), false);
    }
    switch (policy->subject) {
    case Policy::Subject::Option:
        policy->fix_title = policy->fix ? "set " + policy->option + " to " + *policy->fix
                                        : "give " + policy->option + " a value the policy allows";
        break;
    case Policy::Subject::Feature:
        policy->fix_title = (policy->feature_required ? "add FEATURE(`" : "remove FEATURE(`") +
                            policy->feature + "')";
        break;
    case Policy::Subject::Daemons:
        policy->fix_title = "give every DaemonPortOptions Addr=127.0.0.1 (or ::1 for inet6)";
        break;
    case Policy::Subject::MapEntry:
        policy->fix_title = "remove the " + policy->map + " entry";
        break;
    }
    return policy;
}

} // namespace

void PolicySet::add(std::unique_ptr<Policy> policy) {
    const Policy& p = *policy;
    policies_.push_back(std::move(policy));
    const bool has_fix = p.fix.has_value();
    Rule rule{p.id,
              p.name,
              p.pack,
              p.severity,
              severity_points(p.severity),
              p.message,
              p.fix_title,
              has_fix ? FixKind::Unsafe : FixKind::None,
              &check_policy,
              p.subject == Policy::Subject::MapEntry ? Rule::Scope::Maps : Rule::Scope::Config};
    rule.doc = p.doc;
    rule.policy = &p;
    rules_.push_back(rule);
}

bool load_policy_text(const std::string& file_name, std::string_view text, PolicySet& set,
                      std::vector<std::string>& errors) {
    Reader reader(file_name, errors);
    Json document;
    try {
        document = Json::parse(text);
    } catch (const Json::parse_error& e) {
        errors.push_back(json_syntax_error(file_name, text, e.byte, e.what()));
        return false;
    }
    if (!document.is_object()) {
        reader.error("", "expected an object with a \"policies\" list");
        return false;
    }
    for (const auto& [key, value] : document.items())
        if (!listed(kTopKeys, key))
            reader.error(member("", key),
                         "unknown key (a policy file takes " + quoted_list(kTopKeys) + ")");
    auto list = document.find("policies");
    if (list == document.end() || !list->is_array()) {
        reader.error(list == document.end() ? "" : "/policies",
                     list == document.end() ? "missing \"policies\"" : "expected a list");
        return false;
    }
    std::vector<std::unique_ptr<Policy>> read;
    // Each ID once across every file: where it was first given.
    std::map<std::string, std::string> ids;
    for (const auto& earlier : set.policies())
        ids.emplace(lower(earlier->id), "the policy " + earlier->id + " of " + earlier->file);
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string pointer = "/policies/" + std::to_string(i);
        std::unique_ptr<Policy> policy = read_policy(reader, (*list)[i], pointer, file_name);
        if (!policy || policy->id.empty()) continue;
        if (auto [at, added] = ids.emplace(lower(policy->id), "the policy at " + pointer); !added) {
            reader.error(pointer + "/id",
                         "\"" + policy->id + "\" is already the ID of " + at->second);
            continue;
        }
        if (const Rule* builtin = find_rule(policy->name);
            builtin && !builtin->policy && !lower(policy->id).starts_with("sm-"))
            reader.error(pointer + ((*list)[i].contains("name") ? "/name" : "/id"),
                         "\"" + policy->name + "\" is already the name of " +
                             std::string(builtin->id) + ": give the policy another name");
        read.push_back(std::move(policy));
    }
    if (!reader.ok()) return false;
    for (auto& policy : read)
        set.add(std::move(policy));
    return true;
}

bool load_policy_files(const std::vector<std::string>& files, PolicySet& set,
                       std::vector<std::string>& errors) {
    bool all = true;
    for (const std::string& file : files) {
        std::string text, why;
        if (!read_file_text(file, text, why)) {
            errors.push_back(file + ": " + why);
            all = false;
            continue;
        }
        all = load_policy_text(file, text, set, errors) && all;
    }
    return all;
}

} // namespace smaudit::policy
