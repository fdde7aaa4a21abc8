#!/usr/bin/env bash
# Runs each libFuzzer target of BUILD (make fuzz, make fuzz-ci; docs/fuzzing.md) one after the
# other over its seeds, with the libFuzzer FLAGS given (-max_total_time=60, -runs=N ...).
# New inputs accumulate in FUZZ_CORPUS/<target> (default BUILD/fuzz-corpus); a crash, timeout or
# out-of-memory input is written to BUILD/fuzz-artifacts/<target>/ and fails the run (after the
# other targets ran).
# FUZZ_TARGETS (space-separated) picks targets; default: every fuzz_* of BUILD.
# Usage: run.sh BUILD [libFuzzer flags...]
set -uo pipefail
build=$1
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
corpus_root=${FUZZ_CORPUS:-$build/fuzz-corpus}
targets=${FUZZ_TARGETS:-$(cd "$build" && ls fuzz_* | sed 's/^fuzz_//')}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/support/lsan-suppressions.txt}
failed=()
for target in $targets; do
    corpus=$corpus_root/$target
    artifacts=$build/fuzz-artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    # The m4 targets mutate with the names of m4's builtins and the cf tree's macros.
    dict=()
    case $target in m4 | mc) dict=(-dict="$src/tests/fuzz/m4.dict") ;; esac
    echo "== fuzz_$target $*"
    start=$SECONDS
    # -timeout: one input taking this long is a hang; the m4 limits keep real work far below.
    if ! "$build/fuzz_$target" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$artifacts/" "$@" "$corpus" "$build/fuzz-seeds/$target" \
        > "$build/fuzz-$target.log" 2>&1; then
        failed+=("$target")
        tail -n 60 "$build/fuzz-$target.log"
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz-$target.log" |
        tr '\n' ' '
    echo "($((SECONDS - start)) s; log: $build/fuzz-$target.log)"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]} (inputs under $build/fuzz-artifacts/; add each to" \
         "tests/fuzz/regressions/<target>/ once fixed)"
    exit 1
fi
