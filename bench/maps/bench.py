#!/usr/bin/python3
"""smaudit on big maps beside makemap and newaliases, in the same run (run.sh).

Usage: bench.py BUILD_DIR RUNS, in a UTS namespace whose host name is qualified. Inputs from
generate.py: a 1,000,000-entry access map and a 100,000-alias file. The commands, each a whole
process:
- maps_parse_bench KIND FILE: smaudit's parser alone (read, parse, duplicate check);
- smaudit audit --format json --fail-on none FILE: every rule, the JSON report;
- smaudit show --format json FILE: every entry printed;
- makemap hash DB < access: sendmail's builder of the access database;
- sendmail -bi with AliasFile= the aliases file (newaliases), files-only service switch.
The issue's targets for the access map: the audit at least 40x faster than makemap, and its
peak memory at most twice the file's size."""
import os
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
import timing  # noqa: E402

build, runs = sys.argv[1], int(sys.argv[2])
smaudit, parse = os.path.join(build, "smaudit"), os.path.join(build, "maps_parse_bench")
timing.require_gnu_time()

with tempfile.TemporaryDirectory(prefix="smaudit-maps-bench-") as work:
    subprocess.run([sys.executable, os.path.join(here, "generate.py"), work], check=True)
    access, aliases = os.path.join(work, "access"), os.path.join(work, "aliases")
    switch = os.path.join(work, "service.switch")
    with open(switch, "w") as f:
        f.write("hosts\tfiles\naliases\tfiles\npasswd\tfiles\n")
    audit = [smaudit, "audit", "--format", "json", "--fail-on", "none"]
    show = [smaudit, "show", "--format", "json"]
    access_commands = [
        timing.Command("makemap hash, the access map", ["makemap", "hash",
                                                         os.path.join(work, "access-db")],
                       stdin=access),
        timing.Command("smaudit parser alone", [parse, "access", access]),
        timing.Command("smaudit audit --format json", audit + [access]),
        timing.Command("smaudit show --format json", show + [access]),
    ]
    aliases_commands = [
        timing.Command("newaliases (sendmail -bi)", [
            "/usr/sbin/sendmail", "-C", "/etc/mail/sendmail.cf", "-O",
            f"ServiceSwitchFile={switch}", "-O", f"AliasFile={aliases}", "-bi"]),
        timing.Command("smaudit parser alone", [parse, "aliases", aliases]),
        timing.Command("smaudit audit --format json", audit + [aliases]),
        timing.Command("smaudit show --format json", show + [aliases]),
    ]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {timing.machine()}; "
          f"load average {timing.load_average()}; medians of {runs} interleaved runs")
    for name, path, commands in (("access", access, access_commands),
                                 ("aliases", aliases, aliases_commands)):
        timing.interleaved(commands, runs)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            lines = sum(1 for _ in f)
        print(f"{name}: {size} bytes, {lines} lines")
        timing.print_table(commands, reference=commands[0])
        for c in commands[1:]:
            print(f"  {c.label}: {commands[0].wall / c.wall:.0f}x wall, "
                  f"{commands[0].cpu / c.cpu:.0f}x CPU; peak {c.peak * 1024 / size:.2f}x the file")
        if name == "access":
            report = commands[2]
            findings = report.output.count(b'"rule": ')
            fast = commands[0].wall / report.wall >= 40
            small = report.peak * 1024 <= 2 * size
            print(f"  {findings} findings; targets: 40x makemap {'met' if fast else 'NOT met'}, "
                  f"peak <= 2x the file {'met' if small else 'NOT met'}")
