/*
 * run.c - the pipeline of one run (see run.h and docs/architecture.md).
 * reconcile, explain and the tests drive the same stages through here, so
 * the decisions cannot differ between commands.
 */
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "sirecon/run.h"
#include "sirecon/source.h"
#include "sirecon/load.h"
#include "sirecon/xlsx.h"

/* maps: one per file, receiving its header map (run_file_usable names the
 * column a reject came from) */
static sirecon_status
load_all(struct dataset *ds, char *const *paths, size_t n, file_kind kind,
         const struct load_opts *lo, const struct run_opts *o, struct header_map *maps,
         struct diag *d)
{
    for (size_t i = 0; i < n; i++) {
        struct load_opts l = *lo;
        l.keep_map = &maps[i];
        if (o->on_file)
            o->on_file(o->ctx, paths[i]);
        sirecon_status rc = load_file(ds, paths[i], kind, &l, d);
        if (rc != SIRECON_OK)
            return rc;
    }
    return SIRECON_OK;
}

/* Loading on both cores: every tax and SI file is a job with a dataset of
 * its own; two workers take jobs, biggest first, and the datasets are then
 * merged in command-line order, so the result does not depend on which
 * worker read which file when. */
struct load_job {
    const char *path;
    file_kind kind;
    off_t size;
    struct load_opts lo; /* the run's, keeping the header map in *lo.keep_map */
    struct dataset ds;
    struct diag d;
    sirecon_status st;
};

struct load_queue {
    struct load_job *jobs;
    size_t *order;       /* job indices, biggest file first */
    size_t n, next;
    pthread_mutex_t lock;
    const struct load_opts *lo;
    const struct run_opts *o;
};

static void *
load_worker(void *arg)
{
    struct load_queue *q = arg;

    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t k = q->next < q->n ? q->order[q->next++] : SIZE_MAX;
        pthread_mutex_unlock(&q->lock);
        if (k == SIZE_MAX)
            return NULL;
        struct load_job *j = &q->jobs[k];
        if (q->o->on_file)
            q->o->on_file(q->o->ctx, j->path);
        j->st = load_file(&j->ds, j->path, j->kind, &j->lo, &j->d);
    }
}

/* qsort_r: the job indices by file size, biggest first; ctx is the jobs */
static int
cmp_job_size(const void *a, const void *b, void *ctx)
{
    const struct load_job *jobs = ctx;
    const struct load_job *x = &jobs[*(const size_t *)a], *y = &jobs[*(const size_t *)b];

    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Whether reading path may fork (an .xls workbook is read by FreeXL in a
 * child process, xls.c): by name, by its OLE magic, or standard input,
 * which may be anything.  Such a run loads on one thread: a fork while
 * another thread holds an allocator's lock can leave the child stuck in it
 * (seen under ASan), and POSIX promises nothing else in a threaded fork.
 * .xls inputs are small form exports; a national file is not one. */
static bool
may_fork(const char *path)
{
    unsigned char m[8];
    size_t n = strlen(path);
    FILE *f;

    if (strcmp(path, "-") == 0 || (n > 4 && strcasecmp(path + n - 4, ".xls") == 0))
        return true;
    if ((f = fopen(path, "rb")) == NULL)
        return false;
    n = fread(m, 1, sizeof m, f);
    fclose(f);
    return xlsx_sniff(m, n) == XLSX_OLE; /* what source.c sends to xls.c */
}

/* A sheet of a workbook that holds no list (notes, lookups, parameters)
 * is skipped, not an error, when another sheet of the same workbook holds
 * one (docs/inputs.md, "Workbooks"); its file entry stays, with no row. */
static void
skip_sheets_without_list(struct load_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *base, *sheet;
        struct load_job *j = &jobs[i];
        if (j->st != SIRECON_ERR_DATA || j->ds.nfiles == 0 || !j->ds.files[0].no_table ||
            !source_sheet_path(j->path, &base, &sheet))
            continue;
        for (size_t k = 0; k < n; k++) {
            char *b2, *s2;
            if (k == i || jobs[k].ds.nfiles == 0 || jobs[k].ds.files[0].no_table ||
                !source_sheet_path(jobs[k].path, &b2, &s2))
                continue;
            bool same = strcmp(base, b2) == 0;
            free(b2);
            free(s2);
            if (same) {
                j->st = SIRECON_OK;
                memset(&j->d, 0, sizeof j->d);
                break;
            }
        }
        free(base);
        free(sheet);
    }
}

static sirecon_status
load_sides(struct dataset *ds, const struct run_opts *o, const struct load_opts *lo,
           struct header_map *maps, struct diag *d)
{
    struct load_queue q;
    sirecon_status st = SIRECON_OK;
    pthread_t th;
    bool threaded;
    struct stat sb;

    memset(&q, 0, sizeof q);
    q.n = o->ntax + o->nsi;
    q.jobs = xcalloc(q.n ? q.n : 1, sizeof *q.jobs);
    q.order = xmalloc((q.n ? q.n : 1) * sizeof *q.order);
    q.lo = lo;
    q.o = o;
    pthread_mutex_init(&q.lock, NULL);
    for (size_t i = 0; i < q.n; i++) {
        struct load_job *j = &q.jobs[i];
        j->path = i < o->ntax ? o->tax[i] : o->si[i - o->ntax];
        j->kind = i < o->ntax ? KIND_TAX : KIND_SI;
        j->size = stat(j->path, &sb) == 0 ? sb.st_size : 0;
        j->lo = *lo;
        j->lo.keep_map = &maps[i];
        dataset_init(&j->ds);
        q.order[i] = i;
    }
    qsort_r(q.order, q.n, sizeof *q.order, cmp_job_size, q.jobs);
    bool forks = false;
    for (size_t i = 0; i < q.n; i++)
        forks |= may_fork(q.jobs[i].path);
    threaded = q.n > 1 && !forks && pthread_create(&th, NULL, load_worker, &q) == 0;
    load_worker(&q);
    if (threaded)
        pthread_join(th, NULL);
    skip_sheets_without_list(q.jobs, q.n);
    for (size_t i = 0; i < q.n; i++) {
        struct load_job *j = &q.jobs[i];
        if (st == SIRECON_OK && j->st != SIRECON_OK) {
            st = j->st; /* the first failure in command-line order */
            *d = j->d;
        }
        dataset_merge(ds, &j->ds);
    }
    pthread_mutex_destroy(&q.lock);
    free(q.jobs);
    free(q.order);
    return st;
}

/* A header cell for a message: at most 40 bytes, cut at a UTF-8 boundary,
 * line breaks as spaces. */
static void
cell_text(const char *s, char *out, size_t n)
{
    size_t len = s ? strlen(s) : 0, k = len < 40 ? len : 40;

    if (k + 4 > n)
        k = n > 4 ? n - 4 : 0;
    if (k < len)
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--; /* not inside a character */
    for (size_t i = 0; i < k; i++)
        out[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
    out[k] = '\0';
    if (k < len && n >= 4)
        strcat(out, "...");
}

static const char *
how_words(const struct header_map *map, int fl)
{
    if (map->catalogued != NULL)
        return "by the form's definition";
    switch (map->how[fl]) {
    case HOW_MEANING: return "by meaning";
    case HOW_CONTENT: return "by content";
    case HOW_FORM: return "by the form's definition";
    default: return "by its label";
    }
}

/* Where the value of field fl came from in a file mapped by map, as the
 * cause of n rejects (reason): "column 8 "Năm" was read as tax_year (by
 * meaning)". */
static void
field_origin(const struct header_map *map, int fl, char *out, size_t n)
{
    char cell[64];

    if (map == NULL || fl < 0 || fl >= F_COUNT) {
        out[0] = '\0';
    } else if (map->col[fl] >= 0) {
        const char *label = map->col[fl] < map->ncols && map->header_cells
                                ? map->header_cells[map->col[fl]] : map->label[fl];
        cell_text(label, cell, sizeof cell);
        snprintf(out, n, "column %d \"%s\" was read as %s (%s)", map->col[fl] + 1, cell,
                 fields_name((field_id)fl), how_words(map, fl));
    } else if (map->title[fl] != NULL) {
        snprintf(out, n, "%s comes from the %s", fields_name((field_id)fl),
                 fl == F_EMPLOYER_TAX_ID && map->emp_source == EMP_FROM_FILE_NAME
                     ? "file name" : "title block");
    } else {
        snprintf(out, n, "no column was read as %s", fields_name((field_id)fl));
    }
}

static int
field_of(const char *name)
{
    for (int fl = 0; name != NULL && name[0] && fl < F_COUNT; fl++)
        if (strcmp(fields_name((field_id)fl), name) == 0)
            return fl;
    return -1;
}

bool
run_file_usable(const struct dataset *ds, size_t fi, const struct header_map *map,
                const char *unit_code, double max_rate, char *why, size_t whylen)
{
    const struct input_file *f = &ds->files[fi];
    struct { const char *reason, *column, *detail; uint64_t n; } by[32];
    size_t nby = 0, top = 0;
    char origin[192];

    if (whylen > 0)
        why[0] = '\0';
    bool over = f->read > 0 && (double)f->rejected > max_rate * (double)f->read;
    bool none = f->read > 0 && f->loaded == 0 && f->skipped_by[SKIP_OTHER_YEAR] == 0;
    if (!over && !none)
        return true;
    if (f->rejected == 0) {
        snprintf(why, whylen, "no data row loads");
        return false;
    }
    /* the dominant reason (the first met on a tie: the rejects are sorted
     * by line) */
    for (size_t i = 0; i < ds->nrejects; i++) {
        const struct reject *rj = &ds->rejects[i];
        size_t k;
        if (rj->file != fi)
            continue;
        for (k = 0; k < nby && strcmp(by[k].reason, rj->reason) != 0; k++)
            ;
        if (k == nby) {
            if (nby == sizeof by / sizeof by[0])
                continue;
            by[nby].reason = rj->reason;
            by[nby].column = rj->column;
            by[nby].detail = rj->detail;
            by[nby++].n = 0;
        }
        if (++by[k].n > by[top].n)
            top = k;
    }
    if (nby == 0) { /* counted, yet not in ds->rejects: a caller's dataset */
        snprintf(why, whylen, "%llu of %llu data rows rejected%s",
                 (unsigned long long)f->rejected, (unsigned long long)f->read,
                 over ? " (over --max-reject-rate)" : "");
        return false;
    }
    const char *reason = by[top].reason;
    int fl = field_of(by[top].column);
    if (map != NULL && map->title[F_UNIT_CODE] != NULL && map->col[F_UNIT_CODE] < 0)
        unit_code = map->title[F_UNIT_CODE];
    if (strcmp(reason, "UNKNOWN_UNIT_CODE") == 0) {
        if (ds->nemps == 0)
            snprintf(origin, sizeof origin, "employer unknown: the file gives only SI unit "
                     "code%s%s; pass the employer registry (-e)", unit_code ? " " : "s",
                     unit_code ? unit_code : "");
        else
            snprintf(origin, sizeof origin, "employer unknown: SI unit code%s%s %s not in "
                     "the employer registry (-e)", unit_code ? " " : "s",
                     unit_code ? unit_code : "", unit_code ? "is" : "are");
    } else if (strcmp(reason, "MISSING_EMPLOYER_TAX_ID") == 0 &&
               (map == NULL || (map->col[F_EMPLOYER_TAX_ID] < 0 &&
                                map->col[F_UNIT_CODE] < 0))) {
        snprintf(origin, sizeof origin, "employer unknown: no column, title block or file "
                 "name names the employer");
    } else if (fl >= 0 && map != NULL) {
        field_origin(map, fl, origin, sizeof origin);
        if (strcmp(reason, "MISSING_EMPLOYER_TAX_ID") == 0)
            snprintf(origin + strlen(origin), sizeof origin - strlen(origin),
                     ", empty in these rows");
    } else {
        snprintf(origin, sizeof origin, "%s", by[top].detail ? by[top].detail : "");
    }
    int w;
    if (strncmp(origin, "employer unknown", 16) == 0) /* the cause first */
        w = snprintf(why, whylen, "%s%s; %llu of %llu data rows %s",
                     over ? "" : "no data row loads: ", origin,
                     (unsigned long long)by[top].n, (unsigned long long)f->read, reason);
    else
        w = snprintf(why, whylen, "%s%llu of %llu data rows %s: %s",
                     over ? "" : "no data row loads: ",
                     (unsigned long long)by[top].n, (unsigned long long)f->read, reason,
                     origin);
    if (w >= 0 && (size_t)w < whylen && f->rejected > by[top].n)
        w += snprintf(why + w, whylen - (size_t)w, "; %llu more rejected for other reasons",
                      (unsigned long long)(f->rejected - by[top].n));
    if (over && w >= 0 && (size_t)w < whylen)
        snprintf(why + w, whylen - (size_t)w, "; over --max-reject-rate %.2f", max_rate);
    return false;
}

sirecon_status
run_check_invariants(const struct dataset *ds, const struct result *r, struct diag *d)
{
    uint64_t tax_loaded = 0, sum = r->duplicates;

    for (size_t i = 0; i < ds->nfiles; i++) {
        const struct input_file *f = &ds->files[i];
        if (f->read != f->loaded + f->skipped + f->rejected)
            return diag_set(d, SIRECON_ERR_INTERNAL, f->path, 0,
                            "invariant broken: rows read %llu != loaded %llu + skipped %llu + rejected %llu",
                            (unsigned long long)f->read, (unsigned long long)f->loaded,
                            (unsigned long long)f->skipped, (unsigned long long)f->rejected);
        if (f->kind == KIND_TAX)
            tax_loaded += f->loaded;
    }
    for (int s = 0; s < ST_COUNT; s++)
        sum += r->by_status[s];
    if (tax_loaded != sum || tax_loaded != ds->ntax)
        return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                        "invariant broken: %llu tax rows loaded but %llu decided",
                        (unsigned long long)tax_loaded, (unsigned long long)sum);
    for (size_t k = 0; k < r->nemps; k++) {
        const struct employer_sum *e = &r->emps[k];
        if (e->taxed != e->enrolled + e->not_enrolled + e->partial + e->covered_elsewhere + e->review ||
            e->taxed != e->nrecs)
            return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                            "invariant broken: employer totals do not add up");
    }
    return SIRECON_OK;
}

void
run_init(struct run *r, const struct profile *pf)
{
    memset(r, 0, sizeof *r);
    r->pf = pf;
    dataset_init(&r->ds);
}

void
run_free(struct run *r)
{
    free(r->resolved);
    free(r->prev);
    employers_free(&r->res);
    dataset_free(&r->ds);
    memset(r, 0, sizeof *r);
}

/* The period: given, or the one tax year of the data (records without a
 * year get it). */
static sirecon_status
settle_period(struct run *r, const struct run_opts *o, struct diag *d)
{
    struct dataset *ds = &r->ds;
    int y = 0;

    if (o->period)
        return SIRECON_OK; /* given */
    for (size_t i = 0; i < ds->ntax; i++) {
        int ty = ds->tax[i].tax_year;
        if (ty == 0)
            continue;
        if (y == 0)
            y = ty;
        else if (ty != y)
            return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                            "the tax data holds several tax years (%d and %d); choose one with --period",
                            y < ty ? y : ty, y < ty ? ty : y);
    }
    if (y == 0)
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        "no tax year found in the tax data (no tax_year column or "
                        "\"Kỳ tính thuế\" title); give --period");
    r->mo.period.first = y * 12;
    r->mo.period.last = y * 12 + 11;
    for (size_t i = 0; i < ds->ntax; i++)
        if (ds->tax[i].tax_year == 0)
            ds->tax[i].tax_year = y;
    return SIRECON_OK;
}

sirecon_status
run_load(struct run *r, const struct run_opts *o, struct diag *d)
{
    struct dataset *ds = &r->ds;
    struct load_opts lo;
    sirecon_status st;
    double t0 = monotonic_seconds();

    memset(&r->mo, 0, sizeof r->mo);
    if (o->period)
        r->mo.period = *o->period;
    r->mo.include_short_contracts = o->include_short_contracts;
    r->mo.branch_level = o->branch_level;
    memset(&lo, 0, sizeof lo);
    lo.encoding = o->encoding;
    lo.default_employer = o->default_employer;
    lo.aliases = r->pf->aliases;
    lo.naliases = r->pf->naliases;
    lo.default_year = o->period ? r->mo.period.first / 12 : 0;
    lo.first_year = o->period ? r->mo.period.first / 12 : 0;
    lo.last_year = o->period ? r->mo.period.last / 12 : 0;
    lo.progress = o->on_rows;
    lo.progress_ctx = o->ctx;

    /* every file's header map, for the cause of a file's rejects */
    size_t nmaps = o->ntax + o->nsi + o->nemployers + o->nidentities;
    struct header_map *maps = xcalloc(nmaps ? nmaps : 1, sizeof *maps);
    const char **units = NULL;
    for (size_t i = 0; i < nmaps; i++)
        for (int fl = 0; fl < F_COUNT; fl++)
            maps[i].col[fl] = maps[i].alt[fl] = maps[i].refused[fl] = -1;
    st = load_sides(ds, o, &lo, maps, d);
    if (st == SIRECON_OK)
        st = load_all(ds, o->employers, o->nemployers, KIND_EMPLOYERS, &lo, o,
                      maps + o->ntax + o->nsi, d);
    if (st == SIRECON_OK)
        st = load_all(ds, o->identities, o->nidentities, KIND_IDENTITIES, &lo, o,
                      maps + o->ntax + o->nsi + o->nemployers, d);
    if (st == SIRECON_OK && o->previous)
        st = employers_read_previous(o->previous, &r->prev, &r->nprev, d);
    if (st == SIRECON_OK) {
        /* a unit code per file that may find no employer, for the message */
        units = xcalloc(ds->nfiles ? ds->nfiles : 1, sizeof *units);
        for (size_t i = 0; i < ds->nsi; i++)
            if (ds->si[i].emp == NULL && units[ds->si[i].file] == NULL)
                units[ds->si[i].file] = ds->si[i].unit_code;
        load_resolve_units(ds);
        dataset_sort_rejects(ds);
    }
    /* the reject-rate policy, file by file */
    for (size_t i = 0; st == SIRECON_OK && i < ds->nfiles; i++) {
        const struct input_file *f = &ds->files[i];
        char why[512];
        if (run_file_usable(ds, i, ds->nfiles == nmaps ? &maps[i] : NULL,
                                        units[i], o->max_reject_rate, why, sizeof why))
            continue;
        bool employer = strncmp(why, "employer unknown", 16) == 0;
        st = diag_set(d, SIRECON_ERR_DATA, f->path, 0, "%s%s", why,
                      employer ? "" : "; is this the right file? see the rows with "
                                      "'sirecon check'");
    }
    for (size_t i = 0; i < nmaps; i++)
        header_map_free(&maps[i]);
    free(maps);
    free(units);
    if (st == SIRECON_OK)
        st = settle_period(r, o, d);
    r->load_seconds = monotonic_seconds() - t0;
    return st;
}

sirecon_status
run_decide(struct run *r, const struct run_opts *o, struct match_trace *trace,
           struct diag *d)
{
    sirecon_status st;
    double t0 = monotonic_seconds();

    r->min_missing = o->min_missing;
    r->mo.trace = trace;
    st = match_run(&r->ds, &r->mo, r->pf, d);
    r->mo.trace = NULL;
    if (st != SIRECON_OK)
        return st;
    employers_rollup(&r->ds, r->pf, &r->mo.period, o->min_missing, o->branch_level, &r->res);
    if (o->previous)
        employers_trend(&r->res, r->prev, r->nprev, &r->resolved, &r->nresolved);
    st = run_check_invariants(&r->ds, &r->res, d);
    r->match_seconds = monotonic_seconds() - t0;
    return st;
}

sirecon_status
run_inspect_file(struct dataset *ds, const char *path, file_kind kind, enc_id encoding,
                 const struct profile *pf, const char *default_employer,
                 struct header_map *map, struct diag *d)
{
    struct load_opts lo;

    memset(&lo, 0, sizeof lo);
    lo.encoding = encoding;
    lo.default_employer = default_employer;
    lo.aliases = pf->aliases;
    lo.naliases = pf->naliases;
    lo.keep_map = map;
    return load_file(ds, path, kind, &lo, d);
}
