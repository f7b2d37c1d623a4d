#!/usr/bin/python3
"""gen_province.py OUT [N] - a provincial-size run for tests/print/run.sh.

Writes OUT/tax/ (one PIT settlement file per employer, long Vietnamese-style
file names as inspectors get them), OUT/si/ (four SI participation lists),
OUT/employers.csv: N employers (default 145), so about N + 5 input files.
Employer i has 3 + i % 9 staff, of whom 1 + i % 4 are not enrolled; employer
0 has 12, 9 not enrolled, earning the most: it is ranked first.  Deterministic, standard
library only.
"""
import os
import sys

W_TAX = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code(n):
    """The n-th valid 10-digit employer tax code (check digit, docs/inputs.md)."""
    k = 0
    body = 1000000
    while True:
        d9 = '01%07d' % body
        body += 1
        r = sum(w * int(c) for w, c in zip(W_TAX, d9)) % 11
        if r == 0:
            continue
        if k == n:
            return d9 + ('0' if r == 10 else str(10 - r))
        k += 1


SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi']
MIDDLE = ['Văn', 'Thị', 'Minh', 'Đức', 'Thu']
GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Khánh', 'Lan', 'Long']
KINDS = ['Công ty TNHH', 'Công ty CP', 'Công ty TNHH MTV', 'Hợp tác xã']
TRADES = ['Sản xuất Thương mại', 'Xây dựng', 'May mặc', 'Dịch vụ Vận tải', 'Chế biến Thực phẩm']
AREAS = ['Đông Hưng', 'Thái Bình city', 'Kiến Xương', 'Vũ Thư', 'Quỳnh Phụ']
SLUG = {'Sản xuất Thương mại': 'san-xuat-thuong-mai', 'Xây dựng': 'xay-dung',
        'May mặc': 'may-mac', 'Dịch vụ Vận tải': 'dich-vu-van-tai',
        'Chế biến Thực phẩm': 'che-bien-thuc-pham'}


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 145
    os.makedirs(out + '/tax', exist_ok=True)
    os.makedirs(out + '/si', exist_ok=True)
    si = [[] for _ in range(4)]
    person = 0
    with open(out + '/employers.csv', 'w', encoding='utf-8') as reg:
        reg.write('employer_tax_id,employer_name,unit_code,area,wage_region\n')
        for i in range(n):
            code = tax_code(i)
            trade = TRADES[i % len(TRADES)]
            name = '%s %s %s %d' % (KINDS[i % len(KINDS)], trade, AREAS[i % len(AREAS)], i + 1)
            reg.write('%s,%s,T%05d,%s,%d\n' % (code, name, i, AREAS[i % len(AREAS)], 1 + i % 4))
            # long names, some longer than a column: the sheet wraps them
            fname = 'quyet-toan-thue-tncn-2025-bang-ke-05-1-%s-%s.csv' % (SLUG[trade], code)
            if i % 10 == 0:
                fname = 'quyet-toan-thue-tncn-2025-bang-ke-05-1-cong-ty-%s-chi-nhanh-%s-%s.csv' % (
                    SLUG[trade], AREAS[i % len(AREAS)].lower().replace(' ', '-'), code)
            staff = 12 if i == 0 else 3 + i % 9
            missing = 9 if i == 0 else 1 + i % 4
            income = 900000000 if i == 0 else 100000000 + (i * 7919) % 90000000
            with open(out + '/tax/' + fname, 'w', encoding='utf-8') as f:
                f.write('employer_tax_id,employer_name,full_name,employee_tax_id,id_number,'
                        'birth_date,tax_year,income_months,taxable_income,'
                        'insurance_deduction,tax_withheld,schedule\n')
                for k in range(staff):
                    person += 1
                    pid = '0340%02d%06d' % (60 + person % 40, person)
                    full = '%s %s %s' % (SURNAMES[person % 8], MIDDLE[person % 5],
                                         GIVEN[(person // 8) % 10])
                    f.write('%s,%s,%s,,%s,,2025,12,%d,0,%d,05-1\n'
                            % (code, name, full, pid, income, income // 20))
                    if k >= missing:
                        si[i % 4].append('%s,T%05d,%s,%010d,%s,,6000000,01/2025,,TM\n'
                                         % (code, i, full, 3400000000 + person, pid))
    for j, rows in enumerate(si):
        with open('%s/si/d02-lt-2025-%d.csv' % (out, j + 1), 'w', encoding='utf-8') as f:
            f.write('employer_tax_id,unit_code,full_name,si_number,id_number,birth_date,'
                    'salary,from_month,to_month,plan_code\n')
            f.writelines(rows)


if __name__ == '__main__':
    main()
