// atobool() readings, worked out by hand from sendmail/util.c (durations: duration_test.cpp).
#include "model/values.hpp"

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
