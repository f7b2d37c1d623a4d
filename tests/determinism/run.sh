#!/bin/sh
# Determinism (docs/architecture.md, "Determinism"): the same records, with rows shuffled, split over
# several files and given in another order, give byte-identical
# employers.csv, the same employees.csv apart from the source column, and
# the same counts in run.json.  Usage: run.sh BIN PYTHON.
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PY=${2:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
export SOURCE_DATE_EPOCH=1767225600

for seed in 11 12; do
    "$PY" "$ROOT/bench/gen.py" -q --seed $seed --tax-rows 4000 --flavor clean --out "$work/g$seed" || exit 1
    # shuffle every data row, split each side into three files, name them so
    # that they sort in another order than the original
    "$PY" - "$work/g$seed" "$work/s$seed" $seed <<'PYEOF'
import os, random, sys, glob
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
for side in ("tax", "si"):
    os.makedirs(os.path.join(dst, side))
    header, rows = None, []
    for f in sorted(glob.glob(os.path.join(src, side, "*.csv"))):
        with open(f, encoding="utf-8-sig", newline="") as fh:
            lines = fh.read().splitlines(keepends=True)
        header = lines[0]
        rows += lines[1:]
    rnd.shuffle(rows)
    parts = [rows[i::3] for i in range(3)]
    for i, part in enumerate(parts):
        with open(os.path.join(dst, side, "z%d-%s.csv" % (3 - i, side)), "w", encoding="utf-8", newline="") as fh:
            fh.write(header + "".join(part))
PYEOF
    for v in g s; do
        "$BIN" reconcile -q -t "$work/$v$seed/tax" -s "$work/$v$seed/si" -e "$work/g$seed/employers.csv" \
            --identities "$work/g$seed/identities.csv" -p 2025 -o "$work/out-$v$seed" --formats csv
        rc=$?
        [ $rc -le 1 ] || { echo "FAIL seed=$seed: exit $rc"; fail=$((fail + 1)); continue 2; }
        sed 's/,[^,]*$//' "$work/out-$v$seed/employees.csv" > "$work/emp-$v$seed"
        "$PY" -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['counts'], sort_keys=True))" \
            "$work/out-$v$seed/run.json" > "$work/counts-$v$seed"
    done
    if ! cmp -s "$work/out-g$seed/employers.csv" "$work/out-s$seed/employers.csv"; then
        echo "FAIL seed=$seed: employers.csv differs"; fail=$((fail + 1))
    elif ! cmp -s "$work/emp-g$seed" "$work/emp-s$seed"; then
        echo "FAIL seed=$seed: employees.csv differs: $(diff "$work/emp-g$seed" "$work/emp-s$seed" | head -3 | tr '\n' ' ')"; fail=$((fail + 1))
    elif ! cmp -s "$work/counts-g$seed" "$work/counts-s$seed"; then
        echo "FAIL seed=$seed: run.json counts differ"; fail=$((fail + 1))
    else
        echo "ok   seed=$seed: shuffled, split and reordered inputs give the same outputs ($(($(wc -l < "$work/emp-g$seed") - 1)) employee rows)"
        pass=$((pass + 1))
    fi
done
echo "determinism: $pass passed, $fail failed"
[ $fail -eq 0 ]
