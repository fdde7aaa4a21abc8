// SM-S030 header-reveals-version: a header sendmail writes into messages (an `H` line) that
// shows the sendmail version. cf/m4's Received: header does, `by $j ($v/$Z)`, so every message
// the host handles tells its recipients which release handled it (KB SEC-030; cf/README
// confRECEIVED_HEADER).
#include "rules/rule_support.hpp"
#include "rules/version_support.hpp"

namespace smaudit::rules {

namespace {

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    for (const model::HeaderDef& header : config.headers) {
        const std::optional<std::string> why = text_reveals(config, header.value);
        if (!why) continue;
        const bool received = equals_ignore_case(header.name, "Received");
        Diagnostic& d = out.report(
            header.value_where.valid() ? header.value_where : header.where,
            "the " + header.name + ": header sendmail writes into " +
                (received ? std::string("every message it handles") : std::string("messages")) +
                " shows " + *why +
                ", so their recipients learn which sendmail release the host runs",
            header.value_where.valid()
                ? "this header is set here"
                : "this header comes from sendmail's cf tree (confRECEIVED_HEADER)");
        // A header no line of the .mc wrote is the cf tree's default (confRECEIVED_HEADER).
        d.about_default = !header.value_where.valid();
        const std::optional<std::string> stripped = without_version(config, header.value);
        if (!stripped) continue;
        // The header's own bytes when the file wrote them (a .cf, or an .mc that defines the
        // header text itself); else, for the Received: header of an .mc, confRECEIVED_HEADER
        // defined to the text it has now without the version, which keeps that text even when
        // a later cf tree changes it.
        if (context.sources.text_at(header.value_where) == header.value &&
            (!context.expansion || header.value_where.file == config.files.front())) {
            d.fix = Fix{"remove the version from the " + header.name + ": header",
                        true,
                        {Edit{header.value_where, *stripped}}};
        } else if (received && context.expansion) {
            if (auto edit = insert_mc_text_define(context, "confRECEIVED_HEADER", *stripped))
                d.fix = Fix{"define confRECEIVED_HEADER as the header it is now, without the "
                            "version",
                            false,
                            {*edit}};
        }
    }
}

} // namespace

extern const Rule kSM_S030 = {"SM-S030",
                              "header-reveals-version",
                              Pack::Security,
                              Severity::Info,
                              1,
                              "A header sendmail adds to messages (Received:) shows the sendmail "
                              "version",
                              "remove ($v/$Z) from the Received: header",
                              FixKind::Mixed,
                              &check};

} // namespace smaudit::rules
