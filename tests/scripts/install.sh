#!/usr/bin/env bash
# `make install` as the Makefile does it after building (its install-built step, run on the build
# under test) with DESTDIR and PREFIX=/usr: the binary, the man page and the bash completion are
# where they belong; the installed binary runs; the man page renders without warnings (man, else
# groff, else its roff structure is checked) and names every subcommand and every option the
# --help of smaudit and of each subcommand lists; the completion script, run in bash with
# COMP_WORDS set, offers subcommands, options, option values and rule IDs (the registry's).
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$(dirname "$bin")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

make -s -C "$root" install-built BUILD="$build" DESTDIR="$tmp/dest" PREFIX=/usr >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "make install-built"; exit 1; }
installed=$tmp/dest/usr/bin/smaudit
man_page=$tmp/dest/usr/share/man/man1/smaudit.1
completion=$tmp/dest/usr/share/bash-completion/completions/smaudit
[ -x "$installed" ] || fail "no executable $installed"
[ -f "$man_page" ] || fail "no man page $man_page"
[ -f "$completion" ] || fail "no bash completion $completion"
[ "$failed" = 0 ] || exit 1
[ "$(find "$tmp/dest" -type f | wc -l)" = 3 ] || fail "installed more than three files: $(find "$tmp/dest" -type f)"
"$installed" --version | grep -q '^smaudit [0-9]' || fail "the installed binary does not run"

# The man page, rendered as a reader sees it (hyphen and minus signs as ASCII).
if command -v man >/dev/null && command -v groff >/dev/null; then
    MANWIDTH=200 man -l "$man_page" >"$tmp/man.txt" 2>"$tmp/man.err" || fail "man -l failed"
    renderer=man
elif command -v groff >/dev/null; then
    groff -man -Tutf8 -rLL=200n "$man_page" >"$tmp/man.txt" 2>"$tmp/man.err" || fail "groff failed"
    renderer=groff
else
    sed -e 's/\\f[BIR]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' "$man_page" >"$tmp/man.txt"
    : >"$tmp/man.err"
    renderer="none (roff source)"
fi
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$man_page" 2>>"$tmp/man.err"
fi
[ -s "$tmp/man.err" ] && fail "man page warnings: $(head -5 "$tmp/man.err")"
sed -i -e 's/\xe2\x88\x92/-/g' -e 's/\xe2\x80\x90/-/g' -e 's/.\x08//g' "$tmp/man.txt"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS 'EXIT STATUS'; do
    grep -q "^$section\$" "$tmp/man.txt" || fail "man page has no $section section"
done
grep -q '^\.TH SMAUDIT 1 ' "$man_page" || fail "man page has no .TH SMAUDIT 1"
grep -q '^smaudit - ' <(sed -n '/^NAME$/,/^SYNOPSIS$/p' "$tmp/man.txt" | sed 's/^ *//') ||
    fail "NAME is not 'smaudit - ...'"

# Every subcommand and option --help lists: options are the words starting with - at the start
# of an option line (`  -o,--output TEXT`).
help_options() {
    "$bin" "$@" --help | grep -E '^  -' | sed -E 's/^  ([^ ]+).*/\1/' | tr ',' '\n'
}
subcommands=$("$bin" --help | sed -n '/^Subcommands:/,/^$/p' | grep -E '^  [a-z]' | awk '{print $1}')
[ "$(echo "$subcommands" | wc -w)" -ge 5 ] || fail "found only subcommands: $subcommands"
checked=0
for sub in "" $subcommands; do
    if [ -n "$sub" ]; then
        grep -q "^ *smaudit $sub\$" "$tmp/man.txt" || fail "man page has no section for $sub"
    fi
    for option in $(help_options $sub); do
        checked=$((checked + 1))
        # The option at the start of its entry (`--format TEXT`, `-o, --output TEXT`).
        grep -qE -- "^ +(-[a-z], )?$option(,| |\$)" "$tmp/man.txt" ||
            fail "man page does not list ${sub:-smaudit}'s $option"
    done
done
[ "$checked" -ge 40 ] || fail "only $checked options checked"
if "$bin" audit --help | grep -q -- '--format.*github'; then
    grep -q 'github, gitlab' "$tmp/man.txt" || fail "man page does not list --format's values"
fi

# The completion, in bash: COMPREPLY for the words so far (the last one being completed).
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _smaudit
             printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@" | sort
}
expect() {
    local want=$1
    shift
    local got
    got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
}
rule_ids=$("$bin" rules --implemented --format json |
    /usr/bin/python3 -c 'import json,sys; print("\n".join(r["id"] for r in json.load(sys.stdin)["rules"]))')
ids_s02=$(echo "$rule_ids" | grep '^SM-S02' | sort | tr '\n' ' ' | sed 's/ $//')
[ -n "$ids_s02" ] || fail "no SM-S02x rule in the registry"
expect "$ids_s02" smaudit explain SM-S02
expect "$(echo "$rule_ids" | grep '^SM-C00' | sed 's/^/SM-S023,/' | sort | tr '\n' ' ' | sed 's/ $//')" \
    smaudit audit --select SM-S023,SM-C00
expect "$ids_s02" smaudit /etc/mail --ignore SM-S02
[ "$(complete_words smaudit explain '' | wc -l)" = "$(echo "$rule_ids" | wc -l)" ] ||
    fail "explain does not offer every rule ID"
expect "$(echo $subcommands | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" smaudit ''
expect "github gitlab" smaudit audit --format gi
expect "github gitlab" smaudit audit --format = gi
expect "high" smaudit /etc/mail --fail-on hi
expect "--fail-on --fix --format" smaudit audit --f
expect "--implemented" smaudit rules --im
expect "" smaudit audit --output sm
bash -c 'source "$1"; complete -p smaudit' _ "$completion" | grep -q -- '-F _smaudit smaudit' ||
    fail "the script does not register _smaudit for smaudit"

echo "installed 3 files; man page rendered by $renderer, $checked options of --help found in it"
exit $failed
