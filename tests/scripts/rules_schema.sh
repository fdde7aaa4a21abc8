#!/usr/bin/env bash
# `smaudit rules --format json` (with and without --implemented) is valid against
# docs/schema/rules-v1.schema.json, and the schema rejects a hand-made invalid document, so that
# it is known to check something.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/schema/rules-v1.schema.json
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" rules --format json >"$tmp/all.json"
"$bin" rules --format json --implemented >"$tmp/implemented.json"

/usr/bin/python3 - "$schema" "$tmp/all.json" "$tmp/implemented.json" <<'PY'
import json, sys, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = False
for path in sys.argv[2:]:
    document = json.load(open(path, encoding="utf-8"))
    for error in validator.iter_errors(document):
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"FAIL: {path}: at /{where}: {error.message[:300]}")
        failed = True

document = json.load(open(sys.argv[2], encoding="utf-8"))
planned = next(e for e in document["catalog"] if e["status"] != "implemented")
bad = json.loads(json.dumps(document))
next(e for e in bad["catalog"] if e["id"] == planned["id"])["rules"] = ["SM-S999"]
if validator.is_valid(bad):
    print("FAIL: the schema accepts rules under an entry that is not implemented")
    failed = True
bad = json.loads(json.dumps(document))
bad["rules"][0]["fix"] = "maybe"
if validator.is_valid(bad):
    print("FAIL: the schema accepts an unknown fix kind")
    failed = True
print(f"validated 2 outputs: {len(document['rules'])} rules, {len(document['catalog'])} entries")
sys.exit(1 if failed else 0)
PY
