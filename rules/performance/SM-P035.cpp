// SM-P035 milter-timeouts-too-long: each milter a daemon uses (InputMailFilters, or a daemon's
// own InputMailFilters=) is connected to at the start of every SMTP session and asked at each
// stage; the X line's T= field bounds the waits: C connecting, S sending, R each reply, E the
// verdict after the end of the message (milter.c; defaults C:5m;S:10s;R:10s;E:5m). A milter whose
// socket stops answering makes every session wait C (KB PERF-035). What happens after a timeout
// (F=T, F=R or mail passing unfiltered) is SM-S060's business; the message names it.
#include "rules/rule_support.hpp"

#include "model/duration.hpp"

#include <algorithm>
#include <set>

namespace smaudit::rules {

namespace {

constexpr long long kLongestConnect = 60; // seconds
constexpr long long kClientEom = 600;     // RFC 5321 4.5.3.2.6: a client waits 10 minutes

// One field of T= ("C:5m"), with where its value sits in T='s text.
struct TimeoutField {
    char code = 0;
    std::string value;
    size_t begin = 0, end = 0; // the value's bytes within T='s text
};

// milter_parse_timeouts(): fields separated by ';' (blanks skipped), `code:value`; a field
// without ':' ends the list (sendmail stops there too).
std::vector<TimeoutField> timeout_fields(std::string_view text) {
    std::vector<TimeoutField> fields;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ';' || text[i] == ' ' || text[i] == '\t'))
            ++i;
        if (i >= text.size()) break;
        char code = text[i];
        size_t colon = text.find(':', i);
        if (colon == std::string_view::npos) break;
        size_t begin = colon + 1;
        while (begin < text.size() && (text[begin] == ' ' || text[begin] == '\t'))
            ++begin;
        size_t end = std::min(text.find(';', begin), text.size());
        fields.push_back({code, std::string(text.substr(begin, end - begin)), begin, end});
        i = end;
    }
    return fields;
}

// Milter names a configuration calls: InputMailFilters and the daemons' own lists, separated by
// ';' or ',' (milter_config()).
std::set<std::string> used_milters(const model::Config& config) {
    std::vector<std::string> lists;
    if (const model::OptionValue* global = config.option("InputMailFilters"); !is_unset(global))
        lists.push_back(global->value);
    for (const model::PortOptions& daemon : config.daemons)
        if (auto own = daemon.get("InputMailFilters")) lists.push_back(*own);
    std::set<std::string> names;
    for (const std::string& list : lists) {
        size_t pos = 0;
        while (pos <= list.size()) {
            size_t end = std::min(list.find_first_of(";,", pos), list.size());
            std::string name = list.substr(pos, end - pos);
            name.erase(0, name.find_first_not_of(" \t"));
            name.erase(name.find_last_not_of(" \t") + 1);
            if (!name.empty()) names.insert(name);
            pos = end + 1;
        }
    }
    return names;
}

// The value bytes of a field of the X line are its value as sendmail reads it (no quotes or
// escapes, not joined from elsewhere), so a fix may edit them.
bool editable(const RuleContext& context, const model::MilterDef& milter, char letter) {
    auto where = milter.field_where.find(letter);
    auto value = milter.fields.find(letter);
    if (where == milter.field_where.end() || value == milter.fields.end()) return false;
    const Location at = where->second;
    return at.valid() && at.file < context.sources.size() &&
           context.sources.get(at.file).slice(at.span) == value->second;
}

std::string fail_mode(const model::MilterDef& milter) {
    auto flags = milter.fields.find('F');
    const std::string f = flags == milter.fields.end() ? "" : flags->second;
    if (f.find('R') != std::string::npos) return "then sendmail rejects the connection (F=R)";
    if (f.find('T') != std::string::npos)
        return "then sendmail refuses it with a temporary error (F=T)";
    return "then sendmail goes on without the filter (neither F=T nor F=R, SM-S060)";
}

void check_milter(const RuleContext& context, Emitter& out, const model::MilterDef& milter) {
    auto t = milter.fields.find('T');
    const std::string text = t == milter.fields.end() ? "" : t->second;
    std::vector<TimeoutField> fields = timeout_fields(text);
    // What sendmail uses: its defaults, then each field of T= in order.
    struct Wait {
        char code;
        long long seconds;
        std::string written; // as T= writes it; empty for the default
        std::string_view default_text;
    };
    std::vector<Wait> waits = {
        {'C', 300, "", "5m"}, {'S', 10, "", "10s"}, {'R', 10, "", "10s"}, {'E', 300, "", "5m"}};
    for (const TimeoutField& field : fields)
        for (Wait& wait : waits)
            if (wait.code == field.code) {
                wait.seconds = model::read_duration(field.value, 's').seconds;
                wait.written = field.value;
            }
    const bool has_t = t != milter.fields.end();
    auto shown = [&](const Wait& wait) {
        std::string field(1, wait.code);
        if (!wait.written.empty()) return field + ":" + wait.written;
        return field + ":" + std::string(wait.default_text) + ", sendmail's default: " +
               (has_t ? "T= has no " + field : std::string("the X line has no T="));
    };
    std::vector<std::string> problems;
    std::vector<std::pair<char, std::string>> fixes; // code, new value
    for (const Wait& wait : waits) {
        if (wait.code == 'C' && (wait.seconds > kLongestConnect || wait.seconds <= 0)) {
            problems.push_back(
                (wait.seconds > 0 ? "it waits up to " + model::describe_seconds(wait.seconds) +
                                        " to connect (" + shown(wait) + ")"
                                  : "it waits for the kernel's connect timeout, about 2 minutes "
                                    "on Linux, to connect (" +
                                        shown(wait) + " sets no timer)") +
                ", so when its socket does not answer every SMTP session waits that long at the "
                "start, " +
                fail_mode(milter));
        } else if ((wait.code == 'S' || wait.code == 'R') && wait.seconds <= 0) {
            problems.push_back(shown(wait) + " is no limit on " +
                               (wait.code == 'S' ? "sending to it" : "waiting for its replies") +
                               ", so a filter that hangs hangs the SMTP session with it");
        } else if (wait.code == 'E' && wait.seconds >= kClientEom) {
            problems.push_back(shown(wait) + " lets it take " +
                               model::describe_seconds(wait.seconds) +
                               " for its verdict after a message, not less than the 10 minutes a "
                               "client waits for the reply to its final dot (RFC 5321), so "
                               "clients give up and send the message again");
        } else {
            continue;
        }
        fixes.emplace_back(wait.code, wait.code == 'E' ? "5m" : "10s");
    }
    if (problems.empty()) return;

    std::string message = "Milter " + milter.name + ": ";
    for (size_t i = 0; i < problems.size(); ++i)
        message += (i == 0 ? "" : "; ") + problems[i];
    // The caret goes on T= when there is one, else on the socket: in an .mc the X line stands
    // for the whole INPUT_MAIL_FILTER call, and only the fields are the argument's own bytes.
    Location where = has_t ? milter.field_where.at('T') : Location{};
    for (char letter : {'S', 'F'})
        if (!where.valid() && milter.field_where.count(letter))
            where = milter.field_where.at(letter);
    if (!where.valid()) where = milter.where;
    Diagnostic& d = out.report(where, std::move(message),
                               has_t ? "the timeouts of milter " + milter.name + " are set here"
                                     : "milter " + milter.name + " is defined here, without T=");

    // The fix edits T= in place: a field's value replaced, a missing field added at its start,
    // or T= added after the last field when there is none.
    std::vector<Edit> edits;
    std::string title;
    for (const auto& [code, value] : fixes)
        title += (title.empty() ? "set " : ", ") + std::string(1, code) + ":" + value;
    if (!has_t) {
        Location last;
        for (const auto& [letter, where] : milter.field_where)
            if (where.valid() && (!last.valid() || where.span.end > last.span.end)) last = where;
        auto last_letter =
            std::find_if(milter.field_where.begin(), milter.field_where.end(),
                         [&](const auto& f) { return f.second.span.end == last.span.end; });
        if (last_letter == milter.field_where.end() ||
            !editable(context, milter, last_letter->first))
            return;
        std::string added;
        for (const auto& [code, value] : fixes)
            added += (added.empty() ? "" : ";") + std::string(1, code) + ":" + value;
        edits.push_back({Location{last.file, Span{last.span.end, last.span.end}}, ", T=" + added});
    } else {
        if (!editable(context, milter, 'T')) return;
        const Location at = milter.field_where.at('T');
        for (const auto& [code, value] : fixes) {
            // The last field of a code wins in sendmail; edit that one.
            auto field =
                std::find_if(fields.rbegin(), fields.rend(),
                             [code = code](const TimeoutField& f) { return f.code == code; });
            if (field != fields.rend())
                edits.push_back(
                    {Location{at.file, Span{at.span.begin + static_cast<uint32_t>(field->begin),
                                            at.span.begin + static_cast<uint32_t>(field->end)}},
                     value});
            else
                edits.push_back({Location{at.file, Span{at.span.begin, at.span.begin}},
                                 std::string(1, code) + ":" + value + ";"});
        }
    }
    d.fix = Fix{title + " in the T= of milter " + milter.name, false, std::move(edits)};
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const std::set<std::string> used = used_milters(context.config);
    for (const model::MilterDef& milter : context.config.milters)
        if (used.count(milter.name) != 0) check_milter(context, out, milter);
}

extern const Rule kSM_P035 = {"SM-P035",
                              "milter-timeouts-too-long",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "A milter's timeouts let a dead or slow filter stall every SMTP "
                              "session (T= missing or too long)",
                              "set the milter's T= to C:10s (and no unlimited S or R, E below "
                              "10m)",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
