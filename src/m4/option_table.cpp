#include "m4/option_table.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace smaudit::m4 {

const M4Option* find_m4_option(std::string_view m4_name) {
    for (const M4Option& o : m4_option_table())
        if (o.m4_name == m4_name) return &o;
    return nullptr;
}

const M4Option* find_m4_option_for(std::string_view option) {
    auto same = [&](std::string_view name) {
        return name.size() == option.size() &&
               std::equal(name.begin(), name.end(), option.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) ==
                          std::tolower(static_cast<unsigned char>(b));
               });
    };
    for (const M4Option& o : m4_option_table())
        if (same(o.option)) return &o;
    return nullptr;
}

namespace {
// What rescanning a macro body does to its quotes: each top-level `...' loses one level (a
// double-quoted value reaches the .cf with its quotes gone). Macro calls inside are left as
// they are: without the tree their expansion is unknown.
std::string rescan_quotes(std::string_view text) {
    std::string out;
    int depth = 0;
    for (char c : text) {
        if (c == '`') {
            if (depth++ > 0) out += c;
        } else if (c == '\'' && depth > 0) {
            if (--depth > 0) out += c;
        } else {
            out += c;
        }
    }
    return out;
}
} // namespace

std::vector<StaticOption> static_options(const Expansion& expansion) {
    // m4 name -> the .mc's value and the define that set it (nullopt: undefined by the .mc)
    struct Set {
        std::string value;
        Location where, statement;
    };
    std::map<std::string, std::optional<Set>, std::less<>> set;
    for (const MacroCall& call : expansion.calls) {
        if (call.args.empty()) continue;
        const std::string& name = call.args[0];
        if (call.name == "define" || call.name == "pushdef") {
            if (find_m4_option(name) == nullptr) continue;
            const std::string value =
                call.args.size() > 1 ? rescan_quotes(call.args[1]) : std::string();
            const Location where =
                call.arg_locations.size() > 1 ? call.arg_locations[1] : call.where;
            set[name] = Set{value, where, call.where};
        } else if (call.name == "undefine" || call.name == "popdef") {
            for (const std::string& arg : call.args)
                if (find_m4_option(arg) != nullptr) set[arg] = std::nullopt;
        }
    }
    std::vector<StaticOption> out;
    for (const M4Option& entry : m4_option_table()) {
        auto it = set.find(entry.m4_name);
        if (it != set.end()) {
            if (it->second)
                out.push_back(
                    {&entry, it->second->value, it->second->where, it->second->statement});
        } else if (entry.cf_default_set) {
            out.push_back({&entry, rescan_quotes(entry.cf_default), Location{}, Location{}});
        }
    }
    return out;
}

} // namespace smaudit::m4
