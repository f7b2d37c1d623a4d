/*
 * report_notices.c - one print-ready notice per listed employer, and notices.csv
 * for mail merge (report.h, report_notices_write).
 *
 * A notice is what an inspector sends the employer: the SI office's heading
 * (profile [office]), the employer (name, tax code, SI unit code and address
 * from the registry), the period, one table of the employer's NOT_ENROLLED
 * and PARTIAL records (REVIEW and COVERED_ELSEWHERE records are not the
 * employer's business) with the evidence FILE:LINE, the estimated
 * contributions with the formula and its parameters, the request text
 * (profile [notice] request, else the built-in one of the language) and
 * blanks for the deadline and the signatures, in the language report.c
 * gives it (Vietnamese unless --lang en).
 * Each workbook is streamed (constant memory) and set up to print on A4,
 * one page wide, the table header repeated.  Writers decide nothing: the
 * records, statuses and estimates come from match.c and employers.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "sirecon/csvout.h"
#include "sirecon/i18n.h"
#include "sirecon/outdir.h"
#include "sirecon/report.h"
#include "sirecon/report_table.h"
#include "sirecon/sheet.h"
#include "sirecon/values.h"

#define NOTICE_COLS 8
#define NOTICE_STREAM_ROWS 5000 /* more records than this: constant-memory mode */

/* A notice being written: the workbook and first error (sheet.h) and the
 * notice's own formats. */
struct nw {
    struct sheetw s;
    const struct run_info *ri;
    lxw_format *bold, *title, *head, *money, *money_flag, *text, *wrap, *small;
};

static void
ck(struct nw *w, lxw_error e)
{
    sheet_check(&w->s, e, "notice");
}

static lxw_format *
fmt(struct nw *w, bool bold, double size, const char *num, bool border, bool wrap,
    lxw_color_t color)
{
    lxw_format *f = workbook_add_format(w->s.wb);

    if (bold)
        format_set_bold(f);
    if (size > 0)
        format_set_font_size(f, size);
    if (num)
        format_set_num_format(f, num);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    if (wrap) {
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    if (color)
        format_set_font_color(f, color);
    return f;
}


void
report_notice_name(const struct employer_sum *e, char *buf, size_t n)
{
    snprintf(buf, n, "%d-%s.xlsx", e->rank, e->emp);
}

/* "=..." from a name stays text: sheet_str writes strings, never formulas */
static void
str(struct nw *w, lxw_worksheet *ws, uint32_t r, int c, const char *s, lxw_format *f)
{
    sheet_str(&w->s, ws, r, c, s, f, NULL);
}

static void
num(struct nw *w, lxw_worksheet *ws, uint32_t r, int c, double v, lxw_format *f)
{
    sheet_num(&w->s, ws, r, c, v, f, 0, NULL);
}

/* "label: value" on one row, label bold. */
static void
kv(struct nw *w, lxw_worksheet *ws, uint32_t *r, const char *key, const char *v)
{
    str(w, ws, *r, 0, i18n(w->s.l, key), w->bold);
    str(w, ws, *r, 2, v, NULL);
    (*r)++;
}

static bool
on_notice(const struct tax_rec *t)
{
    return t->status == ST_NOT_ENROLLED || t->status == ST_PARTIAL;
}

/* One notice workbook at path for employer e. */
static sirecon_status
write_notice(const struct run_info *ri, const struct employer_sum *e,
             const struct employer_rec *reg, const char *path, struct diag *d)
{
    const struct dataset *ds = ri->ds;
    const struct profile *pf = ri->pf;
    struct nw w;
    lxw_workbook_options opt = {0};
    lxw_doc_properties props = {0};
    lxw_worksheet *ws;
    char buf[1200], m1[16], m2[16], id[IDS_MAX], src[700];
    uint32_t r = 0, head_row, n = 0;
    int pm = ri->res->period.last - ri->res->period.first + 1, cerr_no;
    static const char *const cols[NOTICE_COLS] = {
        "notice.no", "col.full_name", "col.person_id", "notice.months_taxed",
        "notice.months_covered", "col.taxable_income", "notice.deducted_unpaid",
        "col.source"};
    static const double widths[NOTICE_COLS] = {5, 24, 15, 9, 9, 14, 15, 30};
    char tmpdir[4300];

    memset(&w, 0, sizeof w);
    w.ri = ri;
    w.s.l = ri->lang;
    snprintf(tmpdir, sizeof tmpdir, "%s", path);
    if (strrchr(tmpdir, '/'))
        *strrchr(tmpdir, '/') = '\0';
    /* a notice is small: in memory, no temporary files (constant-memory
     * mode costs a temporary file per sheet, a millisecond a notice) */
    opt.constant_memory = e->nrecs > NOTICE_STREAM_ROWS ? LXW_TRUE : LXW_FALSE;
    /* libxlsxwriter's temporary part files (unlinked at once, mode 0600):
     * in memory when /dev/shm is there, thousands of them cost the disk's
     * file system seconds */
    opt.tmpdir = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : tmpdir;
    w.s.wb = workbook_new_opt(path, &opt);
    if (w.s.wb == NULL)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot start the notice workbook");
    props.title = (char *)i18n(w.s.l, "notice.title");
    props.author = "sirecon";
    props.created = ri->started;
    ck(&w, workbook_set_properties(w.s.wb, &props));
    w.bold = fmt(&w, true, 0, NULL, false, false, 0);
    w.title = fmt(&w, true, 13, NULL, false, false, 0);
    w.head = fmt(&w, true, 0, NULL, true, true, 0);
    w.money = fmt(&w, false, 0, "#,##0", true, false, 0);
    w.money_flag = fmt(&w, true, 0, "#,##0", true, false, LXW_COLOR_RED);
    w.text = fmt(&w, false, 0, NULL, true, false, 0);
    w.wrap = fmt(&w, false, 0, NULL, false, true, 0);
    w.small = fmt(&w, false, 7, NULL, true, true, 0); /* the evidence wraps */
    ws = workbook_add_worksheet(w.s.wb, i18n(w.s.l, "notice.sheet"));
    if (ws == NULL) {
        workbook_close(w.s.wb);
        unlink(path);
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot add the notice sheet");
    }
    for (int c = 0; c < NOTICE_COLS; c++)
        ck(&w, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL));

    /* the heading */
    str(&w, ws, r++, 0, pf->office_name[0] ? pf->office_name : i18n(w.s.l, "notice.office"),
        w.bold);
    if (pf->office_address[0])
        str(&w, ws, r, 0, pf->office_address, NULL);
    r += 2;
    str(&w, ws, r, 0, i18n(w.s.l, "notice.title"), w.title);
    r += 2;
    kv(&w, ws, &r, "notice.to", e->name && e->name[0] ? e->name : e->emp);
    kv(&w, ws, &r, "col.employer_tax_id", e->emp);
    kv(&w, ws, &r, "notice.unit_code", reg && reg->unit_code ? reg->unit_code : "");
    kv(&w, ws, &r, "notice.address", reg && reg->address ? reg->address : "");
    values_month_str(ri->res->period.first, m1);
    values_month_str(ri->res->period.last, m2);
    snprintf(buf, sizeof buf, "%s..%s", m1, m2);
    kv(&w, ws, &r, "notice.period", buf);
    r++;
    snprintf(buf, sizeof buf, i18n(w.s.l, "notice.intro"), e->not_enrolled + e->partial);
    ck(&w, worksheet_merge_range(ws, r, 0, r, NOTICE_COLS - 1, buf, w.wrap));
    ck(&w, worksheet_set_row(ws, r, 45, NULL));
    r += 2;

    /* the table */
    head_row = r;
    ck(&w, worksheet_set_row(ws, r, 42, NULL));
    for (int c = 0; c < NOTICE_COLS; c++)
        str(&w, ws, r, c, i18n(w.s.l, cols[c]), w.head);
    r++;
    for (size_t i = 0; i < e->nrecs; i++) {
        const struct tax_rec *t = &ds->tax[e->recs[i]];
        bool unpaid = t->status == ST_NOT_ENROLLED && t->insurance_deduction > 0;
        if (!on_notice(t))
            continue;
        num(&w, ws, r, 0, ++n, w.text);
        str(&w, ws, r, 1, t->name->full, w.text);
        str(&w, ws, r, 2, report_person_id(ri, t, id), w.text);
        num(&w, ws, r, 3, t->income_months > 0 ? t->income_months : pm, w.text);
        num(&w, ws, r, 4, t->covered_months, w.text);
        num(&w, ws, r, 5, (double)t->taxable_income, w.money);
        if (unpaid)
            num(&w, ws, r, 6, (double)t->insurance_deduction, w.money_flag);
        else
            str(&w, ws, r, 6, "", w.text);
        str(&w, ws, r, 7, report_source(ri, t->file, t->line, src, sizeof src), w.small);
        r++;
    }
    r++;

    /* the estimate, its formula and parameters */
    str(&w, ws, r, 0, i18n(w.s.l, "notice.estimate"), w.bold);
    num(&w, ws, r, 6, (double)e->est_arrears, w.money);
    r++;
    {
        char mw[32], cap[32];
        values_money_str(pf->min_wage[e->wage_region >= 1 && e->wage_region <= 4
                                          ? e->wage_region - 1 : 0], ',', mw);
        values_money_str(pf->base_cap, ',', cap);
        snprintf(buf, sizeof buf, i18n(w.s.l, "notice.formula"), pf->employer_rate * 100,
                 pf->employee_rate * 100, mw, cap);
    }
    ck(&w, worksheet_merge_range(ws, r, 0, r, NOTICE_COLS - 1, buf, w.wrap));
    ck(&w, worksheet_set_row(ws, r, 45, NULL));
    r += 2;
    if (e->deducted_not_enrolled > 0) {
        snprintf(buf, sizeof buf, i18n(w.s.l, "notice.deducted_note"), e->deducted_not_enrolled);
        ck(&w, worksheet_merge_range(ws, r, 0, r, NOTICE_COLS - 1, buf, w.wrap));
        ck(&w, worksheet_set_row(ws, r, 30, NULL));
        r += 2;
    }
    ck(&w, worksheet_merge_range(ws, r, 0, r, NOTICE_COLS - 1,
                                 pf->notice_request[0] ? pf->notice_request
                                                       : i18n(w.s.l, "notice.request"),
                                 w.wrap));
    ck(&w, worksheet_set_row(ws, r, 60, NULL));
    r += 2;
    str(&w, ws, r++, 0, i18n(w.s.l, "notice.deadline"), NULL);
    r += 2;
    str(&w, ws, r, 1, i18n(w.s.l, "notice.prepared_by"), w.bold);
    str(&w, ws, r, 5, i18n(w.s.l, "notice.head_of_office"), w.bold);
    r += 5;
    str(&w, ws, r, 1, "......................................", NULL);
    str(&w, ws, r, 5, "......................................", NULL);

    /* print: A4 portrait, one page wide, the table header on every page */
    worksheet_set_paper(ws, 9);
    worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.6, 0.5, 0.6, 0.7);
    snprintf(buf, sizeof buf, "&L&8%s &R&8%s", e->emp, i18n(w.s.l, "print.page_of"));
    ck(&w, worksheet_set_footer(ws, buf));
    ck(&w, worksheet_repeat_rows(ws, head_row, head_row));
    ck(&w, worksheet_print_area(ws, 0, 0, r, NOTICE_COLS - 1));

    errno = 0;
    lxw_error ce = workbook_close(w.s.wb); /* stderr is off for the phase */
    cerr_no = errno;
    if (ce != LXW_NO_ERROR && w.s.err == LXW_NO_ERROR)
        w.s.err = ce;
    if (w.s.err != LXW_NO_ERROR) {
        unlink(path);
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot write the notice: %s%s%s",
                        lxw_strerror(w.s.err), cerr_no ? ": " : "",
                        cerr_no ? strerror(cerr_no) : "");
    }
    if (chmod(path, 0600) != 0)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "chmod 0600: %s", strerror(errno));
    return SIRECON_OK;
}

/* The notice phase shared by the two workers: the next employer to write,
 * and the first failure. */
struct job {
    const struct run_info *ri;
    const char *sub;
    char (*sha256)[65];  /* each notice's hash, by rank order, or NULL */
    size_t next;
    struct diag d;
    sirecon_status st;
    pthread_mutex_t lock;
};

static void *
notice_worker(void *arg)
{
    struct job *j = arg;
    const struct result *res = j->ri->res;

    for (;;) {
        size_t i;
        char path[4200];
        struct diag d;
        sirecon_status st;

        pthread_mutex_lock(&j->lock);
        i = j->st == SIRECON_OK ? j->next++ : res->nlisted;
        pthread_mutex_unlock(&j->lock);
        if (i >= res->nlisted)
            return NULL;
        const struct employer_sum *e = &res->emps[i];
        char name[64];
        report_notice_name(e, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", j->sub, name);
        memset(&d, 0, sizeof d);
        st = write_notice(j->ri, e, report_registry_row(j->ri->ds, e), path, &d);
        /* hashed here, on the worker, while the file is fresh in the cache */
        if (st == SIRECON_OK && j->sha256 && outdir_sha256_file(path, j->sha256[i]) != SIRECON_OK)
            st = diag_set(&d, SIRECON_ERR_IO, path, 0, "cannot read back a notice to hash it");
        if (st != SIRECON_OK) {
            pthread_mutex_lock(&j->lock);
            if (j->st == SIRECON_OK) {
                j->st = st;
                j->d = d;
            }
            pthread_mutex_unlock(&j->lock);
        }
    }
}

sirecon_status
report_notices_write(const struct run_info *ri, const char *dir, struct report_files *out,
                     struct diag *d)
{
    const struct result *res = ri->res;
    char sub[4096], path[4200], file[64], hex[65], (*sha)[65] = NULL;
    sirecon_status st = SIRECON_OK;
    struct csvout c;
    FILE *f;

    if (res->nlisted == 0)
        return SIRECON_OK;
    if ((size_t)snprintf(sub, sizeof sub, "%s/notices", dir) >= sizeof sub)
        return diag_set(d, SIRECON_ERR_CANTCREAT, dir, 0, "output path too long");
    if (mkdir(sub, 0700) != 0)
        return diag_set(d, SIRECON_ERR_CANTCREAT, sub, 0, "mkdir: %s", strerror(errno));
    if ((st = outdir_create(sub, "notices.csv", &f, d)) != SIRECON_OK)
        return st;
    csvout_open(&c, f);
    /* the notices on two workers (each a workbook of its own; libxlsxwriter
     * keeps no shared state), stderr and the umask set once for the phase */
    {
        struct job j = {.ri = ri, .sub = sub, .st = SIRECON_OK,
                        .lock = PTHREAD_MUTEX_INITIALIZER};
        if (out != NULL)
            j.sha256 = sha = xmalloc(res->nlisted * sizeof *sha);
        pthread_t th;
        mode_t old = umask(077);
        int saved = report_stderr_off();
        bool two = res->nlisted > 1 && pthread_create(&th, NULL, notice_worker, &j) == 0;
        notice_worker(&j);
        if (two)
            pthread_join(th, NULL);
        report_stderr_on(saved);
        umask(old);
        st = j.st;
        if (st != SIRECON_OK)
            *d = j.d;
    }
    /* notices.csv: the table defined with the others (report_table.c) */
    if (st == SIRECON_OK)
        report_csv_table(ri, &c, &report_notices_table, NULL, res->nlisted);
    for (size_t i = 0; i < res->nlisted && st == SIRECON_OK && sha != NULL; i++) {
        report_notice_name(&res->emps[i], file, sizeof file);
        snprintf(path, sizeof path, "notices/%s", file);
        report_files_add(out, path, sha[i]);
    }
    snprintf(path, sizeof path, "%s/notices.csv", sub);
    sirecon_status cst = outdir_fclose_sha256(f, path, hex, d);
    if (st == SIRECON_OK)
        st = cst;
    if (st == SIRECON_OK)
        report_files_add(out, "notices/notices.csv", hex);
    free(sha);
    return st;
}
