#!/usr/bin/env bash
# A baseline written by `smaudit --write-baseline` is valid against
# docs/schema/baseline-v1.schema.json, and the schema rejects a hand-made invalid one (a
# fingerprint that is not 16 hex digits, another version), so that it is known to check something;
# the JSON report of a run with --baseline (summary.baseline) is valid against report-v1.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/schema/baseline-v1.schema.json
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --write-baseline "$tmp/baseline.json" "$root/fixtures/e2e/suppressed.cf" >/dev/null
"$bin" --format json --fail-on none --baseline "$tmp/baseline.json" \
    "$root/fixtures/e2e/suppressed.cf" >"$tmp/report.json"

/usr/bin/python3 - "$schema" "$tmp/baseline.json" "$root/docs/schema/report-v1.schema.json" \
    "$tmp/report.json" <<'PY'
import json, sys, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
document = json.load(open(sys.argv[2], encoding="utf-8"))
failed = False
for error in validator.iter_errors(document):
    where = "/".join(str(p) for p in error.absolute_path)
    print(f"FAIL: at /{where}: {error.message[:300]}")
    failed = True
if not document["findings"]:
    print("FAIL: the baseline of fixtures/e2e/suppressed.cf records no finding")
    failed = True
bad = json.loads(json.dumps(document))
bad["findings"][0]["fingerprint"] = "xyz"
if validator.is_valid(bad):
    print("FAIL: the schema accepts a fingerprint that is not 16 hex digits")
    failed = True
bad = json.loads(json.dumps(document))
bad["version"] = 2
if validator.is_valid(bad):
    print("FAIL: the schema accepts version 2")
    failed = True
report = json.load(open(sys.argv[4], encoding="utf-8"))
for error in jsonschema.Draft202012Validator(json.load(open(sys.argv[3]))).iter_errors(report):
    print(f"FAIL: report with --baseline: {error.message[:300]}")
    failed = True
if report["summary"].get("baseline", {}).get("matched") != len(document["findings"]):
    print("FAIL: the report's summary.baseline does not match every finding of the baseline")
    failed = True
sys.exit(1 if failed else 0)
PY
echo "ok: the baseline is valid against baseline-v1.schema.json, the report with it against report-v1"
