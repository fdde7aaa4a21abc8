#!/bin/bash
# Every C++ file of src, rules, tests, grammar and bench is formatted as the repository's
# .clang-format says (clang-format --dry-run --Werror), except src/m4/option_table_generated.cpp,
# which a tool writes. Checked with the clang-format the Makefile installs (Debian 12: 14);
# another major version formats some constructs differently, so the check is skipped there.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang-format >/dev/null || { echo "SKIP: no clang-format"; exit 0; }
major=$(clang-format --version | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p')
[ "$major" = 14 ] || { echo "SKIP: clang-format $major, the tree is formatted with 14"; exit 0; }
cd "$root" || exit 1
mapfile -t files < <(find src rules tests grammar bench -type f \
    \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) \
    ! -path src/m4/option_table_generated.cpp | sort)
[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no C++ files found under $root"; exit 1; }
if ! clang-format --dry-run --Werror "${files[@]}"; then
    echo "FAIL: run clang-format -i on the files above"
    exit 1
fi
echo "${#files[@]} files formatted"
