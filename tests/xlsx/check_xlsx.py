#!/usr/bin/python3
# check_xlsx.py - read report.xlsx back with openpyxl, independently of the C
# code that wrote it, and check what an inspector relies on (docs/architecture.md, "Outputs"):
# sheet names and order in the chosen language, localized header cells (the
# expected labels are written out here, not taken from the C table), bold
# headers, frozen panes at A2, autofilter over header and data, IDs stored as
# text, money as numbers with a thousands format, dates as dates, emphasized
# DEDUCTED_NOT_ENROLLED rows, hyperlinks from each employer to its first
# employee row, chart parts, every method parameter, row counts, the
# Input files sheet (relative paths, counts, checksums).
#
# usage: check_xlsx.py FILE --lang en|vi [--employers N] [--employees M]
#                      [--review R] [--rejects K] [--inputs F] [--created EPOCH]
#                      [--dump OUT]
# Prints one line per failed check and exits 1, or "xlsx-check: OK FILE".
# --dump writes a canonical text dump of every cell value and hyperlink, for
# comparing two runs.
import argparse
import datetime
import re
import sys
import unicodedata
import zipfile

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:
    print("xlsx-check: SKIP python3-openpyxl is not installed for %s" % sys.executable)
    sys.exit(77)

SHEETS = {
    "en": ["Summary", "Employers", "Employees", "Review", "Rejects", "Input files", "Method"],
    "vi": ["Tổng hợp", "Đơn vị", "Người lao động", "Cần xem xét", "Dòng bị loại",
           "Tệp đầu vào", "Phương pháp"],
}

EMPLOYER_FIELDS = ["rank", "employer_tax_id", "employer_name", "area", "finding",
                   "taxed", "enrolled", "not_enrolled", "partial",
                   "covered_elsewhere", "review", "deducted_not_enrolled",
                   "coverage_pct", "unenrolled_income", "est_arrears", "trend"]
EMPLOYEE_FIELDS = ["employer_tax_id", "employer_name", "full_name", "person_id",
                   "id_kind", "birth_date", "schedule", "taxable_income",
                   "insurance_deduction", "status", "reason", "rule",
                   "confidence", "covered_months", "other_employer_tax_id",
                   "flags", "source"]
REJECT_FIELDS = ["file", "line", "kind", "reason", "column", "detail"]

HEADERS = {
    "en": {
        "employers": ["Rank", "Employer tax code", "Employer name", "Area", "Finding",
                      "Taxed employees", "Enrolled", "Not enrolled",
                      "Partially enrolled", "Covered elsewhere", "To review",
                      "Deducted, not enrolled", "Coverage %",
                      "Income of not enrolled (VND)", "Estimated arrears (VND)",
                      "Trend"],
        "employees": ["Employer tax code", "Employer name", "Full name", "Person ID",
                      "ID kind", "Birth date", "Schedule", "Taxable income (VND)",
                      "Insurance deducted (VND)", "Status", "Reason", "Rule",
                      "Confidence", "Covered months", "Other employer tax code",
                      "Flags", "Source"],
        "rejects": ["File", "Line", "Kind", "Reason", "Column", "Detail"],
        "inputs": ["File", "Kind", "Form", "Rows read", "Loaded", "Rejected",
                   "SHA-256 (prefix)", "Encoding"],
    },
    "vi": {
        "employers": ["Hạng", "Mã số thuế đơn vị", "Tên đơn vị", "Địa bàn", "Kết luận",
                      "Số NLĐ quyết toán thuế", "Đã tham gia BHXH",
                      "Chưa tham gia BHXH", "Tham gia không đủ tháng",
                      "Tham gia ở đơn vị khác", "Cần xem xét",
                      "Đã trừ BH nhưng chưa tham gia", "Tỷ lệ tham gia (%)",
                      "Thu nhập của NLĐ chưa tham gia (VND)", "Số nợ ước tính (VND)",
                      "Diễn biến"],
        "employees": ["Mã số thuế đơn vị", "Tên đơn vị", "Họ và tên",
                      "Mã định danh cá nhân", "Loại mã định danh", "Ngày sinh",
                      "Phụ lục", "Tổng thu nhập chịu thuế (VND)",
                      "Bảo hiểm được trừ (VND)", "Tình trạng", "Lý do", "Quy tắc",
                      "Độ tin cậy", "Số tháng tham gia", "MST đơn vị khác",
                      "Cờ cảnh báo", "Nguồn"],
        "rejects": ["Tệp", "Dòng", "Loại tệp", "Lý do", "Cột", "Chi tiết"],
        "inputs": ["Tệp", "Loại tệp", "Mẫu biểu", "Số dòng đọc", "Đã nạp", "Bị loại",
                   "SHA-256 (phần đầu)", "Bảng mã"],
    },
}

# the words that must label the arrears as an estimate on the Summary
ESTIMATE_WORD = {"en": "an estimate for ranking", "vi": "ước tính"}

PARAMETERS = ["employer_rate", "employee_rate", "base_cap", "min_wage_1",
              "min_wage_2", "min_wage_3", "min_wage_4", "low_base_ratio",
              "retire_male_months", "retire_female_months", "period_months"]
RULES = ["R1_ID", "R2_NAME_DOB", "R3_NAME", "R4_ELSEWHERE"]

ID_FIELDS = {"employer_tax_id", "person_id", "other_employer_tax_id"}
MONEY_FIELDS = {"unenrolled_income", "est_arrears", "taxable_income",
                "insurance_deduction"}
COUNT_FIELDS = {"rank", "taxed", "enrolled", "not_enrolled", "partial",
                "covered_elsewhere", "review", "deducted_not_enrolled",
                "covered_months", "line"}

failures = []


def fail(msg):
    failures.append(msg)
    print("xlsx-check: FAIL %s" % msg)


def parts_of(names, base):
    """The sheets of one table: base, 'base (2)', ... in order."""
    out = []
    for n in names:
        if n == base:
            out.append((1, n))
        else:
            m = re.fullmatch(re.escape(base) + r" \((\d+)\)", n)
            if m:
                out.append((int(m.group(1)), n))
    return out


def check_order(names, lang):
    want = SHEETS[lang]
    i = 0
    for k, base in enumerate(want):
        parts = parts_of(names, base)
        if not parts:
            fail("sheet %r missing (sheets: %r)" % (base, names))
            return
        nums = [p for p, _ in parts]
        if nums != list(range(1, len(nums) + 1)):
            fail("sheet %r parts out of order: %r" % (base, nums))
        for _, n in parts:
            if i >= len(names) or names[i] != n:
                fail("sheet order: expected %r at position %d, sheets are %r" % (n, i, names))
                return
            i += 1
    if i != len(names):
        fail("unexpected extra sheets: %r" % names[i:])


def check_table(ws, headers, fields):
    """Header row, bold, frozen pane, autofilter; returns the data rows."""
    name = ws.title
    got = [ws.cell(row=1, column=c + 1).value for c in range(len(headers))]
    if got != headers:
        fail("%s: header row %r, expected %r" % (name, got, headers))
    extra = ws.cell(row=1, column=len(headers) + 1).value
    if extra is not None:
        fail("%s: unexpected header cell %r after the last column" % (name, extra))
    for c in range(len(headers)):
        cell = ws.cell(row=1, column=c + 1)
        if not (cell.font and cell.font.b):
            fail("%s: header %s1 is not bold" % (name, get_column_letter(c + 1)))
            break
        if isinstance(cell.value, str) and unicodedata.normalize("NFC", cell.value) != cell.value:
            fail("%s: header %r is not NFC" % (name, cell.value))
    if ws.freeze_panes != "A2":
        fail("%s: frozen pane %r, expected 'A2'" % (name, ws.freeze_panes))
    last = ws.max_row
    want_ref = "A1:%s%d" % (get_column_letter(len(headers)), last)
    if ws.auto_filter.ref != want_ref:
        fail("%s: autofilter %r, expected %r" % (name, ws.auto_filter.ref, want_ref))
    rows = []
    for r in range(2, last + 1):
        rows.append({f: ws.cell(row=r, column=c + 1) for c, f in enumerate(fields)})
    for w_col in range(len(headers)):
        letter = get_column_letter(w_col + 1)
        dim = ws.column_dimensions.get(letter) if hasattr(ws.column_dimensions, "get") else None
        if dim is not None and dim.width and dim.width > 61:
            fail("%s: column %s width %s over the cap" % (name, letter, dim.width))
    return rows


def check_cells(sheet, rows, required_ids=("employer_tax_id",)):
    for i, row in enumerate(rows, start=2):
        for f, cell in row.items():
            v = cell.value
            if f in ID_FIELDS:
                if v is None:
                    if f in required_ids:
                        fail("%s!%s: empty %s" % (sheet, cell.coordinate, f))
                elif cell.data_type != "s" or not isinstance(v, str):
                    fail("%s!%s: %s stored as %r (type %s), not text"
                         % (sheet, cell.coordinate, f, v, cell.data_type))
                elif f == "employer_tax_id" and not re.fullmatch(r"\d{10}(\d{3})?", v):
                    fail("%s!%s: employer tax code %r is not 10 or 13 digits"
                         % (sheet, cell.coordinate, v))
            elif f in MONEY_FIELDS:
                if not isinstance(v, (int, float)) or isinstance(v, bool):
                    fail("%s!%s: %s %r is not a number" % (sheet, cell.coordinate, f, v))
                if cell.number_format != "#,##0":
                    fail("%s!%s: %s format %r, expected '#,##0'"
                         % (sheet, cell.coordinate, f, cell.number_format))
            elif f == "coverage_pct":
                if not isinstance(v, (int, float)) or cell.number_format != "0.0":
                    fail("%s!%s: coverage %r / %r, expected a number in '0.0'"
                         % (sheet, cell.coordinate, v, cell.number_format))
            elif f in COUNT_FIELDS:
                if not isinstance(v, (int, float)) or v < 0 or v != int(v):
                    fail("%s!%s: %s %r is not a count" % (sheet, cell.coordinate, f, v))
            elif f == "birth_date":
                if v is None:
                    pass
                elif isinstance(v, datetime.datetime):
                    if not cell.is_date:
                        fail("%s!%s: birth date without a date format" % (sheet, cell.coordinate))
                elif not (isinstance(v, str) and re.fullmatch(r"\d{4}", v)):
                    fail("%s!%s: birth date %r is neither a date nor a year"
                         % (sheet, cell.coordinate, v))


def check_emphasis(sheet, rows):
    """A DEDUCTED_NOT_ENROLLED row is filled across the row; others are not."""
    for row in rows:
        flags = row["flags"].value or ""
        hot = "DEDUCTED_NOT_ENROLLED" in flags.split("|")
        filled = [c.fill is not None and c.fill.fill_type == "solid" for c in row.values()]
        if hot and not all(filled):
            fail("%s: row %d has DEDUCTED_NOT_ENROLLED but is not emphasized"
                 % (sheet, row["flags"].row))
        if not hot and any(filled):
            fail("%s: row %d is emphasized without DEDUCTED_NOT_ENROLLED"
                 % (sheet, row["flags"].row))


def belongs(code, emp):
    return code == emp or (len(emp) == 10 and len(code) == 13 and code.startswith(emp))


def check_links(wb, emp_parts, employee_parts, emp_rows_by_sheet):
    """Each employer's tax-code cell links to its first row on Employees."""
    # every Employees row in order: (sheet, row, code)
    seq = []
    for _, n in employee_parts:
        for row in emp_rows_by_sheet[n]:
            seq.append((n, row["employer_tax_id"].row, row["employer_tax_id"].value))
    pos = {(n, r): i for i, (n, r, _) in enumerate(seq)}
    first = {}
    for i, (_, _, code) in enumerate(seq):
        if code is None:
            continue
        first.setdefault(code, i)
        if len(code) == 13:
            first.setdefault("prefix:" + code[:10], i)
    employee_names = {n for _, n in employee_parts}
    nlinks = 0
    for _, n in emp_parts:
        ws = wb[n]
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(row=r, column=2)
            emp = cell.value
            cands = [first[k] for k in (emp, "prefix:%s" % emp) if k in first]
            want = min(cands) if cands else None
            link = cell.hyperlink
            if link is None or not link.location:
                if want is not None:
                    fail("%s!%s: employer %s has employee rows but no link"
                         % (n, cell.coordinate, emp))
                continue
            nlinks += 1
            m = re.fullmatch(r"'?(.*?)'?!\$?([A-Z]+)\$?(\d+)", link.location)
            if not m:
                fail("%s!%s: link %r is not an internal cell reference"
                     % (n, cell.coordinate, link.location))
                continue
            tsheet, tcol, trow = m.group(1), m.group(2), int(m.group(3))
            if tsheet not in employee_names:
                fail("%s!%s: link goes to sheet %r, not an Employees sheet"
                     % (n, cell.coordinate, tsheet))
                continue
            target = wb[tsheet].cell(row=trow, column=1).value
            if target is None or not belongs(target, emp):
                fail("%s!%s: link %r lands on tax code %r, not %r"
                     % (n, cell.coordinate, link.location, target, emp))
            elif pos.get((tsheet, trow)) != want:
                fail("%s!%s: link %r is not the employer's first employee row"
                     % (n, cell.coordinate, link.location))
    return nlinks


def check_inputs(ws, headers, want):
    """The Input files sheet: the table (header, frozen, autofilter over its
    rows only: notes follow a blank row), paths relative and wrapped, kinds
    and hashes as text, counts as numbers."""
    name = ws.title
    got = [ws.cell(row=1, column=c + 1).value for c in range(len(headers))]
    if got != headers:
        fail("%s: header row %r, expected %r" % (name, got, headers))
    if not all(ws.cell(row=1, column=c + 1).font.b for c in range(len(headers))):
        fail("%s: header not bold" % name)
    if ws.freeze_panes != "A2":
        fail("%s: frozen pane %r, expected 'A2'" % (name, ws.freeze_panes))
    r = 2
    while ws.cell(row=r, column=1).value is not None:
        r += 1
    n = r - 2
    want_ref = "A1:%s%d" % (get_column_letter(len(headers)), max(r - 1, 1))
    if ws.auto_filter.ref != want_ref:
        fail("%s: autofilter %r, expected %r" % (name, ws.auto_filter.ref, want_ref))
    if want is not None and n != want:
        fail("%s: %d files, expected %d" % (name, n, want))
    for row in range(2, r):
        path = ws.cell(row=row, column=1)
        if not isinstance(path.value, str) or path.value.startswith("/"):
            fail("%s!%s: path %r is not relative" % (name, path.coordinate, path.value))
        if not path.alignment.wrap_text:
            fail("%s!%s: path does not wrap" % (name, path.coordinate))
        for c in (4, 5, 6):
            cell = ws.cell(row=row, column=c)
            if not isinstance(cell.value, (int, float)) or cell.number_format != "#,##0":
                fail("%s!%s: count %r is not a number in '#,##0'"
                     % (name, cell.coordinate, cell.value))
        sha = ws.cell(row=row, column=7)
        if sha.data_type != "s" or not re.fullmatch(r"[0-9a-f]{12}", sha.value or ""):
            fail("%s!%s: sha256 prefix %r is not 12 hex digits as text"
                 % (name, sha.coordinate, sha.value))
    width = ws.column_dimensions["A"].width
    longest = max([len(ws.cell(row=row, column=1).value or "") for row in range(2, r)] + [0])
    if width is None or width < min(longest, 58):
        fail("%s: path column %s wide for paths of %d characters" % (name, width, longest))


def all_values(ws):
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                yield c.value


def dump(wb, path):
    with open(path, "w", encoding="utf-8") as f:
        for ws in wb.worksheets:
            f.write("== %s\n" % ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None:
                        continue
                    v = c.value.isoformat() if isinstance(c.value, datetime.datetime) else c.value
                    link = c.hyperlink.location if c.hyperlink is not None else ""
                    f.write("%s\t%s\t%r\t%s\t%s\n" % (c.coordinate, c.data_type, v,
                                                       c.number_format, link or ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("--lang", choices=["en", "vi"], required=True)
    ap.add_argument("--employers", type=int)
    ap.add_argument("--employees", type=int)
    ap.add_argument("--review", type=int)
    ap.add_argument("--rejects", type=int)
    ap.add_argument("--inputs", type=int, help="expected rows on Input files")
    ap.add_argument("--created", type=int, help="expected creation time (epoch)")
    ap.add_argument("--dump")
    a = ap.parse_args()

    try:
        wb = openpyxl.load_workbook(a.file)
    except Exception as e:  # noqa: BLE001 - any reader error is a failed check
        print("xlsx-check: FAIL %s: cannot be read by openpyxl: %s" % (a.file, e))
        return 1
    names = wb.sheetnames
    check_order(names, a.lang)
    S = SHEETS[a.lang]
    H = HEADERS[a.lang]

    counts = {}
    rows_by_sheet = {}
    for key, base, fields in (("employers", S[1], EMPLOYER_FIELDS),
                              ("employees", S[2], EMPLOYEE_FIELDS),
                              ("review", S[3], EMPLOYEE_FIELDS),
                              ("rejects", S[4], REJECT_FIELDS)):
        total = 0
        for _, n in parts_of(names, base):
            hdr = H["employees"] if key == "review" else H[key]
            rows = check_table(wb[n], hdr, fields)
            if key != "rejects":
                check_cells(n, rows)
            else:
                check_cells(n, rows, required_ids=())
            if fields is EMPLOYEE_FIELDS:
                check_emphasis(n, rows)
            rows_by_sheet[n] = rows
            total += len(rows)
        counts[key] = total
        want = getattr(a, key)
        if want is not None and total != want:
            fail("%s: %d data rows, expected %d" % (base, total, want))

    if parts_of(names, S[1]) and parts_of(names, S[2]):
        check_links(wb, parts_of(names, S[1]), parts_of(names, S[2]), rows_by_sheet)

    # charts: native chart parts when any employer is listed
    with zipfile.ZipFile(a.file) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        if S[1] not in names:
            pass  # reported above; chart expectations depend on it
        elif counts.get("employers", 0) > 0:
            if "xl/charts/chart1.xml" not in charts:
                fail("no chart part xl/charts/chart1.xml although employers are listed")
            else:
                xml = z.read("xl/charts/chart1.xml").decode("utf-8")
                if "<c:barChart>" not in xml or S[0] not in xml:
                    fail("chart1 is not a bar chart over the %r sheet" % S[0])
        elif charts:
            fail("chart parts %r with no listed employer" % charts)

    # Summary: period, the estimate label
    if S[0] in names:
        vals = [v for v in all_values(wb[S[0]]) if isinstance(v, str)]
        if not any(re.fullmatch(r"\d{4}-\d{2}\.\.\d{4}-\d{2}", v) for v in vals):
            fail("%s: no review period 'yyyy-mm..yyyy-mm'" % S[0])
        if not any(ESTIMATE_WORD[a.lang] in v for v in vals):
            fail("%s: estimated arrears not labelled as an estimate (%r)"
                 % (S[0], ESTIMATE_WORD[a.lang]))

    # Input files: one row per file, relative paths, counts as numbers
    if S[5] in names:
        check_inputs(wb[S[5]], H["inputs"], a.inputs)

    # Method: every parameter and every rule
    if S[6] in names:
        vals = {v for v in all_values(wb[S[6]]) if isinstance(v, str)}
        for p in PARAMETERS + RULES:
            if p not in vals:
                fail("%s: %s is not listed" % (S[6], p))

    if a.created is not None:
        want = datetime.datetime.fromtimestamp(a.created, datetime.timezone.utc).replace(tzinfo=None)
        got = wb.properties.created
        if got != want:
            fail("document created %r, expected %r" % (got, want))
    if wb.properties.creator != "sirecon":
        fail("document author %r, expected 'sirecon'" % wb.properties.creator)

    if a.dump:
        dump(wb, a.dump)
    if failures:
        print("xlsx-check: %d failed check(s) in %s" % (len(failures), a.file))
        return 1
    print("xlsx-check: OK %s" % a.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
