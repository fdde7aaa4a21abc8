// SM-C002 mc-ordering-error: calls in the wrong order (KB §1.1.7, CFG-002). sendmail's cf files
// notice them and print an m4 `errprint` message (SM-E105 repeats the raw text); this rule says
// what the order changes and where the call it should precede is.
#include "rules/mc_support.hpp"

#include <set>

namespace smaudit::rules {

// The name inside the first FEATURE(`name') of a message, empty when there is none.
static std::string required_feature(std::string_view message) {
    constexpr std::string_view kRequires = "requires FEATURE(`";
    size_t at = message.find(kRequires);
    if (at == std::string_view::npos) return {};
    at += kRequires.size();
    size_t end = message.find('\'', at);
    return end == std::string_view::npos ? std::string()
                                         : std::string(message.substr(at, end - at));
}

static std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (blank && (out.empty() || out.back() == ' ')) continue;
        out += blank ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

// m4's own words for a FEATURE whose effect on a mailer is lost when it comes after that
// mailer (allmasquerade, always_add_domain, local_procmail, local_lmtp, smrsh, ...).
static bool is_specific_order_message(std::string_view text) {
    return text.find("must appear after") != std::string_view::npos ||
           text.find("must occur before") != std::string_view::npos;
}

// The .mc call that first read a mailer file before `before`: a MAILER call, or a call whose
// file calls MAILER itself (FEATURE(`msp') and FEATURE(`nullclient') define local and smtp).
static Location mailer_call(const RuleContext& context, Location before) {
    for (const m4::Expansion::IncludedFile& file : context.expansion->included_by)
        if (context.sources.get(file.file).path().find("/mailer/") != std::string::npos &&
            file.by_call.file == before.file && file.by_call.span.begin < before.span.begin)
            return file.by_call;
    return {};
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr) return;
    const m4::Expansion& expansion = *context.expansion;
    // File and line: m4 may print two messages about one call.
    std::set<std::pair<FileId, uint32_t>> reported;
    std::set<std::pair<FileId, uint32_t>> specific; // lines with a FEATURE's own order message
    for (const m4::ErrprintMessage& message : expansion.errprints)
        if (is_specific_order_message(message.text))
            specific.insert({message.where.file, context.sources.line_of(message.where)});
    for (const m4::ErrprintMessage& message : expansion.errprints) {
        std::string text = one_line(message.text);
        const std::pair<FileId, uint32_t> line{message.where.file,
                                               context.sources.line_of(message.where)};
        const m4::MacroCall* earlier = nullptr; // the call this one should have come after/before
        std::string consequence;
        if (text.find("should be before MAILER()") != std::string::npos) {
            const Location mailers = mailer_call(context, message.where);
            for (const m4::MacroCall& call : expansion.calls)
                if (mailers.valid() ? call.where == mailers : call.name == "MAILER") {
                    earlier = &call;
                    break;
                }
            if (earlier != nullptr && earlier->name != "MAILER") {
                // No MAILER line of the .mc's own: FEATURE(`msp') (submit.mc) defined the
                // mailers. A FEATURE that changes a mailer says so in a message of its own,
                // reported on this line instead; any other is only read at the end of input, so
                // the .cf is the same as with it first (checked with m4), and m4's complaint
                // is advice.
                if (specific.count(line) != 0) continue;
                if (!reported.insert(line).second) continue;
                const std::string caller = one_line(context.sources.text_at(earlier->where));
                Diagnostic& d = out.report(
                    message.where,
                    "m4 reports an ordering error: " + text + "; " + caller +
                        " defines the mailers itself (it calls MAILER), so for m4 this FEATURE "
                        "comes after MAILER(). It changes none of them: the .cf is the one m4 "
                        "writes with it first. Move it before " +
                        caller + " to quiet m4",
                    "after the mailers " + caller + " defines");
                d.severity = Severity::Info;
                d.notes.push_back(Label{earlier->where, "defines the mailers"});
                continue;
            }
            consequence = "m4 still applies it, but the order sendmail's cf files expect "
                          "(FEATUREs, then MAILERs) is broken";
        } else if (std::string feature = required_feature(text); !feature.empty()) {
            for (const m4::MacroCall& call : expansion.calls)
                if (call.name == "FEATURE" && !call.args.empty() && call.args[0] == feature &&
                    call.where.span.begin > message.where.span.begin) {
                    earlier = &call;
                    break;
                }
            consequence = "the rules this FEATURE needs FEATURE(`" + feature +
                          "') for are not generated" +
                          (earlier ? std::string(": it comes later in the .mc") : std::string());
        } else if (text.find("should be before") != std::string::npos ||
                   text.find("must be before") != std::string::npos ||
                   is_specific_order_message(text)) {
            consequence = "the .cf m4 writes is not what the order of the .mc suggests";
            // A FEATURE that changes a mailer defined before it: that mailer's call.
            if (const Location mailers = mailer_call(context, message.where);
                mailers.valid() && is_specific_order_message(text))
                for (const m4::MacroCall& call : expansion.calls)
                    if (call.where == mailers) {
                        earlier = &call;
                        consequence = "the mailers defined before it (by " +
                                      one_line(context.sources.text_at(call.where)) +
                                      ") do not get what it changes; move it before that call";
                        break;
                    }
        } else {
            continue; // other messages are SM-E105's alone
        }
        if (!reported.insert(line).second) continue;
        Diagnostic& d =
            out.report(message.where, "m4 reports an ordering error: " + text + "; " + consequence,
                       "out of order");
        if (earlier != nullptr) d.notes.push_back(Label{earlier->where, "the call it depends on"});
    }
}

extern const Rule kSM_C002 = {"SM-C002",
                              "mc-ordering-error",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "macro calls of an .mc in an order that sendmail's cf files reject "
                              "or that changes what they generate",
                              "reorder: VERSIONID, OSTYPE, DOMAIN, defines, FEATUREs, MAILERs",
                              FixKind::None,
                              &check,
                              Rule::Scope::Config,
                              "SM-E105"};

} // namespace smaudit::rules
