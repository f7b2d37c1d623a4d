#!/bin/sh
# tests/print/run.sh BIN PYTHON - the workbook prints (issue: paper).
#
# The bundled sample's report.xlsx, in English and Vietnamese, converted to
# PDF by LibreOffice headless (soffice, Debian libreoffice-calc-nogui) and
# read back with poppler-utils: at most 8 pages, page 1 holds the Summary's
# labels with their values on the same line, every employer and every
# employee row of the CSVs is on some page; openpyxl checks each sheet's
# page setup (A4, fit to one page wide, footer with page numbers, header
# row repeated on the tables).  A provincial run (gen_province.py, ~150
# input files), in both languages: page 1 holds the employers listed, the
# total estimated arrears and the top employer, and at most five input
# paths; the Input files sheet prints every relative path whole.  Prints one line per case and
# "print: N passed, N failed".
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PY=${2:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S="$ROOT/fixtures/sample"
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

for lang in en vi; do
    "$BIN" reconcile -q -t "$S/tax.csv" -s "$S/si.csv" -e "$S/employers.csv" \
        --lang $lang -o "$work/$lang" >/dev/null 2>&1
    cp "$work/$lang/report.xlsx" "$work/report-$lang.xlsx"
done
# one soffice start for both files (each start costs seconds)
(cd "$work" && HOME="$work" soffice -env:UserInstallation="file://$work/lo" --headless \
    --convert-to pdf --outdir "$work" report-en.xlsx report-vi.xlsx >/dev/null 2>&1)
for lang in en vi; do
    pdf="$work/report-$lang.pdf"
    if [ ! -s "$pdf" ]; then bad "pdf_$lang" "soffice made no PDF"; continue; fi
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    if [ "$pages" -ge 1 ] && [ "$pages" -le 8 ]; then ok "pages_$lang ($pages)"
    else bad "pages_$lang" "$pages pages, at most 8 expected"; fi
    pdftotext -layout -f 1 -l 1 "$pdf" "$work/p1-$lang.txt"
    pdftotext -layout "$pdf" "$work/all-$lang.txt"
    if [ $lang = en ]; then l1="Tax records"; l2="Listed employers"
    else l1="Số bản ghi quyết toán thuế"; l2="Số đơn vị được liệt kê"; fi
    n_tax=$(($(grep -c . "$S/tax.csv") - 1))
    n_emp=$(($(grep -c . "$work/$lang/employers.csv") - 1))
    if grep -q "$l1 .* $n_tax\$" "$work/p1-$lang.txt" && grep -q "$l2 .* $n_emp\$" "$work/p1-$lang.txt"
    then ok "summary_page1_$lang"
    else bad "summary_page1_$lang" "labels and values not on one line of page 1"; fi
    # every listed employer's code and every employee row's source on some page
    miss=$("$PY" - "$work/$lang" "$work/all-$lang.txt" <<'PYEOF'
import csv, sys
text = open(sys.argv[2], encoding='utf-8').read()
miss = []
for row in csv.DictReader(open(sys.argv[1] + '/employers.csv', encoding='utf-8-sig')):
    if row['employer_tax_id'] not in text:
        miss.append(row['employer_tax_id'])
for row in csv.DictReader(open(sys.argv[1] + '/employees.csv', encoding='utf-8-sig')):
    if row['source'] not in text:
        miss.append(row['source'])
print(' '.join(miss))
PYEOF
)
    if [ -z "$miss" ]; then ok "all_rows_printed_$lang"; else bad "all_rows_printed_$lang" "$miss"; fi
done
# ---- a provincial run (~150 input files): page 1 is the findings, not the
# inputs.  Page 1 shows the employers listed, the total estimated arrears and
# the top employer's tax code, and at most five input paths; every input
# file's relative path is printed whole on the Input files sheet.
"$PY" "$ROOT/tests/print/gen_province.py" "$work/prov" >/dev/null
for lang in en vi; do
    "$BIN" reconcile -q -t "$work/prov/tax" -s "$work/prov/si" -e "$work/prov/employers.csv" \
        --lang $lang -o "$work/prov-$lang" >/dev/null 2>&1
    cp "$work/prov-$lang/report.xlsx" "$work/prov-$lang.xlsx"
done
(cd "$work" && HOME="$work" soffice -env:UserInstallation="file://$work/lo" --headless \
    --convert-to pdf --outdir "$work" prov-en.xlsx prov-vi.xlsx >/dev/null 2>&1)
nfiles=$(($(ls "$work/prov/tax" "$work/prov/si" | grep -c '\.csv$') + 1))
for lang in en vi; do
    pdf="$work/prov-$lang.pdf"
    if [ ! -s "$pdf" ]; then bad "province_pdf_$lang" "soffice made no PDF"; continue; fi
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    pdftotext -layout -f 1 -l 1 "$pdf" "$work/pp1-$lang.txt"
    pdftotext -raw "$pdf" "$work/pall-$lang.txt"
    if [ $lang = en ]; then l2="Listed employers"; else l2="Số đơn vị được liệt kê"; fi
    facts=$("$PY" - "$work/prov-$lang/employers.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))
print(len(rows), '{:,}'.format(sum(int(r['est_arrears']) for r in rows)),
      rows[0]['employer_tax_id'] if rows else '-')
PYEOF
)
    set -- $facts
    n_emp=$1 total=$2 top=$3
    npaths=$(grep -c '\.csv' "$work/pp1-$lang.txt")
    why=""
    [ "$n_emp" -gt 100 ] || why="$why only $n_emp employers listed;"
    grep -q "$l2 .* $n_emp\$" "$work/pp1-$lang.txt" || why="$why no '$l2 ... $n_emp';"
    grep -qF "$total" "$work/pp1-$lang.txt" || why="$why no total arrears $total;"
    grep -qF "$top" "$work/pp1-$lang.txt" || why="$why no top employer $top;"
    [ "$npaths" -le 5 ] || why="$why $npaths input paths;"
    if [ -z "$why" ]; then ok "province_page1_$lang ($nfiles inputs, $pages pages)"
    else bad "province_page1_$lang" "$why"; fi
    # a wrapped path is whole once the line breaks are taken out
    miss=$("$PY" - "$work/prov" "$work/pall-$lang.txt" <<'PYEOF'
import os, re, sys
text = re.sub(r'\s+', '', open(sys.argv[2], encoding='utf-8').read())
names = os.listdir(sys.argv[1] + '/tax') + os.listdir(sys.argv[1] + '/si') + ['employers.csv']
print(' '.join(n for n in names if n not in text))
PYEOF
)
    if [ -z "$miss" ]; then ok "province_paths_whole_$lang"
    else bad "province_paths_whole_$lang" "$miss"; fi
done

# page setup as a spreadsheet reads it
out=$("$PY" - "$work/report-en.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
bad = []
for ws in wb.worksheets:
    ps = ws.page_setup
    if str(ps.paperSize) != '9':
        bad.append('%s: paper %s' % (ws.title, ps.paperSize))
    if not ws.sheet_properties.pageSetUpPr.fitToPage or ps.fitToWidth not in (1, None) \
            or ps.fitToHeight != 0:
        bad.append('%s: not fit to one page wide' % ws.title)
    if '&P' not in (ws.oddFooter.right.text or ''):
        bad.append('%s: no page number in the footer' % ws.title)
    if ws.print_area is None:
        bad.append('%s: no print area' % ws.title)
    if ws.title in ('Employers', 'Employees', 'Review', 'Rejects', 'Input files') and \
            ws.print_title_rows not in ('1:1', '$1:$1'):
        bad.append('%s: header row not repeated (%s)' % (ws.title, ws.print_title_rows))
    if ws.title in ('Employees', 'Input files') and ps.orientation != 'landscape':
        bad.append('%s: not landscape' % ws.title)
    if ws.title == 'Summary' and ps.orientation != 'portrait':
        bad.append('Summary: not portrait')
print('; '.join(bad))
PYEOF
)
if [ -z "$out" ]; then ok page_setup; else bad page_setup "$out"; fi

# ---- notices: one per listed employer, print-ready, its own staff only
for lang in vi en; do
    "$BIN" reconcile -q -t "$S/tax.csv" -s "$S/si.csv" -e "$S/employers.csv" --notices \
        --lang $lang -o "$work/n-$lang" >/dev/null 2>&1
done
"$BIN" reconcile -q -t "$S/tax.csv" -s "$S/si.csv" -e "$S/employers.csv" --notices \
    --mask-ids -o "$work/n-mask" >/dev/null 2>&1
out=$("$PY" - "$work" <<'PYEOF'
import csv, glob, os, re, sys, openpyxl
w = sys.argv[1]
bad = []
for lang in ('vi', 'en'):
    d = '%s/n-%s' % (w, lang)
    emps = list(csv.DictReader(open(d + '/employers.csv', encoding='utf-8-sig')))
    staff = list(csv.DictReader(open(d + '/employees.csv', encoding='utf-8-sig')))
    files = sorted(os.listdir(d + '/notices'))
    want = sorted(['%s-%s.xlsx' % (e['rank'], e['employer_tax_id']) for e in emps] + ['notices.csv'])
    if files != want:
        bad.append('%s: files %s, want %s' % (lang, files, want))
        continue
    for e in emps:
        p = '%s/notices/%s-%s.xlsx' % (d, e['rank'], e['employer_tax_id'])
        if oct(os.stat(p).st_mode & 0o777) != '0o600':
            bad.append('%s: mode %o' % (p, os.stat(p).st_mode & 0o777))
        ws = openpyxl.load_workbook(p).worksheets[0]
        cells = [[c.value for c in row] for row in ws.iter_rows()]
        flat = [v for row in cells for v in row if v is not None]
        if e['employer_tax_id'] not in flat or e['employer_name'] not in flat:
            bad.append('%s: heading lacks the employer' % p)
        title = 'THÔNG BÁO' if lang == 'vi' else 'NOTICE'
        if not any(isinstance(v, str) and v.startswith(title) for v in flat):
            bad.append('%s: no %s title' % (p, lang))
        # the table rows: this employer's NOT_ENROLLED and PARTIAL rows, in order
        mine = [r for r in staff if r['employer_tax_id'] == e['employer_tax_id']
                and r['status'] in ('NOT_ENROLLED', 'PARTIAL')]
        hdr = [i for i, row in enumerate(cells) if row[0] in ('STT', 'No.')][0]
        rows = [row for row in cells[hdr + 1:] if isinstance(row[0], (int, float))]
        got = [(row[1], row[2], row[7]) for row in rows]
        exp = [(r['full_name'], r['person_id'], r['source']) for r in mine]
        if got != exp:
            bad.append('%s: rows %s, want %s' % (p, got, exp))
        for row in ws.iter_rows(min_row=hdr + 2, max_row=hdr + 1 + len(rows)):
            if row[2].data_type != 's':
                bad.append('%s: an ID is not text' % p)
            if row[5].number_format != '#,##0':
                bad.append('%s: income not in a money format' % p)
        ps = ws.page_setup
        if str(ps.paperSize) != '9' or ps.fitToHeight != 0 or not ws.oddFooter.right.text:
            bad.append('%s: page setup' % p)
        if ws.print_title_rows is None:
            bad.append('%s: no repeated header row' % p)
        others = {r['person_id'] for r in staff if r['employer_tax_id'] != e['employer_tax_id']}
        if others & set(v for v in flat if isinstance(v, str)):
            bad.append('%s: holds another employer\'s people' % p)
# masked: no full personal ID anywhere in a notice
for p in glob.glob(w + '/n-mask/notices/*.xlsx'):
    ws = openpyxl.load_workbook(p).worksheets[0]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and re.fullmatch(r'\d{9,12}', c.value) and \
                    c.value not in os.path.basename(p):  # the employer's own code
                bad.append('%s: unmasked ID %s...' % (p, c.value[:3]))
print('; '.join(bad))
PYEOF
)
if [ -z "$out" ]; then ok notices_workbooks; else bad notices_workbooks "$out"; fi
first=$(ls "$work/n-vi/notices" | head -1)
cp "$work/n-vi/notices/$first" "$work/notice.xlsx"
(cd "$work" && HOME="$work" soffice -env:UserInstallation="file://$work/lo" --headless \
    --convert-to pdf --outdir "$work" notice.xlsx >/dev/null 2>&1)
if [ -s "$work/notice.pdf" ]; then
    pages=$(pdfinfo "$work/notice.pdf" | awk '/^Pages:/ {print $2}')
    pdftotext -layout "$work/notice.pdf" "$work/notice.txt"
    emp=${first#*-}; emp=${emp%.xlsx}
    miss=$(awk -F, -v e="$emp" 'NR > 1 && $1 == e && ($10 == "NOT_ENROLLED" || $10 == "PARTIAL") {sub(/\r$/, "", $17); print $17}' \
        "$work/n-vi/employees.csv" | while read -r src; do grep -qF "$src" "$work/notice.txt" || echo "$src"; done)
    if [ "$pages" = 1 ] && [ -z "$miss" ]; then ok "notice_pdf (1 page, every record)"
    else bad notice_pdf "$pages pages; missing: $miss"; fi
else
    bad notice_pdf "soffice made no PDF"
fi

echo "print: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
