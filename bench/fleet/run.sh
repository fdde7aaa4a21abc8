#!/bin/sh
# Fleets (docs/performance.md "Fleets"): generates fleets of N hosts (bench/fleet/generate.py)
# and times `smaudit audit FLEET --format json` on them: whole-process wall and CPU time and peak
# memory from /usr/bin/time, the CPU cost per host at each N, the cost of each host
# (--host-times: the second host against the last, the median of hosts 2-101 against that of
# the last 100; bench/fleet/host_costs.py), and the speed-up of --jobs 2 over --jobs 1 on the
# largest fleet measured, whose two reports must be the same bytes.
# Usage: bench/fleet/run.sh [BUILD_DIR]   (default build); FLEET_SIZES="100 1000 10000" for more
# (the default, "100 1000", takes about 40 s of CPU; 10,000 hosts about 2 minutes a run, and
# the largest fleet is audited twice).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
sizes=${FLEET_SIZES:-100 1000}
cmake --build "$build" -j2 --target smaudit > /dev/null
smaudit=$build/smaudit
work=$(mktemp -d /tmp/smaudit-fleet-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Sets $wall, $cpu (user+sys seconds) and $kb (peak RSS) of the command; prints them.
measure() { # label command...
    label=$1; shift
    /usr/bin/time -f 'wall %e cpu %U %S rss %M' "$@" > /dev/null 2> "$work/time" || true
    wall=$(awk '/^wall/ {print $2}' "$work/time")
    cpu=$(awk '/^wall/ {print $4 + $5}' "$work/time")
    kb=$(awk '/^wall/ {print $7}' "$work/time")
    printf '%-34s wall %8.2f s  cpu %8.2f s  peak %8d KB' "$label" "$wall" "$cpu" "$kb"
}

last=
for n in $sizes; do
    rm -rf "$work/fleet"
    /usr/bin/python3 "$src/bench/fleet/generate.py" "$work/fleet" "$n"
    measure "audit $n hosts, --jobs 1" "$smaudit" audit "$work/fleet" --format json \
        --fail-on none --jobs 1 -o "$work/j1.json" --host-times "$work/times"
    awk -v c="$cpu" -v n="$n" 'BEGIN { printf "  per host %.2f ms CPU\n", 1000 * c / n }'
    /usr/bin/python3 "$src/bench/fleet/host_costs.py" "$work/times"
    last=$n
done

# The speed-up on the largest fleet: the same report from 2 threads (and without --host-times,
# which leaves the report as it is).
w1=$wall
measure "audit $last hosts, --jobs 2" "$smaudit" audit "$work/fleet" --format json \
    --fail-on none --jobs 2 -o "$work/j2.json"
awk -v a="$w1" -v b="$wall" 'BEGIN { printf "  speed-up %.2fx (wall, -j1 / -j2)\n", a / b }'
cmp -s "$work/j1.json" "$work/j2.json" && echo "reports of -j1 and -j2 identical" ||
    echo "REPORTS OF -j1 AND -j2 DIFFER"
