// SM-S010 relay-domains-too-broad: a class R entry (`CR`/`C{R}` lines, RELAY_DOMAIN, the
// relay-domains file) that covers a TLD, a public suffix or a huge network (KB SEC-010).
#include "rules/map_support.hpp"

#include <set>

namespace smaudit::rules {

static std::string message(std::string_view word, const std::string& breadth,
                           std::string_view source) {
    return "relay domain `" + std::string(word) + "` (" + std::string(source) +
           ") is too broad: " + breadth +
           "; class R relays to matching recipient domains and for matching clients";
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.config_present) {
        auto r = context.config.classes.find("R");
        if (r != context.config.classes.end()) {
            const model::ClassDef& relay = r->second;
            std::set<std::string> seen;
            for (size_t i = 0; i < relay.words.size(); ++i) {
                const std::string& word = relay.words[i];
                if (!seen.insert(model::to_lower(word)).second) continue;
                std::optional<std::string> breadth = relay_breadth(word);
                if (!breadth) continue;
                // The word's own bytes: in an .mc the RELAY_DOMAIN argument or LOCAL_CONFIG
                // line, or the DOMAIN/FEATURE call whose file wrote it; invalid only for text
                // of the cf tree itself (reported against the configuration file).
                Location where = i < relay.word_where.size() ? relay.word_where[i] : Location{};
                out.report(where, message(word, *breadth, "class R"), "relays too broadly");
            }
        }
    }
    if (context.maps == nullptr) return;
    for (const ast::ClassFile& file : context.maps->class_files) {
        if (!is_relay_domains_file(context, file)) continue;
        for (Span span : file.words)
            if (std::optional<std::string> breadth = relay_breadth(file.word(span)))
                out.report(at(file.file, span), message(file.word(span), *breadth, "relay-domains"),
                           "relays too broadly");
    }
}

extern const Rule kSM_S010 = {
    "SM-S010",
    "relay-domains-too-broad",
    Pack::Security,
    Severity::Critical,
    25,
    "A relay domain (class R) covers a TLD, public suffix or huge network",
    "narrow the entry to your own domains, hosts or networks",
    FixKind::None,
    &check,
    Rule::Scope::Maps};

} // namespace smaudit::rules
