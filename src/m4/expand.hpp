// The safe m4 engine: expands an .mc (or any m4 text) with GNU m4 1.4's semantics, never running
// or writing anything (syscmd, esyscmd, maketemp, mkstemp only record that they were called).
//
// Provenance: every byte of output knows the source bytes that produced it.
//  - Text copied through from a file (the .mc, cf.m4, an OSTYPE file...) points at itself.
//  - Text produced by expanding a user macro points at the bytes of that macro's definition body
//    (the quoted body of its define/pushdef call, where it was defined), and an argument
//    substituted for $1.. points at wherever that argument's bytes came from. So in
//    `O PrivacyOptions=authwarnings,goaway` made by proto.m4, "O PrivacyOptions=" points into
//    proto.m4 and "authwarnings,goaway" into the .mc's define(`confPRIVACY_FLAGS', ...) call.
//  - Text made by a builtin (incr, eval, len, the quotes added by defn and $@...) points at the
//    builtin's call (its name) as a whole.
//  - Options nobody defined keep the location of their default in cfhead.m4/proto.m4 ("cf
//    default" = a location in the cf tree).
// Expansion::mc_origin_of maps any of these to the .mc: a place in the .mc stays; a place in a
// file the .mc had read (OSTYPE, DOMAIN, FEATURE, MAILER, HACK, include) becomes that call.
// Text of the cf tree that an ifdef picked because such a file defined the name it tests (most
// feature files only define a flag, and proto.m4 writes the rules under ifdef(flag, ...)) has
// that call as its cause, which stands for it too (OriginSegment::cause).
#pragma once

#include "diag/diagnostic.hpp"
#include "diag/syntax_code.hpp"
#include "source/source.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace smaudit::m4 {

struct FrozenState;

// Snapshots of the engine right after an .mc's include of the cf tree's cf.m4 (what GNU m4's
// frozen files hold), shared by the expansions of a run: reading cf.m4 and cfhead.m4 is the
// same work for every .mc of the same tree. A snapshot is used only when what it read is still
// so: the same tree files (compared byte for byte, re-read on each use), the same options and
// delimiters, and the same values of every macro name the snapshot's run looked at (an .mc that
// defines one of them before the include is expanded cold). Thread-safe; snapshots are
// immutable once stored.
class FrozenCache {
  public:
    using Snapshot = std::shared_ptr<const FrozenState>;
    // The snapshots stored under `key` (the options and delimiters in effect at the include).
    std::vector<Snapshot> candidates(const std::string& key) const;
    // Bounded: a key keeps a few snapshots (the latest, and those any .mc can use), the cache
    // its first keys.
    void add(const std::string& key, Snapshot snapshot);
    struct Stats {
        size_t resumed = 0;  // expansions that resumed from a snapshot
        size_t recorded = 0; // snapshots stored
        size_t stale = 0;    // candidates refused (tree file changed, macro differs, ...)
    };
    Stats stats() const;
    void count_resumed();
    void count_stale();

  private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::vector<Snapshot>> snapshots_;
    Stats stats_;
};

// The cache the app's expansions share (one per process). SMAUDIT_M4_FROZEN=0 turns it off.
FrozenCache* process_frozen_cache();

// The diagnostics of the m4 layer (docs/rules/SM-E101.md .. SM-E106.md).
inline constexpr SyntaxCode kM4NoCfTree{"SM-E101", "m4-no-cf-tree", Severity::Medium, {}};
inline constexpr SyntaxCode kM4FileNotFound{"SM-E102", "m4-file-not-found", Severity::High, {}};
inline constexpr SyntaxCode kM4LimitExceeded{"SM-E103", "m4-limit-exceeded", Severity::Medium, {}};
inline constexpr SyntaxCode kM4Unterminated{"SM-E104", "m4-unterminated", Severity::High, {}};
// Severity per message: high for m4's "*** ERROR", medium for "WARNING", low otherwise.
inline constexpr SyntaxCode kM4Errprint{"SM-E105", "m4-errprint", Severity::High, {}};
inline constexpr SyntaxCode kM4BadArgument{"SM-E106", "m4-bad-argument", Severity::Low, {}};
// include/sinclude/undivert of a file outside the .mc's tree, the cf tree and --include-dir, or
// of a FIFO, device, socket or directory: not read.
inline constexpr SyntaxCode kM4IncludeRefused{"SM-E107", "m4-include-refused", Severity::High, {}};
inline std::span<const SyntaxCode> m4_syntax_codes() {
    static constexpr SyntaxCode codes[] = {kM4NoCfTree,      kM4FileNotFound, kM4LimitExceeded,
                                           kM4Unterminated,  kM4Errprint,     kM4BadArgument,
                                           kM4IncludeRefused};
    return codes;
}

struct ExpandOptions {
    std::string cf_dir; // sendmail's cf tree; empty = first existing default (cf_dir_defaults)
    // Where relative includes are read first (m4's working directory); empty: for expand_mc the
    // .mc's own directory (then <cf_dir>/cf, as m4 -I), for expand_m4 the process's.
    std::string work_dir;
    // Whether cf.m4 is read before the .mc, as `m4 ../m4/cf.m4 FILE.mc` does. Auto: unless the
    // .mc includes a cf.m4 itself.
    enum class CfM4 { Auto, Always, Never } prepend_cf_m4 = CfM4::Auto;
    // --include-dir: searched after work_dir and <cf_dir>/cf as `m4 -I` would. expand_mc reads
    // only under work_dir (the .mc's directory), the cf tree and these, symbolic links resolved:
    // anything else is refused (SM-E107). expand_m4 reads from anywhere.
    std::vector<std::string> include_dirs;
    size_t max_output = 64u << 20;     // bytes in all diversions together
    size_t max_text = 64u << 20;       // bytes of one expansion or argument
    size_t max_expansions = 5'000'000; // macro calls in one run
    size_t max_depth = 1024;           // macro calls nested inside argument lists
    size_t max_input_depth = 100'000;  // pushed, unread expansions (runaway recursion)
    size_t max_include_depth = 64;     // files including files
    // regexp/patsubst: the longest pattern, and the matching work of the whole run (the square
    // of each text's length times its pattern's length, plus the square of each new pattern's
    // length times 8192: about 3 s of the worst cases). GNU's matcher has no bound of its own.
    size_t max_regex_pattern = 512;
    uint64_t max_regex_work = uint64_t{1} << 34;
    // Where to keep and look up the state after cf.m4 (null: always read it).
    FrozenCache* frozen = nullptr;
};

// One piece of output text and where it came from; the piece runs to the next segment.
// Linear: the piece is a copy of the origin's bytes, byte for byte (text copied through, a
// macro body, an argument). Otherwise the whole piece was made at `origin` (a builtin's result,
// the quotes $@ adds), with no byte-to-byte correspondence.
// Cause: the .mc call (FEATURE, OSTYPE, DOMAIN, MAILER, HACK) whose file defined the macro an
// ifdef tested when it picked this text, e.g. FEATURE(`delay_checks') for the rules proto.m4
// writes under ifdef(`_DELAY_CHECKS_', ...); the innermost such ifdef when they nest. Invalid
// when no ifdef picked it, or when the name was defined by the .mc itself or the cf tree.
struct OriginSegment {
    uint32_t out_begin;
    Location origin;
    bool linear = true;
    Location cause{};
};

// A message m4 itself would print with errprint (e.g. "*** ERROR: FEATURE() should be before
// MAILER()"), as data.
struct ErrprintMessage {
    std::string text;
    // The .mc place that led to it: the .mc call being expanded when it was printed (a FEATURE
    // file's check -> the FEATURE line); for a check the cf tree makes after the .mc (proto.m4's,
    // run by m4wrap) the .mc define it read (ifdef(`confAUTO_REBUILD', `errprint(...)') -> that
    // define line), else the .mc's cf.m4 include or first call (No system type defined).
    Location where;
    Location errprint; // the errprint call itself (often in the cf tree)
};

// A define or pushdef the .mc made itself: its name read from the .mc's own bytes, also inside
// an ifdef's argument or the body of a macro the .mc defined.
struct McDefinition {
    std::string name;
    Location where;         // from `define` to its `)` (the name alone if the `)` is elsewhere)
    bool in_effect = false; // still the macro's definition when m4 finished (not redefined,
                            // popped or undefined after it)
};

// A macro call read directly from the .mc text (not from an expansion): FEATURE, define, ...
struct MacroCall {
    std::string name;
    std::vector<std::string> args; // after expansion and quote removal, as the macro saw them
    // Where each argument's text came from: the bytes inside the quotes of
    // `define(`confX', `value')` for a literal argument (what a fix edits); the span of its first
    // to last byte when it was pieced together in one file; invalid when made elsewhere.
    std::vector<Location> arg_locations;
    Location where; // from the name to the closing parenthesis
};

struct Expansion {
    std::string text;                       // the .cf text m4 would write (no build-info lines)
    std::vector<OriginSegment> origins;     // sorted by out_begin, covering text
    std::vector<Diagnostic> diagnostics;    // SM-E1xx: limits, missing files, m4 errors
    std::vector<ErrprintMessage> errprints; // errprint output with location
    std::vector<MacroCall> calls;           // top-level calls in the .mc
    std::vector<McDefinition> definitions;  // the .mc's own defines, in the order m4 ran them
    // The .mc's statements, its top-level calls and its definitions, by place: sorted by begin,
    // an enclosing one before those inside it, each with the index of the innermost one around
    // it (-1: none), so the innermost around a byte is found in the nesting depth's steps.
    struct Statement {
        Span span;
        int32_t parent = -1;
    };
    std::vector<Statement> statements;
    std::vector<Location> unsafe_builtin_calls; // syscmd/esyscmd/maketemp/mkstemp
    // Files read because of a .mc call (OSTYPE, DOMAIN, FEATURE, MAILER, HACK, include), with
    // that call; files the cf tree reads by itself (cfhead.m4, proto.m4) are not listed.
    struct IncludedFile {
        FileId file;
        Location by_call;
    };
    std::vector<IncludedFile> included_by;
    FileId mc = kNoFile;  // the expanded file
    std::string cf_dir;   // the cf tree used, empty when none was found
    bool complete = true; // false when a limit or fatal error stopped it
    // The state after the .mc's cf.m4 include came from a FrozenCache snapshot (the result is
    // the same as reading it; tests/m4/frozen_test.cpp proves it on every .mc at hand).
    bool resumed_from_frozen = false;
    // The work the run did, each bounded by its ExpandOptions limit (hostile-input tests assert
    // them): macro calls expanded, bytes written to diversions.
    struct Work {
        size_t macro_calls = 0;
        size_t output_bytes = 0;
    } work;

    // Where the output byte at `out_offset` came from: that one source byte for a linear piece,
    // the piece's whole origin otherwise (invalid past the end).
    Location origin_of(uint32_t out_offset) const;
    // The origin of the whole piece the byte belongs to (e.g. all of the value bytes inside the
    // quotes of the .mc's define), and where that piece starts in the output.
    const OriginSegment* segment_of(uint32_t out_offset) const;
    // The .mc place behind the output byte: the origin itself when it is in the .mc; the .mc
    // call that read the file otherwise (a FEATURE's rules -> the FEATURE line, an OSTYPE value
    // -> the OSTYPE line); else the piece's cause (text of the cf tree that an ifdef wrote only
    // because a FEATURE's file defined a name: proto.m4's rules under
    // ifdef(`_DELAY_CHECKS_', ...) -> the FEATURE(`delay_checks') line); invalid for the rest
    // of the cf tree's own text ("cf default").
    Location mc_origin_of(uint32_t out_offset) const;
    // The same for a stretch of output: where its first byte is (in the .mc, or in a file an
    // .mc call read), else the first .mc call whose file wrote any of its bytes, else the first
    // cause among its pieces, else the .mc statement that wrote some of its bytes
    // (mc_statement_in: `DMexample.com` -> MASQUERADE_AS(`example.com'); `own_statement` tells
    // this last case, a place that is the .mc's own text rather than a call standing for a
    // file's). A FEATURE's banner comment starts with cfhead.m4's VERSIONID text but carries the
    // feature file's $Id: it stands for the FEATURE line. An O line proto.m4 writes under
    // FEATURE(`msp')'s flag with a value from the OSTYPE file stands for the OSTYPE line, where
    // the value is set.
    Location mc_origin_in(Span out, bool* own_statement = nullptr) const;
    // The .mc statement that wrote the .mc's own bytes in a stretch of output: for each such
    // byte the innermost of the .mc's top-level calls and definitions that holds it (a define
    // inside an ifdef is its own statement), and of those the last in the .mc, which is the one
    // that decided when a define adds to an earlier one with defn(). Invalid when no byte of
    // the stretch came from the .mc. `O LogLevel=4` -> define(`confLOG_LEVEL', `4');
    // `O DaemonPortOptions=...` -> the DAEMON_OPTIONS call.
    Location mc_statement_in(Span out) const;
};

// Expands an .mc with sendmail's cf tree. Included files are added to `sources`.
// Without a cf tree (SM-E101) it still reads the .mc with m4's rules, with sendmail's macros
// (FEATURE, OSTYPE, DAEMON_OPTIONS, MAILER, ...) as empty stand-ins and comments off after the
// cf.m4 include as cfhead.m4 would turn them off, so `calls` lists what the .mc does; see
// static_options() in m4/option_table.hpp for the options that can be known that way.
Expansion expand_mc(SourceSet& sources, FileId mc, const ExpandOptions& options);

// Plain m4 over one file, as `m4 FILE` run in options.work_dir (no cf tree needed, no cf.m4).
Expansion expand_m4(SourceSet& sources, FileId file, const ExpandOptions& options);

// Whether an .mc can call `name`: a GNU m4 builtin or a macro of sendmail's cf tree that .mc
// files call (FEATURE, OSTYPE, LOCAL_CONFIG, ... as listed in cf/README).
bool is_mc_macro(std::string_view name);

// The default cf tree locations, in search order.
const std::vector<std::string>& cf_dir_defaults();
// The cf tree to use: `requested` if given (empty optional when it has no m4/cf.m4), else the
// first default that has m4/cf.m4.
std::optional<std::string> find_cf_dir(const std::string& requested);

} // namespace smaudit::m4
