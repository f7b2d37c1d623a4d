#!/usr/bin/env python3
"""national.py - a national-shape pair of files for the speed bench.

One big tax file and one big SI file, rows in random order, as a national
export is: about 50 000 employers a million tax rows, sized like real ones
(most small, a few with 10 000+ staff), 3 % of them declaring through a
13-digit branch code, names quoted when they hold a comma, SI history rows
(earlier spans of the same person), second jobs, employers without any SI
registration, and people missing from SI.  Employer codes carry valid check
digits; personal IDs are CCCD-shaped (province, century, year).

  national.py --rows N --out DIR [--seed S]

Writes DIR/tax.csv and DIR/si.csv with sirecon's canonical English headers
(no profile needed).  Python 3 standard library only; deterministic for a
given seed and size.
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import check_digit  # noqa: E402  (the scenario generator's, one copy)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm",
         "Thảo", "Trang", "Tuấn", "Việt", "Yến"]
KINDS = ["Công ty TNHH", "Công ty CP", "Doanh nghiệp tư nhân", "Hợp tác xã", "Công ty"]
WORDS = ["Minh Phát", "Hải Âu", "Ánh Dương", "Thái Bình", "Sông Hồng", "Phương Nam",
         "Đông Á", "Bắc Việt", "Hòa Bình", "Tân Tiến", "Kim Long", "Thành Công"]


def emp_code(rng, used):
    while True:
        d9 = "%d%08d" % (rng.choice([0, 1, 3, 4]), rng.randrange(10 ** 8))
        c = check_digit(d9)
        if d9[2:] == "0000000" or c is None:
            continue
        code = d9 + c
        if code not in used:
            used.add(code)
            return code


def cccd(rng, year):
    century = 0 if year < 2000 else 2
    sex = rng.randrange(2)
    return "%03d%d%02d%06d" % (rng.randrange(1, 97), century + sex, year % 100,
                               rng.randrange(10 ** 6))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n_emp = max(1, a.rows // 20)
    used = set()
    emps = []
    for i in range(n_emp):
        code = emp_code(rng, used)
        name = "%s %s %d" % (rng.choice(KINDS), rng.choice(WORDS), i)
        if rng.random() < 0.1:
            name = name + ", chi nhánh " + rng.choice(WORDS)
        branch = rng.random() < 0.03
        registered = rng.random() > 0.002
        emps.append((code, name, branch, registered))
    # sizes: Pareto-like, scaled to the rows wanted
    weights = [rng.paretovariate(1.1) for _ in emps]
    total = sum(weights)
    tax_rows, si_rows = [], []
    for (code, name, branch, registered), w in zip(emps, weights):
        staff = max(1, int(round(w / total * a.rows)))
        filed = code + "-001" if branch else code
        for _ in range(staff):
            year = rng.randrange(1962, 2006)
            pid = cccd(rng, year)
            full = "%s %s %s" % (rng.choice(SURNAMES), rng.choice(MIDDLE), rng.choice(GIVEN))
            birth = "%02d/%02d/%d" % (rng.randrange(1, 29), rng.randrange(1, 13), year)
            income = rng.randrange(60, 900) * 1000000
            enrolled = registered and rng.random() > 0.07
            deduction = income // 10 if enrolled or rng.random() < 0.1 else 0
            tax_rows.append((filed, name, full, pid, birth, 2025, 12, income, deduction))
            if enrolled:
                if rng.random() < 0.3:  # an earlier span
                    si_rows.append((code, full, pid, birth, "01/2019", "12/2022",
                                    income // 24))
                si_rows.append((code, full, pid, birth, "01/2023", "", income // 14))
            elif rng.random() < 0.05 and emps:  # a second job elsewhere
                other = rng.choice(emps)[0]
                si_rows.append((other, full, pid, birth, "01/2024", "", income // 14))
    rng.shuffle(tax_rows)
    rng.shuffle(si_rows)
    os.makedirs(a.out, exist_ok=True)

    def q(s):
        return '"%s"' % s.replace('"', '""') if ("," in s or '"' in s) else s
    with open(os.path.join(a.out, "tax.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("employer_tax_id,employer_name,full_name,id_number,birth_date,tax_year,"
                "income_months,taxable_income,insurance_deduction\n")
        for r in tax_rows:
            f.write("%s,%s,%s,%s,%s,%d,%d,%d,%d\n" % (r[0], q(r[1]), q(r[2]), r[3], r[4],
                                                       r[5], r[6], r[7], r[8]))
    with open(os.path.join(a.out, "si.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("employer_tax_id,full_name,id_number,birth_date,from_month,to_month,salary\n")
        for r in si_rows:
            f.write("%s,%s,%s,%s,%s,%s,%d\n" % (r[0], q(r[1]), r[2], r[3], r[4], r[5], r[6]))


if __name__ == "__main__":
    main()
