#!/usr/bin/env bash
# docs/schema/smaudit-config-v1.schema.json against what smaudit reads: every ```json example of
# docs/configuration.md and every fixtures/config/valid/*.json is valid against the schema and
# read by smaudit (`smaudit show --config FILE` exits 0, the policy files it names loaded: the doc's
# from docs/policies/, the fixtures' beside them); every fixtures/config/invalid/*.json is
# refused by smaudit (exit 2, an error naming the file) and by the schema, except what only
# smaudit can know (a rule ID that has the form of one but is no rule's).
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/schema/smaudit-config-v1.schema.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cf=$root/fixtures/e2e/privacy-gap.cf

# The doc's examples, one file each.
/usr/bin/python3 - "$root/docs/configuration.md" "$tmp" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^```json\n(.*?)^```", text, re.S | re.M)
if len(blocks) < 3:
    sys.exit(f"FAIL: docs/configuration.md has {len(blocks)} json examples, expected at least 3")
for i, block in enumerate(blocks):
    open(f"{sys.argv[2]}/doc-example-{i}.json", "w", encoding="utf-8").write(block)
PY

# The doc's examples name policies/mx.json beside them.
mkdir "$tmp/policies"
cp "$root/docs/policies/mx.json" "$tmp/policies/"
failed=0
for file in "$tmp"/doc-example-*.json "$root"/fixtures/config/valid/*.json; do
    if ! "$bin" show --config "$file" "$cf" >/dev/null 2>"$tmp/err"; then
        echo "FAIL: smaudit refuses $file: $(cat "$tmp/err")"
        failed=1
    fi
done
for file in "$root"/fixtures/config/invalid/*.json; do
    status=0
    "$bin" show --config "$file" "$cf" >/dev/null 2>"$tmp/err" || status=$?
    if [ "$status" != 2 ] || ! grep -q "$file: /" "$tmp/err"; then
        echo "FAIL: smaudit gives exit $status for $file: $(cat "$tmp/err")"
        failed=1
    fi
done

if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed (smaudit's side checked)"
    exit $failed
fi
/usr/bin/python3 - "$schema" "$tmp" "$root/fixtures/config" <<'PY' || failed=1
import glob, json, os, sys, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
only_smaudit_knows = {"unknown-rule-id.json"}
failed = False
valid = sorted(glob.glob(f"{sys.argv[2]}/doc-example-*.json")) + sorted(
    glob.glob(f"{sys.argv[3]}/valid/*.json"))
for path in valid:
    for error in validator.iter_errors(json.load(open(path, encoding="utf-8"))):
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"FAIL: {os.path.basename(path)} at /{where}: {error.message[:300]}")
        failed = True
for path in sorted(glob.glob(f"{sys.argv[3]}/invalid/*.json")):
    name = os.path.basename(path)
    accepted = validator.is_valid(json.load(open(path, encoding="utf-8")))
    if accepted != (name in only_smaudit_knows):
        print(f"FAIL: the schema {'accepts' if accepted else 'refuses'} {name}")
        failed = True
sys.exit(1 if failed else 0)
PY
[ "$failed" = 0 ] && echo "ok: doc examples and fixtures agree with smaudit-config-v1.schema.json and smaudit"
exit $failed
