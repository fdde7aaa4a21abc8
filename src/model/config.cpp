#include "model/config.hpp"

#include "model/model_diagnostics.hpp"
#include "model/option_table.hpp"
#include "model/port_options.hpp"
#include "model/relay_features.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <span>

namespace smaudit::model {

namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::vector<std::string> split_commas(std::string_view text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t comma = text.find(',', pos);
        if (comma == std::string_view::npos) comma = text.size();
        if (comma > pos) out.emplace_back(text.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return out;
}

std::string join_commas(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        if (!out.empty()) out += ',';
        out += word;
    }
    return out;
}

// A word of a flag list and where it sits inside the value.
struct Word {
    std::string_view text;
    size_t offset;
};

// conf.c flag lists: words are runs of letters and digits; everything else separates them.
std::vector<Word> flag_words(std::string_view value) {
    std::vector<Word> words;
    size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && !is_alnum(value[i]))
            ++i;
        size_t start = i;
        while (i < value.size() && is_alnum(value[i]))
            ++i;
        if (i > start) words.push_back({value.substr(start, i - start), start});
    }
    return words;
}

// The address family a ClientPortOptions profile is for (daemon.c: inet when not given; "unix"
// and "local" are the same family).
std::string client_family(const PortOptions& port) {
    std::string family = to_lower(port.get("Family").value_or("inet"));
    return family == "unix" ? "local" : family;
}

class Builder {
  public:
    Builder(const SourceSet& sources, const ast::CfFile& cf, std::vector<Diagnostic>& diagnostics)
        : sources_(sources), file_(cf.file), diagnostics_(diagnostics) {}

    Config build(const ast::CfFile& cf) {
        config_.files.push_back(file_);
        for (const ast::CfStatement& statement : cf.statements)
            std::visit([this](const auto& node) { handle(node); }, statement);
        detect_relay_features(config_);
        infer_feature_args();
        fill_defaults();
        return std::move(config_);
    }

  private:
    // The option line being applied: everything a setting needs to know about its source.
    struct Line {
        const ast::CfOption* option;
        std::string written_name;
        bool verbatim; // value bytes in the file == value text (no continuation lines)
    };

    Location at(Span span) const { return Location{file_, span}; }

    // A part of the value (offset/length inside it) as a Location; the whole value when the text
    // was joined from continuation lines and offsets no longer match the bytes.
    Location value_part(const Line& line, size_t offset, size_t length) const {
        Location where = at(line.option->value_span);
        if (line.verbatim && offset + length <= line.option->value.size()) {
            where.span.begin += static_cast<uint32_t>(offset);
            where.span.end = where.span.begin + static_cast<uint32_t>(length);
        }
        return where;
    }

    OptionSetting setting(const Line& line, std::string value, Location value_where) const {
        OptionSetting s;
        s.value = std::move(value);
        s.where = at(line.option->span);
        s.value_where = value_where;
        s.written_name = line.written_name;
        return s;
    }

    OptionValue& slot(const std::string& name) {
        OptionValue& slot = config_.options[name];
        if (slot.name.empty()) slot.name = name;
        return slot;
    }

    void set_last_wins(const std::string& name, OptionSetting s) {
        OptionValue& v = slot(name);
        v.value = s.value;
        v.settings.push_back(std::move(s));
    }

    // ---- statements ----------------------------------------------------------------------

    void handle(const ast::CfComment& comment) {
        // Every cf/feature/*.m4 starts with VERSIONID, which m4 writes as
        // `#####  $Id: <feature>.m4,v ... $  #####` (KB §1.3).
        std::string_view text = comment.text;
        size_t id = text.find("$Id: ");
        if (id == std::string_view::npos || text.substr(0, 4) != "####") return;
        std::string_view rest = text.substr(id + 5);
        size_t end = rest.find_first_of(", \t$");
        std::string_view file = rest.substr(0, end);
        if (file.size() <= 3 || file.substr(file.size() - 3) != ".m4") return;
        std::string name(file.substr(0, file.size() - 3));
        if (!is_known_feature(name) || config_.feature(name) != nullptr) return;
        // The relay FEATUREs are read from their rules (relay_features.hpp): a banner can be
        // deleted or pasted without changing what sendmail does.
        if (relay_feature_decided_by_rules(name)) return;
        config_.features.push_back(Feature{name, {}, at(comment.span)});
    }

    void handle(const ast::CfVersion& version) {
        config_.version_level = version.level;
        config_.version_where = at(version.span);
    }

    void handle(const ast::CfMacroDef& macro) {
        config_.macros[macro.name] = MacroDef{macro.name, macro.value, at(macro.span)};
    }

    void handle(const ast::CfHeader& header) {
        config_.headers.push_back(HeaderDef{header.name, header.condition, header.value,
                                            at(header.span), at(header.value_span)});
    }

    void handle(const ast::CfClass& cls) {
        ClassDef& def = config_.classes[cls.name];
        def.name = cls.name;
        if (cls.from_file) {
            def.files.push_back(cls.path);
            if (!cls.program && !cls.map)
                def.file_lines.push_back({cls.path, cls.optional, at(cls.span), cls.pattern});
        } else
            for (const ast::CfWord& word : cls.words) {
                def.words.push_back(word.text);
                def.word_where.push_back(at(word.span));
            }
        def.where.push_back(at(cls.span));
    }

    // `Troot daemon`: readcf.c adds each word to class t (trusted users), as `Ct` would.
    void handle(const ast::CfTrustedUsers& trusted) {
        ClassDef& def = config_.classes["t"];
        def.name = "t";
        for (const ast::CfWord& word : trusted.users) {
            def.words.push_back(word.text);
            def.word_where.push_back(at(word.span));
        }
        def.where.push_back(at(trusted.span));
    }

    void handle(const ast::CfMap& map) {
        MapDef def;
        def.name = map.name;
        def.type = map.type;
        def.spec = map.spec;
        for (const ast::CfWord& arg : map.args)
            def.args.push_back(arg.text);
        def.where = at(map.span);
        config_.maps[map.name] = std::move(def);
    }

    void handle(const ast::CfMailer& mailer) {
        MailerDef def;
        def.name = mailer.name;
        for (const ast::CfField& field : mailer.fields) {
            def.fields[field.letter] = field.value;
            def.field_where[field.letter] = at(field.value_span);
        }
        def.where = at(mailer.span);
        config_.mailers[mailer.name] = std::move(def);
    }

    void handle(const ast::CfQueueGroup& group) {
        QueueGroupDef def{group.name, {}, at(group.span)};
        for (const ast::CfField& field : group.fields)
            def.fields[field.letter] = field.value;
        config_.queue_groups.push_back(std::move(def));
    }

    void handle(const ast::CfMilter& milter) {
        MilterDef def{milter.name, {}, at(milter.span), {}};
        for (const ast::CfField& field : milter.fields) {
            def.fields[field.letter] = field.value;
            def.field_where[field.letter] = at(field.value_span);
        }
        config_.milters.push_back(std::move(def));
    }

    void handle(const ast::CfRuleset& ruleset) {
        // readcf.c: a second S line for a ruleset appends to it ("multiple definitions").
        for (size_t i = 0; i < config_.rulesets.size(); ++i) {
            if (config_.rulesets[i].name == ruleset.name) {
                current_ruleset_ = static_cast<int>(i);
                if (!config_.rulesets[i].number && ruleset.number)
                    config_.rulesets[i].number = ruleset.number;
                return;
            }
        }
        config_.rulesets.push_back(RulesetDef{ruleset.name, ruleset.number, {}, at(ruleset.span)});
        current_ruleset_ = static_cast<int>(config_.rulesets.size()) - 1;
    }

    void handle(const ast::CfRule& rule) {
        // An R line before any S line has no ruleset to join; sendmail has none selected then.
        if (current_ruleset_ < 0) return;
        config_.rulesets[static_cast<size_t>(current_ruleset_)].rules.push_back(
            RuleDef{rule.lhs, rule.rhs, rule.comment, at(rule.span)});
    }

    template <typename Other> void handle(const Other&) {}

    void handle(const ast::CfOption& option) {
        Line line{&option, option.name, option.value.size() == option.value_span.size()};
        if (option.legacy) {
            char letter = option.name.empty() ? '\0' : option.name[0];
            const OptionInfo* info = option_by_letter(letter);
            if (info == nullptr) {
                report(kUnknownOption, at(option.name_span),
                       "unknown option letter '" + option.name + "'", "unknown option");
                return;
            }
            if (letter == 'M') {
                legacy_macro(option);
                return;
            }
            if (info->name.empty())
                return; // 'g': pre-8.7 default group id, superseded by DefaultUser=user:group
            apply(*info, nullptr, line);
            return;
        }
        std::string_view written = option.name;
        std::string_view base = written;
        std::string_view subopt;
        bool has_subopt = false;
        if (size_t dot = written.find('.'); dot != std::string_view::npos) {
            base = written.substr(0, dot);
            subopt = written.substr(dot + 1);
            has_subopt = true;
        }
        OptionLookup found = lookup_option(base);
        Location name_where = at(option.name_span);
        if (found.status == OptionLookup::Status::Unknown) {
            report(kUnknownOption, name_where, "unknown option \"" + std::string(base) + "\"",
                   "unknown option");
            return;
        }
        if (found.status == OptionLookup::Status::Ambiguous) {
            report(kAmbiguousOption, name_where,
                   "option name \"" + std::string(base) + "\" is ambiguous (matches " +
                       std::string(found.info->name) + " and " + std::string(found.other->name) +
                       ")",
                   "ambiguous abbreviation");
            return;
        }
        if (found.abbreviated) {
            // setoption() takes a unique prefix, with a warning on every start.
            Diagnostic& d =
                report(kAbbreviatedOption, name_where,
                       "option name \"" + std::string(base) + "\" abbreviates " +
                           std::string(found.info->name) + ": sendmail warns at every start",
                       "abbreviation");
            d.fix = Fix{std::string(kAbbreviatedOption.safe_fix),
                        true,
                        {Edit{at(Span{option.name_span.begin,
                                      option.name_span.begin + static_cast<uint32_t>(base.size())}),
                              std::string(found.info->name)}}};
        }
        // sendmail drops a sub-option given to an option that has none and sets the option.
        if (!found.info->has_suboptions) has_subopt = false;
        apply(*found.info, has_subopt ? &subopt : nullptr, line);
    }

    // ---- options -------------------------------------------------------------------------

    // `subopt` is null when the line names no sub-option.
    void apply(const OptionInfo& info, const std::string_view* subopt, const Line& line) {
        const ast::CfOption& option = *line.option;
        const std::string& value = option.value;
        Location whole_value = at(option.value_span);
        if (info.name == "Timeout") {
            if (subopt == nullptr) {
                legacy_timeouts(line);
                return;
            }
            const SubOptionInfo* sub = find_timeout_suboption(*subopt);
            if (sub == nullptr) {
                report(kUnknownOption, at(option.name_span),
                       "unknown timeout \"" + std::string(*subopt) + "\"", "unknown timeout");
                return;
            }
            set_timeout(*sub, setting(line, value, whole_value));
            return;
        }
        if (info.name == "Milter") {
            const SubOptionInfo* sub = subopt ? find_milter_suboption(*subopt) : nullptr;
            if (sub == nullptr) {
                report(kUnknownOption, at(option.name_span),
                       subopt ? "unknown Milter sub-option \"" + std::string(*subopt) + "\""
                              : std::string("the Milter option needs a sub-option "
                                            "(Milter.LogLevel, Milter.macros.<stage>)"),
                       "unknown milter option");
                return;
            }
            set_last_wins(canonical_name(info, sub), setting(line, value, whole_value));
            return;
        }
        if (info.name == "QueueTimeout") {
            // readcf.c case 'T': "return[/warn]".
            size_t slash = value.find('/');
            if (slash != std::string::npos)
                set_timeout(*find_timeout_suboption("queuewarn"),
                            setting(line, value.substr(slash + 1),
                                    value_part(line, slash + 1, value.size() - slash - 1)));
            std::string ret = value.substr(0, slash);
            set_timeout(*find_timeout_suboption("queuereturn"),
                        setting(line, ret, value_part(line, 0, ret.size())));
            return;
        }
        if (info.name == "DeliveryMode") check_delivery_mode(line);
        std::string name(info.name);
        switch (info.merge) {
        case OptionMerge::LastWins:
            set_last_wins(name, setting(line, value, whole_value));
            break;
        case OptionMerge::AliasList: {
            OptionValue& v = slot(name);
            v.value = v.settings.empty() ? value : v.value + "," + value;
            v.settings.push_back(setting(line, value, whole_value));
            break;
        }
        case OptionMerge::PortList: {
            set_last_wins(name, setting(line, value, whole_value));
            PortOptions port = parse_port_options(value, whole_value, at(option.span),
                                                  line.verbatim, diagnostics_);
            if (name == "DaemonPortOptions") {
                config_.daemons.push_back(std::move(port));
            } else {
                // setclientoptions() keeps one profile per address family: a later line for the
                // same family replaces the earlier one.
                std::string family = client_family(port);
                std::erase_if(config_.clients, [&](const PortOptions& earlier) {
                    return client_family(earlier) == family;
                });
                config_.clients.push_back(std::move(port));
            }
            break;
        }
        case OptionMerge::PrivacyFlags:
        case OptionMerge::DontBlameFlags:
            merge_flags(info, line);
            break;
        }
    }

    // DeliveryMode: readcf.c reads the value's first character, one of i, b, q and d (empty:
    // i), case counting; any other is "Unknown delivery mode X" and sendmail exits (EX_USAGE,
    // checked with 8.17.1.9: `O DeliveryMode=z` stops `sendmail -bt`, `=background` reads b).
    // The value is kept as written: the rules that read the mode see no known letter in it (an
    // `Interactive` is no interactive delivery) and say what it is.
    void check_delivery_mode(const Line& line) {
        const std::string& value = line.option->value;
        if (value.empty() || std::string_view("ibqd").find(value[0]) != std::string_view::npos)
            return;
        const std::string letter = bytes_to_utf8(std::string_view(value).substr(0, 1));
        report(kUnknownOptionFlag, value_part(line, 0, 1),
               "DeliveryMode: unknown delivery mode \"" + letter + "\" (sendmail: \"Unknown " +
                   "delivery mode " + letter + "\"); the modes are i, b, q and d",
               "unknown delivery mode");
    }

    // PrivacyOptions / DontBlameSendmail: readcf.c ORs each known word's bits in; an unknown
    // word is an error and changes nothing; DontBlameSendmail's `safe` clears every bit.
    void merge_flags(const OptionInfo& info, const Line& line) {
        bool privacy = info.merge == OptionMerge::PrivacyFlags;
        const auto& known = privacy ? privacy_flag_names() : dont_blame_flag_names();
        std::string_view empty_word = privacy ? "public" : "safe";
        OptionValue& v = slot(std::string(info.name));
        std::vector<std::string> flags;
        if (!v.settings.empty() && v.value != empty_word) flags = split_commas(v.value);
        for (const Word& word : flag_words(line.option->value)) {
            std::string lower = to_lower(word.text);
            if (std::find(known.begin(), known.end(), lower) == known.end()) {
                report(kUnknownOptionFlag, value_part(line, word.offset, word.text.size()),
                       std::string(info.name) + ": unknown word \"" + std::string(word.text) + "\"",
                       "unknown flag");
                continue;
            }
            if (!privacy && lower == "safe") {
                flags.clear();
                continue;
            }
            if (privacy && lower == "public") continue; // value 0: adds nothing
            if (std::find(flags.begin(), flags.end(), lower) == flags.end()) flags.push_back(lower);
        }
        v.value = flags.empty() ? std::string(empty_word) : join_commas(flags);
        v.settings.push_back(setting(line, line.option->value, at(line.option->value_span)));
    }

    // settimeout(): the class-wide queue timeouts and resolver timeouts set their sub-classes.
    void set_timeout(const SubOptionInfo& sub, const OptionSetting& s) {
        const OptionInfo& timeout = *option_by_name("Timeout");
        set_last_wins(canonical_name(timeout, &sub), s);
        static constexpr std::string_view kQueueClasses[] = {".normal", ".urgent", ".non-urgent",
                                                             ".dsn"};
        static constexpr std::string_view kResolverClasses[] = {".normal", ".first"};
        std::string_view name = sub.name;
        auto propagate = [&](std::span<const std::string_view> classes) {
            for (std::string_view cls : classes) {
                const SubOptionInfo* child = find_timeout_suboption(std::string(name) += cls);
                if (child != nullptr) set_last_wins(canonical_name(timeout, child), s);
            }
        };
        if (name == "queuewarn" || name == "queuereturn")
            propagate(kQueueClasses);
        else if (name == "resolver.retrans" || name == "resolver.retry")
            propagate(kResolverClasses);
    }

    // `O Timeout=...` / `Or...` (inittimeouts()): comma-separated items; a bare number sets the
    // SMTP command timeouts, `name=value` or `name:value` sets one timeout.
    void legacy_timeouts(const Line& line) {
        const std::string& value = line.option->value;
        size_t pos = 0;
        while (pos < value.size()) {
            size_t comma = value.find(',', pos);
            if (comma == std::string::npos) comma = value.size();
            size_t start = pos;
            while (start < comma && std::isspace(static_cast<unsigned char>(value[start])))
                ++start;
            std::string item = value.substr(start, comma - start);
            Location item_where = value_part(line, start, item.size());
            pos = comma + 1;
            if (item.empty()) continue;
            if (item[0] >= '0' && item[0] <= '9') {
                for (std::string_view name :
                     {"mail", "rcpt", "datainit", "datablock", "datafinal", "command"})
                    set_last_wins(
                        canonical_name(*option_by_name("Timeout"), find_timeout_suboption(name)),
                        setting(line, item, item_where));
                continue;
            }
            size_t sep = item.find(':');
            if (sep == std::string::npos) sep = item.find('=');
            if (sep == std::string::npos) continue; // inittimeouts() skips it silently
            std::string name = item.substr(0, sep);
            const SubOptionInfo* sub = find_timeout_suboption(name);
            if (sub == nullptr) {
                report(kUnknownOption, value_part(line, start, sep),
                       "unknown timeout \"" + name + "\"", "unknown timeout");
                continue;
            }
            std::string val = item.substr(sep + 1);
            set_timeout(*sub, setting(line, val, value_part(line, start + sep + 1, val.size())));
        }
    }

    // Legacy `OM<macro><value>` defines a macro, like a D line.
    void legacy_macro(const ast::CfOption& option) {
        std::string_view text = option.value;
        std::string name, value;
        if (!text.empty() && text[0] == '{') {
            size_t close = text.find('}');
            if (close == std::string_view::npos) return;
            name = text.substr(1, close - 1);
            value = text.substr(close + 1);
        } else if (!text.empty()) {
            name = text.substr(0, 1);
            value = text.substr(1);
        } else {
            return;
        }
        config_.macros[name] = MacroDef{name, value, at(option.span)};
    }

    // A banner names a FEATURE but not its arguments; for the ones rules care about the
    // generated rules still show them (checked on m4 output of FEATURE(`dnsbl', `zone') and
    // FEATURE(`greet_pause', `1500')): the blocklist zone inside `$(dnsbl $4.$3.$2.$1.<zone>. `
    // (one FEATURE call per zone) and the pause in greet_pause's `R<?> <$*>  $# <ms>`.
    void infer_feature_args() {
        // enhdnsbl.m4 queries its map under the name `ednsbl`.
        for (auto [map, lookup] : {std::pair<std::string_view, std::string_view>{"dnsbl", "dnsbl"},
                                   {"enhdnsbl", "ednsbl"}}) {
            auto banner = std::find_if(config_.features.begin(), config_.features.end(),
                                       // clang 14 captures no structured binding
                                       [map = map](const Feature& f) { return f.name == map; });
            if (banner == config_.features.end()) continue;
            size_t index = static_cast<size_t>(banner - config_.features.begin());
            std::vector<Feature> calls;
            std::string needle = "$(" + std::string(lookup) + " $4.$3.$2.$1.";
            for (const RulesetDef& ruleset : config_.rulesets)
                for (const RuleDef& rule : ruleset.rules) {
                    size_t at = rule.rhs.find(needle);
                    if (at == std::string::npos) continue;
                    std::string_view rest = std::string_view(rule.rhs).substr(at + needle.size());
                    std::string_view zone = rest.substr(0, rest.find_first_of(" \t"));
                    if (!zone.empty() && zone.back() == '.') zone.remove_suffix(1);
                    if (!zone.empty())
                        calls.push_back(Feature{std::string(map), {std::string(zone)}, rule.where});
                }
            if (calls.empty()) continue;
            calls.front().where = banner->where; // the first call keeps the banner's place
            config_.features.erase(banner);
            config_.features.insert(config_.features.begin() + static_cast<long>(index),
                                    calls.begin(), calls.end());
        }
        auto pause = std::find_if(config_.features.begin(), config_.features.end(),
                                  [](const Feature& f) { return f.name == "greet_pause"; });
        const RulesetDef* ruleset = config_.ruleset("greet_pause");
        if (pause != config_.features.end() && ruleset != nullptr) {
            for (const RuleDef& rule : ruleset->rules) {
                std::string_view rhs = rule.rhs;
                if (!is_greet_pause_default(rule)) continue;
                std::string_view ms = rhs.substr(3);
                ms = ms.substr(0, ms.find_first_of(" \t"));
                if (!ms.empty()) pause->args = {std::string(ms)};
            }
        }
    }

    void fill_defaults() {
        for (const OptionInfo& info : option_table()) {
            // Options the reference build lacks are not in effect unless a line sets them.
            if (info.name.empty() || info.has_suboptions || !info.in_reference_build) continue;
            std::optional<std::string_view> value = info.default_value;
            if (info.name == "ColonOkInAddr") value = version_number() >= 6 ? "False" : "True";
            add_default(std::string(info.name), value, info.default_note);
        }
        const OptionInfo& timeout = *option_by_name("Timeout");
        for (const SubOptionInfo& sub : timeout_suboptions())
            add_default(canonical_name(timeout, &sub), sub.default_value, sub.default_note);
        const OptionInfo& milter = *option_by_name("Milter");
        for (const SubOptionInfo& sub : milter_suboptions())
            add_default(canonical_name(milter, &sub), sub.default_value, sub.default_note);
        if (config_.daemons.empty()) {
            // daemon.c initdaemon() / op.me: one socket named Daemon0 on port "smtp", INADDR_ANY,
            // family inet. (The Name=MTA socket comes from m4's default DAEMON_OPTIONS, not
            // from the binary.)
            PortOptions daemon;
            daemon.is_default = true;
            daemon.pairs = {
                {"Name", "Daemon0"}, {"Port", "25"}, {"Addr", "0.0.0.0"}, {"Family", "inet"}};
            config_.daemons.push_back(std::move(daemon));
        }
    }

    void add_default(const std::string& name, std::optional<std::string_view> value,
                     std::string_view note) {
        if (!value || config_.options.count(name) != 0) return;
        OptionValue v;
        v.name = name;
        v.value = std::string(*value);
        v.is_default = true;
        v.default_note = note;
        config_.options.emplace(name, std::move(v));
    }

    int version_number() const {
        int level = 0;
        const std::string& text = config_.version_level;
        std::from_chars(text.data(), text.data() + text.size(), level);
        return level;
    }

    Diagnostic& report(const SyntaxCode& kind, Location where, std::string message,
                       std::string label) {
        return diagnostics_.emplace_back(
            make_syntax_diagnostic(kind, where, std::move(message), std::move(label)));
    }

    [[maybe_unused]] const SourceSet& sources_;
    FileId file_;
    std::vector<Diagnostic>& diagnostics_;
    Config config_;
    int current_ruleset_ = -1;
};

} // namespace

bool is_greet_pause_default(const RuleDef& rule) {
    return (rule.lhs.rfind("<?> <$*>", 0) == 0 || rule.lhs == "$*") &&
           rule.rhs.rfind("$# ", 0) == 0;
}

Config build_config(const SourceSet& sources, const ast::CfFile& cf,
                    std::vector<Diagnostic>& diagnostics) {
    return Builder(sources, cf, diagnostics).build(cf);
}

const OptionValue* Config::option(std::string_view name) const {
    // Canonical names are stored as sendmail's tables spell them; accept any case.
    if (auto it = options.find(std::string(name)); it != options.end()) return &it->second;
    for (const auto& [key, value] : options)
        if (iequals(key, name)) return &value;
    return nullptr;
}

const RulesetDef* Config::ruleset(std::string_view name) const {
    for (const RulesetDef& r : rulesets)
        if (r.name == name) return &r;
    int number = -1;
    auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
    if (ec == std::errc() && ptr == name.data() + name.size())
        for (const RulesetDef& r : rulesets)
            if (r.number && *r.number == number) return &r;
    return nullptr;
}

const Feature* Config::feature(std::string_view name) const {
    for (const Feature& f : features)
        if (f.name == name) return &f;
    return nullptr;
}

bool Config::privacy_has(std::string_view flag) const {
    const OptionValue* privacy = option("PrivacyOptions");
    if (privacy == nullptr) return false;
    std::vector<std::string> flags = split_commas(privacy->value);
    auto has = [&](std::string_view word) {
        return std::find(flags.begin(), flags.end(), word) != flags.end();
    };
    if (has(flag)) return true;
    const auto& goaway = goaway_flag_names();
    return has("goaway") && std::find(goaway.begin(), goaway.end(), flag) != goaway.end();
}

bool Config::dont_blame_has(std::string_view flag) const {
    const OptionValue* dbs = option("DontBlameSendmail");
    if (dbs == nullptr) return false;
    std::vector<std::string> flags = split_commas(dbs->value);
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

} // namespace smaudit::model
