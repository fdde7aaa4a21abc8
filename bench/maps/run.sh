#!/bin/sh
# Times smaudit's map parsers beside sendmail's own builders on the same generated files, in the
# same run: whole-process wall time and peak memory from /usr/bin/time -v.
# Usage: bench/maps/run.sh [BUILD_DIR]   (default build-bench; configured with SMAUDIT_BENCH=ON)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMAUDIT_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target maps_parse_bench > /dev/null
bench=$build/maps_parse_bench
work=$(mktemp -d /tmp/smaudit-maps-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$src/bench/maps/generate.py" "$work"

measure() { # label command...
    label=$1; shift
    /usr/bin/time -v "$@" > "$work/out" 2> "$work/time" || true
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
    printf '%-28s %8.3f s %9d KB   %s\n' "$label" "$secs" "$kb" "$(head -c 100 "$work/out" | head -1)"
}

for f in access aliases; do
    printf '%s: %s bytes, %s lines\n' "$f" "$(wc -c < "$work/$f")" "$(wc -l < "$work/$f")"
done
measure "smaudit parse (empty file)" "$bench" access /dev/null
measure "smaudit parse access" "$bench" access "$work/access"
measure "makemap hash access" sh -c "makemap hash '$work/access-db' < '$work/access'"
measure "smaudit parse aliases" "$bench" aliases "$work/aliases"
cp "$work/aliases" "$work/aliases-nl"
measure "newaliases (sendmail -bi)" unshare -u sh -c "hostname mx.example.test; exec sendmail \
    -C /etc/mail/sendmail.cf -O ServiceSwitchFile=/etc/mail/service.switch-nodns \
    -O AliasFile=$work/aliases-nl -bi"
measure "makemap hash aliases" sh -c "sed 's/: */\t/' '$work/aliases' | makemap -r hash '$work/aliases-db'"
