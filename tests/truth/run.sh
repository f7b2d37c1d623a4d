#!/bin/sh
# tests/truth/run.sh BIN - ground-truth runs (docs/architecture.md, "Quality gates").
#
# For seeds 1, 2, 3 of the messy flavor, seed 1 of the clean flavor and six
# generalisation scenarios (below) (TRUTH_ROWS tax rows, default 3000):
# generate a scenario with bench/gen.py,
# run `BIN reconcile` on it (exit 0 or 1 is success), score the output with
# bench/score.py and print one line per scenario, then "N passed, N failed".
# Environment: PYTHON (default /usr/bin/python3), TRUTH_ROWS, SIRECON_WRAP
# (e.g. a valgrind command line), KEEP=1 keeps the temporary folder.
set -u
BIN=${1:?usage: tests/truth/run.sh BIN}
PY=${PYTHON:-/usr/bin/python3}
ROWS=${TRUTH_ROWS:-3000}
WRAP=${SIRECON_WRAP:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if [ ! -x "$BIN" ]; then
    echo "truth: $BIN: not an executable" >&2
    exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sirecon-truth.XXXXXX") || exit 2
if [ "${KEEP:-0}" = 1 ]; then
    echo "truth: keeping $tmp" >&2
else
    trap 'rm -rf "$tmp"' EXIT INT TERM
fi
pass=0
fail=0
# The last six are generalisation scenarios: headers in wordings the reader
# never saw (bench/gen.py UNSEEN, and HELDOUT, written after the reader was
# tuned on UNSEEN), columns shuffled, unrelated columns (phone, bank account,
# issue date...) added; "hide" labels the person-ID column with words that
# say nothing, so the reader must use it by its content or report it.
for sc in "1 messy" "2 messy" "3 messy" "1 clean" \
          "1 messy unseen" "2 clean unseen" "3 messy heldout" "4 clean heldout" \
          "4 messy unseen hide" "5 clean heldout hide"; do
    set -- $sc
    seed=$1 flavor=$2 words=${3:-own} hide=${4:+--hide-id-label}
    name="truth seed=$seed $flavor${3:+ $3}${4:+ $4}"
    d=$tmp/s$seed-$flavor
    o=$tmp/out-s$seed-$flavor
    d=$d-$words${4:+-hide}
    o=$o-$words${4:+-hide}
    # shellcheck disable=SC2086
    if ! "$PY" "$root/bench/gen.py" -q --seed "$seed" --tax-rows "$ROWS" --flavor "$flavor" \
            --wordings "$words" $hide --out "$d" 2>"$tmp/gen.err"; then
        echo "$name: generator failed FAIL"
        sed 's/^/  /' "$tmp/gen.err" | tail -n 5
        fail=$((fail + 1))
        continue
    fi
    # shellcheck disable=SC2086
    $WRAP "$BIN" reconcile -t "$d/tax" -s "$d/si" -e "$d/employers.csv" \
        --identities "$d/identities.csv" -p 2025 -o "$o" --formats csv \
        >"$tmp/run.out" 2>"$tmp/run.err"
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        echo "$name: sirecon exit $rc FAIL"
        sed 's/^/  /' "$tmp/run.err" | tail -n 5
        fail=$((fail + 1))
        continue
    fi
    if "$PY" "$root/bench/score.py" --truth "$d" --out "$o" --label "$name"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
