#!/usr/bin/python3
"""score.py - compare a sirecon run with the ground truth of bench/gen.py.

    bench/score.py --truth DIR --out OUTDIR [--label TEXT] [--show N]

Reads DIR/truth.csv (+ truth_duplicates.csv, truth_employers.csv) and the run's
OUTDIR/employees.csv and OUTDIR/employers.csv (docs/architecture.md, "Outputs").  A tax row is joined
by basename(source PATH) + LINE.  employees.csv lists the non-ENROLLED records of
listed employers plus every REVIEW record, so a row absent from it is "not
NOT_ENROLLED".  Rows marked DUPLICATE in the truth (second copy of an exact
duplicate row, merged by the tool) are ignored; an output row that points at one
is credited to the first copy.

Gates (exit 1 when one fails; docs/architecture.md, "Quality gates"):
  NOT_ENROLLED precision >= 0.999 and recall >= 0.995 (employee level)
  listed employers == truth (employers with >= 1 NOT_ENROLLED); an employer
    whose only violations are PARTIAL (finding PARTIAL_ENROLLMENT) may be listed
    or not, but if listed its finding must be PARTIAL_ENROLLMENT
  no false NO_SI_REGISTRATION
  every DEDUCTED_NOT_ENROLLED truth row reported with that flag
Reported, not gated: REVIEW / COVERED_ELSEWHERE / PARTIAL agreement on the rows
present, missed NO_SI_REGISTRATION findings.

No personal identifier is ever printed: mismatches are shown as file:line and
employers by the last 4 digits of their code plus the file:line of their first row.
Exit status: 0 pass, 1 fail, 2 usage or unreadable input.
"""
import argparse
import csv
import os
import re
import sys

MIN_PRECISION = 0.999
MIN_RECALL = 0.995


def read_csv(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.DictReader(f))


def mask(code):
    code = code or ''
    return '*' * max(0, len(code) - 4) + code[-4:]


def norm_emp(s):
    s = re.sub(r'[^0-9]', '', s or '')
    return s[:10] if len(s) == 13 else s


def ratio(a, b):
    return a / b if b else 1.0


def main(argv=None):
    ap = argparse.ArgumentParser(description='score a sirecon run against generated truth')
    ap.add_argument('--truth', required=True, help='scenario folder written by bench/gen.py')
    ap.add_argument('--out', required=True, help='sirecon output folder')
    ap.add_argument('--label', default='', help='prefix of the summary line')
    ap.add_argument('--show', type=int, default=5, help='mismatches shown per kind')
    a = ap.parse_args(argv)

    try:
        truth = read_csv(os.path.join(a.truth, 'truth.csv'))
        temps = read_csv(os.path.join(a.truth, 'truth_employers.csv'))
        dpath = os.path.join(a.truth, 'truth_duplicates.csv')
        dups = read_csv(dpath) if os.path.exists(dpath) else []
        emps_out = read_csv(os.path.join(a.out, 'employers.csv'))
        ees_out = read_csv(os.path.join(a.out, 'employees.csv'))
    except (OSError, csv.Error, UnicodeDecodeError) as e:
        print('score: %s' % e, file=sys.stderr)
        return 2
    for need, rows, path in ((('source', 'status', 'flags'), ees_out, 'employees.csv'),
                             (('employer_tax_id', 'finding'), emps_out, 'employers.csv')):
        if rows and any(k not in rows[0] for k in need):
            print('score: %s: missing column(s) %s' % (
                path, ', '.join(k for k in need if k not in rows[0])), file=sys.stderr)
            return 2

    dup_of = {(d['file'], int(d['line'])): (d['file'], int(d['dup_of_line'])) for d in dups}
    tmap = {}
    first_row = {}
    for t in truth:
        key = (t['file'], int(t['line']))
        tmap[key] = t
        first_row.setdefault(t['employer_tax_id'], '%s:%s' % key)

    # ---- employees.csv ------------------------------------------------------
    pred = {}
    unknown = []
    for k, e in enumerate(ees_out, start=2):
        src = e.get('source', '')
        path, _, line = src.rpartition(':')
        if not line.isdigit():
            unknown.append('employees.csv:%d (source not FILE:LINE)' % k)
            continue
        key = (os.path.basename(path), int(line))
        key = dup_of.get(key, key)
        if key not in tmap:
            unknown.append('employees.csv:%d -> %s:%s (no such tax row)' % (k, key[0], key[1]))
            continue
        flags = set(re.split(r'[\s;|,]+', e.get('flags', '') or ''))
        pred[key] = (e.get('status', ''), 'DEDUCTED_NOT_ENROLLED' in flags)

    tp = fp = fn = 0
    fps, fns, dne_miss, other = [], [], [], []
    dne_total = dne_found = 0
    conf = {}
    for key, t in tmap.items():
        ts = t['status']
        if ts == 'DUPLICATE':
            continue
        ps, pflag = pred.get(key, ('ABSENT', False))
        conf[(ts, ps)] = conf.get((ts, ps), 0) + 1
        where = '%s:%d' % key
        if ts == 'NOT_ENROLLED' and ps == 'NOT_ENROLLED':
            tp += 1
        elif ps == 'NOT_ENROLLED':
            fp += 1
            fps.append('%s truth %s got NOT_ENROLLED' % (where, ts))
        elif ts == 'NOT_ENROLLED':
            fn += 1
            fns.append('%s truth NOT_ENROLLED got %s' % (where, ps))
        elif ts != ps and not (ps == 'ABSENT' and ts in ('ENROLLED', 'PARTIAL', 'COVERED_ELSEWHERE')):
            other.append('%s truth %s got %s' % (where, ts, ps))
        if t['deducted_not_enrolled'] == '1':
            dne_total += 1
            if ps == 'NOT_ENROLLED' and pflag:
                dne_found += 1
            else:
                dne_miss.append('%s DEDUCTED_NOT_ENROLLED not reported (got %s%s)' % (
                    where, ps, ', no flag' if ps == 'NOT_ENROLLED' else ''))
    precision = ratio(tp, tp + fp)
    recall = ratio(tp, tp + fn)

    # ---- employers.csv -------------------------------------------------------
    tfind = {e['employer_tax_id']: e['finding'] for e in temps}
    must = {k for k, f in tfind.items() if f in ('NO_SI_REGISTRATION', 'UNDER_ENROLLMENT')}
    may = {k for k, f in tfind.items() if f == 'PARTIAL_ENROLLMENT'}
    listed = {}
    for e in emps_out:
        listed[norm_emp(e['employer_tax_id'])] = e.get('finding', '')
    missing = sorted(must - set(listed))
    extra = sorted(set(listed) - must - may)
    bad_partial = sorted(k for k in set(listed) & may if listed[k] != 'PARTIAL_ENROLLMENT')
    false_nosi = sorted(k for k, f in listed.items()
                        if f == 'NO_SI_REGISTRATION' and tfind.get(k) != 'NO_SI_REGISTRATION')
    nosi_truth = {k for k, f in tfind.items() if f == 'NO_SI_REGISTRATION'}
    nosi_missed = sorted(k for k in nosi_truth if listed.get(k) != 'NO_SI_REGISTRATION')
    emp_ok = not missing and not extra and not bad_partial
    listed_must = len(must & set(listed))

    ok = (precision >= MIN_PRECISION and recall >= MIN_RECALL and emp_ok and not false_nosi
          and dne_found == dne_total)
    label = (a.label + ': ') if a.label else ''
    print('%sprecision %.4f recall %.4f employers %d/%d%s no_si %d/%d%s dne %d/%d %s' % (
        label, precision, recall, listed_must, len(must),
        '' if emp_ok else ' (+%d extra, %d bad partial)' % (len(extra), len(bad_partial)),
        len(nosi_truth) - len(nosi_missed), len(nosi_truth),
        ' (%d false)' % len(false_nosi) if false_nosi else '',
        dne_found, dne_total, 'PASS' if ok else 'FAIL'))

    def show(title, items):
        if items:
            print('  %s: %d' % (title, len(items)))
            for s in items[:a.show]:
                print('    ' + s)

    def emp_desc(k):
        return 'employer %s (first row %s, truth %s, got %s)' % (
            mask(k), first_row.get(k, '-'), tfind.get(k, 'not in truth'),
            listed.get(k, 'not listed'))

    show('false NOT_ENROLLED', fps)
    show('missed NOT_ENROLLED', fns)
    show('DEDUCTED_NOT_ENROLLED missed', dne_miss)
    show('employers missing from the list', [emp_desc(k) for k in missing])
    show('employers listed wrongly', [emp_desc(k) for k in extra])
    show('PARTIAL_ENROLLMENT employers with another finding', [emp_desc(k) for k in bad_partial])
    show('false NO_SI_REGISTRATION', [emp_desc(k) for k in false_nosi])
    if not ok or os.environ.get('SCORE_VERBOSE'):
        show('NO_SI_REGISTRATION not found (not gated)', [emp_desc(k) for k in nosi_missed])
        show('other status differences (not gated)', other)
        show('output rows not in the truth', unknown)
        if os.environ.get('SCORE_VERBOSE'):
            print('  confusion (truth -> output: rows):')
            for (ts, ps), n in sorted(conf.items()):
                print('    %-18s -> %-18s %d' % (ts, ps, n))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
