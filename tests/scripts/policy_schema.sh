#!/usr/bin/env bash
# The example policies of docs/policies.md and the kinds fixture are valid against
# docs/schema/smaudit-policy-v1.schema.json, and the schema rejects what smaudit rejects (an SM-
# ID, a policy about two things, a bound that is no number, an unknown key), so that it is known
# to check something; smaudit itself refuses those with the JSON path (exit 2), and loads the
# valid files.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/schema/smaudit-policy-v1.schema.json
valid=("$root"/docs/policies/*.json "$root/fixtures/policies/kinds.json")
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
policy='{"id": "ORG-001", "severity": "high", "pack": "security", "message": "m"'
printf '{"policies": [%s, "option": "MaxMessageSize", "max": 1}]}' "${policy/ORG-001/SM-S001}" \
    >"$tmp/sm-id.json"
printf '{"policies": [%s, "option": "MaxMessageSize", "max": 1, "feature": "access_db", "required": true}]}' \
    "$policy" >"$tmp/two-subjects.json"
printf '{"policies": [%s, "option": "MaxMessageSize", "max": "50MB"}]}' "$policy" \
    >"$tmp/max-not-number.json"
printf '{"policies": [%s, "option": "MaxMessageSize", "max": 1, "colour": "red"}]}' "$policy" \
    >"$tmp/unknown-key.json"
invalid=("$tmp/sm-id.json" "$tmp/two-subjects.json" "$tmp/max-not-number.json" "$tmp/unknown-key.json")

/usr/bin/python3 - "$schema" "${#valid[@]}" "${valid[@]}" "${invalid[@]}" <<'PY'
import json, sys, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
count = int(sys.argv[2])
valid, invalid = sys.argv[3:3 + count], sys.argv[3 + count:]
failed = False
for path in valid:
    for error in validator.iter_errors(json.load(open(path, encoding="utf-8"))):
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"FAIL: {path}: at /{where}: {error.message[:300]}")
        failed = True
for path in invalid:
    if validator.is_valid(json.load(open(path, encoding="utf-8"))):
        print(f"FAIL: the schema accepts {path.rsplit('/', 1)[-1]}")
        failed = True
sys.exit(1 if failed else 0)
PY

for file in "${valid[@]}"; do
    "$bin" rules --policy "$file" --format json >/dev/null ||
        { echo "FAIL: smaudit refuses $file"; exit 1; }
done
expect_refused() { # file, JSON path smaudit must name
    local out status=0
    out=$("$bin" --policy "$1" "$root/fixtures/e2e/appendix-a-mx.mc" 2>&1 >/dev/null) || status=$?
    if [[ $status != 2 || $out != *"$1: $2: "* ]]; then
        echo "FAIL: $1: exit $status, expected 2 and a message naming $2; got: $out"
        exit 1
    fi
}
expect_refused "$tmp/sm-id.json" /policies/0/id
expect_refused "$tmp/two-subjects.json" /policies/0
expect_refused "$tmp/max-not-number.json" /policies/0/max
expect_refused "$tmp/unknown-key.json" /policies/0/colour
# The JSON report and the rule index with policies loaded are valid against their schemas.
"$bin" --policy "$root/fixtures/policies/kinds.json" --format json --fail-on none \
    "$root/fixtures/policies/bad" >"$tmp/report.json"
"$bin" rules --policy "$root/fixtures/policies/kinds.json" --format json >"$tmp/rules.json"
/usr/bin/python3 - "$root/docs/schema" "$tmp/report.json" "$tmp/rules.json" <<'PY'
import json, sys, jsonschema

failed = False
for schema_name, path in (("report-v1", sys.argv[2]), ("rules-v1", sys.argv[3])):
    schema = json.load(open(f"{sys.argv[1]}/{schema_name}.schema.json", encoding="utf-8"))
    document = json.load(open(path, encoding="utf-8"))
    for error in jsonschema.Draft202012Validator(schema).iter_errors(document):
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"FAIL: {schema_name} with policies: at /{where}: {error.message[:300]}")
        failed = True
report = json.load(open(sys.argv[2], encoding="utf-8"))
if not any(f["rule"].startswith("KIND-") for f in report["findings"]):
    print("FAIL: the report of fixtures/policies/bad has no policy finding")
    failed = True
sys.exit(1 if failed else 0)
PY
echo "ok: ${#valid[@]} policy files valid against smaudit-policy-v1.schema.json and loaded; ${#invalid[@]} invalid ones rejected by both; report and rule index with policies valid"
