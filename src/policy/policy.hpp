// Policy packs: an organisation's own rules, declared in a JSON file (`--policy FILE`, the
// `policies` key of .smaudit.json; docs/policies.md, docs/schema/smaudit-policy-v1.schema.json)
// instead of C++. Each policy becomes a Rule (engine/rule.hpp) with the policy's ID, severity,
// pack, message and doc text, so it runs on the same effective model as the built-in rules and
// its findings go through the same selection, suppressions, baselines, scores and reporters.
//
//     policy::PolicySet set;
//     std::vector<std::string> errors;   // "org.json: /policies/2/max: expected a number"
//     if (!policy::load_policy_files({"org.json"}, set, errors)) ...exit 2...
//     LoadedRules active(set.rules());   // while the audit runs and reports
#pragma once

#include "engine/rule.hpp"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::policy {

// A regular expression (ECMAScript) and the text it was written as.
struct Pattern {
    std::string text;
    std::shared_ptr<const std::regex> regex;
};

// A `min`/`max` bound: a number, or for an option sendmail reads as a time a duration read as
// sendmail reads the option's value (convtime() with the option's unit: "1h", "90m", "2d").
struct Bound {
    std::string written; // as the policy wrote it ("52428800", "1h")
    long long value = 0; // the number, or the duration in seconds
};

struct Policy {
    std::string id, name; // "ORG-001", "org-001" unless the policy names itself
    Severity severity = Severity::Medium;
    Pack pack = Pack::Security;
    std::string message;            // what every finding says first
    std::string doc;                // the documentation text (the message when none is given)
    std::string file;               // the policy file it came from
    std::optional<std::string> fix; // an option's suggested value (applied as an unsafe fix)
    std::string fix_title;          // what fixing a finding means, in words (Rule::fix_title)

    enum class Subject { Option, Feature, Daemons, MapEntry };
    Subject subject = Subject::Option;

    // Subject::Option: the canonical option name and the conditions its value must meet.
    std::string option;
    std::optional<bool> must_be_set;          // "set": true / false
    std::vector<std::string> contains, lacks; // flag words, lower case
    std::optional<Bound> min, max;            // numeric or duration bounds
    std::optional<char> duration_unit;        // set when the option is a duration
    std::optional<Pattern> pattern;           // the value must match it
    // Subject::Feature: the FEATURE's name and whether it must be used or must not be.
    std::string feature;
    bool feature_required = false;
    // Subject::MapEntry: "access" or "aliases", and the patterns an entry must not match.
    std::string map;
    std::optional<Pattern> key_pattern, value_pattern;
};

// The policies read from the policy files and their rules (which point into the policies, so
// the set is neither copied nor moved once filled: hold it where it is made).
class PolicySet {
  public:
    PolicySet() = default;
    PolicySet(const PolicySet&) = delete;
    PolicySet& operator=(const PolicySet&) = delete;

    const std::vector<Rule>& rules() const { return rules_; }
    const std::vector<std::unique_ptr<Policy>>& policies() const { return policies_; }
    bool empty() const { return policies_.empty(); }

    // Adds a checked policy (load_policy_text does the checking).
    void add(std::unique_ptr<Policy> policy);

  private:
    std::vector<std::unique_ptr<Policy>> policies_;
    std::vector<Rule> rules_;
};

// Options whose limit sendmail does not enforce at 0 or below (the variable is only compared
// when > 0: MaxMessageSize in collect.c/srvrsmtp.c, MaxDaemonChildren (MaxChildren),
// MaxRecipientsPerMessage, ConnectionRateThrottle, MaxQueueRunSize, MaxQueueChildren,
// MaxHeadersLength, MaxMimeHeaderLength, BadRcptThrottle, RefuseLA, DelayLA, MaxQueueAge).
// A `max` bound is broken by such a value, and by leaving such an option unset when its
// default is no limit.
bool zero_means_no_limit(std::string_view canonical_option);

// Reads the policies of one file's text (`file_name` names it in errors) into `set`. Every
// problem is one line in `errors`, "<file>: <JSON pointer>: <what is wrong>"; false when there
// was any (the set is then left as it was).
bool load_policy_text(const std::string& file_name, std::string_view text, PolicySet& set,
                      std::vector<std::string>& errors);
// The same for files read from disk ("<file>: cannot read ..." when one cannot be read). IDs
// must be unique across every file.
bool load_policy_files(const std::vector<std::string>& files, PolicySet& set,
                       std::vector<std::string>& errors);

// The check every policy's rule runs: reads the policy from Emitter::rule().policy.
void check_policy(const RuleContext& context, Emitter& out);

} // namespace smaudit::policy
