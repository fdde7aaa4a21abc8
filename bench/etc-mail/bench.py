#!/usr/bin/python3
"""smaudit auditing a whole /etc/mail vs `sendmail -bt` loading its sendmail.cf (run.sh).

Usage: bench.py SMAUDIT DIR RUNS, in a UTS namespace whose host name is qualified.

The commands, each a whole process, stdout to a pipe:
- smaudit on the six files named on its command line: sendmail.mc, sendmail.cf, submit.mc,
  submit.cf, access, aliases (every rule on each; a directory audit reads submit.* for syntax
  only, so they are named). Terminal report, as a user runs it.
- the same without SM-S065 (--ignore SM-S065), whose relay probes (72 a configuration, through
  src/relay's simulator) take most of the time: where the rest stands.
- smaudit DIR, the directory audit (for comparison).
- sendmail -bt -C DIR/sendmail.cf < /dev/null: sendmail starts, reads and checks the .cf
  (readcf), initialises its maps and classes, prints the address test banner, reads end of
  input and exits: the load and nothing else. -O ServiceSwitchFile names a switch of files only
  (hosts, aliases, passwd), so that no host name lookup goes to the DNS.
The issue's target: smaudit's six-file audit in at most half of sendmail's time."""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import timing  # noqa: E402

smaudit, directory, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
names = ["sendmail.mc", "sendmail.cf", "submit.mc", "submit.cf", "access", "aliases"]
files = [os.path.join(directory, n) for n in names]
for path in files:
    if not os.path.isfile(path):
        sys.exit(f"{path}: missing; this bench needs all six files")
timing.require_gnu_time()

# The six files audited with every rule: both configurations got a role (rules ran on each).
report = json.loads(subprocess.run([smaudit, "--format", "json", "--fail-on", "none"] + files,
                                   capture_output=True, check=True).stdout)
audited = [f["path"] for f in report["files"]]
with_role = [f["path"] for f in report["files"] if "role" in f]
if sorted(audited) != sorted(files) or len(with_role) != 4:
    sys.exit(f"smaudit did not audit the six files with their rules: {report['files']}")

with tempfile.NamedTemporaryFile("w", prefix="service.switch-", delete=False) as switch:
    switch.write("hosts\tfiles\naliases\tfiles\npasswd\tfiles\n")
try:
    sendmail = ["/usr/sbin/sendmail", "-bt", "-C", files[1], "-O",
                f"ServiceSwitchFile={switch.name}"]
    version = subprocess.run(sendmail[:1] + ["-d0.1", "-bt"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True).stdout.split("\n", 1)[0]
    commands = [
        timing.Command("smaudit, the six files named", [smaudit, "--fail-on", "none"] + files),
        timing.Command("smaudit, the six files, --ignore SM-S065",
                       [smaudit, "--fail-on", "none", "--ignore", "SM-S065"] + files),
        timing.Command(f"smaudit {directory} (directory)", [smaudit, "--fail-on", "none",
                                                           directory]),
        timing.Command("sendmail -bt, load the .cf", sendmail),
    ]
    timing.interleaved(commands, runs)
finally:
    os.unlink(switch.name)
six, bt = commands[0], commands[-1]
if b"ADDRESS TEST MODE" not in bt.output:
    sys.exit(f"sendmail -bt did not start: {bt.output.decode(errors='replace')}")

print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {timing.machine()}; "
      f"load average {timing.load_average()}; {version.strip()}")
print(f"{directory}: {len(report['findings'])} findings in the six files; medians of {runs} "
      "interleaved runs")
timing.print_table(commands, reference=bt)
met = six.wall <= bt.wall / 2
print(f"target (six-file audit <= half of sendmail -bt's load): "
      f"{six.wall * 1000:.1f} ms vs {bt.wall / 2 * 1000:.1f} ms: {'met' if met else 'NOT met'}")
