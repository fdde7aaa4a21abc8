// Durations as sendmail reads them: convtime() of sendmail/convtime.c for the value, the unit each
// option gives a bare number (setoption()/settimeout() in readcf.c), and words for messages in the
// style of sendmail's own pintvl() ("1 hour 30 minutes").
//
// Every rule that compares a time (Timeout.*, ConnectionCacheTimeout, MinQueueAge, MaxQueueAge,
// milter T= fields, ...) reads it here:
//
//     Duration d = read_duration("1h30m", 'm');     // d.seconds == 5400
//     std::optional<Duration> ident = option_duration(config, "Timeout.ident"); // line or default
//     describe_seconds(120) == "2 minutes"
#pragma once

#include "model/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace smaudit::model {

// What convtime() makes of a text. sendmail reads every text as some number of seconds (it
// complains about characters it does not know and goes on), so there is always a value.
struct Duration {
    // convtime()'s result: the sum of <digits><unit> parts, a number without a unit in the
    // default unit, negated by a leading '-'. "now" is sendmail's NOW, -1.
    long long seconds = 0;
    // The text is the word "now" (any case): the queue code's "return at once".
    bool now = false;
    // Whether any digit was read. A text without one ("", "soon") reads as 0.
    bool has_digits = false;
    // The characters where a unit belongs that are none of w d h m s (a blank, an upper-case
    // `M`, a stray quote), in order: sendmail prints "Invalid time unit `c'" for each and reads
    // the number before it in the default unit.
    std::string invalid_units;

    // sendmail read the text without complaint: "now", or only digits and unit letters.
    bool clean() const { return invalid_units.empty() && (has_digits || now); }
    // describe_seconds(seconds), "now" for now.
    std::string describe() const;
};

// convtime(text, default_unit): `default_unit` is one of w d h m s. Sums are capped far beyond
// any real timeout (2^40 s) so huge numbers cannot overflow.
Duration read_duration(std::string_view text, char default_unit);

// Words for a number of seconds, largest units first as sendmail's pintvl() writes them, joined
// by blanks: "5 seconds", "2 minutes", "1 hour 30 minutes", "5 days", "1 week", "0 seconds";
// a negative number gets a leading '-' ("-2 minutes").
std::string describe_seconds(long long seconds);

// The unit a bare number takes in an option sendmail reads with convtime(), by canonical name
// (case-insensitive): 'm' for Timeout.* (settimeout), 'h' for Timeout.queuewarn*, 'd' for
// Timeout.queuereturn*, 's' for Timeout.resolver.retrans*; ConnectionCacheTimeout, MinQueueAge
// and MaxQueueAge 'm'; DialDelay, DeliverByMin and ConnectionRateWindowSize 's';
// RejectLogInterval 'h'. None for every other option: Timeout.resolver.retry* is a count (atoi()),
// and AliasWait reads an empty value as 5 minutes, unlike convtime(). Milter T= fields and
// mailer W= take 's' (milter.c, readcf.c); they are no options.
std::optional<char> duration_unit(std::string_view canonical_name);

// The option's duration in effect: its last line, else sendmail's compiled-in default. None when
// the option is no duration (duration_unit), or has neither a line nor a known default
// (Timeout.resolver.*: the resolver library's).
std::optional<Duration> option_duration(const Config& config, std::string_view name);

} // namespace smaudit::model
