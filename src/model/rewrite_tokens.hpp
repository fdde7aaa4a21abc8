// The tokens of a rewriting rule's left- or right-hand side, split as sendmail's readcf/prescan
// split them, so that two rules compare equal whatever blanks they are written with
// (`$=w.` and `$=w .`, `$#OK` and `$# OK`), and the few facts the relay rules need from them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smaudit::model {

// Tokens: `$*` `$+` `$-` `$@` `$:` `$#` `$|` `$1`... and `${name}` as one each; `$=w`, `$~w`,
// `$&f`, `$={name}`, `$&{name}` as one each; `$>` alone (the ruleset name is the next token);
// a quoted string as one token, quotes kept; each of sendmail's operators and delimiters
// (`.:%@!^/[]+()<>,;`) as one; any other run of bytes up to a blank, `$`, quote or operator.
std::vector<std::string> rewrite_tokens(std::string_view side);

// Whether `tokens` holds `sequence` as consecutive tokens.
bool has_sequence(const std::vector<std::string>& tokens,
                  const std::vector<std::string_view>& sequence);

// The rulesets the tokens call (`$>name`, `$>"name"`), in order, quotes removed.
std::vector<std::string> called_rulesets(const std::vector<std::string>& tokens);

// Whether a left-hand side matches every address with a domain (`user@domain` is at least
// three tokens): it is made only of `$*` and at most three `$+`.
bool matches_every_address(const std::vector<std::string>& lhs);

} // namespace smaudit::model
