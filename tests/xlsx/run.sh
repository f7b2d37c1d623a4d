#!/bin/sh
# tests/xlsx/run.sh BIN PYTHON - the real workbook read back by openpyxl.
#
# Runs `BIN reconcile` on the bundled sample in English (twice) and in
# Vietnamese with a fixed SOURCE_DATE_EPOCH, then tests/xlsx/check_xlsx.py on
# each report.xlsx, with the expected row counts taken from the CSV files of
# the same run (so workbook and CSV must agree), and compares the cell
# contents of the two English runs.  Prints one line per check and a final
# "N passed, N failed"; exits 1 when anything failed.
set -u

BIN=${1:?usage: run.sh BIN PYTHON}
PY=${2:-/usr/bin/python3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHECK="$HERE/check_xlsx.py"
EPOCH=1767225600
SAMPLE="$ROOT/fixtures/sample"

case $BIN in /*) ;; *) BIN="$PWD/$BIN" ;; esac
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "xlsx-check: ok   $*"; }
bad() { fail=$((fail + 1)); echo "xlsx-check: FAIL $*"; }

if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    echo "xlsx-check: FAIL $PY cannot import openpyxl (apt-get install python3-openpyxl)"
    exit 1
fi
for f in tax.csv si.csv employers.csv; do
    if [ ! -f "$SAMPLE/$f" ]; then
        echo "xlsx-check: FAIL missing sample input $SAMPLE/$f"
        exit 1
    fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sirecon-xlsx.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# rows of a CSV file of the run, header excluded (quoted newlines allowed)
csv_rows() {
    "$PY" -c 'import csv,sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    print(max(sum(1 for _ in csv.reader(f)) - 1, 0))' "$1"
}

# run NAME LANG: reconcile into $TMP/NAME and check its workbook
run() {
    name=$1 lang=$2 out="$TMP/$1"
    (cd "$ROOT" && SOURCE_DATE_EPOCH=$EPOCH "$BIN" reconcile \
        -t fixtures/sample/tax.csv -s fixtures/sample/si.csv \
        -e fixtures/sample/employers.csv -o "$out" --lang "$lang") \
        >"$TMP/$name.stdout" 2>"$TMP/$name.stderr"
    rc=$?
    if [ $rc -gt 1 ]; then
        bad "$name: reconcile exited $rc: $(head -n 3 "$TMP/$name.stderr")"
        return 1
    fi
    if [ ! -f "$out/report.xlsx" ]; then
        bad "$name: no $out/report.xlsx"
        return 1
    fi
    mode=$(stat -c %a "$out/report.xlsx")
    if [ "$mode" = 600 ]; then ok "$name: report.xlsx mode 0600"
    else bad "$name: report.xlsx mode $mode, expected 600"; fi
    counts=" --inputs 3"
    [ -f "$out/employers.csv" ] && counts="$counts --employers $(csv_rows "$out/employers.csv")"
    [ -f "$out/employees.csv" ] && counts="$counts --employees $(csv_rows "$out/employees.csv")"
    [ -f "$out/rejects.csv" ] && counts="$counts --rejects $(csv_rows "$out/rejects.csv")"
    # shellcheck disable=SC2086 # $counts is a list of options
    if "$PY" "$CHECK" "$out/report.xlsx" --lang "$lang" $counts --created $EPOCH \
        --dump "$TMP/$name.dump"; then
        ok "$name: workbook ($lang)$counts"
    else
        bad "$name: workbook ($lang) failed the checks above"
    fi
}

run en en
run en2 en
run vi vi

# same inputs, same SOURCE_DATE_EPOCH -> the same cells (docs/architecture.md, "Determinism")
if [ -f "$TMP/en.dump" ] && [ -f "$TMP/en2.dump" ]; then
    if cmp -s "$TMP/en.dump" "$TMP/en2.dump"; then
        ok "two runs give identical cell contents"
    else
        bad "two runs differ in cell contents:"
        diff "$TMP/en.dump" "$TMP/en2.dump" | head -n 10
    fi
fi

echo "xlsx-check: $pass passed, $fail failed"
[ $fail -eq 0 ]
