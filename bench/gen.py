#!/usr/bin/python3
"""gen.py - ground-truth scenario generator for sirecon (docs/architecture.md, "Quality gates", "Speed and memory").

    bench/gen.py --seed S --tax-rows N [--flavor clean|messy] [--year 2025] --out DIR

Writes into DIR:
  employers.csv          registry (employer_tax_id, employer_name, unit_code, area,
                         wage_region), branches included (13 digits)
  tax/                   PIT rows: clean = tax/tax.csv (canonical English header);
                         messy = tax/quyet-toan-<year>.csv (Vietnamese header, ';',
                         BOM, CRLF) plus a few per-employer 05-1 form exports
                         (tax/bk-05-1-<code>.csv: title block, two-row header,
                         column-number row, totals row)
  si/                    SI spans: clean = si/si.csv; messy = two D02-LT-like
                         exports (Vietnamese header, ';', BOM)
  identities.csv         partial crosswalk (legacy tax code / CMND / SI no. <-> CCCD)
  truth.csv              file,line,employer_tax_id,status,deducted_not_enrolled:
                         one row per tax data row (physical 1-based line)
  truth_duplicates.csv   file,line,dup_of_line: exact duplicate rows (status
                         DUPLICATE in truth.csv) and the line of their first copy
  truth_employers.csv    employer_tax_id,finding,... per employer with tax rows
  scenario.json          seed, flavor, counts by scenario/status/route, row counts,
                         bytes, generation time

The truth is built from the model, not from the rendered text, and the damage is
chosen so that it stays decidable from the data (see bench/README.md, "Truth").
Deterministic for a given (seed, tax-rows, flavor, year).  Standard library only.
"""
import argparse
import json
import os
import shutil
import sys
import time
import unicodedata
import random

# ---------------------------------------------------------------------------
# Scenario mix (documented in bench/README.md; keep the two in step)
# ---------------------------------------------------------------------------
EMP_NO_SI = 0.05         # employers with no SI registration at all
EMP_COMPLIANT = 0.40     # employers whose staff are all enrolled (or covered elsewhere)
# remainder: mixed employers

# per-person scenarios (cumulative thresholds are built below)
MIX_MIXED = [
    ('FULL', 0.640), ('PARTYR', 0.040), ('PARTIAL', 0.050), ('NE', 0.090),
    ('NE_OUT', 0.020), ('ELSE', 0.040), ('S2_REV', 0.030), ('S2_ENR', 0.010),
    ('RET_REV', 0.020), ('RET_ENR', 0.010), ('PAIR', 0.012), ('AMBIG', 0.002),
]
MIX_COMPLIANT = [
    ('FULL', 0.880), ('PARTYR', 0.040), ('ELSE', 0.040), ('S2_ENR', 0.010),
    ('RET_ENR', 0.010), ('PAIR', 0.012), ('AMBIG', 0.002),
]
DNE_SHARE_NE = 0.30      # NOT_ENROLLED (no SI) with insurance_deduction > 0
DNE_SHARE_NE_OUT = 0.15  # NOT_ENROLLED (span outside the period) with deduction
DNE_SHARE_NO_SI = 0.35   # staff of employers with no SI registration
NOISE_SI_MAX = 0.35      # SI-only people per employer: U(0, this) x staff
HISTORY_SHARE = 0.05     # persons with an old span at an SI-only employer
POOL_SHARE = 0.15        # FULL enrolled persons kept as second-job candidates
POOL_MAX = 50000
BRANCH_SHARE = 0.03      # employers with a branch (13-digit code)

# ID presentation on the tax side: (mode, weight)
#  T1 legacy tax code only, T2 CCCD in the tax-code column, T3 CCCD in the ID
#  column, T4 CMND in the ID column, T5 legacy code + CCCD
TAX_MODES = [('T1', 0.30), ('T2', 0.25), ('T3', 0.30), ('T4', 0.07), ('T5', 0.08)]
#  S1 SI number + CCCD, S2 CCCD in the SI-number column (+CCCD or empty),
#  S3 SI number + CMND, S4 SI number only
SI_MODES = [('S1', 0.70), ('S2', 0.15), ('S3', 0.05), ('S4', 0.10)]
XWALK_LEGACY = 0.85      # crosswalk row legacy <-> CCCD for persons having a legacy code
XWALK_CMND = 0.85        # crosswalk row CMND <-> CCCD
XWALK_SI = 0.30          # crosswalk row SI number <-> CCCD

# messy damage rates (per cell unless stated)
D_EMP_STRIP = 0.06       # employer code with leading 0 stripped (Excel)
D_EMP_DOT0 = 0.30        # ... of which with a ".0" suffix
D_SI_EMP_BLANK = 0.02    # SI row without employer tax code (unit code only)
D_CCCD_STRIP = 0.08      # CCCD in an ID / SI column with leading 0 stripped
D_CCCD_DOT0 = 0.25       # ... of which with ".0"
D_ID_SPACES = 0.01       # ID written with spaces
D_ID_DOTS = 0.01         # ID written with dots
D_ID_APOS = 0.02         # leading apostrophe
D_ID_DOT0 = 0.02         # legacy code / SI number with ".0"
D_LEGACY_STRIP = 0.30    # legacy code starting with 0: stripped
D_SCI = 0.015            # scientific notation on one side (persons with a name route)
D_PLACEHOLDER = 0.03     # placeholder in the secondary ID cell
D_NFD = 0.03             # name in NFD
D_UPPER_TAX = 0.05
D_UPPER_SI = 0.10
D_SPACES = 0.03          # doubled / leading / trailing spaces in names
D_ASCII_SI_EMP = 0.08    # employers whose SI export has accent-free names
D_DUP_TAX = 0.003        # exact duplicated tax rows
D_DUP_SI = 0.003
D_SI_YEAR_ONLY = 0.02    # SI birth date as year only
TAX_DOB_MESSY = 0.55     # consolidated messy tax rows carrying a birth date
TAX_IM_MESSY = 0.85      # ... carrying income months (always for PARTIAL)
FORM_EXPORT_SHARE = 0.04  # employers (3..200 staff) exported as a 05-1 form
FORM_EXPORT_MAX = 200

RETIRE_MALE_MONTHS = 738   # 61y6m (profile default)
RETIRE_FEMALE_MONTHS = 684  # 57y

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------
FAMILY = [('Nguyễn', 31), ('Trần', 11), ('Lê', 9), ('Phạm', 7), ('Hoàng', 5),
          ('Huỳnh', 3), ('Phan', 4), ('Vũ', 5), ('Võ', 3), ('Đặng', 2), ('Bùi', 3),
          ('Đỗ', 2), ('Hồ', 1), ('Ngô', 2), ('Dương', 1), ('Lý', 1), ('Đinh', 1),
          ('Trịnh', 1), ('Mai', 1), ('Đào', 1), ('Lương', 1), ('Tạ', 1), ('Cao', 1),
          ('Đoàn', 1), ('Hà', 1)]
MID_M = ['Văn', 'Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thanh', 'Ngọc',
         'Công', 'Xuân', 'Đình', 'Trọng', 'Bá', 'Duy', 'Tiến', 'Mạnh', 'Quốc']
MID_F = ['Thị', 'Thị', 'Thị', 'Thị', 'Ngọc', 'Thanh', 'Thu', 'Minh', 'Kim',
         'Thùy', 'Hồng', 'Phương', 'Mai', 'Bích', 'Diệu', 'Khánh', 'Lan']
GIVEN_M = ['Hùng', 'Dũng', 'Nam', 'Long', 'Tuấn', 'Hoàng', 'Khoa', 'Quý', 'Hòa',
           'Thắng', 'Hải', 'Sơn', 'Cường', 'Đạt', 'Phúc', 'Huy', 'Thụy', 'Trung',
           'Kiên', 'Tâm', 'Hiếu', 'Toàn', 'Vinh', 'Bình', 'An', 'Hưng', 'Tùng',
           'Khánh', 'Lâm', 'Phong', 'Quân', 'Thành', 'Đông', 'Tú', 'Việt', 'Quang',
           'Lợi', 'Thủy', 'Hà', 'Chiến', 'Nghĩa', 'Trường', 'Hậu', 'Định', 'Thịnh',
           'Duy', 'Khải', 'Lực', 'Mạnh', 'Quyết', 'Tài', 'Thái', 'Thuận', 'Vũ']
GIVEN_F = ['Hà', 'Lan', 'Hương', 'Thủy', 'Thúy', 'Quỳnh', 'Linh', 'Trang', 'Ngọc',
           'Mai', 'Hoa', 'Hòa', 'Nhung', 'Huyền', 'Thảo', 'Yến', 'Phương', 'Hằng',
           'Vân', 'Anh', 'Nga', 'Oanh', 'Loan', 'Hiền', 'Hạnh', 'Dung', 'Thơ',
           'Giang', 'Châu', 'Thùy', 'Liên', 'Lụa', 'Nhàn', 'Tuyết', 'Xuân', 'Hạ',
           'Diệp', 'Chi', 'My', 'Ánh', 'Duyên', 'Hồng', 'Khuê', 'Loan', 'Nguyệt',
           'Tâm', 'Thanh', 'Trinh', 'Uyên', 'Vy', 'Thoa', 'Hoài', 'Tuyền']
HOMONYM = {'Hà': 'Hạ', 'Hạ': 'Hà', 'Thủy': 'Thúy', 'Thúy': 'Thủy', 'Lan': 'Lân'}
# classic ("Hòa") <-> modern ("Hoà") tone placement on open oa / oe / uy
TONE_ALT = {'Hòa': 'Hoà', 'Thủy': 'Thuỷ', 'Thúy': 'Thuý', 'Thụy': 'Thuỵ',
            'Thùy': 'Thuỳ', 'Khỏe': 'Khoẻ', 'Hóa': 'Hoá', 'Thoa': 'Thoa'}
COMPANY_KIND = ['Công ty TNHH', 'Công ty TNHH', 'Công ty TNHH', 'Công ty Cổ phần',
                'Công ty Cổ phần', 'Công ty TNHH MTV', 'Doanh nghiệp tư nhân',
                'Hợp tác xã']
COMPANY_TRADE = ['Thương mại', 'Xây dựng', 'May mặc', 'Dệt may', 'Cơ khí', 'Vận tải',
                 'Thực phẩm', 'Điện tử', 'Nông sản', 'Gốm sứ', 'Dịch vụ', 'Đầu tư',
                 'Thủy sản', 'Bao bì', 'Giày da', 'Vật liệu xây dựng', 'Chế biến gỗ',
                 'Kỹ thuật điện', 'Dược phẩm', 'Môi trường']
COMPANY_BRAND = ['Minh Phát', 'Hưng Thịnh', 'Hoàng Long', 'An Phú', 'Đại Việt',
                 'Thành Công', 'Phú Cường', 'Tân Tiến', 'Việt Hưng', 'Kim Thành',
                 'Sông Hồng', 'Trà Lý', 'Đồng Châu', 'Hải An', 'Thái Hà', 'Quang Trung',
                 'Thiên Phúc', 'Bảo Ngọc', 'Hòa Bình', 'Nam Việt', 'Trường Sơn',
                 'Thủy Nguyên', 'Phương Đông', 'Lạc Hồng', 'Hồng Hà', 'Vạn Xuân']
AREAS = ['Quỳnh Phụ', 'Đông Hưng', 'Hưng Hà', 'Thái Thụy', 'Tiền Hải', 'Kiến Xương',
         'Vũ Thư', 'Thành phố Thái Bình']
EMP_PREFIX = [('10', 45), ('01', 25), ('03', 10), ('09', 10), ('27', 5), ('08', 5)]
CCCD_PROV = [('034', 70), ('001', 5), ('033', 4), ('036', 4), ('022', 3), ('031', 3),
             ('035', 2), ('037', 2), ('038', 2), ('079', 2), ('030', 1), ('026', 1),
             ('024', 1)]
SI_PROV = [('34', 80), ('33', 6), ('01', 5), ('36', 4), ('79', 3), ('22', 2)]
PLACEHOLDERS = ['0', 'N/A', 'chưa có', '000000000', 'Chưa có', 'n/a']

TAX_HDR_CLEAN = ('employer_tax_id,employer_name,full_name,employee_tax_id,id_number,'
                 'birth_date,tax_year,income_months,taxable_income,insurance_deduction,'
                 'tax_withheld,schedule')
SI_HDR_CLEAN = ('employer_tax_id,unit_code,full_name,si_number,id_number,birth_date,'
                'salary,from_month,to_month,plan_code')
TAX_HDR_VI = ('Mã số thuế đơn vị;Tên đơn vị;Họ và tên;Mã số thuế;Số CMND/CCCD/Hộ chiếu;'
              'Ngày sinh;Năm quyết toán;Số tháng;Tổng thu nhập chịu thuế;'
              'Bảo hiểm được trừ;Số thuế TNCN đã khấu trừ;Mẫu')
SI_HDR_VI = ('Mã số thuế;Mã đơn vị;Họ và tên;Mã số BHXH;Ngày sinh;Số CCCD/CMND/Hộ chiếu;'
             'Mức lương;Từ tháng;Đến tháng;Phương án')

W_TAX = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def check_digit(d9):
    """Check digit of a tax code body (9 digits), or None when r = 0 (never issued)."""
    s = 0
    for w, c in zip(W_TAX, d9):
        s += w * (ord(c) - 48)
    r = s % 11
    if r == 0:
        return None
    return '0' if r == 10 else chr(48 + 10 - r)


def tax_code_valid(code):
    """True for a valid 10-digit (or 13-digit branch) tax code."""
    if len(code) not in (10, 13) or not code.isdigit():
        return False
    if code[2:9] == '0000000':
        return False
    if len(code) == 13 and code[10:] == '000':
        return False
    return check_digit(code[:9]) == code[9]


def expand(weighted, scale=1):
    out = []
    for v, w in weighted:
        out.extend([v] * int(w * scale))
    return out


def cumulative(mix):
    acc, out = 0.0, []
    for name, p in mix:
        acc += p
        out.append((acc, name))
    return out


_fold_cache = {}


def fold(s):
    """Accent-free, lower-case, single-spaced: the folded name key."""
    k = _fold_cache.get(s)
    if k is None:
        t = unicodedata.normalize('NFD', s.replace('đ', 'd').replace('Đ', 'D'))
        k = ' '.join(''.join(ch for ch in t if not unicodedata.combining(ch)).lower().split())
        _fold_cache[s] = k
    return k


_ascii_cache = {}


def ascii_name(s):
    k = _ascii_cache.get(s)
    if k is None:
        t = unicodedata.normalize('NFD', s.replace('đ', 'd').replace('Đ', 'D'))
        k = ''.join(ch for ch in t if not unicodedata.combining(ch))
        _ascii_cache[s] = k
    return k


_alt_cache = {}


def tone_alt(s):
    """The name with the other oa/oe/uy tone placement ("Hòa" -> "Hoà")."""
    k = _alt_cache.get(s)
    if k is None:
        k = ' '.join(TONE_ALT.get(w, w) for w in s.split(' '))
        _alt_cache[s] = k
    return k


class Perm:
    """Unique pseudo-random numbers in [0, m): an affine bijection of a counter."""
    __slots__ = ('m', 'a', 'b', 'k')

    def __init__(self, m, rnd):
        self.m = m
        a = int(rnd.random() * m) | 1
        while a % 5 == 0 or a % 2 == 0:
            a += 2
        self.a = a % m or 1
        self.b = int(rnd.random() * m)
        self.k = 0

    def next(self):
        if self.k >= self.m:
            raise RuntimeError('identifier space exhausted')
        v = (self.k * self.a + self.b) % self.m
        self.k += 1
        return v


class Gen:
    def __init__(self, seed, n, flavor, year, out):
        self.seed, self.n, self.flavor, self.year, self.out = seed, n, flavor, year, out
        self.messy = flavor == 'messy'
        self.R = random.Random(seed)
        self.r = self.R.random
        self.p0 = year * 12          # month index of January of the period
        self.p1 = year * 12 + 11
        self.fam = expand(FAMILY)
        self.emp_prefix = expand(EMP_PREFIX)
        self.cccd_prov = expand(CCCD_PROV)
        self.si_prov = expand(SI_PROV)
        self.mix_mixed = cumulative(MIX_MIXED)
        self.mix_comp = cumulative(MIX_COMPLIANT)
        self.tax_modes = cumulative(TAX_MODES)
        self.si_modes = cumulative(SI_MODES)
        self.perm_emp = {}
        self.perm_cccd = {}
        self.perm_si = {}
        self.perm_legacy8 = Perm(10 ** 8, self.R)
        self.perm_legacy0 = Perm(10 ** 8, self.R)
        self.perm_cmnd = Perm(10 ** 8, self.R)
        self.perm_unit = Perm(10 ** 5, self.R)
        self.pool = []
        self.stats = {}
        self.status_counts = {}
        self.routes = {'R1': 0, 'NAME': 0}
        self.registry = []
        self.tax_rows = 0
        self.dup_tax = 0
        self.si_rows = 0
        self.xw_rows = 0
        self.forms = 0

    # -- identifiers -------------------------------------------------------
    def emp_code(self):
        r = self.r
        while True:
            pre = self.emp_prefix[int(r() * len(self.emp_prefix))]
            p = self.perm_emp.get(pre)
            if p is None:
                p = self.perm_emp[pre] = Perm(10 ** 7, self.R)
            body = pre + '%07d' % p.next()
            if body[2:] == '0000000':
                continue
            cd = check_digit(body)
            if cd is not None:
                return body + cd

    def cccd(self, by, sex):
        r = self.r
        for _ in range(50):
            prov = self.cccd_prov[int(r() * len(self.cccd_prov))]
            d4 = (0 if by < 2000 else 2) + sex
            key = (prov, d4, by % 100)
            p = self.perm_cccd.get(key)
            if p is None:
                p = self.perm_cccd[key] = Perm(10 ** 6, self.R)
            if p.k < p.m:
                return '%s%d%02d%06d' % (prov, d4, by % 100, p.next())
        raise RuntimeError('CCCD space exhausted')

    def legacy(self):
        r = self.r
        zero = r() < 0.08
        perm = self.perm_legacy0 if zero else self.perm_legacy8
        while True:
            v = perm.next()
            if zero:
                body = '0%d%07d' % (1 + v % 9, v // 9 % 10 ** 7)
            else:
                body = '8%08d' % v
            if body[2:] == '0000000':
                continue
            cd = check_digit(body)
            if cd is not None:
                return body + cd

    def cmnd(self):
        while True:
            s = '1%08d' % self.perm_cmnd.next()
            if s.count(s[0]) != 9:
                return s

    def sino(self):
        prov = self.si_prov[int(self.r() * len(self.si_prov))]
        p = self.perm_si.get(prov)
        if p is None:
            p = self.perm_si[prov] = Perm(10 ** 8, self.R)
        return '%s%08d' % (prov, p.next())

    # -- people --------------------------------------------------------------
    def new_person(self, keys, retiree=False, name=None, fkey=None, sex=None, by=None):
        """A person: [name, sex, (y,m,d), cccd, legacy, cmnd, sino, fkey]."""
        r = self.r
        if sex is None:
            sex = 1 if r() < 0.48 else 0
        if name is None:
            for _ in range(200):
                fam = self.fam[int(r() * len(self.fam))]
                if sex:
                    mid = MID_F[int(r() * len(MID_F))]
                    if r() < 0.25:
                        mid2 = MID_F[int(r() * len(MID_F))]
                        if mid2 != mid and mid2 != 'Thị':
                            mid = mid + ' ' + mid2
                    giv = GIVEN_F[int(r() * len(GIVEN_F))]
                else:
                    mid = MID_M[int(r() * len(MID_M))]
                    if r() < 0.15:
                        mid2 = MID_M[int(r() * len(MID_M))]
                        if mid2 != mid and mid2 != 'Văn':
                            mid = mid + ' ' + mid2
                    giv = GIVEN_M[int(r() * len(GIVEN_M))]
                name = fam + ' ' + mid + ' ' + giv
                fkey = fold(name)
                if fkey not in keys:
                    break
                name = None
            if name is None:  # crowded employer: add a distinguishing second middle name
                while True:
                    name = fam + ' ' + mid + ' ' + (MID_F if sex else MID_M)[int(r() * 10)] + ' ' + giv
                    fkey = fold(name)
                    if fkey not in keys:
                        break
        y = self.year
        if by is None:
            by = y - 75 + int(r() * 12) if retiree else y - 53 + int(r() * 34)
        bm = 1 + int(r() * 12)
        bd = 1 + int(r() * 28)
        p = [name, sex, (by, bm, bd), self.cccd(by, sex),
             self.legacy() if r() < 0.60 else None,
             self.cmnd() if r() < 0.20 else None,
             self.sino(), fkey]
        return p

    def past_retirement(self, p):
        by, bm, _ = p[2]
        age = self.p1 - (by * 12 + bm - 1)
        return age >= (RETIRE_FEMALE_MONTHS if p[1] else RETIRE_MALE_MONTHS)

    # -- spans ---------------------------------------------------------------
    def spans_full(self):
        """Spans covering every month of the period (sometimes split/overlapping)."""
        r = self.r
        p0, p1 = self.p0, self.p1
        start = p0 - 1 - int(r() * 120)
        end = None if r() < 0.9 else p1 + int(r() * 3)
        u = r()
        if u < 0.25:
            cut = start + 1 + int(r() * (p1 - start - 1))
            second = cut + 1 if r() < 0.7 else cut  # contiguous or overlapping by a month
            return [(start, cut, 'TM'), (second, end, 'TD' if r() < 0.5 else 'ON')]
        if u < 0.35:
            old0 = start - 24 - int(r() * 48)
            return [(old0, old0 + 6 + int(r() * 12), 'TM'), (start, end, 'ON')]
        return [(start, end, 'TM' if r() < 0.7 else 'TC')]

    def spans_covering(self, c):
        """Spans covering exactly c (1..11) months of the period: joined late,
        left early, or a gap inside the year."""
        r = self.r
        p0, p1 = self.p0, self.p1
        u = r()
        if u < 0.45:   # joined during the year, still there
            return [(p1 - c + 1, None if r() < 0.8 else p1 + 1, 'TM')]
        if u < 0.85:   # left during the year
            return [(p0 - 1 - int(r() * 60), p0 + c - 1, 'TM')]
        # gap: covered a months, gap, then the rest (ongoing)
        a = 1 + int(r() * c) if c > 1 else 1
        a = min(a, c)
        b = c - a
        if b == 0:
            return [(p0 - 1 - int(r() * 30), p0 + a - 1, 'TM')]
        return [(p0 - 1 - int(r() * 30), p0 + a - 1, 'TM'), (p1 - b + 1, None, 'ON')]

    def spans_outside(self):
        r = self.r
        if r() < 0.8:
            end = self.p0 - 1 - int(r() * 14)
            return [(end - 3 - int(r() * 60), end, 'TM')]
        return [(self.p1 + 1 + int(r() * 2), None, 'TM')]

    def covered(self, spans):
        p0, p1 = self.p0, self.p1
        months = set()
        for a, b, _ in spans:
            b = p1 if b is None else min(b, p1)
            for m in range(max(a, p0), b + 1):
                months.add(m)
        return len(months)

    # -- rendering ------------------------------------------------------------
    def money(self, v, style):
        if style == 0 or v < 1000:
            return str(v)
        if style == 1:
            return '{:,}'.format(v).replace(',', '.')
        return '{:,}'.format(v)

    def money_messy(self, v):
        u = self.r()
        return self.money(v, 1 if u < 0.55 else (0 if u < 0.95 else 2))

    def date(self, d):
        y, m, dd = d
        if not self.messy:
            return '%02d/%02d/%04d' % (dd, m, y)
        u = self.r()
        if u < 0.75:
            return '%02d/%02d/%04d' % (dd, m, y)
        if u < 0.90:
            return '%d/%d/%04d' % (dd, m, y)
        if u < 0.95:
            return '%02d-%02d-%04d' % (dd, m, y)
        return '%04d-%02d-%02d' % (y, m, dd)

    def month(self, mi):
        if mi is None:
            return ''
        y, m = divmod(mi, 12)
        m += 1
        if not self.messy:
            return '%02d/%04d' % (m, y)
        u = self.r()
        if u < 0.70:
            return '%02d/%04d' % (m, y)
        if u < 0.85:
            return '%d/%04d' % (m, y)
        return '%04d-%02d' % (y, m)

    def name_messy(self, name, style_alt, upper_rate, ascii_side=False):
        r = self.r
        s = tone_alt(name) if style_alt else name
        if ascii_side:
            s = ascii_name(s)
        if r() < upper_rate:
            s = s.upper()
        if r() < D_SPACES:
            u = r()
            if u < 0.4:
                s = s.replace(' ', '  ', 1)
            elif u < 0.7:
                s = ' ' + s
            else:
                s = s + ' '
        if not ascii_side and r() < D_NFD:
            s = unicodedata.normalize('NFD', s)
        return s

    def emp_cell(self, code):
        """Employer tax code as a messy export writes it (10 or 13 digits)."""
        r = self.r
        if len(code) == 13:
            u = r()
            if u < 0.5:
                return code[:10] + '-' + code[10:]
            if u < 0.6 and code[0] == '0':
                return code[1:]
            return code
        if code[0] == '0' and r() < D_EMP_STRIP:
            return code[1:] + ('.0' if r() < D_EMP_DOT0 else '')
        return code

    def id_fmt(self, s, strip_ok):
        """Messy rendering of a clean ID; strip_ok: the column repairs a stripped 0."""
        r = self.r
        u = r()
        if strip_ok and s[0] == '0' and u < D_CCCD_STRIP:
            return s[1:] + ('.0' if r() < D_CCCD_DOT0 else '')
        u = r()
        if u < D_ID_SPACES + D_ID_DOTS:
            # groups of 3 from the left, the last group never shorter than 2
            # digits ("340.340.394.0" would read as a ".0" suffix)
            n = len(s)
            cuts = list(range(3, n - 1, 3))
            if cuts and n - cuts[-1] < 2:
                cuts.pop()
            parts = [s[i:j] for i, j in zip([0] + cuts, cuts + [n])]
            return (' ' if u < D_ID_SPACES else '.').join(parts)
        if u < D_ID_SPACES + D_ID_DOTS + D_ID_APOS:
            return "'" + s
        return s

    def sci(self, s):
        v = int(s)
        return ('%.5E' % v).replace('E+0', 'E+')

    # -- the run ---------------------------------------------------------------
    def run(self):
        t0 = time.time()
        out = self.out
        os.makedirs(os.path.join(out, 'tax'), exist_ok=True)
        os.makedirs(os.path.join(out, 'si'), exist_ok=True)
        messy = self.messy
        Y = self.year
        nl = '\r\n' if messy else '\n'
        if messy:
            self.tax_name = 'quyet-toan-%d.csv' % Y
            self.tax_f = open(os.path.join(out, 'tax', self.tax_name), 'w', encoding='utf-8',
                              newline='', buffering=1 << 20)
            self.tax_f.write('\ufeff' + TAX_HDR_VI + nl)
            self.si_fs = [open(os.path.join(out, 'si', 'd02-lt-%d-%s.csv' % (Y, k)), 'w',
                               encoding='utf-8', newline='', buffering=1 << 20) for k in 'ab']
            for f in self.si_fs:
                f.write('\ufeff' + SI_HDR_VI + '\n')
        else:
            self.tax_name = 'tax.csv'
            self.tax_f = open(os.path.join(out, 'tax', 'tax.csv'), 'w', encoding='utf-8',
                              newline='', buffering=1 << 20)
            self.tax_f.write(TAX_HDR_CLEAN + nl)
            self.si_fs = [open(os.path.join(out, 'si', 'si.csv'), 'w', encoding='utf-8',
                               newline='', buffering=1 << 20)]
            self.si_fs[0].write(SI_HDR_CLEAN + '\n')
        self.tax_line = 1
        self.truth_f = open(os.path.join(out, 'truth.csv'), 'w', encoding='utf-8', newline='',
                            buffering=1 << 20)
        self.truth_f.write('file,line,employer_tax_id,status,deducted_not_enrolled\n')
        self.dup_f = open(os.path.join(out, 'truth_duplicates.csv'), 'w', encoding='utf-8',
                          newline='')
        self.dup_f.write('file,line,dup_of_line\n')
        self.xw_f = open(os.path.join(out, 'identities.csv'), 'w', encoding='utf-8', newline='',
                         buffering=1 << 20)
        self.xw_f.write('id_number,employee_tax_id,cmnd,si_number\n')
        self.temp_f = open(os.path.join(out, 'truth_employers.csv'), 'w', encoding='utf-8',
                           newline='')
        self.temp_f.write('employer_tax_id,finding,taxed,not_enrolled,partial,review,'
                          'covered_elsewhere,deducted_not_enrolled,has_si\n')

        # SI-only employers (never on a tax list): old spans live there
        self.si_only = []
        for _ in range(max(5, self.n // 600)):
            code = self.emp_code()
            unit = self.unit_code(code)
            self.registry.append((code, self.company_name(), unit,
                                  AREAS[int(self.r() * len(AREAS))], self.wage_region()))
            self.si_only.append((code, unit))
        sep_header_at = self.n * 2 // 5 if messy else -1
        remaining = self.n
        while remaining > 0:
            size = max(1, int(self.R.lognormvariate(2.3, 1.1)))
            size = min(size, 5000, remaining)
            self.employer(size)
            remaining = self.n - self.tax_rows
            if messy and sep_header_at >= 0 and self.tax_rows >= sep_header_at:
                # a blank line and a repeated header (concatenated exports)
                self.tax_f.write(nl + TAX_HDR_VI + nl)
                self.tax_line += 2
                sep_header_at = -1
        self.tax_f.close()
        for f in self.si_fs:
            f.close()
        self.truth_f.close()
        self.dup_f.close()
        self.xw_f.close()
        self.temp_f.close()
        with open(os.path.join(out, 'employers.csv'), 'w', encoding='utf-8', newline='') as f:
            f.write('employer_tax_id,employer_name,unit_code,area,wage_region\n')
            for code, name, unit, area, reg in self.registry:
                f.write('%s,%s,%s,%s,%d\n' % (code, name, unit, area, reg))
        elapsed = time.time() - t0
        nbytes = 0
        for sub in ('tax', 'si'):
            for fn in os.listdir(os.path.join(out, sub)):
                nbytes += os.path.getsize(os.path.join(out, sub, fn))
        meta = {
            'seed': self.seed, 'flavor': self.flavor, 'year': Y,
            'tax_rows': self.tax_rows, 'tax_duplicate_rows': self.dup_tax,
            'si_rows': self.si_rows, 'identity_rows': self.xw_rows,
            'employers': len(self.registry), 'form_exports': self.forms,
            'input_bytes': nbytes, 'scenarios': dict(sorted(self.stats.items())),
            'truth_status': dict(sorted(self.status_counts.items())),
            'match_route_of_enrolled': self.routes,
            'generation_seconds': round(elapsed, 3),
            'rows_per_second': int((self.tax_rows + self.si_rows) / max(elapsed, 1e-9)),
        }
        with open(os.path.join(out, 'scenario.json'), 'w', encoding='utf-8') as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
            f.write('\n')
        return meta

    def unit_code(self, code):
        if self.r() < 0.5:
            return code[:10]
        return 'T%s%05d' % ('ABCDEFGHKLMNPQ'[int(self.r() * 14)], self.perm_unit.next())

    def company_name(self):
        r = self.r
        n = '%s %s %s' % (COMPANY_KIND[int(r() * len(COMPANY_KIND))],
                          COMPANY_TRADE[int(r() * len(COMPANY_TRADE))],
                          COMPANY_BRAND[int(r() * len(COMPANY_BRAND))])
        if r() < 0.3:
            n += ' Thái Bình'
        return n

    def wage_region(self):
        u = self.r()
        return 1 if u < 0.05 else 2 if u < 0.30 else 3 if u < 0.75 else 4

    def pick(self, cum):
        u = self.r()
        for acc, name in cum:
            if u < acc:
                return name
        return cum[0][1]

    def employer(self, size):
        """Generate one employer's staff, write its tax and SI rows and truth."""
        R, r = self.R, self.r
        messy = self.messy
        Y = self.year
        code = self.emp_code()
        ename = self.company_name()
        unit = self.unit_code(code)
        area = AREAS[int(r() * len(AREAS))]
        wreg = self.wage_region()
        self.registry.append((code, ename, unit, area, wreg))
        u = r()
        cat = 'NO_SI' if u < EMP_NO_SI else 'COMPLIANT' if u < EMP_NO_SI + EMP_COMPLIANT else 'MIXED'
        branch = None
        if size >= 4 and r() < BRANCH_SHARE:
            bcode = code + '%03d' % (1 + int(r() * 3))
            bunit = bcode if unit == code else 'T%s%05d' % ('ABCDEFGHKLMNPQ'[int(r() * 14)],
                                                            self.perm_unit.next())
            branch = (bcode, bunit)
            self.registry.append((bcode, 'Chi nhánh ' + ename + ' tại ' + area, bunit, area, wreg))
        form = (messy and 3 <= size <= 200 and self.forms < FORM_EXPORT_MAX
                and r() < FORM_EXPORT_SHARE and branch is None)
        ascii_si = messy and r() < D_ASCII_SI_EMP
        tax_alt = messy and r() < 0.3     # this export writes "Hoà" rather than "Hòa"
        si_alt = messy and r() < 0.5
        keys = set()
        jobs = []   # [person, scen, flags...] see below
        cum = self.mix_mixed if cat == 'MIXED' else self.mix_comp
        i = 0
        while i < size:
            if cat == 'NO_SI':
                scen = 'NOSI'
            else:
                scen = self.pick(cum)
                if form:
                    if scen in ('S2_REV', 'S2_ENR', 'RET_ENR'):
                        scen = 'FULL'
                    elif scen == 'RET_REV':
                        scen = 'NE'
                    elif scen == 'PARTIAL':
                        scen = 'PARTYR'
                if scen == 'ELSE':
                    p = None
                    for _ in range(3):
                        if not self.pool:
                            break
                        k = int(r() * len(self.pool))
                        cand = self.pool[k]
                        if cand[7] not in keys:
                            p = cand
                            self.pool[k] = self.pool[-1]
                            self.pool.pop()
                            break
                    if p is None:
                        scen = 'FULL'
                    else:
                        keys.add(p[7])
                        jobs.append([p, 'ELSE', True])
                        i += 1
                        continue
                if scen == 'PAIR':
                    strong = [j for j in jobs if j[1] == 'FULL' and j[2]]
                    if size < 8 or not strong:
                        scen = 'FULL'
                    else:
                        x = strong[int(r() * len(strong))]
                        xp = x[0]
                        name = xp[0]
                        words = name.split(' ')
                        if words[-1] in HOMONYM and r() < 0.5:
                            words[-1] = HOMONYM[words[-1]]
                            name = ' '.join(words)
                        by = xp[2][0] + (1 + int(r() * 5)) * (1 if xp[2][0] < Y - 30 else -1)
                        yp = self.new_person(keys, name=name, fkey=fold(name), sex=xp[1], by=by)
                        jobs.append([yp, 'FULL' if r() < 0.8 else 'NE', True, 'PAIR'])
                        i += 1
                        continue
                if scen == 'AMBIG':
                    if size < 15 or size - i < 2:
                        scen = 'FULL'
                    else:
                        z1 = self.new_person(keys)
                        keys.add(z1[7])
                        if z1[4] is None:
                            z1[4] = self.legacy()
                        z2 = self.new_person(keys, name=z1[0], fkey=z1[7], sex=z1[1], by=z1[2][0])
                        z2[2] = z1[2]
                        if z2[4] is None:
                            z2[4] = self.legacy()
                        jobs.append([z1, 'AMBIG', True])
                        jobs.append([z2, 'AMBIG', True])
                        i += 2
                        continue
            p = self.new_person(keys, retiree=scen in ('RET_REV', 'RET_ENR'))
            keys.add(p[7])
            # strong: must stay matchable by identifier (pool candidates)
            strong = scen == 'FULL' and r() < POOL_SHARE
            jobs.append([p, scen, strong])
            i += 1

        # SI-only people at this employer (noise)
        noise = []
        if cat != 'NO_SI':
            for _ in range(int(size * r() * NOISE_SI_MAX)):
                p = self.new_person(keys)
                keys.add(p[7])
                noise.append(p)

        # ---- render --------------------------------------------------------
        tax_lines = []
        truth_lines = []
        form_rows = []
        si_out = self.si_fs[0] if len(self.si_fs) == 1 else self.si_fs[int(r() * 2)]
        si_lines = []
        xw_lines = []
        cnt = {'taxed': 0, 'NOT_ENROLLED': 0, 'PARTIAL': 0, 'REVIEW': 0,
               'COVERED_ELSEWHERE': 0, 'ENROLLED': 0, 'dne': 0}
        has_si = False
        si_emp_code = code
        si_emp_unit = unit
        money_style_form = 1 if r() < 0.5 else 0
        dup_rows = []
        for j in jobs:
            p, scen, strong = j[0], j[1], j[2]
            name, sex, dob, cccd, leg, cmnd, sino, fkey = p
            tag = scen if len(j) == 3 else j[3] + '_' + scen
            self.stats[tag] = self.stats.get(tag, 0) + 1
            # employment at a branch?
            at_branch = branch is not None and r() < 0.3
            emp_c = branch[0] if at_branch else code
            # --- SI spans at this employer
            spans = None
            im = 12
            if scen in ('FULL', 'S2_ENR', 'RET_ENR'):
                spans = self.spans_full()
            elif scen == 'AMBIG':
                spans = [(self.p0 - 1 - int(r() * 60), None, 'TM')]
            elif scen == 'PARTYR':
                c = 2 + int(r() * 10)
                spans = self.spans_covering(c)
                im = c
            elif scen == 'PARTIAL':
                c = 1 + int(r() * 10)
                spans = self.spans_covering(c)
                im = c + 1 + int(r() * (12 - c))
            elif scen == 'NE_OUT':
                spans = self.spans_outside()
            elif scen in ('NE', 'NOSI', 'S2_REV', 'RET_REV'):
                im = 12 if r() < 0.8 else 3 + int(r() * 9)
            elif scen == 'ELSE':
                im = 12 if r() < 0.6 else 2 + int(r() * 10)
            if scen in ('S2_REV', 'S2_ENR'):
                im = 1 + int(r() * 3)
            # --- money
            sal = 4500000 + int(R.lognormvariate(15.2, 0.55)) // 1000 * 1000
            if scen in ('S2_REV', 'S2_ENR'):
                ti = (2000000 + int(r() * 18000000)) // 1000 * 1000
            else:
                ti = sal * im + int(r() * sal * 1.5) // 1000 * 1000
            base = min(sal, 46800000)
            ded = 0
            if spans is not None and scen != 'NE_OUT':
                cm = self.covered(spans)
                ded = int(base * 0.105) * min(cm, im)
            elif scen == 'NE' and r() < DNE_SHARE_NE:
                ded = int(base * 0.105) * im
            elif scen == 'NE_OUT' and r() < DNE_SHARE_NE_OUT:
                ded = int(base * 0.105) * im
            elif scen == 'NOSI' and r() < DNE_SHARE_NO_SI:
                ded = int(base * 0.105) * im
            if scen in ('S2_REV', 'S2_ENR', 'AMBIG', 'RET_REV', 'ELSE'):
                ded = 0
            if scen in ('S2_REV', 'S2_ENR'):
                tw = ti // 10
            else:
                tw = max(0, (ti - ded - 11000000 * im) * 8 // 100) // 1000 * 1000
            sched = '05-2' if scen in ('S2_REV', 'S2_ENR') else '05-1'
            # --- tax-side identifiers
            if scen == 'AMBIG':
                tmode = 'T1'
            elif strong or scen in ('ELSE',) or (j[2] and scen in ('FULL', 'NE')):
                tmode = 'T2' if r() < 0.45 else 'T3'
            else:
                tmode = self.pick(self.tax_modes)
                if tmode in ('T1', 'T5') and leg is None:
                    tmode = 'T3'
                if tmode == 'T4' and cmnd is None:
                    tmode = 'T3'
            tcell = icell = ''
            tax_ids = set()
            if tmode == 'T1':
                tcell = leg
                tax_ids.add(leg)
            elif tmode == 'T2':
                tcell = cccd
                tax_ids.add(cccd)
            elif tmode == 'T3':
                icell = cccd
                tax_ids.add(cccd)
            elif tmode == 'T4':
                icell = cmnd
                tax_ids.add(cmnd)
            else:
                tcell, icell = leg, cccd
                tax_ids.add(leg)
                tax_ids.add(cccd)
            # may this person lose an identifier to damage?  Only when a name
            # route is left: enrolled here, unique name key, not "strong".
            soft = (not strong and scen in ('FULL', 'PARTYR', 'PARTIAL', 'S2_ENR', 'RET_ENR'))
            if messy:
                if tcell:
                    if len(tcell) == 10:
                        if tcell[0] == '0' and r() < D_LEGACY_STRIP:
                            tcell = tcell[1:]
                        elif r() < D_ID_DOT0:
                            tcell = tcell + '.0'
                        else:
                            tcell = self.id_fmt(tcell, False)
                    else:
                        tcell = self.id_fmt(tcell, False)
                if icell:
                    icell = self.id_fmt(icell, len(icell) == 12)
                if soft and r() < D_SCI:
                    if tmode == 'T2':
                        tcell = self.sci(cccd)
                        tax_ids.discard(cccd)
                    elif tmode in ('T3', 'T5'):
                        icell = self.sci(cccd[1:] if r() < 0.7 else cccd)
                        tax_ids.discard(cccd)
                if (tcell and not icell) and r() < D_PLACEHOLDER:
                    icell = PLACEHOLDERS[int(r() * len(PLACEHOLDERS))]
                elif (icell and not tcell) and r() < D_PLACEHOLDER:
                    tcell = PLACEHOLDERS[int(r() * len(PLACEHOLDERS))]
            # --- SI rows
            si_ids = set()
            if spans is not None:
                has_si = True
                if scen == 'AMBIG' or strong or j[2]:
                    smode = 'S1' if r() < 0.7 else 'S2'
                else:
                    smode = self.pick(self.si_modes)
                    if smode == 'S3' and cmnd is None:
                        smode = 'S1'
                if smode == 'S1':
                    sn, sid = sino, cccd
                elif smode == 'S2':
                    sn, sid = cccd, (cccd if r() < 0.5 else '')
                elif smode == 'S3':
                    sn, sid = sino, cmnd
                else:
                    sn, sid = sino, ''
                si_ids.add(sn)
                if sid:
                    si_ids.add(sid)
                si_sci = messy and soft and r() < D_SCI and len(sid) == 12
                si_ph = messy and soft and r() < D_PLACEHOLDER and sid == '' and sn
                if si_sci:
                    si_ids.discard(sid)
                nm_si = None
                for (a, b, plan) in spans:
                    if at_branch and r() < 0.6:
                        ec, eu = branch
                    else:
                        ec, eu = si_emp_code, si_emp_unit
                    if messy:
                        ecell = '' if r() < D_SI_EMP_BLANK else self.emp_cell(ec)
                        nm_si = self.name_messy(name, si_alt, D_UPPER_SI, ascii_si)
                        c_sn = self.id_fmt(sn, True) if len(sn) == 12 else (
                            sn + '.0' if r() < D_ID_DOT0 else self.id_fmt(sn, False))
                        if si_sci:
                            c_id = self.sci(sid[1:] if r() < 0.7 else sid)
                        elif si_ph:
                            c_id = PLACEHOLDERS[int(r() * len(PLACEHOLDERS))]
                        elif sid:
                            c_id = self.id_fmt(sid, len(sid) == 12)
                        else:
                            c_id = ''
                        dob_s = str(dob[0]) if r() < D_SI_YEAR_ONLY else self.date(dob)
                        line = ';'.join((ecell, eu, nm_si, c_sn, dob_s, c_id,
                                         self.money_messy(sal), self.month(a), self.month(b),
                                         plan))
                    else:
                        line = ','.join((ec, eu, name, sn, sid, self.date(dob), str(sal),
                                         self.month(a), self.month(b), plan))
                    si_lines.append(line)
                    if messy and r() < D_DUP_SI:
                        si_lines.append(line)
            # history span at an SI-only employer (ended before the period)
            if scen not in ('AMBIG',) and r() < HISTORY_SHARE:
                hc, hu = self.si_only[int(r() * len(self.si_only))]
                end = self.p0 - 1 - int(r() * 24)
                hs = (end - 6 - int(r() * 40), end)
                hid = cccd if (strong or scen in ('NE', 'NOSI', 'ELSE', 'NE_OUT')) else ''
                if messy:
                    line = ';'.join((hc, hu, self.name_messy(name, si_alt, D_UPPER_SI),
                                     sino, self.date(dob), hid, self.money_messy(sal),
                                     self.month(hs[0]), self.month(hs[1]), 'TM'))
                else:
                    line = ','.join((hc, hu, name, sino, hid, self.date(dob), str(sal),
                                     self.month(hs[0]), self.month(hs[1]), 'TM'))
                si_lines.append(line)
            # crosswalk rows (never for AMBIG people: they must stay apart)
            links = []
            if scen != 'AMBIG':
                if leg is not None and r() < XWALK_LEGACY:
                    links.append((cccd, leg, '', ''))
                if cmnd is not None and r() < XWALK_CMND:
                    links.append((cccd, '', cmnd, ''))
                if r() < XWALK_SI:
                    links.append((cccd, '', '', sino))
                for lk in links:
                    xw_lines.append(','.join(lk))
            # --- route (statistics; and the invariant for "strong" people)
            if spans is not None:
                idset = set(tax_ids)
                for lk in links:
                    ids = [v for v in lk if v]
                    if any(v in idset for v in ids):
                        idset.update(ids)
                r1 = bool(idset & si_ids)
                self.routes['R1' if r1 else 'NAME'] += 1
                if (strong or j[2]) and scen != 'AMBIG' and not r1:
                    raise AssertionError('strong person without an ID route')
            # --- truth status (from the model)
            if scen == 'AMBIG':
                status = 'REVIEW'
            elif spans is not None:
                cm = self.covered(spans)
                if cm == 0:
                    status = 'NOT_ENROLLED'
                    assert scen == 'NE_OUT'
                elif scen == 'PARTIAL':
                    status = 'PARTIAL'   # income months are always written for these
                    assert cm < im
                else:
                    status = 'ENROLLED'
                    assert cm >= im
            elif scen in ('S2_REV',):
                status = 'REVIEW'
            elif scen == 'RET_REV':
                status = 'REVIEW'
                assert self.past_retirement(p)
            elif scen == 'ELSE':
                status = 'COVERED_ELSEWHERE'
            else:
                status = 'NOT_ENROLLED'
            if status in ('NOT_ENROLLED', 'COVERED_ELSEWHERE') or scen == 'S2_REV':
                assert not self.past_retirement(p)
            dne = 1 if (status == 'NOT_ENROLLED' and ded > 0) else 0
            self.status_counts[status] = self.status_counts.get(status, 0) + 1
            cnt['taxed'] += 1
            cnt[status] += 1
            cnt['dne'] += dne
            # --- the tax row
            if form:
                nm = self.name_messy(name, tax_alt, D_UPPER_TAX)
                form_rows.append((nm, tcell, icell, ti, ded, status, dne))
                continue
            if messy:
                ecell = self.emp_cell(emp_c)
                nm = self.name_messy(name, tax_alt, D_UPPER_TAX)
                need_dob = scen in ('RET_REV', 'RET_ENR')
                dob_s = self.date(dob) if (need_dob or r() < TAX_DOB_MESSY) else ''
                im_s = str(im) if (scen == 'PARTIAL' or r() < TAX_IM_MESSY) else ''
                ded_s = self.money_messy(ded) if ded else ('' if r() < 0.5 else '0')
                sch_s = sched if (sched == '05-2' or r() < 0.95) else ''
                line = ';'.join((ecell, ename, nm, tcell, icell, dob_s, str(Y), im_s,
                                 self.money_messy(ti), ded_s, self.money_messy(tw), sch_s))
            else:
                line = ','.join((emp_c, ename, name, tcell, icell, self.date(dob), str(Y),
                                 str(im), str(ti), str(ded), str(tw), sched))
            self.tax_line += 1
            tax_lines.append(line)
            truth_lines.append('%s,%d,%s,%s,%d' % (self.tax_name, self.tax_line, code, status, dne))
            if messy and r() < D_DUP_TAX:
                dup_rows.append((line, self.tax_line))

        # noise SI rows
        for p in noise:
            name, sex, dob, cccd, leg, cmnd, sino, fkey = p
            u = r()
            if u < 0.6:
                spans = self.spans_full()
            elif u < 0.8:
                spans = self.spans_covering(1 + int(r() * 11))
            else:
                spans = self.spans_outside()
            has_si = True
            sal = 4500000 + int(R.lognormvariate(15.2, 0.55)) // 1000 * 1000
            sid = cccd if r() < 0.8 else ''
            for (a, b, plan) in spans:
                if messy:
                    line = ';'.join((self.emp_cell(code) if r() > D_SI_EMP_BLANK else '', unit,
                                     self.name_messy(name, si_alt, D_UPPER_SI, ascii_si),
                                     sino, self.date(dob), self.id_fmt(sid, True) if sid else '',
                                     self.money_messy(sal), self.month(a), self.month(b), plan))
                else:
                    line = ','.join((code, unit, name, sino, sid, self.date(dob), str(sal),
                                     self.month(a), self.month(b), plan))
                si_lines.append(line)
            if r() < 0.2:
                xw_lines.append('%s,,,%s' % (cccd, sino))

        # strong FULL people become second-job candidates elsewhere
        for j in jobs:
            if j[2] and j[1] == 'FULL' and len(j) == 3:
                if len(self.pool) < POOL_MAX:
                    self.pool.append(j[0])
                else:
                    self.pool[int(r() * POOL_MAX)] = j[0]

        # ---- write ------------------------------------------------------------
        nl = '\r\n' if messy else '\n'
        if form:
            self.write_form(code, ename, form_rows, money_style_form, cnt)
        else:
            if dup_rows:
                for line, orig in dup_rows:
                    self.tax_line += 1
                    tax_lines.append(line)
                    truth_lines.append('%s,%d,%s,DUPLICATE,0' % (self.tax_name, self.tax_line, code))
                    self.dup_f.write('%s,%d,%d\n' % (self.tax_name, self.tax_line, orig))
                    self.dup_tax += 1
            self.tax_f.write(nl.join(tax_lines) + nl)
            self.truth_f.write('\n'.join(truth_lines) + '\n')
        self.tax_rows += cnt['taxed']
        if si_lines:
            si_out.write('\n'.join(si_lines) + '\n')
            self.si_rows += len(si_lines)
        if xw_lines:
            self.xw_f.write('\n'.join(xw_lines) + '\n')
            self.xw_rows += len(xw_lines)
        ne = cnt['NOT_ENROLLED']
        if ne >= 1:
            finding = 'UNDER_ENROLLMENT' if has_si else 'NO_SI_REGISTRATION'
        elif cnt['PARTIAL'] >= 1:
            finding = 'PARTIAL_ENROLLMENT'
        else:
            finding = 'NONE'
        self.temp_f.write('%s,%s,%d,%d,%d,%d,%d,%d,%d\n' % (
            code, finding, cnt['taxed'], ne, cnt['PARTIAL'], cnt['REVIEW'],
            cnt['COVERED_ELSEWHERE'], cnt['dne'], 1 if has_si else 0))

    def write_form(self, code, ename, rows, mstyle, cnt):
        """A per-employer 05-1/BK-QTT-TNCN export (comma, BOM, CRLF)."""
        Y = self.year
        fname = 'bk-05-1-%s.csv' % code
        nl = '\r\n'
        lines = ['05-1/BK-QTT-TNCN',
                 '(Kèm theo tờ khai quyết toán thuế thu nhập cá nhân mẫu số 05/QTT-TNCN)',
                 '[01] Kỳ tính thuế: Năm %d' % Y,
                 '[04] Tên người nộp thuế: %s' % ename,
                 '[05] Mã số thuế: %s' % code,
                 '',
                 'STT,Họ và tên,Mã số thuế,Số CMND/CCCD/Hộ chiếu,Thu nhập chịu thuế,,Bảo hiểm được trừ',
                 ',,,,Tổng số,Trong đó: TNCT được miễn giảm,',
                 '[06],[07],[08],[09],[12],[13],[19]']
        truth = []
        sti = sded = 0
        for k, (nm, tcell, icell, ti, ded, status, dne) in enumerate(rows):
            lines.append(','.join((str(k + 1), nm, tcell, icell, self.money(ti, mstyle), '0',
                                   self.money(ded, mstyle) if ded else '0')))
            truth.append('%s,%d,%s,%s,%d' % (fname, len(lines), code, status, dne))
            sti += ti
            sded += ded
        lines.append('Tổng cộng,,,,%s,,%s' % (self.money(sti, mstyle), self.money(sded, mstyle)))
        with open(os.path.join(self.out, 'tax', fname), 'w', encoding='utf-8', newline='') as f:
            f.write('\ufeff' + nl.join(lines) + nl)
        self.truth_f.write('\n'.join(truth) + '\n')
        self.forms += 1

# ---------------------------------------------------------------------------
# --wordings unseen: headers as other tools and clerks write them
# ---------------------------------------------------------------------------
# These wordings are written for the generator only, from the forms and from
# exports of payroll, HR and accounting tools; they are not taken from
# sirecon's alias tables (src/header_aliases.c) or its vocabularies (src/labels.c),
# so a truth run with them measures how the reader generalises.  Several are
# meant to be hard (abbreviations, qualifiers naming another field, English
# snake_case, no diacritics).
UNSEEN = {
    'tax': {
        'employer_tax_id': ['MST đơn vị trả thu nhập', 'Mã số thuế của tổ chức chi trả',
                            'MST doanh nghiệp (10 số)', 'Mã số thuế Cty', 'employer_tin',
                            'Payer tax code', 'MA SO THUE DON VI',
                            'Mã số thuế tổ chức, cá nhân trả thu nhập'],
        'employer_name': ['Tên tổ chức trả thu nhập', 'Tên DN', 'Đơn vị công tác',
                          'company_name', 'Tên công ty/đơn vị', 'Employer name', 'TEN DON VI',
                          'Tên người nộp thuế (tổ chức)'],
        'full_name': ['Họ tên người lao động', 'Họ và tên cá nhân nhận thu nhập', 'Tên nhân viên',
                      'employee_name', 'Full name of employee', 'HO VA TEN', 'Họ, tên',
                      'Người lao động'],
        'employee_tax_id': ['MST cá nhân', 'Mã số thuế người lao động', 'MST NLĐ (nếu có)',
                            'personal_tax_code', 'Mã số thuế TNCN của cá nhân', 'MST (cá nhân)',
                            'Tax code of employee', 'MA SO THUE CA NHAN'],
        'id_number': ['Số CCCD/Định danh', 'CCCD/CMND/Hộ chiếu số',
                      'Số giấy tờ tùy thân (CCCD/HC)', 'citizen_id', 'National ID No.', 'So CCCD',
                      'Căn cước công dân', 'Số ĐDCN',
                      'Số CMND/CCCD (trường hợp chưa có mã số thuế)'],
        'birth_date': ['Ngày, tháng, năm sinh', 'Sinh ngày', 'date_of_birth', 'NGAY SINH',
                       'DOB (dd/mm/yyyy)'],
        'tax_year': ['Kỳ quyết toán', 'Năm tính thuế', 'period', 'fiscal_year', 'Năm',
                     'Kỳ tính thuế (năm)'],
        'income_months': ['Số tháng thực tế làm việc', 'Số tháng nhận thu nhập',
                          'months_with_income', 'Số tháng có TN', 'Tháng làm việc'],
        'taxable_income': ['Tổng TNCT', 'Tổng thu nhập chịu thuế (đồng)',
                           'Thu nhập chịu thuế trong năm', 'gross_taxable_income',
                           'Taxable income (VND)', 'TỔNG THU NHẬP CHỊU THUẾ',
                           'Tổng số TNCT phát sinh', 'TN chịu thuế'],
        'insurance_deduction': ['Các khoản đóng bảo hiểm bắt buộc', 'BHXH, BHYT, BHTN NLĐ đóng',
                                'Bảo hiểm bắt buộc được giảm trừ', 'insurance_deducted',
                                'Compulsory insurance (employee)', 'BH bắt buộc',
                                'Khoản đóng BH được trừ'],
        'tax_withheld': ['Thuế TNCN đã khấu trừ', 'Số thuế đã khấu trừ/tạm nộp', 'pit_withheld',
                         'Tax withheld (VND)', 'Thuế đã khấu trừ trong năm',
                         'Số thuế TNCN đã tạm khấu trừ'],
        'schedule': ['Phụ lục', 'Mẫu biểu', 'form_code', 'Loại bảng kê (05-1/05-2)', 'Bảng kê'],
    },
    'si': {
        'employer_tax_id': ['MST đơn vị', 'Mã số thuế doanh nghiệp', 'employer_tax_code', 'MST',
                            'Mã số thuế (đơn vị)', 'Tax code of employer'],
        'unit_code': ['Mã đơn vị BHXH', 'Mã ĐV', 'si_unit_code', 'Mã số đơn vị',
                      'Mã đơn vị quản lý', 'Unit'],
        'full_name': ['Họ và tên người tham gia', 'Họ tên', 'participant_name', 'HỌ VÀ TÊN',
                      'Tên người lao động', 'Full name'],
        'si_number': ['Mã số BHXH (10 số)', 'Số sổ BHXH', 'social_insurance_number', 'Mã BHXH',
                      'SỐ SỔ BẢO HIỂM XÃ HỘI', 'Mã số bảo hiểm'],
        'birth_date': ['Ngày, tháng, năm sinh', 'Sinh ngày', 'date_of_birth', 'NGAY SINH',
                       'Năm sinh'],
        'id_number': ['Số CCCD/Hộ chiếu', 'Số định danh cá nhân', 'citizen_id', 'Số CMND/CCCD',
                      'Giấy tờ tùy thân', 'Personal ID number'],
        'salary': ['Mức tiền lương đóng BHXH', 'Tiền lương tháng đóng BH', 'salary_base',
                   'Lương đóng bảo hiểm', 'Mức đóng', 'Hệ số/Mức lương (đồng)',
                   'Contribution salary'],
        'from_month': ['Từ tháng/năm', 'Thời điểm bắt đầu', 'start_month', 'Tháng bắt đầu đóng',
                       'Từ ngày', 'Hiệu lực từ', 'Period from'],
        'to_month': ['Đến tháng/năm', 'Thời điểm kết thúc', 'end_month', 'Tháng kết thúc đóng',
                     'Đến ngày', 'Hiệu lực đến', 'Period to'],
        'plan_code': ['Phương án', 'Mã PA', 'plan', 'Mã phương án đóng', 'Loại phương án'],
    },
}
# A second set, held out: written after the reader was tuned on UNSEEN, and
# run without changing the reader to suit it (--wordings heldout).
HELDOUT = {
    'tax': {
        'employer_tax_id': ['Mã số thuế người nộp thuế', 'MST của DN', 'Tax ID (company)',
                            'organisation_tax_number', 'MÃ SỐ THUẾ TỔ CHỨC TRẢ TN'],
        'employer_name': ['Tên tổ chức', 'Tên đơn vị trả TN', 'organisation', 'Công ty',
                          'Đơn vị'],
        'full_name': ['Họ và tên NLĐ', 'Tên đầy đủ', 'name', 'Họ tên cán bộ, nhân viên',
                      'HỌ TÊN NGƯỜI NHẬN THU NHẬP'],
        'employee_tax_id': ['MST TNCN', 'Mã số thuế của người lao động', 'Personal TIN',
                            'employee_tax_number', 'Mã số thuế cá nhân (nếu có)'],
        'id_number': ['Số CMT/CCCD', 'Số căn cước', 'CCCD số', 'identity_card_no',
                      'Số định danh (CCCD)', 'Giấy tờ cá nhân số'],
        'birth_date': ['Ngày tháng năm sinh', 'Birthday', 'ngay_sinh', 'Sinh năm'],
        'tax_year': ['Năm QT', 'Năm quyết toán thuế', 'Tax year', 'nam'],
        'income_months': ['Số tháng làm việc thực tế', 'Tháng có thu nhập', 'no_of_months',
                          'Số tháng tính thu nhập'],
        'taxable_income': ['Thu nhập chịu thuế (Tổng số)', 'Tổng thu nhập chịu thuế phát sinh',
                           'TNCT', 'total_taxable_income', 'Thu nhập chịu thuế TNCN'],
        'insurance_deduction': ['Bảo hiểm bắt buộc trừ vào lương', 'Các khoản BH được trừ',
                                'BHXH NLĐ', 'social_insurance_deduction',
                                'Tiền bảo hiểm NLĐ đóng'],
        'tax_withheld': ['Thuế đã khấu trừ', 'Số thuế TNCN đã khấu trừ trong kỳ', 'PIT paid',
                         'tax_deducted', 'Thuế TNCN đã khấu trừ, tạm nộp'],
        'schedule': ['Mẫu số', 'Loại phụ lục', 'form'],
    },
    'si': {
        'employer_tax_id': ['Mã số thuế', 'MST DN', 'company_tax_id', 'Mã số thuế của đơn vị'],
        'unit_code': ['Mã ĐV BHXH', 'Mã đơn vị tham gia', 'unit_code', 'Mã cơ quan BHXH cấp'],
        'full_name': ['Họ tên người tham gia', 'Họ và tên lao động', 'fullname', 'Tên'],
        'si_number': ['Mã số BHXH/Số sổ', 'Số sổ bảo hiểm', 'bhxh_no', 'Mã số BH'],
        'birth_date': ['Ngày sinh', 'Năm sinh', 'dob', 'Ngày tháng năm sinh'],
        'id_number': ['Số CCCD', 'CMND/CCCD', 'id_card', 'Số định danh'],
        'salary': ['Tiền lương đóng', 'Mức lương đóng BHXH (VNĐ)', 'wage', 'Lương CB'],
        'from_month': ['Tháng bắt đầu', 'Từ tháng', 'from', 'Thời điểm bắt đầu đóng BHXH'],
        'to_month': ['Tháng kết thúc', 'Đến tháng', 'to', 'Thời điểm kết thúc đóng BHXH'],
        'plan_code': ['PA', 'Phương án đóng', 'plan_type'],
    },
}
# the canonical field of each column of the generator's own headers (the
# messy SI export has the birth date before the ID number)
OWN_FIELDS = {
    TAX_HDR_CLEAN: TAX_HDR_CLEAN.split(','),
    SI_HDR_CLEAN: SI_HDR_CLEAN.split(','),
    TAX_HDR_VI: TAX_HDR_CLEAN.split(','),
    SI_HDR_VI: ['employer_tax_id', 'unit_code', 'full_name', 'si_number', 'birth_date',
                'id_number', 'salary', 'from_month', 'to_month', 'plan_code'],
}
# columns of other data an export carries (never a person's identifier in
# the sense of the matching): label choices and a value maker
EXTRA_COLS = [
    (['Số điện thoại', 'SĐT', 'Phone', 'Điện thoại liên hệ'],
     lambda r: '09%08d' % int(r.random() * 1e8)),
    (['Email', 'Địa chỉ email'], lambda r: 'nv%d@congty.vn' % int(r.random() * 1e6)),
    (['Phòng ban', 'Bộ phận', 'Department'],
     lambda r: ['Kế toán', 'Kỹ thuật', 'Kinh doanh', 'Sản xuất'][int(r.random() * 4)]),
    (['Ngày cấp CCCD', 'Ngày cấp', 'Issue date'],
     lambda r: '%02d/%02d/20%02d' % (1 + int(r.random() * 28), 1 + int(r.random() * 12),
                                     10 + int(r.random() * 14))),
    (['Số tài khoản ngân hàng', 'STK', 'Bank account'],
     lambda r: '%013d' % int(r.random() * 1e13)),
    (['Mã nhân viên', 'Mã NV', 'Employee code'], lambda r: 'NV%05d' % int(r.random() * 1e5)),
    (['Ghi chú', 'Note'], lambda r: ''),
]
HIDDEN_ID_LABEL = ['Số hồ sơ', 'Thông tin khác', 'Mã tham chiếu']


def relabel(out, seed, hide_id=False, table=None):
    """Rewrite the headers of a generated scenario with UNSEEN wordings, shuffle
    the columns of the main exports and add unrelated columns.  Rows keep their
    physical lines, so truth.csv stays valid.  hide_id: the person-ID column of
    every main export gets a label that says nothing (HIDDEN_ID_LABEL): the
    reader may use it by its content or must report it."""
    import csv
    rnd = random.Random(seed * 7919 + 17)
    table = table or UNSEEN
    for sub, kind in (('tax', 'tax'), ('si', 'si')):
        d = os.path.join(out, sub)
        for fn in sorted(os.listdir(d)):
            path = os.path.join(d, fn)
            with open(path, encoding='utf-8-sig', newline='') as f:
                text = f.read()
            bom = text != open(path, encoding='utf-8', newline='').read()
            nl = '\r\n' if '\r\n' in text[:4096] else '\n'
            delim = ';' if text.split(nl, 1)[0].count(';') > text.split(nl, 1)[0].count(',') \
                else ','
            rows = list(csv.reader(text.split(nl)[:-1] if text.endswith(nl) else
                                   text.split(nl), delimiter=delim))
            if fn.startswith('bk-05-1-'):
                # a form export: relabel the first header row only
                h = 6
                lab = {1: 'full_name', 2: 'employee_tax_id', 3: 'id_number',
                       4: 'taxable_income', 6: 'insurance_deduction'}
                for c, fld in lab.items():
                    if fld == 'taxable_income':
                        continue  # the parent of "Tổng số": keep the form's group
                    w = table[kind][fld]
                    rows[h][c] = HIDDEN_ID_LABEL[0] if (hide_id and fld == 'id_number') \
                        else w[int(rnd.random() * len(w))]
            else:
                hdr = rows[0]
                fields = OWN_FIELDS.get(delim.join(hdr))
                if fields is None:
                    raise SystemExit('relabel: %s: unexpected header' % path)
                labels = []
                for fld in fields:
                    w = table[kind].get(fld)
                    if hide_id and fld == 'id_number':
                        labels.append(HIDDEN_ID_LABEL[int(rnd.random() * len(HIDDEN_ID_LABEL))])
                    else:
                        labels.append(w[int(rnd.random() * len(w))] if w else fld)
                extras = [e for e in EXTRA_COLS if rnd.random() < 0.5]
                ex_labels = [e[0][int(rnd.random() * len(e[0]))] for e in extras]
                order = list(range(len(fields) + len(extras)))
                rnd.shuffle(order)
                new = []
                for r in rows:
                    if r == [] or r == ['']:
                        new.append(r)
                        continue
                    if r == hdr:
                        full = labels + ex_labels
                    else:
                        full = list(r) + [e[1](rnd) for e in extras]
                    new.append([full[i] for i in order])
                rows = new
            buf = []
            for r in rows:
                if r == [] or r == ['']:
                    buf.append('')
                    continue
                q = []
                for c in r:
                    if delim in c or '"' in c or '\n' in c:
                        c = '"' + c.replace('"', '""') + '"'
                    q.append(c)
                buf.append(delim.join(q))
            with open(path, 'w', encoding='utf-8', newline='') as f:
                f.write(('\ufeff' if bom else '') + nl.join(buf) + nl)


def main(argv=None):
    ap = argparse.ArgumentParser(description='sirecon ground-truth scenario generator')
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--tax-rows', type=int, required=True)
    ap.add_argument('--flavor', choices=('clean', 'messy'), default='messy')
    ap.add_argument('--year', type=int, default=2025)
    ap.add_argument('--out', required=True)
    ap.add_argument('-q', '--quiet', action='store_true')
    ap.add_argument('--wordings', choices=('own', 'unseen', 'heldout'), default='own',
                    help='unseen: headers in wordings the reader never saw, columns '
                         'shuffled, unrelated columns added (relabel())')
    ap.add_argument('--hide-id-label', action='store_true',
                    help='with --wordings unseen: the person-ID column says nothing')
    a = ap.parse_args(argv)
    if a.tax_rows < 1:
        ap.error('--tax-rows must be at least 1')
    if os.path.isdir(a.out) and os.listdir(a.out):
        if not os.path.exists(os.path.join(a.out, 'scenario.json')) and \
                not os.path.exists(os.path.join(a.out, 'truth.csv')):
            print('gen.py: %s exists and is not a generated scenario; refusing to overwrite'
                  % a.out, file=sys.stderr)
            return 2
        for sub in ('tax', 'si'):
            shutil.rmtree(os.path.join(a.out, sub), ignore_errors=True)
    meta = Gen(a.seed, a.tax_rows, a.flavor, a.year, a.out).run()
    if a.wordings != 'own':
        relabel(a.out, a.seed, a.hide_id_label,
                UNSEEN if a.wordings == 'unseen' else HELDOUT)
    if not a.quiet:
        print('gen: seed=%d %s: %d tax rows (+%d duplicates), %d SI rows, %d employers, '
              '%.1f MB in %.1fs (%d rows/s)' % (
                  a.seed, a.flavor, meta['tax_rows'], meta['tax_duplicate_rows'],
                  meta['si_rows'], meta['employers'], meta['input_bytes'] / 1e6,
                  meta['generation_seconds'], meta['rows_per_second']), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
