#!/bin/bash
# Ground truth for SM-S021 help-reveals-version, SM-S024 verb-enabled, SM-S025 etrn-enabled and
# SM-S026 helo-not-required: for each variant of a stock m4-generated .cf (and the help file
# beside it), smaudit's findings must say what sendmail 8.17 itself answers in an SMTP session
# (`sendmail -bs`): MAIL, VRFY and EXPN before any HELO, then HELP, VERB and ETRN after EHLO.
# Needs m4, sendmail-cf, sendmail-bin and `unshare -u` (root); skipped without them.
set -u
smaudit=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../support/stock_cf.sh"
grep -q '^O HelpFile=' "$work/base.cf" && grep -q '^#O DontBlameSendmail=safe$' "$work/base.cf" &&
    grep -q '^O PrivacyOptions=authwarnings$' "$work/base.cf" ||
    { echo "FAIL: unexpected m4 output"; exit 1; }

# Help files: sendmail's own (its smtp topic shows $v), one without a `#vers` line, an empty
# one, and a sanitized one.
printf '#vers\t2\nsmtp\tThis is sendmail version $v\nsmtp\tTopics:\nhelp\tDescribe commands.\n' \
    > "$work/stock.help"
printf 'smtp\tTopics:\nhelp\tDescribe commands.\n' > "$work/old.help"
: > "$work/empty.help"
printf '#vers\t2\nsmtp\tTopics: HELO EHLO MAIL RCPT DATA\nhelp\tDescribe commands.\n' \
    > "$work/clean.help"

# check NAME HELPFILE SED-SCRIPT...: one variant of base.cf, whose HelpFile is $work/HELPFILE.
# $work is under /tmp, which is world-writable: sendmail opens a help file there only with
# DontBlameSendmail=TrustStickyBit (/tmp is sticky), which every variant gets but one.
check() {
    local name=$1 help=$2; shift 2
    local cf="$work/$name.cf"
    sed -e "s|^O HelpFile=.*|O HelpFile=$work/$help|" \
        -e 's/^#O DontBlameSendmail=safe$/O DontBlameSendmail=TrustStickyBit/' "$@" \
        "$work/base.cf" > "$cf"
    # What sendmail does. Each command waits for the previous reply (smtp_session.py).
    local session
    session=$(unshare -u sh -c "hostname mx.example.test; exec \"\$@\"" sh \
        "$python" "$here/smtp_session.py" 20 'MAIL FROM:<root>' RSET 'VRFY root' \
        'EXPN root' 'EHLO probe.example.net' HELP VERB 'ETRN example.net' QUIT \
        -- sendmail -C "$cf" -O ServiceSwitchFile=/etc/mail/service.switch-nodns \
        -O QueueDirectory="$work/queue" -bs) || {
        echo "FAIL $name: the SMTP session did not complete"; printf '%s\n' "$session"
        failures=$((failures + 1)); return; }
    # The final line of each reply, from the greeting on: greeting, MAIL, RSET, VRFY, EXPN,
    # EHLO, HELP, VERB, ETRN, QUIT. HELP's text (its 214- lines) is searched on its own.
    local replies help_text
    replies=$(printf '%s\n' "$session" | sed -n '/^220 /,$p' | grep -E '^[2-5][0-9]{2} ')
    # HELP's reply (the 7th), without its reply codes: `214-2.0.0 ` / `502 5.3.0 `.
    help_text=$(printf '%s\n' "$session" | sed -n '/^220 /,$p' |
        awk '/^[2-5][0-9][0-9] / { n++; if (n == 7) print; next } n == 6' | cut -c11-)
    reply() { printf '%s\n' "$replies" | sed -n "$1p" | cut -c1-3; }
    local truth=""
    printf '%s\n' "$help_text" | grep -Eqi 'version|[0-9]+\.[0-9]+\.[0-9]+' && truth="$truth SM-S021"
    [ "$(reply 8)" = 250 ] && truth="$truth SM-S024"
    [ "$(reply 9)" = 250 ] && truth="$truth SM-S025"
    { [ "$(reply 2)" = 250 ] || [ "$(reply 4)" = 250 ] || [ "$(reply 5)" = 250 ]; } &&
        truth="$truth SM-S026"
    # What smaudit says, reading the help file beside the .cf.
    agree "$name" "$cf" SM-S021,SM-S024,SM-S025,SM-S026 "$truth" "$session"
}
mkdir -p "$work/queue"

check stock stock.help -e ''
check help-missing absent.help -e ''
check help-old-format old.help -e ''
check help-empty empty.help -e ''
check help-clean clean.help -e ''
check help-unset clean.help -e '/^O HelpFile=/d'
check help-unsafe-dir clean.help -e 's/^O DontBlameSendmail=TrustStickyBit$/#&/'
check noexpn clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=authwarnings,noexpn/'
check noverb clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=authwarnings,noverb/'
check noetrn clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=noetrn/'
check goaway clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=goaway/'
check goaway-noetrn clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=goaway,noetrn/'
check expn-vrfy-off clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=noexpn,novrfy/'
check needmailhelo clean.help -e 's/^O PrivacyOptions=.*/O PrivacyOptions=needmailhelo,noexpn,novrfy/'
check helo-flags clean.help \
    -e 's/^O PrivacyOptions=.*/O PrivacyOptions=needmailhelo,needexpnhelo,needvrfyhelo/'
check two-lines clean.help \
    -e 's/^O PrivacyOptions=.*/O PrivacyOptions=goaway\nO PrivacyOptions=noetrn/'
check privacy-absent clean.help -e '/^O PrivacyOptions=/d'

[ "$failures" -eq 0 ] || { echo "$failures variant(s) disagree with sendmail"; exit 1; }
