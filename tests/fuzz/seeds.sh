#!/usr/bin/env bash
# Assembles each fuzz target's seed directory under OUT (docs/fuzzing.md): the project's fixture
# files of the kind the target reads, the shared corpus (../shared/corpus beside the source
# tree, read in place, when present) and the target's past crashes (tests/fuzz/regressions).
# Copies, so a seed directory never points into the sources. Usage: seeds.sh SOURCE_DIR OUT [MAX]
# MAX: at most about that many seeds per target besides its regressions (every k-th file by name,
# the same on each run): CI's short runs (make fuzz-ci) spend their executions on the seeds.
set -euo pipefail
src=$(cd "$1" && pwd)
out=$2
max=${3:-0}
corpus=$src/../shared/corpus

# Copies the files FIND prints (paths relative to $src, or absolute) into $out/$1, named by path.
add() {
    local target=$1
    mkdir -p "$out/$target"
    while IFS= read -r -d '' file; do
        name=${file#"$src"/}
        cp -- "$file" "$out/$target/${name//\//__}"
    done
}

# Text files of the fixtures and tests whose name matches one of the -name patterns given.
fixtures() {
    find "$src/fixtures" "$src/tests" -type f -size -1000k \( "$@" \) -print0
}

shared() {
    [ -d "$corpus/$1" ] && find "$corpus/$1" -type f -size -1000k -print0 || true
}

rm -rf "$out"
mkdir -p "$out"
fixtures -name '*.cf' -o -name '*.expect-cf' | add cf
shared cf | add cf
for target in m4 mc; do
    fixtures -name '*.mc' -o -name '*.m4' | add $target
    shared mc | add $target
done
fixtures -name '*access*' -not -name '*.db*' -not -name '*.cpp' | add access
shared access | add access
fixtures -name '*aliases*' -not -name '*.db*' -not -name '*.cpp' | add aliases
shared aliases | add aliases
fixtures -path '*/maps/kv/*' -o -name virtusertable -o -name mailertable -o -name genericstable \
    -o -name domaintable -o -name authinfo | add kv_map
fixtures -path '*/maps/class/*' -o -name '*relay-domains' -o -name '*local-host-names' \
    -o -name '*trusted-users' | add class
# The whole audit reads every kind, typed by content.
mkdir -p "$out/audit"
for target in cf mc access aliases; do
    cp -- "$out/$target"/* "$out/audit/"
done
if [ "$max" -gt 0 ]; then
    for dir in "$out"/*/; do
        mapfile -t files < <(find "$dir" -type f | sort)
        [ ${#files[@]} -gt "$max" ] || continue
        step=$(((${#files[@]} + max - 1) / max))
        for i in "${!files[@]}"; do
            [ $((i % step)) -eq 0 ] || rm -f -- "${files[$i]}"
        done
    done
fi
for dir in "$src"/tests/fuzz/regressions/*/; do
    [ -d "$dir" ] || continue
    target=$(basename "$dir")
    find "$dir" -type f -print0 | add "$target"
done
for dir in "$out"/*/; do
    echo "$(basename "$dir"): $(find "$dir" -type f | wc -l) seeds"
done
