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

/* A label (column A, not counted for width: labels may be long) and text. */
static void
fs_kv(struct fsheet *s, const char *key, const char *v)
{
    fs_str(s, 0, i18n(s->w->s.l, key), NULL);
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
    size_t ntop, nchart, nareas;
    struct area_count *areas;
    uint32_t top_first = 0, area_first = 0;

    fs_str(&s, 0, i18n(l, "sum.title"), w->s.title);
    s.row += 2;

    /* run parameters */
    fs_str(&s, 0, i18n(l, "sum.parameters"), w->s.bold);
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
    fs_kn(&s, i18n(l, "sum.max_reject_rate"), ri->max_reject_rate, w->s.pct);
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
        fs_str(&s, 0, i18n(l, "sum.inputs"), w->s.bold);
        s.row++;
        fs_head(&s, h, 7);
        for (size_t i = 0; i < ds->nfiles; i++) {
            const struct input_file *in = &ds->files[i];
            fs_str(&s, 0, in->path, NULL);
            fs_str(&s, 1, label_or_code(l, "kind.", fields_kind_name(in->kind)), NULL);
            fs_num(&s, 2, (double)in->read, w->s.money, 0);
            fs_num(&s, 3, (double)in->loaded, w->s.money, 0);
            fs_num(&s, 4, (double)in->rejected, w->s.money, 0);
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
                fs_str(&s, 0, buf, w->s.bold);
                s.row++;
            }
        }
        s.row++;
    }

    /* totals */
    fs_str(&s, 0, i18n(l, "sum.totals"), w->s.bold);
    s.row++;
    fs_kn(&s, i18n(l, "sum.tax_records"), (double)ds->ntax, w->s.money);
    fs_str(&s, 0, i18n(l, "sum.by_status"), w->s.bold);
    s.row++;
    for (int st = 0; st < ST_COUNT; st++) {
        snprintf(buf, sizeof buf, "    %s", w->st_label[st]);
        fs_kn(&s, buf, (double)res->by_status[st], w->s.money);
    }
    fs_kn(&s, i18n(l, "sum.duplicates"), (double)res->duplicates, w->s.money);
    fs_kn(&s, i18n(l, "sum.rejected_rows"), (double)ds->nrejects, w->s.money);
    fs_kn(&s, i18n(l, "sum.listed"), (double)res->nlisted, w->s.money);
    fs_str(&s, 0, i18n(l, "sum.by_finding"), w->s.bold);
    s.row++;
    for (int f = FIND_NONE + 1; f < FIND_COUNT; f++) {
        snprintf(buf, sizeof buf, "    %s", w->fi_label[f]);
        fs_kn(&s, buf, (double)res->by_finding[f], w->s.money);
    }
    for (size_t i = 0; i < res->nlisted; i++)
        arrears += res->emps[i].est_arrears;
    fs_kn(&s, i18n(l, "sum.arrears_total"), (double)arrears, w->s.money);
    fs_str(&s, 0, i18n(l, "sum.arrears_note"), NULL);
    s.row += 2;

    /* whom to inspect first, and why */
    {
        static const char *const h[] = { "col.rank", "col.employer_tax_id",
            "col.employer_name", "col.finding", "col.not_enrolled",
            "col.deducted_not_enrolled", "col.est_arrears" };
        fs_str(&s, 0, i18n(l, "sum.top"), w->s.bold);
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
            fs_num(&s, 6, (double)e->est_arrears, w->s.money, 0);
            s.row++;
        }
        s.row++;
    }

    /* employers listed last time and not now */
    if (ri->nresolved > 0) {
        fs_str(&s, 0, i18n(l, "sum.resolved"), w->s.bold);
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
        fs_str(&s, 0, i18n(l, "sum.chart_data"), w->s.bold);
        s.row++;
        fs_head(&s, h, 2);
        top_first = s.row;
        for (size_t i = 0; i < nchart; i++) {
            const struct employer_sum *e = &res->emps[i];
            fs_str(&s, 0, e->name && e->name[0] ? e->name : e->emp, NULL);
            fs_num(&s, 1, (double)e->est_arrears, w->s.money, 0);
            s.row++;
        }
        s.row++;
    }
    if (nareas > 0) {
        fs_str(&s, 0, i18n(l, "col.area"), w->s.bold);
        for (int f = FIND_NONE + 1; f < FIND_COUNT; f++)
            fs_str(&s, f, w->fi_label[f], w->s.bold);
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
        lxw_chart *ch = workbook_add_chart(w->s.wb, LXW_CHART_BAR);
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
        sheet_check(&w->s, worksheet_insert_chart_opt(ws, chart_row, 0, ch, &o), "chart");
        chart_row += 25; /* 288 px x 1.6 over 20 px rows, and a gap */
    }
    if (nareas > 0 && ws != NULL) {
        lxw_chart *ch = workbook_add_chart(w->s.wb, LXW_CHART_BAR_STACKED);
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
        sheet_check(&w->s, worksheet_insert_chart_opt(ws, chart_row, 0, ch, &o), "chart");
        chart_row += 23;
    }
    free(areas);
    if (ws != NULL) {
        /* column A holds long labels; the rest from content */
        s.width[0] = s.width[0] > 48 ? 48 : s.width[0];
        sheet_set_widths(&w->s, ws, s.width, 8);
        sheet_print_setup(&w->s, ws, sheet_widths_total(s.width, 8), 0,
                                chart_row > s.row ? chart_row : s.row, 7);
        if (chart_row > s.row + 1) { /* the charts start a printed page */
            static lxw_row_t breaks[2];
            breaks[0] = s.row + 1;
            breaks[1] = 0;
            sheet_check(&w->s, worksheet_set_h_pagebreaks(ws, breaks), "page break");
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
    const lang l = w->s.l;
    struct fsheet s = { w, ws, 0, {0} };
    static const char *const h4[] = { "method.code", "method.label",
        "method.explanation", "method.records" };
    char key[96];

    fs_str(&s, 0, i18n(l, "sheet.method"), w->s.title);
    s.row += 2;

    fs_str(&s, 0, i18n(l, "method.rules"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 4);
    for (int r = RULE_NONE + 1; r < RULE_COUNT; r++) {
        const char *code = records_rule_name((rec_rule)r);
        fs_str(&s, 0, code, NULL);
        fs_str(&s, 1, label_or_code(l, "rule.", code), NULL);
        snprintf(key, sizeof key, "rule.%s.desc", code);
        fs_str(&s, 2, i18n(l, key), w->s.wrap);
        fs_num(&s, 3, (double)res->by_rule[r], w->s.money, 0);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.statuses"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 4);
    for (int st = 0; st < ST_COUNT; st++) {
        const char *code = records_status_name((rec_status)st);
        fs_str(&s, 0, code, NULL);
        fs_str(&s, 1, w->st_label[st], NULL);
        snprintf(key, sizeof key, "status.%s.desc", code);
        fs_str(&s, 2, i18n(l, key), w->s.wrap);
        fs_num(&s, 3, (double)res->by_status[st], w->s.money, 0);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.reasons"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 2);
    for (int r = RS_NONE + 1; r < RS_COUNT; r++) {
        fs_str(&s, 0, records_reason_name((rec_reason)r), NULL);
        fs_str(&s, 1, w->rs_label[r], NULL);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.findings"), w->s.bold);
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

    fs_str(&s, 0, i18n(l, "method.flags"), w->s.bold);
    s.row++;
    fs_head(&s, h4, 2);
    for (unsigned b = 0; b < RF_FLAG_COUNT; b++) {
        fs_str(&s, 0, records_flag_name(b), NULL);
        fs_str(&s, 1, label_or_code(l, "flag.", records_flag_name(b)), NULL);
        s.row++;
    }
    s.row++;

    fs_str(&s, 0, i18n(l, "method.arrears"), w->s.bold);
    s.row++;
    if (ws)  /* one long wrapped cell, not counted in the widths */
        sheet_str(&w->s, ws, s.row, 0, i18n(l, "method.formula"), w->s.wrap, NULL);
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
        fs_str(&s, 0, i18n(l, "method.parameters"), w->s.bold);
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
        if (s.width[2] > 50)
            s.width[2] = 50;  /* explanations wrap */
        sheet_set_widths(&w->s, ws, s.width, 4);
        sheet_print_setup(&w->s, ws, sheet_widths_total(s.width, 4), 0, s.row, 3);
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
    return SIRECON_OK;
}
