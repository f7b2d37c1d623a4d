#!/bin/sh
# Formats: the same people (fixtures/formats/) written in every layout and
# encoding sirecon reads must give the same result.
#
#   tests/formats/run.sh BIN
#
# 1. The canonical run (tax_canonical.csv + si.csv) must equal the reviewed
#    goldens tests/formats/expected/{employers,employees}.csv.
# 2. Every tax variant (with si.csv), and tax_canonical.csv with every SI
#    variant, must give employers.csv byte for byte equal to the canonical
#    run's, and employees.csv equal with the source column (FILE:LINE, the
#    last) removed.  A variant whose IDs lost their leading zeros (Excel) must
#    also flag LEADING_ZERO_RESTORED on every listed employee; that flag is
#    then removed before comparing.
# 3. `BIN check FIXTURE` must print exactly tests/formats/check/FIXTURE.out
#    and exit 0.  UPDATE=1 rewrites those goldens from what the tool prints
#    now: review every line before committing (kind, encoding, delimiter,
#    header lines, columns, title-block values, row and ID counts).
#
# Prints one line per case and ends with "formats: N passed, N failed";
# exits non-zero when a case fails.  The output CSVs hold no quoted fields
# (no name in the fixtures has a comma), so fields are split on commas.
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$HERE/../../fixtures/formats" && pwd)
export SOURCE_DATE_EPOCH=1767225600 LANG=C
unset LC_ALL LC_MESSAGES
pass=0
fail=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

result() { # name why
    if [ -z "$2" ]; then
        echo "ok   $1"
        pass=$((pass + 1))
    else
        echo "FAIL $1: $2"
        fail=$((fail + 1))
    fi
}

# reconcile NAME ARGS...: run in the fixtures folder into $TMP/NAME; sets why
reconcile() {
    name=$1
    shift
    why=""
    (cd "$FIX" && "$BIN" reconcile "$@" -o "$TMP/$name" --formats csv \
        >"$TMP/$name.stdout" 2>"$TMP/$name.stderr" </dev/null)
    code=$?
    if [ "$code" != 1 ]; then
        why="exit $code, expected 1: $(head -2 "$TMP/$name.stderr" | tr '\n' ' ')"
    elif [ ! -f "$TMP/$name/employers.csv" ] || [ ! -f "$TMP/$name/employees.csv" ]; then
        why="employers.csv or employees.csv not written"
    fi
}

# employees.csv without its last column (source); with "zeros", fail unless
# every data row flags LEADING_ZERO_RESTORED, and drop that flag.
strip() { # file [zeros]
    awk -F, -v OFS=, -v zeros="${2:-}" '
        NR == 1 { NF--; print; next }
        {
            if (zeros != "") {
                n = split($16, fl, "|")
                out = ""
                seen = 0
                for (i = 1; i <= n; i++) {
                    if (fl[i] == "LEADING_ZERO_RESTORED") { seen = 1; continue }
                    out = out (out == "" ? "" : "|") fl[i]
                }
                if (!seen) { print "MISSING LEADING_ZERO_RESTORED: " $0; bad = 1 }
                $16 = out
            }
            NF--
            print
        }
        END { exit bad }' "$1"
}

# compare NAME [zeros]: $TMP/NAME against the canonical run
compare() {
    [ -n "$why" ] && return
    if ! cmp -s "$TMP/canonical/employers.csv" "$TMP/$1/employers.csv"; then
        why="employers.csv differs: $(diff "$TMP/canonical/employers.csv" "$TMP/$1/employers.csv" | head -4 | tr '\n' ' ')"
        return
    fi
    strip "$TMP/canonical/employees.csv" >"$TMP/$1.want"
    if ! strip "$TMP/$1/employees.csv" "${2:-}" >"$TMP/$1.got"; then
        why="employees.csv: $(grep '^MISSING' "$TMP/$1.got" | head -2 | tr '\n' ' ')"
        return
    fi
    if ! cmp -s "$TMP/$1.want" "$TMP/$1.got"; then
        why="employees.csv differs: $(diff "$TMP/$1.want" "$TMP/$1.got" | head -4 | tr '\n' ' ')"
    fi
}

# ---- the canonical run, against its reviewed goldens
reconcile canonical -t tax_canonical.csv -s si.csv
if [ -z "$why" ]; then
    for f in employers.csv employees.csv; do
        if ! cmp -s "$HERE/expected/$f" "$TMP/canonical/$f"; then
            why="$f differs from tests/formats/expected/$f: $(diff "$HERE/expected/$f" "$TMP/canonical/$f" | head -4 | tr '\n' ' ')"
            break
        fi
    done
fi
result canonical "$why"
if [ -n "$why" ]; then
    echo "formats: $pass passed, $((fail + 1)) failed (no canonical run to compare with)"
    exit 1
fi

# ---- tax variants, each with the canonical SI list
for t in tax_canonical.csv.gz tax_05-1_tt92.csv tax_semicolon_crlf_bom.csv \
         tax_utf16le.csv tax_cp1258.csv tax_tcvn3.csv tax_vni.csv; do
    name=${t%.csv*}
    [ "$t" = tax_canonical.csv.gz ] && name=tax_canonical_gz
    reconcile "$name" -t "$t" -s si.csv
    compare "$name"
    result "$name" "$why"
done
# one 05-1 appendix per employer, CCCDs without their leading zero
reconcile tax_05-1_tt80 -t tax_05-1_tt80_a.csv -t tax_05-1_tt80_b.csv -s si.csv
compare tax_05-1_tt80 zeros
result tax_05-1_tt80 "$why"
# the same first appendix as an Excel workbook: IDs and amounts stored as numbers
reconcile tax_05-1_tt80_xlsx -t ../xlsx/tax_05-1_tt80_a.xlsx -t tax_05-1_tt80_b.csv -s si.csv
compare tax_05-1_tt80_xlsx zeros
result tax_05-1_tt80_xlsx "$why"
# and as a legacy .xls workbook (fixtures/xls/make.py)
reconcile tax_05-1_tt80_xls -t ../xls/tax_05-1_tt80_a.xls -t tax_05-1_tt80_b.csv -s si.csv
compare tax_05-1_tt80_xls zeros
result tax_05-1_tt80_xls "$why"

# the same people as HTKK XML declarations, one per employer (05-1 appendix,
# and a 05-3 dependants' appendix that must not be read)
reconcile tax_htkk -t tax_htkk_0100233488.xml -t tax_htkk_0300588569.xml -s si.csv
compare tax_htkk
result tax_htkk "$why"

# ---- SI variants, with the canonical tax list
reconcile si_d02lt -t tax_canonical.csv -s si_d02lt_a.csv -s si_d02lt_b.csv
compare si_d02lt
result si_d02lt "$why"
reconcile si_export -t tax_canonical.csv -s si_export.csv
compare si_export
result si_export "$why"

# ---- sirecon check on every fixture
for path in "$FIX"/*; do
    f=$(basename "$path")
    gold="$HERE/check/$f.out"
    why=""
    (cd "$FIX" && "$BIN" check "$f" >"$TMP/check.out" 2>"$TMP/check.err" </dev/null)
    code=$?
    if [ "${UPDATE:-0}" = 1 ]; then
        mkdir -p "$HERE/check"
        cp "$TMP/check.out" "$gold"
    fi
    if [ "$code" != 0 ]; then
        why="exit $code, expected 0: $(head -2 "$TMP/check.err" | tr '\n' ' ')"
    elif [ ! -f "$gold" ]; then
        why="no golden tests/formats/check/$f.out"
    elif ! cmp -s "$gold" "$TMP/check.out"; then
        why="output differs: $(diff "$gold" "$TMP/check.out" | head -6 | tr '\n' ' ')"
    elif [ -s "$TMP/check.err" ]; then
        why="unexpected stderr: $(head -2 "$TMP/check.err" | tr '\n' ' ')"
    fi
    result "check $f" "$why"
done

echo "formats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
