#!/bin/bash
# Ground truth for SM-S020 greeting-reveals-version, SM-S022 expn-enabled, SM-S023
# vrfy-enabled and SM-S058 unlimited-message-size: for each variant of a stock m4-generated .cf,
# smaudit's findings must say what sendmail 8.17 itself does in an SMTP session (`sendmail -bs`:
# the greeting, EHLO's SIZE without a limit, VRFY root, EXPN root). Needs m4, sendmail-cf, sendmail-bin and `unshare -u` (root); skipped without them.
set -u
smaudit=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../support/stock_cf.sh"
grep -q '^O PrivacyOptions=authwarnings$' "$work/base.cf" &&
    grep -q '^O SmtpGreetingMessage=' "$work/base.cf" || { echo "FAIL: unexpected m4 output"; exit 1; }

# check NAME SED-SCRIPT...: one variant of base.cf.
check() {
    local name=$1; shift
    local cf="$work/$name.cf"
    sed "$@" "$work/base.cf" > "$cf"
    # What sendmail does. Each command waits for the previous reply (smtp_session.py):
    # sendmail drops clients that talk before the greeting or pipeline without PIPELINING.
    local session
    session=$(unshare -u sh -c "hostname mx.example.test; exec \"\$@\"" sh \
        "$python" "$here/smtp_session.py" 20 'EHLO probe.example.net' 'VRFY root' 'EXPN root' QUIT \
        -- sendmail -C "$cf" -O ServiceSwitchFile=/etc/mail/service.switch-nodns -bs) || {
        echo "FAIL $name: the SMTP session did not complete"; printf '%s\n' "$session"
        failures=$((failures + 1)); return; }
    # From the greeting on (sendmail may warn first, e.g. about an abbreviated option name),
    # without EHLO's continuation lines: greeting, end of EHLO, VRFY, EXPN, QUIT.
    local replies greeting vrfy expn
    replies=$(printf '%s\n' "$session" | sed -n '/^220 /,$p' | grep -v '^250-')
    greeting=$(printf '%s\n' "$replies" | grep -m1 '^220 ')
    vrfy=$(printf '%s\n' "$replies" | sed -n 3p | cut -c1-3)
    expn=$(printf '%s\n' "$replies" | sed -n 4p | cut -c1-3)
    local truth=""
    printf '%s' "$greeting" | grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' && truth="$truth SM-S020"
    [ "$expn" = 250 ] && truth="$truth SM-S022"
    [ "$vrfy" = 250 ] && truth="$truth SM-S023"
    printf '%s\n' "$session" | grep -q '^250-SIZE$' && truth="$truth SM-S058"
    # What smaudit says.
    agree "$name" "$cf" SM-S020,SM-S022,SM-S023,SM-S058 "$truth" "$session"
}

check stock -e ''
check goaway -e 's/^O PrivacyOptions=.*/O PrivacyOptions=goaway/'
check two-lines -e 's/^O PrivacyOptions=.*/O PrivacyOptions=authwarnings\nO PrivacyOptions=novrfy/'
check legacy-op -e 's/^O PrivacyOptions=.*/Opnoexpn/'
check abbreviated -e 's/^O PrivacyOptions=.*/O Privacy=NoExpn NOVRFY/'
check privacy-absent -e '/^O PrivacyOptions=/d'
check greeting-fqdn -e 's/^O SmtpGreetingMessage=.*/O SmtpGreetingMessage=$j/'
check greeting-braces -e 's/^O SmtpGreetingMessage=.*/O SmtpGreetingMessage=$j ${v}/'
check greeting-no-macro -e 's/^O SmtpGreetingMessage=.*/O SmtpGreetingMessage=$j ${version}/'
check greeting-z-undefined -e '/^DZ/d' -e 's/^O SmtpGreetingMessage=.*/O SmtpGreetingMessage=$j [$Z]/'
check greeting-absent -e '/^O SmtpGreetingMessage=/d'
check greeting-via-macro -e 's/^O SmtpGreetingMessage=.*/D{Banner}Sendmail $v\nO SmtpGreetingMessage=$j ${Banner}/'

check size-limit -e 's/^#* *O MaxMessageSize=.*/O MaxMessageSize=1000000/'
check size-zero -e 's/^#* *O MaxMessageSize=.*/O MaxMessageSize=0/'
check size-garbage -e 's/^#* *O MaxMessageSize=.*/O MaxMessageSize=big/'
# Stray quotes: atol() stops at the first quote, so the 1 MB the line meant is no limit at all.
check size-stray-quotes -e "s/^#* *O MaxMessageSize=.*/O MaxMessageSize='1000000'/"

[ "$failures" -eq 0 ] || { echo "$failures variant(s) disagree with sendmail"; exit 1; }
