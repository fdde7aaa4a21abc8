// The m4 engine: GNU m4 1.4's reading loop (tokens, argument collection, rescanning) over a
// pushback input stack, the builtins sendmail's cf tree and .mc files use, diversions and
// provenance. Nothing is executed or written: syscmd/esyscmd/maketemp/mkstemp are recorded only.
#include "m4/expand.hpp"

#include "m4/builtins.hpp"
#include "m4/engine_defs.hpp"
#include "m4/frozen.hpp"
#include "m4/traced.hpp"
#include "parse/m4_lexer.hpp"
#include "source/file_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smaudit::m4 {

namespace {

namespace fs = std::filesystem;

// GNU m4 1.4.19's builtin table (changeword is not compiled into Debian's m4).
constexpr BuiltinInfo kBuiltins[] = {
    {"__file__", Builtin::File, false},
    {"__gnu__", Builtin::Gnu, false},
    {"__line__", Builtin::Line, false},
    {"__program__", Builtin::Program, false},
    {"__unix__", Builtin::Unix, false},
    {"builtin", Builtin::BuiltinFn, true},
    {"changecom", Builtin::Changecom, false},
    {"changequote", Builtin::Changequote, false},
    {"debugfile", Builtin::Debugfile, false},
    {"debugmode", Builtin::Debugmode, false},
    {"decr", Builtin::Decr, true},
    {"define", Builtin::Define, true},
    {"defn", Builtin::Defn, true},
    {"divert", Builtin::Divert, false},
    {"divnum", Builtin::Divnum, false},
    {"dnl", Builtin::Dnl, false},
    {"dumpdef", Builtin::Dumpdef, false},
    {"errprint", Builtin::Errprint, true},
    {"esyscmd", Builtin::Esyscmd, true},
    {"eval", Builtin::Eval, true},
    {"format", Builtin::Format, true},
    {"ifdef", Builtin::Ifdef, true},
    {"ifelse", Builtin::Ifelse, true},
    {"include", Builtin::Include, true},
    {"incr", Builtin::Incr, true},
    {"index", Builtin::Index, true},
    {"indir", Builtin::Indir, true},
    {"len", Builtin::Len, true},
    {"m4exit", Builtin::M4exit, false},
    {"m4wrap", Builtin::M4wrap, true},
    {"maketemp", Builtin::Maketemp, true},
    {"mkstemp", Builtin::Mkstemp, true},
    {"patsubst", Builtin::Patsubst, true},
    {"popdef", Builtin::Popdef, true},
    {"pushdef", Builtin::Pushdef, true},
    {"regexp", Builtin::Regexp, true},
    {"shift", Builtin::Shift, true},
    {"sinclude", Builtin::Sinclude, true},
    {"substr", Builtin::Substr, true},
    {"syscmd", Builtin::Syscmd, true},
    {"sysval", Builtin::Sysval, false},
    {"traceoff", Builtin::Traceoff, false},
    {"traceon", Builtin::Traceon, false},
    {"translit", Builtin::Translit, true},
    {"undefine", Builtin::Undefine, true},
    {"undivert", Builtin::Undivert, false},
};

// The macros of sendmail's cf tree an .mc calls (cf/README), for reading without the tree.
constexpr const char* kSendmailMacros[] = {
    "VERSIONID",
    "OSTYPE",
    "DOMAIN",
    "FEATURE",
    "HACK",
    "MAILER",
    "SITECONFIG",
    "DAEMON_OPTIONS",
    "CLIENT_OPTIONS",
    "INPUT_MAIL_FILTER",
    "MAIL_FILTER",
    "QUEUE_GROUP",
    "RELAY_DOMAIN",
    "RELAY_DOMAIN_FILE",
    "MASQUERADE_AS",
    "MASQUERADE_DOMAIN",
    "MASQUERADE_DOMAIN_FILE",
    "MASQUERADE_EXCEPTION",
    "MASQUERADE_EXCEPTION_FILE",
    "EXPOSED_USER",
    "EXPOSED_USER_FILE",
    "LOCAL_USER",
    "LOCAL_USER_FILE",
    "LOCAL_DOMAIN",
    "CANONIFY_DOMAIN",
    "CANONIFY_DOMAIN_FILE",
    "GENERICS_DOMAIN",
    "GENERICS_DOMAIN_FILE",
    "TRUST_AUTH_MECH",
    "LDAPROUTE_DOMAIN",
    "LDAPROUTE_DOMAIN_FILE",
    "LDAPROUTE_EQUIVALENT",
    "LDAPROUTE_EQUIVALENT_FILE",
    "VIRTUSER_DOMAIN",
    "VIRTUSER_DOMAIN_FILE",
    "MODIFY_MAILER_FLAGS",
    "MAILER_DEFINITIONS",
    "LOCAL_CONFIG",
    "LOCAL_RULESETS",
    "LOCAL_NET_CONFIG",
    "LOCAL_RULE_0",
    "LOCAL_RULE_1",
    "LOCAL_RULE_2",
    "LOCAL_RULE_3",
    "LOCAL_SRV_FEATURES",
    "LOCAL_TRY_TLS",
    "LOCAL_TLS_RCPT",
    "LOCAL_TLS_CLIENT",
    "LOCAL_TLS_SERVER",
    "LOCAL_STARTTLS",
    "LOCAL_DNSBL",
};

} // namespace

const BuiltinInfo* builtin_info(Builtin id) {
    for (const auto& b : kBuiltins)
        if (b.id == id) return &b;
    return nullptr;
}
const BuiltinInfo* builtin_named(std::string_view name) {
    for (const auto& b : kBuiltins)
        if (name == b.name) return &b;
    return nullptr;
}

namespace {

// One level of the input stack: a file being read, pushed-back text, or a builtin token (the
// result of defn on a builtin).
struct Block {
    enum class Kind { File, String, BuiltinRef } kind = Kind::String;
    Traced owned;                           // String
    const std::string* file_text = nullptr; // File: the SourceFile's text
    FileId file = kNoFile;
    size_t pos = 0;
    Builtin builtin = Builtin::None; // BuiltinRef
    int call_tag = -1;               // index in Expansion::calls of the .mc call that pushed it
    Location consulted; // String: the .mc place of the latest definition its expansion read
    mutable size_t seg_hint = 0; // String: segment of `owned` read last
    // Whether text() holds a NUL byte (-1: not looked yet). Almost no text does: then tokens
    // are copied without looking for one in each of them.
    mutable signed char has_nul = -1;
    // File: its name (the offset is where a token is). String: the place of the call that
    // pushed it.
    Place place;
    // A joined block holding the next bytes of a file from `chunk_at` on (`chunk`, the place of
    // the byte at chunk_at): where m4 would be reading that file.
    Place chunk;
    size_t chunk_at = 0;

    std::string_view text() const {
        return file_text != nullptr ? std::string_view(*file_text) : std::string_view(owned.text);
    }
    size_t remaining() const {
        if (kind == Kind::BuiltinRef) return pos == 0 ? 1 : 0;
        return text().size() - pos;
    }
    // Where m4 is when it has just read byte `at`.
    Place place_at(size_t at) const {
        if (kind == Kind::File) return Place{place.name, file, static_cast<uint32_t>(at)};
        if (chunk.file != kNoFile && at >= chunk_at)
            return Place{chunk.name, chunk.file,
                         chunk.offset + static_cast<uint32_t>(at - chunk_at)};
        return place;
    }
};

struct Token {
    bool eof = false;
    TokenKind kind = TokenKind::Other;
    Block* block = nullptr;
    size_t b = 0, e = 0;   // the token's bytes in block->text()
    size_t cb = 0, ce = 0; // quoted: the text inside the outer quotes
    Builtin builtin = Builtin::None;
    bool builtin_ref = false;
};

struct Arg {
    Traced text;
    Builtin builtin = Builtin::None;
};

// Thrown to unwind the engine when input ends inside a construct or a limit is hit.
struct Stop {
    bool fatal = false;  // m4 itself stops here, and exits without writing its diversions
    bool m4exit = false; // the input asked to stop there (m4exit): not an error
};

bool is_name_char(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A syntax diagnostic of the m4 layer; `severity` overrides the code's default when given.
Diagnostic make_diag(const SyntaxCode& code, std::string message, Location where,
                     std::optional<Severity> severity = std::nullopt) {
    Diagnostic d = make_syntax_diagnostic(code, where, std::move(message));
    if (severity) d.severity = *severity;
    return d;
}

class Engine {
  public:
    Engine(SourceSet& sources, const ExpandOptions& options, Expansion& out, FileId mc,
           std::string cf_dir)
        : sources_(sources), opt_(options), out_(out), mc_(mc), cf_dir_(std::move(cf_dir)) {
        for (const auto& b : kBuiltins)
            symbols_[note_name(b.name)].push_back(Def::of_builtin(b.id));
        work_dir_ = opt_.work_dir;
        diversions_[0];
        current_ = &diversions_[0];
    }

    void push_file(FileId id, const std::string& display_name, int tag = -1) {
        auto block = new_block();
        block->kind = Block::Kind::File;
        block->file_text = &sources_.get(id).text();
        block->file = id;
        block->place = Place{name_index(display_name), id, 0};
        block->call_tag = tag;
        push(std::move(block));
    }

    void set_work_dir(std::string dir) { work_dir_ = std::move(dir); }
    void add_include_dir(std::string dir) { include_path_.push_back(std::move(dir)); }
    // Confines include, sinclude and undivert to `dir` and below (with the other allowed roots),
    // symbolic links resolved; none added: anywhere (plain m4 text, expand_m4).
    void allow_root(const std::string& dir) {
        if (char* real = ::realpath(dir.c_str(), nullptr)) {
            allowed_roots_.emplace_back(real);
            std::free(real);
        }
        allowed_shown_ += (allowed_shown_.empty() ? "" : ", ") + dir;
    }

    // Reading an .mc without a cf tree: sendmail's macros become empty stand-ins, so their calls
    // are still recorded (and their arguments collected as m4 would).
    void use_stand_ins() {
        no_tree_ = true;
        for (const char* name : kSendmailMacros) {
            auto def = std::make_shared<Def>();
            symbols_[note_name(name)].push_back(std::move(def));
        }
    }

    // Files to read, the first at the bottom of the input stack (read last).
    void add_initial(FileId id, std::string display_name) {
        initial_.emplace_back(id, std::move(display_name));
    }

    // The cf.m4 read before the .mc (`m4 ../m4/cf.m4 FILE.mc`): a snapshot's reading.
    void prepend_cf_m4(FileId id, std::string display_name) {
        prepended_cf_m4_ = id;
        add_initial(id, std::move(display_name));
    }

    void run() {
        try {
            for (auto& [id, name] : initial_) {
                if (id == prepended_cf_m4_ && opt_.frozen != nullptr && !frozen_done_) {
                    frozen_done_ = true;
                    if (auto key = frozen_key(id, name, true)) {
                        if (resume_frozen(*key, id)) continue;
                        start_recording(std::move(*key), id, true);
                    }
                }
                push_file(id, name);
            }
            for (;;) {
                top_level_read_ = true;
                Token t = next_token(LexRuns::TopLevel);
                top_level_read_ = false;
                if (t.eof) {
                    if (wraps_.empty()) break;
                    // m4wrap texts run last-in first-out, as in GNU m4 1.4.
                    auto wraps = std::move(wraps_);
                    wraps_.clear();
                    for (auto& w : wraps)
                        push_string(std::move(w.text), -1, w.place);
                    continue;
                }
                expand_token(t, nullptr);
            }
            undivert_all();
        } catch (const Stop& stop) {
            out_.complete = stop.m4exit;
            if (!stop.fatal) undivert_all();
        }
        out_.work = {expansions_, diverted_bytes_};
        for (const auto& [name, stack] : symbols_)
            if (!stack.empty() && stack.back()->mc_definition >= 0)
                out_.definitions[static_cast<size_t>(stack.back()->mc_definition)].in_effect = true;
        index_statements();
        out_.text = std::move(diversions_[0].text);
        out_.origins.reserve(out_.origins.size() + diversions_[0].segs.size());
        for (const Seg& s : diversions_[0].segs)
            out_.origins.push_back(
                {s.at, Location{s.file, {s.begin, s.end}}, s.linear,
                 s.cause == kNoCause ? Location{} : out_.included_by[s.cause].by_call});
    }

  private:
    SourceSet& sources_;
    const ExpandOptions& opt_;
    Expansion& out_;
    FileId mc_;
    std::string cf_dir_;
    std::string work_dir_;
    std::vector<std::string> include_path_;  // like m4 -I: after work_dir_, for relative names
    std::vector<std::string> allowed_roots_; // resolved; empty: files are read from anywhere
    std::string allowed_shown_;              // the allowed roots as given, for messages

    std::vector<std::unique_ptr<Block>> stack_;
    struct NameHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::vector<DefPtr>, NameHash, std::equal_to<>> symbols_;
    // Names ever defined, as bits of a cheap hash (never cleared: a stale bit only costs a
    // lookup). Most names an .mc's expansion reads are plain words of the output; this answers
    // "not a macro" for them without hashing the whole name and a table lookup.
    std::array<uint64_t, 64> name_filter_{};
    static size_t name_bit(std::string_view name) {
        const auto first = static_cast<unsigned char>(name.front());
        const auto last = static_cast<unsigned char>(name.back());
        const auto second = name.size() > 1 ? static_cast<unsigned char>(name[1]) : 0u;
        return (first * 31u + second * 17u + last * 7u + name.size() * 131u) & 4095u;
    }
    template <typename S> const S& note_name(const S& name) {
        const std::string_view v(name);
        if (!v.empty()) {
            const size_t bit = name_bit(v);
            name_filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
        }
        return name;
    }
    bool maybe_defined(std::string_view name) const {
        const size_t bit = name_bit(name);
        return (name_filter_[bit >> 6] >> (bit & 63) & 1) != 0;
    }
    std::map<long, Traced> diversions_;
    Traced* current_ = nullptr; // null: diversion -1 and below, text is discarded
    long current_number_ = 0;
    size_t diverted_bytes_ = 0;
    // m4wrap texts, with the place of their m4wrap call.
    struct Wrap {
        Traced text;
        Place place;
    };
    std::vector<Wrap> wraps_;
    // Names __file__ says, by Place::name; the first is m4's "" (no file).
    std::vector<std::string> file_names_{std::string()};
    std::unordered_map<std::string, uint32_t> name_indexes_{{std::string(), 0}};
    Place call_place_; // where the name of the macro being called was read
    std::string lquote_ = "`", rquote_ = "'", bcomm_ = "#", ecomm_ = "\n";
    Delims delims_{lquote_, rquote_, bcomm_, ecomm_};
    size_t expansions_ = 0;
    size_t depth_ = 0;
    size_t include_depth_ = 0;
    int current_call_ = -1; // .mc call whose macro is being called right now
    // The .mc place (Def::mc_place) of the latest definition the expansion now running has read
    // (a macro expanded, a name ifdef or defn looked up), within the outermost call: what an
    // errprint of the cf tree with no .mc call around it was checking (proto.m4's
    // ifdef(`confAUTO_REBUILD', `errprint(...)') -> the .mc's define of confAUTO_REBUILD).
    Location consulted_;
    std::set<std::string> maketemp_names_;
    std::set<FileId> included_files_;
    bool no_tree_ = false;
    std::vector<std::pair<FileId, std::string>> initial_;
    std::vector<std::unique_ptr<Block>> free_blocks_;
    std::vector<Traced> traced_pool_;
    std::deque<std::vector<Arg>> arg_lists_; // one per nesting level, reused
    std::unordered_map<std::string, FileId> loaded_;
    std::unordered_map<std::string, std::unique_ptr<GnuRegex>> regex_cache_;
    uint64_t regex_work_ = 0;
    Location last_close_; // the `)` that ended the latest argument list
    // Device and inode of <cf_dir>/m4 (0, 0 when it cannot be read), once asked.
    std::optional<std::pair<dev_t, ino_t>> tree_m4_dir_;

    // ---- the state after cf.m4 (FrozenCache) ----
    // Names the .mc changed before its cf.m4 include: the only ones whose values can differ
    // from a snapshot's run.
    std::unordered_set<std::string> changed_names_;
    bool frozen_done_ = false; // the cf.m4 include was met: snapshot used, taken or not
    FileId prepended_cf_m4_ = kNoFile;
    bool top_level_read_ = false; // run() is reading its next token: nothing is half done
    // Taking a snapshot while cf.m4 is read; dropped (spoil) as soon as the reading does
    // something a snapshot cannot hold (reads the .mc's text below it, undiverts, is refused a
    // file).
    struct Recording {
        std::string key;
        size_t base = 0; // stack size below cf.m4's block
        FileNumbers numbers;
        std::shared_ptr<FrozenState> state;
        std::unordered_set<std::string> written;
        std::map<long, size_t> diversion_sizes;
        size_t expansions = 0, output_bytes = 0, diagnostics = 0, errprints = 0, unsafe = 0,
               wraps = 0;
        uint64_t regex_work = 0;
    };
    std::unique_ptr<Recording> rec_;

    // Expansion::statements from the calls and definitions, parents found with a stack of the
    // ones still open (they nest: each is a stretch of m4 call syntax in the .mc).
    void index_statements() {
        auto& statements = out_.statements;
        for (const MacroCall& call : out_.calls)
            statements.push_back({call.where.span});
        for (const McDefinition& definition : out_.definitions)
            statements.push_back({definition.where.span});
        std::sort(statements.begin(), statements.end(), [](const auto& a, const auto& b) {
            return a.span.begin != b.span.begin ? a.span.begin < b.span.begin
                                                : a.span.end > b.span.end;
        });
        statements.erase(std::unique(statements.begin(), statements.end(),
                                     [](const auto& a, const auto& b) { return a.span == b.span; }),
                         statements.end());
        std::vector<int32_t> open;
        for (size_t i = 0; i < statements.size(); ++i) {
            while (!open.empty() && statements[static_cast<size_t>(open.back())].span.end <=
                                        statements[i].span.begin)
                open.pop_back();
            statements[i].parent = open.empty() ? -1 : open.back();
            open.push_back(static_cast<int32_t>(i));
        }
    }

    // ---- input stack ---------------------------------------------------------------------

    void push(std::unique_ptr<Block> block) {
        // Finished blocks go first, so a tail-recursive macro does not pile up empty levels.
        settle();
        if (block->kind == Block::Kind::File) {
            if (++include_depth_ > opt_.max_include_depth)
                limit("include depth", opt_.max_include_depth, {});
        }
        if (stack_.size() >= opt_.max_input_depth)
            limit("input stack depth (unread expansions)", opt_.max_input_depth, {});
        stack_.push_back(std::move(block));
    }

    // `place`: where m4 reads the text (__file__, __line__); `consulted`: the .mc place of the
    // definition its expansion read last (provenance).
    void push_string(Traced text, int tag, Place place, Location consulted = {}) {
        if (text.empty()) {
            give_traced(std::move(text));
            return;
        }
        auto block = new_block();
        give_traced(std::move(block->owned));
        block->owned = std::move(text);
        block->call_tag = tag;
        block->place = place;
        block->consulted = consulted;
        push(std::move(block));
    }

    void pop() {
        if (stack_.back()->kind == Block::Kind::File) --include_depth_;
        std::unique_ptr<Block> block = std::move(stack_.back());
        stack_.pop_back();
        if (free_blocks_.size() < 256) free_blocks_.push_back(std::move(block));
        // cf.m4 is read: a snapshot when run() is between tokens (as after include() returns).
        if (rec_ && stack_.size() == rec_->base) {
            if (top_level_read_ && depth_ == 0)
                finish_recording();
            else
                rec_.reset();
        }
    }

    // Blocks, argument lists and texts are recycled: an .mc makes hundreds of thousands of
    // short-lived ones, and reusing their buffers saves most of the allocation work.
    std::unique_ptr<Block> new_block() {
        if (free_blocks_.empty()) return std::make_unique<Block>();
        std::unique_ptr<Block> b = std::move(free_blocks_.back());
        free_blocks_.pop_back();
        b->kind = Block::Kind::String;
        b->owned.clear();
        b->file_text = nullptr;
        b->file = kNoFile;
        b->pos = 0;
        b->builtin = Builtin::None;
        b->call_tag = -1;
        b->consulted = {};
        b->place = Place{};
        b->chunk = Place{};
        b->chunk_at = 0;
        b->seg_hint = 0;
        b->has_nul = -1;
        return b;
    }

    Traced take_traced() {
        if (traced_pool_.empty()) return {};
        Traced t = std::move(traced_pool_.back());
        traced_pool_.pop_back();
        t.clear();
        return t;
    }

    void give_traced(Traced&& t) {
        if (traced_pool_.size() < 1024 && t.text.capacity() <= (1u << 16))
            traced_pool_.push_back(std::move(t));
    }

    // Drops finished blocks from the top.
    void settle() {
        while (!stack_.empty() && stack_.back()->remaining() == 0)
            pop();
    }

    // The first block below the top with text left (nullptr if none, or a builtin token first).
    Block* next_below(size_t* index = nullptr) {
        for (size_t i = stack_.size() - 1; i-- > 0;) {
            Block& b = *stack_[i];
            if (b.remaining() == 0) continue;
            if (b.kind == Block::Kind::BuiltinRef) return nullptr;
            if (index != nullptr) *index = i;
            if (rec_ && i < rec_->base) rec_.reset(); // cf.m4's reading looks at the .mc's text
            return &b;
        }
        return nullptr;
    }

    // Appends bytes [b, e) of a block, with their origins.
    static void copy_out(const Block& block, size_t b, size_t e, Traced& dst) {
        if (block.kind == Block::Kind::File)
            dst.append_linear(block.text().substr(b, e - b), block.file, static_cast<uint32_t>(b));
        else
            dst.append(block.owned, b, e, block.seg_hint);
    }

    static Location origin(const Block& block, size_t b, size_t e) {
        if (block.kind == Block::Kind::File)
            return Location{block.file, {static_cast<uint32_t>(b), static_cast<uint32_t>(e)}};
        if (b >= e) return {};
        Location first = block.owned.origin_at(b);
        Location last = block.owned.origin_at(e - 1);
        if (first.file == last.file && first.valid() && last.span.end >= first.span.begin)
            first.span.end = std::max(first.span.end, last.span.end);
        return first;
    }

    // A token may go on in the block below: join the rest of the top block with the next
    // stretch of text below (all of a pushed string, a growing chunk of a file) and lex again.
    void join_down() {
        size_t below_index = 0;
        Block* below = next_below(&below_index);
        Block& top = *stack_.back();
        auto merged = new_block();
        copy_out(top, top.pos, top.text().size(), merged->owned);
        merged->call_tag = top.call_tag;
        merged->consulted = top.consulted;
        // Only a name that ends in the text below starts a call here, so the merged block is
        // placed as that text is (m4 reads the top's rest first, then the block below).
        const size_t head = merged->owned.size();
        merged->place = below->place_at(below->pos);
        if (below->kind == Block::Kind::File) {
            merged->chunk = merged->place;
            merged->chunk_at = head;
        } else if (below->chunk.file != kNoFile) {
            merged->chunk = below->chunk;
            if (below->pos <= below->chunk_at) {
                merged->chunk_at = head + below->chunk_at - below->pos;
            } else {
                merged->chunk.offset += static_cast<uint32_t>(below->pos - below->chunk_at);
                merged->chunk_at = head;
            }
        }
        const size_t take =
            below->kind == Block::Kind::File
                ? std::min(below->remaining(), std::max<size_t>(4096, 2 * merged->owned.size()))
                : below->remaining();
        copy_out(*below, below->pos, below->pos + take, merged->owned);
        below->pos += take;
        if (merged->owned.size() > opt_.max_text) limit("text size", opt_.max_text, {});
        pop();
        // Finished blocks between the two are dropped too, so the merged text sits right on top
        // of what follows it.
        while (stack_.size() > below_index + 1 && stack_.back()->remaining() == 0)
            pop();
        if (below->remaining() == 0 && below->kind == Block::Kind::String &&
            stack_.size() == below_index + 1)
            pop();
        // Not push(): a file whose rest was just taken stays below, for __file__ and __line__.
        stack_.push_back(std::move(merged));
    }

    // The lexer's view of the delimiters, rebuilt only when they change (not per token).
    void refresh_delims() { delims_ = Delims{lquote_, rquote_, bcomm_, ecomm_}; }

    // `runs`: what may come as one token of kind Other, since the caller copies it through
    // alike (LexRuns::TopLevel: no argument list is being collected).
    Token next_token(LexRuns runs) {
        for (;;) {
            settle();
            Token t;
            if (stack_.empty()) {
                t.eof = true;
                return t;
            }
            Block& top = *stack_.back();
            if (top.kind == Block::Kind::BuiltinRef) {
                top.pos = 1;
                t.builtin_ref = true;
                t.builtin = top.builtin;
                t.block = &top;
                return t;
            }
            const std::string_view view = top.text().substr(top.pos);
            // Lexed as if more input followed: only a token that reaches the end of the view
            // can tell, and only then is the input below looked at (and the view lexed again
            // when there is none). Any other token is the same either way.
            Lexed lx;
            lex_token(view, delims_, true, lx, runs);
            if (lx.incomplete || (lx.kind == TokenKind::Name && lx.length == view.size())) {
                Block* below = next_below();
                if (below == nullptr) {
                    if (lx.incomplete) lex_token(view, delims_, false, lx, runs);
                } else if (lx.incomplete ||
                           is_name_char(static_cast<unsigned char>(below->text()[below->pos]))) {
                    join_down();
                    continue;
                }
            }
            const size_t len = lx.length == 0 ? 1 : lx.length;
            t.kind = lx.length == 0 ? TokenKind::Other : lx.kind;
            t.block = &top;
            t.b = top.pos;
            t.e = top.pos + len;
            if (lx.unterminated) {
                fatal(t.kind == TokenKind::Quoted ? "end of file in string"
                                                  : "end of file in comment",
                      origin(top, t.b, t.b + 1));
            }
            if (t.kind == TokenKind::Quoted) {
                t.cb = t.b + lquote_.size();
                t.ce = t.e - rquote_.size();
            }
            top.pos += len;
            return t;
        }
    }

    int peek_char() {
        settle();
        if (stack_.empty()) return -1;
        const Block& top = *stack_.back();
        if (top.kind == Block::Kind::BuiltinRef) return -2;
        return static_cast<unsigned char>(top.text()[top.pos]);
    }

    // Whether the input goes on with `s` (across blocks; a builtin token matches nothing).
    bool input_starts_with(std::string_view s) {
        size_t matched = 0;
        for (size_t i = stack_.size(); i-- > 0 && matched < s.size();) {
            const Block& b = *stack_[i];
            if (rec_ && i < rec_->base) rec_.reset();
            if (b.kind == Block::Kind::BuiltinRef) {
                if (b.remaining() != 0) return false;
                continue;
            }
            const std::string_view rest = b.text().substr(b.pos);
            const size_t n = std::min(rest.size(), s.size() - matched);
            if (rest.substr(0, n) != s.substr(matched, n)) return false;
            matched += n;
        }
        return matched == s.size();
    }

    // Whether an argument list opens here: a `(` that does not start a comment or a quote
    // (m4's peek_token tries those first, so after changequote(`(', `)') a `(` quotes).
    bool open_paren_follows() {
        if (peek_char() != '(') return false;
        if (!bcomm_.empty() && bcomm_[0] == '(' && input_starts_with(bcomm_)) return false;
        return lquote_.empty() || lquote_[0] != '(' || !input_starts_with(lquote_);
    }

    int next_char() {
        const int c = peek_char();
        if (c >= 0) ++stack_.back()->pos;
        return c;
    }

    // ---- output ----------------------------------------------------------------------------

    // GNU m4 keeps token text in C strings: a NUL byte ends a quoted string or comment there,
    // and is dropped between other characters.
    void emit(const Token& t, size_t b, size_t e, Arg* arg) {
        const std::string_view text = t.block->text();
        if (t.block->has_nul < 0)
            t.block->has_nul = text.find('\0') != std::string_view::npos ? 1 : 0;
        if (t.block->has_nul == 0) {
            emit_range(t, b, e, arg);
            return;
        }
        const size_t nul = text.substr(b, e - b).find('\0');
        if (nul != std::string_view::npos) {
            if (t.kind == TokenKind::Quoted || t.kind == TokenKind::Comment) {
                emit_range(t, b, b + nul, arg);
                return;
            }
            for (size_t p = b; p < e;) {
                size_t q = text.substr(p, e - p).find('\0');
                q = q == std::string_view::npos ? e : p + q;
                emit_range(t, p, q, arg);
                p = q + 1;
            }
            return;
        }
        emit_range(t, b, e, arg);
    }

    void emit_range(const Token& t, size_t b, size_t e, Arg* arg) {
        if (b >= e) return;
        if (arg != nullptr) {
            copy_out(*t.block, b, e, arg->text);
            if (arg->text.size() > opt_.max_text)
                limit("argument size", opt_.max_text, origin(*t.block, b, e));
        } else if (current_ != nullptr) {
            copy_out(*t.block, b, e, *current_);
            diverted_bytes_ += e - b;
            if (diverted_bytes_ > opt_.max_output)
                limit("output size", opt_.max_output, origin(*t.block, b, e));
        }
    }

    void emit_traced(const Traced& text, Arg* arg) {
        if (arg != nullptr)
            arg->text.append(text);
        else if (current_ != nullptr) {
            current_->append(text);
            count_output(text.size(), {});
        }
    }

    void count_output(size_t n, Location where) {
        diverted_bytes_ += n;
        if (diverted_bytes_ > opt_.max_output) limit("output size", opt_.max_output, where);
    }

    void divert(long n) {
        current_number_ = n;
        current_ = n < 0 ? nullptr : &diversions_[n];
    }

    void insert_diversion(long n) {
        if (n <= 0 || n == current_number_) return;
        auto it = diversions_.find(n);
        if (it == diversions_.end()) return;
        rec_.reset(); // the text depends on what was diverted before cf.m4
        if (current_ != nullptr)
            current_->append(it->second);
        else
            diverted_bytes_ -= it->second.size();
        it->second.clear();
    }

    void undivert_all() {
        if (current_number_ != 0) divert(0);
        for (auto& [n, text] : diversions_)
            if (n > 0) insert_diversion(n);
    }

    // ---- errors ----------------------------------------------------------------------------

    // `why`: what likely made it, after the limit's name and value.
    [[noreturn]] void limit(const char* what, size_t value, Location where,
                            const char* why = "runaway recursion or an unbounded definition?") {
        out_.diagnostics.push_back(make_diag(kM4LimitExceeded,
                                             "m4 expansion stopped: " + std::string(what) +
                                                 " limit of " + std::to_string(value) +
                                                 " exceeded (" + why + ")",
                                             where.valid() ? where : attributed(where)));
        throw Stop{};
    }

    [[noreturn]] void fatal(const std::string& message, Location where) {
        out_.diagnostics.push_back(make_diag(kM4Unterminated, "m4 stops here: " + message, where));
        throw Stop{true};
    }

    void warn(const std::string& message, Location where) {
        out_.diagnostics.push_back(make_diag(kM4BadArgument, message, where));
    }

    // The .mc call whose expansion is being read, if any; else `fallback`.
    Location attributed(Location fallback) const {
        if (current_call_ >= 0) return out_.calls[static_cast<size_t>(current_call_)].where;
        for (size_t i = stack_.size(); i-- > 0;)
            if (stack_[i]->call_tag >= 0)
                return out_.calls[static_cast<size_t>(stack_[i]->call_tag)].where;
        return fallback;
    }

    // Where an errprint's message belongs: the .mc call being expanded (a FEATURE file's own
    // checks -> the FEATURE line); an errprint the .mc wrote itself; for a check of the cf tree
    // run outside any .mc call (proto.m4's, at the end of input), the .mc place of the
    // definition it read last (ifdef(`confAUTO_REBUILD', `errprint(...)') -> the .mc's define
    // of confAUTO_REBUILD); else (`whole_mc`) the .mc as a whole, at the call that included
    // cf.m4 or else its first call ("No system type defined": no OSTYPE call anywhere).
    Location errprint_place(Location loc, bool& whole_mc) const {
        whole_mc = false;
        if (const int tag = current_tag(); tag >= 0)
            return out_.calls[static_cast<size_t>(tag)].where;
        if (loc.file == mc_) return loc;
        if (consulted_.valid()) return consulted_;
        whole_mc = true;
        const MacroCall* first = nullptr;
        for (const MacroCall& call : out_.calls) {
            if ((call.name == "include" || call.name == "sinclude") && !call.args.empty() &&
                ends_with(call.args[0], "cf.m4"))
                return call.where;
            if (first == nullptr && call.name != "dnl" && call.name != "divert") first = &call;
        }
        return first != nullptr ? first->where : Location{mc_, {0, 0}};
    }

    int current_tag() const {
        if (current_call_ >= 0) return current_call_;
        for (size_t i = stack_.size(); i-- > 0;)
            if (stack_[i]->call_tag >= 0) return stack_[i]->call_tag;
        return -1;
    }

    // ---- expansion -------------------------------------------------------------------------

    void expand_token(const Token& t, Arg* arg) {
        if (t.builtin_ref) {
            // A builtin token is an argument's whole value (define(`x', defn(`define'))) when
            // nothing came before it in the argument; what comes after it is dropped then
            // (collect_arg), and the token itself when text came first.
            if (arg != nullptr && arg->text.empty()) arg->builtin = t.builtin;
            return;
        }
        switch (t.kind) {
        case TokenKind::Quoted:
            emit(t, t.cb, t.ce, arg);
            return;
        case TokenKind::Name:
            break;
        default:
            emit(t, t.b, t.e, arg);
            return;
        }
        const std::string_view name = t.block->text().substr(t.b, t.e - t.b);
        if (rec_) touch(name);
        if (!maybe_defined(name)) {
            emit(t, t.b, t.e, arg);
            return;
        }
        auto it = symbols_.find(name);
        if (it == symbols_.end() || it->second.empty()) {
            emit(t, t.b, t.e, arg);
            return;
        }
        DefPtr def = it->second.back();
        Traced name_text = take_traced();
        copy_out(*t.block, t.b, t.e, name_text);
        const Location name_loc = origin(*t.block, t.b, t.e);
        const bool from_mc = arg == nullptr && t.block->kind == Block::Kind::File &&
                             t.block->file == mc_ && depth_ == 0;
        if (def->blind && !open_paren_follows()) {
            emit_traced(name_text, arg);
            give_traced(std::move(name_text));
            return;
        }
        expand_macro(def, std::move(name_text), name_loc, from_mc, t.block->place_at(t.e - 1),
                     t.block->consulted);
    }

    // `place`: where m4 is when it reads the macro's name, which __file__ and __line__ say, and
    // the text it expands to keeps. `inherited`: the consulted place of the text the name was
    // read from.
    void expand_macro(const DefPtr& def, Traced name_text, Location name_loc, bool from_mc,
                      Place place, Location inherited) {
        if (++expansions_ > opt_.max_expansions)
            limit("macro expansion count", opt_.max_expansions, name_loc);
        if (depth_ >= opt_.max_depth) limit("macro nesting depth", opt_.max_depth, name_loc);
        const int saved_call = current_call_;
        const Location saved_consulted = consulted_;
        consulted_ = def->mc_place.valid() ? def->mc_place : inherited;
        int call_index = -1;
        if (from_mc) {
            call_index = static_cast<int>(out_.calls.size());
            out_.calls.push_back({name_text.text, {}, {}, name_loc});
        }
        const size_t level = depth_++;
        if (arg_lists_.size() <= level) arg_lists_.resize(level + 1);
        std::vector<Arg>& args = arg_lists_[level];
        args.clear();
        args.emplace_back();
        args[0].text = std::move(name_text);
        if (open_paren_follows()) {
            next_char();
            collect_args(args, name_loc);
            if (from_mc && last_close_.file == name_loc.file &&
                last_close_.span.end > name_loc.span.begin)
                out_.calls[static_cast<size_t>(call_index)].where.span.end = last_close_.span.end;
        }
        if (from_mc) {
            auto& call = out_.calls[static_cast<size_t>(call_index)];
            for (size_t i = 1; i < args.size(); ++i) {
                call.args.push_back(args[i].text.text);
                call.arg_locations.push_back(whole_origin(args[i].text));
            }
            current_call_ = call_index;
        }
        Traced result = take_traced();
        Builtin ref = Builtin::None;
        call_place_ = place;
        call(*def, args, name_loc, result, ref);
        for (Arg& a : args)
            give_traced(std::move(a.text));
        args.clear();
        const int tag = current_tag();
        current_call_ = saved_call;
        --depth_;
        // What this call read is what the enclosing one read last; outside any call, nothing.
        const Location consulted = consulted_;
        consulted_ = depth_ == 0 ? Location{} : consulted.valid() ? consulted : saved_consulted;
        if (result.size() > opt_.max_text) limit("expansion size", opt_.max_text, name_loc);
        push_string(std::move(result), tag, place, consulted);
        if (ref != Builtin::None) {
            auto block = new_block();
            block->kind = Block::Kind::BuiltinRef;
            block->builtin = ref;
            block->place = place;
            push(std::move(block));
        }
    }

    void collect_args(std::vector<Arg>& args, Location name_loc) {
        for (;;) {
            Arg a;
            a.text = take_traced();
            const int end = collect_arg(a);
            if (end < 0) fatal("end of file in argument list", attributed(name_loc));
            if (a.builtin != Builtin::None) a.text.clear();
            args.push_back(std::move(a));
            if (end == 1) return;
        }
    }

    // One argument: 0 when a comma ended it, 1 for the closing parenthesis, -1 at end of input.
    int collect_arg(Arg& a) {
        // Each token is made in place (a Token assigned from next_token() was copied through
        // wide loads right after next_token's narrow stores: a store-forwarding stall per token).
        bool leading = true; // blanks before the argument are skipped
        int parens = 0;
        for (;;) {
            const Token t = next_token(LexRuns::InArguments);
            if (leading && !t.eof && !t.builtin_ref && t.kind == TokenKind::Space) continue;
            leading = false;
            if (t.eof) return -1;
            if (t.builtin_ref) {
                expand_token(t, &a);
                continue;
            }
            switch (t.kind) {
            case TokenKind::Open:
                ++parens;
                emit(t, t.b, t.e, &a);
                break;
            case TokenKind::Close:
                if (parens == 0) {
                    last_close_ = origin(*t.block, t.b, t.e);
                    return 1;
                }
                --parens;
                emit(t, t.b, t.e, &a);
                break;
            case TokenKind::Comma:
                if (parens == 0) return 0;
                emit(t, t.b, t.e, &a);
                break;
            default:
                expand_token(t, &a);
            }
        }
    }

    void call(const Def& def, std::vector<Arg>& args, Location loc, Traced& result, Builtin& ref) {
        if (def.builtin == Builtin::None)
            expand_user(def, args, result);
        else
            call_builtin(def.builtin, args, loc, result, ref);
    }

    void expand_user(const Def& def, const std::vector<Arg>& args, Traced& result) {
        const std::string& body = def.body.text;
        size_t run = 0, i = 0;
        while ((i = body.find('$', i)) != std::string::npos && i + 1 < body.size()) {
            const char c = body[i + 1];
            if (c >= '0' && c <= '9') {
                result.append(def.body, run, i);
                size_t j = i + 1, index = 0;
                while (j < body.size() && body[j] >= '0' && body[j] <= '9') {
                    index =
                        std::min<size_t>(index * 10 + static_cast<size_t>(body[j] - '0'), 1u << 20);
                    ++j;
                }
                if (index < args.size()) result.append(args[index].text);
                i = run = j;
            } else if (c == '#') {
                result.append(def.body, run, i);
                result.append_fixed(std::to_string(args.size() - 1), span_of(def.body, i, i + 2));
                i = run = i + 2;
            } else if (c == '*' || c == '@') {
                result.append(def.body, run, i);
                const Location here = span_of(def.body, i, i + 2);
                for (size_t k = 1; k < args.size(); ++k) {
                    if (k > 1) result.append_fixed(",", here);
                    if (c == '@') result.append_fixed(lquote_, here);
                    result.append(args[k].text);
                    if (c == '@') result.append_fixed(rquote_, here);
                }
                i = run = i + 2;
            } else {
                ++i;
            }
        }
        result.append(def.body, run, body.size());
    }

    // One location for a whole text: the first byte's file, up to the last byte's end.
    static Location whole_origin(const Traced& t) {
        if (t.empty() || t.segs.empty()) return {};
        const Seg& first = t.segs.front();
        const Seg& last = t.segs.back();
        if (first.file != last.file || first.file == kNoFile) return {};
        const uint32_t last_end =
            last.linear ? last.begin + static_cast<uint32_t>(t.size() - last.at) : last.end;
        if (last_end < first.begin) return {};
        return Location{first.file, {first.begin, last_end}};
    }

    static Location span_of(const Traced& t, size_t b, size_t e) {
        Location first = t.origin_at(b);
        const Location last = t.origin_at(e - 1);
        if (first.valid() && last.file == first.file && last.span.end > first.span.end)
            first.span.end = last.span.end;
        return first;
    }

    // ---- builtins --------------------------------------------------------------------------

    static const std::string& text_of(const std::vector<Arg>& args, size_t i) {
        static const std::string empty;
        return i < args.size() ? args[i].text.text : empty;
    }

    // GNU m4's argument-count check: too few means the builtin does nothing.
    bool too_few(const std::vector<Arg>& args, size_t min) const { return args.size() < min; }

    std::optional<long> number(const std::vector<Arg>& args, size_t i, Location loc) {
        auto v = numeric_argument(text_of(args, i));
        if (!v)
            warn("non-numeric argument to builtin `" + args[0].text.text + "': `" +
                     text_of(args, i) + "'",
                 loc);
        return v;
    }

    void quote_into(Traced& result, const Traced& text, Location loc) {
        result.append_fixed(lquote_, loc);
        result.append(text);
        result.append_fixed(rquote_, loc);
    }

    uint32_t line_of(Place place) const {
        return place.file == kNoFile ? 0 : sources_.get(place.file).position(place.offset).line;
    }

    uint32_t name_index(const std::string& name) {
        auto [it, added] =
            name_indexes_.try_emplace(name, static_cast<uint32_t>(file_names_.size()));
        if (added) file_names_.push_back(name);
        return it->second;
    }

    // The file an .mc call read that `where` is in, as its index in included_by; kNoCause for
    // the .mc itself (its define lines are its own bytes, not a call standing for a file) and
    // the cf tree.
    uint32_t included_index(Location where) const {
        if (!where.valid() || where.file == mc_) return kNoCause;
        for (size_t i = 0; i < out_.included_by.size(); ++i)
            if (out_.included_by[i].file == where.file) return static_cast<uint32_t>(i);
        return kNoCause;
    }

    // Takes the body from args[2] (the arguments are dropped after the call).
    void define(std::vector<Arg>& args, bool push_def, Location loc) {
        if (args.size() < 2) return;
        if (args[1].builtin != Builtin::None) return; // GNU: invalid macro name ignored
        auto def = std::make_shared<Def>();
        if (args.size() >= 3) {
            if (args[2].builtin != Builtin::None)
                def = Def::of_builtin(args[2].builtin);
            else {
                // A pooled text may have room for far more: only then is it copied to size.
                Traced& body = args[2].text;
                if (body.text.capacity() > 2 * body.text.size() + 64 ||
                    body.segs.capacity() > 2 * body.segs.size() + 4)
                    def->body = body;
                else
                    def->body = std::move(body);
            }
        }
        def->cause = included_index(loc);
        if (loc.file == mc_) {
            // The .mc's own define, also one read from its bytes inside an ifdef's argument.
            Location where = loc;
            if (last_close_.file == mc_ && last_close_.span.end > loc.span.begin)
                where.span.end = last_close_.span.end;
            def->mc_place = where;
            def->mc_definition = static_cast<int>(out_.definitions.size());
            out_.definitions.push_back({args[1].text.text, where});
        } else if (def->cause != kNoCause) {
            def->mc_place = out_.included_by[def->cause].by_call;
        }
        changing(args[1].text.text);
        auto& stack = symbols_[note_name(args[1].text.text)];
        if (push_def || stack.empty())
            stack.push_back(std::move(def));
        else
            stack.back() = std::move(def);
    }

    void call_builtin(Builtin id, std::vector<Arg>& args, Location loc, Traced& result,
                      Builtin& ref) {
        const size_t argc = args.size();
        switch (id) {
        case Builtin::None:
            return;
        case Builtin::Define:
            define(args, false, loc);
            return;
        case Builtin::Pushdef:
            define(args, true, loc);
            return;
        case Builtin::Undefine:
            for (size_t i = 1; i < argc; ++i) {
                changing(args[i].text.text);
                symbols_.erase(args[i].text.text);
            }
            return;
        case Builtin::Popdef:
            for (size_t i = 1; i < argc; ++i) {
                changing(args[i].text.text);
                auto it = symbols_.find(args[i].text.text);
                if (it == symbols_.end()) continue;
                it->second.pop_back();
                if (it->second.empty()) symbols_.erase(it);
            }
            return;
        case Builtin::Defn:
            for (size_t i = 1; i < argc; ++i) {
                touch(args[i].text.text);
                auto it = symbols_.find(args[i].text.text);
                if (it == symbols_.end() || it->second.empty()) continue;
                const Def& d = *it->second.back();
                if (d.mc_place.valid()) consulted_ = d.mc_place;
                if (d.builtin == Builtin::None)
                    quote_into(result, d.body, loc);
                else if (argc == 2)
                    ref = d.builtin;
            }
            return;
        case Builtin::Ifdef: {
            if (too_few(args, 3)) return;
            touch(args[1].text.text);
            auto it = symbols_.find(args[1].text.text);
            const bool defined = it != symbols_.end() && !it->second.empty();
            if (defined && it->second.back()->mc_place.valid())
                consulted_ = it->second.back()->mc_place;
            if (defined) {
                // Text picked because a file an .mc call read defined the name (proto.m4's
                // rules under ifdef(`_ACCESS_TABLE_', ...)) has that call as its cause. Text
                // that already had the cause of the ifdef's own place gets the new one (the
                // innermost ifdef wins); a cause given inside the arguments stays.
                const size_t first = result.segs.size();
                result.append(args[2].text);
                const uint32_t cause = it->second.back()->cause;
                const auto& name_segs = args[0].text.segs;
                if (cause != kNoCause)
                    result.recause(first, name_segs.empty() ? kNoCause : name_segs.front().cause,
                                   cause);
            } else if (argc >= 4)
                result.append(args[3].text);
            return;
        }
        case Builtin::Ifelse: {
            if (argc == 2 || too_few(args, 4)) return;
            size_t i = 1;
            for (;;) {
                const size_t left = argc - i;
                if (args[i].text.text == args[i + 1].text.text) {
                    result.append(args[i + 2].text);
                    return;
                }
                if (left == 3) return;
                if (left == 4 || left == 5) {
                    result.append(args[i + 3].text);
                    return;
                }
                i += 3;
            }
        }
        case Builtin::Include:
        case Builtin::Sinclude:
            if (too_few(args, 2)) return;
            include(args[1].text.text, id == Builtin::Sinclude, loc);
            return;
        case Builtin::Divert: {
            long n = 0;
            if (argc >= 2) {
                auto v = number(args, 1, loc);
                if (!v) return;
                n = *v;
            }
            divert(n);
            return;
        }
        case Builtin::Undivert:
            if (argc == 1) {
                undivert_here_all();
                return;
            }
            for (size_t i = 1; i < argc; ++i) {
                const std::string& a = args[i].text.text;
                char* end = nullptr;
                const long n = std::strtol(a.c_str(), &end, 10);
                if (*end == '\0' && (a.empty() || !std::isspace(static_cast<unsigned char>(a[0]))))
                    insert_diversion(n);
                else
                    undivert_file(a, loc);
            }
            return;
        case Builtin::Divnum:
            result.append_fixed(std::to_string(current_number_), loc);
            return;
        case Builtin::Dnl:
            // Up to and including the next newline, across blocks; a builtin token counts as
            // one character.
            for (;;) {
                settle();
                if (stack_.empty()) return;
                Block& top = *stack_.back();
                if (top.kind == Block::Kind::BuiltinRef) {
                    top.pos = 1;
                    continue;
                }
                const std::string_view rest = top.text().substr(top.pos);
                const size_t nl = rest.find('\n');
                if (nl != std::string_view::npos) {
                    top.pos += nl + 1;
                    return;
                }
                top.pos += rest.size();
            }
        case Builtin::Changequote:
            if (argc == 1) {
                lquote_ = "`";
                rquote_ = "'";
            } else {
                lquote_ = args[1].text.text;
                if (argc < 3 || (!lquote_.empty() && args[2].text.text.empty()))
                    rquote_ = "'";
                else
                    rquote_ = args[2].text.text;
            }
            refresh_delims();
            return;
        case Builtin::Changecom:
            if (argc == 1) {
                bcomm_.clear();
                ecomm_.clear();
            } else {
                bcomm_ = args[1].text.text;
                if (argc < 3 || (!bcomm_.empty() && args[2].text.text.empty()))
                    ecomm_ = "\n";
                else
                    ecomm_ = args[2].text.text;
            }
            refresh_delims();
            return;
        case Builtin::M4wrap: {
            if (too_few(args, 2)) return;
            Traced wrap;
            for (size_t i = 1; i < argc; ++i) {
                if (i > 1) wrap.append_fixed(" ", loc);
                wrap.append(args[i].text);
            }
            wraps_.push_back({std::move(wrap), call_place_});
            return;
        }
        case Builtin::Errprint: {
            if (too_few(args, 2)) return;
            std::string text;
            for (size_t i = 1; i < argc; ++i) {
                if (i > 1) text += ' ';
                text += args[i].text.text;
            }
            bool whole_mc = false;
            const Location where = errprint_place(loc, whole_mc);
            out_.errprints.push_back({text, where, loc});
            std::string message = text;
            while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
                message.pop_back();
            const Severity sev = message.find("ERROR") != std::string::npos     ? Severity::High
                                 : message.find("WARNING") != std::string::npos ? Severity::Medium
                                                                                : Severity::Low;
            if (whole_mc)
                message += "\n(a check sendmail's cf tree makes on the whole .mc after reading "
                           "it; no one line of the .mc led to it)";
            Diagnostic d = make_diag(kM4Errprint, "m4 prints: " + message, where, sev);
            if (loc.valid() && loc.file != where.file)
                d.notes.push_back(Label{loc, "printed by this check of sendmail's cf tree"});
            out_.diagnostics.push_back(std::move(d));
            return;
        }
        case Builtin::Incr:
        case Builtin::Decr: {
            if (too_few(args, 2)) return;
            auto v = number(args, 1, loc);
            if (!v) return;
            const int32_t n = static_cast<int32_t>(*v);
            const int32_t r = static_cast<int32_t>(static_cast<uint32_t>(n) +
                                                   (id == Builtin::Incr ? 1u : 0xffffffffu));
            result.append_fixed(std::to_string(r), loc);
            return;
        }
        case Builtin::Eval: {
            if (too_few(args, 2)) return;
            long radix = 10, width = 1;
            if (argc >= 3 && !text_of(args, 2).empty()) {
                auto v = number(args, 2, loc);
                if (!v) return;
                radix = *v;
            }
            if (argc >= 4) {
                auto v = number(args, 3, loc);
                if (!v) return;
                width = *v;
            }
            if (radix < 1 || radix > 36) {
                warn("radix " + std::to_string(radix) + " in builtin `eval' out of range", loc);
                return;
            }
            if (width < 0) {
                warn("negative width to builtin `eval'", loc);
                return;
            }
            const std::string& expr = args[1].text.text;
            if (expr.empty()) {
                warn("empty string treated as 0 in builtin `eval'", loc);
                result.append_fixed(format_radix(0, static_cast<int>(radix), width_of(width)), loc);
                return;
            }
            const EvalResult value = eval_expression(expr);
            for (const std::string& w : value.warnings)
                warn(w + " in eval: " + expr, loc);
            if (value.too_deep)
                limit("eval nesting", kMaxEvalDepth, loc, "parentheses or unary operators");
            if (!value.value) {
                warn(value.error + " in eval: " + expr, loc);
                return;
            }
            result.append_fixed(
                format_radix(*value.value, static_cast<int>(radix), width_of(width)), loc);
            return;
        }
        case Builtin::Len:
            if (too_few(args, 2)) return;
            result.append_fixed(std::to_string(args[1].text.size()), loc);
            return;
        case Builtin::Index: {
            if (too_few(args, 3)) { // index(`abc') is 0, builtin(`index') is blank
                if (argc == 2) result.append_fixed("0", loc);
                return;
            }
            const size_t at = args[1].text.text.find(args[2].text.text);
            result.append_fixed(at == std::string::npos ? "-1" : std::to_string(at), loc);
            return;
        }
        case Builtin::Substr: {
            if (too_few(args, 3)) {
                if (argc == 2) result.append(args[1].text);
                return;
            }
            const long avail = static_cast<long>(args[1].text.size());
            auto start = number(args, 2, loc);
            if (!start) return;
            long length = avail;
            if (argc >= 4) {
                auto l = number(args, 3, loc);
                if (!l) return;
                length = *l;
            }
            if (*start < 0 || length <= 0 || *start >= avail) return;
            if (*start + length > avail) length = avail - *start;
            result.append(args[1].text, static_cast<size_t>(*start),
                          static_cast<size_t>(*start + length));
            return;
        }
        case Builtin::Translit: {
            if (too_few(args, 3)) {
                if (argc == 2) result.append(args[1].text);
                return;
            }
            const std::string from = expand_ranges(args[2].text.text);
            const std::string to = argc >= 4 ? expand_ranges(args[3].text.text) : std::string();
            int map[256];
            std::fill(std::begin(map), std::end(map), -2); // -2 unchanged, -1 deleted
            for (size_t i = 0; i < from.size(); ++i) {
                const auto c = static_cast<unsigned char>(from[i]);
                if (map[c] != -2) continue;
                map[c] = i < to.size() ? static_cast<unsigned char>(to[i]) : -1;
            }
            const Traced& s = args[1].text;
            for (size_t i = 0; i < s.size(); ++i) {
                const int m = map[static_cast<unsigned char>(s.text[i])];
                if (m == -2 || m == static_cast<unsigned char>(s.text[i]))
                    result.append(s, i, i + 1);
                else if (m >= 0)
                    result.append_fixed(std::string(1, static_cast<char>(m)), s.origin_at(i));
            }
            return;
        }
        case Builtin::Patsubst:
        case Builtin::Regexp:
            regex_builtin(id, args, loc, result);
            return;
        case Builtin::Format: {
            if (too_few(args, 2)) return;
            std::vector<std::string> rest;
            for (size_t i = 2; i < argc; ++i)
                rest.push_back(args[i].text.text);
            const FormatResult formatted = format_builtin(args[1].text.text, rest, opt_.max_text);
            for (const std::string& w : formatted.warnings)
                warn(w, loc);
            if (formatted.too_big != 0)
                limit(
                    "expansion size", opt_.max_text, loc,
                    ("a format field of " + std::to_string(formatted.too_big) + " bytes").c_str());
            result.append_fixed(formatted.text, loc);
            return;
        }
        case Builtin::Shift:
            for (size_t i = 2; i < argc; ++i) {
                if (i > 2) result.append_fixed(",", loc);
                quote_into(result, args[i].text, loc);
            }
            return;
        case Builtin::Indir:
        case Builtin::BuiltinFn: {
            if (too_few(args, 2)) return;
            const std::string name = args[1].text.text;
            DefPtr target;
            if (id == Builtin::Indir) {
                touch(name);
                auto it = symbols_.find(name);
                if (it != symbols_.end() && !it->second.empty()) target = it->second.back();
            } else if (const BuiltinInfo* info = builtin_named(name)) {
                target = Def::of_builtin(info->id);
            }
            if (!target) {
                warn("undefined " + std::string(id == Builtin::Indir ? "macro" : "builtin") + " `" +
                         name + "'",
                     loc);
                return;
            }
            std::vector<Arg> shifted(args.begin() + 1, args.end());
            call(*target, shifted, loc, result, ref);
            return;
        }
        case Builtin::File:
            result.append_fixed(lquote_ + file_names_[call_place_.name] + rquote_, loc);
            return;
        case Builtin::Line:
            result.append_fixed(std::to_string(line_of(call_place_)), loc);
            return;
        case Builtin::Program:
            result.append_fixed(lquote_ + "m4" + rquote_, loc);
            return;
        case Builtin::Syscmd:
        case Builtin::Esyscmd:
            if (too_few(args, 2)) return;
            out_.unsafe_builtin_calls.push_back(loc);
            return;
        case Builtin::Maketemp:
        case Builtin::Mkstemp:
            if (too_few(args, 2)) return;
            // The name a real m4 would create; an include of it later reads the file a syscmd
            // would have written (cfhead.m4's build-info lines), which is left out.
            out_.unsafe_builtin_calls.push_back(loc);
            maketemp_names_.insert(args[1].text.text);
            quote_into(result, args[1].text, loc);
            return;
        case Builtin::Sysval:
            result.append_fixed("0", loc);
            return;
        case Builtin::M4exit:
            // GNU m4 exits right away: text still in diversions and m4wrap texts are dropped.
            throw Stop{true, true};
        case Builtin::Traceon:
        case Builtin::Traceoff:
        case Builtin::Dumpdef:
        case Builtin::Debugmode:
        case Builtin::Debugfile:
        case Builtin::Gnu:
        case Builtin::Unix:
            return;
        }
    }

    void undivert_here_all() {
        for (auto& [n, text] : diversions_)
            if (n > 0) insert_diversion(n);
    }

    static constexpr const char* kRegexHazard =
        "GNU's matcher can run for hours or overflow its stack on large patterns and texts";

    // Regular expression work so far, in units of the worst case seen (compiling: the square of
    // the pattern's length; matching: the square of the text's length times the pattern's),
    // about 0.2 ns each.
    // eval's width: more digits than an expansion may hold stop at the size limit.
    int width_of(long width) const {
        return static_cast<int>(std::min<long>(
            width, static_cast<long>(std::min<size_t>(opt_.max_text + 1, INT32_MAX))));
    }

    void charge_regex_work(uint64_t units, Location loc) {
        regex_work_ += units;
        if (regex_work_ > opt_.max_regex_work)
            limit("regular expression work", opt_.max_regex_work, loc, kRegexHazard);
    }

    void regex_builtin(Builtin id, const std::vector<Arg>& args, Location loc, Traced& result) {
        const size_t argc = args.size();
        if (too_few(args, 3)) {
            // patsubst(`abc') is abc, regexp(`abc') is 0, with no arguments both are blank.
            if (argc == 2 && id == Builtin::Patsubst) result.append(args[1].text);
            if (argc == 2 && id == Builtin::Regexp) result.append_fixed("0", loc);
            return;
        }
        const std::string& pattern = args[2].text.text;
        const std::string& text = args[1].text.text;
        // GNU's matcher has no bound of its own: some patterns take hours or overflow the stack
        // (m4 dies of it too). Only patterns and texts whose worst case is known are matched.
        if (pattern.size() > opt_.max_regex_pattern)
            limit("regular expression length", opt_.max_regex_pattern, loc, kRegexHazard);
        auto cached = regex_cache_.find(pattern);
        if (cached == regex_cache_.end()) {
            // Compiling costs up to the square of the pattern's length (a*****...).
            charge_regex_work(uint64_t{pattern.size()} * pattern.size() * 8192, loc);
            std::string error;
            auto re = GnuRegex::compile(pattern, error);
            if (!re) {
                warn("bad regular expression: `" + pattern + "': " + error, loc);
                return;
            }
            // Bounded: an expansion can make any number of distinct patterns.
            if (regex_cache_.size() >= 64) regex_cache_.clear();
            cached = regex_cache_.emplace(pattern, std::move(re)).first;
        }
        const GnuRegex& re = *cached->second;
        if (re.has_back_reference()) {
            out_.diagnostics.push_back(make_diag(
                kM4LimitExceeded,
                "m4 expansion stopped: smaudit does not match regular expressions with a "
                "back-reference (\\1 to \\9), on which GNU's matcher can run for hours or "
                "overflow its stack: `" +
                    pattern + "'",
                loc));
            throw Stop{};
        }
        // Matching tries each start position and may read on to the end of the text from each.
        const uint64_t n = text.size() + 1;
        charge_regex_work(n * n * (pattern.size() + 16), loc);
        std::vector<std::string> warnings;
        bool failed = false;
        if (id == Builtin::Regexp) {
            auto m = re.search(text, 0, failed);
            if (failed)
                warn("error matching regular expression `" + pattern + "'", loc);
            else if (argc == 3)
                result.append_fixed(m ? std::to_string(m->groups[0].first) : "-1", loc);
            else if (m)
                result.append_fixed(substitute(args[3].text.text, text, *m, re.groups(), warnings),
                                    loc);
        } else {
            const std::string& repl = argc >= 4 ? args[3].text.text : std::string();
            size_t pos = 0;
            while (pos <= text.size()) {
                auto m = re.search(text, pos, failed);
                if (!m) {
                    if (failed) warn("error matching regular expression `" + pattern + "'", loc);
                    break;
                }
                const auto mb = static_cast<size_t>(m->groups[0].first);
                const auto me = static_cast<size_t>(m->groups[0].second);
                result.append(args[1].text, pos, mb);
                result.append_fixed(substitute(repl, text, *m, re.groups(), warnings), loc);
                if (me == mb) {
                    if (mb < text.size()) result.append(args[1].text, mb, mb + 1);
                    pos = mb + 1;
                } else {
                    pos = me;
                }
                if (result.size() > opt_.max_text) limit("expansion size", opt_.max_text, loc);
            }
            if (pos < text.size()) result.append(args[1].text, pos, text.size());
        }
        // Once per call, not per match.
        std::sort(warnings.begin(), warnings.end());
        warnings.erase(std::unique(warnings.begin(), warnings.end()), warnings.end());
        for (const std::string& w : warnings)
            warn("Warning: " + w, loc);
    }

    // ---- files -----------------------------------------------------------------------------

    std::string resolve(const std::string& dir, const std::string& name) const {
        if ((!name.empty() && name[0] == '/') || dir.empty())
            return fs::path(name).lexically_normal().string();
        return (fs::path(dir) / name).lexically_normal().string();
    }

    // The file to read for `name` as m4 run in work_dir_ would, then, a relative name not found
    // there, in each include_path_ directory as `m4 -I DIR` would; with the name __file__
    // reports for it (`name`, or DIR/name from the include path). nullopt when none is there;
    // `looked` gets the places tried.
    std::optional<std::pair<FileId, std::string>> find_file(const std::string& name, Location loc,
                                                            std::vector<std::string>& looked,
                                                            std::string& refused) {
        if (name.empty()) return std::nullopt;
        if (rec_ && name[0] != '/') rec_->state->relative_lookups = true;
        if (!cf_dir_.empty() && (ends_with(name, "/m4/cf.m4") || name == "m4/cf.m4")) {
            // Any cf.m4 is this tree's (an .mc written for another checkout of sendmail).
            const std::string tree_cf = (fs::path(cf_dir_) / "m4" / "cf.m4").string();
            std::error_code ec;
            const std::string literal = resolve(work_dir_, name);
            const bool same = fs::exists(literal, ec) && fs::equivalent(literal, tree_cf, ec);
            looked.push_back(same ? literal : tree_cf);
            if (auto id = load(looked.back(), loc, refused))
                return std::pair{*id, same ? name : tree_cf};
            return std::nullopt;
        }
        looked.push_back(resolve(work_dir_, name));
        if (auto id = load(looked.back(), loc, refused)) return std::pair{*id, name};
        // A file there but refused ends the search: m4 would have read that one.
        if (name[0] == '/' || !refused.empty()) return std::nullopt;
        for (const std::string& dir : include_path_) {
            looked.push_back(resolve(dir, name));
            if (auto id = load(looked.back(), loc, refused))
                return std::pair{*id, (fs::path(dir) / name).string()};
            if (!refused.empty()) return std::nullopt;
        }
        return std::nullopt;
    }

    // Why a file that is there may not be read, or empty: outside the allowed roots (its path
    // with symbolic links resolved, so a link inside the tree pointing out is outside).
    std::string outside_roots(const std::string& path) const {
        if (allowed_roots_.empty()) return {};
        char* real = ::realpath(path.c_str(), nullptr);
        if (real == nullptr) return {}; // not there: the read says so
        const std::string resolved = real;
        std::free(real);
        for (const std::string& root : allowed_roots_)
            if (resolved == root || resolved.rfind(root == "/" ? root : root + "/", 0) == 0)
                return {};
        return "include outside the config tree, not read: " + path +
               (resolved == path ? std::string() : " (which is " + resolved + ")") +
               "; an .mc reads from its own directory, the cf tree and --include-dir (" +
               allowed_shown_ + ")";
    }

    // The file at `name`, read once. nullopt when it is not there, or when it is there but is
    // refused (`refused` says why: outside the tree, not a regular file, too big).
    std::optional<FileId> load(const std::string& name, Location loc, std::string& refused) {
        const std::string path = fs::path(name).lexically_normal().string();
        auto it = loaded_.find(path);
        if (it != loaded_.end()) return it->second;
        refused = outside_roots(path);
        if (!refused.empty()) {
            rec_.reset();
            return std::nullopt;
        }
        FileRead read = read_regular_file(path, opt_.max_text);
        if (read.status == FileRead::Status::TooBig)
            limit("included file size", opt_.max_text, loc);
        if (read.status == FileRead::Status::NotRegular) refused = path + " " + read.error;
        if (!read.ok()) {
            if (!refused.empty())
                rec_.reset();
            else if (rec_)
                rec_->state->missing.push_back(path);
            return std::nullopt;
        }
        const FileId id = sources_.add(path, std::move(read.text), FileKind::M4);
        loaded_.emplace(path, id);
        if (rec_) {
            rec_->numbers.emplace(id, static_cast<FileId>(rec_->state->files.size() + 1));
            rec_->state->files.push_back({path, sources_.get(id).text()});
        }
        return id;
    }

    void include(const std::string& name, bool silent, Location loc) {
        if (maketemp_names_.count(name) != 0) return; // build info made by syscmd
        if (cf_dir_.empty() && no_tree_ && ends_with(name, "cf.m4")) {
            // No tree (SM-E101 says so): do what matters of cfhead.m4 for reading the rest.
            bcomm_.clear();
            ecomm_.clear();
            refresh_delims();
            return;
        }
        std::vector<std::string> looked;
        std::string refused;
        const auto found = find_file(name, loc, looked, refused);
        if (!refused.empty()) refuse_file(refused, loc);
        if (!found) {
            if (!silent && refused.empty()) missing_file(name, looked, loc);
            return;
        }
        const auto& [id, display] = *found;
        const int tag = current_tag();
        // cf.m4, cfhead.m4, proto.m4: the cf tree's own machinery is "cf default", whichever
        // .mc line happened to read it.
        const bool cf_machinery = in_tree_m4_dir(sources_.get(id).path());
        if (tag >= 0 && !cf_machinery && included_files_.insert(id).second)
            out_.included_by.push_back({id, out_.calls[static_cast<size_t>(tag)].where});
        if (!frozen_done_ && opt_.frozen != nullptr && !cf_dir_.empty() &&
            (ends_with(name, "/m4/cf.m4") || name == "m4/cf.m4")) {
            frozen_done_ = true;
            if (auto key = frozen_key(id, display, false)) {
                if (resume_frozen(*key, id)) return;
                start_recording(std::move(*key), id);
            }
        }
        push_file(id, display, tag);
    }

    // ---- the state after cf.m4 (FrozenCache) -----------------------------------------------

    void touch(std::string_view name) {
        if (rec_) rec_->state->touched.emplace(name);
    }
    void changing(std::string_view name) {
        if (rec_) {
            rec_->state->touched.emplace(name);
            rec_->written.emplace(name);
        } else if (!frozen_done_ && opt_.frozen != nullptr) {
            changed_names_.emplace(name);
        }
    }

    // The key of snapshots for this include of cf.m4 (file `id`, __file__ `display`): what else
    // decides how it is read. nullopt unless the engine is where every .mc's include of cf.m4
    // is: read straight from the .mc (nothing pushed back), before any other file, regex or
    // maketemp, with a cf tree.
    // `prepended`: cf.m4 read before the .mc, at the start of the run.
    std::optional<std::string> frozen_key(FileId id, const std::string& display,
                                          bool prepended) const {
        if (no_tree_ || stack_.size() != 1 || depth_ != (prepended ? 0 : 1) ||
            (current_call_ < 0) != prepended || include_depth_ != 1 ||
            loaded_.size() != (prepended ? 0 : 1) || (!prepended && loaded_.begin()->second != id))
            return std::nullopt;
        const Block& bottom = *stack_[0];
        if (bottom.kind != Block::Kind::File || bottom.file != mc_ || file_names_.size() != 2 ||
            !included_files_.empty() || !out_.included_by.empty() || !maketemp_names_.empty() ||
            !regex_cache_.empty())
            return std::nullopt;
        return snapshot_key(prepended, cf_dir_, display, sources_.get(id).path(),
                            {lquote_, rquote_, bcomm_, ecomm_}, current_number_, opt_);
    }

    void start_recording(std::string key, FileId cf_m4, bool prepended = false) {
        rec_ = std::make_unique<Recording>();
        Recording& rec = *rec_;
        rec.key = std::move(key);
        rec.base = stack_.size();
        rec.numbers.emplace(cf_m4, 1);
        rec.state = std::make_shared<FrozenState>();
        FrozenState& state = *rec.state;
        state.files.push_back({sources_.get(cf_m4).path(), sources_.get(cf_m4).text()});
        state.prepended = prepended;
        state.work_dir = work_dir_;
        state.include_path = include_path_;
        if (!prepended)
            state.include_span = out_.calls[static_cast<size_t>(current_call_)].where.span;
        const SnapshotNumbering numbering(mc_, rec.numbers);
        for (const std::string& name : changed_names_) {
            auto it = symbols_.find(name);
            std::vector<DefPtr> frozen;
            if (it != symbols_.end() && !numbering.freeze(it->second, frozen)) {
                rec_.reset();
                return;
            }
            state.changed_before.emplace(name, std::move(frozen));
        }
        for (const auto& [n, text] : diversions_)
            rec.diversion_sizes.emplace(n, text.size());
        rec.expansions = expansions_;
        rec.output_bytes = diverted_bytes_;
        rec.regex_work = regex_work_;
        rec.diagnostics = out_.diagnostics.size();
        rec.errprints = out_.errprints.size();
        rec.unsafe = out_.unsafe_builtin_calls.size();
        rec.wraps = wraps_.size();
    }

    // cf.m4 has been read: what it changed goes into the snapshot, which the cache keeps.
    void finish_recording() {
        std::unique_ptr<Recording> rec = std::move(rec_);
        FrozenState& state = *rec->state;
        const SnapshotNumbering numbering(mc_, rec->numbers);
        const Span* include = state.prepended ? nullptr : &state.include_span;
        // Only the names it touched matter; the .mc places in those are then absolute.
        std::erase_if(state.changed_before,
                      [&](const auto& entry) { return state.touched.count(entry.first) == 0; });
        for (const auto& [name, frozen] : state.changed_before)
            for (const DefPtr& def : frozen)
                state.include_must_match |= mentions_mc(*def);
        state.expansions = expansions_ - rec->expansions;
        state.output_bytes = diverted_bytes_ - rec->output_bytes;
        state.regex_work = regex_work_ - rec->regex_work;
        for (const std::string& name : rec->written) {
            std::vector<DefPtr> frozen;
            auto it = symbols_.find(name);
            if (it != symbols_.end() && !numbering.freeze(it->second, frozen, include)) return;
            state.written.emplace_back(name, std::move(frozen));
        }
        for (const auto& [n, text] : diversions_) {
            auto before = rec->diversion_sizes.find(n);
            const size_t from = before == rec->diversion_sizes.end() ? 0 : before->second;
            if (before != rec->diversion_sizes.end() && from == text.size()) continue;
            Traced added;
            added.append(text, from, text.size());
            if (!numbering.freeze(added)) return;
            state.diverted.emplace_back(n, std::move(added));
        }
        state.diversion = current_number_;
        state.lquote = lquote_;
        state.rquote = rquote_;
        state.bcomm = bcomm_;
        state.ecomm = ecomm_;
        for (size_t i = rec->wraps; i < wraps_.size(); ++i) {
            FrozenState::Wrap wrap{wraps_[i].text, wraps_[i].place};
            if (!numbering.freeze(wrap.text) || !numbering.freeze(wrap.place.file)) return;
            state.wraps.push_back(std::move(wrap));
        }
        state.names.assign(file_names_.begin() + 2, file_names_.end());
        state.maketemp_names.assign(maketemp_names_.begin(), maketemp_names_.end());
        for (const auto& [pattern, regex] : regex_cache_)
            state.regex_patterns.push_back(pattern);
        for (FileId file : included_files_) {
            if (!numbering.freeze(file)) return;
            state.included_files.push_back(file);
        }
        for (Expansion::IncludedFile included : out_.included_by) {
            if (!numbering.freeze(included.file) || !numbering.freeze(included.by_call, include))
                return;
            state.included_by.push_back(included);
        }
        for (size_t i = rec->diagnostics; i < out_.diagnostics.size(); ++i) {
            Diagnostic d = out_.diagnostics[i];
            if (d.fix || d.config_file != kNoFile || !numbering.freeze(d.where, include)) return;
            for (Label& note : d.notes)
                if (!numbering.freeze(note.where, include)) return;
            state.diagnostics.push_back(std::move(d));
        }
        for (size_t i = rec->errprints; i < out_.errprints.size(); ++i) {
            ErrprintMessage message = out_.errprints[i];
            if (!numbering.freeze(message.where, include) ||
                !numbering.freeze(message.errprint, include))
                return;
            state.errprints.push_back(std::move(message));
        }
        for (size_t i = rec->unsafe; i < out_.unsafe_builtin_calls.size(); ++i) {
            Location where = out_.unsafe_builtin_calls[i];
            if (!numbering.freeze(where, include)) return;
            state.unsafe_builtin_calls.push_back(where);
        }
        state.last_close = last_close_;
        if (!numbering.freeze(state.last_close, include)) return;
        opt_.frozen->add(rec->key, std::move(rec->state));
    }

    // Whether a snapshot holds here (cf.m4 is file `id`): the same tree files, the same
    // definitions of every name it touched, room left under the limits. `texts`: the files it
    // read, read again.
    bool frozen_holds(const FrozenState& state, FileId id, std::vector<std::string>& texts) const {
        const SourceFile& cf_m4 = sources_.get(id);
        if (state.files.empty() || state.files[0].path != cf_m4.path() ||
            state.files[0].text != cf_m4.text())
            return false;
        if (state.relative_lookups &&
            (state.work_dir != work_dir_ || state.include_path != include_path_))
            return false;
        if (state.include_must_match && !state.prepended &&
            out_.calls[static_cast<size_t>(current_call_)].where.span != state.include_span)
            return false;
        if (expansions_ + state.expansions > opt_.max_expansions ||
            diverted_bytes_ + state.output_bytes > opt_.max_output ||
            regex_work_ + state.regex_work > opt_.max_regex_work)
            return false;
        for (const std::string& name : state.names)
            if (name_indexes_.count(name) != 0) return false;
        const FileNumbers numbers{{id, 1}};
        const SnapshotNumbering numbering(mc_, numbers);
        for (const std::string& name : changed_names_) {
            if (state.touched.count(name) == 0) continue;
            auto it = symbols_.find(name);
            const std::vector<DefPtr>* live = it == symbols_.end() ? nullptr : &it->second;
            auto frozen = state.changed_before.find(name);
            if (!numbering.same_definitions(live, frozen != state.changed_before.end()
                                                      ? frozen->second
                                                      : initial_definitions(name)))
                return false;
        }
        for (const auto& [name, frozen] : state.changed_before) {
            if (changed_names_.count(name) != 0) continue;
            const std::vector<DefPtr> initial = initial_definitions(name);
            if (!numbering.same_definitions(&initial, frozen)) return false;
        }
        return tree_files_unchanged(
            state, [this](const std::string& path) { return outside_roots(path); }, opt_.max_text,
            texts);
    }

    bool resume_frozen(const std::string& key, FileId id) {
        for (const FrozenCache::Snapshot& snapshot : opt_.frozen->candidates(key)) {
            std::vector<std::string> texts;
            if (!frozen_holds(*snapshot, id, texts)) {
                opt_.frozen->count_stale();
                continue;
            }
            thaw(*snapshot, id, texts);
            opt_.frozen->count_resumed();
            out_.resumed_from_frozen = true;
            return true;
        }
        return false;
    }

    // Applies what reading cf.m4 changed, as that reading would have left it.
    void thaw(const FrozenState& state, FileId id, std::vector<std::string>& texts) {
        ResumedNumbering numbering{{mc_, id}, {}};
        for (size_t i = 1; i < state.files.size(); ++i) {
            const std::string& path = state.files[i].path;
            const FileId file = sources_.add(path, std::move(texts[i - 1]), FileKind::M4);
            loaded_.emplace(path, file);
            numbering.ids.push_back(file);
        }
        if (!state.prepended)
            numbering.include = out_.calls[static_cast<size_t>(current_call_)].where;
        for (const auto& [name, frozen] : state.written) {
            if (frozen.empty()) {
                symbols_.erase(name);
                continue;
            }
            std::vector<DefPtr> stack;
            for (const DefPtr& def : frozen) {
                if (def->body.segs.empty() && !def->mc_place.valid()) {
                    stack.push_back(def); // nothing to renumber: shared as it is
                    continue;
                }
                auto copy = std::make_shared<Def>(*def);
                copy->body = numbering.traced(copy->body);
                copy->mc_place = numbering.location(copy->mc_place);
                stack.push_back(std::move(copy));
            }
            symbols_[note_name(name)] = std::move(stack);
        }
        for (const auto& [n, text] : state.diverted)
            diversions_[n].append(numbering.traced(text));
        expansions_ += state.expansions;
        diverted_bytes_ += state.output_bytes;
        regex_work_ += state.regex_work;
        divert(state.diversion);
        lquote_ = state.lquote;
        rquote_ = state.rquote;
        bcomm_ = state.bcomm;
        ecomm_ = state.ecomm;
        refresh_delims();
        for (const FrozenState::Wrap& wrap : state.wraps) {
            Place place = wrap.place;
            place.file = numbering.file(place.file);
            wraps_.push_back({numbering.traced(wrap.text), place});
        }
        for (const std::string& name : state.names)
            name_index(name);
        maketemp_names_.insert(state.maketemp_names.begin(), state.maketemp_names.end());
        for (const std::string& pattern : state.regex_patterns) {
            std::string error;
            if (auto regex = GnuRegex::compile(pattern, error))
                regex_cache_.emplace(pattern, std::move(regex));
        }
        for (FileId file : state.included_files)
            included_files_.insert(numbering.file(file));
        for (const Expansion::IncludedFile& included : state.included_by)
            out_.included_by.push_back(
                {numbering.file(included.file), numbering.location(included.by_call)});
        for (const Diagnostic& frozen : state.diagnostics) {
            Diagnostic d = frozen;
            d.where = numbering.location(d.where);
            for (Label& note : d.notes)
                note.where = numbering.location(note.where);
            out_.diagnostics.push_back(std::move(d));
        }
        for (const ErrprintMessage& frozen : state.errprints)
            out_.errprints.push_back({frozen.text, numbering.location(frozen.where),
                                      numbering.location(frozen.errprint)});
        for (const Location& where : state.unsafe_builtin_calls)
            out_.unsafe_builtin_calls.push_back(numbering.location(where));
        last_close_ = numbering.location(state.last_close);
    }

    // Whether `path` is in the cf tree's own m4/ directory (cf.m4, cfhead.m4, proto.m4), told by
    // the directory's identity (device and inode), not its spelling: an .mc may include cf.m4
    // through a symlink or another name of the tree in use (/usr/share/sendmail-cf/m4/cf.m4
    // linked to /usr/share/sendmail/cf), and cf.m4 then reads cfhead.m4 and proto.m4 by that
    // name too.
    bool in_tree_m4_dir(const std::string& path) {
        if (cf_dir_.empty()) return false;
        struct stat dir {};
        if (!tree_m4_dir_) {
            tree_m4_dir_.emplace(0, 0);
            if (::stat((fs::path(cf_dir_) / "m4").c_str(), &dir) == 0)
                tree_m4_dir_.emplace(dir.st_dev, dir.st_ino);
        }
        return ::stat(fs::path(path).parent_path().c_str(), &dir) == 0 &&
               std::pair(dir.st_dev, dir.st_ino) == *tree_m4_dir_;
    }

    void undivert_file(const std::string& name, Location loc) {
        std::vector<std::string> looked;
        std::string refused;
        const auto found = find_file(name, loc, looked, refused);
        if (!refused.empty()) refuse_file(refused, loc);
        if (!found) {
            if (refused.empty()) missing_file(name, looked, loc);
            return;
        }
        if (current_ == nullptr) return;
        const std::string& text = sources_.get(found->first).text();
        current_->append_linear(text, found->first, 0);
        count_output(text.size(), loc);
    }

    // Also for sinclude: a file refused is not a file missing.
    void refuse_file(const std::string& why, Location loc) {
        out_.diagnostics.push_back(make_diag(kM4IncludeRefused, why, attributed(loc)));
    }

    void missing_file(const std::string& name, const std::vector<std::string>& looked,
                      Location loc) {
        std::string what = "file";
        const std::string tree = cf_dir_.empty() ? std::string() : cf_dir_ + "/";
        for (const std::string& path : looked)
            for (const char* kind : {"ostype", "domain", "feature", "mailer", "hack", "siteconfig"})
                if (what == "file" && !tree.empty() && path.rfind(tree + kind + "/", 0) == 0) {
                    what = kind;
                    for (char& c : what)
                        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                    what += " file";
                }
        std::string message = "m4 cannot include " + what + " `" + name + "'";
        std::string places;
        for (size_t i = 0; i < looked.size(); ++i)
            places += (i == 0 ? "" : i + 1 == looked.size() ? " and " : ", ") + looked[i];
        if (!looked.empty() && places != name) message += " (looked for " + places + ")";
        out_.diagnostics.push_back(make_diag(kM4FileNotFound, message, attributed(loc)));
    }
};

// Whether the .mc includes a cf.m4 itself (then it is run as `m4 FILE.mc`): `include(`, then
// a path ending in cf.m4 before the closing quote or parenthesis.
bool includes_cf_m4(std::string_view text) {
    for (size_t at = text.find("include"); at != std::string_view::npos;
         at = text.find("include", at + 1)) {
        size_t p = at + 7;
        while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
            ++p;
        if (p >= text.size() || text[p] != '(') continue;
        const size_t end = text.find_first_of(")'\n", p);
        const std::string_view arg = text.substr(p, end == std::string_view::npos ? end : end - p);
        if (ends_with(arg, "cf.m4")) return true;
    }
    return false;
}

} // namespace

const OriginSegment* Expansion::segment_of(uint32_t out_offset) const {
    if (out_offset >= text.size() || origins.empty()) return nullptr;
    auto it =
        std::upper_bound(origins.begin(), origins.end(), out_offset,
                         [](uint32_t off, const OriginSegment& s) { return off < s.out_begin; });
    if (it == origins.begin()) return nullptr;
    return &*std::prev(it);
}

Location Expansion::origin_of(uint32_t out_offset) const {
    const OriginSegment* seg = segment_of(out_offset);
    if (seg == nullptr) return {};
    if (!seg->linear || !seg->origin.valid()) return seg->origin;
    const uint32_t byte = seg->origin.span.begin + (out_offset - seg->out_begin);
    return Location{seg->origin.file, {byte, byte + 1}};
}

namespace {

// A place moved to the .mc by where it is: in the .mc it stays; in a file an .mc call read it
// becomes that call; anything else is invalid.
Location placed_in_mc(const Expansion& e, Location where) {
    if (!where.valid() || where.file == e.mc) return where;
    for (const auto& inc : e.included_by)
        if (inc.file == where.file) return inc.by_call;
    return {};
}

} // namespace

Location Expansion::mc_origin_of(uint32_t out_offset) const {
    const OriginSegment* seg = segment_of(out_offset);
    if (seg == nullptr) return {};
    if (Location placed = placed_in_mc(*this, origin_of(out_offset)); placed.valid()) return placed;
    return seg->cause; // invalid unless an ifdef picked it for an .mc call's file
}

namespace {

// The innermost .mc statement, a top-level call or one of the .mc's definitions, around the .mc
// byte at `offset`; invalid when none holds it. The last statement that starts at or before the
// byte holds it, or one around that one does (statements nest).
Location statement_at(const Expansion& e, uint32_t offset) {
    const auto& statements = e.statements;
    auto it = std::upper_bound(statements.begin(), statements.end(), offset,
                               [](uint32_t at, const auto& s) { return at < s.span.begin; });
    int32_t i = static_cast<int32_t>(it - statements.begin()) - 1;
    while (i >= 0 && offset >= statements[static_cast<size_t>(i)].span.end)
        i = statements[static_cast<size_t>(i)].parent;
    if (i < 0) return {};
    return Location{e.mc, statements[static_cast<size_t>(i)].span};
}

} // namespace

Location Expansion::mc_statement_in(Span out) const {
    Location last;
    auto note = [&](uint32_t offset) {
        const Location statement = statement_at(*this, offset);
        if (statement.valid() && (!last.valid() || statement.span.begin > last.span.begin))
            last = statement;
    };
    const OriginSegment* first = segment_of(out.begin);
    if (first == nullptr) return {};
    const OriginSegment* end = origins.data() + origins.size();
    for (const OriginSegment* seg = first; seg != end && seg->out_begin < out.end; ++seg) {
        if (seg->origin.file != mc) continue;
        if (!seg->linear) {
            note(seg->origin.span.begin);
            continue;
        }
        // The piece's first and last byte inside the stretch.
        const uint32_t seg_end =
            seg + 1 == end ? static_cast<uint32_t>(text.size()) : (seg + 1)->out_begin;
        const uint32_t from = std::max(seg->out_begin, out.begin);
        const uint32_t to = std::min(seg_end, out.end);
        if (from >= to) continue;
        note(seg->origin.span.begin + (from - seg->out_begin));
        note(seg->origin.span.begin + (to - 1 - seg->out_begin));
    }
    return last;
}

Location Expansion::mc_origin_in(Span out, bool* own_statement) const {
    if (own_statement != nullptr) *own_statement = false;
    if (out.empty()) return mc_origin_of(out.begin);
    const OriginSegment* first = segment_of(out.begin);
    if (first == nullptr) return {};
    if (Location placed = placed_in_mc(*this, origin_of(out.begin)); placed.valid()) return placed;
    // Where its bytes are first: the first one in a file an .mc call read (the .mc's own
    // define bytes are not a call standing for a file); only then why they are there, the
    // first cause.
    const OriginSegment* end = origins.data() + origins.size();
    for (const OriginSegment* seg = first; seg != end && seg->out_begin < out.end; ++seg)
        if (seg->origin.file != mc)
            if (Location placed = placed_in_mc(*this, seg->origin); placed.valid()) return placed;
    for (const OriginSegment* seg = first; seg != end && seg->out_begin < out.end; ++seg)
        if (seg->cause.valid()) return seg->cause;
    // Last, the .mc statement that wrote some of its bytes (MASQUERADE_AS's name in `DM...`).
    const Location statement = mc_statement_in(out);
    if (own_statement != nullptr) *own_statement = statement.valid();
    return statement;
}

bool is_mc_macro(std::string_view name) {
    return builtin_named(name) != nullptr ||
           std::any_of(std::begin(kSendmailMacros), std::end(kSendmailMacros),
                       [&](const char* macro) { return name == macro; });
}

const std::vector<std::string>& cf_dir_defaults() {
    static const std::vector<std::string> dirs = {"/usr/share/sendmail/cf",
                                                  "/usr/share/sendmail-cf", "/usr/lib/mail"};
    return dirs;
}

std::optional<std::string> find_cf_dir(const std::string& requested) {
    std::error_code ec;
    auto has_cf = [&](const std::string& dir) {
        return fs::is_regular_file(fs::path(dir) / "m4" / "cf.m4", ec);
    };
    if (!requested.empty()) {
        if (has_cf(requested)) return requested;
        return std::nullopt;
    }
    for (const auto& dir : cf_dir_defaults())
        if (has_cf(dir)) return dir;
    return std::nullopt;
}

Expansion expand_mc(SourceSet& sources, FileId mc, const ExpandOptions& options) {
    Expansion out;
    out.mc = mc;
    auto cf_dir = find_cf_dir(options.cf_dir);
    if (cf_dir) {
        while (cf_dir->size() > 1 && cf_dir->back() == '/')
            cf_dir->pop_back();
        out.cf_dir = *cf_dir;
    } else {
        std::string where;
        if (!options.cf_dir.empty())
            where = options.cf_dir;
        else
            for (const auto& d : cf_dir_defaults())
                where += (where.empty() ? "" : ", ") + d;
        out.diagnostics.push_back(
            make_diag(kM4NoCfTree,
                      "no sendmail cf tree (m4/cf.m4) in " + where +
                          ": the .mc cannot be expanded as m4 would, so what its OSTYPE, "
                          "DOMAIN and FEATURE files set and the .cf it makes are unknown; only "
                          "its own defines and cfhead.m4's defaults are read. Give --cf-dir",
                      Location{mc, {0, 0}}));
    }
    Engine engine(sources, options, out, mc, out.cf_dir);
    if (!cf_dir) engine.use_stand_ins();
    // Relative includes: where m4 runs (Debian's make in /etc/mail: the .mc's directory), then
    // where sendmail's own build runs it, the tree's cf/ directory.
    std::string work_dir = options.work_dir;
    if (work_dir.empty()) {
        work_dir = fs::path(sources.get(mc).path()).parent_path().string();
        if (work_dir.empty()) work_dir = ".";
    }
    engine.set_work_dir(work_dir);
    if (cf_dir) engine.add_include_dir((fs::path(*cf_dir) / "cf").string());
    for (const std::string& dir : options.include_dirs)
        engine.add_include_dir(dir);
    // What an .mc may read: its own tree, the cf tree, --include-dir (nothing else, symbolic
    // links resolved: an .mc under review must not read /etc/shadow into a report).
    engine.allow_root(work_dir);
    if (cf_dir) engine.allow_root(*cf_dir);
    for (const std::string& dir : options.include_dirs)
        engine.allow_root(dir);
    const std::string& text = sources.get(mc).text();
    const bool prepend =
        cf_dir && (options.prepend_cf_m4 == ExpandOptions::CfM4::Always ||
                   (options.prepend_cf_m4 == ExpandOptions::CfM4::Auto && !includes_cf_m4(text)));
    engine.add_initial(mc, sources.get(mc).path());
    if (prepend) {
        const std::string cf_m4 = (fs::path(*cf_dir) / "m4" / "cf.m4").string();
        FileRead cf_text = read_regular_file(cf_m4, options.max_text);
        if (cf_text.ok()) {
            const FileId id = sources.add(cf_m4, std::move(cf_text.text), FileKind::M4);
            engine.prepend_cf_m4(id, cf_m4);
        }
    }
    engine.run();
    return out;
}

Expansion expand_m4(SourceSet& sources, FileId file, const ExpandOptions& options) {
    Expansion out;
    out.mc = file;
    Engine engine(sources, options, out, file, options.cf_dir);
    engine.set_work_dir(options.work_dir);
    engine.add_initial(file, sources.get(file).path());
    engine.run();
    return out;
}

} // namespace smaudit::m4
