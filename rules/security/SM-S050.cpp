// SM-S050 aliases-syntax-pitfall: lines newaliases reads differently from how they look
// (KB SEC-050): an indented line after a comment is part of the comment (its alias is never
// defined) and `#` after column 1 is no comment (it becomes part of the target). A repeated
// name (the last definition wins) is the aliases parser's SM-E216.
#include "rules/map_support.hpp"

#include <cctype>

namespace smaudit::rules {

// True when an indented line reads like an alias definition of its own (`name: target`).
static bool looks_like_alias(std::string_view line) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return false;
    line.remove_prefix(start);
    size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos || line.front() == '#') return false;
    for (char c : line.substr(0, colon))
        if (std::isspace(static_cast<unsigned char>(c))) return false;
    return true;
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    for (const ast::AliasesFile& aliases : context.maps->aliases) {
        // (a) indented lines swallowed by a comment
        for (Span comment : aliases.comments) {
            std::string_view text = aliases.slice(comment);
            for (size_t nl = text.find('\n'); nl != std::string_view::npos;
                 nl = text.find('\n', nl + 1)) {
                size_t begin = nl + 1;
                size_t end = text.find('\n', begin);
                std::string_view line =
                    text.substr(begin, end == std::string_view::npos ? text.npos : end - begin);
                if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
                if (!looks_like_alias(line)) continue;
                uint32_t first = comment.begin + static_cast<uint32_t>(begin);
                out.report(at(aliases.file, {first, first + static_cast<uint32_t>(line.size())}),
                           "this indented line continues the comment above it: the alias `" +
                               std::string(line.substr(line.find_first_not_of(" \t"))) +
                               "` is never defined",
                           "part of the comment");
            }
        }
        for (const ast::AliasEntry& entry : aliases.entries) {
            // (b) '#' inside a line
            for (const ast::AliasTarget& target : aliases.targets(entry)) {
                if (target.quoted || target.kind == ast::AliasTargetKind::Program) continue;
                size_t hash = target.text.find('#');
                if (hash == std::string::npos || hash == 0 ||
                    !std::isspace(static_cast<unsigned char>(target.text[hash - 1])))
                    continue;
                out.report(at(aliases.file, target.span),
                           "`#` is a comment only in column 1: the target is `" + target.text +
                               "`, which no user is",
                           "not a comment");
            }
        }
    }
}

extern const Rule kSM_S050 = {"SM-S050",
                              "aliases-syntax-pitfall",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "An aliases line is read differently from how it looks",
                              "one alias per logical line, comments in column 1 only",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
