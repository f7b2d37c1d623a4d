#!/bin/sh
# tests/explain/run.sh BIN - goldens of `sirecon explain`.
#
# Every line of tests/explain/cases names a case, the tests/e2e folder whose
# input files it reads, and the command line.  The command runs in a
# scratch copy of that folder (SOURCE_DATE_EPOCH fixed, LANG=C); its
# standard output, standard error and exit status, written one after the
# other, must equal tests/explain/expected/NAME.  UPDATE=1 rewrites them;
# SIRECON_WRAP runs the tool under e.g. valgrind.
# Ends with "explain: N passed, N failed".
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
WRAP=${SIRECON_WRAP:-}
e2e=$(cd "$here/../e2e" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0
fail=0
tab=$(printf '\t')
while IFS="$tab" read -r name dir args; do
    case $name in ''|'#'*) continue ;; esac
    work="$scratch/$name"
    mkdir -p "$work"
    (cd "$e2e/$dir" && tar cf - --exclude=expected .) | (cd "$work" && tar xf -)
    (cd "$work" && export SOURCE_DATE_EPOCH=1767225600 LANG=C LC_ALL= LC_MESSAGES= &&
        eval "$WRAP \"\$BIN\" $args" >.stdout 2>.stderr </dev/null; echo "--- exit $?" >.exit)
    { cat "$work/.stdout"; echo "--- stderr"; cat "$work/.stderr"; cat "$work/.exit"; } >"$work/.all"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$work/.all" "$here/expected/$name"
    fi
    if cmp -s "$work/.all" "$here/expected/$name"; then
        echo "ok   $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name: $(diff "$here/expected/$name" "$work/.all" 2>&1 | head -6 | tr '\n' ' ')"
        fail=$((fail + 1))
    fi
done <"$here/cases"
echo "explain: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
