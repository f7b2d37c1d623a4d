/*
 * load.c - rows of one input file -> typed records (docs/inputs.md).
 *
 * The first HEADER_SCAN_ROWS rows are held back (copied) until the header
 * is found; then those after the header and every later row are classified
 * and converted as they stream out of libcsv.  Title-block values (employer
 * tax code, name, unit code, tax year, schedule) apply to rows that lack the
 * column.  Conversion uses the normalizers (ids, names, values); a value a
 * required field cannot do without rejects the row with a reason code and
 * the field's name, and never with the value of a personal ID.
 *
 * A file is read by one thread from front to back (run.c loads the tax and
 * SI files on two threads at once; one file is not split into chunks:
 * measured on the national bench, the two sides take 1.85 s and 2.05 s
 * each, so two threads are already busy for nearly the whole load).  Per
 * row the cost is memory, not arithmetic: rows come in random employer
 * order, so every lookup of a repeating cell (employer code and name, unit
 * code, the person's name) misses the cache.  Those lookups go through one
 * open-addressing table of cache-line buckets (tx_slot), asked for at the
 * start of the row (tx_prefetch) so their misses overlap.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sirecon/load.h"
#include "sirecon/names.h"
#include "sirecon/source.h"
#include "sirecon/table.h"
#include "sirecon/values.h"
#include "sirecon/xlsx.h"

#undef uthash_fatal
#define uthash_fatal(msg) ((void)xmalloc(SIZE_MAX))
#define uthash_malloc(sz) xmalloc(sz)
#include <uthash.h>

struct brow {
    struct cellref *cells;
    size_t n;
    long line;
    const char *error;
};

/*
 * One interned cell value (tx_slot), one cache line: the cell itself (up to
 * TX_INLINE bytes inline) and what it stands for, so a probe that finds its
 * value touches nothing else.  A national file's rows come in random
 * employer order and every lookup misses the cache; with a bucket holding
 * a pointer to an entry elsewhere each lookup missed twice.
 */
#define TX_INLINE 26
struct tx_bucket {
    uint64_t hash;            /* 0: empty */
    const void *val;          /* slots 0-2 and 4: the text (dataset arena);
                                 3: the normalized code, NULL when bad;
                                 5: the struct pname */
    const char *rawp;         /* the cell when longer than TX_INLINE (tmp arena) */
    uint32_t rawn;            /* the cell's length */
    uint32_t flags;           /* slot 3: ids_employer's flags */
    uint32_t ord;             /* slots 3 and 4: the code's ordinal in the file; slot 2: the plan code's */
    uint8_t slot;             /* 0 employer name, 1 unit code, 2 plan code,
                                 3 employer code cell, 4 normalized code,
                                 5 person's full name */
    bool bad;                 /* slot 3: not a usable code */
    char raw[TX_INLINE];      /* the cell when it fits */
};
_Static_assert(sizeof(struct tx_bucket) == 64, "a tx_bucket is one cache line");

struct lstate {
    struct dataset *ds;
    uint32_t fi;
    file_kind kind;
    const struct load_opts *o;
    const char *path;
    struct diag *d;
    sirecon_status fail;
    /* rows held back until the header is known */
    struct brow *rows; size_t nrows, caprows;
    arena tmp;
    bool have_header;
    struct header_map map;
    /* title-block values, normalized */
    const char *t_emp, *t_emp_name, *t_unit;
    uint32_t t_emp_ord;         /* t_emp's ordinal (intern_emp) */
    const char **codes;         /* the file's employer codes by ordinal */
    const char **plans;         /* the file's distinct plan codes, by ordinal */
    size_t nplans, capplans;
    uint64_t *code_keys;        /* by ordinal: the code's first 10 digits as a
                                   personal tax code key (own_code) */
    size_t ncodes, capcodes, capcode_keys;
    unsigned t_emp_flags;
    int t_year;
    bool after_total;           /* a totals row was seen since the last header */
    int section;                /* SI change report: the section the rows are in,
                                   CHANGE_* ("I. Tăng", "II. Giảm"), 0 none */
    /* tx_slot(): every distinct value of a repeating cell once per file,
     * in open addressing (linear probing, at most 3/4 full) */
    struct tx_bucket *texts;
    size_t ntexts, captexts;
    struct tx_bucket *last_tx[6]; /* the previous row's, per slot */
    struct tx_pre {             /* tx_prefetch(): a hash computed ahead */
        const char *s;
        size_t n;
        uint64_t hash;
    } pre[6];
    const uint32_t *line_map;   /* the source's line map (HTKK XML), or NULL */
    size_t nline_map;
};

static struct input_file *
file_of(struct lstate *st)
{
    return &st->ds->files[st->fi];
}

static struct cellref
cell(const struct lstate *st, const struct table_row *r, field_id f)
{
    struct cellref c = {"", 0};
    int col = st->map.col[f];

    if (col >= 0 && (size_t)col < r->ncells)
        c = r->cells[col];
    values_trim(&c.s, &c.n);
    return c;
}

static void
reject(struct lstate *st, long line, const char *reason, field_id f,
       const char *detail)
{
    dataset_add_reject(st->ds, st->fi, (uint32_t)line, reason,
                       f == F_COUNT ? "" : fields_name(f), detail);
}

/* Copy a display string (trimmed, NFC when not ASCII) into the arena. */
static const char *
text(struct lstate *st, struct cellref c)
{
    for (size_t i = 0; i < c.n; i++)
        if ((unsigned char)c.s[i] >= 0x80) {
            size_t n;
            char *nfc = names_nfc(c.s, c.n, &n);
            const char *r = arena_strndup(&st->ds->a, nfc, n);
            free(nfc);
            return r;
        }
    return arena_strndup(&st->ds->a, c.s, c.n);
}

/* A cell's hash: 8 bytes at a time, mixed as splitmix64 does; never 0
 * (an empty bucket). */
static uint64_t
tx_hash(struct cellref c, int slot)
{
    const char *p = c.s;
    size_t n = c.n;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)c.n << 8 | (uint64_t)slot), w;

    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h | 1;
}

/* Start loading the bucket tx_slot(st, c, slot) will probe first: asked for
 * together at the start of a row, the lookups' cache misses overlap
 * instead of following each other. */
static void
tx_prefetch(struct lstate *st, struct cellref c, int slot)
{
    uint64_t h = tx_hash(c, slot);

    st->pre[slot] = (struct tx_pre){c.s, c.n, h};
    if (st->captexts != 0)
        __builtin_prefetch(&st->texts[(size_t)(h >> 7) & (st->captexts - 1)]);
}

static bool
tx_is(const struct tx_bucket *b, uint64_t h, struct cellref c, int slot)
{
    return b->hash == h && b->slot == slot && b->rawn == c.n &&
           memcmp(b->rawp ? b->rawp : b->raw, c.s, c.n) == 0;
}

static void
tx_grow(struct lstate *st)
{
    size_t cap = st->captexts ? 2 * st->captexts : 1024;
    struct tx_bucket *t = xcalloc_lines(cap, sizeof *t);

    for (size_t i = 0; i < st->captexts; i++) {
        if (st->texts[i].hash == 0)
            continue;
        size_t j = (size_t)(st->texts[i].hash >> 7) & (cap - 1);
        while (t[j].hash != 0)
            j = (j + 1) & (cap - 1);
        t[j] = st->texts[i];
    }
    free(st->texts);
    st->texts = t;
    st->captexts = cap;
    memset(st->last_tx, 0, sizeof st->last_tx); /* they pointed into the old table */
}

/* The interned bucket of a cell whose values repeat down the file in any
 * order (employer code cell, employer name, unit code, plan code, the
 * normalized employer code, and the person's name): one per distinct
 * (slot, cell) per file, the previous row's checked first.  *fresh: just
 * made, its val (and flags, bad) are the caller's to fill.  The bucket is
 * valid until the next tx_slot call. */
static struct tx_bucket *
tx_slot(struct lstate *st, struct cellref c, int slot, bool *fresh)
{
    struct tx_bucket *prev = st->last_tx[slot], *b;
    uint64_t h;
    size_t i, mask;

    *fresh = false;
    if (prev != NULL && prev->rawn == c.n &&
        memcmp(prev->rawp ? prev->rawp : prev->raw, c.s, c.n) == 0)
        return prev;
    h = st->pre[slot].s == c.s && st->pre[slot].n == c.n ? st->pre[slot].hash
                                                          : tx_hash(c, slot);
    if (4 * (st->ntexts + 1) > 3 * st->captexts)
        tx_grow(st);
    mask = st->captexts - 1;
    for (i = (size_t)(h >> 7) & mask; st->texts[i].hash != 0; i = (i + 1) & mask)
        if (tx_is(&st->texts[i], h, c, slot))
            return st->last_tx[slot] = &st->texts[i];
    b = &st->texts[i];
    b->hash = h;
    b->slot = (uint8_t)slot;
    b->rawn = (uint32_t)c.n;
    if (c.n <= TX_INLINE)
        memcpy(b->raw, c.s, c.n);
    else
        b->rawp = arena_strndup(&st->tmp, c.s, c.n);
    st->ntexts++;
    *fresh = true;
    return st->last_tx[slot] = b;
}

/* text() of a repeating column (slots 0 and 1: employer name, unit code):
 * one copy per distinct value per file. */
static const char *
text_same(struct lstate *st, struct cellref c, int slot)
{
    bool fresh;
    struct tx_bucket *b = tx_slot(st, c, slot, &fresh);

    if (fresh)
        b->val = text(st, c);
    return b->val;
}

static void
count_id_flags(struct lstate *st, unsigned fl)
{
    struct input_file *f = file_of(st);

    if (fl & IDF_LEADING_ZERO_RESTORED) f->id_restored++;
    if (fl & IDF_CORRUPTED) f->id_corrupted++;
    if (fl & IDF_TAX_CHECK_DIGIT) f->id_check_digit++;
    if (fl & IDF_PLACEHOLDER) f->id_placeholder++;
}

static void
person_id_cell(struct lstate *st, struct cellref c, id_column col, struct person_ids_all *ids,
               unsigned *flags)
{
    char buf[IDS_MAX];
    unsigned fl = 0;
    id_kind k;

    if (c.n == 0)
        return;
    k = ids_person(col, c.s, c.n, buf, &fl);
    count_id_flags(st, fl);
    *flags |= fl;
    if (k != IDK_NONE && ids->id[k] == 0)
        ids->id[k] = ids_key(k, buf);
}

/* A personal identifier from field f read as column kind col, and from the
 * field's second column when the header has one ("Số CMND" beside "Số
 * CCCD"): a kind already filled keeps the first column's value. */
static void
person_id(struct lstate *st, const struct table_row *r, field_id f, id_column col,
          struct person_ids_all *ids, unsigned *flags)
{
    int alt = st->map.alt[f];

    person_id_cell(st, cell(st, r, f), col, ids, flags);
    if (alt >= 0 && (size_t)alt < r->ncells) {
        struct cellref c = r->cells[alt];
        values_trim(&c.s, &c.n);
        person_id_cell(st, c, col, ids, flags);
    }
}

/* The key a person's tax code has when it is the employer's own code (its
 * first 10 digits), 0 when the code is shorter: computed once per distinct
 * code (intern_emp), compared per row (own_code). */
static uint64_t
own_code_key(const char *emp)
{
    char e[11];

    if (strlen(emp) < 10)
        return 0;
    memcpy(e, emp, 10);
    e[10] = '\0';
    return ids_key(IDK_TAXCODE, e);
}

/* The file's one copy of an employer code (normalized: 10 or 13 digits):
 * two cells that normalize alike ("0100233488", "0100-233-488") share it.
 * *ord: its ordinal among the file's codes, which the records carry in
 * emp_id until the index numbers the employers (input_file.emp_codes). */
static const char *
intern_emp(struct lstate *st, const char *code, uint32_t *ord)
{
    bool fresh;
    struct tx_bucket *b = tx_slot(st, (struct cellref){code, strlen(code)}, 4, &fresh);

    if (fresh) {
        b->val = arena_strdup(&st->ds->a, code);
        b->ord = (uint32_t)st->ncodes;
        st->codes = xgrow(st->codes, &st->capcodes, st->ncodes + 1, sizeof *st->codes);
        st->code_keys = xgrow(st->code_keys, &st->capcode_keys, st->ncodes + 1,
                              sizeof *st->code_keys);
        st->code_keys[st->ncodes] = own_code_key(code);
        st->codes[st->ncodes++] = b->val;
    }
    *ord = b->ord;
    return b->val;
}

/* Employer tax code: column, else the title block.  NULL when none;
 * *ord: its ordinal (intern_emp). */
static const char *
employer(struct lstate *st, const struct table_row *r, unsigned *flags, bool *bad,
         uint32_t *ord)
{
    char buf[IDS_MAX];
    unsigned fl = 0;
    struct cellref c = cell(st, r, F_EMPLOYER_TAX_ID);

    *bad = false;
    *ord = UINT32_MAX;
    if (c.n == 0) {
        *flags |= st->t_emp_flags;
        if (st->t_emp != NULL)
            *ord = st->t_emp_ord;
        return st->t_emp;
    }
    /* a national file repeats each employer's cell in random row order:
     * normalize each distinct cell once, and keep one copy of each code,
     * so the records' pointers are equal and comparisons end at once */
    bool fresh;
    struct tx_bucket *b = tx_slot(st, c, 3, &fresh);
    if (fresh) {
        bool isbad = !ids_employer(c.s, c.n, buf, &fl);
        uint32_t o = UINT32_MAX;
        const char *code = isbad ? NULL : intern_emp(st, buf, &o);
        b = tx_slot(st, c, 3, &fresh); /* intern_emp may have moved it */
        b->bad = isbad;
        b->flags = fl;
        b->val = code;
        b->ord = o;
    }
    if (b->bad) {
        *bad = true;
        return NULL;
    }
    *flags |= b->flags;
    *ord = b->ord;
    return b->val;
}

/* Money: false (and the row rejected) on a bad value. */
static bool
money(struct lstate *st, const struct table_row *r, field_id f, int64_t *out,
      bool required)
{
    struct cellref c = cell(st, r, f);
    char det[96];

    *out = 0;
    switch (values_money(c.s, c.n, out)) {
    case VAL_OK:
        return true;
    case VAL_EMPTY:
        if (!required)
            return true;
        reject(st, r->line, "MISSING_VALUE", f, "required amount is empty");
        return false;
    case VAL_NEGATIVE:
        snprintf(det, sizeof det, "negative amount \"%.*s\"", (int)(c.n > 40 ? 40 : c.n),
                 c.s);
        reject(st, r->line, "NEGATIVE_AMOUNT", f, det);
        return false;
    case VAL_BAD_GROUPING:
        snprintf(det, sizeof det, "inconsistent thousands grouping \"%.*s\"",
                 (int)(c.n > 40 ? 40 : c.n), c.s);
        reject(st, r->line, "BAD_GROUPING", f, det);
        return false;
    default:
        snprintf(det, sizeof det, "not an amount \"%.*s\"", (int)(c.n > 40 ? 40 : c.n), c.s);
        reject(st, r->line, "BAD_AMOUNT", f, det);
        return false;
    }
}

static sdate
birth(struct lstate *st, const struct table_row *r)
{
    struct cellref c = cell(st, r, F_BIRTH_DATE);
    sdate dt = 0;

    if (values_date(c.s, c.n, &dt) != VAL_OK)
        return 0; /* optional: an unreadable birth date is ignored */
    return dt;
}

/* Whether a person's tax code is the employer's own (its first 10 digits):
 * typed into every employee's cell, it says nothing about the person.
 * ord: the employer code's ordinal (intern_emp), UINT32_MAX when none. */
static bool
own_code(const struct lstate *st, uint64_t taxcode, uint32_t ord)
{
    return taxcode != 0 && ord < st->ncodes && st->code_keys[ord] == taxcode;
}

static void
check_birth_year(const struct person_ids *ids, sdate b, uint32_t *flags)
{
    uint64_t personal = ids_get(ids, IDK_PERSONAL);
    int y;

    if (b == 0 || personal == 0)
        return;
    y = ids_key_cccd_birth_year(personal);
    if (y != 0 && y != b / 10000)
        *flags |= RF_ID_BIRTH_YEAR_MISMATCH;
}

static bool
truthy(struct cellref c)
{
    char f[32];
    size_t n = names_fold_label(c.s, c.n, f, sizeof f);

    if (n == 0)
        return false;
    return strcmp(f, "0") != 0 && strcmp(f, "khong") != 0 && strcmp(f, "no") != 0 &&
           strcmp(f, "false") != 0 && strcmp(f, "n") != 0;
}

/* The person's name (NFC) and its keys; NULL, with the row rejected, when
 * the name cell is empty. */
static const struct pname *
read_name(struct lstate *st, const struct table_row *r)
{
    struct cellref c = cell(st, r, F_FULL_NAME);

    if (c.n == 0) {
        reject(st, r->line, "MISSING_NAME", F_FULL_NAME, "full name is empty");
        return NULL;
    }
    /* a national file names the same people many times over (1 M rows of
     * the bench hold 160 k distinct names): each distinct name cell is
     * normalized and keyed once per file, and its records share the copy */
    bool fresh;
    struct tx_bucket *b = tx_slot(st, c, 5, &fresh);
    if (fresh) {
        size_t n;
        char *nfc = names_nfc(c.s, c.n, &n);
        b->val = names_pname(&st->ds->a, nfc, n);
        free(nfc);
    }
    return b->val;
}

static void
load_tax_row(struct lstate *st, const struct table_row *r)
{
    struct tax_rec t;
    unsigned fl = 0;
    bool bad;
    struct cellref c;

    memset(&t, 0, sizeof t);
    t.emp = employer(st, r, &fl, &bad, &t.emp_id);
    if (t.emp == NULL) {
        reject(st, r->line, bad ? "BAD_EMPLOYER_TAX_ID" : "MISSING_EMPLOYER_TAX_ID",
               F_EMPLOYER_TAX_ID,
               bad ? "employer tax code is not a valid 10/13-digit code"
                   : "no employer tax code in the row or the title block");
        return;
    }
    c = cell(st, r, F_EMPLOYER_NAME);
    t.emp_name = c.n ? text_same(st, c, 0) : (st->t_emp_name ? st->t_emp_name : "");
    if ((t.name = read_name(st, r)) == NULL)
        return;
    struct person_ids_all ids = {{0}};
    person_id(st, r, F_EMPLOYEE_TAX_ID, IDCOL_TAXCODE, &ids, &fl);
    person_id(st, r, F_ID_NUMBER, IDCOL_IDNUMBER, &ids, &fl);
    person_id(st, r, F_SI_NUMBER, IDCOL_SI, &ids, &fl);
    if (own_code(st, ids.id[IDK_TAXCODE], t.emp_id)) {
        /* the employer's own code typed in the person's column */
        ids.id[IDK_TAXCODE] = 0;
        fl |= IDF_PLACEHOLDER;
    }
    ids_pack(&st->ds->a, &ids, &t.ids);
    {
        id_kind pk;
        records_person_id(&t.ids, &pk);
        t.pid_kind = (uint8_t)pk;
    }
    t.birth = birth(st, r);
    int64_t withheld; /* checked, not kept: no rule uses it */
    if (!money(st, r, F_TAXABLE_INCOME, &t.taxable_income, true) ||
        !money(st, r, F_INSURANCE_DEDUCTION, &t.insurance_deduction, false) ||
        !money(st, r, F_TAX_WITHHELD, &withheld, false))
        return;
    c = cell(st, r, F_TAX_YEAR);
    if (c.n) {
        sdate y;
        if (values_date(c.s, c.n, &y) != VAL_OK || y % 10000 != 0) {
            reject(st, r->line, "BAD_YEAR", F_TAX_YEAR, "tax year is not a year");
            return;
        }
        t.tax_year = (int16_t)(y / 10000);
    } else {
        t.tax_year = (int16_t)(st->t_year ? st->t_year : st->o->default_year);
    }
    if (st->o->first_year && t.tax_year &&
        (t.tax_year < st->o->first_year || t.tax_year > st->o->last_year)) {
        /* settled for another year than the one under review */
        file_of(st)->skipped++;
        file_of(st)->skipped_by[SKIP_OTHER_YEAR]++;
        return;
    }
    c = cell(st, r, F_INCOME_MONTHS);
    if (c.n) {
        int months;
        if (values_int(c.s, c.n, &months) != VAL_OK || months < 0 || months > 12) {
            reject(st, r->line, "BAD_MONTHS", F_INCOME_MONTHS, "income months not 0-12");
            return;
        }
        t.income_months = (uint8_t)months;
    }
    t.schedule = st->map.schedule == 2 ? 2 : 1;
    c = cell(st, r, F_SCHEDULE);
    if (c.n) {
        char f[16];
        names_fold_label(c.s, c.n, f, sizeof f);
        if (strcmp(f, "052") == 0 || strcmp(f, "2") == 0 ||
            strcmp(f, "052bkqtttncn") == 0)
            t.schedule = 2;
        else if (strcmp(f, "051") == 0 || strcmp(f, "1") == 0 ||
                 strcmp(f, "051bkqtttncn") == 0)
            t.schedule = 1;
        else {
            reject(st, r->line, "BAD_SCHEDULE", F_SCHEDULE, "schedule is not 05-1 or 05-2");
            return;
        }
    }
    t.non_resident = truthy(cell(st, r, F_NON_RESIDENT));
    check_birth_year(&t.ids, t.birth, &t.flags);
    t.flags |= fl & RF_ID_QUALITY;
    t.file = st->fi;
    t.line = (uint32_t)r->line;
    *dataset_add_tax(st->ds) = t;
    file_of(st)->loaded++;
}


/* An end month that says "still going": "-", "0", "...", "nay", "đến nay",
 * "hiện tại", "present" (as clerks fill the column). */
static bool
open_end(struct cellref c)
{
    static const char *const words[] = {"", "0", "00", "000000", "nay", "dennay",
                                        "hientai", "present", "now", "ongoing"};
    char f[32];

    if (c.n == 0 || c.n > 24)
        return c.n == 0;
    names_fold_label(c.s, c.n, f, sizeof f);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(f, words[i]) == 0)
            return true;
    return false;
}

static void
load_si_row(struct lstate *st, const struct table_row *r)
{
    struct si_rec s;
    unsigned fl = 0;
    bool bad;
    struct cellref c;
    char det[96];

    memset(&s, 0, sizeof s);
    s.emp = employer(st, r, &fl, &bad, &s.emp_id);
    if (bad) {
        reject(st, r->line, "BAD_EMPLOYER_TAX_ID", F_EMPLOYER_TAX_ID,
               "employer tax code is not a valid 10/13-digit code");
        return;
    }
    c = cell(st, r, F_UNIT_CODE);
    s.unit_code = c.n ? text_same(st, c, 1) : (st->t_unit ? st->t_unit : "");
    if (s.emp == NULL && s.unit_code[0] == '\0') {
        reject(st, r->line, "MISSING_EMPLOYER_TAX_ID", F_EMPLOYER_TAX_ID,
               "neither an employer tax code nor a unit code");
        return;
    }
    if ((s.name = read_name(st, r)) == NULL)
        return;
    struct person_ids_all ids = {{0}};
    person_id(st, r, F_SI_NUMBER, IDCOL_SI, &ids, &fl);
    person_id(st, r, F_ID_NUMBER, IDCOL_IDNUMBER, &ids, &fl);
    person_id(st, r, F_EMPLOYEE_TAX_ID, IDCOL_TAXCODE, &ids, &fl);
    if (own_code(st, ids.id[IDK_TAXCODE], s.emp_id)) {
        ids.id[IDK_TAXCODE] = 0; /* the employer's own code */
        fl |= IDF_PLACEHOLDER;
    }
    ids_pack(&st->ds->a, &ids, &s.ids);
    s.birth = birth(st, r);
    if (!money(st, r, F_SALARY, &s.salary, false))
        return;
    c = cell(st, r, F_FROM_MONTH);
    int m, range_to = -1;
    bool end_only = false;
    switch (values_month(c.s, c.n, &m)) {
    case VAL_OK:
        s.from_month = m;
        break;
    case VAL_EMPTY: {
        /* a decrease that gives only the last month paid ("Giảm lao động",
         * "Tháng/năm kết thúc 03/2025", as HR exports write D02-LT rows):
         * coverage goes from the month after it on */
        struct cellref ct = cell(st, r, F_CHANGE_TYPE), te = cell(st, r, F_TO_MONTH);
        int change0 = ct.n ? (int)values_change_word(ct.s, ct.n, true) : st->section;
        if (change0 == CHANGE_DECREASE && !open_end(te) &&
            values_month(te.s, te.n, &m) == VAL_OK) {
            s.from_month = m + 1;
            end_only = true;
            break;
        }
        reject(st, r->line, "MISSING_VALUE", F_FROM_MONTH, "start month is empty");
        return;
    }
    default:
        if (values_month_range(c.s, c.n, &m, &range_to) == VAL_OK) {
            s.from_month = m; /* "01/2025 - 12/2025" in one cell */
            break;
        }
        snprintf(det, sizeof det, "not a month \"%.*s\"", (int)(c.n > 30 ? 30 : c.n), c.s);
        reject(st, r->line, "BAD_MONTH", F_FROM_MONTH, det);
        return;
    }
    c = cell(st, r, F_TO_MONTH);
    switch (end_only || open_end(c) ? VAL_EMPTY : values_month(c.s, c.n, &m)) {
    case VAL_OK:
        s.to_month = m;
        break;
    case VAL_EMPTY:
        s.to_month = range_to >= 0 ? range_to : MONTH_OPEN;
        break;
    default:
        snprintf(det, sizeof det, "not a month \"%.*s\"", (int)(c.n > 30 ? 30 : c.n), c.s);
        reject(st, r->line, "BAD_MONTH", F_TO_MONTH, det);
        return;
    }
    if (s.to_month < s.from_month) {
        reject(st, r->line, "BAD_SPAN", F_TO_MONTH, "end month before start month");
        return;
    }
    c = cell(st, r, F_PLAN_CODE);
    if (c.n) { /* a number in the file's list of plan codes (input_file.plan_codes) */
        bool fresh;
        struct tx_bucket *b = tx_slot(st, c, 2, &fresh);
        if (fresh) {
            b->val = text(st, c);
            b->ord = (uint32_t)st->nplans;
            st->plans = xgrow(st->plans, &st->capplans, st->nplans + 1, sizeof *st->plans);
            st->plans[st->nplans++] = b->val;
        }
        s.plan = b->ord + 1;
    }
    c = cell(st, r, F_CHANGE_TYPE);
    int change = c.n ? (int)values_change_word(c.s, c.n, true) : st->section;
    if (change == CHANGE_BAD) {
        snprintf(det, sizeof det, "not Tăng/Giảm/Điều chỉnh \"%.*s\"",
                 (int)(c.n > 30 ? 30 : c.n), c.s);
        reject(st, r->line, "BAD_CHANGE_TYPE", F_CHANGE_TYPE, det);
        return;
    }
    s.decrease = change == CHANGE_DECREASE;
    if (change != CHANGE_NONE)
        file_of(st)->changes[change - CHANGE_INCREASE]++;
    st->ds->ndecrease += s.decrease;
    check_birth_year(&s.ids, s.birth, &s.flags);
    s.flags |= fl & RF_ID_QUALITY;
    s.file = st->fi;
    s.line = (uint32_t)r->line;
    *dataset_add_si(st->ds) = s;
    file_of(st)->loaded++;
}

static void
load_employer_row(struct lstate *st, const struct table_row *r)
{
    struct employer_rec e;
    unsigned fl = 0;
    bool bad;
    struct cellref c;

    memset(&e, 0, sizeof e);
    uint32_t ord; /* registry rows are numbered by their code (index.c) */
    e.emp = employer(st, r, &fl, &bad, &ord);
    if (e.emp == NULL) {
        reject(st, r->line, bad ? "BAD_EMPLOYER_TAX_ID" : "MISSING_EMPLOYER_TAX_ID",
               F_EMPLOYER_TAX_ID, "employer tax code missing or invalid");
        return;
    }
    c = cell(st, r, F_EMPLOYER_NAME);
    e.name = text(st, c);
    c = cell(st, r, F_UNIT_CODE);
    e.unit_code = text(st, c);
    c = cell(st, r, F_AREA);
    e.area = text(st, c);
    c = cell(st, r, F_ADDRESS);
    e.address = text(st, c);
    c = cell(st, r, F_WAGE_REGION);
    if (c.n) {
        char f[16];
        size_t n = names_fold_label(c.s, c.n, f, sizeof f);
        const char *p = f;
        if (n > 4 && strncmp(p, "vung", 4) == 0)
            p += 4;
        else if (n > 6 && strncmp(p, "region", 6) == 0)
            p += 6;
        if (strcmp(p, "1") == 0 || strcmp(p, "i") == 0) e.wage_region = 1;
        else if (strcmp(p, "2") == 0 || strcmp(p, "ii") == 0) e.wage_region = 2;
        else if (strcmp(p, "3") == 0 || strcmp(p, "iii") == 0) e.wage_region = 3;
        else if (strcmp(p, "4") == 0 || strcmp(p, "iv") == 0) e.wage_region = 4;
        else {
            reject(st, r->line, "BAD_WAGE_REGION", F_WAGE_REGION, "wage region not 1-4");
            return;
        }
    }
    e.file = st->fi;
    e.line = (uint32_t)r->line;
    *dataset_add_employer(st->ds) = e;
    file_of(st)->loaded++;
}

static void
load_identity_row(struct lstate *st, const struct table_row *r)
{
    struct identity_rec it;
    unsigned fl = 0;
    int n = 0;

    struct person_ids_all ids = {{0}};
    memset(&it, 0, sizeof it);
    person_id(st, r, F_ID_NUMBER, IDCOL_IDNUMBER, &ids, &fl);
    person_id(st, r, F_EMPLOYEE_TAX_ID, IDCOL_TAXCODE, &ids, &fl);
    person_id(st, r, F_CMND, IDCOL_CMND, &ids, &fl);
    person_id(st, r, F_SI_NUMBER, IDCOL_SI, &ids, &fl);
    for (int k = 0; k < IDK_COUNT; k++)
        n += ids.id[k] != 0;
    if (n < 2) {
        reject(st, r->line, "TOO_FEW_IDS", F_COUNT,
               "a crosswalk row needs two or more usable identifiers");
        return;
    }
    ids_pack(&st->ds->a, &ids, &it.ids);
    it.file = st->fi;
    it.line = (uint32_t)r->line;
    *dataset_add_identity(st->ds) = it;
    file_of(st)->loaded++;
}

static sirecon_status apply_title(struct lstate *st, const struct header_map *m,
                                  bool above);

/* The change type a section row of an SI change report names: a row whose
 * only text is "I. Tăng", "II. GIẢM LAO ĐỘNG", "Điều chỉnh" (a number in
 * another cell allowed); CHANGE_NONE for any other row. */
static int
section_row(const struct table_row *r)
{
    int found = CHANGE_NONE, texts = 0;

    for (size_t i = 0; i < r->ncells; i++) {
        const char *s = r->cells[i].s;
        size_t n = r->cells[i].n;
        int w;
        values_trim(&s, &n);
        size_t k = 0;
        while (k < n && strchr("0123456789.()[] ", s[k]) != NULL && s[k] != '\0')
            k++;
        if (k == n)
            continue; /* blank, a count or a column number beside the title */
        if (++texts > 1)
            return CHANGE_NONE;
        w = values_change_word(s, n, false);
        if (w == CHANGE_BAD)
            return CHANGE_NONE;
        found = w;
    }
    return found;
}

/* A row of a tax or SI file with no identifier and no amount (taxable
 * income; start month) cannot be a record: it is a title-block line of the
 * next appendix in a concatenated export ("05-1/BK-QTT-TNCN", "[05] Mã số
 * thuế: ..."), or the signature footer ("Người lập biểu", "Họ và tên:"). */
static bool
note_row(const struct lstate *st, const struct table_row *r)
{
    static const field_id ids[] = {F_EMPLOYEE_TAX_ID, F_ID_NUMBER, F_SI_NUMBER};
    /* (a second ID column alone does not make a record either) */
    struct cellref c;
    int64_t money;
    int month;

    if (st->kind != KIND_TAX && st->kind != KIND_SI)
        return false;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (cell(st, r, ids[i]).n != 0)
            return false;
    c = cell(st, r, st->kind == KIND_TAX ? F_TAXABLE_INCOME : F_FROM_MONTH);
    if (c.n == 0)
        return true;
    /* below the totals row, text where the amount would be is the footer
     * ("Thái Bình, ngày 20 tháng 03 năm 2026", "NGƯỜI NỘP THUẾ") */
    return st->after_total &&
           (st->kind == KIND_TAX ? values_money(c.s, c.n, &money)
                                 : values_month(c.s, c.n, &month)) != VAL_OK;
}

/* One row after the header. */
static void
data_row(struct lstate *st, const struct table_row *r)
{
    struct input_file *f = file_of(st);
    row_class rc;

    f->read++;
    if (r->error != NULL) {
        reject(st, r->line, r->error, F_COUNT,
               strcmp(r->error, "UNTERMINATED_QUOTE") == 0
                   ? "quoted field not closed before end of file"
               : strcmp(r->error, "FIELD_TOO_LONG") == 0 ? "a field exceeds 64 KiB"
                                                         : "stray quote in a field");
        return;
    }
    struct hrow h = {r->cells, r->ncells, r->line};
    rc = header_classify(&st->map, &h);
    if (rc == ROW_TOTAL || rc == ROW_REPEAT)
        st->after_total = rc == ROW_TOTAL;
    if (rc != ROW_DATA) {
        f->skipped++;
        f->skipped_by[rc]++;
        return;
    }
    if (note_row(st, r)) {
        /* its title values (a new employer, year or form) apply below it */
        struct header_map tv;
        int sec;
        if (st->kind == KIND_SI && (sec = section_row(r)) != CHANGE_NONE) {
            st->section = sec; /* "I. Tăng", "II. Giảm": the rows below */
            f->skipped++;
            f->skipped_by[SKIP_NOTE]++;
            return;
        }
        memset(&tv, 0, sizeof tv);
        if (header_title_row(st->kind, &h, &tv)) {
            apply_title(st, &tv, false);
            st->after_total = false; /* the next appendix begins */
        }
        header_map_free(&tv);
        f->skipped++;
        f->skipped_by[SKIP_NOTE]++;
        return;
    }
    if (r->ncells != (size_t)st->map.ncols) {
        size_t k = (size_t)st->map.ncols;
        bool extra_empty = r->ncells > k;
        for (size_t i = k; extra_empty && i < r->ncells; i++)
            if (r->cells[i].n != 0)
                extra_empty = false;
        if (!extra_empty) {
            char det[64];
            snprintf(det, sizeof det, "expected %d fields, found %zu", st->map.ncols,
                     r->ncells);
            reject(st, r->line, "WRONG_FIELD_COUNT", F_COUNT, det);
            return;
        }
    }
    if (st->kind == KIND_TAX || st->kind == KIND_SI) {
        tx_prefetch(st, cell(st, r, F_EMPLOYER_TAX_ID), 3);
        tx_prefetch(st, cell(st, r, F_FULL_NAME), 5);
        if (st->kind == KIND_TAX)
            tx_prefetch(st, cell(st, r, F_EMPLOYER_NAME), 0);
        else
            tx_prefetch(st, cell(st, r, F_UNIT_CODE), 1);
    }
    switch (st->kind) {
    case KIND_TAX: load_tax_row(st, r); break;
    case KIND_SI: load_si_row(st, r); break;
    case KIND_EMPLOYERS: load_employer_row(st, r); break;
    default: load_identity_row(st, r); break;
    }
}

/* Title-block values of map m (the block above the header, or one found
 * further down in a concatenated export), normalized once.  above: the
 * block above the header, whose bad employer code stops the file; further
 * down a bad code only leaves the rows after it without an employer. */
static sirecon_status
apply_title(struct lstate *st, const struct header_map *m, bool above)
{
    const char *v;
    char buf[IDS_MAX];

    if ((v = m->title[F_EMPLOYER_TAX_ID]) != NULL && v[0]) {
        st->t_emp_flags = 0;
        if (!ids_employer(v, strlen(v), buf, &st->t_emp_flags)) {
            if (above)
                return diag_set(st->d, SIRECON_ERR_DATA, st->path, 0,
                                "the title block's employer tax code is not a valid "
                                "10/13-digit code");
            st->t_emp = NULL;
        } else {
            st->t_emp = intern_emp(st, buf, &st->t_emp_ord);
        }
        if (!above) { /* a new employer's block: its own name, unit, sections */
            st->t_emp_name = st->t_unit = NULL;
            st->section = CHANGE_NONE;
        }
    }
    if ((v = m->title[F_EMPLOYER_NAME]) != NULL && v[0])
        st->t_emp_name = text(st, (struct cellref){v, strlen(v)});
    if ((v = m->title[F_UNIT_CODE]) != NULL && v[0])
        st->t_unit = text(st, (struct cellref){v, strlen(v)});
    if ((v = m->title[F_TAX_YEAR]) != NULL && v[0]) {
        sdate y;
        if (values_date(v, strlen(v), &y) == VAL_OK && y % 10000 == 0)
            st->t_year = y / 10000;
    }
    if (!above && m->schedule != 0)
        st->map.schedule = m->schedule;
    return SIRECON_OK;
}

/* What the file's header says about how its columns were found, for
 * check, run.json and the matcher: fields read by meaning or content, and
 * ID-like columns that feed no field. */
static void
note_columns(struct lstate *st)
{
    struct input_file *f = file_of(st);

    for (int k = 0; k < F_COUNT; k++) {
        if (st->map.col[k] < 0)
            continue;
        if (st->map.how[k] == HOW_MEANING)
            f->by_meaning |= 1ul << k;
        else if (st->map.how[k] == HOW_CONTENT)
            f->by_content |= 1ul << k;
    }
    f->nunread = 0;
    for (int i = 0; i < st->map.nunread && i < INPUT_MAX_UNREAD; i++) {
        int c = st->map.unread[i];
        f->unread_col[f->nunread] = c;
        f->unread_label[f->nunread++] = arena_strdup(
            &st->ds->a, st->map.header_cells && c < st->map.ncols ? st->map.header_cells[c] : "");
    }
}

/* The employer a file names in its file name, when neither a column nor
 * the title block names one (docs/inputs.md, "The employer"): one tax code
 * with a valid check digit, alone between non-digits ("0185860735_D02-TS.csv",
 * "0100233488 20250315 101010.xlsx", "0100233488-001 05-1.csv").  Two
 * different codes name none. */
static bool
employer_from_name(const char *path, char out[IDS_MAX])
{
    const char *b = strrchr(path, '/');
    bool found = false;

    b = b ? b + 1 : path;
    for (const char *p = b; *p;) {
        if (!isdigit((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        size_t n = (size_t)(q - p);
        if (n == 10 && q[0] == '-' && isdigit((unsigned char)q[1]) &&
            isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]) &&
            !isdigit((unsigned char)q[4])) {
            n = 14;
            q += 4;
        }
        if ((n == 10 || n == 13 || n == 14) && ids_tax_check(p)) {
            char buf[IDS_MAX];
            unsigned fl = 0;
            if (ids_employer(p, n, buf, &fl)) {
                if (found && strcmp(buf, out) != 0)
                    return false;
                strcpy(out, buf);
                found = true;
            }
        }
        p = q;
    }
    return found;
}

/* Rows of another sheet scanned for its title block. */
struct wbscan {
    file_kind kind;
    int rows;
    char *emp;        /* the employer a title names (xmalloc'd), or NULL */
    bool conflict;    /* two sheets name different employers */
};

static int
wbscan_row(void *ctx, const struct table_row *r)
{
    struct wbscan *w = ctx;
    struct hrow h = {r->cells, r->ncells, r->line};
    struct header_map vals;

    memset(&vals, 0, sizeof vals);
    if (header_title_row(w->kind, &h, &vals) && vals.title[F_EMPLOYER_TAX_ID] != NULL) {
        char buf[IDS_MAX];
        unsigned fl = 0;
        const char *v = vals.title[F_EMPLOYER_TAX_ID];
        if (ids_employer(v, strlen(v), buf, &fl)) {
            if (w->emp == NULL)
                w->emp = xstrdup(buf);
            else if (strcmp(w->emp, buf) != 0)
                w->conflict = true;
        }
    }
    header_map_free(&vals);
    return ++w->rows >= HEADER_SCAN_ROWS;
}

/* The employer the other sheets of this sheet's workbook name in their
 * title blocks ("an employer named on one sheet applies to the workbook's
 * other sheets"), when they name one and only one. */
static bool
employer_from_workbook(struct lstate *st, char out[IDS_MAX])
{
    char *base, *sheet, **names = NULL;
    size_t count = 0;
    struct source src;
    struct diag d = {0};
    struct wbscan w = {st->kind, 0, NULL, false};
    bool found = false;

    if (!source_sheet_path(st->path, &base, &sheet))
        return false;
    if (source_open(&src, st->path, ENC_UNKNOWN, &d) == SIRECON_OK &&
        xlsx_sheet_names(src.raw, src.rawn, &names, &count, &d) == SIRECON_OK) {
        for (size_t i = 0; i < count; i++) {
            char *csv = NULL;
            size_t n = 0;
            if (strcmp(names[i], sheet) != 0 &&
                xlsx_sheet_to_csv(src.raw, src.rawn, names[i], &csv, &n, &d) == SIRECON_OK) {
                w.rows = 0;
                table_parse(csv, n, ',', wbscan_row, &w, &d);
            }
            free(csv);
            free(names[i]);
        }
    }
    free(names);
    source_close(&src);
    if (w.emp != NULL && !w.conflict) {
        strcpy(out, w.emp);
        found = true;
    }
    free(w.emp);
    free(base);
    free(sheet);
    return found;
}

/* A file whose rows name no employer (no column, no title-block value, for
 * an SI list no unit code either) takes it from the other sheets of its
 * workbook, else from its file name, else from --default-employer; the
 * header map records the source for `check`. */
static void
employer_fallback(struct lstate *st)
{
    struct header_map *m = &st->map;
    char buf[IDS_MAX];

    if (st->kind != KIND_TAX && st->kind != KIND_SI)
        return;
    if (m->col[F_EMPLOYER_TAX_ID] >= 0 ||
        (m->title[F_EMPLOYER_TAX_ID] != NULL && m->title[F_EMPLOYER_TAX_ID][0]))
        return;
    if (st->kind == KIND_SI && (m->col[F_UNIT_CODE] >= 0 ||
                                (m->title[F_UNIT_CODE] != NULL && m->title[F_UNIT_CODE][0])))
        return;
    if (employer_from_workbook(st, buf))
        m->emp_source = EMP_FROM_WORKBOOK;
    else if (employer_from_name(st->path, buf))
        m->emp_source = EMP_FROM_FILE_NAME;
    else if (st->o->default_employer != NULL && st->o->default_employer[0])
        snprintf(buf, sizeof buf, "%s", st->o->default_employer),
            m->emp_source = EMP_FROM_OPTION;
    else
        return;
    free(m->title[F_EMPLOYER_TAX_ID]);
    m->title[F_EMPLOYER_TAX_ID] = xstrdup(buf);
}

/* The header is found among the held-back rows; replay the rest. */
static sirecon_status
find_header(struct lstate *st)
{
    struct hrow *h = xcalloc(st->nrows ? st->nrows : 1, sizeof *h);
    sirecon_status rc;
    size_t i;

    for (i = 0; i < st->nrows; i++) {
        h[i].cells = st->rows[i].cells;
        h[i].ncells = st->rows[i].n;
        h[i].line = st->rows[i].line;
    }
    if (st->kind == KIND_COUNT) {
        st->kind = header_guess_kind(h, st->nrows, st->o->aliases, st->o->naliases);
        if (st->kind == KIND_COUNT) {
            free(h);
            file_of(st)->no_table = true;
            return diag_set(st->d, SIRECON_ERR_DATA, st->path, 0,
                            "cannot tell what kind of list this is (no header of a "
                            "tax, si, employers or identities file); use --as");
        }
        file_of(st)->kind = st->kind;
    }
    rc = header_detect(st->kind, h, st->nrows, st->o->aliases, st->o->naliases,
                       st->path, &st->map, st->d);
    free(h);
    if (rc != SIRECON_OK) {
        file_of(st)->no_table = rc == SIRECON_ERR_DATA && st->map.catalogued == NULL;
        return rc;
    }
    st->have_header = true;
    file_of(st)->header_first = (int)st->rows[st->map.first].line;
    file_of(st)->header_last = (int)st->rows[st->map.last].line;
    note_columns(st);
    employer_fallback(st);
    if ((rc = apply_title(st, &st->map, true)) != SIRECON_OK)
        return rc;
    for (i = (size_t)st->map.last + 1; i < st->nrows; i++) {
        struct table_row r = {st->rows[i].cells, st->rows[i].n, st->rows[i].line,
                              st->rows[i].error};
        if ((int)i == st->map.colnum_row) {
            file_of(st)->read++;
            file_of(st)->skipped++;
            file_of(st)->skipped_by[ROW_COLNUM]++;
            continue;
        }
        data_row(st, &r);
    }
    return SIRECON_OK;
}

/* on_row() for a text whose lines are not the input's (HTKK XML): the
 * row's line becomes the input line it came from. */
static int on_row(void *ctx, const struct table_row *r);

static int
on_mapped_row(void *ctx, const struct table_row *r)
{
    struct lstate *st = ctx;
    struct table_row m = *r;

    if (r->line >= 1 && (size_t)r->line <= st->nline_map)
        m.line = st->line_map[r->line - 1];
    return on_row(ctx, &m);
}

static int
on_row(void *ctx, const struct table_row *r)
{
    struct lstate *st = ctx;

    if (st->have_header) {
        data_row(st, r);
        if (st->o->progress != NULL && file_of(st)->read % LOAD_PROGRESS_ROWS == 0)
            st->o->progress(st->o->progress_ctx, LOAD_PROGRESS_ROWS);
        return 0;
    }
    st->rows = xgrow(st->rows, &st->caprows, st->nrows + 1, sizeof *st->rows);
    struct brow *b = &st->rows[st->nrows++];
    b->n = r->ncells;
    b->line = r->line;
    b->error = r->error;
    b->cells = arena_alloc(&st->tmp, r->ncells * sizeof *b->cells);
    for (size_t i = 0; i < r->ncells; i++) {
        b->cells[i].s = arena_strndup(&st->tmp, r->cells[i].s, r->cells[i].n);
        b->cells[i].n = r->cells[i].n;
    }
    if (st->nrows == HEADER_SCAN_ROWS) {
        st->fail = find_header(st);
        return st->fail != SIRECON_OK;
    }
    return 0;
}

static sirecon_status
read_source(void *ctx, char *buf, size_t cap, size_t *got, struct diag *d)
{
    return source_read(ctx, buf, cap, got, d);
}

sirecon_status
load_file(struct dataset *ds, const char *path, file_kind kind,
          const struct load_opts *o, struct diag *d)
{
    struct source src;
    struct lstate st;
    struct input_file *f;
    sirecon_status rc;

    memset(&st, 0, sizeof st);
    st.ds = ds;
    st.kind = kind;
    st.o = o;
    st.d = d;
    st.fi = (uint32_t)ds->nfiles;
    f = dataset_add_file(ds);
    f->path = arena_strdup(&ds->a, path);
    f->kind = kind;
    st.path = f->path;
    for (int i = 0; i < F_COUNT; i++)
        st.map.col[i] = -1;

    rc = source_open_stream(&src, path, o->encoding, true, d);
    f = file_of(&st);
    if (rc != SIRECON_OK) {
        source_close(&src);
        return rc;
    }
    f->bytes = src.bytes;
    memcpy(f->sha256, src.sha256, sizeof f->sha256);
    f->encoding = encoding_name(src.enc);
    f->delimiter = table_sniff_delim(src.text, src.textn);
    arena_init(&st.tmp);
    /* a mapped UTF-8 file is read once, front to back: let its pages go */
    st.line_map = src.line_map;
    st.nline_map = src.nline_map;
    if (!src.stream && (kind == KIND_TAX || kind == KIND_SI)) {
        /* as many records as lines at most: reserved once (untouched
         * capacity costs no memory), the array never moves while the
         * other loader thread faults pages in beside it */
        size_t lines = 1;
        for (const char *p = src.text, *e = src.text + src.textn;
             (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
            lines++;
        dataset_reserve(ds, kind, lines);
    }
    if (src.stream)
        rc = table_parse_stream(read_source, &src, f->delimiter, on_row, &st, d);
    else if (src.raw_kind == 1 && src.conv == NULL)
        rc = table_parse_mapped(src.text, src.textn, f->delimiter, on_row, &st, d);
    else
        rc = table_parse(src.text, src.textn, f->delimiter,
                         src.line_map ? on_mapped_row : on_row, &st, d);
    if (src.stream) { /* size and checksum are known once it was read */
        file_of(&st)->bytes = src.bytes;
        memcpy(file_of(&st)->sha256, src.sha256, sizeof file_of(&st)->sha256);
    }
    if (rc != SIRECON_OK && d->file[0] == '\0') /* table.c knows lines, not files */
        snprintf(d->file, sizeof d->file, "%s", path);
    if (rc == SIRECON_OK && st.fail != SIRECON_OK)
        rc = st.fail;
    if (rc == SIRECON_OK && !st.have_header) {
        if (st.nrows == 0)
            file_of(&st)->empty = true; /* nothing to read: said, not fatal */
        else
            rc = find_header(&st);
    }
    source_close(&src);
    if (st.ncodes > 0) { /* what the records' ordinals stand for */
        struct input_file *fo = file_of(&st);
        const char **codes = arena_alloc(&ds->a, st.ncodes * sizeof *codes);
        memcpy(codes, st.codes, st.ncodes * sizeof *codes);
        fo->emp_codes = codes;
        fo->nemp_codes = (uint32_t)st.ncodes;
    }
    if (st.nplans > 0) {
        struct input_file *fo = file_of(&st);
        const char **plans = arena_alloc(&ds->a, st.nplans * sizeof *plans);
        memcpy(plans, st.plans, st.nplans * sizeof *plans);
        fo->plan_codes = plans;
        fo->nplan_codes = (uint32_t)st.nplans;
    }
    free(st.plans);
    free(st.codes);
    free(st.code_keys);
    names_cache_clear();
    arena_free(&st.tmp);
    free(st.texts);
    free(st.rows);
    if (o->keep_map != NULL && st.have_header) {
        *o->keep_map = st.map;
    } else if (st.have_header) {
        header_map_free(&st.map);
    }
    return rc;
}

size_t
load_resolve_units(struct dataset *ds)
{
    struct unit { const char *code, *emp; UT_hash_handle hh; } *units = NULL, *u, *tmp;
    size_t bad = 0;

    /* unit code -> tax code, the registry's first row of a code winning */
    for (size_t j = 0; j < ds->nemps; j++) {
        const char *c = ds->emps[j].unit_code;
        if (c == NULL || c[0] == '\0')
            continue;
        HASH_FIND(hh, units, c, strlen(c), u);
        if (u != NULL)
            continue;
        u = xmalloc(sizeof *u);
        u->code = c;
        u->emp = ds->emps[j].emp;
        HASH_ADD_KEYPTR(hh, units, u->code, strlen(u->code), u);
    }
    for (size_t i = 0; i < ds->nsi; i++) {
        struct si_rec *s = &ds->si[i];
        char buf[IDS_MAX];
        unsigned fl = 0;

        if (s->emp != NULL)
            continue;
        HASH_FIND(hh, units, s->unit_code, strlen(s->unit_code), u);
        if (u != NULL)
            s->emp = u->emp;
        else if (ids_employer(s->unit_code, strlen(s->unit_code), buf, &fl) &&
                 !(fl & IDF_TAX_CHECK_DIGIT))
            s->emp = arena_strdup(&ds->a, buf); /* unit code = tax code since 2021 */
        if (s->emp != NULL)
            continue;
        ds->files[s->file].loaded--;
        dataset_add_reject(ds, s->file, s->line, "UNKNOWN_UNIT_CODE", "unit_code",
                           ds->nemps ? "unit code not in the employer registry (-e)"
                                     : "only a unit code and no employer registry: give -e "
                                       "with unit_code and employer_tax_id columns");
        ds->si[i] = ds->si[ds->nsi - 1];
        ds->nsi--;
        i--;
        bad++;
    }
    HASH_ITER(hh, units, u, tmp) {
        HASH_DEL(units, u);
        free(u);
    }
    return bad;
}

