#!/usr/bin/python3
"""fake_run.py - write the employees.csv / employers.csv a perfect sirecon run
would write for a bench/gen.py scenario (docs/architecture.md, "Outputs"), optionally damaged,
to test bench/score.py without the tool.

    tests/truth/fake_run.py --truth DIR --out OUT [--perturb KIND] [--seed S]

KIND (what the scorer must then say):
  none          perfect                                  -> pass
  dup-source    NE rows of duplicated persons point at
                the duplicate copy's line                 -> pass
  drop-ne       1 % (at least 1) NOT_ENROLLED rows left out -> fail (recall)
  false-ne      a few absent rows reported NOT_ENROLLED   -> fail (precision)
  extra-emp     one NONE employer listed                  -> fail (employers)
  miss-emp      one listed employer left out              -> fail (employers)
  false-nosi    one UNDER_ENROLLMENT said NO_SI_REGISTRATION -> fail
  drop-dne      one DEDUCTED_NOT_ENROLLED flag dropped     -> fail
"""
import argparse
import csv
import os
import random
import sys

EE_COLS = ['employer_tax_id', 'employer_name', 'full_name', 'person_id', 'id_kind',
           'birth_date', 'schedule', 'taxable_income', 'insurance_deduction', 'status',
           'reason', 'rule', 'confidence', 'covered_months', 'other_employer_tax_id',
           'flags', 'source']
ER_COLS = ['rank', 'employer_tax_id', 'employer_name', 'area', 'finding', 'taxed', 'enrolled',
           'not_enrolled', 'partial', 'covered_elsewhere', 'review', 'deducted_not_enrolled',
           'coverage_pct', 'unenrolled_income', 'est_arrears', 'trend']


def read(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--truth', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--perturb', default='none')
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    truth = read(os.path.join(a.truth, 'truth.csv'))
    temps = read(os.path.join(a.truth, 'truth_employers.csv'))
    dups = read(os.path.join(a.truth, 'truth_duplicates.csv'))
    find = {e['employer_tax_id']: e['finding'] for e in temps}
    listed = [e for e in temps if e['finding'] in ('NO_SI_REGISTRATION', 'UNDER_ENROLLMENT')]
    listed_set = {e['employer_tax_id'] for e in listed}
    dup_back = {(d['file'], d['dup_of_line']): d['line'] for d in dups}
    k = a.perturb
    if k == 'extra-emp':
        none = sorted(e for e, f in find.items() if f == 'NONE')
        listed.append({'employer_tax_id': none[0], 'finding': 'UNDER_ENROLLMENT'})
        listed_set.add(none[0])
    elif k == 'miss-emp':
        gone = listed.pop(0)['employer_tax_id']
        listed_set.discard(gone)
    elif k == 'false-nosi':
        for e in listed:
            if e['finding'] == 'UNDER_ENROLLMENT':
                e['finding'] = 'NO_SI_REGISTRATION'
                break
    rows = []
    ne_rows = [t for t in truth if t['status'] == 'NOT_ENROLLED']
    drop = set()
    if k == 'drop-ne':
        n = max(1, len(ne_rows) // 100)
        drop = {(t['file'], t['line']) for t in rnd.sample(ne_rows, n)}
    false_ne = set()
    if k == 'false-ne':
        cand = [t for t in truth if t['status'] == 'ENROLLED' and t['employer_tax_id'] in listed_set]
        false_ne = {(t['file'], t['line']) for t in rnd.sample(cand, min(len(cand), 5))}
    dropped_flag = False
    for t in truth:
        st = t['status']
        key = (t['file'], t['line'])
        if st == 'DUPLICATE' or key in drop:
            continue
        if key in false_ne:
            st = 'NOT_ENROLLED'
        if not ((t['employer_tax_id'] in listed_set and st != 'ENROLLED') or st == 'REVIEW'):
            continue
        flags = 'DEDUCTED_NOT_ENROLLED' if t['deducted_not_enrolled'] == '1' else ''
        if flags and k == 'drop-dne' and not dropped_flag:
            flags, dropped_flag = '', True
        line = t['line']
        if k == 'dup-source' and key in dup_back:
            line = dup_back[key]
        r = dict.fromkeys(EE_COLS, '')
        r.update(employer_tax_id=t['employer_tax_id'], status=st, flags=flags,
                 person_id='********1234', source=os.path.join(a.truth, 'tax', t['file']) + ':' + line)
        rows.append(r)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, 'employees.csv'), 'w', encoding='utf-8-sig', newline='') as f:
        w = csv.DictWriter(f, EE_COLS)
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(a.out, 'employers.csv'), 'w', encoding='utf-8-sig', newline='') as f:
        w = csv.DictWriter(f, ER_COLS)
        w.writeheader()
        for i, e in enumerate(listed, 1):
            r = dict.fromkeys(ER_COLS, '')
            r.update(rank=i, employer_tax_id=e['employer_tax_id'], finding=e['finding'])
            w.writerow(r)
    return 0


if __name__ == '__main__':
    sys.exit(main())
