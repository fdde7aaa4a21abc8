#include "m4/option_table.hpp"

namespace smaudit::m4 {

const M4Option* find_m4_option(std::string_view m4_name) {
    for (const M4Option& o : m4_option_table())
        if (o.m4_name == m4_name) return &o;
    return nullptr;
}

} // namespace smaudit::m4
