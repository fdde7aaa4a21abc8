# Sourced by ci_formats.sh and sarif_schema.sh (not a test itself: ctest runs tests/scripts/*.sh).
#
# fingerprints_kept_when_lines_move BIN FORMAT CF TMP: audits a copy of the .cf CF (in TMP/moved)
# twice with `--format FORMAT` (gitlab or sarif), the second time with three lines added at its
# top: every fingerprint must stay and every line move by three. Prints how many were kept, or
# FAIL and what differs (then returns 1).
fingerprints_kept_when_lines_move() {
    local bin format=$2 cf=$3 dir=$4/moved
    bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the audits run in $dir
    mkdir "$dir"
    cp "$cf" "$dir/sendmail.cf"
    (cd "$dir" && "$bin" audit --format "$format" --fail-on none sendmail.cf) >"$dir/before"
    {
        printf '# three lines\n# added at the top\n\n'
        cat "$cf"
    } >"$dir/sendmail.cf"
    (cd "$dir" && "$bin" audit --format "$format" --fail-on none sendmail.cf) >"$dir/after"
    /usr/bin/python3 - "$format" "$dir/before" "$dir/after" <<'PY'
import json, sys

fmt = sys.argv[1]


# Fingerprint -> the line its finding is on (None: no place).
def places(path):
    log = json.load(open(path, encoding="utf-8"))
    if fmt == "gitlab":
        return {i["fingerprint"]: i["location"]["lines"]["begin"] for i in log}
    out = {}
    for r in log["runs"][0]["results"]:
        region = r["locations"][0]["physicalLocation"].get("region")
        out[(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"])] = (
            region["startLine"] if region else None)
    return out


def moved_wrong(line, now):
    if fmt == "gitlab" and line == 1:
        return False  # GitLab's line of a finding with no place, too: it stays
    return now != (None if line is None else line + 3)


before, after = places(sys.argv[2]), places(sys.argv[3])
if len(before) < 3 or before.keys() != after.keys() or any(
        moved_wrong(line, after[key]) for key, line in before.items()):
    print(f"FAIL: audit with lines moved: fingerprints or lines differ: {before} / {after}")
    sys.exit(1)
print(f"{len(before)} {'GitLab' if fmt == 'gitlab' else 'SARIF'} fingerprints kept when lines "
      "moved")
PY
}
