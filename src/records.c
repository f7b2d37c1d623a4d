/*
 * records.c - the dataset that owns every record of a run, and the names of
 * the status, rule, reason and flag codes that all outputs share.
 */
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include <stdlib.h>
#include <string.h>
#include "sirecon/records.h"
#include "sirecon/common.h"

static const char *const flag_names[RF_FLAG_COUNT] = {
    "LEADING_ZERO_RESTORED", "ID_CORRUPTED", "TAX_ID_CHECK_DIGIT",
    "ID_PLACEHOLDER", "ID_MALFORMED", "ID_BIRTH_YEAR_MISMATCH",
    "DEDUCTED_NOT_ENROLLED", "LOW_BASE", "FOLDED_NAME_MATCH",
};

static const char *const status_names[ST_COUNT] = {
    "ENROLLED", "PARTIAL", "NOT_ENROLLED", "COVERED_ELSEWHERE", "REVIEW",
};

static const char *const rule_names[RULE_COUNT] = {
    "", "R1_ID", "R2_NAME_DOB", "R3_NAME", "R4_ELSEWHERE",
};

static const char *const reason_names[RS_COUNT] = {
    "", "NO_SI_RECORD_AT_EMPLOYER", "EMPLOYER_NOT_REGISTERED",
    "COVERAGE_OUTSIDE_PERIOD", "FEWER_MONTHS_THAN_INCOME",
    "ENROLLED_AT_OTHER_EMPLOYER", "AMBIGUOUS_NAME",
    "SHORT_CONTRACT_OR_NON_RESIDENT", "PAST_RETIREMENT_AGE", "ID_CORRUPTED",
    "UNREAD_ID_COLUMN", "DECREASE_ONLY",
};

const char *
records_flag_name(unsigned bit)
{
    return bit < RF_FLAG_COUNT ? flag_names[bit] : "?";
}

const char *
records_status_name(rec_status s)
{
    return (unsigned)s < ST_COUNT ? status_names[s] : "?";
}

const char *
records_rule_name(rec_rule r)
{
    return (unsigned)r < RULE_COUNT ? rule_names[r] : "?";
}

const char *
records_reason_name(rec_reason r)
{
    return (unsigned)r < RS_COUNT ? reason_names[r] : "?";
}

void
dataset_init(struct dataset *ds)
{
    memset(ds, 0, sizeof *ds);
    arena_init(&ds->a);
}

void
dataset_free(struct dataset *ds)
{
    free(ds->files);
    free(ds->tax);
    free(ds->si);
    free(ds->emps);
    free(ds->emp_registry);
    free(ds->idents);
    free(ds->rejects);
    arena_free(&ds->a);
    memset(ds, 0, sizeof *ds);
}

/* Append one zeroed item to a growable array; the record arrays of a big
 * input are faulted in a megabyte ahead of the rows (see prefault). */
#define ADD(arr, n, cap) \
    ((arr) = xgrow((arr), &(cap), (n) + 1, sizeof *(arr)), \
     ahead((arr), (n), (cap), sizeof *(arr)), \
     memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

#define AHEAD ((size_t)1 << 20)

/* When item n starts a new megabyte of the array, fault that megabyte in
 * (within the capacity). */
static void
ahead(void *arr, size_t n, size_t cap, size_t size)
{
    size_t off = n * size, end = off + size - 1;

    if (off % AHEAD == 0 || off / AHEAD != end / AHEAD) {
        size_t from = end - end % AHEAD, to = from + AHEAD;
        if (to > cap * size)
            to = cap * size;
        if (to > from)
            prefault((char *)arr + from, to - from);
    }
}

struct input_file *
dataset_add_file(struct dataset *ds)
{
    return ADD(ds->files, ds->nfiles, ds->capfiles);
}

void
dataset_reserve(struct dataset *ds, file_kind kind, size_t n)
{
    if (kind == KIND_TAX)
        ds->tax = xgrow(ds->tax, &ds->captax, ds->ntax + n, sizeof *ds->tax);
    else if (kind == KIND_SI)
        ds->si = xgrow(ds->si, &ds->capsi, ds->nsi + n, sizeof *ds->si);
}

struct tax_rec *
dataset_add_tax(struct dataset *ds)
{
    return ADD(ds->tax, ds->ntax, ds->captax);
}

struct si_rec *
dataset_add_si(struct dataset *ds)
{
    return ADD(ds->si, ds->nsi, ds->capsi);
}

struct employer_rec *
dataset_add_employer(struct dataset *ds)
{
    return ADD(ds->emps, ds->nemps, ds->capemps);
}

struct identity_rec *
dataset_add_identity(struct dataset *ds)
{
    return ADD(ds->idents, ds->nidents, ds->capidents);
}

/* A copy of a reject's detail where every run of 9 or more digits (it may
 * be a personal ID typed into the wrong column) keeps only its last 4:
 * details echo cell text, and no ID may leak into messages or rejects.csv. */
static const char *
mask_digit_runs(arena *a, const char *s)
{
    char *out = arena_strdup(a, s);

    for (size_t i = 0; out[i];) {
        size_t j = i;
        while (out[j] >= '0' && out[j] <= '9')
            j++;
        if (j - i >= 9)
            for (size_t k = i; k + 4 < j; k++)
                out[k] = '*';
        i = j > i ? j : i + 1;
    }
    return out;
}

void
dataset_add_reject(struct dataset *ds, uint32_t file, uint32_t line,
                   const char *reason, const char *column, const char *detail)
{
    struct reject *r = ADD(ds->rejects, ds->nrejects, ds->caprejects);

    r->file = file;
    r->line = line;
    r->reason = reason;
    r->column = column ? column : "";
    r->detail = detail ? mask_digit_runs(&ds->a, detail) : "";
    if (file < ds->nfiles)
        ds->files[file].rejected++;
}

/* qsort_r: rejects by file path, line, reason, column, detail; ctx the dataset */
static int
reject_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct reject *a = pa, *b = pb;
    const struct dataset *ds = ctx;
    const char *fa = a->file < ds->nfiles ? ds->files[a->file].path : "";
    const char *fb = b->file < ds->nfiles ? ds->files[b->file].path : "";
    int c = strcmp(fa, fb);

    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if ((c = strcmp(a->reason, b->reason)) != 0)
        return c;
    if ((c = strcmp(a->column, b->column)) != 0)
        return c;
    if ((c = strcmp(a->detail, b->detail)) != 0)
        return c;
    return a->file < b->file ? -1 : a->file > b->file;
}

void
dataset_sort_rejects(struct dataset *ds)
{
    if (ds->nrejects < 2)
        return;
    qsort_r(ds->rejects, ds->nrejects, sizeof *ds->rejects, reject_cmp, ds);
}

uint64_t
records_person_id(const struct person_ids *p, id_kind *kind)
{
    /* The strongest identifier first: the personal ID, then the tax code. */
    static const id_kind order[] = {IDK_PERSONAL, IDK_TAXCODE, IDK_CMND,
                                    IDK_SI, IDK_PASSPORT};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        uint64_t v = ids_get(p, order[i]);
        if (v != 0) {
            if (kind)
                *kind = order[i];
            return v;
        }
    }
    if (kind)
        *kind = IDK_NONE;
    return 0;
}

/* Append n items of src to a growable array, shifting their file index.
 * When dst has none yet, src's array is taken over instead of copied (the
 * loader's per-side datasets are merged into an empty one: no second copy
 * of millions of records at the peak). */
#define MERGE(field, n, cap)                                                  \
    do {                                                                      \
        if (dst->n == 0) {                                                    \
            free(dst->field);                                                 \
            dst->field = src->field;                                          \
            dst->cap = src->cap;                                              \
            for (size_t i_ = 0; i_ < src->n; i_++)                            \
                dst->field[i_].file += off;                                   \
            dst->n = src->n;                                                  \
            src->field = NULL;                                                \
            src->cap = 0;                                                     \
            break;                                                            \
        }                                                                     \
        dst->field = xgrow(dst->field, &dst->cap, dst->n + src->n,            \
                           sizeof *dst->field);                               \
        for (size_t i_ = 0; i_ < src->n; i_++) {                              \
            dst->field[dst->n + i_] = src->field[i_];                         \
            dst->field[dst->n + i_].file += off;                              \
        }                                                                     \
        dst->n += src->n;                                                     \
    } while (0)

void
dataset_merge(struct dataset *dst, struct dataset *src)
{
    uint32_t off = (uint32_t)dst->nfiles;

    dst->files = xgrow(dst->files, &dst->capfiles, dst->nfiles + src->nfiles,
                       sizeof *dst->files);
    memcpy(dst->files + dst->nfiles, src->files, src->nfiles * sizeof *src->files);
    dst->nfiles += src->nfiles;
    MERGE(tax, ntax, captax);
    MERGE(si, nsi, capsi);
    MERGE(emps, nemps, capemps);
    MERGE(idents, nidents, capidents);
    MERGE(rejects, nrejects, caprejects);
    dst->ndecrease += src->ndecrease;
    src->ndecrease = 0;
    arena_adopt(&dst->a, &src->a);
    src->nfiles = src->ntax = src->nsi = src->nemps = src->nidents = src->nrejects = 0;
    dataset_free(src);
}

const char *
records_plan_code(const struct dataset *ds, const struct si_rec *s)
{
    if (s->plan == 0 || s->file >= ds->nfiles || s->plan > ds->files[s->file].nplan_codes)
        return "";
    return ds->files[s->file].plan_codes[s->plan - 1];
}

const char *
records_other_emp(const struct dataset *ds, const struct tax_rec *t)
{
    return t->other_si != 0 && t->other_si <= ds->nsi ? ds->si[t->other_si - 1].emp : NULL;
}

void
ids_pack(arena *a, const struct person_ids_all *all, struct person_ids *out)
{
    int n = 0;

    out->k[0] = out->k[1] = 0;
    for (int k = 0; k < IDK_COUNT; k++)
        if (all->id[k] != 0) {
            if (n == 2) {
                struct person_ids_all *more = arena_alloc(a, sizeof *more);
                *more = *all;
                out->k[0] = IDS_MORE;
                out->k[1] = (uint64_t)(uintptr_t)more;
                return;
            }
            out->k[n++] = all->id[k];
        }
}

int
ids_list(const struct person_ids *p, uint64_t out[IDK_COUNT])
{
    int n = 0;

    if (p->k[0] == IDS_MORE) {
        const struct person_ids_all *all = (const void *)(uintptr_t)p->k[1];
        for (int k = 0; k < IDK_COUNT; k++)
            if (all->id[k] != 0)
                out[n++] = all->id[k];
        return n;
    }
    for (int j = 0; j < 2; j++)
        if (p->k[j] != 0)
            out[n++] = p->k[j];
    return n;
}

int
ids_cmp(const struct person_ids *a, const struct person_ids *b)
{
    int c;

    if (a->k[0] == b->k[0] && a->k[1] == b->k[1])
        return 0; /* the same packed form: equal without unpacking */
    for (int k = 0; k < IDK_COUNT; k++)
        if ((c = ids_key_cmp(ids_get(a, (id_kind)k), ids_get(b, (id_kind)k))) != 0)
            return c;
    return 0;
}

void
ids_unpack(const struct person_ids *p, struct person_ids_all *all)
{
    for (int k = 0; k < IDK_COUNT; k++)
        all->id[k] = ids_get(p, (id_kind)k);
}

void
ids_put(arena *a, struct person_ids *p, uint64_t key)
{
    struct person_ids_all all;

    if (key == 0)
        return;
    ids_unpack(p, &all);
    all.id[ids_key_kind(key)] = key;
    ids_pack(a, &all, p);
}
