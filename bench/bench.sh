#!/bin/sh
# bench/bench.sh BIN [N] [PYTHON] - benchmark sirecon on generated data (docs/architecture.md, "Speed and memory").
#
# Generates (once; cached in build/bench/N-seed1[-messy]) a scenario of N tax
# rows with bench/gen.py -- the clean flavor by default, like the DuckDB
# comparison of docs/architecture.md, "Speed and memory" (plain CSV); BENCH_FLAVOR=messy for the damaged one --
# runs `BIN reconcile ... --force --formats csv` under /usr/bin/time -v and
# prints input bytes, rows, wall seconds, rows/s, MB/s and peak RSS.
set -u
BIN=${1:?usage: bench/bench.sh BIN [N] [PYTHON]}
N=${2:-300000}
PY=${3:-/usr/bin/python3}
FLAVOR=${BENCH_FLAVOR:-clean}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time is missing (Debian package 'time'): sudo apt-get install -y time" >&2
    exit 1
fi
if [ ! -x "$BIN" ]; then
    echo "bench: $BIN: not an executable" >&2
    exit 1
fi
suffix=
[ "$FLAVOR" = clean ] || suffix=-$FLAVOR
dir=build/bench/$N-seed1$suffix
out=build/bench/out
if [ ! -f "$dir/scenario.json" ]; then
    echo "bench: generating $N tax rows ($FLAVOR) into $dir" >&2
    rm -rf "$dir.tmp" "$dir"
    mkdir -p build/bench
    "$PY" "$here/gen.py" --seed 1 --tax-rows "$N" --flavor "$FLAVOR" --out "$dir.tmp" || exit 1
    mv "$dir.tmp" "$dir" || exit 1
fi
tlog=build/bench/time.log
/usr/bin/time -v -o "$tlog" "$BIN" reconcile -t "$dir/tax" -s "$dir/si" -e "$dir/employers.csv" \
    -p 2025 -o "$out" --force --formats csv >build/bench/run.out 2>build/bench/run.err
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "bench: sirecon exited $rc" >&2
    tail -n 5 build/bench/run.err >&2
    exit 1
fi
"$PY" - "$dir" "$tlog" "$N" "$FLAVOR" <<'PYEOF'
import json, os, re, sys
d, tlog, n, flavor = sys.argv[1:5]
meta = json.load(open(os.path.join(d, 'scenario.json')))
t = open(tlog).read()
m = re.search(r'Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):([\d.]+)', t)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', t).group(1)) / 1024
user = float(re.search(r'User time \(seconds\): ([\d.]+)', t).group(1))
syst = float(re.search(r'System time \(seconds\): ([\d.]+)', t).group(1))
nbytes = 0
for sub in ('tax', 'si'):
    for fn in os.listdir(os.path.join(d, sub)):
        nbytes += os.path.getsize(os.path.join(d, sub, fn))
nbytes += os.path.getsize(os.path.join(d, 'employers.csv'))
tax = meta['tax_rows'] + meta['tax_duplicate_rows']
si = meta['si_rows']
w = max(wall, 1e-3)
print('bench: N=%s (%s, seed 1, %s)' % (n, flavor, d))
print('  input bytes   %d (%.1f MB)' % (nbytes, nbytes / 1e6))
print('  tax rows      %d' % tax)
print('  SI rows       %d' % si)
print('  wall seconds  %.2f (user %.2f, sys %.2f, cpu %.0f%%)' % (wall, user, syst, 100 * (user + syst) / w))
print('  rows/s        %d' % ((tax + si) / w))
print('  MB/s          %.1f' % (nbytes / 1e6 / w))
print('  peak RSS      %.1f MiB' % rss)
PYEOF
