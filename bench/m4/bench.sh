#!/bin/bash
# Expands an .mc (default: Debian's /etc/mail/sendmail.mc) N times with smaudit's m4 engine and
# with the real GNU m4, in the same run, and prints the times. Also checks both agree (minus the
# build-info lines).
# Usage: bench/m4/bench.sh [BUILD_DIR] [MC] [N]     BUILD_DIR defaults to build-m4
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-m4}
mc=${2:-/etc/mail/sendmail.mc}
n=${3:-50}
cf=/usr/share/sendmail/cf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target sm_m4 sm_core -j2 >/dev/null
g++ -std=c++20 -O2 -static-libstdc++ -static-libgcc -I"$root/src" -I"$root" "$root/bench/m4/m4_expand.cpp" \
    "$build/libsm_m4.a" "$build/libsm_core.a" -lfmt -o "$work/m4_expand"

if grep -q 'cf\.m4' "$mc"; then m4args=("$mc"); else m4args=(../m4/cf.m4 "$mc"); fi
(cd "$cf/cf" && m4 "${m4args[@]}") 2>/dev/null |
    grep -v -e '^##### built by ' -e '^##### in ' -e '^##### using .* as configuration include directory' \
    >"$work/m4.cf" || true
"$work/m4_expand" "$mc" "$cf" >"$work/ours.cf"
if cmp -s "$work/m4.cf" "$work/ours.cf"; then echo "outputs identical ($(wc -l <"$work/ours.cf") lines)"
else echo "OUTPUTS DIFFER"; diff "$work/m4.cf" "$work/ours.cf" | head; fi

# Whole processes, as a user runs them, interleaved so machine load hits both alike; min and
# median of n runs. The plain m4 run also runs makeinfo.sh through syscmd (a shell, date,
# hostname): that is part of what `m4` costs on a sendmail .mc. -D_NO_MAKEINFO_ leaves the shell
# out, for a like-for-like comparison of the m4 work alone.
time_ns() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $((t1 - t0)); }
real_m4() { (cd "$cf/cf" && m4 "${m4args[@]}"); }
real_m4_noinfo() { (cd "$cf/cf" && m4 -D_NO_MAKEINFO_ "${m4args[@]}"); }
ours() { "$work/m4_expand" "$mc" "$cf"; }
: >"$work/t.m4"; : >"$work/t.noinfo"; : >"$work/t.ours"
for ((i = 0; i < n; i++)); do
    time_ns real_m4 >>"$work/t.m4"
    time_ns real_m4_noinfo >>"$work/t.noinfo"
    time_ns ours >>"$work/t.ours"
done
stats() { sort -n "$1" | awk '{a[NR]=$1} END {printf "min %6.2f ms  median %6.2f ms", a[1]/1e6, a[int((NR+1)/2)]/1e6}'; }
echo "real m4 (as make runs it):        $(stats "$work/t.m4")   ($n runs)"
echo "real m4 -D_NO_MAKEINFO_ (no shell): $(stats "$work/t.noinfo")"
echo "smaudit m4 engine (process):      $(stats "$work/t.ours")"
# In-process, cold (cf.m4 read each time) vs warm (resumed from the state after cf.m4), and a
# run over many .mc files with one cache, as a fleet audit shares it.
"$work/m4_expand" "$mc" "$cf" 200 >/dev/null
batch=("$cf"/cf/*.mc /etc/mail/*.mc)
[ -d "$root/../shared/corpus/mc" ] && batch+=("$root"/../shared/corpus/mc/*)
[ -d "$root/fixtures/mc" ] && batch+=("$root"/fixtures/mc/*.mc)
"$work/m4_expand" --batch "$cf" "${batch[@]}" >/dev/null
