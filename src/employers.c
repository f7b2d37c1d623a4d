/*
 * employers.c - per-employer roll-up, findings, estimated arrears and the
 * ranking (docs/matching.md, "Roll-up, findings and arrears").  Reads decided records; writes only struct result.
 *
 * Arrears (an estimate for ranking): for each NOT_ENROLLED record,
 * months = income_months or the period's months; monthly base =
 * (deduction > 0 ? deduction / employee_rate : taxable income) / months,
 * clamped to [regional minimum wage, cap]; arrears = base * months *
 * (employer_rate + employee_rate), rounded to whole VND.
 */
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/employers.h"
#include "sirecon/source.h"
#include "sirecon/table.h"
#include <stdio.h>

static const char *const finding_names[FIND_COUNT] = {
    "", "NO_SI_REGISTRATION", "UNDER_ENROLLMENT", "PARTIAL_ENROLLMENT",
};

const char *
employers_finding_name(finding f)
{
    return (unsigned)f < FIND_COUNT ? finding_names[f] : "?";
}

int64_t
employers_arrears(const struct tax_rec *t, const struct profile *pf, int wage_region,
                  int period_months)
{
    int months = t->income_months > 0 ? t->income_months : period_months;
    double total, base;
    int64_t minw;

    if (months <= 0)
        return 0;
    if (t->insurance_deduction > 0 && pf->employee_rate > 0)
        total = (double)t->insurance_deduction / pf->employee_rate;
    else
        total = (double)t->taxable_income;
    base = total / months;
    minw = pf->min_wage[(wage_region >= 1 && wage_region <= 4 ? wage_region : 1) - 1];
    if (base < (double)minw)
        base = (double)minw;
    if (base > (double)pf->base_cap)
        base = (double)pf->base_cap;
    double a = base * months * (pf->employer_rate + pf->employee_rate);
    return isfinite(a) ? (int64_t)llround(a) : 0;
}

static int
cmp_emp(const void *pa, const void *pb)
{
    const struct employer_sum *a = pa, *b = pb;

    if (a->listed != b->listed)
        return a->listed ? -1 : 1;
    if (a->listed) {
        if (a->est_arrears != b->est_arrears)
            return a->est_arrears > b->est_arrears ? -1 : 1;
        if (a->not_enrolled != b->not_enrolled)
            return a->not_enrolled > b->not_enrolled ? -1 : 1;
    }
    return strcmp(a->emp, b->emp);
}

/* Records of one employer in output order: status, then name, then source.
 * The sort compares what it needs of each record gathered in one small
 * array (struct rec_key), not the records themselves: an employer's
 * records lie anywhere in a national file, and at 10 M rows every reach
 * into the record array was a cache miss. */
struct rec_key {
    const struct pname *name;
    uint64_t pid;             /* records_person_id() */
    size_t idx;               /* into ds->tax */
    uint32_t file, line;
    int st;                   /* status, in output order */
};

static int
cmp_rec(const void *pa, const void *pb, void *ctx)
{
    const struct dataset *ds = ctx;
    const struct rec_key *a = pa, *b = pb;
    int c;

    if (a->st != b->st)
        return a->st - b->st;
    /* names are shared by the records of one file (load.c): equal
     * pointers need no comparison */
    if (a->name != b->name && (c = strcmp(a->name->key, b->name->key)) != 0)
        return c;
    if (a->name != b->name && (c = strcmp(a->name->full, b->name->full)) != 0)
        return c;
    if ((c = ids_key_cmp(a->pid, b->pid)) != 0)
        return c;
    if (a->file != b->file &&
        (c = strcmp(ds->files[a->file].path, ds->files[b->file].path)) != 0)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Each employer's counts and its records in output order (cmp_rec), from
 * one reach into each record (gathered into struct rec_key): an
 * employer's records lie anywhere in a national file, and every further
 * pass over them in employer order cost a cache miss a record (about a
 * second at 10 M rows).  The employers are split over both cores by their
 * number of records. */
struct sort_job {
    const struct dataset *ds;
    struct employer_sum *emps;
    size_t begin, end;
    const struct profile *pf;
    int pm; /* months of the period */
};

static void
employer_counts(struct employer_sum *s, const struct tax_rec *t, const char *regname,
                const struct profile *pf, int pm)
{
    /* (one file's records share one copy of a name: no look at the text
     * when it is the one already taken) */
    if (regname[0] == '\0' && t->emp_name != s->name && t->emp_name[0] &&
        (s->name[0] == '\0' || strcmp(t->emp_name, s->name) < 0))
        s->name = t->emp_name; /* smallest declared name: order-free */
    s->taxed++;
    switch (t->status) {
    case ST_ENROLLED: s->enrolled++; break;
    case ST_PARTIAL: s->partial++; break;
    case ST_NOT_ENROLLED:
        s->not_enrolled++;
        s->unenrolled_income += t->taxable_income;
        s->est_arrears += employers_arrears(t, pf, s->wage_region, pm);
        if (t->flags & RF_DEDUCTED_NOT_ENROLLED)
            s->deducted_not_enrolled++;
        break;
    case ST_COVERED_ELSEWHERE: s->covered_elsewhere++; break;
    case ST_REVIEW: s->review++; break;
    default: break;
    }
}

static void *
sort_job(void *arg)
{
    static const int rankst[ST_COUNT] = {
        [ST_NOT_ENROLLED] = 0, [ST_PARTIAL] = 1, [ST_REVIEW] = 2,
        [ST_COVERED_ELSEWHERE] = 3, [ST_ENROLLED] = 4};
    struct sort_job *j = arg;
    struct rec_key *keys = NULL;
    size_t cap = 0;

    for (size_t k = j->begin; k < j->end; k++) {
        struct employer_sum *s = &j->emps[k];
        const char *regname = s->name;
        keys = xgrow(keys, &cap, s->nrecs, sizeof *keys);
        for (size_t i = 0; i < s->nrecs; i++) {
            const struct tax_rec *t = &j->ds->tax[s->recs[i]];
            employer_counts(s, t, regname, j->pf, j->pm);
            keys[i] = (struct rec_key){t->name, records_person_id(&t->ids, NULL), s->recs[i],
                                       t->file, t->line, rankst[t->status]};
        }
        if (s->nrecs < 2)
            continue;
        qsort_r(keys, s->nrecs, sizeof *keys, cmp_rec, (void *)j->ds);
        for (size_t i = 0; i < s->nrecs; i++)
            s->recs[i] = keys[i].idx;
    }
    free(keys);
    return NULL;
}

static void
count_and_sort(struct result *r, const struct dataset *ds, const struct profile *pf, int pm)
{
    size_t total = 0, half = 0, k = 0;
    pthread_t th;

    for (size_t i = 0; i < r->nemps; i++)
        total += r->emps[i].nrecs;
    while (k < r->nemps && half < total / 2)
        half += r->emps[k++].nrecs;
    struct sort_job a = {ds, r->emps, 0, k, pf, pm}, b = {ds, r->emps, k, r->nemps, pf, pm};
    if (total >= 8192 && pthread_create(&th, NULL, sort_job, &b) == 0) {
        sort_job(&a);
        pthread_join(th, NULL);
    } else {
        a.end = r->nemps;
        sort_job(&a);
    }
}

/* Append recs[0 .. count) to a growable list. */
static void
append(size_t **list, size_t *n, size_t *cap, const size_t *recs, size_t count)
{
    if (count == 0)
        return;
    *list = xgrow(*list, cap, *n + count, sizeof **list);
    memcpy(*list + *n, recs, count * sizeof *recs);
    *n += count;
}

void
employers_rollup(const struct dataset *ds, const struct profile *pf,
                 const struct period *p, int min_missing, bool branch_level,
                 struct result *r)
{
    size_t cap = 0, i;
    int pm = match_period_months(p);

    (void)branch_level; /* records already carry their block code (match.c) */
    memset(r, 0, sizeof *r);
    r->period = *p;
    /* group the records by employer: by the number the index gave it
     * (emp_id, one per block code, below the number of employers), by a
     * counting sort into one array of record numbers (stable: an
     * employer's records in record order); neither a hash of code strings
     * (half a second of strlen and cache misses at a million records) nor
     * the codes' text (a cache miss per record at 10 M), nor a radix sort
     * of (key, record) pairs (two arrays of 16 bytes a record at the peak
     * of the run); the final order comes from cmp_emp and cmp_rec */
    uint32_t maxid = 0;
    size_t n = 0;
    for (i = 0; i < ds->ntax; i++) {
        const struct tax_rec *t = &ds->tax[i];
        if (t->duplicate) {
            r->duplicates++;
            continue;
        }
        r->by_status[t->status]++;
        r->by_rule[t->rule]++;
        if (t->emp_id > maxid)
            maxid = t->emp_id;
        n++;
    }
    uint32_t *at = xcalloc((size_t)maxid + 2, sizeof *at);
    uint32_t *grouped = xmalloc((n ? n : 1) * sizeof *grouped);
    for (i = 0; i < ds->ntax; i++)
        if (!ds->tax[i].duplicate)
            at[ds->tax[i].emp_id + 1]++;
    for (size_t e = 1; e <= (size_t)maxid + 1; e++)
        at[e] += at[e - 1];
    for (i = 0; i < ds->ntax; i++)
        if (!ds->tax[i].duplicate)
            grouped[at[ds->tax[i].emp_id]++] = (uint32_t)i;
    free(at);
    for (i = 0; i < n;) {
        const char *code = ds->tax[grouped[i]].emp;
        uint32_t id = ds->tax[grouped[i]].emp_id;
        size_t j = i + 1;
        while (j < n && ds->tax[grouped[j]].emp_id == id)
            j++;
        r->emps = xgrow(r->emps, &cap, r->nemps + 1, sizeof *r->emps);
        memset(&r->emps[r->nemps], 0, sizeof *r->emps);
        struct employer_sum *s = &r->emps[r->nemps++];
        s->emp = code;
        s->name = "";
        s->area = "";
        s->trend = "";
        s->wage_region = 1;
        /* the registry row the index found for the employer (match_run) */
        s->registry = id < ds->nemp_registry ? ds->emp_registry[id] : -1;
        if (s->registry >= 0) {
            const struct employer_rec *er = &ds->emps[s->registry];
            if (er->name && er->name[0])
                s->name = er->name;
            s->area = er->area ? er->area : "";
            if (er->wage_region)
                s->wage_region = er->wage_region;
        }
        s->recs = xmalloc((j - i) * sizeof *s->recs);
        for (size_t k = i; k < j; k++)
            s->recs[s->nrecs++] = grouped[k];
        i = j;
    }
    /* whether the employer has any SI record: match_run noted it in
     * each of its records (the index knows; a pass here over every SI
     * record's code cost 3 s of cache misses at 10 M rows) */
    for (size_t k = 0; k < r->nemps; k++)
        r->emps[k].has_si = ds->tax[r->emps[k].recs[0]].emp_has_si;
    free(grouped);
    count_and_sort(r, ds, pf, pm);
    for (size_t k = 0; k < r->nemps; k++) {
        struct employer_sum *s = &r->emps[k];
        s->coverage_pct = s->taxed ? 100.0 * s->enrolled / s->taxed : 0.0;
        if (s->not_enrolled >= (uint32_t)(min_missing > 0 ? min_missing : 1)) {
            s->listed = true;
            s->finding = s->has_si ? FIND_UNDER_ENROLLMENT : FIND_NO_SI_REGISTRATION;
        } else if (s->not_enrolled == 0 &&
                   s->partial >= (uint32_t)(min_missing > 0 ? min_missing : 1)) {
            s->listed = true;
            s->finding = FIND_PARTIAL_ENROLLMENT;
        }
    }
    if (r->nemps > 1) /* r->emps is NULL without tax records: no qsort(NULL) */
        qsort(r->emps, r->nemps, sizeof *r->emps, cmp_emp);
    /* The lists from each employer's counts: its records are in status
     * order (cmp_rec: NOT_ENROLLED, PARTIAL, REVIEW, COVERED_ELSEWHERE,
     * ENROLLED), so every status is one run of them. */
    size_t cape = 0, capr = 0;
    for (size_t k = 0; k < r->nemps; k++) {
        struct employer_sum *s = &r->emps[k];
        size_t review0 = s->not_enrolled + s->partial;
        if (s->listed) {
            s->rank = (int)++r->nlisted;
            r->by_finding[s->finding]++;
            append(&r->employees, &r->nemployees, &cape, s->recs, s->nrecs - s->enrolled);
        }
        append(&r->review, &r->nreview, &capr, s->recs + review0, s->review);
    }
    /* REVIEW records of employers not listed follow the listed ones. */
    for (size_t k = 0; k < r->nemps; k++) {
        struct employer_sum *s = &r->emps[k];
        if (!s->listed)
            append(&r->employees, &r->nemployees, &cape,
                   s->recs + s->not_enrolled + s->partial, s->review);
    }
}

void
employers_trend(struct result *r, const struct previous_emp *prev, size_t nprev,
                const char ***resolved, size_t *nresolved)
{
    size_t cap = 0;

    *resolved = NULL;
    *nresolved = 0;
    for (size_t k = 0; k < r->nlisted; k++) {
        struct employer_sum *e = &r->emps[k];
        e->trend = "NEW";
        for (size_t j = 0; j < nprev; j++)
            if (strcmp(prev[j].emp, e->emp) == 0) {
                snprintf(e->trend_buf, sizeof e->trend_buf, "ONGOING (%d months)",
                         prev[j].months + 1);
                e->trend = e->trend_buf;
                break;
            }
    }
    for (size_t j = 0; j < nprev; j++) {
        bool still = false;
        for (size_t k = 0; k < r->nlisted && !still; k++)
            still = strcmp(prev[j].emp, r->emps[k].emp) == 0;
        if (!still) {
            *resolved = xgrow(*resolved, &cap, *nresolved + 1, sizeof **resolved);
            (*resolved)[(*nresolved)++] = prev[j].emp;
        }
    }
}

void
employers_free(struct result *r)
{
    for (size_t k = 0; k < r->nemps; k++)
        free(r->emps[k].recs);
    free(r->emps);
    free(r->employees);
    free(r->review);
    memset(r, 0, sizeof *r);
}

/* ---- a previous run's list (--previous) ---- */

/* ---- a previous run's employers.csv (--previous) ---- */

struct prev_ctx {
    int col_emp, col_trend, header;
    struct previous_emp *v;
    size_t n, cap;
};

static int
prev_row(void *ctx, const struct table_row *r)
{
    struct prev_ctx *p = ctx;

    if (!p->header) {
        p->header = 1;
        for (size_t i = 0; i < r->ncells; i++) {
            const char *s = r->cells[i].s;
            size_t n = r->cells[i].n;
            if (n == 15 && memcmp(s, "employer_tax_id", 15) == 0)
                p->col_emp = (int)i;
            if (n == 5 && memcmp(s, "trend", 5) == 0)
                p->col_trend = (int)i;
        }
        return 0;
    }
    if (p->col_emp < 0 || (size_t)p->col_emp >= r->ncells || r->cells[p->col_emp].n == 0)
        return 0;
    p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
    struct previous_emp *e = &p->v[p->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->emp, sizeof e->emp, "%.*s", (int)r->cells[p->col_emp].n,
             r->cells[p->col_emp].s);
    e->months = 1;
    if (p->col_trend >= 0 && (size_t)p->col_trend < r->ncells) {
        int k;
        if (sscanf(r->cells[p->col_trend].s, "ONGOING (%d", &k) == 1 && k > 0)
            e->months = k;
    }
    return 0;
}

sirecon_status
employers_read_previous(const char *path, struct previous_emp **v, size_t *n, struct diag *d)
{
    struct source src;
    struct prev_ctx p;
    char buf[4096];
    size_t len = strlen(path);
    sirecon_status rc;

    if (len > 4 && strcmp(path + len - 4, ".csv") == 0)
        snprintf(buf, sizeof buf, "%s", path);
    else
        snprintf(buf, sizeof buf, "%s/employers.csv", path);
    memset(&p, 0, sizeof p);
    p.col_emp = p.col_trend = -1;
    *v = NULL;
    *n = 0;
    if ((rc = source_open(&src, buf, ENC_UNKNOWN, d)) != SIRECON_OK) {
        source_close(&src);
        return rc;
    }
    rc = table_parse(src.text, src.textn, ',', prev_row, &p, d);
    source_close(&src);
    if (rc == SIRECON_OK && p.col_emp < 0)
        rc = diag_set(d, SIRECON_ERR_DATA, buf, 1,
                      "no employer_tax_id column: not a sirecon employers.csv");
    if (rc != SIRECON_OK) {
        free(p.v);
        return rc;
    }
    *v = p.v;
    *n = p.n;
    return SIRECON_OK;
}
