#!/bin/sh
# tests/explain/consistency.sh BIN [PYTHON] - `explain` gives the decision
# `reconcile` gives.
#
# For two generated scenarios (bench/gen.py: messy seed 11, and held-out
# wordings with a meaningless person-ID label, seed 12; EXPLAIN_ROWS tax
# rows, default 1500): reconcile, then explain every row of employees.csv
# (--row SOURCE) and every listed employer (--employer) in one JSON run, and
# compare field by field: status, reason, rule, confidence, covered months,
# other employer, flags, arrears; employer finding, rank, counts, arrears.
# Prints one line per scenario and "explain-consistency: N passed, N failed".
set -u
BIN=${1:?usage: tests/explain/consistency.sh BIN [PYTHON]}
PY=${2:-/usr/bin/python3}
ROWS=${EXPLAIN_ROWS:-1500}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sirecon-explain.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for sc in "11 messy own" "12 clean heldout --hide-id-label"; do
    set -- $sc
    seed=$1 flavor=$2 words=$3 hide=${4:-}
    d=$tmp/s$seed
    name="explain-consistency seed=$seed $flavor $words${hide:+ hide}"
    # shellcheck disable=SC2086
    "$PY" "$root/bench/gen.py" -q --seed "$seed" --tax-rows "$ROWS" --flavor "$flavor" \
        --wordings "$words" $hide --out "$d" || { echo "$name: generator failed FAIL"; fail=$((fail + 1)); continue; }
    inputs="-t tax -s si -e employers.csv --identities identities.csv -p 2025"
    # shellcheck disable=SC2086
    (cd "$d" && "$BIN" reconcile $inputs -o out --formats csv -q)
    rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "$name: reconcile exit $rc FAIL"
        fail=$((fail + 1))
        continue
    fi
    # the queries: every employees.csv source and every listed employer
    "$PY" - "$d/out" >"$d/queries" <<'PYEOF'
import csv, sys
out = sys.argv[1]
with open(out + "/employees.csv", encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        print("--row"); print(r["source"])
with open(out + "/employers.csv", encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        print("--employer"); print(r["employer_tax_id"])
PYEOF
    # shellcheck disable=SC2086
    (cd "$d" && tr '\n' '\0' <queries | xargs -0 "$BIN" explain $inputs --format json -q >explain.json)
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "$name: explain exit $rc FAIL"
        fail=$((fail + 1))
        continue
    fi
    if "$PY" - "$d" "$name" <<'PYEOF'
import csv, json, sys
d, name = sys.argv[1], sys.argv[2]
ex = json.load(open(d + "/explain.json", encoding="utf-8"))
rows = {}
emps = {}
for q in ex:
    if q["query"] == "row":
        recs = [r for r in q["records"] if r["source"] == q["value"]]
        if len(recs) == 1:
            rows[q["value"]] = recs[0]
    elif q["query"] == "employer" and q["found"]:
        emps[q["value"]] = q["employer_view"]
bad = []
n = 0
with open(d + "/out/employees.csv", encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        n += 1
        e = rows.get(r["source"])
        if e is None:
            bad.append("%s: not explained" % r["source"]); continue
        for k_csv, k_js in (("status", "status"), ("reason", "reason"), ("rule", "rule"),
                            ("confidence", "confidence"), ("covered_months", "covered_months"),
                            ("other_employer_tax_id", "other_employer_tax_id"), ("flags", "flags"),
                            ("employer_tax_id", "employer_tax_id"), ("full_name", "full_name"),
                            ("taxable_income", "taxable_income")):
            if str(e.get(k_js, "")) != r[k_csv]:
                bad.append("%s: %s reconcile=%r explain=%r" % (r["source"], k_csv, r[k_csv], e.get(k_js)))
        if not e["steps"] and r["status"] != "":
            bad.append("%s: no steps" % r["source"])
m = 0
with open(d + "/out/employers.csv", encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        m += 1
        e = emps.get(r["employer_tax_id"])
        if e is None:
            bad.append("employer %s: not explained" % r["employer_tax_id"]); continue
        for k in ("rank", "finding", "taxed", "enrolled", "not_enrolled", "partial",
                  "covered_elsewhere", "review", "est_arrears", "trend"):
            if str(e.get(k, "")) != r[k]:
                bad.append("employer %s: %s reconcile=%r explain=%r" % (r["employer_tax_id"], k, r[k], e.get(k)))
        s = sum(e[k] for k in ("not_enrolled",)) 
        got = sum(x.get("est_arrears", 0) for x in e["records"].get("not_enrolled", []))
        if got != e["est_arrears"]:
            bad.append("employer %s: record arrears sum %d != %d" % (r["employer_tax_id"], got, e["est_arrears"]))
if n == 0 or m == 0:
    bad.append("nothing compared (%d rows, %d employers)" % (n, m))
print("%s: %d employee rows, %d employers compared, %d differences %s"
      % (name, n, m, len(bad), "ok" if not bad else "FAIL"))
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad else 0)
PYEOF
    then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "explain-consistency: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
