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

cmake --build "$build" --target sm_m4 sm_core -j2 >/dev/null
g++ -std=c++20 -O2 -I"$root/src" -I"$root" "$root/bench/m4/m4_expand.cpp" \
    "$build/libsm_m4.a" "$build/libsm_core.a" -lfmt -o "$work/m4_expand"

if grep -q 'cf\.m4' "$mc"; then m4args=("$mc"); else m4args=(../m4/cf.m4 "$mc"); fi
(cd "$cf/cf" && m4 "${m4args[@]}") 2>/dev/null |
    grep -v -e '^##### built by ' -e '^##### in ' -e '^##### using .* as configuration include directory' \
    >"$work/m4.cf" || true
"$work/m4_expand" "$mc" "$cf" >"$work/ours.cf"
if cmp -s "$work/m4.cf" "$work/ours.cf"; then echo "outputs identical ($(wc -l <"$work/ours.cf") lines)"
else echo "OUTPUTS DIFFER"; diff "$work/m4.cf" "$work/ours.cf" | head; fi

# Whole processes, as a user runs them; syscmd makes real m4 also run makeinfo.sh (a shell, date,
# hostname), which is part of what m4 costs on this file.
t0=$(date +%s%N)
for ((i = 0; i < n; i++)); do (cd "$cf/cf" && m4 "${m4args[@]}" >/dev/null 2>&1) || true; done
t1=$(date +%s%N)
for ((i = 0; i < n; i++)); do "$work/m4_expand" "$mc" "$cf" >/dev/null; done
t2=$(date +%s%N)
echo "real m4:        $(((t1 - t0) / n / 1000)) us per expansion ($n runs)"
echo "smaudit engine: $(((t2 - t1) / n / 1000)) us per expansion ($n runs)"
# Real m4 without the build-info shell-out, for a like-for-like comparison of the m4 work.
t3=$(date +%s%N)
for ((i = 0; i < n; i++)); do (cd "$cf/cf" && m4 -D_NO_MAKEINFO_ "${m4args[@]}" >/dev/null 2>&1) || true; done
t4=$(date +%s%N)
echo "real m4, -D_NO_MAKEINFO_ (no shell): $(((t4 - t3) / n / 1000)) us per expansion"
"$work/m4_expand" "$mc" "$cf" 20 >/dev/null
