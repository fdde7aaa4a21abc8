// Durations as sendmail reads them (model/duration.hpp): worked out by hand from convtime() in
// sendmail/convtime.c and settimeout()/inittimeouts() in readcf.c, then checked against the real
// sendmail, which prints what convtime() returned for each milter timeout with -d64.5
// ("Xname: C=300"), and against the knowledge base's table of compiled-in defaults.
#include "model/duration.hpp"

#include "../support/sendmail_command.hpp"
#include "../support/temp_dir.hpp"
#include "hand_ast.hpp"
#include "model/option_table.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

using namespace smaudit;
using namespace smaudit::model;

TEST_CASE("read_duration: convtime()'s sums of numbers and units") {
    CHECK(read_duration("5m", 'm').seconds == 300);
    CHECK(read_duration("5", 'm').seconds == 300);
    CHECK(read_duration("5", 'h').seconds == 18000);
    CHECK(read_duration("5", 'd').seconds == 432000);
    CHECK(read_duration("5", 's').seconds == 5);
    CHECK(read_duration("5d", 'm').seconds == 432000);
    CHECK(read_duration("1h30m", 'm').seconds == 5400);
    CHECK(read_duration("2w1d", 's').seconds == 1296000);
    CHECK(read_duration("60s", 'm').seconds == 60);
    CHECK(read_duration("0", 'm').seconds == 0);
    CHECK(read_duration("-2m", 's').seconds == -120);
    // A number after the last unit takes the default unit: 1 minute + 5 seconds.
    CHECK(read_duration("1m5", 's').seconds == 65);
    for (std::string_view text : {"5m", "1h30m", "0", "now", "NoW"})
        CHECK_MESSAGE(read_duration(text, 'm').clean(), text);
}

TEST_CASE("read_duration: what sendmail complains about and how it reads it anyway") {
    // "Invalid time unit `x'": the number before it counts in the default unit.
    Duration x = read_duration("5x", 's');
    CHECK(x.seconds == 5);
    CHECK(x.invalid_units == "x");
    CHECK_FALSE(x.clean());
    // Units are lower-case only: 5M is 5 in the default unit, not 5 minutes.
    CHECK(read_duration("5M", 's').seconds == 5);
    CHECK(read_duration("5M", 'h').seconds == 18000);
    // A blank is a bad unit too; the `m` after it is a unit with no number.
    Duration blank = read_duration("5 m", 'h');
    CHECK(blank.seconds == 18000);
    CHECK(blank.invalid_units == " ");
    // No digit at all: 0 ("soon": `s` is a unit, the rest are not).
    Duration soon = read_duration("soon", 'm');
    CHECK(soon.seconds == 0);
    CHECK_FALSE(soon.has_digits);
    CHECK(soon.invalid_units == "oon");
    Duration empty = read_duration("", 'm');
    CHECK(empty.seconds == 0);
    CHECK(empty.invalid_units.empty());
    CHECK_FALSE(empty.clean());
    // "now" is NOW (-1); "-now" is not the word.
    CHECK(read_duration("now", 'd').now);
    CHECK(read_duration("NOW", 'd').seconds == -1);
    CHECK_FALSE(read_duration("-now", 'd').now);
    CHECK(read_duration("-now", 'd').seconds == 0);
    // Bounded: no overflow however long the number.
    CHECK(read_duration("99999999999999999999999999d", 'm').seconds > 0);
    CHECK(read_duration(std::string(10000, '9'), 'w').seconds > 0);
}

TEST_CASE("describe_seconds writes pintvl()'s units, largest first") {
    CHECK(describe_seconds(0) == "0 seconds");
    CHECK(describe_seconds(1) == "1 second");
    CHECK(describe_seconds(5) == "5 seconds");
    CHECK(describe_seconds(120) == "2 minutes");
    CHECK(describe_seconds(5400) == "1 hour 30 minutes");
    CHECK(describe_seconds(3600) == "1 hour");
    CHECK(describe_seconds(5 * 86400) == "5 days");
    CHECK(describe_seconds(7 * 86400) == "1 week");
    CHECK(describe_seconds(10 * 86400 + 61) == "1 week 3 days 1 minute 1 second");
    CHECK(describe_seconds(-120) == "-2 minutes");
    CHECK(read_duration("now", 'd').describe() == "now");
    CHECK(read_duration("90", 's').describe() == "1 minute 30 seconds");
}

TEST_CASE("duration_unit: the unit readcf.c gives a bare number, per option") {
    CHECK(duration_unit("Timeout.mail") == 'm');
    CHECK(duration_unit("timeout.IDENT") == 'm');
    CHECK(duration_unit("Timeout.queuewarn") == 'h');
    CHECK(duration_unit("Timeout.queuewarn.dsn") == 'h');
    CHECK(duration_unit("Timeout.queuereturn.non-urgent") == 'd');
    CHECK(duration_unit("Timeout.resolver.retrans.first") == 's');
    CHECK(duration_unit("ConnectionCacheTimeout") == 'm');
    CHECK(duration_unit("MinQueueAge") == 'm');
    CHECK(duration_unit("MaxQueueAge") == 'm');
    CHECK(duration_unit("DialDelay") == 's');
    CHECK(duration_unit("ConnectionRateWindowSize") == 's');
    CHECK(duration_unit("RejectLogInterval") == 'h');
    CHECK_FALSE(duration_unit("Timeout.resolver.retry").has_value()); // a count: atoi()
    CHECK_FALSE(duration_unit("MaxDaemonChildren").has_value());
    CHECK_FALSE(duration_unit("AliasWait").has_value()); // empty means 5m, unlike convtime()
}

TEST_CASE("option_duration: each timeout's own unit, lines that set several timeouts, defaults") {
    test::HandCf input = test::hand_cf("O Timeout.queuewarn=4\nO Timeout.mail=2\nOT5/12\n"
                                       "O ConnectionCacheTimeout=90s\nO MinQueueAge=27\n");
    std::vector<Diagnostic> diagnostics;
    Config config = build_config(input.sources, input.cf, diagnostics);
    CHECK(option_duration(config, "Timeout.mail")->seconds == 120);
    // `OT5/12` (QueueTimeout, legacy) comes after: queuereturn 5 days, queuewarn 12 hours.
    CHECK(option_duration(config, "Timeout.queuereturn")->seconds == 5 * 86400);
    CHECK(option_duration(config, "Timeout.queuewarn")->seconds == 12 * 3600);
    CHECK(option_duration(config, "Timeout.queuewarn.urgent")->seconds == 12 * 3600);
    CHECK(option_duration(config, "ConnectionCacheTimeout")->seconds == 90);
    CHECK(option_duration(config, "MinQueueAge")->seconds == 27 * 60);
    CHECK(option_duration(config, "Timeout.ident")->seconds == 5); // default "5s"
    CHECK(option_duration(config, "Timeout.command")->seconds == 3600);
    CHECK_FALSE(option_duration(config, "Timeout.resolver.retrans").has_value()); // library's
    CHECK_FALSE(option_duration(config, "QueueLA").has_value());

    // `O Timeout=...` (legacy `Or`): a bare number sets the six timeouts marked † in op.me.
    test::HandCf legacy = test::hand_cf("O Timeout=3,ident:0,queuewarn=4\n");
    Config old = build_config(legacy.sources, legacy.cf, diagnostics);
    for (std::string_view name : {"Timeout.mail", "Timeout.rcpt", "Timeout.datainit",
                                  "Timeout.datablock", "Timeout.datafinal", "Timeout.command"})
        CHECK_MESSAGE(option_duration(old, name)->seconds == 180, name);
    CHECK(option_duration(old, "Timeout.initial")->seconds == 300); // not one of them
    CHECK(option_duration(old, "Timeout.ident")->seconds == 0);
    CHECK(option_duration(old, "Timeout.queuewarn.normal")->seconds == 4 * 3600);
}

// Appendix F of the knowledge base lists each Timeout.* option with its compiled-in default in
// the last column ("5m", "0 (kernel)", "inherits Timeout.queuereturn/queuewarn", "resolver
// library default"): the model's defaults, read as durations, must say the same.
TEST_CASE("the compiled-in timeout defaults are the knowledge base's table") {
    const std::string path = SMAUDIT_SOURCE_DIR "/../shared/knowledge/sendmail-audit-kb.md";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        MESSAGE("skipped: no knowledge base at ", path);
        return;
    }
    test::HandCf input = test::hand_cf("V10/Berkeley\n");
    std::vector<Diagnostic> diagnostics;
    Config defaults = build_config(input.sources, input.cf, diagnostics);
    // | `Timeout.mail` | `confTO_MAIL` | `10m` |  | 10m |
    const std::regex row(
        R"(^\| `(Timeout\.[a-z.-]+)` \| `conf[A-Z_]+` \|[^|]*\|[^|]*\| ([^|]*) \|$)");
    int rows = 0;
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (!std::regex_match(line, m, row)) continue;
        ++rows;
        const std::string name = m[1], binary = m[2];
        CAPTURE(line);
        std::optional<Duration> ours = option_duration(defaults, name);
        if (binary.starts_with("resolver library default")) {
            CHECK_FALSE(ours.has_value());
            continue;
        }
        REQUIRE(ours.has_value());
        if (binary.starts_with("inherits")) {
            // A per-class queue timeout starts as its parent's value.
            std::string parent = name.substr(0, name.rfind('.'));
            CHECK(ours->seconds == option_duration(defaults, parent)->seconds);
            continue;
        }
        std::string value = binary.substr(0, binary.find(' '));
        CHECK(ours->seconds == read_duration(value, *duration_unit(name)).seconds);
    }
    CHECK(rows == 37); // every Timeout.* row of the table
}

namespace {

// Texts over the characters that matter to convtime(): digits, the unit letters, letters that
// are no units (upper-case M, W, x, n, o), '-' and blanks inside. Not ';' ',' '"' '\' (the milter
// T= syntax), and no blank at either end (sendmail skips it before a field).
std::vector<std::string> duration_texts() {
    std::vector<std::string> texts = {"5m", "1h30m", "90", "now", "NOW", "-2m", "soon", "2w1d",
                                      "5M", "1m5",   "0",  "",    "-",   "m",   "10 m", "3x4h"};
    constexpr std::string_view kChars = "0123456789wdhms0123456789MWxno- ";
    unsigned state = 12345;
    auto next = [&state] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7fff; };
    while (texts.size() < 300) {
        std::string text;
        for (unsigned n = next() % 9; n > 0; --n)
            text += kChars[next() % kChars.size()];
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        while (!text.empty() && text.front() == ' ')
            text.erase(0, 1);
        texts.push_back(text);
    }
    return texts;
}

} // namespace

TEST_CASE("read_duration agrees with sendmail's own convtime() on 300 texts") {
    if (!test::sendmail_available()) {
        MESSAGE("skipped: no sendmail or no unshare");
        return;
    }
    const std::vector<std::string> texts = duration_texts();
    TempDir dir("smaudit-durations");
    // sendmail takes at most 25 milters per file, four timeouts each (C S R E), read with
    // convtime(text, 's'); -d64.5 prints each result.
    std::map<std::string, long long> expected; // "X7: R" -> seconds
    std::map<std::string, std::string> shown;
    for (size_t first = 0; first < texts.size(); first += 100) {
        std::ostringstream cf;
        cf << "V10/Berkeley\n";
        for (size_t i = first; i < std::min(texts.size(), first + 100); i += 4) {
            cf << "X" << i << ", S=local:" << (dir.path / "milter.sock").string() << ", T=";
            for (size_t j = 0; j < 4 && i + j < texts.size(); ++j) {
                char field = "CSRE"[j];
                cf << (j > 0 ? ";" : "") << field << ":" << texts[i + j];
                std::string key = "X" + std::to_string(i) + ": " + field;
                expected[key] = read_duration(texts[i + j], 's').seconds;
                shown[key] = texts[i + j];
            }
            cf << "\n";
        }
        const std::filesystem::path file = dir.path / ("durations" + std::to_string(first) + ".cf");
        std::ofstream(file) << cf.str();
        std::istringstream output(test::sendmail_reads(file, "-d64.5"));
        const std::regex printed(R"(^(X\d+): ([CSRE])=(-?\d+)$)");
        for (std::string line; std::getline(output, line);) {
            std::smatch m;
            if (!std::regex_match(line, m, printed)) continue;
            std::string key = std::string(m[1]) + ": " + std::string(m[2]);
            REQUIRE(expected.count(key) == 1);
            CHECK_MESSAGE(expected[key] == std::stoll(m[3]), "`", shown[key], "`: sendmail reads ",
                          m[3], ", read_duration ", expected[key]);
            expected.erase(key);
        }
    }
    CHECK_MESSAGE(expected.empty(), expected.size(), " texts sendmail did not print");
}
