#!/bin/sh
# Output safety (docs/architecture.md, "Outputs"): a full disk, an unwritable place and a run
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
    elif [ "$(grep -c . "$work/err")" -ne 1 ] || grep -q '\[ERROR\]' "$work/err"; then
        bad disk_full "not one sirecon line (a library printed its own): $(cat "$work/err")"
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

# 5. inputs that never end, or end far too late: a clear error and exit 65
#    within a bounded time and memory (ulimit -v 400 MB, timeout 60 s), no
#    core.  An ASan/valgrind build cannot start under the limit: skipped.
limited() { # ulimit-KB command...: run it bounded, exit status in $rc
    lim=$1; shift
    (ulimit -c 0; ulimit -v "$lim"; exec timeout 60 "$@") >"$work/lim.out" 2>"$work/err" </dev/null
    rc=$?
}
limited 400000 "$BIN" --version
if [ $rc -ne 0 ]; then
    echo "skip bounded inputs: the binary cannot run under ulimit -v (a sanitizer build)"
    skip=$((skip + 6))
else
    limited 400000 "$BIN" check --as tax /dev/zero
    if [ $rc -eq 65 ] && grep -q '/dev/zero:1: a record longer than' "$work/err"; then ok dev_zero
    else bad dev_zero "exit $rc: $(head -c 300 "$work/err")"; fi
    limited 400000 "$BIN" reconcile -t /dev/urandom -s "$S/si.csv" -o "$work/ur"
    if [ $rc -eq 65 ] && grep -q '/dev/urandom' "$work/err" && [ ! -e "$work/ur" ]; then ok dev_urandom
    else bad dev_urandom "exit $rc: $(head -c 300 "$work/err")"; fi
    # a FIFO fed by a generator that never writes a line end
    mkfifo "$work/fifo"
    (head -c 100000000 /dev/zero | tr '\0' 'x' >"$work/fifo" 2>/dev/null &)
    limited 400000 "$BIN" check --as si "$work/fifo"
    if [ $rc -eq 65 ] && grep -q 'a record longer than' "$work/err"; then ok fifo_no_line_end
    else bad fifo_no_line_end "exit $rc: $(head -c 300 "$work/err")"; fi
    # 1 GB of blank lines under a header, 1 MB gzipped: refused past 100 MiB
    { printf 'Họ và tên,Số CCCD,Thu nhập chịu thuế\n'; head -c 1000000000 /dev/zero | tr '\0' '\n'; } |
        gzip -1 >"$work/bomb.csv.gz"
    limited 400000 "$BIN" check --as tax "$work/bomb.csv.gz"
    if [ $rc -eq 65 ] && grep -q 'bomb.csv.gz: decompresses to over 200 times' "$work/err"; then ok gzip_bomb
    else bad gzip_bomb "exit $rc: $(head -c 300 "$work/err")"; fi
    # an .xlsx whose sheet inflates to 400 MB of empty rows: refused early
    "$PY" - "$work/bomb.xlsx" <<'PYEOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
    f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    chunk = b' ' * (1 << 20)
    for _ in range(400):
        f.write(chunk)
    f.write(b'</sheetData></worksheet>')
z.close()
PYEOF
    limited 400000 "$BIN" check --as tax "$work/bomb.xlsx"
    if [ $rc -eq 65 ] && grep -q 'decompresses to over 200 times' "$work/err"; then ok xlsx_bomb
    else bad xlsx_bomb "exit $rc: $(head -c 300 "$work/err")"; fi
    # out of memory is exit 71 with its own message, not 70 (a bug)
    limited 45000 "$BIN" reconcile -q -t "$work/big/tax" -s "$work/big/si" -p 2025 \
        --formats csv -o "$work/oom"
    if [ $rc -eq 71 ] && grep -q 'out of memory' "$work/err" && [ ! -e "$work/oom" ]; then ok out_of_memory
    else bad out_of_memory "exit $rc: $(head -c 300 "$work/err")"; fi
fi

# 6. .xls files on which FreeXL 1.0.6 itself crashes or reads out of bounds
#    (found by fuzz_xls): a clean exit 65, never a crash of the run
for f in "$ROOT"/fuzz/corpus/xls/freexl-*.xls; do
    "$BIN" check "$f" >/dev/null 2>"$work/err"
    rc=$?
    if [ $rc -eq 65 ] && grep -q 'not a readable .xls workbook' "$work/err"; then ok "xls_crafted $(basename "$f")"
    else bad "xls_crafted $(basename "$f")" "exit $rc: $(head -c 300 "$work/err")"; fi
done

# 7. a large .gz is read as a stream: 200 MB of text, peak RSS well below it
{ printf 'Họ và tên,Số CCCD,Thu nhập chịu thuế,Ghi chú\n'
  base64 -w 76 /dev/urandom | tr -d '0-9+/' | head -c 200000000 | sed 's/^/,,,/'; } |
    gzip -1 >"$work/large.csv.gz"
/usr/bin/time -f %M -o "$work/rss" "$BIN" check --as tax "$work/large.csv.gz" >"$work/lim.out" 2>"$work/err"
rc=$?
rss=$(tail -1 "$work/rss")
# 100 MB: ample for the normal build (about 10 MB measured), and for ASan's.
# Every row is a note (no ID, no amount): all read, none loads, so check
# says the file is not usable (exit 65) after streaming it whole.
if [ $rc -eq 65 ] && grep -q 'usable: no (no data row loads)' "$work/lim.out" &&
   grep -q ' 0 loaded' "$work/lim.out" && [ "$rss" -lt 100000 ]; then
    ok "large_gz_streamed (peak RSS ${rss} KB for 200 MB inflated)"
else bad large_gz_streamed "exit $rc, peak RSS ${rss} KB: $(head -c 300 "$work/err")"; fi

if [ $skip -gt 0 ]; then echo "safety: $pass passed, $fail failed, $skip skipped"
else echo "safety: $pass passed, $fail failed"; fi
[ $fail -eq 0 ]
