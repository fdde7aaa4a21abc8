#!/usr/bin/env bash
# `smaudit show` attributes every option an .mc sets with its own define(`confX', ...) to the
# line of that define, on every .mc of the shared corpus, of the installed cf tree (cf/cf/*.mc)
# and of /etc/mail. The define lines are found without smaudit: the real m4 runs the .mc with
# its define/pushdef/undefine/popdef calls traced (so defines in an ifdef branch not taken, after
# dnl, in divert(-1) text or overridden later are told apart as m4 tells them), the last of them
# for each confX decides, and proto.m4's own `_OPTION(Name, `confX', ...)` lines say which
# option confX sets. m4's trace gives the line where the outermost call began (an ifdef around
# the define); the define itself is the first `define(`confX'` at or after that line.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cf_dir=
for dir in /usr/share/sendmail/cf /usr/share/sendmail-cf /usr/lib/mail; do
    if [ -f "$dir/m4/cf.m4" ]; then
        cf_dir=$dir
        break
    fi
done
if [ -z "$cf_dir" ] || ! command -v m4 >/dev/null; then
    echo "skip: needs GNU m4 and sendmail's cf tree (sendmail-cf)"
    exit 0
fi
mcs=()
for mc in "$root"/../shared/corpus/mc/*.mc "$cf_dir"/cf/*.mc /etc/mail/*.mc; do
    if [ -f "$mc" ]; then mcs+=("$mc"); fi
done
exec /usr/bin/python3 - "$bin" "$cf_dir" "${mcs[@]}" <<'PY'
import json, os, re, subprocess, sys, tempfile

smaudit, cf_dir, mcs = sys.argv[1], sys.argv[2], sys.argv[3:]
proto = open(os.path.join(cf_dir, "m4", "proto.m4"), encoding="latin-1").read()
option_of = {m[2]: m[1] for m in re.finditer(r"^_OPTION\(([^,]+),\s*`(conf\w+)'", proto, re.M)}
trace_re = re.compile(r"^m4trace:(.*):(\d+): -\d+- (define|pushdef|undefine|popdef)\(`([^']*)'")
include_cf_re = re.compile(r"include\(\s*`?([^)'\n]*m4/cf\.m4)")

failed = 0
wrong = 0
checked = 0
files_with_defines = 0
with tempfile.TemporaryDirectory() as tmp:
    for mc in mcs:
        text = open(mc, encoding="latin-1").read()
        lines = text.split("\n")
        # m4 reads the .mc from a copy whose cf.m4 include names the installed tree (a RHEL
        # path, say), as smaudit does; lines stay where they are.
        copy = os.path.join(tmp, "copy.mc")
        includes_cf = include_cf_re.search(text) is not None
        with open(copy, "w", encoding="latin-1") as out:
            out.write(include_cf_re.sub("include(`" + cf_dir + "/m4/cf.m4", text))
        argv = ["m4", "-daqfl", "-tdefine", "-tpushdef", "-tundefine", "-tpopdef"]
        argv += ([] if includes_cf else ["../m4/cf.m4"]) + [copy]
        run = subprocess.run(argv, cwd=os.path.join(cf_dir, "cf"), capture_output=True,
                             encoding="latin-1")
        last = {}  # confX -> (file, line, op) of the last call that changed it
        for line in run.stderr.split("\n"):
            m = trace_re.match(line)
            if m and m[4] in option_of:
                last[m[4]] = (m[1], int(m[2]), m[3])
        expected = {}  # option -> define line
        for name, (file, line, op) in last.items():
            if file != copy or op not in ("define", "pushdef"):
                continue
            define_re = re.compile(r"(?:define|pushdef)\(\s*`?" + name + r"\b")
            found = 0
            for n in range(line, len(lines) + 1):
                m = define_re.search(lines[n - 1])
                if m and "dnl" not in lines[n - 1][: m.start()]:
                    found = n
                    break
            # Not in the text: a macro of the cf tree called on that line defined it
            # (INPUT_MAIL_FILTER defines confINPUT_MAIL_FILTERS): that call sets the option.
            expected[option_of[name]] = found or line
        if not expected:
            continue
        files_with_defines += 1
        run = subprocess.run([smaudit, "show", "--format", "json", mc], capture_output=True,
                             encoding="utf-8", errors="replace")
        if run.returncode not in (0, 1):
            print(f"FAIL: {mc}: show exited {run.returncode}: {run.stderr[:300]}")
            failed += 1
            continue
        shown = {o["name"].lower(): o for o in json.loads(run.stdout)["options"]}
        for option, line in sorted(expected.items()):
            checked += 1
            entry = shown.get(option.lower())
            if entry is None:
                print(f"FAIL: {mc}:{line}: {option} is not shown")
                wrong += 1
            elif entry["path"] != mc or entry["line"] != line:
                print(f"FAIL: {mc}:{line}: {option} shown at {entry['path']}:{entry['line']}")
                wrong += 1

print(f"{checked - wrong} of {checked} options set by define() in {files_with_defines} of "
      f"{len(mcs)} .mc files are attributed to their define line")
if checked < 100:
    print(f"FAIL: only {checked} options checked, expected at least 100")
    failed += 1
sys.exit(1 if failed or wrong else 0)
PY
