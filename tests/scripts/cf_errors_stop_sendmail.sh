#!/bin/bash
# Ground truth for the .cf syntax codes and "would not load" (docs/scoring.md "When there is no
# grade"): put into a stock m4-generated .cf (right after its V line, or as its V line) the bad
# example of every .cf code's page (docs/rules/SM-E0*.md) and every line of cf_error_lines.txt
# (one per message of each code). sendmail 8.17 refuses the file (an error `5xx 5.x.x FILE: line
# N:` in an SMTP session; a daemon exits) exactly when smaudit leaves both packs ungraded because
# the .cf "would not load", and smaudit reports the code. Needs m4, sendmail-cf, sendmail-bin and
# `unshare -u` (root); skipped without them.
set -u
smaudit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/support/stock_cf.sh"

"$python" - "$smaudit" "$work" "$root" <<'PY'
import json, pathlib, re, subprocess, sys

smaudit, work, root = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
base = (work / "base.cf").read_bytes().splitlines(keepends=True)


def with_lines(example):
    """The stock .cf with `example` (bytes, V line first if any) after its V line."""
    lines = example.splitlines(keepends=True)
    cf = list(base)
    at = next(i for i, line in enumerate(cf) if line.startswith(b"V"))
    if lines and lines[0].startswith(b"V"):
        cf[at] = lines.pop(0)
    cf[at + 1:at + 1] = lines
    return b"".join(cf)


def sendmail_refuses(path):
    session = subprocess.run(
        ["unshare", "-u", "sh", "-c", 'hostname mx.example.test; exec "$@"', "sh", "sendmail",
         "-C", str(path), "-O", "ServiceSwitchFile=/etc/mail/service.switch-nodns", "-bs"],
        stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    output = (session.stdout + session.stderr).decode("latin-1")
    return re.search(r"^5[0-9][0-9] 5\.[0-9]\.[0-9] .*: line [0-9]+: ", output, re.M) is not None


def smaudit_says(path, code):
    report = json.loads(subprocess.run(
        [smaudit, "audit", "--format", "json", "--fail-on", "none", "--", str(path)],
        capture_output=True, check=True).stdout)
    refused = "would not load" in (report.get("not_scored") or {}).get("security", "")
    found = any(f["rule"] == code for f in report["findings"])
    return ("refused" if refused else "loads") + ("" if found else " (code not reported)")


cases = []
for page in sorted((root / "docs/rules").glob("SM-E0*.md")):
    text = page.read_text(encoding="utf-8")
    bad = re.search(r"## Bad example\n(.*?)\n## ", text, re.S)
    block = bad and re.search(r"```cf\n(.*?)```", bad.group(1), re.S)
    if block:  # ^@ and ^M stand for NUL and CR
        example = block.group(1).replace("^@", "\0").replace("^M", "\r").encode("latin-1")
        cases.append((page.stem, f"{page.stem} page", example))
for number, line in enumerate((root / "tests/scripts/cf_error_lines.txt").read_text().splitlines()):
    if line and not line.startswith("#"):
        code, text = line.split("\t", 1)
        example = text.encode("latin-1").decode("unicode_escape").encode("latin-1") + b"\n"
        cases.append((code, f"{code} {text}", example))

failures = 0
for number, (code, name, example) in enumerate(cases):
    path = work / f"case{number}.cf"
    path.write_bytes(with_lines(example))
    truth = "refused" if sendmail_refuses(path) else "loads"
    said = smaudit_says(path, code)
    if truth == said:
        print(f"ok   {name}: {truth}")
    else:
        print(f"FAIL {name}: sendmail: {truth}, smaudit: {said}")
        failures += 1
if not any(name.endswith(" page") for _, name, _ in cases):
    sys.exit("FAIL: no .cf example found in docs/rules/SM-E0*.md")
if failures:
    sys.exit(f"{failures} of {len(cases)} case(s) disagree with sendmail")
print(f"{len(cases)} cases agree with sendmail")
PY
