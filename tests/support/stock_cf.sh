# Sourced by the ground-truth scripts of tests/scripts/ that ask sendmail itself: skips the
# script (exit 0) without m4, sendmail-cf, sendmail-bin or `unshare -u` (root), then makes
# $work (removed on exit) with $work/base.cf, the .cf the real m4 writes for a stock Linux .mc
# (local and smtp mailers, aliases in $work/aliases). Sets python to Debian's interpreter, and
# defines `agree` for the scripts that hold smaudit's findings to an SMTP session.
for tool in m4 sendmail unshare; do
    command -v "$tool" >/dev/null || { echo "SKIP: no $tool"; exit 0; }
done
[ -f /usr/share/sendmail/cf/m4/cf.m4 ] || { echo "SKIP: no sendmail cf tree"; exit 0; }
unshare -u true 2>/dev/null || { echo "SKIP: unshare -u not permitted"; exit 0; }
python=/usr/bin/python3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'root: root\n' > "$work/aliases"
cat > "$work/base.mc" <<MC
include(\`/usr/share/sendmail/cf/m4/cf.m4')dnl
OSTYPE(\`linux')dnl
define(\`ALIAS_FILE', \`$work/aliases')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
MC
(cd /usr/share/sendmail/cf/cf && m4 "$work/base.mc") > "$work/base.cf" 2>"$work/m4.err" || {
    echo "FAIL: m4"; cat "$work/m4.err"; exit 1; }

# agree NAME CF RULES TRUTH SESSION: whether smaudit reports for CF (of RULES, a comma list)
# exactly the rules in TRUTH, those sendmail's SMTP SESSION showed; prints ok or FAIL with the
# session, and counts the failures in $failures. Needs $smaudit.
failures=0
agree() {
    local name=$1 cf=$2 rules=$3 truth=$4 session=$5 said
    said=$("$smaudit" audit --format json --fail-on none --select "$rules" -- "$cf" |
        "$python" -c 'import json,sys; print(" ".join(sorted({f["rule"] for f in json.load(sys.stdin)["findings"]})))')
    if [ "$(echo $truth)" = "$said" ]; then
        echo "ok   $name: ${said:-(nothing)}"
    else
        echo "FAIL $name: sendmail shows [$(echo $truth)], smaudit says [$said]"
        printf '%s\n' "$session" | sed 's/^/     | /'
        failures=$((failures + 1))
    fi
}
