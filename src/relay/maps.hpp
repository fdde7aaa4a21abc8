// The maps a configuration's K lines declare, as sendmail looks them up from rules (`$( map key
// $@ arg $: default $)`, `$[ host $]`). Read once, from files under the environment's root;
// nothing is executed or contacted: network and program maps answer "unavailable".
#pragma once

#include "model/config.hpp"
#include "relay/simulate.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace smaudit::relay {

struct MapResult {
    std::optional<std::string> value; // nullopt: not found
    bool tempfail = false;            // EX_TEMPFAIL (the map's -T text is then in `value`)
    bool unavailable = false;         // a map smaudit never consults (dns, program, ldap, ...)
};

// Session macros a `macro` map sets and reads, by name without braces.
using MacroTable = std::map<std::string, std::string>;

class MapSet {
  public:
    MapSet(const model::Config& config, const Environment& env, std::vector<std::string>& notes);
    ~MapSet();
    MapSet(MapSet&&) noexcept;
    MapSet& operator=(MapSet&&) noexcept;

    struct Map;
    // The map declared as `name`, nullptr when none is: the functions below take it (a rule's
    // lookup asks several of them, with one search).
    const Map* find(std::string_view name) const;
    // The map's space substitute (-S; sendmail's SpaceSub, ' ', by default) for building the key.
    char space_sub(const Map& map) const;
    bool keeps_quotes(const Map& map) const; // -q (and dequote maps)
    // Why a map that reads a file could not open it, as sendmail prints it when a rule first
    // uses the map ("hash map \"x\": missing map file /p/x.db: No such file or directory");
    // empty when it opened or is optional.
    const std::string& open_error(const Map& map) const;
    // `args[0]` is the key, as sendmail's argvect ("%0"); args[1...] the `$@` arguments.
    MapResult lookup(const Map& map, const std::vector<std::string>& args,
                     MacroTable& macros) const;

  private:
    std::map<std::string, std::unique_ptr<Map>, std::less<>> maps_;
    MapResult lookup(const Map& map, const std::vector<std::string>& args, MacroTable& macros,
                     int depth) const;
};

// Reads a file under `root` ("" = "/"): nullopt when it does not exist or cannot be read.
std::optional<std::string> read_rooted(const std::string& root, const std::string& path);

} // namespace smaudit::relay
