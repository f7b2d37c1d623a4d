#!/bin/sh
# End-to-end goldens: every folder tests/e2e/<case>/ holds
#   args            the command line after "sirecon" (one shell line; may use $TMPD)
#   setup           optional shell script run first in the work folder
#   input files     whatever args names, relative to the case folder
#   expected/exit   the exit status
#   expected/stderr the standard error, exactly (may be left out when a
#                   check script looks at .stderr instead)
#   expected/stdout optional: the standard output, exactly
#   expected/out/*  optional: files that must appear, byte for byte, in the
#                   output folder "out" (employers.csv, employees.csv, ...)
#   check           optional shell script run after, in the work folder; it
#                   fails the case by exiting non-zero
# The case runs in a scratch copy of its folder with SOURCE_DATE_EPOCH fixed
# and LANG=C.  UPDATE=1 rewrites the goldens from what the tool does now.
# Prints one line per case and ends with "N passed, N failed".
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WRAP=${SIRECON_WRAP:-}
pass=0
fail=0
scratch=$(mktemp -d)
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

for dir in "$HERE"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/args" ] || continue
    work="$scratch/$name"
    mkdir -p "$work"
    (cd "$dir" && tar cf - --exclude=expected .) | (cd "$work" && tar xf -)
    why=""
    if [ -f "$dir/setup" ]; then
        (cd "$work" && TMPD="$work" BIN="$BIN" sh ./setup) >/dev/null 2>&1 || why="setup failed"
    fi
    args=$(cat "$dir/args")
    (cd "$work" && export TMPD="$work" SOURCE_DATE_EPOCH=1767225600 LANG=C LC_ALL= LC_MESSAGES= &&
        eval "$WRAP \"\$BIN\" $args" >"$work/.stdout" 2>"$work/.stderr" </dev/null)
    code=$?
    if [ "${UPDATE:-0}" = 1 ]; then
        mkdir -p "$dir/expected"
        echo "$code" >"$dir/expected/exit"
        [ -f "$dir/check" ] && [ ! -f "$dir/expected/stderr" ] || cp "$work/.stderr" "$dir/expected/stderr"
        [ -f "$dir/expected/stdout" ] && cp "$work/.stdout" "$dir/expected/stdout"
        if [ -d "$dir/expected/out" ]; then
            for f in "$dir"/expected/out/*; do
                cp "$work/out/$(basename "$f")" "$f"
            done
        fi
    fi
    exp=$(cat "$dir/expected/exit" 2>/dev/null)
    [ -z "$why" ] && [ "$code" != "$exp" ] && why="exit $code, expected $exp"
    if [ -z "$why" ] && [ -f "$dir/expected/stderr" ] && ! cmp -s "$work/.stderr" "$dir/expected/stderr"; then
        why="stderr differs: $(diff "$dir/expected/stderr" "$work/.stderr" | head -5 | tr '\n' ' ')"
    fi
    if [ -z "$why" ] && [ -f "$dir/expected/stdout" ] && ! cmp -s "$work/.stdout" "$dir/expected/stdout"; then
        why="stdout differs: $(diff "$dir/expected/stdout" "$work/.stdout" | head -5 | tr '\n' ' ')"
    fi
    if [ -z "$why" ] && [ -d "$dir/expected/out" ]; then
        for f in "$dir"/expected/out/*; do
            b=$(basename "$f")
            if ! cmp -s "$f" "$work/out/$b"; then
                why="out/$b differs: $(diff "$f" "$work/out/$b" 2>&1 | head -4 | tr '\n' ' ')"
                break
            fi
        done
    fi
    if [ -z "$why" ] && [ -f "$dir/check" ]; then
        msg=$(cd "$work" && TMPD="$work" BIN="$BIN" sh "$dir/check" 2>&1) || why="check: $msg"
    fi
    if [ -z "$why" ]; then
        echo "ok   $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name: $why"
        fail=$((fail + 1))
    fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
