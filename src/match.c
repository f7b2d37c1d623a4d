/*
 * match.c - the decision for every tax record (docs/matching.md).
 *
 * 1. Employers are blocks: 13-digit branch codes fold into their 10-digit
 *    parent unless --branch-level.
 * 2. Duplicates (same employer, name key, year and identifiers; without an
 *    identifier, the same amounts too) are merged (docs/matching.md).
 * 3. R1_ID: the person cluster (index.c) has SI records at this employer.
 * 4. Per employer, over what R1 left on both sides, grouped by folded name
 *    key: R2_NAME_DOB / R3_NAME need exactly one compatible candidate on
 *    each side; anything else with a compatible candidate is AMBIGUOUS_NAME.
 *    Exact name keys must agree unless one side is written without any
 *    diacritic; records whose identifiers of one kind disagree are never
 *    the same person.
 * 5. Coverage: months of the period inside the union of the matched spans.
 * 6. R4_ELSEWHERE by identifier, then the REVIEW cases, then flags.
 * Records are visited in a canonical order so that nothing depends on the
 * order of files or rows.
 */
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/match.h"
#include "sirecon/index.h"

#undef uthash_fatal
#define uthash_fatal(msg) ((void)xmalloc(SIZE_MAX))
#define uthash_malloc(sz) xmalloc(sz)
#include <uthash.h>

sirecon_status
match_parse_period(const char *s, struct period *p, struct diag *d)
{
    int y1, m1, y2, m2, n = 0;
    char tail;

    if (sscanf(s, "%4d-%2d..%4d-%2d%n", &y1, &m1, &y2, &m2, &n) == 4 && s[n] == '\0') {
        /* range */
    } else if (sscanf(s, "%4d-%2d%c", &y1, &m1, &tail) == 2) {
        y2 = y1;
        m2 = m1;
    } else if (sscanf(s, "%4d%c", &y1, &tail) == 1 && strlen(s) == 4) {
        m1 = 1;
        y2 = y1;
        m2 = 12;
    } else {
        return diag_set(d, SIRECON_ERR_USAGE, NULL, 0,
                        "bad --period '%s': use 2025, 2025-07 or 2025-01..2025-06", s);
    }
    if (y1 < 1990 || y1 > 2100 || y2 < 1990 || y2 > 2100 || m1 < 1 || m1 > 12 ||
        m2 < 1 || m2 > 12 || y2 * 12 + m2 < y1 * 12 + m1)
        return diag_set(d, SIRECON_ERR_USAGE, NULL, 0,
                        "bad --period '%s': months 01-12, end not before start", s);
    p->first = y1 * 12 + m1 - 1;
    p->last = y2 * 12 + m2 - 1;
    return SIRECON_OK;
}

int
match_period_months(const struct period *p)
{
    return p->last - p->first + 1;
}

/* ---- the run's working state ---- */

struct mstate {
    struct dataset *ds;
    const struct match_opts *o;
    const struct profile *pf;
    struct index ix;
    size_t *order;      /* tax indices in canonical order */
    uint32_t *rank;     /* per tax index: its place in that order */
    unsigned char *emp_unread; /* per employer number: an SI file with an unread
                                  ID-like column has rows of it; NULL if none */
};

void
match_trace_free(struct match_trace *t)
{
    free(t->want);
    free(t->notes);
    t->want = NULL;
    t->notes = NULL;
    t->nnotes = t->capnotes = 0;
}

/* Whether t is one of the records being explained. */
static bool
traced(const struct mstate *ms, const struct tax_rec *t)
{
    const struct match_trace *tr = ms->o->trace;

    return tr != NULL && tr->want != NULL && tr->want[t - ms->ds->tax];
}

/* Record what a rule saw about t (only for traced records). */
static void
note(const struct mstate *ms, const struct tax_rec *t, match_note_kind k, uint32_t si,
     int32_t a, int32_t b, int32_t c, int64_t v, int64_t w)
{
    struct match_trace *tr = ms->o->trace;
    struct match_note *n;

    tr->notes = xgrow(tr->notes, &tr->capnotes, tr->nnotes + 1, sizeof *tr->notes);
    n = &tr->notes[tr->nnotes++];
    n->tax = (uint32_t)(t - ms->ds->tax);
    n->si = si;
    n->other = UINT32_MAX;
    n->kind = (uint8_t)k;
    n->a = a;
    n->b = b;
    n->c = c;
    n->v = v;
    n->w = w;
}

/* Canonical order of tax records: content first, position last.  Within
 * one person, employer and year the record kept when they are merged comes
 * first: a 05-1 row before a 05-2 one, then the larger income. */
static int
cmp_tax(const void *pa, const void *pb, void *ctx)
{
    const struct dataset *ds = ctx;
    const struct tax_rec *a = &ds->tax[*(const size_t *)pa];
    const struct tax_rec *b = &ds->tax[*(const size_t *)pb];
    int c;

    if (a->emp != b->emp && (c = strcmp(a->emp, b->emp)) != 0) return c;
    if (a->name != b->name && (c = strcmp(a->name->key, b->name->key)) != 0) return c;
    if ((c = ids_cmp(&a->ids, &b->ids)) != 0) return c;
    if (a->tax_year != b->tax_year) return a->tax_year < b->tax_year ? -1 : 1;
    if (a->schedule != b->schedule) return a->schedule < b->schedule ? -1 : 1;
    if (a->taxable_income != b->taxable_income) return a->taxable_income > b->taxable_income ? -1 : 1;
    if (a->insurance_deduction != b->insurance_deduction)
        return a->insurance_deduction > b->insurance_deduction ? -1 : 1;
    if (a->birth != b->birth) return a->birth < b->birth ? -1 : 1;
    if (a->income_months != b->income_months) return a->income_months > b->income_months ? -1 : 1;
    if (a->name != b->name && (c = strcmp(a->name->full, b->name->full)) != 0) return c;
    if ((c = strcmp(ds->files[a->file].path, ds->files[b->file].path)) != 0) return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* One person twice in one employer's list for one year (docs/matching.md, "Duplicates"): the
 * same name key and the same identifiers, at least one of them present
 * (two people of one name without any ID are never merged).  Amounts may
 * differ: a supplementary declaration repeats the person. */
static bool
same_content(const struct tax_rec *a, const struct tax_rec *b)
{
    bool any = false;

    if ((a->emp != b->emp && strcmp(a->emp, b->emp)) ||
        (a->name != b->name && strcmp(a->name->key, b->name->key)) ||
        a->tax_year != b->tax_year)
        return false;
    if (ids_cmp(&a->ids, &b->ids) != 0)
        return false;
    any = ids_any(&a->ids);
    return any || (a->taxable_income == b->taxable_income &&
                   a->insurance_deduction == b->insurance_deduction &&
                   a->birth == b->birth && a->schedule == b->schedule);
}

/* Sort the tax records into canonical order and mark exact duplicates
 * (every copy after the first of a run of equal records). */
static void *
sort_job(void *arg)
{
    struct mstate *ms = arg;
    struct dataset *ds = ms->ds;

    struct index_entry *e = xmalloc((ds->ntax ? ds->ntax : 1) * sizeof *e);

    /* employers first, grouped by packed code (in place: this runs beside
     * the index build, at the peak of a national run), then each
     * employer's block by the full comparison: a block is contiguous and
     * its order is cmp_tax's, which is all the rules need; the order
     * between blocks decides nothing.  Measured on 1 M records in random
     * employer order: qsort over all of them cost 1.7 s of strcmp, this
     * about 0.3 s. */
    for (size_t i = 0; i < ds->ntax; i++)
        e[i].owner = (uint32_t)i;
    index_group_codes(e, ds->ntax, index_tax_emp, ds);
    for (size_t i = 0; i < ds->ntax; i++)
        ms->order[i] = e[i].owner;
    /* the blocks' ends, so that the entries go before the sorts (the
     * index is being built beside this: its peak is the run's) */
    uint32_t *ends = NULL;
    size_t nblocks = 0, capends = 0;
    for (size_t i = 0, j; i < ds->ntax; i = j) {
        j = index_code_run(e, ds->ntax, i, index_tax_emp, ds);
        ends = xgrow(ends, &capends, nblocks + 1, sizeof *ends);
        ends[nblocks++] = (uint32_t)j;
    }
    free(e);
    for (size_t b = 0, i = 0; b < nblocks; i = ends[b++])
        if (ends[b] - i > 1)
            qsort_r(ms->order + i, ends[b] - i, sizeof *ms->order, cmp_tax, ds);
    free(ends);
    for (size_t i = 1; i < ds->ntax; i++)
        if (same_content(&ds->tax[ms->order[i - 1]], &ds->tax[ms->order[i]]))
            ds->tax[ms->order[i]].duplicate = true;
    for (size_t i = 0; i < ds->ntax; i++)
        ms->rank[ms->order[i]] = (uint32_t)i;
    return NULL;
}

/* Employer codes fold to the 10-digit parent unless branch-level. */
static const char *
block(struct dataset *ds, const char *emp, bool branch_level)
{
    if (emp == NULL || branch_level || strlen(emp) <= 10)
        return emp;
    return arena_strndup(&ds->a, emp, 10);
}

/* A record's block code: its file's folded code by the ordinal it holds
 * (load.c), or its own code folded when it holds none. */
static const char *
emp_folded(struct dataset *ds, uint32_t file, uint32_t ord, const char *emp, bool branch_level)
{
    if (emp != NULL && file < ds->nfiles && ord < ds->files[file].nemp_codes)
        return ds->files[file].emp_codes[ord];
    return block(ds, emp, branch_level);
}

/* Whether month m of span s is undone by a decrease row in the chain: a
 * decrease that starts after s began and covers m ("II. Giảm" from 06/2025:
 * no coverage from June on, or up to its end month for a temporary leave).
 * emp_id: only decreases at that employer (UINT32_MAX: any in the chain). */
static bool
decreased(const struct dataset *ds, const uint32_t *next, uint32_t head,
          const struct si_rec *s, int m, uint32_t emp_id)
{
    if (ds->ndecrease == 0)
        return false; /* no change report among the inputs */
    for (uint32_t j = head; j != CHAIN_END; j = next[j]) {
        const struct si_rec *d = &ds->si[j];
        if (d->decrease && (emp_id == UINT32_MAX || d->emp_id == emp_id) &&
            s->from_month <= d->from_month && d->from_month <= m && m <= d->to_month)
            return true;
    }
    return false;
}

/* Whether a span of the chain covers month m. */
static const struct si_rec *
covering(const struct dataset *ds, const uint32_t *next, uint32_t head, int m)
{
    for (uint32_t i = head; i != CHAIN_END; i = next[i]) {
        const struct si_rec *s = &ds->si[i];
        if (!s->decrease && s->from_month <= m && m <= s->to_month &&
            !decreased(ds, next, head, s, m, UINT32_MAX))
            return s;
    }
    return NULL;
}

/* A chain of one span when no input is a change report (most chains of a
 * national run): the months of p it covers, by arithmetic, with the span
 * in *s; -1 for any other chain, which the month by month walk takes. */
static int
one_span(const struct dataset *ds, const uint32_t *next, uint32_t head,
         const struct period *p, const struct si_rec **s)
{
    if (ds->ndecrease != 0 || head == CHAIN_END || next[head] != CHAIN_END)
        return -1;
    *s = &ds->si[head];
    int from = (*s)->from_month > p->first ? (*s)->from_month : p->first;
    int to = (*s)->to_month < p->last ? (*s)->to_month : p->last;
    return to >= from ? to - from + 1 : 0;
}

/* Months of p covered by the union of spans in a chain (or one entity),
 * less the months its decrease rows take away. */
static int
covered(const struct dataset *ds, const uint32_t *next, uint32_t head,
        const struct period *p)
{
    const struct si_rec *one;
    int n = one_span(ds, next, head, p, &one);

    if (n >= 0)
        return n;
    n = 0;
    for (int m = p->first; m <= p->last; m++)
        n += covering(ds, next, head, m) != NULL;
    return n;
}

/* Sum over covered months of the contribution base: per month the highest
 * base of the spans covering it, so overlapping spans give the same sum in
 * any row order. */
static int64_t
base_sum(const struct dataset *ds, const uint32_t *next, uint32_t head,
         const struct period *p, bool *known)
{
    int64_t sum = 0;
    const struct si_rec *one;
    int n = one_span(ds, next, head, p, &one);

    if (n >= 0) {
        *known = n > 0 && one->salary > 0;
        return *known ? one->salary * n : 0;
    }
    *known = false;
    for (int m = p->first; m <= p->last; m++) {
        int64_t best = 0;
        for (uint32_t i = head; i != CHAIN_END; i = next[i])
            if (!ds->si[i].decrease && ds->si[i].from_month <= m && m <= ds->si[i].to_month &&
                ds->si[i].salary > best && !decreased(ds, next, head, &ds->si[i], m, UINT32_MAX))
                best = ds->si[i].salary;
        if (best > 0)
            *known = true;
        sum += best;
    }
    return sum;
}

static bool
ids_conflict(const struct person_ids *a, const struct person_ids *b)
{
    for (int k = 0; k < IDK_COUNT; k++) {
        uint64_t x = ids_get(a, (id_kind)k), y = ids_get(b, (id_kind)k);
        if (x && y && x != y)
            return true;
    }
    return false;
}

/* 0 unknown, else 1 equal, -1 different.  A year-only date equals any date of that year. */
static int
birth_cmp(sdate a, sdate b)
{
    if (a == 0 || b == 0)
        return 0;
    if (a % 10000 == 0 || b % 10000 == 0)
        return a / 10000 == b / 10000 ? 1 : -1;
    return a == b ? 1 : -1;
}

/* ---- name rules, one employer at a time ---- */

/* A person on the SI side of one employer not claimed by R1: its records
 * are chained through ent_next. */
struct entity {
    uint32_t head, tail;
    const struct si_rec *rep; /* first record: name, ids, birth */
    sdate birth;
};

struct fold_group {
    const char *fold;
    size_t *tax; size_t ntax, captax;       /* tax indices */
    size_t *ent; size_t nent, capent;       /* entity indices */
    UT_hash_handle hh;
};

struct ent_key_node {
    uint32_t person;        /* cluster, or PERSON_NONE */
    const char *name_key;   /* for ID-less records */
    sdate birth;
    size_t ent;
    UT_hash_handle hh;
};

static bool
names_compatible(const char *ka, bool marks_a, const char *kb, bool marks_b, bool *folded)
{
    /* callers guarantee equal folded keys */
    if (strcmp(ka, kb) == 0) {
        *folded = false;
        return true;
    }
    if (!marks_a || !marks_b) {
        *folded = true;
        return true;
    }
    return false;
}

struct pair_info {
    bool ok;        /* compatible at all */
    int dob;        /* birth_cmp */
    bool folded;
    int why;        /* MW_*: what makes them incompatible */
};

static struct pair_info
pair(const struct tax_rec *t, const struct entity *e)
{
    struct pair_info pi = {false, 0, false, MW_NAME};

    if (!names_compatible(t->name->key, t->name->marks, e->rep->name->key,
                          e->rep->name->marks, &pi.folded))
        return pi;
    pi.why = MW_ID_CONFLICT;
    if (ids_conflict(&t->ids, &e->rep->ids))
        return pi;
    pi.dob = birth_cmp(t->birth, e->birth);
    pi.ok = pi.dob >= 0;
    pi.why = pi.ok ? MW_OK : MW_BIRTH;
    return pi;
}

/* The record that speaks for an SI entity, whatever the row order: one
 * written with diacritics (it says which name it is), then the smallest
 * name key and identifiers. */
static bool
rep_better(const struct si_rec *a, const struct si_rec *b)
{
    int c;

    if (a->name->marks != b->name->marks)
        return a->name->marks;
    if ((c = strcmp(a->name->key, b->name->key)) != 0)
        return c < 0;
    if ((c = ids_cmp(&a->ids, &b->ids)) != 0)
        return c < 0;
    return false;
}

/* An entity's birth date, whatever the row order: a full date beats a
 * year alone, then the earlier date. */
static bool
birth_better(sdate a, sdate b)
{
    if (a == 0)
        return false;
    if (b == 0)
        return true;
    if ((a % 10000 == 0) != (b % 10000 == 0))
        return b % 10000 == 0;
    return a < b;
}

static void
set_match(struct tax_rec *t, rec_rule r, char conf, bool folded)
{
    t->rule = r;
    t->confidence = conf;
    if (folded)
        t->flags |= RF_FOLDED_NAME;
}

#define NAME_FILTER_MAX 16

/* Whether folded name f is one of folds[0..n) (names are shared per file:
 * the pointer first). */
static bool
fold_among(const char *f, const char *const *folds, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (folds[j] == f || strcmp(folds[j], f) == 0)
            return true;
    return false;
}

/* Name rules inside one employer.  si: the SI records at it that R1 did
 * not claim, in record order; tax: unmatched tax indices at it. */
static void
name_rules(struct mstate *ms, const uint32_t *si, size_t nsi, const size_t *tax, size_t ntax,
           uint32_t **ent_next, size_t *ent_next_cap, struct entity **ents,
           size_t *capents, uint32_t *ent_of_tax_head)
{
    struct dataset *ds = ms->ds;
    struct fold_group *groups = NULL, *g, *gt;
    struct ent_key_node *ekeys = NULL, *ek;
    size_t nents = 0;
    arena tmp;

    arena_init(&tmp);
    /* Only the entities that hold a record of a name some tax record here
     * has (folded) can end in a group with a tax record: the others (of a
     * person: SI records without an identifier are always built) are not
     * built, since an entity's representative is one of its records.  At
     * 10 M rows nearly every employer has a record left for these rules,
     * and building every entity of every employer cost about two seconds.
     * The filter compares names pairwise, so it is for the common case of
     * a few records left and a few persons of their names
     * (NAME_FILTER_MAX); past that, and when tracing (explain's notes count
     * every entity), all are built. */
    bool every = ms->o->trace != NULL || ntax > NAME_FILTER_MAX;
    const char **folds = every ? NULL : arena_alloc(&tmp, ntax * sizeof *folds);
    uint32_t *cand = NULL;
    size_t ncand = 0, capcand = 0;
    for (size_t j = 0; !every && j < ntax; j++)
        folds[j] = ds->tax[tax[j]].name->fold;
    for (size_t k = 0; !every && k < nsi; k++) {
        const struct si_rec *s = &ds->si[si[k]];
        if (s->person == PERSON_NONE || !fold_among(s->name->fold, folds, ntax))
            continue;
        size_t c = 0;
        while (c < ncand && cand[c] != s->person)
            c++;
        if (c == ncand && ncand == NAME_FILTER_MAX) {
            every = true; /* many of these names: build them all */
            break;
        }
        if (c == ncand) {
            cand = xgrow(cand, &capcand, ncand + 1, sizeof *cand);
            cand[ncand++] = s->person;
        }
    }
    /* entities: unclaimed SI records at emp, grouped by person */
    for (size_t k = 0; k < nsi; k++) {
        uint32_t i = si[k];
        const struct si_rec *s = &ds->si[i];
        struct ent_key_node key;
        if (!every) {
            bool in = s->person == PERSON_NONE; /* (rare: always built) */
            for (size_t c = 0; c < ncand && !in; c++)
                in = cand[c] == s->person;
            if (!in)
                continue;
        }
        memset(&key, 0, sizeof key);
        key.person = s->person;
        key.name_key = s->person == PERSON_NONE ? s->name->key : "";
        key.birth = s->person == PERSON_NONE ? s->birth : 0;
        /* hash on (person, name_key ptr contents, birth) via a string */
        char kbuf[600];
        int kl = snprintf(kbuf, sizeof kbuf, "%u|%d|%s", key.person, key.birth, key.name_key);
        if (kl < 0 || (size_t)kl >= sizeof kbuf)
            kl = (int)sizeof kbuf - 1;
        HASH_FIND(hh, ekeys, kbuf, (size_t)kl, ek);
        if (ek == NULL) {
            ek = arena_alloc(&tmp, sizeof *ek);
            memset(ek, 0, sizeof *ek);
            ek->name_key = arena_strndup(&tmp, kbuf, (size_t)kl);
            *ents = xgrow(*ents, capents, nents + 1, sizeof **ents);
            ek->ent = nents;
            (*ents)[nents].head = (*ents)[nents].tail = CHAIN_END;
            (*ents)[nents].rep = s;
            (*ents)[nents].birth = 0;
            nents++;
            HASH_ADD_KEYPTR(hh, ekeys, ek->name_key, (size_t)kl, ek);
        }
        struct entity *e = &(*ents)[ek->ent];
        *ent_next = xgrow(*ent_next, ent_next_cap, i + 1, sizeof **ent_next);
        (*ent_next)[i] = CHAIN_END;
        if (e->head == CHAIN_END)
            e->head = i;
        else
            (*ent_next)[e->tail] = i;
        e->tail = i;
        if (rep_better(s, e->rep))
            e->rep = s;
        if (birth_better(s->birth, e->birth))
            e->birth = s->birth;
    }
    HASH_CLEAR(hh, ekeys);
    free(cand);
    if (nents == 0) {
        for (size_t j = 0; j < ntax; j++)
            if (traced(ms, &ds->tax[tax[j]]))
                note(ms, &ds->tax[tax[j]], MN_NAME_NONE, UINT32_MAX, 0, 0, 0, 0, 0);
        arena_free(&tmp);
        return;
    }
    /* group both sides by folded name key */
    for (size_t j = 0; j < nents; j++) {
        const char *f = (*ents)[j].rep->name->fold;
        HASH_FIND(hh, groups, f, strlen(f), g);
        if (g == NULL) {
            g = arena_alloc(&tmp, sizeof *g);
            memset(g, 0, sizeof *g);
            g->fold = f;
            HASH_ADD_KEYPTR(hh, groups, g->fold, strlen(g->fold), g);
        }
        g->ent = xgrow(g->ent, &g->capent, g->nent + 1, sizeof *g->ent);
        g->ent[g->nent++] = j;
    }
    for (size_t j = 0; j < ntax; j++) {
        const char *f = ds->tax[tax[j]].name->fold;
        HASH_FIND(hh, groups, f, strlen(f), g);
        if (g == NULL) {
            /* nobody of that name on the SI side */
            if (traced(ms, &ds->tax[tax[j]]))
                note(ms, &ds->tax[tax[j]], MN_NAME_NONE, UINT32_MAX, (int32_t)nents, 0, 0,
                     0, 0);
            continue;
        }
        g->tax = xgrow(g->tax, &g->captax, g->ntax + 1, sizeof *g->tax);
        g->tax[g->ntax++] = tax[j];
    }
    HASH_ITER(hh, groups, g, gt) {
        for (size_t a = 0; a < g->ntax; a++) {
            struct tax_rec *t = &ds->tax[g->tax[a]];
            size_t n2 = 0, nc = 0, e2 = 0, ec = 0;
            bool f2 = false, fc = false;
            bool tr = traced(ms, t);
            for (size_t b = 0; b < g->nent; b++) {
                struct pair_info pi = pair(t, &(*ents)[g->ent[b]]);
                if (tr)
                    note(ms, t, MN_NAME_CAND, (uint32_t)((*ents)[g->ent[b]].rep - ds->si),
                         pi.why, pi.dob, pi.folded, (*ents)[g->ent[b]].birth, 0);
                if (!pi.ok)
                    continue;
                nc++;
                ec = g->ent[b];
                fc = pi.folded;
                if (pi.dob == 1) {
                    n2++;
                    e2 = g->ent[b];
                    f2 = pi.folded;
                }
            }
            if (nc == 0)
                continue;
            /* the chosen entity must see exactly one compatible tax record */
            size_t pick = n2 == 1 ? e2 : ec;
            bool by_dob = n2 == 1;
            size_t back = 0;
            for (size_t c = 0; c < g->ntax; c++) {
                struct pair_info pi = pair(&ds->tax[g->tax[c]], &(*ents)[pick]);
                if (pi.ok && (!by_dob || pi.dob == 1))
                    back++;
            }
            if ((n2 == 1 || nc == 1) && back == 1) {
                if (by_dob)
                    set_match(t, RULE_R2_NAME_DOB, 'B', f2);
                else
                    set_match(t, RULE_R3_NAME, 'C', fc);
                ent_of_tax_head[g->tax[a] ] = (*ents)[pick].head;
                if (tr)
                    note(ms, t, MN_NAME_PICK, (uint32_t)((*ents)[pick].rep - ds->si),
                         t->rule, (int32_t)back, 0, 0, 0);
            } else {
                t->status = ST_REVIEW;
                t->reason = RS_AMBIGUOUS_NAME;
                if (tr)
                    note(ms, t, MN_NAME_AMBIG, (uint32_t)((*ents)[pick].rep - ds->si),
                         (int32_t)nc, (int32_t)n2, (int32_t)back, 0, 0);
            }
        }
        free(g->tax);
        free(g->ent);
    }
    HASH_CLEAR(hh, groups);
    arena_free(&tmp);
}

/* Age in months at the end of the period, from the birth date or the
 * personal ID's year digits; -1 unknown.  An unknown month counts as
 * January (the oldest the person can be). */
static int
age_months(const struct tax_rec *t, const struct period *p, int *sex)
{
    int y = 0, m = 1;

    char pid[IDS_MAX];

    ids_key_text(ids_get(&t->ids, IDK_PERSONAL), pid);
    *sex = pid[0] ? ids_cccd_sex(pid) : 0;
    if (t->birth != 0) {
        y = t->birth / 10000;
        if ((t->birth / 100) % 100)
            m = (t->birth / 100) % 100;
    } else if (pid[0]) {
        y = ids_cccd_birth_year(pid);
    }
    if (y == 0)
        return -1;
    return p->last - (y * 12 + m - 1);
}

static bool
past_retirement(const struct mstate *ms, const struct tax_rec *t)
{
    const struct period *p = &ms->o->period;
    const struct profile *pf = ms->pf;
    int sex, age = age_months(t, p, &sex);
    int lim = sex == 1 ? pf->retire_male_months
            : sex == 2 ? pf->retire_female_months
            : (pf->retire_male_months < pf->retire_female_months ? pf->retire_male_months
                                                                  : pf->retire_female_months);
    if (traced(ms, t))
        note(ms, t, MN_AGE, UINT32_MAX, age, lim, sex, 0, 0);
    return age >= 0 && age >= lim;
}

/* R4: covered at another employer in the period; *other gets the first SI
 * record of the smallest code. */
static bool
elsewhere(struct mstate *ms, const struct tax_rec *t, uint32_t *other)
{
    const struct dataset *ds = ms->ds;
    const struct period *p = &ms->o->period;

    bool tr = traced(ms, t);
    uint32_t best = UINT32_MAX;

    for (uint32_t i = index_person_si(&ms->ix, t->person); i != CHAIN_END;
         i = ms->ix.next_p[i]) {
        const struct si_rec *s = &ds->si[i];
        bool alive = false;
        if (s->emp_id == t->emp_id)
            continue;
        if (s->decrease) {
            if (tr)
                note(ms, t, MN_ELSE_SI, i, ME_DECREASE_ROW, 0, 0, 0, 0);
            continue;
        }
        if (s->to_month < p->first || s->from_month > p->last) {
            if (tr)
                note(ms, t, MN_ELSE_SI, i, ME_OUTSIDE, 0, 0, 0, 0);
            continue;
        }
        /* a month of the period not taken away by a decrease there */
        for (int m = s->from_month > p->first ? s->from_month : p->first;
             !alive && m <= p->last && m <= s->to_month; m++)
            alive = !decreased(ds, ms->ix.next_p, index_person_si(&ms->ix, t->person), s, m,
                               s->emp_id);
        if (tr)
            note(ms, t, MN_ELSE_SI, i, alive ? ME_COVERED : ME_DECREASED, 0, 0, 0, 0);
        if (!alive)
            continue;
        if (best == UINT32_MAX || strcmp(s->emp, ds->si[best].emp) < 0)
            best = i;
    }
    if (tr)
        note(ms, t, MN_R4, best, best != UINT32_MAX, 0, 0, 0, 0);
    *other = best;
    return best != UINT32_MAX;
}

/* What a record that would be NOT_ENROLLED becomes. */
static void
not_enrolled(struct mstate *ms, struct tax_rec *t, rec_reason why)
{
    uint32_t other;

    if (elsewhere(ms, t, &other)) {
        /* R4 decides, even after a match at this employer found no
         * coverage in the period */
        t->status = ST_COVERED_ELSEWHERE;
        t->reason = RS_ENROLLED_AT_OTHER_EMPLOYER;
        t->rule = RULE_R4_ELSEWHERE;
        t->confidence = 0;
        t->other_si = other + 1;
        return;
    }
    t->status = ST_NOT_ENROLLED;
    t->reason = why;
    if ((t->schedule == 2 || t->non_resident) && traced(ms, t))
        note(ms, t, MN_SHORT, UINT32_MAX, t->schedule, t->non_resident,
             ms->o->include_short_contracts, 0, 0);
    if ((t->schedule == 2 || t->non_resident) && !ms->o->include_short_contracts) {
        t->status = ST_REVIEW;
        t->reason = RS_SHORT_CONTRACT_OR_NON_RESIDENT;
    } else if (past_retirement(ms, t)) {
        t->status = ST_REVIEW;
        t->reason = RS_PAST_RETIREMENT_AGE;
    } else if ((t->flags & RF_ID_CORRUPTED) && t->person == PERSON_NONE &&
               t->rule == RULE_NONE) {
        t->status = ST_REVIEW;
        t->reason = RS_ID_CORRUPTED;
    } else if (ms->ds->files[t->file].nunread > 0 ||
               (ms->emp_unread != NULL && t->emp_id < ms->ix.nemp_ids &&
                ms->emp_unread[t->emp_id])) {
        /* evidence the tool could not read (an ID-like column that feeds
         * no field) might have found this person: never accuse on it */
        t->status = ST_REVIEW;
        t->reason = RS_UNREAD_ID_COLUMN;
        if (traced(ms, t))
            note(ms, t, MN_UNREAD, UINT32_MAX, ms->ds->files[t->file].nunread > 0 ? 1 : 2, 0,
                 0, 0, 0);
    }
    if (t->status == ST_NOT_ENROLLED && t->insurance_deduction > 0)
        t->flags |= RF_DEDUCTED_NOT_ENROLLED;
}

/* Whether the person's SI records in the chain are all decrease rows and
 * one of them starts after the period's first month and no later than the
 * month after its last: the person left this employer during the period,
 * so was enrolled before, but the list (a change report) does not show it. */
static bool
decrease_only(const struct dataset *ds, const uint32_t *next, uint32_t head,
              const struct period *p)
{
    bool inside = false;

    for (uint32_t i = head; i != CHAIN_END; i = next[i]) {
        const struct si_rec *s = &ds->si[i];
        if (!s->decrease)
            return false;
        inside |= s->from_month > p->first && s->from_month <= p->last + 1;
    }
    return inside;
}

static void
decide_matched(struct mstate *ms, struct tax_rec *t, const uint32_t *next, uint32_t head)
{
    const struct period *p = &ms->o->period;
    int pm = match_period_months(p);
    int cov = covered(ms->ds, next, head, p);
    int need = t->income_months > 0 ? (t->income_months < pm ? t->income_months : pm) : 1;
    bool tr = traced(ms, t);

    if (tr) {
        for (uint32_t i = head; i != CHAIN_END; i = next[i]) {
            const struct si_rec *s = &ms->ds->si[i];
            int n = 0;
            for (int m = p->first; m <= p->last && !s->decrease; m++)
                n += s->from_month <= m && m <= s->to_month &&
                     !decreased(ms->ds, next, head, s, m, UINT32_MAX);
            note(ms, t, MN_COVER_SI, i, n, s->decrease, 0, 0, 0);
        }
        note(ms, t, MN_COVERED, UINT32_MAX, cov, need, pm, 0, 0);
    }
    t->covered_months = cov;
    if (cov == 0 && decrease_only(ms->ds, next, head, p)) {
        /* "Giảm lao động" from a month of the period: the person was on the
         * roll until then, in a list the change report does not repeat */
        t->status = ST_REVIEW;
        t->reason = RS_DECREASE_ONLY;
        return;
    }
    if (cov == 0) {
        not_enrolled(ms, t, RS_COVERAGE_OUTSIDE_PERIOD);
        return;
    }
    if (cov < need) {
        t->status = ST_PARTIAL;
        t->reason = RS_FEWER_MONTHS_THAN_INCOME;
    } else {
        t->status = ST_ENROLLED;
        t->reason = RS_NONE;
    }
    /* LOW_BASE compares months with months: the declared monthly base
     * against the monthly taxable income (over income_months, else the 12
     * months of the tax year), so partial coverage alone does not raise it. */
    bool known;
    int64_t base = base_sum(ms->ds, next, head, p, &known);
    int inc_months = t->income_months > 0 ? t->income_months : 12;
    double monthly_income = (double)t->taxable_income / inc_months;
    if (known && (double)base / cov < ms->pf->low_base_ratio * monthly_income)
        t->flags |= RF_LOW_BASE;
    if (tr)
        note(ms, t, MN_BASE, UINT32_MAX, known + ((t->flags & RF_LOW_BASE) != 0), 0, 0, base,
             (int64_t)monthly_income);
}

/* The status pass over tax records [begin, end). */
struct status_job {
    struct mstate *ms;
    const uint32_t *head_of, *name_head, *ent_next;
    size_t begin, end;
};

#define STATUS_MIN_SPLIT 4096 /* records per thread worth a thread */

static void *
status_job(void *arg)
{
    struct status_job *j = arg;
    struct mstate *ms = j->ms;

    for (size_t ti = j->begin; ti < j->end; ti++) {
        struct tax_rec *t = &ms->ds->tax[ti];
        if (t->duplicate)
            continue;
        if (t->rule == RULE_R1_ID)
            decide_matched(ms, t, ms->ix.next_ep, j->head_of[ti]);
        else if (t->rule == RULE_R2_NAME_DOB || t->rule == RULE_R3_NAME)
            decide_matched(ms, t, j->ent_next, j->name_head[ti]);
        else if (t->status == ST_REVIEW && t->reason == RS_AMBIGUOUS_NAME)
            ;
        else
            not_enrolled(ms, t, index_emp_si_by_id(&ms->ix, t->emp_id) == CHAIN_END
                                    ? RS_EMPLOYER_NOT_REGISTERED
                                    : RS_NO_SI_RECORD_AT_EMPLOYER);
    }
    return NULL;
}

/* Whether the name rules look at SI record s: R1 left it unclaimed, at an
 * employer (emp_left: by number, of nemp) where a tax record is left. */
static bool
for_name_rules(const struct si_rec *s, const uint8_t *emp_left, size_t nemp)
{
    return !s->matched && s->emp_id < nemp && emp_left[s->emp_id];
}

sirecon_status
match_run(struct dataset *ds, const struct match_opts *o, const struct profile *pf,
          struct diag *d)
{
    struct mstate ms;
    size_t i;

    memset(&ms, 0, sizeof ms);
    ms.ds = ds;
    ms.o = o;
    ms.pf = pf;
    /* a file's codes fold once each, and its records take the folded copy
     * by their ordinal: no look at each record's code text */
    for (i = 0; i < ds->nfiles; i++)
        for (uint32_t k = 0; k < ds->files[i].nemp_codes; k++)
            ds->files[i].emp_codes[k] = block(ds, ds->files[i].emp_codes[k], o->branch_level);
    for (i = 0; i < ds->ntax; i++) {
        struct tax_rec *t = &ds->tax[i];
        if (t->emp_filed == NULL)
            t->emp_filed = t->emp;
        t->emp = emp_folded(ds, t->file, t->emp_id, t->emp, o->branch_level);
        t->status = ST_NOT_ENROLLED;
        t->reason = RS_NONE;
        t->rule = RULE_NONE;
        t->other_si = 0;
    }
    for (i = 0; i < ds->nsi; i++) {
        struct si_rec *s = &ds->si[i];
        if (s->emp_filed == NULL)
            s->emp_filed = s->emp;
        s->emp = emp_folded(ds, s->file, s->emp_id, s->emp, o->branch_level);
    }
    for (i = 0; i < ds->nemps; i++)
        ds->emps[i].emp = block(ds, ds->emps[i].emp, o->branch_level);
    /* The canonical order is sorted on the second core while the index is
     * built: the sort reads only record content, the index writes only
     * person and emp_id. */
    ms.order = xmalloc((ds->ntax ? ds->ntax : 1) * sizeof *ms.order);
    ms.rank = xmalloc((ds->ntax ? ds->ntax : 1) * sizeof *ms.rank);
    pthread_t th;
    bool threaded = pthread_create(&th, NULL, sort_job, &ms) == 0;
    uint32_t *head_of = xmalloc((ds->ntax ? ds->ntax : 1) * sizeof *head_of);
    index_build_heads(&ms.ix, ds, head_of);
    if (threaded)
        pthread_join(th, NULL);
    else
        sort_job(&ms);
    for (i = 0; i < ds->ntax; i++) {
        struct tax_rec *t = &ds->tax[i];
        if (t->duplicate)
            ds->files[t->file].duplicate++;
        /* for the roll-up's finding (NO_SI_REGISTRATION or not) */
        t->emp_has_si = t->emp_id < ms.ix.nemp_ids && ms.ix.emps[t->emp_id].si_head != CHAIN_END;
    }
    if (o->trace != NULL) {
        struct match_trace *tr = o->trace;
        free(tr->want);
        tr->want = xcalloc(ds->ntax ? ds->ntax : 1, 1);
        tr->nnotes = 0;
        if (tr->select)
            tr->select(tr->ctx, ds, tr->want);
        size_t kept = SIZE_MAX;
        for (i = 0; i < ds->ntax; i++) {
            const struct tax_rec *t = &ds->tax[ms.order[i]];
            if (!t->duplicate)
                kept = ms.order[i];
            else if (traced(&ms, t) && kept != SIZE_MAX) {
                note(&ms, t, MN_DUPLICATE, UINT32_MAX, 0, 0, 0, 0, 0);
                tr->notes[tr->nnotes - 1].other = (uint32_t)kept;
            }
        }
    }
    free(ms.order); /* the rank is what the rules read from here on */
    ms.order = NULL;
    bool any_unread = false; /* most runs: no file has an unread ID column */
    for (i = 0; i < ds->nfiles; i++)
        any_unread |= ds->files[i].nunread != 0;
    for (i = 0; any_unread && i < ds->nsi; i++) {
        const struct si_rec *s = &ds->si[i];
        if (ds->files[s->file].nunread == 0 || s->emp_id >= ms.ix.nemp_ids)
            continue;
        if (ms.emp_unread == NULL)
            ms.emp_unread = xcalloc(ms.ix.nemp_ids, 1);
        ms.emp_unread[s->emp_id] = 1;
    }

    /* R1, and the records it leaves for the name rules.  Rules that decide
     * one record from its own data visit the records in memory order: in
     * the canonical order a national file (rows in random employer order)
     * costs a cache miss per record. */
    size_t *left = NULL, nleft = 0, capleft = 0;
    for (i = 0; i < ds->ntax; i++) {
        struct tax_rec *t = &ds->tax[i];
        uint32_t h = head_of[i];
        head_of[i] = CHAIN_END;
        if (t->duplicate)
            continue;
        if (h == CHAIN_END) {
            left = xgrow(left, &capleft, nleft + 1, sizeof *left);
            left[nleft++] = i;
        }
        if (h != CHAIN_END) {
            t->rule = RULE_R1_ID;
            t->confidence = 'A';
            head_of[i] = h;
            for (uint32_t j = h; j != CHAIN_END; j = ms.ix.next_ep[j]) {
                ds->si[j].matched = true;
                if (traced(&ms, t))
                    note(&ms, t, MN_R1_HIT, j, 0, 0, 0, 0, 0);
            }
        } else if (traced(&ms, t)) {
            int32_t n = 0;
            for (uint32_t j = index_emp_si_by_id(&ms.ix, t->emp_id); j != CHAIN_END;
                 j = ms.ix.next_emp[j])
                n++;
            note(&ms, t, MN_R1_MISS, UINT32_MAX, n, t->person != PERSON_NONE, 0, 0, 0);
        }
    }
    /* R2/R3 per employer block (records are sorted by employer) */
    uint32_t *ent_next = NULL;
    size_t ent_next_cap = 0, capents = 0;
    struct entity *ents = NULL;
    uint32_t *name_head = xmalloc((ds->ntax ? ds->ntax : 1) * sizeof *name_head);
    for (i = 0; i < ds->ntax; i++)
        name_head[i] = CHAIN_END;
    if (ds->nsi > 0) {
        ent_next = xmalloc(ds->nsi * sizeof *ent_next);
        ent_next_cap = ds->nsi;
    }
    /* what R1 left, in canonical order: an employer's records are together.
     * The ranks are a permutation of 0..ntax-1, so the records are placed
     * at their rank and read back in order, where a sort compared ranks
     * through the rank array, a cache miss a look (5 s for 8.5 M records
     * left at 20 M + 18 M rows) */
    if (nleft > 1) { /* left is NULL when R1 matched everything */
        uint32_t *at_rank = xmalloc(ds->ntax * sizeof *at_rank);
        memset(at_rank, 0xff, ds->ntax * sizeof *at_rank);
        for (i = 0; i < nleft; i++)
            at_rank[ms.rank[left[i]]] = (uint32_t)left[i];
        size_t k = 0;
        for (i = 0; i < ds->ntax; i++)
            if (at_rank[i] != UINT32_MAX)
                left[k++] = at_rank[i];
        free(at_rank);
    }
    /* The SI records the name rules look at: unclaimed by R1, at an
     * employer with a tax record left, counted per employer and then placed
     * by employer in record order (the order of its chain): one read of the
     * SI records in memory order, where walking every such employer's chain
     * cost a cache miss a record, over nearly all SI records at 10 M rows.
     * Employer e's records end up at un_si[un_at[e] .. un_at[e + 1]). */
    size_t nemp = ms.ix.nemp_ids;
    uint8_t *emp_left = xcalloc(nemp ? nemp : 1, 1);
    uint32_t *un_at = xcalloc(nemp + 2, sizeof *un_at);
    for (i = 0; i < nleft; i++)
        if (ds->tax[left[i]].emp_id < nemp)
            emp_left[ds->tax[left[i]].emp_id] = 1;
    for (i = 0; i < ds->nsi; i++)
        if (for_name_rules(&ds->si[i], emp_left, nemp))
            un_at[ds->si[i].emp_id + 2]++;
    for (size_t e = 2; e < nemp + 2; e++)
        un_at[e] += un_at[e - 1];
    uint32_t *un_si = xmalloc((un_at[nemp + 1] ? un_at[nemp + 1] : 1) * sizeof *un_si);
    for (i = 0; i < ds->nsi; i++)
        if (for_name_rules(&ds->si[i], emp_left, nemp))
            un_si[un_at[ds->si[i].emp_id + 1]++] = (uint32_t)i;
    free(emp_left);
    for (i = 0; i < nleft;) {
        uint32_t emp_id = ds->tax[left[i]].emp_id; /* one per block code */
        size_t j = i + 1;
        while (j < nleft && ds->tax[left[j]].emp_id == emp_id)
            j++;
        size_t lo = emp_id < nemp ? un_at[emp_id] : 0;
        size_t hi = emp_id < nemp ? un_at[emp_id + 1] : 0;
        name_rules(&ms, un_si + lo, hi - lo, left + i, j - i, &ent_next, &ent_next_cap, &ents,
                   &capents, name_head);
        i = j;
    }
    free(un_at);
    free(un_si);
    free(left);
    /* statuses: each record from its own chain, read-only on everything
     * else, so the records are split over both cores (one when tracing:
     * the notes are one list) */
    struct status_job jobs[2] = {
        {&ms, head_of, name_head, ent_next, 0, ds->ntax / 2},
        {&ms, head_of, name_head, ent_next, ds->ntax / 2, ds->ntax},
    };
    if (o->trace == NULL && ds->ntax >= 2 * STATUS_MIN_SPLIT &&
        pthread_create(&th, NULL, status_job, &jobs[1]) == 0) {
        status_job(&jobs[0]);
        pthread_join(th, NULL);
    } else {
        jobs[0].end = ds->ntax;
        status_job(&jobs[0]);
    }
    free(head_of);
    free(name_head);
    free(ent_next);
    free(ents);
    free(ms.order);
    free(ms.rank);
    free(ms.emp_unread);
    /* each employer's registry row, for the roll-up, the notices and the
     * workbook: the index found it once (the first row of the code) */
    free(ds->emp_registry);
    ds->nemp_registry = ms.ix.nemp_ids;
    ds->emp_registry = xmalloc((ds->nemp_registry ? ds->nemp_registry : 1) *
                               sizeof *ds->emp_registry);
    for (size_t k = 0; k < ds->nemp_registry; k++)
        ds->emp_registry[k] = ms.ix.emps[k].registry;
    index_free(&ms.ix);
    (void)d;
    return SIRECON_OK;
}
