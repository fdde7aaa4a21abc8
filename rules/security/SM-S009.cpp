// SM-S009 access-relay-too-broad: an access RELAY key that covers a TLD, a public suffix, a /8 or
// /16 network, or an empty key (KB SEC-009). The fix comments the line out with a note: unsafe
// for a key sendmail looks up (only the owner knows which sites were meant), safe for an empty
// key, which sendmail never looks up.
#include "rules/map_support.hpp"

namespace smaudit::rules {

using ast::AccessTag;

// `#` before the entry's line with a note line above it, and before each later RELAY line of
// the same key that makemap drops today (it would take the entry's place). makemap skips lines
// that start with `#`.
// What every fix in one access file needs, worked out once for the file (at its first finding):
// a search of the whole text or a pass over its duplicates per finding made an audit of a big
// map quadratic.
struct FileFacts {
    bool crlf;
    DuplicatesByKept duplicates;
};

static std::optional<Fix> comment_out(const RuleContext& context, const ast::AccessFile& access,
                                      const FileFacts& facts, uint32_t index, std::string_view why,
                                      bool safe) {
    const std::string& text = context.sources.get(access.file).text();
    const bool crlf = facts.crlf;
    std::vector<Edit> edits;
    auto comment = [&](const ast::MapEntry& line, std::string note) {
        const uint32_t begin = line.span().begin;
        if (begin > 0 && text[begin - 1] != '\n') return false; // not at a line start
        edits.push_back(Edit{at(access.file, Span{begin, begin}),
                             note.empty() ? "#" : note + (crlf ? "\r\n#" : "\n#")});
        return true;
    };
    if (!comment(access.entries[index], "# smaudit SM-S009: commented out: " + std::string(why)))
        return std::nullopt;
    for (const ast::MapDuplicate& duplicate : facts.duplicates.of(index))
        if (access.entries[duplicate.entry].kind == ast::AccessValueKind::Relay &&
            !comment(access.entries[duplicate.entry], {}))
            return std::nullopt;
    return Fix{"comment the entry out, then rebuild the map (makemap hash access < access)", safe,
               std::move(edits)};
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    for (const ast::AccessFile& access : context.maps->access) {
        std::optional<FileFacts> facts;
        auto facts_of = [&]() -> const FileFacts& {
            if (!facts)
                facts.emplace(FileFacts{context.sources.get(access.file).text().find("\r\n") !=
                                            std::string::npos,
                                        DuplicatesByKept(access.duplicates)});
            return *facts;
        };
        for (uint32_t index = 0; index < access.entries.size(); ++index) {
            const ast::MapEntry& entry = access.entries[index];
            if (entry.kind != ast::AccessValueKind::Relay || entry.duplicate()) continue;
            // Only the tags whose lookups can grant relaying (KB §1.6); From: is SM-S007's.
            if (entry.tag != AccessTag::None && entry.tag != AccessTag::Connect &&
                entry.tag != AccessTag::To)
                continue;
            std::string_view key = access.bare_key(entry);
            std::string tagged(access.key(entry));
            std::string_view whom = entry.tag == AccessTag::To
                                        ? "mail to any recipient there is relayed"
                                    : entry.tag == AccessTag::Connect
                                        ? "any client there may relay"
                                        : "any client, sender or recipient there may relay "
                                          "(untagged keys serve every lookup)";
            if (key.empty()) {
                Diagnostic& d = out.report(
                    at(access.file, entry.key_span()),
                    "`" + tagged +
                        " RELAY` has an empty key: meant to relay for everyone (sendmail "
                        "never looks an empty key up, so today it does nothing)",
                    "empty key");
                d.fix = comment_out(context, access, facts_of(), index,
                                    "sendmail never looks up an empty key", true);
                continue;
            }
            if (std::optional<std::string> breadth = relay_breadth(key)) {
                Diagnostic& d = out.report(at(access.file, entry.bare_key_span()),
                                           "`" + tagged + " RELAY` is too broad: " + *breadth +
                                               ", and " + std::string(whom),
                                           "relays for far more than one site");
                d.fix = comment_out(
                    context, access, facts_of(), index,
                    "this RELAY key covers far more than one site; narrow it to your own", false);
            }
        }
    }
}

extern const Rule kSM_S009 = {"SM-S009",
                              "access-relay-too-broad",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "An access RELAY key covers a TLD, public suffix or huge network",
                              "comment the entry out; narrow the key to your own hosts, "
                              "domains or networks",
                              FixKind::Mixed,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
