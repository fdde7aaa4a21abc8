// SM-S044 decode-alias: an alias that pipes mail into a decoder (`decode: "|/usr/bin/uudecode"`)
// lets anyone write files as the alias's user by mailing an encoded file (STIG GEN004640, CAT I;
// KB SEC-044). The fix deletes the alias (or only its decoder target when it has others): unsafe,
// since mail to it then bounces or stops reaching the program.
#include "rules/map_support.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

// The decoder a program target runs, or empty.
static std::string_view decoder(std::string_view command) {
    std::string text = model::to_lower(command);
    if (text.find("uudecode") != std::string::npos) return "uudecode";
    if (text.find("uuencode") != std::string::npos && text.find(" -d") != std::string::npos)
        return "uuencode -d";
    if (text.find("base64") != std::string::npos &&
        (text.find(" -d") != std::string::npos || text.find("--decode") != std::string::npos))
        return "base64 -d";
    if (text.find("openssl") != std::string::npos && text.find(" -d") != std::string::npos)
        return "openssl -d";
    return {};
}

static bool flagged(const ast::AliasesFile& aliases, const ast::AliasEntry& entry,
                    const ast::AliasTarget& target) {
    if (target.kind != ast::AliasTargetKind::Program) return false;
    std::string name = aliases.key(entry);
    return name == "decode" || name == "uudecode" || !decoder(target.unquoted).empty();
}

// Deletes the alias's lines (and those of earlier definitions of its name, which newaliases
// overrides today and which would take its place) when every target is flagged; otherwise takes
// the target out with the comma before it (after it, for the first target).
static std::optional<Fix> remove_decoder(const RuleContext& context,
                                         const ast::AliasesFile& aliases,
                                         const ast::AliasEntry& entry,
                                         const ast::AliasTarget& target) {
    const std::vector<ast::AliasTarget> targets = aliases.targets(entry);
    const bool all = std::all_of(targets.begin(), targets.end(), [&](const ast::AliasTarget& t) {
        return flagged(aliases, entry, t);
    });
    std::vector<Edit> edits;
    if (all) {
        const uint32_t index = static_cast<uint32_t>(&entry - aliases.entries.data());
        for (const ast::MapDuplicate& duplicate : aliases.duplicates)
            if (duplicate.kept == index) {
                auto edit = replace_lines(context.sources,
                                          at(aliases.file, aliases.entries[duplicate.entry].span));
                if (!edit) return std::nullopt;
                edits.push_back(std::move(*edit));
            }
        auto edit = replace_lines(context.sources, at(aliases.file, entry.span));
        if (!edit) return std::nullopt;
        edits.push_back(std::move(*edit));
        return Fix{"delete the alias, then run newaliases", false, std::move(edits)};
    }
    size_t i = 0;
    while (i < targets.size() && targets[i].span != target.span)
        ++i;
    if (i == targets.size()) return std::nullopt;
    const Span span = i > 0 ? Span{targets[i - 1].span.end, target.span.end}
                            : Span{target.span.begin, targets[1].span.begin};
    return Fix{"take the decoder out of the alias, then run newaliases",
               false,
               {Edit{at(aliases.file, span), ""}}};
}

static void check(const RuleContext& context, Emitter& out) {
    for_each_alias_target(context, [&](const ast::AliasesFile& aliases,
                                       const ast::AliasEntry& entry,
                                       const ast::AliasTarget& target) {
        if (!flagged(aliases, entry, target)) return;
        std::string_view program = decoder(target.unquoted);
        Diagnostic& d =
            out.report(at(aliases.file, target.span),
                       "alias `" + std::string(aliases.name(entry)) + "` pipes mail into " +
                           (program.empty() ? std::string("a program") : std::string(program)) +
                           ": anyone can mail an encoded file and have it written wherever "
                           "the alias's user may write",
                       "decodes mail into files");
        d.fix = remove_decoder(context, aliases, entry, target);
    });
}

extern const Rule kSM_S044 = {"SM-S044",
                              "decode-alias",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "An alias pipes mail into uudecode or another decoder",
                              "delete the alias (or point it at root) and run newaliases",
                              FixKind::Unsafe,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
