#!/bin/bash
# Ground truth for the relay and anti-spam rules: SM-S001 promiscuous-relay, SM-S002
# deferred-delivery-mode, SM-S003 no-relay-control-ruleset, SM-S004 relay-entire-domain, SM-S006
# relay-local-from, SM-S008 loose-relay-check, SM-S010 relay-domains-too-broad, SM-S013
# sender-checks-off, SM-S014 no-connection-controls (greet_pause), SM-S016
# routing-addresses-to-hub and SM-S018 weak-auth-mech-relays.
# For each variant of a stock .mc (or of the .cf m4 makes of it), sendmail's own ruleset engine
# (`sendmail -bt`, design.md's recipe) is asked whether a probe is relayed: a remote client
# sending to a remote recipient. sendmail refuses only when check_rcpt resolves to `$# error`
# (or `$# discard`); anything else is accepted (rscheck() in parseaddr.c). smaudit must report
# the variant's rule exactly when sendmail accepts the probe, on the .mc, on the .cf m4 writes,
# and on that .cf with every comment deleted (`grep -v '^#'`: banners decide nothing). The stock
# .mc refuses every probe (checked first, so a probe that relays anyway is caught).
# Needs m4, sendmail-cf, sendmail-bin and `unshare -u` (root); skipped without them
# (tests/support/stock_cf.sh).
set -u
smaudit=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../support/stock_cf.sh"
tree=/usr/share/sendmail/cf
failures=0

# write_mc NAME BEFORE-MAILER AFTER-MAILER: the stock .mc ($work/base.mc) with lines added
# (printf %b: `\n` in them ends a line), and the .cf m4 writes for it.
write_mc() {
    { sed '/^MAILER(/,$d' "$work/base.mc"; printf '%b' "$2"; sed -n '/^MAILER(/,$p' "$work/base.mc"
      printf '%b' "$3"; } > "$work/$1.mc"
    (cd $tree/cf && m4 "$work/$1.mc") > "$work/$1.cf" 2>/dev/null
}

# verdict CF CLIENT RECIPIENT [SENDER]: "relays" or "refuses", from sendmail -bt.
verdict() {
    local sender=""
    [ -n "${4:-}" ] && sender=".Df$4"
    local out
    out=$(printf '.D{client_addr}%s\n%s\ncheck_rcpt <%s>\n' "$2" "$sender" "$3" |
        unshare -u sh -c 'hostname mx.example.test; exec sendmail -C "$0" -O ServiceSwitchFile=/etc/mail/service.switch-nodns -bt' "$1" 2>&1 |
        grep '^check_rcpt *returns:')
    case "$out" in
    '') echo "no-answer" ;;
    *'returns: $# error'* | *'returns: $# discard'*) echo "refuses" ;;
    *) echo "relays" ;;
    esac
}

# daemon_session CF [--talk-first] COMMAND...: a real daemon's side of an SMTP session (its
# lines, and each command after `>>> `), or nothing when the namespaces failed. SM-S002's deferred mode is set
# per SMTP session (a daemon's D= key), SM-S013's `u` modifier is a daemon's, SM-S018's AUTH is
# an SMTP command, and `sendmail -bt` runs interactive, so a real daemon is asked:
# `sendmail -bD` in network and UTS namespaces of its own (its ports are its own), and an SMTP
# session from 127.0.0.2, which sendmail does not count as this host.
daemon_session() {
    local cf=$1 first=""; shift
    [ "${1:-}" = --talk-first ] && { first=--talk-first; shift; }
    timeout 60 unshare -un sh -c '
        ip link set lo up || exit 1
        hostname mx.example.test
        sendmail -bD -C "$1" -O ServiceSwitchFile=/etc/mail/service.switch-nodns \
            -O Timeout.ident=0 -O PidFile="$1.pid" -O DontProbeInterfaces=true &
        daemon=$!
        python=$2 client=$3 first=$4; shift 4
        "$python" "$client" $first 127.0.0.2 127.0.0.1 25 20 "$@"
        kill $daemon; wait $daemon' sh "$cf" "$python" "$here/smtp_client.py" "$first" "$@" 2>&1
}

# daemon_replies CF SENDER RECIPIENT: the reply codes of a real daemon to MAIL FROM and RCPT TO,
# "MAIL-CODE RCPT-CODE" (RCPT-CODE 503 when MAIL was refused), or "no-daemon" when the
# namespaces or the session failed.
daemon_replies() {
    local out
    out=$(daemon_session "$1" "EHLO probe.example.net" "MAIL FROM:<$2>" "RCPT TO:<$3>" QUIT)
    case "$out" in
    *'>>> RCPT'*) ;;
    *) echo "no-daemon"; return ;;
    esac
    local mail rcpt
    mail=$(printf '%s\n' "$out" | sed -n '/^>>> MAIL/{n;p;}' | cut -c1-3)
    rcpt=$(printf '%s\n' "$out" | sed -n '/^>>> RCPT/{n;p;}' | cut -c1-3)
    echo "$mail $rcpt"
}

# daemon_verdict CF: "relays" or "refuses": a remote recipient accepted (250) from a local sender.
daemon_verdict() {
    case "$(daemon_replies "$1" probe@mx.example.test victim@example.org)" in
    no-daemon) echo "no-daemon" ;;
    *' 250') echo "relays" ;;
    *) echo "refuses" ;;
    esac
}

# sender_verdict CF SENDER: "accepts" or "refuses" the sender (MAIL FROM answered 250).
sender_verdict() {
    case "$(daemon_replies "$1" "$2" postmaster@mx.example.test)" in
    no-daemon) echo "no-daemon" ;;
    '250 '*) echo "accepts" ;;
    *) echo "refuses" ;;
    esac
}

# severity_of FILE RULE: the highest severity smaudit gives RULE's findings on FILE, or "none".
severity_of() {
    "$smaudit" audit --format json --fail-on none --select "$2" -- "$1" |
        "$python" -c 'import json,sys
order = ["info", "low", "medium", "high", "critical"]
found = [f["severity"] for f in json.load(sys.stdin)["findings"] if f["rule"] == sys.argv[1]]
print(max(found, key=order.index) if found else "none")' "$2"
}

# reports FILE RULE: "yes" when smaudit reports RULE on FILE.
reports() {
    "$smaudit" audit --format json --fail-on none --select "$2" -- "$1" |
        "$python" -c 'import json,sys; r=sys.argv[1]; print("yes" if any(f["rule"]==r for f in json.load(sys.stdin)["findings"]) else "no")' "$2"
}

# compare NAME RULE CF-OR-MC... : sendmail's verdict on $work/NAME.cf against smaudit on each file.
compare() {
    local name=$1 rule=$2 truth=$3; shift 3
    local want=no
    { [ "$truth" = relays ] || [ "$truth" = accepts ]; } && want=yes
    local file said ok=1
    for file in "$@"; do
        said=$(reports "$file" "$rule")
        [ "$said" = "$want" ] || { ok=0; echo "FAIL $name: sendmail $truth, smaudit on $(basename "$file") says $rule=$said"; }
    done
    if [ "$truth" = no-answer ] || [ "$truth" = no-daemon ]; then
        echo "FAIL $name: sendmail gave no answer ($truth)"; ok=0
    fi
    [ $ok = 1 ] && echo "ok   $name: sendmail $truth, smaudit $rule=$want on $# file(s)" || failures=$((failures + 1))
}

# check NAME RULE CLIENT RECIPIENT SENDER BEFORE AFTER: an .mc variant.
check() {
    local name=$1 rule=$2 client=$3 rcpt=$4 sender=$5
    write_mc "$name" "$6" "$7"
    grep -v '^#' "$work/$name.cf" > "$work/$name-nocomments.cf"
    local truth
    truth=$(verdict "$work/$name.cf" "$client" "$rcpt" "$sender")
    [ "$(verdict "$work/stock.cf" "$client" "$rcpt" "$sender")" = refuses ] ||
        { echo "FAIL $name: the stock .cf does not refuse the probe"; failures=$((failures + 1)); return; }
    compare "$name" "$rule" "$truth" "$work/$name.mc" "$work/$name.cf" "$work/$name-nocomments.cf"
}

# check_cf NAME RULE CLIENT RECIPIENT SED-SCRIPT...: a variant of the stock .cf itself.
check_cf() {
    local name=$1 rule=$2 client=$3 rcpt=$4; shift 4
    sed "$@" "$work/stock.cf" > "$work/$name.cf"
    grep -v '^#' "$work/$name.cf" > "$work/$name-nocomments.cf"
    compare "$name" "$rule" "$(verdict "$work/$name.cf" "$client" "$rcpt")" \
        "$work/$name.cf" "$work/$name-nocomments.cf"
}

cp "$work/base.cf" "$work/stock.cf"
grep -q '^SBasic_check_rcpt' "$work/stock.cf" || { echo "FAIL: unexpected m4 output"; exit 1; }
remote=192.0.2.7
T=$(printf '\t')

# SM-S010: class R entries that cover a whole TLD, public suffix or network (issue 14).
check relay-domain-com SM-S010 $remote victim@anything.com "" "RELAY_DOMAIN(\`com')dnl\n" ""
check relay-domain-co.uk SM-S010 $remote victim@shop.co.uk "" "RELAY_DOMAIN(\`co.uk')dnl\n" ""
check relay-domain-net SM-S010 $remote victim@x.net "" "RELAY_DOMAIN(\`net')dnl\n" ""
check relay-domain-10 SM-S010 10.1.2.3 victim@example.org "" "RELAY_DOMAIN(\`10')dnl\n" ""
check relay-domain-ipv6 SM-S010 IPv6:2001:db8::1 victim@example.org "" "RELAY_DOMAIN(\`IPv6:2001')dnl\n" ""
check local-config-crcom SM-S010 $remote victim@anything.com "" "" "LOCAL_CONFIG\nCRcom\n"
check relay-domain-own SM-S010 $remote victim@anything.com "" "RELAY_DOMAIN(\`example.com')dnl\n" ""
# A private /16 relays for its own clients only, not for a stranger next to it.
check relay-domain-private SM-S010 192.169.1.9 victim@example.org "" "RELAY_DOMAIN(\`192.168')dnl\n" ""

# SM-S001: the relay checks promiscuous_relay takes out, with or without its banner.
check promiscuous SM-S001 $remote victim@example.org "" "FEATURE(\`promiscuous_relay')dnl\n" ""
check promiscuous-flag SM-S001 $remote victim@example.org "" "define(\`_PROMISCUOUS_RELAY_', \`1')dnl\n" ""
check_cf banner-pasted SM-S001 $remote victim@example.org \
    -e '/^V10/a #####  $Id: promiscuous_relay.m4,v 8.13 2013-11-22 20:51:11 ca Exp $  #####'
check_cf refusal-deleted SM-S001 $remote victim@example.org \
    -e '/^R\$\*\t*\$#error \$@ 5\.7\.1 \$: "550 Relaying denied"$/d'

# SM-S004, SM-S006: the relay FEATUREs recognised by their rules.
check entire-domain SM-S004 $remote victim@other.example.test "" "FEATURE(\`relay_entire_domain')dnl\n" ""
check local-from SM-S006 $remote victim@example.org probe@mx.example.test "FEATURE(\`relay_local_from')dnl\n" ""

# SM-S008: a %-hack address through a domain this host relays to (cf/README's example).
partner="RELAY_DOMAIN(\`partner.example.net')dnl\n"
check partner-only SM-S008 $remote 'victim%example.org@partner.example.net' "" "$partner" ""
check loose-relay-check SM-S008 $remote 'victim%example.org@partner.example.net' "" \
    "${partner}FEATURE(\`loose_relay_check')dnl\n" ""

# SM-S003: what check_rcpt and Local_check_rcpt accept before any check.
n=0
for rhs in '$# OK' '$#OK' '$# RELAY' '$@ OK' '$@ RELAY' '$#ERROR $: "550 no"' '$#local $: $1' \
    '$#error $@ 5.7.1 $: "550 no"' '$: $1'; do
    n=$((n + 1))
    tag="-$n"
    echo "     $n: the first rule is R\$*  $rhs"
    check_cf "check_rcpt$tag" SM-S003 $remote victim@example.org -e "/^Scheck_rcpt\$/a R\$*${T}${T}$rhs"
    check "local$tag" SM-S003 $remote victim@example.org "" "" "LOCAL_RULESETS\nSLocal_check_rcpt\nR\$*${T}${T}$rhs\n"
done
check_cf check_rcpt-plus SM-S003 $remote victim@example.org -e "/^Scheck_rcpt\$/a R\$+${T}${T}\$# OK"
check_cf check_rcpt-one-token SM-S003 $remote victim@example.org -e "/^Scheck_rcpt\$/a R\$-${T}${T}\$# OK"

# SM-S016: a %-hack or bang address to this host, accepted by check_rcpt from a remote client
# (nopercenthack/nouucp with `nospecial') and handed by ruleset 5 (localaddr) to a hub
# ($# relay): the hub gets user%example.net@hub and relays it if it routes on `%'.
check_routing() {
    local name=$1 address=$2 local_part=$3
    write_mc "$name" "$4" ""
    grep -v '^#' "$work/$name.cf" > "$work/$name-nocomments.cf"
    local accepted handed truth=refuses
    accepted=$(verdict "$work/$name.cf" $remote "$address")
    handed=$(printf 'localaddr %s\n' "$local_part" |
        unshare -u sh -c 'hostname mx.example.test; exec sendmail -C "$0" -O ServiceSwitchFile=/etc/mail/service.switch-nodns -bt' "$work/$name.cf" 2>&1 |
        grep '^localaddr *returns:')
    case "$accepted/$handed" in
    relays/*'$# relay'*) truth=relays ;;
    no-answer/*) truth=no-answer ;;
    esac
    compare "$name" SM-S016 "$truth" "$work/$name.mc" "$work/$name.cf" "$work/$name-nocomments.cf"
}
pct='user%example.net@mx.example.test'
bang='example.net!user@mx.example.test'
hub="define(\`MAIL_HUB', \`hub.example.test')dnl\n"
check_routing percent-hub "$pct" 'user%example.net' "FEATURE(\`nopercenthack', \`nospecial')dnl\n$hub"
check_routing percent-reject-hub "$pct" 'user%example.net' "FEATURE(\`nopercenthack', \`reject')dnl\n$hub"
check_routing percent-default-hub "$pct" 'user%example.net' "$hub"
check_routing percent-luser "$pct" 'user%example.net' \
    "FEATURE(\`nopercenthack', \`nospecial')dnl\ndefine(\`LUSER_RELAY', \`hub.example.test')dnl\n"
check_routing percent-local-relay "$pct" 'user%example.net' \
    "FEATURE(\`nopercenthack', \`nospecial')dnl\ndefine(\`LOCAL_RELAY', \`hub.example.test')dnl\n"
check_routing percent-smart-host "$pct" 'user%example.net' \
    "FEATURE(\`nopercenthack', \`nospecial')dnl\ndefine(\`SMART_HOST', \`hub.example.test')dnl\n"
check_routing percent-no-hub "$pct" 'user%example.net' "FEATURE(\`nopercenthack', \`nospecial')dnl\n"
check_routing bang-hub "$bang" 'example.net!user' "FEATURE(\`nouucp', \`nospecial')dnl\n$hub"
check_routing bang-reject-hub "$bang" 'example.net!user' "FEATURE(\`nouucp', \`reject')dnl\n$hub"

# SM-S002: deferred delivery mode, for all daemons (the option) or one (its D= key), asked of
# a real daemon. A .mc variant: $1 name, $2 lines before MAILER.
check_daemon() {
    local name=$1
    write_mc "$name" "$2" ""
    grep -v '^#' "$work/$name.cf" > "$work/$name-nocomments.cf"
    compare "$name" SM-S002 "$(daemon_verdict "$work/$name.cf")" \
        "$work/$name.mc" "$work/$name.cf" "$work/$name-nocomments.cf"
}
if unshare -un sh -c 'ip link set lo up' 2>/dev/null; then
    [ "$(daemon_verdict "$work/stock.cf")" = refuses ] ||
        { echo "FAIL: the stock daemon does not refuse the probe"; failures=$((failures + 1)); }
    check_daemon deferred-option "define(\`confDELIVERY_MODE', \`deferred')dnl\n"
    check_daemon deferred-daemon "DAEMON_OPTIONS(\`Name=MTA, D=d')dnl\n"
    check_daemon deferred-daemon-word "DAEMON_OPTIONS(\`Name=MTA, D=deferred')dnl\n"
    check_daemon deferred-option-daemon-background \
        "define(\`confDELIVERY_MODE', \`deferred')dnl\nFEATURE(\`no_default_msa')dnl\nDAEMON_OPTIONS(\`Name=MTA, D=b')dnl\n"
    check_daemon queue-option "define(\`confDELIVERY_MODE', \`queue')dnl\n"

    # SM-S013: senders check_mail refuses by default, asked of the daemon: one without a domain,
    # one whose domain does not exist (no DNS here: every domain but this host's is unknown).
    check_sender() {
        local name=$1 sender=$2
        write_mc "$name" "$3" "$4"
        grep -v '^#' "$work/$name.cf" > "$work/$name-nocomments.cf"
        [ "$(sender_verdict "$work/stock.cf" "$sender")" = refuses ] ||
            { echo "FAIL $name: the stock daemon accepts <$sender>"; failures=$((failures + 1)); return; }
        compare "$name" SM-S013 "$(sender_verdict "$work/$name.cf" "$sender")" \
            "$work/$name.mc" "$work/$name.cf" "$work/$name-nocomments.cf"
    }
    check_sender unqualified-feature user "FEATURE(\`accept_unqualified_senders')dnl\n" ""
    check_sender unqualified-modifier user "DAEMON_OPTIONS(\`Name=MTA, M=u')dnl\n" ""
    check_sender unqualified-modifier-f user "DAEMON_OPTIONS(\`Name=MTA, M=f')dnl\n" ""
    check_sender unresolvable-feature someone@nowhere.example.org \
        "FEATURE(\`accept_unresolvable_domains')dnl\n" ""

    # SM-S018: TRUST_AUTH_MECH with ANONYMOUS relays for a client that says AUTH ANONYMOUS (no
    # password; Debian's libsasl2-modules has the plugin) when sendmail offers the mechanism;
    # PLAIN and LOGIN carry the password in clear text when offered without STARTTLS.
    # check_auth NAME WANT MECHANISM LINES: truth "relays" (AUTH ANONYMOUS, then a remote
    # recipient accepted), "offers-plaintext" (the EHLO reply's AUTH line lists MECHANISM, the
    # trusted PLAIN or LOGIN), "refuses" otherwise; WANT is the severity smaudit must give.
    check_auth() {
        local name=$1 want=$2 mechanism=$3 out truth
        write_mc "$name" "$4" ""
        grep -v '^#' "$work/$name.cf" > "$work/$name-nocomments.cf"
        out=$(daemon_session "$work/$name.cf" "EHLO probe.example.net" "AUTH ANONYMOUS dGVzdA==" \
            "MAIL FROM:<probe@mx.example.test>" "RCPT TO:<victim@example.org>" QUIT)
        case "$out" in
        *'>>> QUIT'*) ;;
        *) echo "FAIL $name: no SMTP session"; failures=$((failures + 1)); return ;;
        esac
        if printf '%s\n' "$out" | sed -n '/^>>> RCPT/{n;p;}' | grep -q '^250 '; then
            truth=relays
        elif printf '%s\n' "$out" | grep -Eq "^250-AUTH( .*)? $mechanism( |\$)"; then
            truth=offers-plaintext
        else
            truth=refuses
        fi
        local file said ok=1
        for file in "$work/$name.mc" "$work/$name.cf" "$work/$name-nocomments.cf"; do
            said=$(severity_of "$file" SM-S018)
            [ "$said" = "$want" ] || { ok=0; echo "FAIL $name: sendmail $truth, smaudit on $(basename "$file") says SM-S018 $said, not $want"; }
        done
        case "$truth/$want" in
        relays/critical | offers-plaintext/high | refuses/low | refuses/none) ;;
        *) ok=0; echo "FAIL $name: sendmail $truth, but smaudit is expected to say $want" ;;
        esac
        [ $ok = 1 ] && echo "ok   $name: sendmail $truth, smaudit SM-S018 $want on 3 file(s)" || failures=$((failures + 1))
    }
    offer="define(\`confAUTH_MECHANISMS', \`ANONYMOUS PLAIN LOGIN')dnl\n"
    check_auth trust-anonymous critical ANONYMOUS "${offer}TRUST_AUTH_MECH(\`ANONYMOUS')dnl\n"
    check_auth trust-anonymous-y low ANONYMOUS \
        "${offer}define(\`confAUTH_OPTIONS', \`y')dnl\nTRUST_AUTH_MECH(\`ANONYMOUS')dnl\n"
    # M=A: the daemon offers no AUTH (m4's default MSA on port 587 would, hence no_default_msa).
    check_auth trust-anonymous-daemon-no-auth low ANONYMOUS \
        "${offer}FEATURE(\`no_default_msa')dnl\nDAEMON_OPTIONS(\`Name=MTA, M=A')dnl\nTRUST_AUTH_MECH(\`ANONYMOUS')dnl\n"
    check_auth trust-anonymous-not-offered low ANONYMOUS "TRUST_AUTH_MECH(\`ANONYMOUS DIGEST-MD5')dnl\n"
    check_auth trust-plain high PLAIN \
        "${offer}define(\`confAUTH_OPTIONS', \`y')dnl\nTRUST_AUTH_MECH(\`PLAIN')dnl\n"
    check_auth trust-plain-p none PLAIN \
        "${offer}define(\`confAUTH_OPTIONS', \`p,y')dnl\nTRUST_AUTH_MECH(\`PLAIN LOGIN')dnl\n"
    check_auth trust-plain-daemon-no-auth none PLAIN \
        "${offer}FEATURE(\`no_default_msa')dnl\nDAEMON_OPTIONS(\`Name=MTA, M=A')dnl\nTRUST_AUTH_MECH(\`PLAIN')dnl\n"
    check_auth trust-digest none DIGEST-MD5 "${offer}define(\`confAUTH_OPTIONS', \`y')dnl\nTRUST_AUTH_MECH(\`DIGEST-MD5')dnl\n"

    # SM-S014: greet_pause, asked of a daemon by a client that talks before the greeting (an
    # early talker, as many spam engines are): refused ("refuses", 554) or greeted ("relays":
    # nothing in the way). Only the .mc and the .cf m4 writes are compared: SM-S014's finding is
    # about the absence of every control, so the variant without greet_pause must be reported.
    early_talker_reply() {
        daemon_session "$1" --talk-first "EHLO early.example.net" QUIT | grep -v '^>>> ' |
            head -n 1 | cut -c1-3
    }
    check_greet() {
        local name=$1 truth
        write_mc "$name" "$2" ""
        case "$(early_talker_reply "$work/$name.cf")" in
        554) truth=refuses ;;
        220) truth=relays ;;
        *) truth=no-daemon ;;
        esac
        compare "$name" SM-S014 "$truth" "$work/$name.mc" "$work/$name.cf"
    }
    check_greet greet-none ""
    check_greet greet-pause "FEATURE(\`greet_pause', \`2000')dnl\n"
else
    echo "SKIP SM-S002: no network namespace (unshare -n) or no ip(8)"
fi

[ "$failures" -eq 0 ] || { echo "$failures variant(s) disagree with sendmail"; exit 1; }
