#!/bin/bash
# Ground truth for "would not load" (docs/scoring.md "When there is no grade"): for the bad
# example of every .cf syntax code (docs/rules/SM-E0*.md), put into a stock m4-generated .cf
# right after its V line, sendmail 8.17 refuses the file (an error `5xx 5.x.x FILE: line N:` in
# an SMTP session, where a daemon would not start) exactly when smaudit leaves both packs
# ungraded because the .cf "would not load". Needs m4, sendmail-cf, sendmail-bin and
# `unshare -u` (root); skipped without them.
set -u
smaudit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/support/stock_cf.sh"

# refused CF: 0 when sendmail reports an error in CF and so refuses it.
refused() {
    unshare -u sh -c 'hostname mx.example.test; exec sendmail -C "$0" \
        -O ServiceSwitchFile=/etc/mail/service.switch-nodns -bs' "$1" </dev/null 2>&1 |
        grep -Eq '^5[0-9][0-9] 5\.[0-9]\.[0-9] .*: line [0-9]+: '
}

failures=0
checked=0
# The stock .cf itself loads, and smaudit grades it.
if refused "$work/base.cf"; then echo "FAIL: sendmail refuses the stock .cf"; exit 1; fi

for page in "$root"/docs/rules/SM-E0*.md; do
    code=$(basename "$page" .md)
    # The page's bad example (a ```cf block), ^@ and ^M standing for NUL and CR.
    "$python" - "$page" "$work/base.cf" "$work/$code.cf" <<'PY' || continue
import re, sys
page, base, out = sys.argv[1:]
text = open(page, encoding="utf-8").read()
bad = re.search(r"## Bad example\n(.*?)\n## ", text, re.S)
block = bad and re.search(r"```cf\n(.*?)```", bad.group(1), re.S)
if not block:
    sys.exit(1)  # no .cf example: not a .cf code
example = block.group(1).replace("^@", "\0").replace("^M", "\r").encode("latin-1")
lines = example.splitlines(keepends=True)
version = [l for l in lines if l.startswith(b"V")]
rest = [l for l in lines if not l.startswith(b"V")]
cf = open(base, "rb").read().splitlines(keepends=True)
at = next(i for i, l in enumerate(cf) if l.startswith(b"V"))
if version:
    cf[at] = version[0]
cf[at + 1:at + 1] = rest
open(out, "wb").write(b"".join(cf))
PY
    checked=$((checked + 1))
    truth=loads
    refused "$work/$code.cf" && truth=refused
    report=$("$smaudit" audit --format json --fail-on none -- "$work/$code.cf")
    said=$(printf '%s' "$report" | "$python" -c '
import json, sys
r = json.load(sys.stdin)
found = any(f["rule"] == sys.argv[1] for f in r["findings"])
refused = "would not load" in r["not_scored"].get("security", "")
print(("refused" if refused else "loads") + ("" if found else " (code not reported)"))' "$code")
    if [ "$truth" = "$said" ]; then
        echo "ok   $code: $truth"
    else
        echo "FAIL $code: sendmail: $truth, smaudit: $said"
        failures=$((failures + 1))
    fi
done
[ "$checked" -gt 0 ] || { echo "FAIL: no .cf example found in docs/rules/SM-E0*.md"; exit 1; }
[ "$failures" -eq 0 ] || { echo "$failures code(s) disagree with sendmail"; exit 1; }
