// atobool()/convtime() readings, worked out by hand from sendmail/convtime.c: units w d h m s
// multiply down to seconds; a bare number takes the option's unit.
#include "model/values.hpp"

#include "hand_ast.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using namespace smaudit::model;

TEST_CASE("sendmail_bool") {
    CHECK(sendmail_bool(""));
    CHECK(sendmail_bool("True"));
    CHECK(sendmail_bool("yes"));
    CHECK_FALSE(sendmail_bool("False"));
    CHECK_FALSE(sendmail_bool("1")); // atobool knows only t/T/y/Y
    CHECK_FALSE(sendmail_bool("no"));
}

TEST_CASE("duration_seconds") {
    CHECK(duration_seconds("5m", 'm') == 300);
    CHECK(duration_seconds("5", 'm') == 300);
    CHECK(duration_seconds("5", 'h') == 18000);
    CHECK(duration_seconds("5d", 'm') == 432000);
    CHECK(duration_seconds("1h30m", 'm') == 5400);
    CHECK(duration_seconds("2w", 's') == 1209600);
    CHECK(duration_seconds("60s", 'm') == 60);
    CHECK(duration_seconds("0", 'm') == 0);
    CHECK(duration_seconds("now", 'm') == 0);
    CHECK(duration_seconds("-1m", 'm') == -60);
    CHECK(duration_seconds("3x", 'm') == 180); // unknown unit: the default one
    CHECK_FALSE(duration_seconds("", 'm').has_value());
    CHECK_FALSE(duration_seconds("soon", 'm').has_value());
    CHECK(*duration_seconds("99999999999999999999999d", 'm') > 0); // bounded, no overflow
}

TEST_CASE("option_seconds uses each timeout's own unit") {
    test::HandCf input = test::hand_cf("O Timeout.queuewarn=4\nO Timeout.mail=2\nOT5\n");
    std::vector<Diagnostic> diagnostics;
    Config config = build_config(input.sources, input.cf, diagnostics);
    CHECK(option_seconds(config, "Timeout.queuewarn") == 4 * 3600);
    CHECK(option_seconds(config, "Timeout.queuereturn") == 5 * 86400);
    CHECK(option_seconds(config, "Timeout.mail") == 120);
    CHECK(option_seconds(config, "Timeout.ident") == 5); // default "5s"
    CHECK(option_seconds(config, "MinQueueAge") == 0);   // default "0"
    CHECK_FALSE(option_seconds(config, "QueueLA").has_value());
}
