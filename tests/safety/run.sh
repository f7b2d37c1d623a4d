#!/bin/sh
# Output safety (SPEC §5.3): a full disk, an unwritable place and a run
# killed at any moment never leave a half-written folder under the final
# name; the next run cleans up what a killed one left.
# Usage: run.sh BIN PYTHON.  Prints one line per case and "N passed, N failed".
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PY=${2:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S="$ROOT/fixtures/sample"
pass=0 fail=0 skip=0
work=$(mktemp -d)
trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
run() { "$BIN" reconcile -q -t "$S/tax.csv" -s "$S/si.csv" -e "$S/employers.csv" "$@"; }

# 1. disk full: a 16 KiB tmpfs holds the folder but not the workbook
mkdir "$work/full"
if mount -t tmpfs -o size=16k tmpfs "$work/full" 2>/dev/null; then
    run -o "$work/full/out" 2>"$work/err"
    rc=$?
    if [ $rc -ne 74 ]; then bad disk_full "exit $rc, expected 74: $(cat "$work/err")"
    elif [ -e "$work/full/out" ]; then bad disk_full "a folder was left under the final name"
    elif ls -A "$work/full" | grep -q .; then bad disk_full "temporary files left: $(ls -A "$work/full")"
    elif ! grep -q 'No space left on device' "$work/err"; then bad disk_full "message: $(cat "$work/err")"
    else ok disk_full; fi
    umount "$work/full"
else
    echo "skip disk_full: cannot mount a tmpfs here (needs root)"; skip=$((skip + 1))
fi

# 2. an output place that cannot exist
run -o /dev/null/out 2>"$work/err"; rc=$?
if [ $rc -eq 73 ] && grep -q '/dev/null/out' "$work/err"; then ok unwritable
else bad unwritable "exit $rc: $(cat "$work/err")"; fi

# 3. SIGKILL at many moments of a --force run over an existing report
"$PY" "$ROOT/bench/gen.py" -q --seed 5 --tax-rows 60000 --flavor clean --out "$work/big" || { bad kill "generator failed"; }
run -o "$work/out" --formats csv
cp "$work/out/employers.csv" "$work/old-employers.csv"
kills_ok=1
for delay in 0.01 0.05 0.1 0.2 0.3 0.5 0.8 1.2; do
    "$BIN" reconcile -q -t "$work/big/tax" -s "$work/big/si" -e "$work/big/employers.csv" \
        -p 2025 -o "$work/out" --force &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ ! -d "$work/out" ]; then kills_ok=0; bad kill "no folder after kill at ${delay}s"; break; fi
    if cmp -s "$work/out/employers.csv" "$work/old-employers.csv"; then
        :   # the old report, intact
    elif [ -f "$work/out/run.json" ] && "$PY" -c "import json,sys; json.load(open(sys.argv[1]))" "$work/out/run.json" \
         && [ -f "$work/out/report.xlsx" ]; then
        run -o "$work/out" --force --formats csv   # back to the old one for the next round
        cp "$work/out/employers.csv" "$work/old-employers.csv"
    else
        kills_ok=0; bad kill "half-written folder after kill at ${delay}s: $(ls "$work/out")"; break
    fi
done
[ $kills_ok -eq 1 ] && ok kill_during_write
# the next run removes what killed runs left behind
run -o "$work/out" --force --formats csv
if ls -A "$work" | grep -q 'sirecon-tmp'; then bad cleanup "left: $(ls -A "$work" | grep sirecon-tmp)"
else ok cleanup_after_kill; fi

# 4. permissions
if [ "$(stat -c %a "$work/out")" = 700 ] && [ -z "$(find "$work/out" -type f ! -perm 600)" ]; then ok permissions
else bad permissions "$(stat -c %a "$work/out") / $(find "$work/out" -type f ! -perm 600)"; fi

if [ $skip -gt 0 ]; then echo "safety: $pass passed, $fail failed, $skip skipped"
else echo "safety: $pass passed, $fail failed"; fi
[ $fail -eq 0 ]
