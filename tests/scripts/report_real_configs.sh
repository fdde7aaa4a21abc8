#!/usr/bin/env bash
# The reports of the real CLI on real configs (shared corpus, Debian's /etc/mail): the JSON is
# valid against docs/schema/report-v1.schema.json, and the terminal report without colour has no
# escape sequences and ends with the summary and score lines.
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
    if ! tail -n 2 "$tmp/report.txt" | head -n 1 | grep -Eq '^[0-9]+ files? · '; then
        echo "FAIL: no summary line at the end of the report of $config"
        failed=1
    fi
    if ! tail -n 1 "$tmp/report.txt" |
        grep -Eq '^security [0-9]+/100 (A\+|A|B|C|D|F) · performance [0-9]+/100 (A\+|A|B|C|D|F)$'; then
        echo "FAIL: no score line at the end of the report of $config"
        failed=1
    fi
done
if [ "$checked" -eq 0 ]; then
    echo "FAIL: no config found to check"
    exit 1
fi
echo "checked $checked configs"
exit $failed
