/*
 * report_xlsx.c - report.xlsx, the workbook an inspector acts on (docs/architecture.md, "Outputs").
 *
 * Sheets in order: Summary, Employers, Employees, Review, Rejects, Method,
 * labels from i18n.c.  The workbook is written in libxlsxwriter's
 * constant-memory mode (every sheet streams its rows to a temp file in the
 * output folder), so each sheet is laid out in one pass, strictly row by
 * row: chart data sits in a block on the Summary sheet below the text, and
 * column widths, freeze panes and autofilters are set after the rows (they
 * live outside sheetData).  A table that would pass the row limit continues
 * on "Employees (2)", etc.; each employer row links to its first row there.
 *
 * libxlsxwriter creates the file itself, only in workbook_close(): the umask
 * is narrowed to 077 around the workbook's lifetime (process-wide: do not
 * create files from another thread meanwhile) and the file chmod()ed to 0600
 * afterwards (the output folder is 0700 anyway).  A missing or unwritable
 * folder is SIRECON_ERR_CANTCREAT before anything starts; on any
 * libxlsxwriter error the workbook is still closed, the partial file
 * removed, and SIRECON_ERR_IO returned.  Never touches the locale: libxlsxwriter formats numbers with
 * printf, so LC_NUMERIC must stay "C" (docs/architecture.md, "Code conventions").
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "sirecon/i18n.h"
#include "sirecon/match.h"
#include "sirecon/report.h"

/* Rows per sheet, header included.  The unit tests use a small limit so the
 * split to "Employees (2)" is exercised with a few thousand rows. */
#ifdef SIRECON_TEST_LIMITS
#define XLSX_MAX_ROWS 1000u
#else
#define XLSX_MAX_ROWS ((uint32_t)LXW_ROW_MAX)
#endif
#define XLSX_MAX_COLS 20
#define XLSX_WIDTH_MAX 60.0
#define XLSX_WIDTH_MIN 6.0
#define XLSX_PORTRAIT_CHARS 95.0 /* columns of text an A4 portrait page holds */
#define XLSX_STR_MAX 32767   /* Excel's longest cell text (bytes, trimmed) */
#define XLSX_TOP_LIST 10     /* employers on the Summary's "inspect first" list */
#define XLSX_TOP_CHART 20    /* employers in the arrears chart */

/* The whole writer's state: workbook, shared formats, first error. */
struct xw {
    const struct run_info *ri;
    lang l;
    lxw_workbook *wb;
    lxw_error err;               /* first libxlsxwriter error, LXW_NO_ERROR if none */
    const char *err_what;        /* what was being written then */
    lxw_format *title, *bold, *wrap, *money, *pct, *dec1, *date, *link;
    /* the emphasized (DEDUCTED_NOT_ENROLLED) variants */
    lxw_format *hot, *hot_money, *hot_dec1, *hot_date;
    const char *st_label[ST_COUNT], *rs_label[RS_COUNT], *fi_label[FIND_COUNT];
};

/* One table sheet being written, possibly in several parts. */
struct tsheet {
    struct xw *w;
    lxw_worksheet *ws;
    const char *base;            /* localized name of part 1 */
    int part;                    /* 1.. */
    uint32_t row;                /* next row to write (0 = header) */
    int ncols;
    const char *const *cols;     /* field names: headers are "col.<field>" */
    double width[XLSX_MAX_COLS]; /* widest content per column, in characters */
    uint32_t nlinks;             /* hyperlinks on this part */
};

static void
ck(struct xw *w, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && w->err == LXW_NO_ERROR) {
        w->err = e;
        w->err_what = what;
    }
}

/* Display width of UTF-8 text: code points (good enough for Latin script
 * with diacritics, which is all this workbook holds). */
static double
text_width(const char *s)
{
    double n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void
grow_width(double *wd, double n)
{
    if (n > *wd)
        *wd = n;
}

/* Cell text trimmed to Excel's limit at a UTF-8 boundary; buf when trimmed. */
static const char *
cell_text(const char *s, char **tmp)
{
    size_t n;

    *tmp = NULL;
    if (s == NULL)
        return "";
    n = strlen(s);
    if (n <= XLSX_STR_MAX)
        return s;
    n = XLSX_STR_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    *tmp = xstrndup(s, n);
    return *tmp;
}

static void
put_str(struct xw *w, lxw_worksheet *ws, uint32_t r, int c, const char *s,
        lxw_format *f, double *wd)
{
    char *tmp;
    const char *t = cell_text(s, &tmp);

    if (t[0] == '\0') {
        if (f != NULL)
            ck(w, worksheet_write_blank(ws, r, (lxw_col_t)c, f), "blank cell");
    } else {
        ck(w, worksheet_write_string(ws, r, (lxw_col_t)c, t, f), "text cell");
        if (wd)
            grow_width(wd, text_width(t));
    }
    free(tmp);
}

/* Characters of v printed with thousands separators (and decimals); no
 * printf: this runs for every number cell. */
static double
num_width(double v, int decimals)
{
    double a = fabs(v);
    int n = 1;

    while (a >= 10 && n < 20) {
        a /= 10;
        n++;
    }
    return n + (n - 1) / 3 + (v < 0) + (decimals ? decimals + 1 : 0);
}

/* A number cell; NaN/Inf corrupt the file, so they are written blank. */
static void
put_num(struct xw *w, lxw_worksheet *ws, uint32_t r, int c, double v,
        lxw_format *f, int decimals, double *wd)
{
    if (!isfinite(v)) {
        if (f != NULL)
            ck(w, worksheet_write_blank(ws, r, (lxw_col_t)c, f), "blank cell");
        return;
    }
    ck(w, worksheet_write_number(ws, r, (lxw_col_t)c, v, f), "number cell");
    if (wd)
        grow_width(wd, num_width(v, decimals));
}

/* A date cell for a full date; year-only (or a date Excel cannot show
 * without its 1900 leap-year bug) as text "yyyy" / "yyyy-mm-dd". */
static void
put_date(struct xw *w, lxw_worksheet *ws, uint32_t r, int c, sdate d,
         lxw_format *datef, lxw_format *textf, double *wd)
{
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    char buf[16];

    if (d == 0) {
        put_str(w, ws, r, c, "", textf, wd);
        return;
    }
    if (m >= 1 && m <= 12 && day >= 1 && day <= 31 && y >= 1901 && y <= 9999) {
        lxw_datetime dt = { y, m, day, 0, 0, 0 };
        ck(w, worksheet_write_datetime(ws, r, (lxw_col_t)c, &dt, datef), "date cell");
        if (wd)
            grow_width(wd, 10);
        return;
    }
    values_date_str(d, buf);
    put_str(w, ws, r, c, buf, textf, wd);
}

/* Column widths from content, capped; set after the rows (allowed in
 * constant-memory mode: <cols> is written outside sheetData). */
static void
set_widths(struct xw *w, lxw_worksheet *ws, const double *wd, int n)
{
    for (int c = 0; c < n; c++) {
        double x = wd[c] + 2;
        if (x < XLSX_WIDTH_MIN)
            x = XLSX_WIDTH_MIN;
        if (x > XLSX_WIDTH_MAX)
            x = XLSX_WIDTH_MAX;
        ck(w, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, x, NULL),
           "column width");
    }
}

/* Name of part p of a table sheet: "Employees", "Employees (2)", ... */
static void
part_name(const char *base, int part, char *buf, size_t n)
{
    if (part <= 1)
        snprintf(buf, n, "%s", base);
    else
        snprintf(buf, n, "%s (%d)", base, part);
}

/* Excel row (0-based) and part of data row k of a table sheet. */
static void
table_pos(size_t k, int *part, uint32_t *row)
{
    const size_t per = XLSX_MAX_ROWS - 1;

    *part = (int)(k / per) + 1;
    *row = (uint32_t)(k % per) + 1;
}

static lxw_worksheet *
add_sheet(struct xw *w, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);

    if (ws == NULL)
        ck(w, LXW_ERROR_SHEETNAME_ALREADY_USED, "worksheet"); /* bad name */
    return ws;
}

static void
tsheet_header(struct tsheet *t)
{
    char name[LXW_SHEETNAME_MAX * 4 + 16];

    part_name(t->base, t->part, name, sizeof name);
    t->ws = add_sheet(t->w, name);
    t->row = 0;
    t->nlinks = 0;
    if (t->ws == NULL)
        return;
    for (int c = 0; c < t->ncols; c++) {
        char key[64];
        snprintf(key, sizeof key, "col.%s", t->cols[c]);
        /* bold header text is a little wider than body text */
        put_str(t->w, t->ws, 0, c, i18n(t->w->l, key), t->w->bold, NULL);
        t->width[c] = text_width(i18n(t->w->l, key)) * 1.1;
    }
    t->row = 1;
}

/*
 * A sheet that prints: A4, landscape when its columns are wider than a
 * portrait page, every column on one page (as many pages down as needed),
 * header rows 0..repeat-1 on every page (-1 none), the print area over
 * rows 0..last_row and columns 0..last_col, the sheet name left and "page
 * n of m" right in the footer, margins a printer accepts.  Written after
 * the rows (allowed in constant-memory mode: page setup and defined names
 * are outside sheetData).
 */
STATIC void
report_xlsx_print_setup(struct xw *w, lxw_worksheet *ws, double width_chars, int repeat,
                        uint32_t last_row, int last_col)
{
    char footer[160];

    if (ws == NULL)
        return;
    worksheet_set_paper(ws, 9); /* A4 */
    if (width_chars > XLSX_PORTRAIT_CHARS)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    snprintf(footer, sizeof footer, "&L&8&A&R&8%s", i18n(w->l, "print.page_of"));
    ck(w, worksheet_set_footer(ws, footer), "footer");
    if (repeat > 0)
        ck(w, worksheet_repeat_rows(ws, 0, (lxw_row_t)(repeat - 1)), "repeated rows");
    ck(w, worksheet_print_area(ws, 0, 0, last_row, (lxw_col_t)(last_col < 0 ? 0 : last_col)),
       "print area");
}

/* Sum of the column widths, in characters, as set_widths() sets them. */
static double
widths_total(const double *wd, int n)
{
    double t = 0;

    for (int c = 0; c < n; c++) {
        double x = wd[c] + 2;
        t += x < XLSX_WIDTH_MIN ? XLSX_WIDTH_MIN : x > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : x;
    }
    return t;
}

/* Bold header, frozen below it, autofilter over header and data, widths,
 * and a page setup that repeats the header on every printed page. */
static void
tsheet_finish(struct tsheet *t)
{
    if (t->ws == NULL)
        return;
    worksheet_freeze_panes(t->ws, 1, 0);
    ck(t->w, worksheet_autofilter(t->ws, 0, 0, t->row - 1, (lxw_col_t)(t->ncols - 1)),
       "autofilter");
    set_widths(t->w, t->ws, t->width, t->ncols);
    report_xlsx_print_setup(t->w, t->ws, widths_total(t->width, t->ncols), 1,
                            t->row > 0 ? t->row - 1 : 0, t->ncols - 1);
}

static void
tsheet_begin(struct tsheet *t, struct xw *w, const char *sheet_key,
             const char *const *cols, int ncols)
{
    memset(t, 0, sizeof *t);
    t->w = w;
    t->base = i18n(w->l, sheet_key);
    t->part = 1;
    t->cols = cols;
    t->ncols = ncols;
    tsheet_header(t);
}

/* The row for the next data row, starting a new part when this one is full. */
static uint32_t
tsheet_next(struct tsheet *t)
{
    if (t->row >= XLSX_MAX_ROWS) {
        tsheet_finish(t);
        t->part++;
        tsheet_header(t);
    }
    return t->row++;
}

/* ---- formats and labels ------------------------------------------------ */

static lxw_format *
fmt(struct xw *w, const char *num, int bold, int hot)
{
    lxw_format *f = workbook_add_format(w->wb);

    if (num)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    if (hot) {
        /* Excel's "Bad" cell style: dark red on light red */
        format_set_font_color(f, 0x9C0006);
        format_set_bg_color(f, 0xFFC7CE);
        format_set_pattern(f, LXW_PATTERN_SOLID);
    }
    return f;
}

static void
make_formats(struct xw *w)
{
    w->title = fmt(w, NULL, 1, 0);
    format_set_font_size(w->title, 14);
    w->bold = fmt(w, NULL, 1, 0);
    w->wrap = fmt(w, NULL, 0, 0);
    format_set_text_wrap(w->wrap);
    format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);
    w->money = fmt(w, "#,##0", 0, 0);
    w->dec1 = fmt(w, "0.0", 0, 0);
    w->pct = fmt(w, "0.0%", 0, 0);
    w->date = fmt(w, "dd/mm/yyyy", 0, 0);
    w->link = fmt(w, NULL, 0, 0);
    format_set_underline(w->link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(w->link, LXW_COLOR_BLUE);
    w->hot = fmt(w, NULL, 0, 1);
    w->hot_money = fmt(w, "#,##0", 0, 1);
    w->hot_dec1 = fmt(w, "0.0", 0, 1);
    w->hot_date = fmt(w, "dd/mm/yyyy", 0, 1);
}

/* The label of prefix+code; "" for an empty code (RS_NONE, RULE_NONE...);
 * the code itself when the table has no label (i18n returns the key, which
 * is our stack buffer, so it must not escape). */
static const char *
label_or_code(lang l, const char *prefix, const char *code)
{
    char key[96];
    const char *s;

    if (code == NULL || code[0] == '\0')
        return "";
    snprintf(key, sizeof key, "%s%s", prefix, code);
    s = i18n(l, key);
    return s == key ? code : s;
}

static void
cache_labels(struct xw *w)
{
    for (int s = 0; s < ST_COUNT; s++)
        w->st_label[s] = label_or_code(w->l, "status.", records_status_name((rec_status)s));
    for (int r = 0; r < RS_COUNT; r++)
        w->rs_label[r] = label_or_code(w->l, "reason.", records_reason_name((rec_reason)r));
    for (int f = 0; f < FIND_COUNT; f++)
        w->fi_label[f] = label_or_code(w->l, "finding.", employers_finding_name((finding)f));
}

/* "New" / "Ongoing (3 months)" from the CSV's "NEW" / "ONGOING (3 months)". */
static const char *
trend_label(struct xw *w, const char *trend, char *buf, size_t n)
{
    int months;

    if (trend == NULL || trend[0] == '\0')
        return "";
    if (strcmp(trend, "NEW") == 0)
        return i18n(w->l, "trend.NEW");
    if (sscanf(trend, "ONGOING (%d", &months) == 1) {
        snprintf(buf, n, "%s (%d %s)", i18n(w->l, "trend.ONGOING"), months,
                 i18n(w->l, "trend.months"));
        return buf;
    }
    return trend;
}

/* Names of the set RF_* bits joined with '|', as in employees.csv. */
static const char *
flag_codes(uint32_t flags, char *buf, size_t n)
{
    size_t len = 0;

    buf[0] = '\0';
    for (unsigned bit = 0; bit < RF_FLAG_COUNT; bit++) {
        int k;
        if (!(flags & (1u << bit)))
            continue;
        k = snprintf(buf + len, n - len, "%s%s", len ? "|" : "", records_flag_name(bit));
        if (k < 0 || (size_t)k >= n - len)
            break;
        len += (size_t)k;
    }
    return buf;
}

/* ---- Employers --------------------------------------------------------- */


/* An employees row k and the tax code it is grouped under. */
struct emp_row {
    const char *key;
    size_t keylen;
    size_t k;
};

static int
emp_row_cmp(const void *a, const void *b)
{
    const struct emp_row *x = a, *y = b;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = memcmp(x->key, y->key, n);

    if (c != 0)
        return c;
    if (x->keylen != y->keylen)
        return x->keylen < y->keylen ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/*
 * first[i] = the first index into res->employees whose record belongs to
 * listed employer i, SIZE_MAX when none.  A record belongs to an employer
 * when its tax code equals the employer's, or -- unless branches are
 * reconciled separately -- its 13-digit branch code starts with the
 * employer's 10 digits.  One sort of the rows, one binary search per employer.
 */
STATIC size_t *
report_xlsx_first_rows(const struct run_info *ri)
{
    const struct result *res = ri->res;
    const struct dataset *ds = ri->ds;
    bool branch = ri->mo != NULL && ri->mo->branch_level;
    size_t *first = xmalloc((res->nlisted ? res->nlisted : 1) * sizeof *first);
    struct emp_row *rows = xmalloc((res->nemployees ? res->nemployees : 1) * sizeof *rows);

    for (size_t k = 0; k < res->nemployees; k++) {
        const char *e = ds->tax[res->employees[k]].emp;
        rows[k].key = e ? e : "";
        rows[k].keylen = strlen(rows[k].key);
        if (!branch && rows[k].keylen == 13)
            rows[k].keylen = 10;
        rows[k].k = k;
    }
    qsort(rows, res->nemployees, sizeof *rows, emp_row_cmp);
    for (size_t i = 0; i < res->nlisted; i++) {
        const char *e = res->emps[i].emp ? res->emps[i].emp : "";
        struct emp_row probe = { e, strlen(e), 0 };
        size_t lo = 0, hi = res->nemployees;
        /* lower bound of (key, 0) */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (emp_row_cmp(&rows[mid], &probe) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        first[i] = (lo < res->nemployees && rows[lo].keylen == probe.keylen &&
                    memcmp(rows[lo].key, probe.key, probe.keylen) == 0)
                       ? rows[lo].k : SIZE_MAX;
    }
    free(rows);
    return first;
}

static void
write_employers(struct xw *w)
{
    const struct result *res = w->ri->res;
    struct tsheet t;
    size_t *first = report_xlsx_first_rows(w->ri);
    const char *emp_base = i18n(w->l, "sheet.employees");
    char buf[128], url[LXW_SHEETNAME_MAX * 4 + 64], tgt[LXW_SHEETNAME_MAX * 4 + 16];

    tsheet_begin(&t, w, "sheet.employers", report_employer_cols, report_nemployer_cols);
    for (size_t i = 0; i < res->nlisted && w->err == LXW_NO_ERROR; i++) {
        const struct employer_sum *e = &res->emps[i];
        uint32_t r = tsheet_next(&t);
        lxw_worksheet *ws = t.ws;
        double *wd = t.width;

        if (ws == NULL)
            break;
        put_num(w, ws, r, 0, e->rank, NULL, 0, &wd[0]);
        if (first[i] != SIZE_MAX && t.nlinks < LXW_MAX_NUMBER_URLS) {
            int part;
            uint32_t row;
            table_pos(first[i], &part, &row);
            part_name(emp_base, part, tgt, sizeof tgt);
            snprintf(url, sizeof url, "internal:'%s'!A%lu", tgt, (unsigned long)row + 1);
            ck(w, worksheet_write_url_opt(ws, r, 1, url, w->link, e->emp, NULL),
               "hyperlink");
            grow_width(&wd[1], text_width(e->emp ? e->emp : ""));
            t.nlinks++;
        } else {
            put_str(w, ws, r, 1, e->emp, NULL, &wd[1]);
        }
        put_str(w, ws, r, 2, e->name, NULL, &wd[2]);
        put_str(w, ws, r, 3, e->area, NULL, &wd[3]);
        put_str(w, ws, r, 4, (unsigned)e->finding < FIND_COUNT ? w->fi_label[e->finding] : "",
                NULL, &wd[4]);
        put_num(w, ws, r, 5, e->taxed, NULL, 0, &wd[5]);
        put_num(w, ws, r, 6, e->enrolled, NULL, 0, &wd[6]);
        put_num(w, ws, r, 7, e->not_enrolled, NULL, 0, &wd[7]);
        put_num(w, ws, r, 8, e->partial, NULL, 0, &wd[8]);
        put_num(w, ws, r, 9, e->covered_elsewhere, NULL, 0, &wd[9]);
        put_num(w, ws, r, 10, e->review, NULL, 0, &wd[10]);
        put_num(w, ws, r, 11, e->deducted_not_enrolled, NULL, 0, &wd[11]);
        put_num(w, ws, r, 12, e->coverage_pct, w->dec1, 1, &wd[12]);
        put_num(w, ws, r, 13, (double)e->unenrolled_income, w->money, 0, &wd[13]);
        put_num(w, ws, r, 14, (double)e->est_arrears, w->money, 0, &wd[14]);
        put_str(w, ws, r, 15, trend_label(w, e->trend, buf, sizeof buf), NULL, &wd[15]);
    }
    tsheet_finish(&t);
    free(first);
}

/* ---- Employees / Review ------------------------------------------------ */

static void
write_tax_rows(struct xw *w, const char *sheet_key, const size_t *idx, size_t n)
{
    const struct run_info *ri = w->ri;
    const struct dataset *ds = ri->ds;
    struct tsheet t;
    char idbuf[IDS_MAX], flags[512], src[640], conf[2];

    tsheet_begin(&t, w, sheet_key, report_employee_cols, report_nemployee_cols);
    for (size_t i = 0; i < n && w->err == LXW_NO_ERROR; i++) {
        const struct tax_rec *tr = &ds->tax[idx[i]];
        uint32_t r = tsheet_next(&t);
        lxw_worksheet *ws = t.ws;
        double *wd = t.width;
        bool hot = (tr->flags & RF_DEDUCTED_NOT_ENROLLED) != 0;
        lxw_format *tf = hot ? w->hot : NULL;

        if (ws == NULL)
            break;
        put_str(w, ws, r, 0, tr->emp, tf, &wd[0]);
        put_str(w, ws, r, 1, tr->emp_name, tf, &wd[1]);
        put_str(w, ws, r, 2, tr->full_name, tf, &wd[2]);
        put_str(w, ws, r, 3, report_person_id(ri, tr, idbuf), tf, &wd[3]);
        put_str(w, ws, r, 4, tr->pid_kind < IDK_COUNT
                ? label_or_code(w->l, "idkind.", ids_kind_name(tr->pid_kind)) : "",
                tf, &wd[4]);
        put_date(w, ws, r, 5, tr->birth, hot ? w->hot_date : w->date, tf, &wd[5]);
        put_str(w, ws, r, 6, tr->schedule == 1 ? "05-1" : tr->schedule == 2 ? "05-2" : "",
                tf, &wd[6]);
        put_num(w, ws, r, 7, (double)tr->taxable_income, hot ? w->hot_money : w->money,
                0, &wd[7]);
        put_num(w, ws, r, 8, (double)tr->insurance_deduction,
                hot ? w->hot_money : w->money, 0, &wd[8]);
        put_str(w, ws, r, 9, (unsigned)tr->status < ST_COUNT ? w->st_label[tr->status] : "",
                tf, &wd[9]);
        put_str(w, ws, r, 10, (unsigned)tr->reason < RS_COUNT ? w->rs_label[tr->reason] : "",
                tf, &wd[10]);
        put_str(w, ws, r, 11, tr->rule == RULE_NONE ? "" : records_rule_name(tr->rule),
                tf, &wd[11]);
        conf[0] = tr->confidence;
        conf[1] = '\0';
        put_str(w, ws, r, 12, conf, tf, &wd[12]);
        put_num(w, ws, r, 13, tr->covered_months, tf, 0, &wd[13]);
        put_str(w, ws, r, 14, tr->other_emp, tf, &wd[14]);
        put_str(w, ws, r, 15, flag_codes(tr->flags, flags, sizeof flags), tf, &wd[15]);
        put_str(w, ws, r, 16, report_source(ri, tr->file, tr->line, src, sizeof src),
                tf, &wd[16]);
    }
    tsheet_finish(&t);
}

/* ---- Rejects ----------------------------------------------------------- */

static void
write_rejects(struct xw *w)
{
    const struct dataset *ds = w->ri->ds;
    struct tsheet t;

    tsheet_begin(&t, w, "sheet.rejects", report_reject_cols, report_nreject_cols);
    for (size_t i = 0; i < ds->nrejects && w->err == LXW_NO_ERROR; i++) {
        const struct reject *rj = &ds->rejects[i];
        const struct input_file *in = rj->file < ds->nfiles ? &ds->files[rj->file] : NULL;
        uint32_t r = tsheet_next(&t);
        double *wd = t.width;

        if (t.ws == NULL)
            break;
        put_str(w, t.ws, r, 0, in ? in->path : "", NULL, &wd[0]);
        put_num(w, t.ws, r, 1, rj->line, NULL, 0, &wd[1]);
        put_str(w, t.ws, r, 2, in ? label_or_code(w->l, "kind.", fields_kind_name(in->kind))
                : "", NULL, &wd[2]);
        put_str(w, t.ws, r, 3, rj->reason, NULL, &wd[3]);
        put_str(w, t.ws, r, 4, rj->column, NULL, &wd[4]);
        put_str(w, t.ws, r, 5, rj->detail, NULL, &wd[5]);
    }
    tsheet_finish(&t);
}

/* ---- Summary ----------------------------------------------------------- */

/* A free-form sheet written top to bottom. */
struct fsheet {
    struct xw *w;
    lxw_worksheet *ws;
    uint32_t row;
    double width[XLSX_MAX_COLS];
};

static void
fs_str(struct fsheet *s, int c, const char *v, lxw_format *f)
{
    if (s->ws)
        put_str(s->w, s->ws, s->row, c, v, f, &s->width[c]);
}

static void
fs_num(struct fsheet *s, int c, double v, lxw_format *f, int decimals)
{
    if (s->ws)
        put_num(s->w, s->ws, s->row, c, v, f, decimals, &s->width[c]);
}

/* A label (column A, not counted for width: labels may be long) and text. */
static void
fs_kv(struct fsheet *s, const char *key, const char *v)
{
    fs_str(s, 0, i18n(s->w->l, key), NULL);
    fs_str(s, 1, v, NULL);
    s->row++;
}

static void
fs_kn(struct fsheet *s, const char *lab, double v, lxw_format *f)
{
    fs_str(s, 0, lab, NULL);
    fs_num(s, 1, v, f, 0);
    s->row++;
}

/* A bold row of localized labels starting at column 0. */
static void
fs_head(struct fsheet *s, const char *const *keys, int n)
{
    for (int c = 0; c < n; c++)
        fs_str(s, c, i18n(s->w->l, keys[c]), s->w->bold);
    s->row++;
}

static const char *
yes_no(lang l, bool b)
{
    return i18n(l, b ? "sum.yes" : "sum.no");
}

struct area_count {
    const char *area;
    uint64_t n[FIND_COUNT];
};

static int
area_cmp(const void *a, const void *b)
{
    return strcmp(((const struct area_count *)a)->area,
                  ((const struct area_count *)b)->area);
}

/* Listed employers per area and finding, areas sorted; NULL when no listed
 * employer has an area. */
static struct area_count *
count_areas(const struct result *res, size_t *n)
{
    struct area_count *a = NULL;
    size_t cap = 0, na = 0, any = 0;

    for (size_t i = 0; i < res->nlisted; i++)
        any += res->emps[i].area != NULL && res->emps[i].area[0] != '\0';
    *n = 0;
    if (any == 0)
        return NULL;
    for (size_t i = 0; i < res->nlisted; i++) {
        const struct employer_sum *e = &res->emps[i];
        const char *ar = e->area ? e->area : "";
        size_t j;
        for (j = 0; j < na; j++)
            if (strcmp(a[j].area, ar) == 0)
                break;
        if (j == na) {
            a = xgrow(a, &cap, na + 1, sizeof *a);
            memset(&a[na], 0, sizeof a[na]);
            a[na++].area = ar;
        }
        if ((unsigned)e->finding < FIND_COUNT)
            a[j].n[e->finding]++;
    }
    qsort(a, na, sizeof *a, area_cmp);
    *n = na;
    return a;
}

static void
write_summary(struct xw *w, lxw_worksheet *ws)
{
    const struct run_info *ri = w->ri;
    const struct dataset *ds = ri->ds;
    const struct result *res = ri->res;
    const lang l = w->l;
    struct fsheet s = { w, ws, 0, {0} };
    const char *sheet = i18n(l, "sheet.summary");
    char buf[256], m1[16], m2[16];
    struct tm tm;
    time_t started = ri->started;
    int64_t arrears = 0;
    size_t ntop, nchart, nareas;
    struct area_count *areas;
    uint32_t top_first = 0, area_first = 0;

    fs_str(&s, 0, i18n(l, "sum.title"), w->title);
    s.row += 2;

    /* run parameters */
    fs_str(&s, 0, i18n(l, "sum.parameters"), w->bold);
    s.row++;
    gmtime_r(&started, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    fs_kv(&s, "sum.started", buf);
    fs_kv(&s, "sum.version", SIRECON_VERSION);
    values_month_str(res->period.first, m1);
    values_month_str(res->period.last, m2);
    snprintf(buf, sizeof buf, "%s..%s", m1, m2);
    fs_kv(&s, "sum.period", buf);
    fs_kv(&s, "sum.language", i18n(l, "sum.language_name"));
    fs_kn(&s, i18n(l, "sum.min_missing"), ri->min_missing, NULL);
    fs_kn(&s, i18n(l, "sum.max_reject_rate"), ri->max_reject_rate, w->pct);
    fs_kv(&s, "sum.mask_ids", yes_no(l, ri->mask_ids));
    fs_kv(&s, "sum.include_short_contracts",
          yes_no(l, ri->mo != NULL && ri->mo->include_short_contracts));
    fs_kv(&s, "sum.branch_level", yes_no(l, ri->mo != NULL && ri->mo->branch_level));
    snprintf(buf, sizeof buf, "%s (%.12s)", ri->pf ? ri->pf->name : "", ri->profile_hash);
    fs_kv(&s, "sum.profile", buf);
    s.row++;

    /* inputs */
    {
        static const char *const h[] = { "col.file", "col.kind", "sum.rows_read",
            "sum.rows_loaded", "sum.rows_rejected", "sum.sha256", "sum.encoding" };
        fs_str(&s, 0, i18n(l, "sum.inputs"), w->bold);
        s.row++;
        fs_head(&s, h, 7);
        for (size_t i = 0; i < ds->nfiles; i++) {
            const struct input_file *in = &ds->files[i];
            fs_str(&s, 0, in->path, NULL);
            fs_str(&s, 1, label_or_code(l, "kind.", fields_kind_name(in->kind)), NULL);
            fs_num(&s, 2, (double)in->read, w->money, 0);
            fs_num(&s, 3, (double)in->loaded, w->money, 0);
            fs_num(&s, 4, (double)in->rejected, w->money, 0);
            snprintf(buf, sizeof buf, "%.12s", in->sha256);
            fs_str(&s, 5, buf, NULL);
            fs_str(&s, 6, in->encoding, NULL);
            s.row++;
        }
        /* evidence the tool could not read (UNREAD_ID_COLUMN) */
        for (size_t i = 0; i < ds->nfiles; i++) {
            const struct input_file *in = &ds->files[i];
            for (int u = 0; u < in->nunread; u++) {
                snprintf(buf, sizeof buf, i18n(l, "sum.unread_id_column"), in->path,
                         in->unread_col[u] + 1, in->unread_label[u]);
                fs_str(&s, 0, buf, w->bold);
                s.row++;
            }
        }
        s.row++;
    }

    /* totals */
    fs_str(&s, 0, i18n(l, "sum.totals"), w->bold);
    s.row++;
    fs_kn(&s, i18n(l, "sum.tax_records"), (double)ds->ntax, w->money);
    fs_str(&s, 0, i18n(l, "sum.by_status"), w->bold);
    s.row++;
    for (int st = 0; st < ST_COUNT; st++) {
        snprintf(buf, sizeof buf, "    %s", w->st_label[st]);
        fs_kn(&s, buf, (double)res->by_status[st], w->money);
    }
    fs_kn(&s, i18n(l, "sum.duplicates"), (double)res->duplicates, w->money);
    fs_kn(&s, i18n(l, "sum.rejected_rows"), (double)ds->nrejects, w->money);
    fs_kn(&s, i18n(l, "sum.listed"), (double)res->nlisted, w->money);
    fs_str(&s, 0, i18n(l, "sum.by_finding"), w->bold);
    s.row++;
    for (int f = FIND_NONE + 1; f < FIND_COUNT; f++) {
        snprintf(buf, sizeof buf, "    %s", w->fi_label[f]);
        fs_kn(&s, buf, (double)res->by_finding[f], w->money);
    }
    for (size_t i = 0; i < res->nlisted; i++)
        arrears += res->emps[i].est_arrears;
    fs_kn(&s, i18n(l, "sum.arrears_total"), (double)arrears, w->money);
    fs_str(&s, 0, i18n(l, "sum.arrears_note"), NULL);
    s.row += 2;

    /* whom to inspect first, and why */
    {
        static const char *const h[] = { "col.rank", "col.employer_tax_id",
            "col.employer_name", "col.finding", "col.not_enrolled",
            "col.deducted_not_enrolled", "col.est_arrears" };
        fs_str(&s, 0, i18n(l, "sum.top"), w->bold);
        s.row++;
        ntop = res->nlisted < XLSX_TOP_LIST ? res->nlisted : XLSX_TOP_LIST;
        if (ntop == 0) {
            fs_str(&s, 0, i18n(l, "sum.none"), NULL);
            s.row++;
        } else {
            fs_head(&s, h, 7);
        }
        for (size_t i = 0; i < ntop; i++) {
            const struct employer_sum *e = &res->emps[i];
            fs_num(&s, 0, e->rank, NULL, 0);
            fs_str(&s, 1, e->emp, NULL);
            fs_str(&s, 2, e->name, NULL);
            fs_str(&s, 3, (unsigned)e->finding < FIND_COUNT ? w->fi_label[e->finding] : "",
                   NULL);
            fs_num(&s, 4, e->not_enrolled, NULL, 0);
            fs_num(&s, 5, e->deducted_not_enrolled, NULL, 0);
            fs_num(&s, 6, (double)e->est_arrears, w->money, 0);
            s.row++;
        }
        s.row++;
    }

    /* employers listed last time and not now */
    if (ri->nresolved > 0) {
        fs_str(&s, 0, i18n(l, "sum.resolved"), w->bold);
        s.row++;
        for (size_t i = 0; i < ri->nresolved; i++) {
            fs_str(&s, 0, ri->resolved[i], NULL);
            s.row++;
        }
        s.row++;
    }

    /* chart data: top employers by arrears, findings by area */
    nchart = res->nlisted < XLSX_TOP_CHART ? res->nlisted : XLSX_TOP_CHART;
    areas = count_areas(res, &nareas);
    if (nchart > 0) {
        static const char *const h[] = { "sum.employer", "col.est_arrears" };
        fs_str(&s, 0, i18n(l, "sum.chart_data"), w->bold);
        s.row++;
        fs_head(&s, h, 2);
        top_first = s.row;
        for (size_t i = 0; i < nchart; i++) {
            const struct employer_sum *e = &res->emps[i];
            fs_str(&s, 0, e->name && e->name[0] ? e->name : e->emp, NULL);
            fs_num(&s, 1, (double)e->est_arrears, w->money, 0);
            s.row++;
        }
        s.row++;
    }
    if (nareas > 0) {
        fs_str(&s, 0, i18n(l, "col.area"), w->bold);
        for (int f = FIND_NONE + 1; f < FIND_COUNT; f++)
            fs_str(&s, f, w->fi_label[f], w->bold);
        s.row++;
        area_first = s.row;
        for (size_t i = 0; i < nareas; i++) {
            fs_str(&s, 0, areas[i].area[0] ? areas[i].area : i18n(l, "sum.no_area"), NULL);
            for (int f = FIND_NONE + 1; f < FIND_COUNT; f++)
                fs_num(&s, f, (double)areas[i].n[f], NULL, 0);
            s.row++;
        }
    }

    /* the charts, below the text: a printed page keeps the labels and
     * their values together, and the charts follow */
    uint32_t chart_row = s.row + 1;
    if (nchart > 0 && ws != NULL) {
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_BAR);
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        lxw_chart_options o = { 0 };
        chart_series_set_categories(se, sheet, top_first, 0,
                                    top_first + (uint32_t)nchart - 1, 0);
        chart_series_set_values(se, sheet, top_first, 1, top_first + (uint32_t)nchart - 1, 1);
        chart_series_set_name(se, i18n(l, "col.est_arrears"));
        chart_title_set_name(ch, i18n(l, "sum.chart_top"));
        chart_axis_set_reverse(ch->y_axis);  /* rank 1 on top (bar: y is categories) */
        chart_axis_set_crossing_max(ch->y_axis); /* ...and the values axis at the bottom */
        chart_axis_set_num_format(ch->x_axis, "#,##0");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        o.x_scale = 1.4;
        o.y_scale = 1.6;
        ck(w, worksheet_insert_chart_opt(ws, chart_row, 0, ch, &o), "chart");
        chart_row += 25; /* 288 px x 1.6 over 20 px rows, and a gap */
    }
    if (nareas > 0 && ws != NULL) {
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_BAR_STACKED);
        lxw_chart_options o = { 0 };
        for (int f = FIND_NONE + 1; f < FIND_COUNT; f++) {
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(se, sheet, area_first, 0,
                                        area_first + (uint32_t)nareas - 1, 0);
            chart_series_set_values(se, sheet, area_first, (lxw_col_t)f,
                                    area_first + (uint32_t)nareas - 1, (lxw_col_t)f);
            chart_series_set_name(se, w->fi_label[f]);
        }
        chart_title_set_name(ch, i18n(l, "sum.chart_area"));
        chart_axis_set_reverse(ch->y_axis);
        chart_axis_set_crossing_max(ch->y_axis);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        o.x_scale = 1.4;
        o.y_scale = 1.5;
        ck(w, worksheet_insert_chart_opt(ws, chart_row, 0, ch, &o), "chart");
        chart_row += 23;
    }
    free(areas);
    if (ws != NULL) {
        /* column A holds long labels; the rest from content */
        s.width[0] = s.width[0] > 48 ? 48 : s.width[0];
        set_widths(w, ws, s.width, 8);
        report_xlsx_print_setup(w, ws, widths_total(s.width, 8), 0,
                                chart_row > s.row ? chart_row : s.row, 7);
        if (chart_row > s.row + 1) { /* the charts start a printed page */
            static lxw_row_t breaks[2];
            breaks[0] = s.row + 1;
            breaks[1] = 0;
            ck(w, worksheet_set_h_pagebreaks(ws, breaks), "page break");
        }
    }
}

/* ---- Method ------------------------------------------------------------ */

static void
write_method(struct xw *w, lxw_worksheet *ws)
{
    const struct run_info *ri = w->ri;
    const struct result *res = ri->res;
    const struct profile *pf = ri->pf;
    const lang l = w->l;
    struct fsheet s = { w, ws, 0, {0} };
    static const char *const h4[] = { "method.code", "method.label",
        "method.explanation", "method.records" };
    char key[96];

    fs_str(&s, 0, i18n(l, "sheet.method"), w->title);
    s.row += 2;

    fs_str(&s, 0, i18n(l, "method.rules"), w->bold);
    s.row++;
    fs_head(&s, h4, 4);
    for (int r = RULE_NONE + 1; r < RULE_COUNT; r++) {
        const char *code = records_rule_name((rec_rule)r);
        fs_str(&s, 0, code, NULL);
        fs_str(&s, 1, label_or_code(l, "rule.", code), NULL);
        snprintf(key, sizeof key, "rule.%s.desc", code);
        fs_str(&s, 2, i18n(l, key), w->wrap);
        fs_num(&s, 3, (double)res->by_rule[r], w->money, 0);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.statuses"), w->bold);
    s.row++;
    fs_head(&s, h4, 4);
    for (int st = 0; st < ST_COUNT; st++) {
        const char *code = records_status_name((rec_status)st);
        fs_str(&s, 0, code, NULL);
        fs_str(&s, 1, w->st_label[st], NULL);
        snprintf(key, sizeof key, "status.%s.desc", code);
        fs_str(&s, 2, i18n(l, key), w->wrap);
        fs_num(&s, 3, (double)res->by_status[st], w->money, 0);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.reasons"), w->bold);
    s.row++;
    fs_head(&s, h4, 2);
    for (int r = RS_NONE + 1; r < RS_COUNT; r++) {
        fs_str(&s, 0, records_reason_name((rec_reason)r), NULL);
        fs_str(&s, 1, w->rs_label[r], NULL);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.findings"), w->bold);
    s.row++;
    fs_str(&s, 0, i18n(l, "method.code"), w->bold);
    fs_str(&s, 1, i18n(l, "method.label"), w->bold);
    fs_str(&s, 3, i18n(l, "method.employers"), w->bold);
    s.row++;
    for (int f = FIND_NONE + 1; f < FIND_COUNT; f++) {
        fs_str(&s, 0, employers_finding_name((finding)f), NULL);
        fs_str(&s, 1, w->fi_label[f], NULL);
        fs_num(&s, 3, (double)res->by_finding[f], w->money, 0);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.flags"), w->bold);
    s.row++;
    fs_head(&s, h4, 2);
    for (unsigned b = 0; b < RF_FLAG_COUNT; b++) {
        fs_str(&s, 0, records_flag_name(b), NULL);
        fs_str(&s, 1, label_or_code(l, "flag.", records_flag_name(b)), NULL);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.arrears"), w->bold);
    s.row++;
    if (ws)  /* one long wrapped cell, not counted in the widths */
        put_str(w, ws, s.row, 0, i18n(l, "method.formula"), w->wrap, NULL);
    s.row += 2;

    /* every parameter, its meaning, its profile key and its value */
    {
        static const char *const h[] = { "method.parameter", "method.label",
            "method.profile_key", "method.value" };
        struct profile dflt;
        const struct profile *p = pf;
        struct { const char *name, *ini; double v; lxw_format *f; } prm[11];
        int n = 0;

        if (p == NULL) {
            memset(&dflt, 0, sizeof dflt);
            p = &dflt;
        }
#define PRM(nm, ini_, val, f_) \
        (prm[n].name = (nm), prm[n].ini = (ini_), prm[n].v = (double)(val), prm[n].f = (f_), n++)
        PRM("employer_rate", "[rates] employer", p->employer_rate, w->pct);
        PRM("employee_rate", "[rates] employee", p->employee_rate, w->pct);
        PRM("base_cap", "[base] cap", p->base_cap, w->money);
        PRM("min_wage_1", "[base] min_wage_1", p->min_wage[0], w->money);
        PRM("min_wage_2", "[base] min_wage_2", p->min_wage[1], w->money);
        PRM("min_wage_3", "[base] min_wage_3", p->min_wage[2], w->money);
        PRM("min_wage_4", "[base] min_wage_4", p->min_wage[3], w->money);
        PRM("low_base_ratio", "[review] low_base_ratio", p->low_base_ratio, w->dec1);
        PRM("retire_male_months", "[review] retire_male_months", p->retire_male_months, NULL);
        PRM("retire_female_months", "[review] retire_female_months",
            p->retire_female_months, NULL);
        PRM("period_months", "--period", res->period.last - res->period.first + 1, NULL);
#undef PRM
        fs_str(&s, 0, i18n(l, "method.parameters"), w->bold);
        s.row++;
        fs_head(&s, h, 4);
        for (int i = 0; i < n; i++) {
            snprintf(key, sizeof key, "param.%s", prm[i].name);
            fs_str(&s, 0, prm[i].name, NULL);
            fs_str(&s, 1, i18n(l, key), NULL);
            fs_str(&s, 2, prm[i].ini, NULL);
            fs_num(&s, 3, prm[i].v, prm[i].f, prm[i].f == w->pct ? 1 : 0);
            s.row++;
        }
    }
    if (ws) {
        if (s.width[2] > 50)
            s.width[2] = 50;  /* explanations wrap */
        set_widths(w, ws, s.width, 4);
        report_xlsx_print_setup(w, ws, widths_total(s.width, 4), 0, s.row, 3);
    }
}

/* ---- the workbook ------------------------------------------------------ */

int
report_stderr_off(void)
{
    int saved, null;

    fflush(stderr);
    saved = dup(STDERR_FILENO);
    null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, STDERR_FILENO);
    if (null >= 0)
        close(null);
    return saved;
}

void
report_stderr_on(int saved)
{
    fflush(stderr);
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
}

int
report_workbook_close(void *wb, int *close_errno)
{
    lxw_error e;
    int saved = report_stderr_off();

    errno = 0;
    e = workbook_close(wb);
    *close_errno = errno; /* what the failing write said (ENOSPC...) */
    report_stderr_on(saved);
    return (int)e;
}

sirecon_status
report_xlsx_write(const struct run_info *ri, const char *dir, struct diag *d)
{
    struct xw w;
    char path[4096], tmpdir[4096], title[256];
    lxw_workbook_options opt = { 0 };
    lxw_doc_properties props = { 0 };
    lxw_worksheet *summary, *method;
    lxw_error cerr;
    mode_t old_umask;
    struct stat dst;

    if ((size_t)snprintf(path, sizeof path, "%s/report.xlsx", dir) >= sizeof path)
        return diag_set(d, SIRECON_ERR_CANTCREAT, dir, 0, "output path too long");
    snprintf(tmpdir, sizeof tmpdir, "%s", dir);
    /* Fail here with our message rather than in workbook_close() (where
     * libxlsxwriter also prints its own line to stderr). */
    if (stat(dir, &dst) != 0 || !S_ISDIR(dst.st_mode) || access(dir, W_OK | X_OK) != 0)
        return diag_set(d, SIRECON_ERR_CANTCREAT, dir, 0,
                        "output folder missing or not writable");

    memset(&w, 0, sizeof w);
    w.ri = ri;
    w.l = ri->lang;
    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = tmpdir;
    /* ~1 KB of sheet XML a row: past ~2 M rows a sheet part may pass 4 GB
     * uncompressed.  Only then ZIP64, which some older readers dislike. */
    opt.use_zip64 = ri->res->nemployees + ri->res->nreview + ri->ds->nrejects > 2000000u
                        ? LXW_TRUE : LXW_FALSE;

    /* libxlsxwriter fopen()s the file itself: keep it (and its temp files)
     * private from the first byte; chmod below in case the umask was odd. */
    old_umask = umask(077);
    w.wb = workbook_new_opt(path, &opt);
    if (w.wb == NULL) {
        umask(old_umask);
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot start the workbook");
    }
    make_formats(&w);
    cache_labels(&w);

    snprintf(title, sizeof title, "%s", i18n(w.l, "sum.title"));
    props.title = title;
    props.subject = title;
    props.author = "sirecon";
    props.comments = "sirecon " SIRECON_VERSION;
    props.created = ri->started; /* identical inputs -> identical workbook */
    ck(&w, workbook_set_properties(w.wb, &props), "document properties");

    /* Sheets are added in their final order; each streams its own rows. */
    summary = add_sheet(&w, i18n(w.l, "sheet.summary"));
    write_summary(&w, summary);
    if (w.err == LXW_NO_ERROR)
        write_employers(&w);
    if (w.err == LXW_NO_ERROR)
        write_tax_rows(&w, "sheet.employees", ri->res->employees, ri->res->nemployees);
    if (w.err == LXW_NO_ERROR)
        write_tax_rows(&w, "sheet.review", ri->res->review, ri->res->nreview);
    if (w.err == LXW_NO_ERROR)
        write_rejects(&w);
    if (w.err == LXW_NO_ERROR) {
        method = add_sheet(&w, i18n(w.l, "sheet.method"));
        write_method(&w, method);
    }
    if (summary != NULL)
        worksheet_activate(summary);

    /* Always close: it frees everything and is where the file is written.
     * libxlsxwriter 1.1.4 prints its own "[ERROR] ..." lines on stderr
     * (LXW_ERROR, no hook to turn it off): stderr goes to /dev/null around
     * the close, and the failure reaches the user once, as our message.
     * No other thread runs at this point of the pipeline. */
    int close_errno;
    cerr = (lxw_error)report_workbook_close(w.wb, &close_errno);
    umask(old_umask);
    ck(&w, cerr, "the workbook file");
    if (w.err != LXW_NO_ERROR) {
        (void)unlink(path); /* a partial or empty file must not look like a report */
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot write workbook (%s): %s%s%s",
                        w.err_what ? w.err_what : "?", lxw_strerror(w.err),
                        close_errno ? ": " : "", close_errno ? strerror(close_errno) : "");
    }
    if (chmod(path, 0600) != 0)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "chmod 0600: %s", strerror(errno));
    return SIRECON_OK;
}
