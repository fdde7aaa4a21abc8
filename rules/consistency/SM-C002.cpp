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

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr) return;
    const m4::Expansion& expansion = *context.expansion;
    // File and line: m4 may print two messages about one call.
    std::set<std::pair<FileId, uint32_t>> reported;
    for (const m4::ErrprintMessage& message : expansion.errprints) {
        std::string text = one_line(message.text);
        const m4::MacroCall* earlier = nullptr; // the call this one should have come after/before
        std::string consequence;
        if (text.find("should be before MAILER()") != std::string::npos) {
            for (const m4::MacroCall& call : expansion.calls)
                if (call.name == "MAILER") {
                    earlier = &call;
                    break;
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
                   text.find("must appear after") != std::string::npos) {
            consequence = "the .cf m4 writes is not what the order of the .mc suggests";
        } else {
            continue; // other messages are SM-E105's alone
        }
        uint32_t line = context.sources.line_of(message.where);
        if (!reported.insert({message.where.file, line}).second) continue;
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
