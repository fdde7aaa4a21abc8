#!/bin/sh
# Times smaudit beside sendmail's own map builders on the same generated files, in the same run:
# whole-process wall time and peak memory from /usr/bin/time. Three smaudit figures per file:
# the parser alone (maps_parse_bench: read, parse, duplicate check), a full `smaudit audit`
# (parse, every rule, JSON report) and `smaudit show --format json` (every entry printed).
# Usage: bench/maps/run.sh [BUILD_DIR]   (default build-bench; configured with SMAUDIT_BENCH=ON)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMAUDIT_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target maps_parse_bench smaudit > /dev/null
bench=$build/maps_parse_bench
smaudit=$build/smaudit
work=$(mktemp -d /tmp/smaudit-maps-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$src/bench/maps/generate.py" "$work"

# Prints wall and CPU (user+sys) seconds and peak RSS; the machine may be shared, so CPU time
# is the steadier figure. Sets $wall and $cpu for ratios.
measure() { # label command...
    label=$1; shift
    /usr/bin/time -f 'wall %e cpu %U %S rss %M' "$@" > "$work/out" 2> "$work/time" || true
    wall=$(awk '/^wall/ {print $2}' "$work/time")
    cpu=$(awk '/^wall/ {print $4 + $5}' "$work/time")
    kb=$(awk '/^wall/ {print $7}' "$work/time")
    printf '%-28s wall %7.3f s  cpu %7.3f s  peak %8d KB   %s\n' "$label" "$wall" "$cpu" "$kb" \
        "$(head -1 "$work/out" | cut -c1-70)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "inf" }'; }

for f in access aliases; do
    printf '%s: %s bytes, %s lines\n' "$f" "$(wc -c < "$work/$f")" "$(wc -l < "$work/$f")"
done
measure "smaudit parse (empty file)" "$bench" access /dev/null
measure "smaudit parse access" "$bench" access "$work/access"
sw=$wall; sc=$cpu
measure "smaudit audit access" "$smaudit" audit --format json --fail-on none "$work/access"
aw=$wall; ac=$cpu
measure "smaudit show access" "$smaudit" show --format json "$work/access"
measure "makemap hash access" sh -c "makemap hash '$work/access-db' < '$work/access'"
echo "  access: makemap/smaudit parse wall $(ratio "$wall" "$sw"), cpu $(ratio "$cpu" "$sc");" \
    "makemap/smaudit audit wall $(ratio "$wall" "$aw"), cpu $(ratio "$cpu" "$ac")"
measure "smaudit parse aliases" "$bench" aliases "$work/aliases"
sw=$wall; sc=$cpu
measure "smaudit audit aliases" "$smaudit" audit --format json --fail-on none "$work/aliases"
aw=$wall; ac=$cpu
measure "smaudit show aliases" "$smaudit" show --format json "$work/aliases"
cp "$work/aliases" "$work/aliases-nl"
measure "newaliases (sendmail -bi)" unshare -u sh -c "hostname mx.example.test; exec sendmail \
    -C /etc/mail/sendmail.cf -O ServiceSwitchFile=/etc/mail/service.switch-nodns \
    -O AliasFile=$work/aliases-nl -bi"
echo "  aliases: newaliases/smaudit parse wall $(ratio "$wall" "$sw"), cpu $(ratio "$cpu" "$sc");" \
    "newaliases/smaudit audit wall $(ratio "$wall" "$aw"), cpu $(ratio "$cpu" "$ac")"
