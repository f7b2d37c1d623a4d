/*
 * report_xlsx.c - report.xlsx, the workbook an inspector acts on (docs/architecture.md, "Outputs").
 *
 * Sheets in order: Summary, Employers, Employees, Review, Rejects, Input
 * files, Method, labels from i18n.c.  The Summary's page 1 is the findings
 * (see write_summary); the input files, their paths relative to the input
 * folder given on the command line, have their own sheet.  The workbook is
 * written in libxlsxwriter's constant-memory mode (every sheet streams its
 * rows to a temp file in the output folder), so each sheet is laid out in
 * one pass, strictly row by row: chart data sits in a block at the end of
 * the Summary, row heights are set as each row is written, and column
 * widths, freeze panes and autofilters after the rows (they live outside
 * sheetData).  A table that would pass the row limit continues
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
#include "sirecon/report_table.h"
#include "sirecon/sheet.h"

#define XLSX_TOP_LIST 10     /* employers on the Summary's "inspect first" list */
#define XLSX_TOP_CHART 20    /* employers in the arrears chart */

/* The whole writer's state: workbook, shared formats, first error. */
struct xw {
    struct sheetw s;             /* workbook, formats, first error (sheet.h) */
    const struct run_info *ri;
    const char *st_label[ST_COUNT], *rs_label[RS_COUNT], *fi_label[FIND_COUNT];
};

/* ---- formats and labels ------------------------------------------------ */

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
        w->st_label[s] = label_or_code(w->s.l, "status.", records_status_name((rec_status)s));
    for (int r = 0; r < RS_COUNT; r++)
        w->rs_label[r] = label_or_code(w->s.l, "reason.", records_reason_name((rec_reason)r));
    for (int f = 0; f < FIND_COUNT; f++)
        w->fi_label[f] = label_or_code(w->s.l, "finding.", employers_finding_name((finding)f));
}

/* "New" / "Ongoing (3 months)" from the CSV's "NEW" / "ONGOING (3 months)". */
static const char *
trend_label(struct xw *w, const char *trend, char *buf, size_t n)
{
    int months;

    if (trend == NULL || trend[0] == '\0')
        return "";
    if (strcmp(trend, "NEW") == 0)
        return i18n(w->s.l, "trend.NEW");
    if (sscanf(trend, "ONGOING (%d", &months) == 1) {
        snprintf(buf, n, "%s (%d %s)", i18n(w->s.l, "trend.ONGOING"), months,
                 i18n(w->s.l, "trend.months"));
        return buf;
    }
    return trend;
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

/* One cell of a table column: codes by their label, identifiers as text,
 * numbers and dates typed; hot: the row's emphasis. */
static void
put_cell(struct xw *w, lxw_worksheet *ws, uint32_t r, int c, const struct report_col *col,
         const struct report_cell *v, bool hot, double *wd)
{
    lxw_format *tf = hot ? w->s.hot : NULL;
    char buf[128];

    switch (col->type) {
    case RC_CODE:
        sheet_str(&w->s, ws, r, c, label_or_code(w->s.l, col->label, v->s), tf, wd);
        break;
    case RC_TREND:
        sheet_str(&w->s, ws, r, c, trend_label(w, v->s, buf, sizeof buf), tf, wd);
        break;
    case RC_INT:
        sheet_num(&w->s, ws, r, c, (double)v->i, tf, 0, wd);
        break;
    case RC_MONEY:
        sheet_num(&w->s, ws, r, c, (double)v->i, hot ? w->s.hot_money : w->s.money, 0, wd);
        break;
    case RC_DEC1:
        sheet_num(&w->s, ws, r, c, v->d, hot ? w->s.hot_dec1 : w->s.dec1, 1, wd);
        break;
    case RC_DATE:
        sheet_date(&w->s, ws, r, c, v->date, hot ? w->s.hot_date : w->s.date, tf, wd);
        break;
    default:
        sheet_str(&w->s, ws, r, c, v->s, tf, wd);
        break;
    }
}

/* A table of report_table.c on sheet sheet_key (parts at the row limit):
 * rows idx[0..n) (NULL: 0..n-1); link(i, c) may write column c of row i
 * itself (a hyperlink) and return true. */
static void
write_table(struct xw *w, const char *sheet_key, const struct report_table *tb,
            const size_t *idx, size_t n, bool (*hot)(const struct xw *, size_t),
            bool (*link)(struct xw *, struct tsheet *, size_t, uint32_t, int, const char *,
                         void *),
            void *ctx)
{
    struct tsheet t;
    const char *keys[XLSX_MAX_COLS];
    char buf[REPORT_CELL_BUF];

    for (int c = 0; c < tb->ncols && c < XLSX_MAX_COLS; c++)
        keys[c] = tb->cols[c].key;
    tsheet_begin(&t, &w->s, sheet_key, keys, tb->ncols);
    for (size_t i = 0; i < n && w->s.err == LXW_NO_ERROR; i++) {
        size_t row = idx ? idx[i] : i;
        uint32_t r = tsheet_next(&t);
        bool h = hot && hot(w, row);

        if (t.ws == NULL)
            break;
        for (int c = 0; c < tb->ncols; c++) {
            struct report_cell v = {"", 0, 0, 0};
            tb->cols[c].get(w->ri, row, &v, buf);
            if (link && link(w, &t, i, r, c, v.s, ctx))
                continue;
            put_cell(w, t.ws, r, c, &tb->cols[c], &v, h, &t.width[c]);
        }
    }
    tsheet_finish(&t);
}

/* Employers: the tax code links to the employer's first Employees row. */
struct emp_links {
    size_t *first;
    const char *emp_base;
};

static bool
employer_link(struct xw *w, struct tsheet *t, size_t i, uint32_t r, int c, const char *code,
              void *ctx)
{
    struct emp_links *el = ctx;
    char url[LXW_SHEETNAME_MAX * 4 + 64], tgt[LXW_SHEETNAME_MAX * 4 + 16];
    int part;
    uint32_t row;

    if (c != 1 || el->first[i] == SIZE_MAX || t->nlinks >= LXW_MAX_NUMBER_URLS)
        return false;
    sheet_table_pos(el->first[i], &part, &row);
    sheet_part_name(el->emp_base, part, tgt, sizeof tgt);
    snprintf(url, sizeof url, "internal:'%s'!A%lu", tgt, (unsigned long)row + 1);
    sheet_check(&w->s, worksheet_write_url_opt(t->ws, r, 1, url, w->s.link, code, NULL),
                "hyperlink");
    sheet_grow_width(&t->width[1], sheet_text_width(code ? code : ""));
    t->nlinks++;
    return true;
}

static void
write_employers(struct xw *w)
{
    struct emp_links el;

    el.first = report_xlsx_first_rows(w->ri);
    el.emp_base = i18n(w->s.l, "sheet.employees");
    write_table(w, "sheet.employers", &report_employers_table, NULL, w->ri->res->nlisted,
                NULL, employer_link, &el);
    free(el.first);
}

/* ---- Employees / Review ------------------------------------------------ */

/* DEDUCTED_NOT_ENROLLED rows stand out. */
static bool
deducted(const struct xw *w, size_t row)
{
    return (w->ri->ds->tax[row].flags & RF_DEDUCTED_NOT_ENROLLED) != 0;
}

static void
write_tax_rows(struct xw *w, const char *sheet_key, const size_t *idx, size_t n)
{
    write_table(w, sheet_key, &report_employees_table, idx, n, deducted, NULL, NULL);
}

/* ---- Rejects ----------------------------------------------------------- */

static void
write_rejects(struct xw *w)
{
    write_table(w, "sheet.rejects", &report_rejects_table, NULL, w->ri->ds->nrejects, NULL,
                NULL, NULL);
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
        sheet_str(&s->w->s, s->ws, s->row, c, v, f, &s->width[c]);
}

static void
fs_num(struct fsheet *s, int c, double v, lxw_format *f, int decimals)
{
    if (s->ws)
        sheet_num(&s->w->s, s->ws, s->row, c, v, f, decimals, &s->width[c]);
}

/* A bold row of localized labels starting at column 0. */
static void
fs_head(struct fsheet *s, const char *const *keys, int n)
{
    for (int c = 0; c < n; c++)
        fs_str(s, c, i18n(s->w->s.l, keys[c]), s->w->s.bold);
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

/*
 * The Summary is laid out for paper: page 1 holds the findings (headline
 * figures, the employers to inspect first, the totals), a page break, the
 * charts, then the run parameters and the chart tables.  Six columns, set
 * by the "inspect first" table: rank, tax code, name, not enrolled,
 * deducted but not enrolled, arrears.  Key/value rows put their label in A
 * (it overflows over the empty cells to its right, so it is never counted
 * in a width) and their value in F, right-aligned under the arrears.  The
 * widths are worked out before the first row (constant-memory mode writes
 * each row once, and a wrapped header row needs its height then).  The
 * input files have their own sheet (write_inputs).
 */
enum { SC_RANK, SC_CODE, SC_NAME, SC_NE, SC_DNE, SC_ARREARS, SC_N };
#define SC_NAME_MAX 40.0  /* employer names wrap past this */
#define SC_NAME_MIN 30.0  /* room for the labels overflowing from A */
#define SC_COUNT_MIN 11.0 /* the count columns, for their long headers */
#define XLSX_ROW_PT 15.0  /* a default row, in points */

/* Display width of the longest word of s: a wrapped header breaks between words. */
static double
longest_word(const char *s)
{
    double best = 0, cur = 0;

    for (; *s; s++) {
        if (*s == ' ') {
            cur = 0;
            continue;
        }
        cur += ((unsigned char)*s & 0xC0) != 0x80;
        if (cur > best)
            best = cur;
    }
    return best;
}

/* Lines text s takes in a column of cw characters (as set: content + 2),
 * wrapped between words, a word too long broken anywhere; em: the width
 * of an average letter of the text in digit widths (the unit of column
 * widths): about 0.9 for body text, 1.1 for bold.  Errs on the tall side:
 * a row too tall wastes a little paper, one too short cuts the text. */
STATIC int
report_xlsx_text_lines(const char *s, double cw, double em)
{
    double room = (cw - 1.5) / em, line = 0;
    int lines = 1;

    if (room < 1)
        room = 1;
    while (*s) {
        const char *e = s;
        double n = 0;
        while (*e == ' ')
            e++;
        for (; *e && *e != ' '; e++)
            n += ((unsigned char)*e & 0xC0) != 0x80;
        if (line > 0 && line + 1 + n > room) {
            lines++;
            line = 0;
        }
        line += (line > 0) + n;
        while (line > room) { /* a word longer than the column */
            lines++;
            line -= room;
        }
        s = e;
    }
    return lines;
}

/* Characters of an integer printed with thousands separators. */
static double
int_width(double v)
{
    int n = 1;

    for (v = fabs(v); v >= 10 && n < 20; v /= 10)
        n++;
    return n + (n - 1) / 3;
}

/* A label in column A, not counted in the widths (it overflows right). */
static void
fs_label(struct fsheet *s, const char *v, lxw_format *f)
{
    if (s->ws)
        sheet_str(&s->w->s, s->ws, s->row, 0, v, f, NULL);
}

/* label ... value (F), one row. */
static void
fs_kf(struct fsheet *s, const char *lab, lxw_format *lf, double v, lxw_format *vf)
{
    fs_label(s, lab, lf);
    if (s->ws)
        sheet_num(&s->w->s, s->ws, s->row, SC_ARREARS, v, vf, 0, NULL);
    s->row++;
}

static void
fs_kt(struct fsheet *s, const char *key, const char *v, lxw_format *right)
{
    fs_label(s, i18n(s->w->s.l, key), NULL);
    if (s->ws)
        sheet_str(&s->w->s, s->ws, s->row, SC_ARREARS, v, right, NULL);
    s->row++;
}

/* A bold wrapped header row over columns c0.. of the widths wd, tall
 * enough for its longest label. */
static void
fs_wrapped_head(struct fsheet *s, int c0, const char *const *labels, int n,
                const double *wd, lxw_format *hf)
{
    int lines = 1;

    for (int c = 0; c < n; c++) {
        int k = report_xlsx_text_lines(labels[c], wd[c0 + c], 1.1);
        if (k > lines)
            lines = k;
    }
    if (s->ws && lines > 1)
        sheet_check(&s->w->s, worksheet_set_row(s->ws, s->row, XLSX_ROW_PT * lines, NULL),
                    "row height");
    for (int c = 0; c < n; c++)
        if (s->ws)
            sheet_str(&s->w->s, s->ws, s->row, c0 + c, labels[c], hf, NULL);
    s->row++;
}

/* Rows a chart of h pixels covers (20 px rows), and a gap. */
static uint32_t
chart_rows(double px)
{
    return (uint32_t)ceil((px + 6) / 20.0) + 1; /* 6: the chart's y_offset */
}

/* Bar chart height for n bars: room for each, within bounds. */
static double
chart_scale(size_t n, double extra)
{
    double px = 110 + extra + 20.0 * (double)n;

    if (px < 240)
        px = 240;
    if (px > 470)
        px = 470;
    return px / 288.0; /* libxlsxwriter's default chart is 480 x 288 px */
}

static void
write_summary(struct xw *w, lxw_worksheet *ws)
{
    const struct run_info *ri = w->ri;
    const struct dataset *ds = ri->ds;
    const struct result *res = ri->res;
    const lang l = w->s.l;
    struct fsheet s = { w, ws, 0, {0} };
    const char *sheet = i18n(l, "sheet.summary");
    char buf[256], m1[16], m2[16];
    struct tm tm;
    time_t started = ri->started;
    int64_t arrears = 0;
    uint64_t ne = 0, dne = 0;
    size_t ntop, nchart, nareas;
    struct area_count *areas;
    uint32_t top_first = 0, area_first = 0, chart_row = 0, break_row, print_last;
    double wd[SC_N] = {0};
    int nunread = 0;
    lxw_format *right, *bold_money, *head, *top, *center;
    const char *th[SC_N];
    static const char *const th_keys[SC_N] = { "col.rank", "col.employer_tax_id",
        "col.employer_name", "col.not_enrolled", "col.deducted_not_enrolled",
        "col.est_arrears" };

    right = sheet_format(&w->s, NULL, 0, 0);
    format_set_align(right, LXW_ALIGN_RIGHT);
    bold_money = sheet_format(&w->s, "#,##0", 1, 0);
    center = sheet_format(&w->s, NULL, 0, 0);
    format_set_align(center, LXW_ALIGN_CENTER);
    top = sheet_format(&w->s, NULL, 0, 0);
    format_set_text_wrap(top);
    head = sheet_format(&w->s, NULL, 1, 0);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_BOTTOM);

    for (size_t i = 0; i < res->nlisted; i++) {
        arrears += res->emps[i].est_arrears;
        ne += res->emps[i].not_enrolled;
        dne += res->emps[i].deducted_not_enrolled;
    }
    for (size_t i = 0; i < ds->nfiles; i++)
        nunread += ds->files[i].nunread;
    ntop = res->nlisted < XLSX_TOP_LIST ? res->nlisted : XLSX_TOP_LIST;
    nchart = res->nlisted < XLSX_TOP_CHART ? res->nlisted : XLSX_TOP_CHART;
    areas = count_areas(res, &nareas);

    /* the widths, from everything the columns will hold */
    for (int c = 0; c < SC_N; c++) {
        th[c] = i18n(l, th_keys[c]);
        wd[c] = longest_word(th[c]) * 1.1;
    }
    for (size_t i = 0; i < nchart; i++) {
        const struct employer_sum *e = &res->emps[i];
        sheet_grow_width(&wd[SC_RANK], int_width(e->rank));
        sheet_grow_width(&wd[SC_CODE], sheet_text_width(e->emp ? e->emp : ""));
        sheet_grow_width(&wd[SC_NAME], sheet_text_width(e->name && e->name[0] ? e->name
                                                        : e->emp ? e->emp : ""));
        sheet_grow_width(&wd[SC_NE], int_width(e->not_enrolled));
        sheet_grow_width(&wd[SC_DNE], int_width(e->deducted_not_enrolled));
    }
    for (size_t i = 0; i < nareas; i++)
        sheet_grow_width(&wd[SC_NAME], sheet_text_width(areas[i].area[0] ? areas[i].area
                                                        : i18n(l, "sum.no_area")));
    for (int f = FIND_NONE + 1; f < FIND_COUNT && SC_NE + f - 1 < SC_N; f++)
        sheet_grow_width(&wd[SC_NE + f - 1], longest_word(w->fi_label[f]) * 1.1);
    sheet_grow_width(&wd[SC_ARREARS], int_width((double)arrears) + 1); /* bold */
    sheet_grow_width(&wd[SC_ARREARS], int_width((double)ds->ntax));
    sheet_grow_width(&wd[SC_ARREARS], int_width((double)ds->nrejects));
    for (int c = SC_NE; c <= SC_DNE; c++)  /* headers wrap on two or three lines */
        if (wd[c] < SC_COUNT_MIN)
            wd[c] = SC_COUNT_MIN;
    if (wd[SC_NAME] > SC_NAME_MAX)
        wd[SC_NAME] = SC_NAME_MAX;
    if (wd[SC_NAME] < SC_NAME_MIN)
        wd[SC_NAME] = SC_NAME_MIN;
    {   /* the widths as set, for the header heights */
        double set[SC_N];
        for (int c = 0; c < SC_N; c++) {
            set[c] = wd[c] + 2;
            set[c] = set[c] < XLSX_WIDTH_MIN ? XLSX_WIDTH_MIN
                     : set[c] > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : set[c];
        }
        memcpy(s.width, set, sizeof set); /* s.width now holds the set widths */
    }

    fs_label(&s, i18n(l, "sum.title"), w->s.title);
    s.row += 2;

    /* ---- page 1: the findings */
    fs_label(&s, i18n(l, "sum.findings"), w->s.bold);
    s.row++;
    values_month_str(res->period.first, m1);
    values_month_str(res->period.last, m2);
    snprintf(buf, sizeof buf, "%s..%s", m1, m2);
    fs_kt(&s, "sum.period", buf, right);
    fs_kf(&s, i18n(l, "sum.listed"), w->s.bold, (double)res->nlisted, bold_money);
    fs_kf(&s, i18n(l, "sum.not_enrolled"), NULL, (double)ne, w->s.money);
    fs_kf(&s, i18n(l, "sum.deducted"), NULL, (double)dne, w->s.money);
    fs_kf(&s, i18n(l, "sum.arrears_total"), w->s.bold, (double)arrears, bold_money);
    fs_label(&s, i18n(l, "sum.arrears_note"), NULL);
    s.row++;
    if (nunread > 0) {
        snprintf(buf, sizeof buf, i18n(l, "sum.unread_warning"), nunread);
        fs_label(&s, buf, w->s.bold);
        s.row++;
    }
    s.row++;

    /* whom to inspect first, and why */
    fs_label(&s, i18n(l, "sum.top"), w->s.bold);
    s.row++;
    if (ntop == 0) {
        fs_label(&s, i18n(l, "sum.none"), NULL);
        s.row++;
    } else {
        fs_wrapped_head(&s, 0, th, SC_N, s.width, head);
    }
    for (size_t i = 0; i < ntop && ws; i++) {
        const struct employer_sum *e = &res->emps[i];
        int lines = report_xlsx_text_lines(e->name ? e->name : "", s.width[SC_NAME], 0.9);
        if (lines > 1)
            sheet_check(&w->s, worksheet_set_row(ws, s.row, XLSX_ROW_PT * lines, NULL),
                        "row height");
        sheet_num(&w->s, ws, s.row, SC_RANK, e->rank, center, 0, NULL);
        sheet_str(&w->s, ws, s.row, SC_CODE, e->emp, NULL, NULL);
        sheet_str(&w->s, ws, s.row, SC_NAME, e->name, top, NULL);
        sheet_num(&w->s, ws, s.row, SC_NE, e->not_enrolled, NULL, 0, NULL);
        sheet_num(&w->s, ws, s.row, SC_DNE, e->deducted_not_enrolled, NULL, 0, NULL);
        sheet_num(&w->s, ws, s.row, SC_ARREARS, (double)e->est_arrears, w->s.money, 0, NULL);
        s.row++;
    }
    s.row++;

    /* totals */
    fs_label(&s, i18n(l, "sum.totals"), w->s.bold);
    s.row++;
    fs_kf(&s, i18n(l, "sum.tax_records"), NULL, (double)ds->ntax, w->s.money);
    fs_label(&s, i18n(l, "sum.by_status"), NULL);
    s.row++;
    for (int st = 0; st < ST_COUNT; st++) {
        snprintf(buf, sizeof buf, "    %s", w->st_label[st]);
        fs_kf(&s, buf, NULL, (double)res->by_status[st], w->s.money);
    }
    fs_kf(&s, i18n(l, "sum.duplicates"), NULL, (double)res->duplicates, w->s.money);
    fs_kf(&s, i18n(l, "sum.rejected_rows"), NULL, (double)ds->nrejects, w->s.money);
    fs_label(&s, i18n(l, "sum.by_finding"), NULL);
    s.row++;
    for (int f = FIND_NONE + 1; f < FIND_COUNT; f++) {
        snprintf(buf, sizeof buf, "    %s", w->fi_label[f]);
        fs_kf(&s, buf, NULL, (double)res->by_finding[f], w->s.money);
    }
    fs_label(&s, i18n(l, "sum.see_inputs"), NULL);
    s.row++;

    /* ---- the charts start page 2 (their data sits below, written later) */
    chart_row = s.row + 1;
    break_row = chart_row;
    {
        double top_px = nchart ? chart_scale(nchart, 0) * 288.0 : 0;
        double area_px = nareas ? chart_scale(nareas, 60) * 288.0 : 0;
        uint32_t after = chart_row + (nchart ? chart_rows(top_px) : 0)
                         + (nareas ? chart_rows(area_px) : 0);
        if (nchart > 0 || nareas > 0)
            s.row = after;
    }

    /* employers listed last time and not now */
    if (ri->nresolved > 0) {
        fs_label(&s, i18n(l, "sum.resolved"), w->s.bold);
        s.row++;
        for (size_t i = 0; i < ri->nresolved; i++) {
            if (ws)
                sheet_str(&w->s, ws, s.row, SC_CODE, ri->resolved[i], NULL, NULL);
            s.row++;
        }
        s.row++;
    }

    /* run parameters */
    fs_label(&s, i18n(l, "sum.parameters"), w->s.bold);
    s.row++;
    gmtime_r(&started, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    fs_kt(&s, "sum.started", buf, right);
    fs_kt(&s, "sum.version", SIRECON_VERSION, right);
    snprintf(buf, sizeof buf, "%s..%s", m1, m2);
    fs_kt(&s, "sum.period", buf, right);
    fs_kt(&s, "sum.language", i18n(l, "sum.language_name"), right);
    fs_kf(&s, i18n(l, "sum.min_missing"), NULL, ri->min_missing, NULL);
    fs_label(&s, i18n(l, "sum.max_reject_rate"), NULL);
    if (ws)
        sheet_num(&w->s, ws, s.row, SC_ARREARS, ri->max_reject_rate, w->s.pct, 1, NULL);
    s.row++;
    fs_kt(&s, "sum.mask_ids", yes_no(l, ri->mask_ids), right);
    fs_kt(&s, "sum.include_short_contracts",
          yes_no(l, ri->mo != NULL && ri->mo->include_short_contracts), right);
    fs_kt(&s, "sum.branch_level", yes_no(l, ri->mo != NULL && ri->mo->branch_level), right);
    snprintf(buf, sizeof buf, "%s (%.12s)", ri->pf ? ri->pf->name : "", ri->profile_hash);
    fs_kt(&s, "sum.profile", buf, right);
    snprintf(buf, sizeof buf, "%zu", ds->nfiles);
    fs_kt(&s, "sum.input_files", buf, right);
    s.row++;

    /* findings by area (the second chart's data) */
    if (nareas > 0) {
        const char *fl[FIND_COUNT];
        int nf = 0;
        fs_label(&s, i18n(l, "sum.chart_area"), w->s.bold);
        s.row++;
        for (int f = FIND_NONE + 1; f < FIND_COUNT && SC_NE + nf < SC_N; f++)
            fl[nf++] = w->fi_label[f];
        if (ws)
            sheet_str(&w->s, ws, s.row, SC_NAME, i18n(l, "col.area"), head, NULL);
        fs_wrapped_head(&s, SC_NE, fl, nf, s.width, head);
        area_first = s.row;
        for (size_t i = 0; i < nareas; i++) {
            if (ws) {
                sheet_str(&w->s, ws, s.row, SC_NAME,
                          areas[i].area[0] ? areas[i].area : i18n(l, "sum.no_area"), NULL, NULL);
                for (int f = FIND_NONE + 1; f < FIND_COUNT && SC_NE + f - 1 < SC_N; f++)
                    sheet_num(&w->s, ws, s.row, SC_NE + f - 1, (double)areas[i].n[f], NULL, 0,
                              NULL);
            }
            s.row++;
        }
    }
    print_last = s.row > 0 ? s.row - 1 : 0;

    /* the first chart's data, on screen only (the Employers sheet prints it) */
    if (nchart > 0) {
        s.row++;
        fs_label(&s, i18n(l, "sum.chart_data"), w->s.bold);
        s.row++;
        if (ws) {
            sheet_str(&w->s, ws, s.row, SC_NAME, i18n(l, "sum.employer"), w->s.bold, NULL);
            sheet_str(&w->s, ws, s.row, SC_ARREARS, i18n(l, "col.est_arrears"), head, NULL);
        }
        s.row++;
        top_first = s.row;
        for (size_t i = 0; i < nchart; i++) {
            const struct employer_sum *e = &res->emps[i];
            if (ws) {
                sheet_str(&w->s, ws, s.row, SC_NAME, e->name && e->name[0] ? e->name : e->emp,
                          NULL, NULL);
                sheet_num(&w->s, ws, s.row, SC_ARREARS, (double)e->est_arrears, w->s.money, 0,
                          NULL);
            }
            s.row++;
        }
    }

    if (nchart > 0 && ws != NULL) {
        lxw_chart *ch = workbook_add_chart(w->s.wb, LXW_CHART_BAR);
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        lxw_chart_options o = { 0 };
        chart_series_set_categories(se, sheet, top_first, SC_NAME,
                                    top_first + (uint32_t)nchart - 1, SC_NAME);
        chart_series_set_values(se, sheet, top_first, SC_ARREARS,
                                top_first + (uint32_t)nchart - 1, SC_ARREARS);
        chart_series_set_name(se, i18n(l, "col.est_arrears"));
        chart_title_set_name(ch, i18n(l, "sum.chart_top"));
        chart_axis_set_reverse(ch->y_axis);  /* rank 1 on top (bar: y is categories) */
        chart_axis_set_crossing_max(ch->y_axis); /* ...and the values axis at the bottom */
        chart_axis_set_num_format(ch->x_axis, "#,##0");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        o.x_scale = 1.4;
        o.y_scale = chart_scale(nchart, 0);
        o.y_offset = 6; /* clear of the page break above */
        sheet_check(&w->s, worksheet_insert_chart_opt(ws, chart_row, 0, ch, &o), "chart");
        chart_row += chart_rows(o.y_scale * 288.0);
    }
    if (nareas > 0 && ws != NULL) {
        lxw_chart *ch = workbook_add_chart(w->s.wb, LXW_CHART_BAR_STACKED);
        lxw_chart_options o = { 0 };
        for (int f = FIND_NONE + 1; f < FIND_COUNT && SC_NE + f - 1 < SC_N; f++) {
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            lxw_col_t c = (lxw_col_t)(SC_NE + f - 1);
            chart_series_set_categories(se, sheet, area_first, SC_NAME,
                                        area_first + (uint32_t)nareas - 1, SC_NAME);
            chart_series_set_values(se, sheet, area_first, c,
                                    area_first + (uint32_t)nareas - 1, c);
            chart_series_set_name(se, w->fi_label[f]);
        }
        chart_title_set_name(ch, i18n(l, "sum.chart_area"));
        chart_axis_set_reverse(ch->y_axis);
        chart_axis_set_crossing_max(ch->y_axis);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        o.x_scale = 1.4;
        o.y_scale = chart_scale(nareas, 60);
        o.y_offset = 6;
        sheet_check(&w->s, worksheet_insert_chart_opt(ws, chart_row, 0, ch, &o), "chart");
    }
    free(areas);
    if (ws != NULL) {
        double total = 0;
        for (int c = 0; c < SC_N; c++) {
            sheet_check(&w->s, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                                    s.width[c], NULL), "column width");
            total += s.width[c];
        }
        sheet_print_setup(&w->s, ws, total, 0, print_last, SC_N - 1);
        /* portrait: the page is long, the columns are few; page 1 holds
         * the findings, the charts start page 2 */
        worksheet_set_portrait(ws);
        if (nchart > 0 || nareas > 0) {
            static lxw_row_t breaks[2];
            breaks[0] = break_row;
            breaks[1] = 0;
            sheet_check(&w->s, worksheet_set_h_pagebreaks(ws, breaks), "page break");
        }
    }
}

/* ---- Input files ------------------------------------------------------ */

/* A candidate folder or file named by command-line argument arg: the
 * argument itself, the value of "--opt=VALUE", or of "-tVALUE". */
static const char *
arg_value(const char *arg)
{
    const char *eq;

    if (arg[0] == '-' && arg[1] == '-' && (eq = strchr(arg, '=')) != NULL)
        return eq + 1;
    if (arg[0] == '-' && arg[1] != '\0' && arg[1] != '-' && arg[2] != '\0' &&
        strchr("tse", arg[1]) != NULL)
        return arg + 2;
    return arg;
}

/*
 * path as the Input files sheet shows it: relative to the input folder it
 * was given under on the command line (the longest argument that is a
 * folder holding it), or its file name when it was given by itself; as
 * given when no argument names it (standard input, a test).  *dirlen: the
 * length of the folder part left off (0 when none).
 */
STATIC const char *
report_xlsx_rel_path(const char *const *argv, int argc, const char *path, size_t *dirlen)
{
    size_t best = 0;
    const char *rel = path;

    *dirlen = 0;
    for (int i = 1; argv != NULL && i < argc; i++) {
        const char *c = arg_value(argv[i]);
        size_t n = strlen(c);
        if (n == 0 || n <= best || strncmp(path, c, n) != 0)
            continue;
        if (path[n] == '\0') {              /* the file itself */
            const char *slash = strrchr(path, '/');
            if (slash == NULL || slash[1] == '\0')
                continue;
            best = n;
            rel = slash + 1;
        } else if (c[n - 1] == '/') {
            best = n;
            rel = path + n;
        } else if (path[n] == '/') {
            best = n;
            rel = path + n + 1;
        }
    }
    while (best > 0 && rel[0] == '/' && rel[1] != '\0')
        rel++;
    *dirlen = (size_t)(rel - path);
    return rel;
}

#define XLSX_MAX_FOLDERS 8

/* Input files: one row per file read -- its path relative to its input
 * folder (wrapped in a wide column, never cut), kind, form, rows, rejected,
 * the SHA-256 prefix, the encoding; below, the folders the paths are
 * relative to and the columns that look like IDs but were not read. */
static void
write_inputs(struct xw *w)
{
    static const char *const cols[] = { "file", "kind", "form", "rows_read",
        "rows_loaded", "rows_rejected", "sha256", "encoding" };
    enum { NC = 8 };
    const struct run_info *ri = w->ri;
    const struct dataset *ds = ri->ds;
    const lang l = w->s.l;
    struct tsheet t;
    uint8_t *sched = xmalloc(ds->nfiles ? ds->nfiles : 1);
    const char *folders[XLSX_MAX_FOLDERS];
    size_t folder_len[XLSX_MAX_FOLDERS];
    int nfolders = 0;
    double cw = 0;
    char buf[1024];
    uint32_t last;

    /* the schedules each tax file's records came from */
    memset(sched, 0, ds->nfiles ? ds->nfiles : 1);
    for (size_t i = 0; i < ds->ntax; i++)
        if (ds->tax[i].file < ds->nfiles && ds->tax[i].schedule >= 1 &&
            ds->tax[i].schedule <= 2)
            sched[ds->tax[i].file] |= (uint8_t)(1u << (ds->tax[i].schedule - 1));
    for (size_t i = 0; i < ds->nfiles; i++) {
        size_t dl;
        const char *rel = report_xlsx_rel_path(ri->argv, ri->argc, ds->files[i].path, &dl);
        sheet_grow_width(&cw, sheet_text_width(rel));
        if (dl > 0) {
            int f;
            for (f = 0; f < nfolders; f++)
                if (folder_len[f] == dl && memcmp(folders[f], ds->files[i].path, dl) == 0)
                    break;
            if (f == nfolders && nfolders < XLSX_MAX_FOLDERS) {
                folders[nfolders] = ds->files[i].path;
                folder_len[nfolders++] = dl;
            }
        }
    }
    if (cw > XLSX_WIDTH_MAX - 2)
        cw = XLSX_WIDTH_MAX - 2;

    tsheet_begin(&t, &w->s, "sheet.inputs", cols, NC);
    sheet_grow_width(&cw, t.width[0]);
    for (size_t i = 0; i < ds->nfiles && w->s.err == LXW_NO_ERROR; i++) {
        const struct input_file *in = &ds->files[i];
        size_t dl;
        const char *rel = report_xlsx_rel_path(ri->argv, ri->argc, in->path, &dl);
        uint32_t r = tsheet_next(&t);
        int lines = report_xlsx_text_lines(rel, cw + 2, 1.0);
        const char *form = "";

        if (t.ws == NULL)
            break;
        if (lines > 1)
            sheet_check(&w->s, worksheet_set_row(t.ws, r, XLSX_ROW_PT * lines, NULL),
                        "row height");
        sheet_str(&w->s, t.ws, r, 0, rel, w->s.wrap, NULL);
        sheet_str(&w->s, t.ws, r, 1, label_or_code(l, "kind.", fields_kind_name(in->kind)),
                  NULL, &t.width[1]);
        if (in->kind == KIND_TAX)
            form = sched[i] == 3 ? "05-1, 05-2" : sched[i] == 2 ? "05-2"
                   : sched[i] == 1 ? "05-1" : "";
        sheet_str(&w->s, t.ws, r, 2, form, NULL, &t.width[2]);
        sheet_num(&w->s, t.ws, r, 3, (double)in->read, w->s.money, 0, &t.width[3]);
        sheet_num(&w->s, t.ws, r, 4, (double)in->loaded, w->s.money, 0, &t.width[4]);
        sheet_num(&w->s, t.ws, r, 5, (double)in->rejected, w->s.money, 0, &t.width[5]);
        snprintf(buf, sizeof buf, "%.12s", in->sha256);
        sheet_str(&w->s, t.ws, r, 6, buf, NULL, &t.width[6]);
        sheet_str(&w->s, t.ws, r, 7, in->encoding, NULL, &t.width[7]);
    }
    free(sched);
    t.width[0] = cw;
    last = t.row > 0 ? t.row - 1 : 0;
    tsheet_finish(&t);
    if (t.ws == NULL)
        return;

    /* below the table: what the paths are relative to, the unread columns */
    {
        uint32_t r = t.row + 1;
        for (int f = 0; f < nfolders; f++) {
            snprintf(buf, sizeof buf, "%s: %.*s", i18n(l, "inputs.relative_to"),
                     (int)folder_len[f], folders[f]);
            sheet_str(&w->s, t.ws, r++, 0, buf, NULL, NULL);
        }
        for (size_t i = 0; i < ds->nfiles; i++) {
            const struct input_file *in = &ds->files[i];
            size_t dl;
            const char *rel = report_xlsx_rel_path(ri->argv, ri->argc, in->path, &dl);
            for (int u = 0; u < in->nunread; u++) {
                snprintf(buf, sizeof buf, i18n(l, "sum.unread_id_column"), rel,
                         in->unread_col[u] + 1, in->unread_label[u]);
                sheet_str(&w->s, t.ws, r++, 0, buf, w->s.bold, NULL);
            }
        }
        if (r > t.row + 1)
            last = r - 1;
        sheet_check(&w->s, worksheet_print_area(t.ws, 0, 0, last, NC - 1), "print area");
    }
}

/* ---- Method ------------------------------------------------------------ */

/* Explanations and the formula: wrapped in column C, the row as tall as
 * its lines (LibreOffice keeps the height written, it does not fit it). */
#define METHOD_EXPLAIN 50.0

static void
method_wrapped(struct fsheet *s, const char *text)
{
    int lines = report_xlsx_text_lines(text, METHOD_EXPLAIN + 2, 0.95);

    if (s->ws == NULL)
        return;
    if (lines > 1)
        sheet_check(&s->w->s, worksheet_set_row(s->ws, s->row, XLSX_ROW_PT * lines, NULL),
                    "row height");
    sheet_str(&s->w->s, s->ws, s->row, 2, text, s->w->s.wrap, NULL);
}

static void
write_method(struct xw *w, lxw_worksheet *ws)
{
    const struct run_info *ri = w->ri;
    const struct result *res = ri->res;
    const struct profile *pf = ri->pf;
    const lang l = w->s.l;
    struct fsheet s = { w, ws, 0, {0} };
    static const char *const h4[] = { "method.code", "method.label",
        "method.explanation", "method.records" };
    char key[96];
    lxw_format *vt = sheet_format(&w->s, NULL, 0, 0), *vt_money = sheet_format(&w->s, "#,##0", 0, 0);

    format_set_align(vt, LXW_ALIGN_VERTICAL_TOP); /* beside a wrapped explanation */
    format_set_align(vt_money, LXW_ALIGN_VERTICAL_TOP);
    fs_label(&s, i18n(l, "sheet.method"), w->s.title);
    s.row += 2;

    fs_label(&s, i18n(l, "method.rules"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 4);
    for (int r = RULE_NONE + 1; r < RULE_COUNT; r++) {
        const char *code = records_rule_name((rec_rule)r);
        fs_str(&s, 0, code, vt);
        fs_str(&s, 1, label_or_code(l, "rule.", code), vt);
        snprintf(key, sizeof key, "rule.%s.desc", code);
        method_wrapped(&s, i18n(l, key));
        fs_num(&s, 3, (double)res->by_rule[r], vt_money, 0);
        s.row++;
    }
    s.row++;

    fs_label(&s, i18n(l, "method.statuses"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 4);
    for (int st = 0; st < ST_COUNT; st++) {
        const char *code = records_status_name((rec_status)st);
        fs_str(&s, 0, code, vt);
        fs_str(&s, 1, w->st_label[st], vt);
        snprintf(key, sizeof key, "status.%s.desc", code);
        method_wrapped(&s, i18n(l, key));
        fs_num(&s, 3, (double)res->by_status[st], vt_money, 0);
        s.row++;
    }
    s.row++;

    fs_label(&s, i18n(l, "method.reasons"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 2);
    for (int r = RS_NONE + 1; r < RS_COUNT; r++) {
        fs_str(&s, 0, records_reason_name((rec_reason)r), NULL);
        fs_str(&s, 1, w->rs_label[r], NULL);
        s.row++;
    }
    s.row++;

    fs_label(&s, i18n(l, "method.findings"), w->s.bold);
    s.row++;
    fs_str(&s, 0, i18n(l, "method.code"), w->s.bold);
    fs_str(&s, 1, i18n(l, "method.label"), w->s.bold);
    fs_str(&s, 3, i18n(l, "method.employers"), w->s.bold);
    s.row++;
    for (int f = FIND_NONE + 1; f < FIND_COUNT; f++) {
        fs_str(&s, 0, employers_finding_name((finding)f), NULL);
        fs_str(&s, 1, w->fi_label[f], NULL);
        fs_num(&s, 3, (double)res->by_finding[f], w->s.money, 0);
        s.row++;
    }
    s.row++;

    fs_label(&s, i18n(l, "method.flags"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 2);
    for (unsigned b = 0; b < RF_FLAG_COUNT; b++) {
        fs_str(&s, 0, records_flag_name(b), NULL);
        fs_str(&s, 1, label_or_code(l, "flag.", records_flag_name(b)), NULL);
        s.row++;
    }
    s.row++;

    fs_label(&s, i18n(l, "method.arrears"), w->s.bold);
    s.row++;
    method_wrapped(&s, i18n(l, "method.formula")); /* under the explanations */
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
        PRM("employer_rate", "[rates] employer", p->employer_rate, w->s.pct);
        PRM("employee_rate", "[rates] employee", p->employee_rate, w->s.pct);
        PRM("base_cap", "[base] cap", p->base_cap, w->s.money);
        PRM("min_wage_1", "[base] min_wage_1", p->min_wage[0], w->s.money);
        PRM("min_wage_2", "[base] min_wage_2", p->min_wage[1], w->s.money);
        PRM("min_wage_3", "[base] min_wage_3", p->min_wage[2], w->s.money);
        PRM("min_wage_4", "[base] min_wage_4", p->min_wage[3], w->s.money);
        PRM("low_base_ratio", "[review] low_base_ratio", p->low_base_ratio, w->s.dec1);
        PRM("retire_male_months", "[review] retire_male_months", p->retire_male_months, NULL);
        PRM("retire_female_months", "[review] retire_female_months",
            p->retire_female_months, NULL);
        PRM("period_months", "--period", res->period.last - res->period.first + 1, NULL);
#undef PRM
        fs_label(&s, i18n(l, "method.parameters"), w->s.bold);
        s.row++;
        fs_head(&s, h, 4);
        for (int i = 0; i < n; i++) {
            snprintf(key, sizeof key, "param.%s", prm[i].name);
            fs_str(&s, 0, prm[i].name, NULL);
            fs_str(&s, 1, i18n(l, key), NULL);
            fs_str(&s, 2, prm[i].ini, NULL);
            fs_num(&s, 3, prm[i].v, prm[i].f, prm[i].f == w->s.pct ? 1 : 0);
            s.row++;
        }
    }
    if (ws) {
        s.width[2] = METHOD_EXPLAIN;  /* explanations wrap at this width */
        sheet_set_widths(&w->s, ws, s.width, 4);
        sheet_print_setup(&w->s, ws, sheet_widths_total(s.width, 4), 0, s.row, 3);
        /* long and narrow: portrait holds it on fewer pages */
        worksheet_set_portrait(ws);
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
report_xlsx_write(const struct run_info *ri, const char *dir, struct report_files *out,
                  struct diag *d)
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
    w.s.l = ri->lang;
    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = tmpdir;
    /* ~1 KB of sheet XML a row: past ~2 M rows a sheet part may pass 4 GB
     * uncompressed.  Only then ZIP64, which some older readers dislike. */
    opt.use_zip64 = ri->res->nemployees + ri->res->nreview + ri->ds->nrejects > 2000000u
                        ? LXW_TRUE : LXW_FALSE;

    /* libxlsxwriter fopen()s the file itself: keep it (and its temp files)
     * private from the first byte; chmod below in case the umask was odd. */
    old_umask = umask(077);
    w.s.wb = workbook_new_opt(path, &opt);
    if (w.s.wb == NULL) {
        umask(old_umask);
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot start the workbook");
    }
    sheet_make_formats(&w.s);
    cache_labels(&w);

    snprintf(title, sizeof title, "%s", i18n(w.s.l, "sum.title"));
    props.title = title;
    props.subject = title;
    props.author = "sirecon";
    props.comments = "sirecon " SIRECON_VERSION;
    props.created = ri->started; /* identical inputs -> identical workbook */
    sheet_check(&w.s, workbook_set_properties(w.s.wb, &props), "document properties");

    /* Sheets are added in their final order; each streams its own rows. */
    summary = sheet_add(&w.s, i18n(w.s.l, "sheet.summary"));
    write_summary(&w, summary);
    if (w.s.err == LXW_NO_ERROR)
        write_employers(&w);
    if (w.s.err == LXW_NO_ERROR)
        write_tax_rows(&w, "sheet.employees", ri->res->employees, ri->res->nemployees);
    if (w.s.err == LXW_NO_ERROR)
        write_tax_rows(&w, "sheet.review", ri->res->review, ri->res->nreview);
    if (w.s.err == LXW_NO_ERROR)
        write_rejects(&w);
    if (w.s.err == LXW_NO_ERROR)
        write_inputs(&w);
    if (w.s.err == LXW_NO_ERROR) {
        method = sheet_add(&w.s, i18n(w.s.l, "sheet.method"));
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
    cerr = (lxw_error)report_workbook_close(w.s.wb, &close_errno);
    umask(old_umask);
    sheet_check(&w.s, cerr, "the workbook file");
    if (w.s.err != LXW_NO_ERROR) {
        (void)unlink(path); /* a partial or empty file must not look like a report */
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot write workbook (%s): %s%s%s",
                        w.s.err_what ? w.s.err_what : "?", lxw_strerror(w.s.err),
                        close_errno ? ": " : "", close_errno ? strerror(close_errno) : "");
    }
    if (chmod(path, 0600) != 0)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "chmod 0600: %s", strerror(errno));
    return report_files_add_written(out, dir, "report.xlsx", d);
}
