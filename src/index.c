/*
 * index.c - person clusters, employer numbers and SI chains (see index.h).
 *
 * Persons: records hold their identifiers as 64-bit keys (ids_key: kind,
 * length and the characters as a number), so "0341..." and "341..." never
 * collide and nothing is parsed here.  Every
 * (key, record) pair of the tax, SI and crosswalk records, one kind at a
 * time, is bucketed by the key's low digit and each bucket radix-sorted in
 * the cache (struct buckets), and the records of each run of equal keys are
 * joined in a union-find over record numbers (path halving; a cluster's id
 * is its smallest record number, whatever the order of the joins).
 * Sorting walks memory in order, where a hash of a million identifiers
 * missed the cache three or four times a lookup (measured: 0.38 s -> 0.05 s
 * for 1.1 M identifiers).
 *
 * Employers: codes packed into 64-bit keys and radix-sorted with their
 * records, numbered in code order (a run is one employer).  SI chains: by
 * employer and by person, heads in arrays indexed by employer number and
 * by person (a record number); by (employer, person), the sorted 64-bit
 * pairs (bucketed by employer number, then radix-sorted per bucket) with a
 * binary search.  No hash table and no string compare
 * on the way: on a national run (1 M tax + 1.45 M SI rows in random
 * employer order) the uthash tables cost 3.5 s of cache misses and
 * strcmp/strlen; this costs well under a second.
 */
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include <string.h>
#include "sirecon/index.h"
#include "sirecon/common.h"

#include <stdlib.h>

static uint32_t
find(struct index *ix, uint32_t x)
{
    while (ix->parent[x] != x) {
        ix->parent[x] = ix->parent[ix->parent[x]];
        x = ix->parent[x];
    }
    return x;
}

static void
unite(struct index *ix, uint32_t a, uint32_t b)
{
    a = find(ix, a);
    b = find(ix, b);
    if (a < b)
        ix->parent[b] = a;
    else if (b < a)
        ix->parent[a] = b;
}

#define id_entry index_entry

/* LSD radix sort by key, 11 bits a pass (six digits); every digit's counts
 * come from one read of the entries, and digits where every key is the same
 * are skipped (the kind/length bits mostly): a 12-digit personal ID key
 * takes four passes, each a read and a scattered write of the entries. */
#define RADIX_BITS 11
#define RADIX_DIGITS ((64 + RADIX_BITS - 1) / RADIX_BITS)
#define RADIX_SIZE (1u << RADIX_BITS)

/* LSD radix sort of a[0..n) with a buffer of n entries (NULL: one is
 * made here). */
static void
radix_sort(struct id_entry *a, size_t n, struct id_entry *tmp)
{
    size_t (*cnt)[RADIX_SIZE] = xcalloc(RADIX_DIGITS, sizeof *cnt);
    struct id_entry *own = tmp ? NULL : xmalloc((n ? n : 1) * sizeof *own);
    struct id_entry *src = a, *dst = tmp ? tmp : own;

    for (size_t i = 0; i < n; i++) {
        uint64_t k = src[i].key;
        for (int d = 0; d < RADIX_DIGITS; d++)
            cnt[d][(k >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
    }
    for (int d = 0; d < RADIX_DIGITS && n > 0; d++) {
        int shift = d * RADIX_BITS;
        size_t *c = cnt[d], sum = 0;
        if (c[(src[0].key >> shift) & (RADIX_SIZE - 1)] == n)
            continue;
        for (unsigned b = 0; b < RADIX_SIZE; b++) {
            size_t x = c[b];
            c[b] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].key >> shift) & (RADIX_SIZE - 1)]++] = src[i];
        struct id_entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(own);
    free(cnt);
}

/* Buckets: entries written straight from the records into RADIX_SIZE
 * buckets by one digit (counted first, then scattered in record order),
 * each bucket then sorted by key on its own.  A bucket fits in the cache,
 * so its passes cost little, and the whole takes one array of the entries
 * plus a buffer of the largest bucket, where one radix sort of everything
 * takes two arrays of the entries (at 10 M tax + 14.5 M SI rows, 390 MB
 * less at the peak of a run).  Stable: equal keys keep record order. */
/* The low digit of a key: an identifier's or a code's last characters,
 * spread evenly over the buckets. */
#define LOW_DIGIT(k) ((unsigned)((k) & (RADIX_SIZE - 1)))

struct buckets {
    struct id_entry *e;
    size_t start[RADIX_SIZE + 1]; /* bucket b is e[start[b] .. start[b + 1]) */
    size_t pos[RADIX_SIZE];       /* the scatter's next slot per bucket */
};

/* Bucket starts from counts (pos[b] = count of bucket b on entry); returns
 * the largest bucket. */
static size_t
buckets_start(struct buckets *b)
{
    size_t sum = 0, big = 0;

    for (unsigned i = 0; i < RADIX_SIZE; i++) {
        size_t x = b->pos[i];
        b->start[i] = b->pos[i] = sum;
        sum += x;
        if (x > big)
            big = x;
    }
    b->start[RADIX_SIZE] = sum;
    return big;
}

static inline void
buckets_put(struct buckets *b, unsigned bucket, uint64_t key, uint32_t owner)
{
    struct id_entry *x = &b->e[b->pos[bucket]++];

    x->key = key;
    x->owner = owner;
}

/* LSD radix sort of one bucket (a few hundred to a few thousand entries):
 * 8 bits a pass, and only over the digits where its keys differ.  The keys
 * of a bucket share their kind, length and low digit, so a 12-digit ID
 * takes four or five passes; each pass clears 256 counts, where
 * radix_sort's six digits of 2048 would clear 96 KiB per bucket, more than
 * the bucket's entries (measured: the clearing was a tenth of a national
 * run's instructions).  Stable, as radix_sort. */
static void
radix_bucket(struct id_entry *a, size_t n, struct id_entry *tmp)
{
    struct id_entry *src = a, *dst = tmp;
    uint64_t diff = 0, k0 = a[0].key;
    size_t cnt[256];

    for (size_t i = 1; i < n; i++)
        diff |= a[i].key ^ k0;
    for (int shift = 0; shift < 64; shift += 8) {
        if (((diff >> shift) & 0xff) == 0)
            continue;
        memset(cnt, 0, sizeof cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i].key >> shift) & 0xff]++;
        for (size_t b = 0, sum = 0; b < 256; b++) {
            size_t x = cnt[b];
            cnt[b] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i].key >> shift) & 0xff]++] = src[i];
        struct id_entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* Sort every bucket by key (tmp: the largest bucket's size); a few entries
 * by insertion, which is stable too. */
static void
buckets_sort(struct buckets *b, struct id_entry *tmp)
{
    for (unsigned i = 0; i < RADIX_SIZE; i++) {
        struct id_entry *a = b->e + b->start[i];
        size_t n = b->start[i + 1] - b->start[i];
        if (n > 48) {
            radix_bucket(a, n, tmp);
            continue;
        }
        for (size_t j = 1; j < n; j++) {
            struct id_entry x = a[j];
            size_t q = j;
            for (; q > 0 && a[q - 1].key > x.key; q--)
                a[q] = a[q - 1];
            a[q] = x;
        }
    }
}

/* The identifiers of record number owner (tax, then SI, then crosswalk). */
static const struct person_ids *
owner_ids(const struct dataset *ds, uint32_t owner)
{
    if (owner < ds->ntax)
        return &ds->tax[owner].ids;
    owner -= (uint32_t)ds->ntax;
    if (owner < ds->nsi)
        return &ds->si[owner].ids;
    return &ds->idents[owner - ds->nsi].ids;
}

/* Whether the records of one run, sharing an identifier that is not a
 * personal ID, carry two different personal IDs: the 12-digit personal ID
 * is the one authoritative number, so a tax code, SI number or CMND that
 * two of them share joins nobody.  A shared personal ID always joins. */
static bool
run_conflicts(const struct dataset *ds, const struct id_entry *run, size_t n)
{
    uint64_t seen = 0;

    if ((id_kind)(run[0].key >> 61) == IDK_PERSONAL)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = ids_get(owner_ids(ds, run[i].owner), IDK_PERSONAL);
        if (v == 0)
            continue;
        if (seen == 0)
            seen = v;
        else if (seen != v)
            return true;
    }
    return false;
}

/* Person clusters over all records (see the file comment), one kind of
 * identifier at a time (equal keys of two kinds never join).  The entries
 * of a kind are bucketed by their low digit, so a bucket holds whole runs
 * of equal keys and its sort brings them together; the order between
 * buckets means nothing here, only the runs. */
static void
cluster(struct index *ix, struct dataset *ds)
{
    size_t nown = ds->ntax + ds->nsi + ds->nidents, i, nmax = 0, big = 0;
    uint32_t si0 = (uint32_t)ds->ntax;
    size_t (*cnt)[RADIX_SIZE] = xcalloc(IDK_COUNT, sizeof *cnt);
    struct buckets b;

    ix->parent = xmalloc((nown ? nown : 1) * sizeof *ix->parent);
    ix->nnodes = ix->capnodes = nown;
    for (i = 0; i < nown; i++)
        ix->parent[i] = (uint32_t)i;
    /* one read of every record's identifiers: the buckets of every kind */
    for (i = 0; i < nown; i++) {
        uint64_t keys[IDK_COUNT];
        int nk = ids_list(owner_ids(ds, (uint32_t)i), keys);
        for (int j = 0; j < nk; j++)
            cnt[ids_key_kind(keys[j])][LOW_DIGIT(keys[j])]++;
    }
    for (int k = 0; k < IDK_COUNT; k++) {
        size_t n = 0;
        for (unsigned d = 0; d < RADIX_SIZE; d++) {
            n += cnt[k][d];
            if (cnt[k][d] > big)
                big = cnt[k][d];
        }
        if (n > nmax)
            nmax = n;
    }
    b.e = xmalloc((nmax ? nmax : 1) * sizeof *b.e);
    struct id_entry *tmp = xmalloc((big ? big : 1) * sizeof *tmp);
    for (int k = 0; k < IDK_COUNT; k++) {
        memcpy(b.pos, cnt[k], sizeof b.pos);
        buckets_start(&b);
        if (b.start[RADIX_SIZE] < 2)
            continue;
        for (i = 0; i < nown; i++) {
            uint64_t key = ids_get(owner_ids(ds, (uint32_t)i), (id_kind)k);
            if (key != 0)
                buckets_put(&b, LOW_DIGIT(key), key, (uint32_t)i);
        }
        buckets_sort(&b, tmp);
        size_t n = b.start[RADIX_SIZE];
        struct id_entry *e = b.e;
        for (i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && e[j].key == e[i].key)
                j++;
            /* an identifier shared by records that disagree on another one
             * (the employer's own code typed in every employee's tax-code
             * cell, a made-up ID) says nothing about who is who: no join */
            if (j - i > 1 && !run_conflicts(ds, e + i, j - i))
                for (size_t q = i + 1; q < j; q++)
                    unite(ix, e[i].owner, e[q].owner);
            i = j;
        }
    }
    free(b.e);
    free(tmp);
    free(cnt);
    for (i = 0; i < ds->ntax; i++)
        ds->tax[i].person = ids_any(&ds->tax[i].ids) ? find(ix, (uint32_t)i) : PERSON_NONE;
    for (i = 0; i < ds->nsi; i++)
        ds->si[i].person = ids_any(&ds->si[i].ids) ? find(ix, si0 + (uint32_t)i)
                                                   : PERSON_NONE;
    free(ix->parent); /* persons are set: the forest is done with */
    ix->parent = NULL;
}

/* The (employer number << 32 | person) pairs of records 0..nrec that have
 * both (pair() says which), sorted by pair, equal pairs in record order:
 * bucketed by the top digit of the employer number (nemp employers), so
 * the buckets in order are sorted too.  *n receives their number. */
typedef bool (*pair_fn)(const void *ctx, size_t i, uint64_t *pair);

static struct id_entry *
sorted_pairs(size_t nrec, size_t nemp, pair_fn pair, const void *ctx, size_t *n)
{
    struct buckets b;
    unsigned shift = 0;
    uint64_t key;
    size_t i;

    while (nemp > 0 && ((nemp - 1) >> shift) >= RADIX_SIZE)
        shift++;
    memset(b.pos, 0, sizeof b.pos);
    for (i = 0; i < nrec; i++)
        if (pair(ctx, i, &key))
            b.pos[(key >> 32) >> shift]++;
    size_t big = buckets_start(&b);
    *n = b.start[RADIX_SIZE];
    b.e = xmalloc((*n ? *n : 1) * sizeof *b.e);
    for (i = 0; i < nrec; i++)
        if (pair(ctx, i, &key))
            buckets_put(&b, (unsigned)((key >> 32) >> shift), key, (uint32_t)i);
    struct id_entry *tmp = xmalloc((big ? big : 1) * sizeof *tmp);
    buckets_sort(&b, tmp);
    free(tmp);
    return b.e;
}

static bool
si_pair(const void *ctx, size_t i, uint64_t *pair)
{
    const struct si_rec *s = &((const struct dataset *)ctx)->si[i];

    *pair = ((uint64_t)s->emp_id << 32) | s->person;
    return s->emp_id != UINT32_MAX && s->person != PERSON_NONE;
}

/* ctx: the index and the dataset */
struct tax_pairs {
    const struct index *ix;
    const struct dataset *ds;
};

static bool
tax_pair(const void *ctx, size_t i, uint64_t *pair)
{
    const struct tax_pairs *tp = ctx;
    const struct tax_rec *t = &tp->ds->tax[i];

    *pair = ((uint64_t)t->emp_id << 32) | t->person;
    return t->person != PERSON_NONE && t->emp_id < tp->ix->nemp_ids;
}

/* An employer code packed for sorting: up to 15 digits as a number under
 * its length (so "0100233488" and "100233488" differ); anything else is
 * EMP_UNPACKED and sorts by its text after every packed code. */
#define EMP_UNPACKED UINT64_MAX

uint64_t
index_pack_emp(const char *code)
{
    uint64_t x = 0;
    size_t n = 0;

    for (; code[n]; n++) {
        if (code[n] < '0' || code[n] > '9' || n >= 15)
            return EMP_UNPACKED;
        x = x * 10 + (uint64_t)(code[n] - '0');
    }
    return n == 0 ? EMP_UNPACKED : ((uint64_t)n << 56) | x;
}

/* The code callback of index_sort_codes and its context (qsort_r's). */
struct code_of {
    index_code_fn code;
    const void *ctx;
};

static int
cmp_unpacked(const void *pa, const void *pb, void *arg)
{
    const struct code_of *co = arg;
    const struct id_entry *a = pa, *b = pb;
    int c = strcmp(co->code(co->ctx, a->owner), co->code(co->ctx, b->owner));

    return c ? c : a->owner < b->owner ? -1 : a->owner > b->owner;
}

/* Entries from e[from] on sorted by key end in the codes that do not pack
 * (EMP_UNPACKED, the largest key): those put in order of their text. */
static void
sort_unpacked(struct index_entry *e, size_t n, size_t from, index_code_fn code,
              const void *ctx)
{
    size_t unp = n;

    while (unp > from && e[unp - 1].key == EMP_UNPACKED)
        unp--;
    struct code_of co = {code, ctx};
    if (n - unp > 1)
        qsort_r(e + unp, n - unp, sizeof *e, cmp_unpacked, &co);
}

void
index_sort_codes(struct index_entry *e, size_t n, struct index_entry *tmp,
                 index_code_fn code, const void *ctx)
{
    for (size_t i = 0; i < n; i++)
        e[i].key = index_pack_emp(code(ctx, e[i].owner));
    radix_sort(e, n, tmp);
    sort_unpacked(e, n, 0, code, ctx);
}

void
index_group_codes(struct index_entry *e, size_t n, index_code_fn code, const void *ctx)
{
    struct buckets b;
    size_t big = 0;

    memset(b.pos, 0, sizeof b.pos);
    for (size_t i = 0; i < n; i++) {
        e[i].key = index_pack_emp(code(ctx, e[i].owner));
        b.pos[LOW_DIGIT(e[i].key)]++;
    }
    for (unsigned d = 0; d < RADIX_SIZE; d++)
        if (b.pos[d] > big)
            big = b.pos[d];
    buckets_start(&b);
    /* in place (American flag): every swap puts one entry in its bucket */
    b.e = e;
    for (unsigned d = 0; d < RADIX_SIZE; d++)
        while (b.pos[d] < b.start[d + 1]) {
            unsigned to = LOW_DIGIT(e[b.pos[d]].key);
            if (to == d) {
                b.pos[d]++;
                continue;
            }
            struct id_entry x = e[b.pos[to]];
            e[b.pos[to]++] = e[b.pos[d]];
            e[b.pos[d]] = x;
        }
    struct id_entry *tmp = xmalloc((big ? big : 1) * sizeof *tmp);
    buckets_sort(&b, tmp);
    free(tmp);
    /* codes that do not pack close the last bucket (the largest key) */
    sort_unpacked(e, n, b.start[RADIX_SIZE - 1], code, ctx);
}

const char *
index_tax_emp(const void *ds, uint32_t i)
{
    return ((const struct dataset *)ds)->tax[i].emp;
}

size_t
index_code_run(const struct index_entry *e, size_t n, size_t i, index_code_fn code,
               const void *ctx)
{
    const char *first = code(ctx, e[i].owner);
    size_t j = i + 1;

    while (j < n && e[j].key == e[i].key &&
           (e[i].key != EMP_UNPACKED || strcmp(code(ctx, e[j].owner), first) == 0))
        j++;
    return j;
}

/* Number the employers in code order.  The entries are the registry rows,
 * each file's distinct codes (input_file.emp_codes, which its records name
 * by ordinal in emp_id) and the records that hold no ordinal (not loaded
 * by load.c, or an SI record whose employer came from its unit code), as
 * (packed code, entry) radix-sorted; a run of one code is one employer.
 * Sets tax[].emp_id and si[].emp_id (UINT32_MAX for an SI record without an
 * employer) and drops the files' ordinal tables; the registry row of an
 * employer is its first row in the registry.  A national run sorts about a
 * million codes this way instead of reading every record's code text (one
 * cache miss per record: 2.3 s at 10 M rows). */
/* The code callback over number_employers' entries (ctx: their codes). */
static const char *
ref_code(const void *ctx, uint32_t ref)
{
    return ((const char *const *)ctx)[ref];
}

static bool
has_ord(const struct dataset *ds, uint32_t file, uint32_t ord)
{
    return file < ds->nfiles && ord < ds->files[file].nemp_codes;
}

static void
number_employers(struct index *ix, struct dataset *ds)
{
    size_t i, nf = 0, nr = 0, k = 0;
    size_t *fbase = xmalloc((ds->nfiles ? ds->nfiles : 1) * sizeof *fbase);

    for (i = 0; i < ds->nfiles; i++) {
        fbase[i] = nf;
        nf += ds->files[i].nemp_codes;
    }
    /* the file codes some record names (a code interned for a row that was
     * then rejected or skipped makes no employer), and the records that
     * name none */
    uint32_t *fref = xmalloc((nf ? nf : 1) * sizeof *fref);
    for (i = 0; i < nf; i++)
        fref[i] = UINT32_MAX;
    for (i = 0; i < ds->ntax; i++) {
        const struct tax_rec *t = &ds->tax[i];
        if (has_ord(ds, t->file, t->emp_id))
            fref[fbase[t->file] + t->emp_id] = 0;
        else
            nr++;
    }
    for (i = 0; i < ds->nsi; i++) {
        const struct si_rec *s = &ds->si[i];
        if (s->emp == NULL)
            continue;
        if (has_ord(ds, s->file, s->emp_id))
            fref[fbase[s->file] + s->emp_id] = 0;
        else
            nr++;
    }
    size_t nref = ds->nemps + nf + nr; /* at most */
    const char **code = xmalloc((nref ? nref : 1) * sizeof *code);
    uint32_t *rec = xmalloc((nr ? nr : 1) * sizeof *rec);

    for (i = 0; i < ds->nemps; i++)
        code[k++] = ds->emps[i].emp;
    for (i = 0; i < ds->nfiles; i++)
        for (uint32_t o = 0; o < ds->files[i].nemp_codes; o++)
            if (fref[fbase[i] + o] == 0) {
                fref[fbase[i] + o] = (uint32_t)k;
                code[k++] = ds->files[i].emp_codes[o];
            }
    size_t rec0 = k;
    nr = 0;
    for (i = 0; i < ds->ntax; i++)
        if (!has_ord(ds, ds->tax[i].file, ds->tax[i].emp_id)) {
            rec[nr++] = (uint32_t)i;
            code[k++] = ds->tax[i].emp;
        }
    for (i = 0; i < ds->nsi; i++)
        if (ds->si[i].emp != NULL && !has_ord(ds, ds->si[i].file, ds->si[i].emp_id)) {
            rec[nr++] = (uint32_t)(ds->ntax + i);
            code[k++] = ds->si[i].emp;
        }
    nref = k;
    struct id_entry *e = xmalloc((nref ? nref : 1) * 2 * sizeof *e);
    uint32_t *id_of = xmalloc((nref ? nref : 1) * sizeof *id_of);
    for (i = 0; i < nref; i++)
        e[i].owner = (uint32_t)i;
    index_sort_codes(e, nref, e + nref, ref_code, code);
    size_t cap = 0;
    for (i = 0; i < nref;) {
        size_t j = index_code_run(e, nref, i, ref_code, code);
        uint32_t id = (uint32_t)ix->nemp_ids;
        ix->emps = xgrow(ix->emps, &cap, ix->nemp_ids + 1, sizeof *ix->emps);
        ix->emps[id].key = e[i].key;
        ix->emps[id].code = code[e[i].owner];
        ix->emps[id].registry = e[i].owner < ds->nemps ? (int)e[i].owner : -1;
        ix->emps[id].si_head = CHAIN_END;
        ix->nemp_ids++;
        for (size_t q = i; q < j; q++)
            id_of[e[q].owner] = id;
        i = j;
    }
    for (i = 0; i < ds->ntax; i++) {
        struct tax_rec *t = &ds->tax[i];
        if (has_ord(ds, t->file, t->emp_id))
            t->emp_id = id_of[fref[fbase[t->file] + t->emp_id]];
    }
    for (i = 0; i < ds->nsi; i++) {
        struct si_rec *s = &ds->si[i];
        if (s->emp == NULL)
            s->emp_id = UINT32_MAX;
        else if (has_ord(ds, s->file, s->emp_id))
            s->emp_id = id_of[fref[fbase[s->file] + s->emp_id]];
    }
    for (i = 0; i < nr; i++) {
        uint32_t id = id_of[rec0 + i];
        if (rec[i] < ds->ntax)
            ds->tax[rec[i]].emp_id = id;
        else
            ds->si[rec[i] - ds->ntax].emp_id = id;
    }
    for (i = 0; i < ds->nfiles; i++)
        ds->files[i].nemp_codes = 0; /* emp_id is the employer's number now */
    free(fbase);
    free(fref);
    free(code);
    free(rec);
    free(e);
    free(id_of);
}

/* Binary search of an (employer number, person) pair. */
static uint32_t
ep_find(const struct index *ix, uint64_t k)
{
    size_t lo = 0, hi = ix->nep;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->ep[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nep && ix->ep[lo].key == k ? ix->ep[lo].owner : CHAIN_END;
}

void
index_build_heads(struct index *ix, struct dataset *ds, uint32_t *heads)
{
    size_t i, n;

    memset(ix, 0, sizeof *ix);
    cluster(ix, ds);
    number_employers(ix, ds);

    /* (employer, person) chains: runs of equal keys, the sort being stable
     * keeps each run in record order; the pairs' array then holds one
     * entry a run, its head (written over the runs already read) */
    ix->next_ep = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_ep);
    for (i = 0; i < ds->nsi; i++)
        ix->next_ep[i] = CHAIN_END;
    ix->ep = sorted_pairs(ds->nsi, ix->nemp_ids, si_pair, ds, &n);
    for (i = 0; i < n;) {
        size_t j = i + 1;
        for (; j < n && ix->ep[j].key == ix->ep[i].key; j++)
            ix->next_ep[ix->ep[j - 1].owner] = ix->ep[j].owner;
        ix->ep[ix->nep++] = ix->ep[i];
        i = j;
    }
    ix->ep = xrealloc(ix->ep, (ix->nep ? ix->nep : 1) * sizeof *ix->ep);
    /* the tax records' heads now, before the chains below are made: the
     * tax pairs' sort and the chains are not held at once (the run's peak
     * is here, at 1 M rows) */
    if (heads != NULL)
        index_emp_person_heads(ix, ds, heads);

    /* chains by employer and by person: heads in arrays indexed by
     * employer number and by person (a record number), the records taken
     * last to first and each put at the front of its chains, so a chain is
     * in record order without an array of tails */
    ix->next_emp = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_emp);
    ix->next_p = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_p);
    ix->p_head = xmalloc((ix->nnodes ? ix->nnodes : 1) * sizeof *ix->p_head);
    for (i = 0; i < ix->nnodes; i++)
        ix->p_head[i] = CHAIN_END;
    for (i = ds->nsi; i-- > 0;) {
        const struct si_rec *s = &ds->si[i];
        ix->next_emp[i] = ix->next_p[i] = CHAIN_END;
        if (s->emp_id == UINT32_MAX)
            continue;
        ix->next_emp[i] = ix->emps[s->emp_id].si_head;
        ix->emps[s->emp_id].si_head = (uint32_t)i;
        if (s->person == PERSON_NONE)
            continue;
        ix->next_p[i] = ix->p_head[s->person];
        ix->p_head[s->person] = (uint32_t)i;
    }
}

void
index_build(struct index *ix, struct dataset *ds)
{
    index_build_heads(ix, ds, NULL);
}

void
index_free(struct index *ix)
{
    free(ix->parent);
    free(ix->emps);
    free(ix->p_head);
    free(ix->ep);
    free(ix->next_emp);
    free(ix->next_ep);
    free(ix->next_p);
    memset(ix, 0, sizeof *ix);
}

void
index_emp_person_heads(const struct index *ix, const struct dataset *ds, uint32_t *out)
{
    struct tax_pairs tp = {ix, ds};
    size_t n, j = 0;

    for (size_t i = 0; i < ds->ntax; i++)
        out[i] = CHAIN_END;
    struct id_entry *e = sorted_pairs(ds->ntax, ix->nemp_ids, tax_pair, &tp, &n);
    /* both sides sorted: one walk, in memory order */
    for (size_t i = 0; i < n; i++) {
        while (j < ix->nep && ix->ep[j].key < e[i].key)
            j++;
        if (j < ix->nep && ix->ep[j].key == e[i].key)
            out[e[i].owner] = ix->ep[j].owner;
    }
    free(e);
}

/* The number of an employer code, or UINT32_MAX. */
static uint32_t
emp_number(const struct index *ix, const char *emp)
{
    uint64_t k = index_pack_emp(emp);
    size_t lo = 0, hi = ix->nemp_ids;

    if (k == EMP_UNPACKED) {
        for (size_t i = 0; i < ix->nemp_ids; i++)
            if (ix->emps[i].key == EMP_UNPACKED && strcmp(ix->emps[i].code, emp) == 0)
                return (uint32_t)i;
        return UINT32_MAX;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->emps[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nemp_ids && ix->emps[lo].key == k ? (uint32_t)lo : UINT32_MAX;
}

uint32_t
index_emp_si(const struct index *ix, const char *emp, int *registry)
{
    uint32_t id = emp_number(ix, emp);

    if (registry)
        *registry = id != UINT32_MAX ? ix->emps[id].registry : -1;
    return id != UINT32_MAX ? ix->emps[id].si_head : CHAIN_END;
}

uint32_t
index_emp_si_by_id(const struct index *ix, uint32_t emp_id)
{
    return emp_id < ix->nemp_ids ? ix->emps[emp_id].si_head : CHAIN_END;
}

int
index_registry(const struct index *ix, const char *emp)
{
    int r;

    index_emp_si(ix, emp, &r);
    return r;
}

uint32_t
index_emp_person_si_by_id(const struct index *ix, uint32_t emp_id, uint32_t person)
{
    if (person == PERSON_NONE || emp_id >= ix->nemp_ids)
        return CHAIN_END;
    return ep_find(ix, ((uint64_t)emp_id << 32) | person);
}

uint32_t
index_emp_person_si(const struct index *ix, const char *emp, uint32_t person)
{
    uint32_t id = emp_number(ix, emp);

    return id != UINT32_MAX ? index_emp_person_si_by_id(ix, id, person) : CHAIN_END;
}

uint32_t
index_person_si(const struct index *ix, uint32_t person)
{
    if (person == PERSON_NONE || person >= ix->nnodes)
        return CHAIN_END;
    return ix->p_head[person];
}
