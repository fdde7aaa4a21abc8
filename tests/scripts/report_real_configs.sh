#!/usr/bin/env bash
# The reports of the real CLI on real configs (shared corpus, Debian's /etc/mail): the JSON is
# valid against docs/schema/report-v1.schema.json, and the terminal report without colour has no
# escape sequences and ends with the summary and score lines and the critical and high findings.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/schema/report-v1.schema.json
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
checked=0
for config in "$root"/../shared/corpus/cf/* /etc/mail/sendmail.cf /etc/mail/submit.cf; do
    [ -f "$config" ] || continue
    checked=$((checked + 1))
    rc=0
    "$bin" audit --format json --fail-on none "$config" >"$tmp/report.json" 2>"$tmp/err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: exit $rc for --format json $config: $(head -c 300 "$tmp/err")"
        failed=1
        continue
    fi
    if ! /usr/bin/python3 - "$tmp/report.json" "$schema" <<'PY'; then
import json, sys, jsonschema
report = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.validate(report, json.load(open(sys.argv[2])), cls=jsonschema.Draft202012Validator)
PY
        echo "FAIL: JSON report of $config is not valid against the schema"
        failed=1
    fi

    rc=0
    "$bin" audit --no-color --fail-on none "$config" >"$tmp/report.txt" 2>"$tmp/err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: exit $rc for the terminal report of $config"
        failed=1
        continue
    fi
    if grep -q $'\x1b' "$tmp/report.txt"; then
        echo "FAIL: --no-color report of $config has escape sequences"
        failed=1
    fi
    # The summary line, the score line, then (after a blank line) one line per critical or high
    # finding, as many as the summary counts (at most 50, then a line saying how many more).
    if ! /usr/bin/python3 - "$tmp/report.txt" <<'PY'; then
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "no newline at the end"
lines.pop()
summary = max(i for i, l in enumerate(lines) if re.match(r"^[0-9]+ files? · ", l))
counts = dict((s, int(n)) for n, s in re.findall(r"(\d+) (critical|high)", lines[summary]))
# Graded, or (a .cf sendmail refuses to load) neither pack graded, saying so.
assert re.fullmatch(r"security [0-9]+/100 (A\+|A|B|C|D|F) · performance [0-9]+/100 (A\+|A|B|C|D|F)",
                    lines[summary + 1]) or re.match(
    r"security and performance not graded: .+ would not load: ", lines[summary + 1]), \
    "no score line after the summary"
serious = sum(counts.values())
tail = lines[summary + 2:]
if serious == 0:
    assert tail == [], "lines after the score line without critical or high findings"
else:
    assert tail[0] == "", "no blank line before the list"
    listed = tail[1:]
    assert len(listed) == min(serious, 50) + (serious > 50), "list length"
    for line in listed[:50]:
        assert re.match(r"^.+: (critical|high) SM-[A-Z][0-9]{3} [a-z0-9-]+", line), line
PY
        echo "FAIL: the terminal report of $config does not end with summary, scores and list"
        failed=1
    fi
done
if [ "$checked" -eq 0 ]; then
    echo "FAIL: no config found to check"
    exit 1
fi
echo "checked $checked configs"
exit $failed
