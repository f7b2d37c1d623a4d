#!/bin/sh
# tests/truth/selftest.sh - test the truth tooling without sirecon:
# the generator's files read back (check_gen.py), determinism (same seed, same
# bytes), and bench/score.py against a perfect run built from the truth (must
# pass) and damaged ones (must fail).  Prints "N passed, N failed".
set -u
PY=${PYTHON:-/usr/bin/python3}
ROWS=${TRUTH_ROWS:-3000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sirecon-selftest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { echo "selftest $1: PASS"; pass=$((pass + 1)); }
ko() { echo "selftest $1: FAIL"; fail=$((fail + 1)); }
for sc in "1 messy" "2 messy" "3 messy" "1 clean"; do
    set -- $sc
    d=$tmp/s$1-$2
    if "$PY" "$root/bench/gen.py" -q --seed "$1" --tax-rows "$ROWS" --flavor "$2" --out "$d" &&
        "$PY" "$here/check_gen.py" "$d" >"$tmp/chk" 2>&1; then ok "gen+check seed=$1 $2"
    else cat "$tmp/chk"; ko "gen+check seed=$1 $2"; fi
done
"$PY" "$root/bench/gen.py" -q --seed 1 --tax-rows "$ROWS" --flavor messy --out "$tmp/again"
if (cd "$tmp/s1-messy" && find . -type f ! -name scenario.json -exec sha256sum {} + | sort) >"$tmp/a" &&
    (cd "$tmp/again" && find . -type f ! -name scenario.json -exec sha256sum {} + | sort) >"$tmp/b" &&
    cmp -s "$tmp/a" "$tmp/b"; then ok "deterministic"; else ko "deterministic"; fi
for k in none:0 dup-source:0 drop-ne:1 false-ne:1 extra-emp:1 miss-emp:1 false-nosi:1 drop-dne:1; do
    kind=${k%:*} want=${k#*:}
    o=$tmp/fake-$kind
    "$PY" "$here/fake_run.py" --truth "$tmp/s1-messy" --out "$o" --perturb "$kind"
    "$PY" "$root/bench/score.py" --truth "$tmp/s1-messy" --out "$o" --label "$kind" >"$tmp/sc" 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then ok "score $kind (exit $got)"
    else cat "$tmp/sc"; ko "score $kind (exit $got, want $want)"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
