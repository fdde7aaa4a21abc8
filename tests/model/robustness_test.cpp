// Bad input never crashes the model or show: random .cf-like text through parse_cf,
// build_config and show_json(...).dump(); latin-1 and NUL bytes in values.
#include "model/config.hpp"
#include "model/show.hpp"
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace smaudit;

namespace {

nlohmann::json show_text(const std::string& text, std::vector<Diagnostic>& diagnostics) {
    SourceSet sources;
    FileId file = sources.add("fuzz.cf", text, FileKind::Cf);
    ast::CfFile cf = parse_cf(sources, file, diagnostics);
    model::Config config = model::build_config(sources, cf, diagnostics);
    for (const Diagnostic& d : diagnostics) {
        if (d.where.valid()) {
            CHECK(d.where.span.begin <= d.where.span.end);
            CHECK(d.where.span.end <= text.size());
        }
    }
    return model::show_json(sources, config);
}

} // namespace

TEST_CASE("latin-1, NUL and stray bytes in values still give valid JSON") {
    std::vector<Diagnostic> diagnostics;
    std::string text = "V10/Berkeley\n"
                       "O SmtpGreetingMessage=$j Gr\xfc\xdf Gott\n"
                       "DZ\x80\xff\n"
                       "O HelpFile=/etc/mail/helpfile\n";
    text += std::string("O PostmasterCopy=a\0b\n", 21);
    nlohmann::json out = show_text(text, diagnostics);
    std::string dumped;
    CHECK_NOTHROW(dumped = out.dump());
    // The latin-1 bytes read as latin-1: "Grüß".
    bool found = false;
    for (const auto& entry : out["options"])
        if (entry.value("name", "") == "SmtpGreetingMessage") {
            CHECK(entry.value("value", "") == "$j Gr\xc3\xbc\xc3\x9f Gott");
            found = true;
        }
    CHECK(found);
}

TEST_CASE("random .cf-like input: no crash, spans in range, JSON always dumps") {
    std::mt19937 rng(20261128);
    const std::vector<std::string> pieces = {
        "O ",
        "O",
        "Op",
        "OT",
        "Or",
        "PrivacyOptions",
        "=",
        ",",
        ".",
        "Timeout",
        "Milter",
        "queuewarn",
        "DaemonPortOptions",
        "Port=",
        "Name=MTA",
        "M=Ea",
        "safe",
        "goaway",
        "DontBlameSendmail",
        "\n",
        "\n\t",
        "\r\n",
        " ",
        "\t",
        "#####  $Id: access_db.m4,v",
        "S",
        "R$*\t$@",
        "Cw",
        "F{R}",
        "Kx hash ",
        "Mlocal, P=",
        "V10",
        "D{x}",
        "\xff",
        "\0",
        "/",
        "5d/4h",
        "Q",
        "Xm, S=",
        "AliasFile=",
        "LogLev",
        "=",
        "a=b,c:d,",
    };
    for (int round = 0; round < 400; ++round) {
        std::string text;
        int n = static_cast<int>(rng() % 60);
        for (int i = 0; i < n; ++i)
            text += pieces[rng() % pieces.size()];
        std::vector<Diagnostic> diagnostics;
        nlohmann::json out = show_text(text, diagnostics);
        CHECK_NOTHROW((void)out.dump());
    }
}
