// SM-S044 decode-alias: an alias that pipes mail into a decoder (`decode: "|/usr/bin/uudecode"`)
// lets anyone write files as the alias's user by mailing an encoded file (STIG GEN004640, CAT I;
// KB SEC-044).
#include "rules/map_support.hpp"

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

static void check(const RuleContext& context, Emitter& out) {
    for_each_alias_target(context, [&](const ast::AliasesFile& aliases,
                                       const ast::AliasEntry& entry,
                                       const ast::AliasTarget& target) {
        if (target.kind != ast::AliasTargetKind::Program) return;
        std::string name = aliases.key(entry);
        bool decode_name = name == "decode" || name == "uudecode";
        std::string_view program = decoder(target.unquoted);
        if (program.empty() && !decode_name) return;
        out.report(at(aliases.file, target.span),
                   "alias `" + std::string(aliases.name(entry)) + "` pipes mail into " +
                       (program.empty() ? std::string("a program") : std::string(program)) +
                       ": anyone can mail an encoded file and have it written wherever "
                       "the alias's user may write",
                   "decodes mail into files");
    });
}

extern const Rule kSM_S044 = {"SM-S044",
                              "decode-alias",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "An alias pipes mail into uudecode or another decoder",
                              "delete the alias (or point it at root) and run newaliases",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
