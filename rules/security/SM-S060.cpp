// SM-S060 milter-not-enforced: a mail filter that does not hold mail back when it fails, or is
// not in use at all (KB SEC-060; op.me "X — Mail Filter (Milter) Definitions", InputMailFilters;
// milter.c). Four cases:
//  - an X line without F=R, F=T or F=4: when the filter cannot be reached, errors or times out,
//    sendmail goes on "as if the failing filters were not present" (fails open);
//  - an X line no InputMailFilters list names (the option, or a daemon's I= modifier): the
//    filter is never called (an .mc's MAIL_FILTER, or a confINPUT_MAIL_FILTERS define that
//    drops an INPUT_MAIL_FILTER);
//  - a list naming a filter no X line defines: milter_config() stops with "InputFilter x not
//    defined", and `sendmail -bd` exits 78 (EX_CONFIG), checked with sendmail 8.17.1.9;
//  - a filter on another host (S=inet:port@host): the messages cross the network in clear.
// The milter timeouts (T=) are SM-P035's business.
#include "rules/rule_support.hpp"

#include <algorithm>
#include <set>

namespace smaudit::rules {

namespace {

// Names of a filter list as milter_config() splits it: at ',' and ';', blanks skipped.
std::vector<std::string> filter_names(std::string_view list) {
    std::vector<std::string> names;
    std::string name;
    auto flush = [&] {
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            name.pop_back();
        if (!name.empty()) names.push_back(name);
        name.clear();
    };
    for (char c : list) {
        if (c == ',' || c == ';')
            flush();
        else if (!name.empty() || (c != ' ' && c != '\t'))
            name += c;
    }
    flush();
    return names;
}

// A place that names a list of filters: the option's last line, or a daemon's line.
struct FilterList {
    std::vector<std::string> names;
    Location where;
    std::string what; // "InputMailFilters", "the daemon MSA's InputMailFilters"
};

std::vector<FilterList> filter_lists(const model::Config& config) {
    std::vector<FilterList> lists;
    const model::OptionValue* option = config.option("InputMailFilters");
    if (!is_unset(option))
        lists.push_back({filter_names(option->value), option->value_where(), "InputMailFilters"});
    for (const model::PortOptions& daemon : config.daemons)
        if (auto list = daemon.get("InputMailFilters")) {
            std::string name = daemon.get("Name").value_or("");
            lists.push_back({filter_names(*list), daemon.where,
                             "the InputMailFilters of daemon " +
                                 (name.empty() ? std::string("without a name") : name)});
        }
    return lists;
}

bool listed(const std::vector<FilterList>& lists, std::string_view name) {
    for (const FilterList& list : lists)
        for (const std::string& listed_name : list.names)
            if (equals_ignore_case(listed_name, name)) return true;
    return false;
}

// `F=T` for a filter without it: T added to its F= value, or `, F=T` after its last field.
std::optional<Edit> tempfail_edit(const RuleContext& context, const model::MilterDef& milter) {
    if (milter.fields.contains('F')) {
        if (auto flags = written_field(context, milter.fields, milter.field_where, 'F'))
            return Edit{{flags->file, {flags->span.end, flags->span.end}}, "T"};
        return std::nullopt;
    }
    std::optional<Location> last;
    for (const auto& [letter, where] : milter.field_where) {
        auto written = written_field(context, milter.fields, milter.field_where, letter);
        if (!written) return std::nullopt; // a field from elsewhere: no safe place to write
        if (!last || written->span.end > last->span.end) last = written;
    }
    if (!last) return std::nullopt;
    return Edit{{last->file, {last->span.end, last->span.end}}, ", F=T"};
}

// Where a filter is defined: in an .mc the MAIL_FILTER or INPUT_MAIL_FILTER call (m4 writes the
// X lines from a diversion, which keeps no place in the .mc), else its X line.
Location milter_place(const RuleContext& context, const model::MilterDef& milter) {
    if (context.expansion != nullptr) {
        const m4::MacroCall* found = nullptr;
        for (const m4::MacroCall& call : context.expansion->calls)
            if ((call.name == "MAIL_FILTER" || call.name == "INPUT_MAIL_FILTER") &&
                !call.args.empty() && equals_ignore_case(call.args[0], milter.name))
                found = &call;
        if (found != nullptr) return found->where;
    }
    return milter.where;
}

bool loopback_host(std::string_view host) {
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    return equals_ignore_case(host, "localhost") || host.starts_with("127.") || host == "::1" ||
           equals_ignore_case(host, "ip6-localhost") || host.empty();
}

void check_milter(const RuleContext& context, Emitter& out, const model::MilterDef& milter,
                  const std::vector<FilterList>& lists, const std::vector<std::string>& unused) {
    const std::string shown = "the mail filter `" + milter.name + "`";
    if (!listed(lists, milter.name)) {
        Diagnostic& d = out.report(
            milter_place(context, milter),
            shown + " is defined but no InputMailFilters list names it: sendmail never calls it",
            "never called");
        d.severity = Severity::Medium;
        if (!lists.empty() && lists.front().what == "InputMailFilters" &&
            lists.front().where.valid())
            d.notes.push_back(
                Label{lists.front().where, "InputMailFilters is set here without it"});
        // Unsafe: the filter starts to act on every message. One list for all unused filters,
        // so the fixes of several findings are the same edit when no list exists yet.
        const model::OptionValue* option = context.config.option("InputMailFilters");
        std::string joined;
        for (const std::string& name : unused)
            joined += (joined.empty() ? "" : ", ") + name;
        if (!is_unset(option)) {
            if (auto edits =
                    add_flag(context, option->settings.back(), "InputMailFilters", milter.name);
                !edits.empty())
                d.fix = Fix{"add " + milter.name + " to InputMailFilters", false, std::move(edits)};
        } else if (auto edit = insert_option_line(context, "InputMailFilters", joined)) {
            d.fix = Fix{"set InputMailFilters to " + joined, false, {*edit}};
        }
        return;
    }
    auto flags = milter.fields.find('F');
    const bool fails_closed =
        flags != milter.fields.end() && flags->second.find_first_of("RT4") != std::string::npos;
    if (!fails_closed) {
        auto at = milter.field_where.find('F');
        Diagnostic& d = out.report(
            at != milter.field_where.end() && at->second.valid() ? at->second
                                                                 : milter_place(context, milter),
            shown + " fails open: without F=T (or F=R) sendmail passes mail on unfiltered whenever "
                    "the filter is down, errors or times out",
            flags == milter.fields.end() ? "no F= flags" : "F= has neither T nor R");
        // Unsafe: mail is refused with 4xx while the filter is down.
        if (auto edit = tempfail_edit(context, milter))
            d.fix = Fix{"add F=T (tempfail while the filter is unavailable)", false, {*edit}};
    }
    auto socket = milter.fields.find('S');
    if (socket == milter.fields.end()) return;
    std::string_view spec = socket->second;
    if (!(spec.starts_with("inet:") || spec.starts_with("inet6:"))) return;
    size_t at_sign = spec.find('@');
    std::string_view host = at_sign == std::string_view::npos ? "" : spec.substr(at_sign + 1);
    if (loopback_host(host)) return;
    auto at = milter.field_where.find('S');
    Diagnostic& d = out.report(at != milter.field_where.end() && at->second.valid()
                                   ? at->second
                                   : milter_place(context, milter),
                               shown + " is on another host (" + std::string(host) +
                                   "): every message goes to it over the network unencrypted",
                               "a socket on another host");
    d.severity = Severity::Low;
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const std::vector<FilterList> lists = filter_lists(config);
    std::vector<std::string> unused;
    for (const model::MilterDef& milter : config.milters)
        if (!listed(lists, milter.name)) unused.push_back(milter.name);
    for (const model::MilterDef& milter : config.milters)
        check_milter(context, out, milter, lists, unused);
    for (const FilterList& list : lists)
        for (const std::string& name : list.names) {
            bool defined = std::any_of(config.milters.begin(), config.milters.end(),
                                       [&](const model::MilterDef& milter) {
                                           return equals_ignore_case(milter.name, name);
                                       });
            if (defined) continue;
            Diagnostic& d =
                out.report(list.where,
                           list.what + " names `" + name +
                               "`, which no X line defines: sendmail stops with \"InputFilter " +
                               name + " not defined\" and does not start (exit 78)",
                           "names an undefined filter");
            d.severity = Severity::High;
            break; // sendmail stops at the first one
        }
}

} // namespace

extern const Rule kSM_S060 = {"SM-S060",
                              "milter-not-enforced",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "a mail filter fails open, is never called, or is not defined",
                              "add F=T to the filter, or name it in InputMailFilters",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
