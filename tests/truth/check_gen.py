#!/usr/bin/python3
"""check_gen.py DIR - sanity checks of a bench/gen.py scenario, read back from
the written files (not from the generator's model):

  - every employer code in the registry, the tax files and the SI files is a
    valid tax code once Excel damage is undone (".0", stripped leading 0, dash)
  - every legacy personal tax code (10 digits in the person's tax-code column)
    has a valid check digit
  - every CCCD (12 digits, or 11 with the 0 stripped) starts with a province
    001-096 and its century/sex digit and year digits agree with the birth
    date on the same row
  - truth.csv has exactly one row per tax data row (physical line), DUPLICATE
    rows are byte copies of their first copy, the truth employer is the
    row's parent code
  - truth_employers.csv agrees with truth.csv (counts, finding) and with the SI
    files (has_si)
Prints one line per problem (no personal IDs) and "check_gen: DIR ok" or exits 1.
"""
import csv
import os
import re
import sys

W = (31, 29, 23, 19, 17, 13, 7, 5, 3)
problems = []


def bad(msg):
    problems.append(msg)


def valid_tax(code):
    if len(code) not in (10, 13) or not code.isdigit() or code[2:9] == '0000000':
        return False
    if len(code) == 13 and code[10:] == '000':
        return False
    s = sum(w * int(c) for w, c in zip(W, code[:9]))
    r = s % 11
    return r != 0 and str((10 - r) % 10) == code[9]


def clean(s):
    s = s.strip().lstrip("'").replace(' ', '').replace('-', '')
    if s.endswith('.0'):
        s = s[:-2]
    return s.replace('.', '')


def emp_code(raw):
    s = clean(raw)
    if len(s) in (9, 12) and valid_tax('0' + s):
        s = '0' + s
    return s


def parse_date(s):
    s = s.strip()
    m = re.fullmatch(r'(\d{1,2})[/-](\d{1,2})[/-](\d{4})', s)
    if m:
        return int(m.group(3))
    m = re.fullmatch(r'(\d{4})-(\d{2})-(\d{2})', s)
    if m:
        return int(m.group(1))
    if re.fullmatch(r'\d{4}', s):
        return int(s)
    return None


def check_cccd(raw, year, where):
    s = clean(raw)
    if 'E+' in raw.upper() or not s.isdigit():
        return
    if len(s) == 11:
        s = '0' + s
    if len(s) != 12:
        return
    prov = int(s[:3])
    if not 1 <= prov <= 96:
        bad('%s: CCCD province %03d out of range' % (where, prov))
    if year is None:
        return
    c = int(s[3])
    cent = 1900 + 100 * (c // 2)
    if cent + int(s[4:6]) != year:
        bad('%s: CCCD birth digits disagree with the birth date' % where)


def read_rows(path, delim):
    with open(path, encoding='utf-8-sig', newline='') as f:
        data = f.read()
    lines = data.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return [ln.rstrip('\r') for ln in lines]


def main():
    d = sys.argv[1]
    reg = {}
    unit2emp = {}
    with open(os.path.join(d, 'employers.csv'), encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            code = row['employer_tax_id']
            if not valid_tax(code):
                bad('employers.csv: invalid tax code ...%s' % code[-4:])
            reg[code] = row
            unit2emp[row['unit_code']] = code[:10]
    zero = sum(1 for c in reg if c[0] == '0')
    if zero * 5 < len(reg):
        bad('employers.csv: few codes start with 0 (%d of %d)' % (zero, len(reg)))

    truth = {}
    with open(os.path.join(d, 'truth.csv'), encoding='utf-8', newline='') as f:
        for t in csv.DictReader(f):
            truth[(t['file'], int(t['line']))] = t
    dups = {}
    with open(os.path.join(d, 'truth_duplicates.csv'), encoding='utf-8', newline='') as f:
        for t in csv.DictReader(f):
            dups[(t['file'], int(t['line']))] = int(t['dup_of_line'])

    seen = set()
    for fn in sorted(os.listdir(os.path.join(d, 'tax'))):
        path = os.path.join(d, 'tax', fn)
        lines = read_rows(path, None)
        form_code = None
        if lines[0].startswith('05-1/BK-QTT-TNCN'):
            delim = ','
            for ln in lines[:9]:
                m = re.match(r'\[05\] Mã số thuế: (\S+)', ln)
                if m:
                    form_code = m.group(1)
            if not form_code or not valid_tax(form_code):
                bad('%s: no valid [05] tax code in the title block' % fn)
            first = 10
            cols = {'emp': None, 'tcode': 2, 'idno': 3, 'dob': None}
        else:
            delim = ';' if ';' in lines[0] else ','
            first = 2
            hdr = lines[0].split(delim)
            idx = {h: i for i, h in enumerate(hdr)}
            if 'employer_tax_id' in idx:
                cols = {'emp': idx['employer_tax_id'], 'tcode': idx['employee_tax_id'],
                        'idno': idx['id_number'], 'dob': idx['birth_date']}
            else:
                cols = {'emp': idx['Mã số thuế đơn vị'], 'tcode': idx['Mã số thuế'],
                        'idno': idx['Số CMND/CCCD/Hộ chiếu'], 'dob': idx['Ngày sinh']}
            header = lines[0]
        for no, ln in enumerate(lines, 1):
            if no < first or ln == '' or ln.startswith('Tổng cộng') or \
                    (form_code is None and ln == header):
                continue
            cells = ln.split(delim)
            key = (fn, no)
            seen.add(key)
            t = truth.get(key)
            if t is None:
                bad('%s:%d: data row without a truth row' % key)
                continue
            code = form_code if form_code else emp_code(cells[cols['emp']])
            if not valid_tax(code):
                bad('%s:%d: employer code invalid after repair' % key)
            if code[:10] != t['employer_tax_id']:
                bad('%s:%d: truth employer is not the row\'s parent code' % key)
            if t['status'] == 'DUPLICATE':
                orig = dups.get(key)
                if orig is None or lines[orig - 1] != ln:
                    bad('%s:%d: DUPLICATE row is not a copy of its first copy' % key)
            tc = clean(cells[cols['tcode']])
            if len(tc) == 10 and tc.isdigit() and not valid_tax(tc):
                bad('%s:%d: legacy tax code with a bad check digit' % key)
            if len(tc) == 9 and tc.isdigit() and len(set(tc)) > 1 and not valid_tax('0' + tc):
                bad('%s:%d: 9-digit tax code that no leading 0 repairs' % key)
            year = parse_date(cells[cols['dob']]) if cols['dob'] is not None else None
            for c in (cols['tcode'], cols['idno']):
                check_cccd(cells[c], year, '%s:%d' % key)
    for key in truth:
        if key not in seen:
            bad('%s:%d: truth row for a line that is not a data row' % key)

    has_si = set()
    nsi = 0
    for fn in sorted(os.listdir(os.path.join(d, 'si'))):
        lines = read_rows(os.path.join(d, 'si', fn), None)
        delim = ';' if ';' in lines[0] else ','
        hdr = lines[0].split(delim)
        idx = {h: i for i, h in enumerate(hdr)}
        if 'employer_tax_id' in idx:
            ce, cu, cs, ci, cd = (idx[k] for k in ('employer_tax_id', 'unit_code', 'si_number',
                                                   'id_number', 'birth_date'))
        else:
            ce, cu, cs, ci, cd = (idx[k] for k in ('Mã số thuế', 'Mã đơn vị', 'Mã số BHXH',
                                                   'Số CCCD/CMND/Hộ chiếu', 'Ngày sinh'))
        for no, ln in enumerate(lines[1:], 2):
            cells = ln.split(delim)
            nsi += 1
            raw = cells[ce]
            code = emp_code(raw) if raw else unit2emp.get(cells[cu], '')
            if not valid_tax(code):
                bad('%s:%d: SI employer unresolvable' % (fn, no))
            has_si.add(code[:10])
            year = parse_date(cells[cd])
            check_cccd(cells[ci], year, '%s:%d' % (fn, no))
            check_cccd(cells[cs], year, '%s:%d' % (fn, no))

    cnt = {}
    for t in truth.values():
        c = cnt.setdefault(t['employer_tax_id'], {'NOT_ENROLLED': 0, 'PARTIAL': 0, 'taxed': 0})
        if t['status'] == 'DUPLICATE':
            continue
        c['taxed'] += 1
        if t['status'] in c:
            c[t['status']] += 1
        if t['deducted_not_enrolled'] == '1' and t['status'] != 'NOT_ENROLLED':
            bad('%s:%s: deducted_not_enrolled on a %s row' % (t['file'], t['line'], t['status']))
    with open(os.path.join(d, 'truth_employers.csv'), encoding='utf-8', newline='') as f:
        temps = list(csv.DictReader(f))
    if len(temps) != len(cnt):
        bad('truth_employers.csv: %d employers, truth.csv has %d' % (len(temps), len(cnt)))
    for e in temps:
        k = e['employer_tax_id']
        c = cnt.get(k)
        if c is None:
            bad('truth_employers.csv: employer ...%s has no tax rows' % k[-4:])
            continue
        hs = k in has_si
        want = ('UNDER_ENROLLMENT' if hs else 'NO_SI_REGISTRATION') if c['NOT_ENROLLED'] else \
            'PARTIAL_ENROLLMENT' if c['PARTIAL'] else 'NONE'
        if e['finding'] != want or int(e['not_enrolled']) != c['NOT_ENROLLED'] or \
                int(e['taxed']) != c['taxed'] or int(e['has_si']) != hs:
            bad('truth_employers.csv: employer ...%s disagrees with truth.csv / SI' % k[-4:])

    with open(os.path.join(d, 'identities.csv'), encoding='utf-8', newline='') as f:
        for no, row in enumerate(csv.DictReader(f), 2):
            if sum(1 for v in row.values() if v) < 2:
                bad('identities.csv:%d: fewer than two identifiers' % no)
            if row['employee_tax_id'] and not valid_tax(row['employee_tax_id']):
                bad('identities.csv:%d: legacy tax code with a bad check digit' % no)

    for p in problems[:20]:
        print('check_gen: ' + p)
    if problems:
        print('check_gen: %s: %d problem(s)' % (d, len(problems)))
        return 1
    print('check_gen: %s ok (%d tax rows, %d SI rows, %d employers)' % (d, len(truth), nsi, len(temps)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
