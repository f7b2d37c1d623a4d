#!/bin/sh
# bench/national.sh BIN [ROWS] [RUNS] - national-shape speed and memory
# (`make bench-national`), side by side with DuckDB when it can be.
#
# With ../shared/bench/side_by_side.sh next to the repository (or SHARED=dir)
# and node + npm on the machine: runs it (it generates and caches the data,
# installs DuckDB from npm, alternates DuckDB and sirecon runs and prints
# the medians and the ratios).  Otherwise: generates a national-shape pair
# with bench/national.py and prints sirecon's median wall time, rows/s and
# peak RSS alone.  Either way it ends with the SHA-256 of the last run's
# employers.csv and employees.csv, compared with the checksums saved by the
# first run on the same data (WORK/checksums): SAME or DIFFERENT, so an
# optimisation can show that its results did not change.
# WORK (default build/bench-national) holds data, DuckDB and checksums.
set -u
BIN=${1:?usage: bench/national.sh BIN [ROWS] [RUNS]}
ROWS=${2:-1000000}
RUNS=${3:-3}
PY=${PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$root/../shared/bench}
WORK=${WORK:-$root/build/bench-national}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
mkdir -p "$WORK"
if [ -x /usr/bin/time ]; then :; else
    echo "bench-national: /usr/bin/time is missing (Debian package 'time')" >&2
    exit 1
fi
if [ -f "$SHARED/side_by_side.sh" ] && command -v node >/dev/null && command -v npm >/dev/null; then
    echo "bench-national: $SHARED/side_by_side.sh, $ROWS rows, $RUNS runs (DuckDB side by side)"
    bash "$SHARED/side_by_side.sh" "$BIN" "$WORK" "$ROWS" "$RUNS" | tee "$WORK/side_by_side.log"
    out=$WORK/sirecon-out
    key=shared-$ROWS
    # rows/s and the stages, from the medians line and the last run's run.json
    "$PY" - "$WORK/side_by_side.log" "$ROWS" "$out/run.json" <<'PYEOF' || exit 1
import json, re, sys
last = [l for l in open(sys.argv[1]) if l.startswith("rows ")]
if not last:
    sys.exit("bench-national: side_by_side.sh printed no result line")
m = re.search(r"sirecon ([0-9.]+) s ([0-9]+) MiB", last[-1])
n = int(sys.argv[2])
wall, mib = float(m.group(1)), int(m.group(2))
st = json.load(open(sys.argv[3]))["measured"]["stage_seconds"]
print("rows %d: sirecon %.0f tax rows/s, peak %d MiB (%.0f bytes/tax row); last run: "
      "load %.2f s, match %.2f s, report %.2f s" % (n, n / wall, mib, mib * 1048576 / n,
                                                    st["load"], st["match"], st["report"]))
PYEOF
else
    data=$WORK/own-$ROWS
    if [ ! -s "$data/si.csv" ]; then
        echo "bench-national: generating $ROWS tax rows into $data" >&2
        rm -rf "$data.tmp"
        "$PY" "$here/national.py" --rows "$ROWS" --out "$data.tmp" || exit 1
        mv "$data.tmp" "$data"
    fi
    out=$WORK/own-out
    key=own-$ROWS
    : >"$WORK/times"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %M" -o "$WORK/t" "$BIN" reconcile -q -t "$data/tax.csv" \
            -s "$data/si.csv" --formats csv -o "$out" --force
        tail -n 1 "$WORK/t" >>"$WORK/times"
        i=$((i + 1))
    done
    "$PY" - "$WORK/times" "$ROWS" "$out/run.json" <<'PYEOF'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
wall = statistics.median(float(r[0]) for r in rows)
rss = statistics.median(int(r[1]) for r in rows) / 1024
run = json.load(open(sys.argv[3]))
st = run["measured"]["stage_seconds"]
print("rows %d: sirecon %.2f s (load %.2f, match %.2f, report %.2f), %.0f tax rows/s, "
      "peak %.0f MiB, %.0f bytes/tax row (no DuckDB here)"
      % (n, wall, st["load"], st["match"], st["report"], n / wall, rss, rss * 1048576 / n))
PYEOF
fi
sums=$(cd "$out" && sha256sum employers.csv employees.csv)
echo "$sums"
if [ -f "$WORK/checksums-$key" ]; then
    if [ "$sums" = "$(cat "$WORK/checksums-$key")" ]; then
        echo "bench-national: results SAME as the first run on this data"
    else
        echo "bench-national: results DIFFERENT from the first run on this data" >&2
        exit 1
    fi
else
    echo "$sums" >"$WORK/checksums-$key"
    echo "bench-national: checksums saved in $WORK/checksums-$key"
fi
