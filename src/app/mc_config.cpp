#include "app/mc_config.hpp"

#include "m4/option_table.hpp"
#include "model/locations.hpp"
#include "parse/cf_parser.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace smaudit {

namespace {

// The .mc bytes the expanded span [begin, end) was copied from, when it was copied whole from
// one stretch of the .mc; invalid otherwise.
Location direct_mc_bytes(const m4::Expansion& expansion, Span span) {
    Location first = expansion.origin_of(span.begin);
    if (first.file != expansion.mc) return {};
    if (span.empty()) return {first.file, {first.span.begin, first.span.begin}};
    Location last = expansion.origin_of(span.end - 1);
    if (last.file != expansion.mc || last.span.begin < first.span.begin) return {};
    // Copied whole: as many source bytes as output bytes.
    if (last.span.begin + 1 - first.span.begin != span.size()) return {};
    return {expansion.mc, {first.span.begin, last.span.begin + 1}};
}

// Moves a place in the expanded text to the .mc (see the header); places elsewhere stay.
// Records the .mc places that only stand for their file's text in `indirect`.
Location mc_location(const m4::Expansion& expansion, FileId generated, Location where,
                     std::vector<Location>& indirect) {
    if (where.file != generated) return where;
    if (Location direct = direct_mc_bytes(expansion, where.span); direct.valid()) return direct;
    bool own_statement = false;
    Location call = expansion.mc_origin_in(where.span, &own_statement);
    if (call.valid() && !own_statement) indirect.push_back(call);
    return call;
}

// The .mc place of an O line (in the expanded text) that the .mc did not write whole itself.
// A line the cf tree wrote (proto.m4's `O LogLevel=...`) is the .mc's define of the option's m4
// name when that define is in effect: define(`confLOG_LEVEL', `4'), the last one when a define
// adds to an earlier one (or to an OSTYPE file's) with defn(), also define(`confX', `') with
// no bytes in the line and define(`confX', `OTHER_MACRO') whose bytes are OTHER_MACRO's. Else
// the .mc statement behind its value (a DAEMON_OPTIONS call for its socket); else the call
// standing for the file that wrote it; else invalid ("cf default").
// `in_effect`: the .mc's definitions in effect, by macro name.
Location option_line_place(const m4::Expansion& expansion,
                           const std::unordered_map<std::string_view, Location>& in_effect,
                           std::string_view option, Span line, std::vector<Location>& indirect) {
    const bool cf_line = !expansion.mc_origin_of(line.begin).valid();
    if (const m4::M4Option* entry = m4::find_m4_option_for(option); entry && cf_line)
        if (auto it = in_effect.find(entry->m4_name); it != in_effect.end()) return it->second;
    if (Location statement = expansion.mc_statement_in(line); statement.valid() && cf_line)
        return statement;
    bool own_statement = false;
    Location call = expansion.mc_origin_in(line, &own_statement);
    if (call.valid() && !own_statement) indirect.push_back(call);
    return call;
}

// Where each stretch of a value (bytes `value` of the expanded text) came from, placed in the
// .mc: the .mc's own bytes exactly, other text at the call or statement behind it. Empty when
// the value is one stretch or has no byte of the .mc.
std::vector<model::ValuePiece> value_pieces(const m4::Expansion& expansion, Span value,
                                            std::vector<Location>& indirect) {
    std::vector<model::ValuePiece> pieces;
    const m4::OriginSegment* seg = expansion.segment_of(value.begin);
    if (seg == nullptr) return pieces;
    const m4::OriginSegment* end = expansion.origins.data() + expansion.origins.size();
    for (; seg != end && seg->out_begin < value.end; ++seg) {
        const uint32_t seg_end =
            seg + 1 == end ? static_cast<uint32_t>(expansion.text.size()) : (seg + 1)->out_begin;
        const uint32_t from = std::max(seg->out_begin, value.begin);
        const uint32_t to = std::min(seg_end, value.end);
        if (from >= to) continue;
        model::ValuePiece piece{from - value.begin, to - from, {}, false};
        if (seg->linear && seg->origin.file == expansion.mc) {
            const uint32_t source = seg->origin.span.begin + (from - seg->out_begin);
            piece.where = Location{expansion.mc, {source, source + (to - from)}};
            piece.exact = true;
        } else {
            bool own_statement = false;
            piece.where = expansion.mc_origin_in({from, to}, &own_statement);
            if (piece.where.valid() && !own_statement) indirect.push_back(piece.where);
        }
        pieces.push_back(piece);
    }
    // One piece, or none of the .mc's own: value_where says as much.
    if (pieces.size() < 2 ||
        std::none_of(pieces.begin(), pieces.end(), [](const auto& p) { return p.exact; }))
        pieces.clear();
    return pieces;
}

// Places the O lines of options and sockets (option_line_place) before the other places are
// moved. A value the .mc did not write as one stretch is placed at its line's statement, with
// its pieces (a flag added by a later define keeps its own caret).
void place_option_lines(McConfig& result) {
    const m4::Expansion& expansion = result.expansion;
    std::unordered_map<std::string_view, Location> in_effect;
    for (const m4::McDefinition& definition : expansion.definitions)
        if (definition.in_effect) in_effect[definition.name] = definition.where;
    auto place = [&](std::string_view option, Location& line) {
        if (line.file != result.generated || direct_mc_bytes(expansion, line.span).valid())
            return false;
        line = option_line_place(expansion, in_effect, option, line.span, result.indirect);
        return true;
    };
    for (auto& [name, option] : result.config.options)
        for (model::OptionSetting& setting : option.settings) {
            const Location value = setting.value_where;
            if (!place(name, setting.where)) continue;
            if (value.file != result.generated || direct_mc_bytes(expansion, value.span).valid())
                continue; // moved with the rest
            const std::string_view text =
                std::string_view(expansion.text).substr(value.span.begin, value.span.size());
            if (text == setting.value)
                setting.value_pieces = value_pieces(expansion, value.span, result.indirect);
            // The statement stands for the value when the .mc wrote some of it (or all of it
            // elsewhere than in one stretch, or nothing, as in define(`confX', `')).
            if (!setting.value_pieces.empty() || expansion.mc_statement_in(value.span).valid() ||
                (setting.where.valid() && !expansion.mc_origin_in(value.span).valid()))
                setting.value_where = setting.where;
        }
    for (auto* ports : {&result.config.daemons, &result.config.clients})
        for (model::PortOptions& port : *ports)
            place(ports == &result.config.daemons ? "DaemonPortOptions" : "ClientPortOptions",
                  port.where);
}

// Whether an edit changes text inside `span`: a replacement that overlaps it, or an insertion
// inside it or at its end (appending to a value that an OSTYPE call stands for; inserting
// before the call leaves it alone). A
// replacement that only touches it (the `#` before `FEATURE(...)`) does not, nor one that
// replaces the call with more text around it (its whole line): that edits the call itself (a
// FEATURE line removed), not the text it stands for, which maps to the call's bytes exactly.
bool edit_touches(Span span, Span edit) {
    if (edit.empty()) return span.begin < edit.begin && edit.begin <= span.end;
    if (edit.begin <= span.begin && span.end <= edit.end && edit.size() > span.size()) return false;
    return edit.begin < span.end && span.begin < edit.end;
}

// A FEATURE recognised by what it took out of the .cf (promiscuous_relay: the relay checks of
// cf-tree text) has no text of its own in the .mc: the call that read its file stands for it.
void point_features_at_their_calls(const SourceSet& sources, const m4::Expansion& expansion,
                                   model::Config& config) {
    for (model::Feature& feature : config.features) {
        if (feature.where.valid()) continue;
        const std::string suffix = "/feature/" + feature.name + ".m4";
        for (const m4::Expansion::IncludedFile& file : expansion.included_by)
            if (sources.get(file.file).path().ends_with(suffix)) {
                feature.where = file.by_call;
                break;
            }
    }
}

} // namespace

// An edit of exactly one literal argument of an .mc call (the pause of
// FEATURE(`greet_pause', `10000')) changes what the .mc wrote, not the file the call reads.
static bool replaces_call_argument(const m4::Expansion& expansion, const Edit& edit) {
    for (const m4::MacroCall& call : expansion.calls)
        for (const Location& argument : call.arg_locations)
            if (argument.valid() && argument.file == edit.where.file &&
                argument.span.begin == edit.where.span.begin &&
                argument.span.end == edit.where.span.end)
                return true;
    return false;
}

void drop_indirect_fixes(const McConfig& mc, std::vector<Diagnostic>& diagnostics, size_t first,
                         const std::vector<FileId>& also_editable) {
    FileId file = mc.expansion.mc;
    for (size_t i = first; i < diagnostics.size(); ++i) {
        auto& fix = diagnostics[i].fix;
        if (!fix) continue;
        for (const Edit& edit : fix->edits) {
            bool indirect = std::any_of(mc.indirect.begin(), mc.indirect.end(), [&](Location l) {
                return l.file == edit.where.file && edit_touches(l.span, edit.where.span);
            });
            const bool named = std::find(also_editable.begin(), also_editable.end(),
                                         edit.where.file) != also_editable.end();
            if ((edit.where.file != file && !named) ||
                (indirect && !replaces_call_argument(mc.expansion, edit))) {
                fix.reset();
                break;
            }
        }
    }
}

// Without a cf tree the .mc cannot be expanded into its .cf (SM-E101 says so). What can still
// be known is read statically: the options its own define() calls set and cfhead.m4's defaults.
// They are written as O lines of a small .cf whose values point back at the .mc's define
// arguments; rulesets, mailers and what OSTYPE/DOMAIN/FEATURE files set stay unknown (the
// configuration then has no rulesets, which the relay rules take as "cannot tell").
McConfig build_static_mc_config(SourceSet& sources, FileId mc, McConfig result,
                                std::vector<Diagnostic>& diagnostics) {
    std::string text;
    struct Written {
        Span line, value;             // in the text written here
        Location statement, in_value; // the .mc's define, the value's bytes in it
    };
    std::vector<Written> written;
    for (const m4::StaticOption& option : m4::static_options(result.expansion)) {
        // A value that spans lines cannot be one O line; sendmail would not read it as one.
        if (option.value.find('\n') != std::string::npos) continue;
        const auto line_begin = static_cast<uint32_t>(text.size());
        text += "O " + std::string(option.entry->option) + "=";
        const auto begin = static_cast<uint32_t>(text.size());
        text += option.value;
        const auto end = static_cast<uint32_t>(text.size());
        written.push_back({{line_begin, end}, {begin, end}, option.statement, option.where});
        text += "\n";
    }
    result.generated =
        sources.add(sources.get(mc).path() + " (read without a cf tree)", text, FileKind::Cf);
    std::vector<Diagnostic> ignored; // the text is smaudit's own: its syntax is not the user's
    ast::CfFile cf = parse_cf(sources, result.generated, ignored);
    size_t first = diagnostics.size();
    result.config = model::build_config(sources, cf, diagnostics);
    auto move = [&](Location& where) {
        if (where.file != result.generated) return;
        for (const Written& w : written) {
            // The value's bytes; the whole O line is the define (both invalid for cfhead.m4's
            // defaults: "cf default").
            if (w.value.begin <= where.span.begin && where.span.end <= w.value.end) {
                where = w.in_value;
                return;
            }
            if (w.line.begin <= where.span.begin && where.span.begin <= w.line.end) {
                where = w.statement;
                return;
            }
        }
        where = {};
    };
    for (size_t i = first; i < diagnostics.size(); ++i) {
        Diagnostic& d = diagnostics[i];
        move(d.where);
        if (!d.where.valid() && d.config_file == kNoFile) d.config_file = mc;
    }
    model::for_each_location(result.config, move);
    result.config.files = {mc};
    return result;
}

McConfig build_mc_config(SourceSet& sources, FileId mc, const std::string& cf_dir,
                         std::vector<Diagnostic>& diagnostics,
                         const std::vector<std::string>& include_dirs) {
    McConfig result;
    m4::ExpandOptions options;
    options.cf_dir = cf_dir;
    options.include_dirs = include_dirs;
    // Reading cf.m4 is the same for every .mc of a tree: the run shares it (m4/expand.hpp).
    options.frozen = m4::process_frozen_cache();
    result.expansion = m4::expand_mc(sources, mc, options);
    for (Diagnostic& d : result.expansion.diagnostics)
        diagnostics.push_back(d);
    if (result.expansion.cf_dir.empty())
        return build_static_mc_config(sources, mc, std::move(result), diagnostics);

    result.generated = sources.add(sources.get(mc).path() + " (expanded by m4)",
                                   result.expansion.text, FileKind::Cf);
    size_t first = diagnostics.size();
    ast::CfFile cf = parse_cf(sources, result.generated, diagnostics);
    result.config = model::build_config(sources, cf, diagnostics);
    result.generated_syntax.assign(diagnostics.begin() + static_cast<std::ptrdiff_t>(first),
                                   diagnostics.end());
    place_option_lines(result);
    auto move = [&](Location& where) {
        where = mc_location(result.expansion, result.generated, where, result.indirect);
    };
    for (size_t i = first; i < diagnostics.size(); ++i) {
        Diagnostic& d = diagnostics[i];
        move(d.where);
        for (Label& note : d.notes)
            move(note.where);
        if (!d.where.valid() && d.config_file == result.generated) d.config_file = mc;
        if (d.fix)
            for (Edit& edit : d.fix->edits)
                move(edit.where);
    }
    model::for_each_location(result.config, move);
    point_features_at_their_calls(sources, result.expansion, result.config);
    // Findings about defaults are reported against the .mc, and fixes that insert lines are
    // not offered: the .mc is fixed with a define(), not with an O line.
    result.config.files = {mc};
    std::sort(result.indirect.begin(), result.indirect.end(), [](Location a, Location b) {
        return std::tie(a.file, a.span.begin, a.span.end) <
               std::tie(b.file, b.span.begin, b.span.end);
    });
    result.indirect.erase(std::unique(result.indirect.begin(), result.indirect.end()),
                          result.indirect.end());
    drop_indirect_fixes(result, diagnostics, first);
    return result;
}

} // namespace smaudit
