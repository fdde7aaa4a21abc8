// The engine's own kinds of thing that the frozen state (frozen.hpp) holds too: builtins,
// macro definitions and reading places. Internal to src/m4.
#pragma once

#include "m4/traced.hpp"
#include "source/source.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace smaudit::m4 {

enum class Builtin {
    None,
    Define,
    Undefine,
    Defn,
    Pushdef,
    Popdef,
    Ifdef,
    Ifelse,
    Include,
    Sinclude,
    Divert,
    Undivert,
    Divnum,
    Dnl,
    Changequote,
    Changecom,
    M4wrap,
    Errprint,
    Incr,
    Decr,
    Eval,
    Len,
    Index,
    Substr,
    Translit,
    Patsubst,
    Regexp,
    Format,
    Shift,
    Indir,
    BuiltinFn,
    File,
    Line,
    Program,
    Syscmd,
    Esyscmd,
    Sysval,
    Maketemp,
    Mkstemp,
    M4exit,
    Traceon,
    Traceoff,
    Dumpdef,
    Debugmode,
    Debugfile,
    Gnu,
    Unix
};

struct BuiltinInfo {
    const char* name;
    Builtin id;
    bool blind; // only recognised when followed by `(`
};

// The builtin `id` / named `name` in GNU m4's table (null: none).
const BuiltinInfo* builtin_info(Builtin id);
const BuiltinInfo* builtin_named(std::string_view name);

// A macro definition: text (with provenance) or a builtin.
struct Def {
    Traced body;
    Builtin builtin = Builtin::None;
    bool blind = false; // a builtin recognised only when `(` follows
    // Made while reading a file an .mc call read (feature/access_db.m4's
    // define(`_ACCESS_TABLE_', ...)): that file's index in Expansion::included_by, else kNoCause.
    uint32_t cause = kNoCause;
    // The .mc place behind it: the .mc's own define call (Expansion::definitions), or the call
    // that read the file it was made in; invalid for the cf tree's own definitions.
    Location mc_place;
    int mc_definition = -1; // index in Expansion::definitions when the .mc made it

    static std::shared_ptr<Def> of_builtin(Builtin id) {
        auto def = std::make_shared<Def>();
        def->builtin = id;
        const BuiltinInfo* info = builtin_info(id);
        def->blind = info != nullptr && info->blind;
        return def;
    }
};
using DefPtr = std::shared_ptr<const Def>;

// Where m4 is reading, for __file__ and __line__ (GNU m4's current_file/current_line): byte
// `offset` of `file`, named `name` (an index into the engine's file names). Pushed-back text
// keeps the place of the macro call that made it, as m4's input blocks do; text read from a file
// is where it is. No file: m4's "" and line 0.
struct Place {
    uint32_t name = 0;
    FileId file = kNoFile;
    uint32_t offset = 0;
};

} // namespace smaudit::m4
