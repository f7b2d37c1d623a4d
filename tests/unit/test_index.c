/*
 * test_index.c - person clusters (union-find over identifiers from tax
 * records, SI records and the identities crosswalk), the SI chains by
 * employer, by (employer, person) and by person, and registry lookups.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "sirecon/index.h"
#include "sirecon/ids.h"

#define EA "0100233488"
#define EB "0300588569"
#define EC "0101248141"
#define ED "0100684378"

/* STATIC helper of index.c */

static size_t
tax(struct dataset *ds, const char *emp, id_kind k1, const char *v1, id_kind k2,
    const char *v2)
{
    struct tax_rec *t = dataset_add_tax(ds);

    t->emp = emp;
    t->name = names_pname(&ds->a, "x", 1);
    if (v1)
        ids_put(&ds->a, &t->ids, ids_key(k1, v1));
    if (v2)
        ids_put(&ds->a, &t->ids, ids_key(k2, v2));
    return ds->ntax - 1;
}

static size_t
si(struct dataset *ds, const char *emp, id_kind k1, const char *v1, id_kind k2,
   const char *v2)
{
    struct si_rec *s = dataset_add_si(ds);

    s->emp = emp;
    s->name = names_pname(&ds->a, "x", 1);
    if (v1)
        ids_put(&ds->a, &s->ids, ids_key(k1, v1));
    if (v2)
        ids_put(&ds->a, &s->ids, ids_key(k2, v2));
    return ds->nsi - 1;
}

static void
ident(struct dataset *ds, id_kind k1, const char *v1, id_kind k2, const char *v2)
{
    struct identity_rec *r = dataset_add_identity(ds);

    ids_put(&ds->a, &r->ids, v1 ? ids_key(k1, v1) : 0);
    ids_put(&ds->a, &r->ids, v2 ? ids_key(k2, v2) : 0);
}

static void
test_clusters(void **state)
{
    struct dataset ds;
    struct index ix;
    size_t tA, tB, tC, tD, tE, tF, tG, tH, sA, sB, sC, sE, sG, sH;

    dataset_init(&ds);
    /* A: legacy tax code on the tax side, CCCD on the SI side, crosswalk */
    tA = tax(&ds, EA, IDK_TAXCODE, "8012345678", IDK_NONE, NULL);
    sA = si(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    ident(&ds, IDK_PERSONAL, "034090000001", IDK_TAXCODE, "8012345678");
    /* B: CCCD on the tax side, SI number on the SI side: joined only by H */
    tB = tax(&ds, EA, IDK_PERSONAL, "034090000002", IDK_NONE, NULL);
    sB = si(&ds, EA, IDK_SI, "0100000002", IDK_NONE, NULL);
    /* C: a chain through two crosswalk rows: CMND -- CCCD, CCCD -- SI number */
    tC = tax(&ds, EB, IDK_CMND, "123456789", IDK_NONE, NULL);
    sC = si(&ds, EB, IDK_SI, "0100000003", IDK_NONE, NULL);
    ident(&ds, IDK_CMND, "123456789", IDK_PERSONAL, "034090000003");
    ident(&ds, IDK_SI, "0100000003", IDK_PERSONAL, "034090000003");
    /* D: no identifier */
    tD = tax(&ds, EA, IDK_NONE, NULL, IDK_NONE, NULL);
    /* E: a record carrying two identifiers joins them (SI side) */
    tE = tax(&ds, EB, IDK_SI, "0100000005", IDK_NONE, NULL);
    sE = si(&ds, EB, IDK_PERSONAL, "034090000005", IDK_SI, "0100000005");
    tF = tax(&ds, EC, IDK_PERSONAL, "034090000005", IDK_NONE, NULL);
    /* G/H: the same digits under two kinds are two identifiers */
    tG = tax(&ds, EA, IDK_CMND, "987654321", IDK_NONE, NULL);
    sG = si(&ds, EA, IDK_PASSPORT, "987654321", IDK_NONE, NULL);
    /* a crosswalk row whose ids appear nowhere else is harmless */
    ident(&ds, IDK_PERSONAL, "034090000009", IDK_CMND, "111111111");
    /* H: the tax side holds two ids of different people's records: it
     * bridges them (a crosswalk in the record itself) */
    tH = tax(&ds, ED, IDK_PERSONAL, "034090000002", IDK_SI, "0100000002");
    sH = si(&ds, ED, IDK_SI, "0100000002", IDK_NONE, NULL);

    index_build(&ix, &ds);
    assert_int_equal(ds.tax[tA].person, ds.si[sA].person);
    assert_int_equal(ds.tax[tC].person, ds.si[sC].person);
    assert_int_equal(ds.tax[tE].person, ds.si[sE].person);
    assert_int_equal(ds.tax[tF].person, ds.si[sE].person);
    assert_int_equal(ds.tax[tD].person, PERSON_NONE);
    assert_true(ds.tax[tG].person != ds.si[sG].person);
    /* H ties B's personal ID to the SI number: B is now one person too */
    assert_int_equal(ds.tax[tB].person, ds.si[sB].person);
    assert_int_equal(ds.tax[tH].person, ds.si[sH].person);
    assert_int_equal(ds.tax[tB].person, ds.tax[tH].person);
    /* different people stay apart */
    assert_true(ds.tax[tA].person != ds.tax[tB].person);
    assert_true(ds.tax[tA].person != ds.tax[tC].person);
    assert_true(ds.tax[tA].person != ds.tax[tE].person);
    assert_true(ds.tax[tC].person != ds.tax[tE].person);
    assert_true(ds.tax[tB].person != ds.tax[tE].person);
    /* a person is the smallest record number of its cluster: the record
     * of that number is in it, and no member has a smaller number */
    assert_null(ix.parent); /* the forest is freed once persons are set */
    for (size_t i = 0; i < ds.ntax; i++) {
        uint32_t p = ds.tax[i].person;
        if (p == PERSON_NONE)
            continue;
        assert_true(p <= i);
        assert_int_equal(p < ds.ntax ? ds.tax[p].person : ds.si[p - ds.ntax].person, p);
    }
    for (size_t i = 0; i < ds.nsi; i++)
        assert_true(ds.si[i].person != PERSON_NONE);
    index_free(&ix);
    dataset_free(&ds);
}

/* Clusters do not depend on the order identifiers are met. */
static void
test_clusters_order(void **state)
{
    for (int order = 0; order < 2; order++) {
        struct dataset ds;
        struct index ix;

        dataset_init(&ds);
        /* crosswalk rows that join a chain of four ids, in two orders */
        if (order == 0) {
            ident(&ds, IDK_PERSONAL, "034090000001", IDK_TAXCODE, "8000000001");
            ident(&ds, IDK_TAXCODE, "8000000001", IDK_CMND, "100000001");
            ident(&ds, IDK_CMND, "100000001", IDK_SI, "0100000001");
        } else {
            ident(&ds, IDK_CMND, "100000001", IDK_SI, "0100000001");
            ident(&ds, IDK_TAXCODE, "8000000001", IDK_CMND, "100000001");
            ident(&ds, IDK_PERSONAL, "034090000001", IDK_TAXCODE, "8000000001");
        }
        size_t s1 = si(&ds, EA, IDK_SI, "0100000001", IDK_NONE, NULL);
        size_t t1 = tax(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
        size_t t2 = tax(&ds, EB, IDK_CMND, "100000001", IDK_NONE, NULL);
        size_t t3 = tax(&ds, EB, IDK_CMND, "100000002", IDK_NONE, NULL);
        index_build(&ix, &ds);
        assert_int_equal(ds.tax[t1].person, ds.si[s1].person);
        assert_int_equal(ds.tax[t2].person, ds.si[s1].person);
        assert_true(ds.tax[t3].person != ds.si[s1].person);
        assert_int_equal(index_emp_person_si(&ix, EA, ds.tax[t1].person), s1);
        assert_int_equal(index_person_si(&ix, ds.tax[t2].person), s1);
        index_free(&ix);
        dataset_free(&ds);
    }
}

static void
test_chains(void **state)
{
    struct dataset ds;
    struct index ix;
    size_t s0, s1, s2, s3, s4, s5, s6;
    int reg;

    dataset_init(&ds);
    s0 = si(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    s1 = si(&ds, EB, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    s2 = si(&ds, EA, IDK_PERSONAL, "034090000002", IDK_NONE, NULL);
    s3 = si(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL); /* a second span */
    s4 = si(&ds, NULL, IDK_PERSONAL, "034090000001", IDK_NONE, NULL); /* employer unresolved */
    s5 = si(&ds, EA, IDK_NONE, NULL, IDK_NONE, NULL);                 /* no identifier */
    s6 = si(&ds, EA "001", IDK_PERSONAL, "034090000001", IDK_NONE, NULL); /* a branch */
    size_t t = tax(&ds, EC, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    {
        struct employer_rec *e = dataset_add_employer(&ds);
        e->emp = EC;
        e = dataset_add_employer(&ds);
        e->emp = EA;
        e = dataset_add_employer(&ds);
        e->emp = EC; /* a repeated registry row: the first one wins */
    }
    index_build(&ix, &ds);
    uint32_t p1 = ds.si[s0].person;
    assert_int_equal(ds.tax[t].person, p1);
    assert_int_equal(ds.si[s4].person, p1);
    assert_int_equal(ds.si[s5].person, PERSON_NONE);

    /* by employer: every SI record at EA in record order */
    uint32_t i = index_emp_si(&ix, EA, &reg);
    assert_int_equal(reg, 1);
    assert_int_equal(i, s0);
    i = ix.next_emp[i];
    assert_int_equal(i, s2);
    i = ix.next_emp[i];
    assert_int_equal(i, s3);
    i = ix.next_emp[i];
    assert_int_equal(i, s5);
    assert_int_equal(ix.next_emp[i], CHAIN_END);
    /* a branch code is its own key here (folding is match.c's job) */
    assert_int_equal(index_emp_si(&ix, EA "001", &reg), s6);
    assert_int_equal(reg, -1);
    assert_int_equal(ix.next_emp[s6], CHAIN_END);
    assert_int_equal(index_emp_si(&ix, EB, NULL), s1);
    assert_int_equal(ix.next_emp[s1], CHAIN_END);
    /* in the registry, no SI record */
    assert_int_equal(index_emp_si(&ix, EC, &reg), CHAIN_END);
    assert_int_equal(reg, 0);
    /* unknown code */
    assert_int_equal(index_emp_si(&ix, ED, &reg), CHAIN_END);
    assert_int_equal(reg, -1);

    /* by (employer, person) */
    i = index_emp_person_si(&ix, EA, p1);
    assert_int_equal(i, s0);
    assert_int_equal(ix.next_ep[i], s3);
    assert_int_equal(ix.next_ep[s3], CHAIN_END);
    assert_int_equal(index_emp_person_si(&ix, EA, ds.si[s2].person), s2);
    assert_int_equal(ix.next_ep[s2], CHAIN_END);
    assert_int_equal(index_emp_person_si(&ix, EB, p1), s1);
    assert_int_equal(index_emp_person_si(&ix, EC, p1), CHAIN_END);
    assert_int_equal(index_emp_person_si(&ix, EB, ds.si[s2].person), CHAIN_END);
    assert_int_equal(index_emp_person_si(&ix, EA, PERSON_NONE), CHAIN_END);
    /* all tax records at once: what one lookup a record gives */
    uint32_t *heads = malloc((ds.ntax ? ds.ntax : 1) * sizeof *heads);
    assert_non_null(heads);
    index_emp_person_heads(&ix, &ds, heads);
    for (size_t k = 0; k < ds.ntax; k++)
        assert_int_equal(heads[k], index_emp_person_si_by_id(&ix, ds.tax[k].emp_id,
                                                             ds.tax[k].person));
    free(heads);

    /* by person, across employers, not the unresolved record */
    i = index_person_si(&ix, p1);
    assert_int_equal(i, s0);
    i = ix.next_p[i];
    assert_int_equal(i, s1);
    i = ix.next_p[i];
    assert_int_equal(i, s3);
    i = ix.next_p[i];
    assert_int_equal(i, s6);
    assert_int_equal(ix.next_p[i], CHAIN_END);
    assert_int_equal(index_person_si(&ix, PERSON_NONE), CHAIN_END);
    assert_int_equal(ix.next_emp[s4], CHAIN_END);
    assert_int_equal(ix.next_p[s4], CHAIN_END);

    /* registry */
    assert_int_equal(index_registry(&ix, EA), 1);
    assert_int_equal(index_registry(&ix, EC), 0);
    assert_int_equal(index_registry(&ix, EB), -1);
    assert_int_equal(index_registry(&ix, "9999999999"), -1);
    index_free(&ix);
    dataset_free(&ds);
}

/* Employers are numbered once: a code has one number on both sides, and
 * the by-number lookups agree with the by-code ones. */
static void
test_employer_numbers(void **state)
{
    struct dataset ds;
    struct index ix;

    dataset_init(&ds);
    size_t t0 = tax(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    size_t t1 = tax(&ds, EB, IDK_PERSONAL, "034090000002", IDK_NONE, NULL);
    size_t t2 = tax(&ds, EA, IDK_PERSONAL, "034090000003", IDK_NONE, NULL);
    size_t t3 = tax(&ds, ED, IDK_PERSONAL, "034090000004", IDK_NONE, NULL);
    size_t s0 = si(&ds, EB, IDK_PERSONAL, "034090000002", IDK_NONE, NULL);
    size_t s1 = si(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    size_t s2 = si(&ds, NULL, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    size_t s3 = si(&ds, EC, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    index_build(&ix, &ds);
    assert_int_equal(ds.tax[t0].emp_id, ds.tax[t2].emp_id);
    assert_int_equal(ds.tax[t0].emp_id, ds.si[s1].emp_id);
    assert_int_equal(ds.tax[t1].emp_id, ds.si[s0].emp_id);
    assert_true(ds.tax[t0].emp_id != ds.tax[t1].emp_id);
    assert_true(ds.si[s3].emp_id != ds.tax[t0].emp_id);
    assert_true(ds.si[s3].emp_id != ds.tax[t1].emp_id);
    assert_true(ds.si[s3].emp_id != ds.tax[t3].emp_id);
    assert_int_equal(ds.si[s2].emp_id, UINT32_MAX);
    /* by number = by code */
    assert_int_equal(index_emp_si_by_id(&ix, ds.tax[t0].emp_id), index_emp_si(&ix, EA, NULL));
    assert_int_equal(index_emp_si_by_id(&ix, ds.tax[t0].emp_id), s1);
    assert_int_equal(index_emp_si_by_id(&ix, ds.tax[t3].emp_id), CHAIN_END);
    assert_int_equal(index_emp_person_si_by_id(&ix, ds.tax[t0].emp_id, ds.tax[t0].person), s1);
    assert_int_equal(index_emp_person_si_by_id(&ix, ds.tax[t1].emp_id, ds.tax[t0].person),
                     CHAIN_END);
    assert_int_equal(index_emp_person_si_by_id(&ix, ds.tax[t0].emp_id, PERSON_NONE), CHAIN_END);
    /* numbers out of range (an unresolved SI record's) find nothing */
    assert_int_equal(index_emp_si_by_id(&ix, UINT32_MAX), CHAIN_END);
    assert_int_equal(index_emp_person_si_by_id(&ix, UINT32_MAX, ds.tax[t0].person), CHAIN_END);
    assert_int_equal(index_emp_person_si_by_id(&ix, 1000, ds.tax[t0].person), CHAIN_END);
    index_free(&ix);
    dataset_free(&ds);
}

/* Records loaded by load.c name their employer by an ordinal into their
 * file's codes (input_file.emp_codes); the numbers come out as if every
 * record had been read by its code: two files' ordinals for one code meet,
 * a record without an ordinal joins them by its code, a code no record
 * names makes no employer, and the tables are dropped afterwards. */
static void
test_employer_ordinals(void **state)
{
    static const char *f0codes[] = {EB, EA, EC}; /* EC: no record names it */
    static const char *f1codes[] = {EA, ED};
    struct dataset ds;
    struct index ix;

    (void)state;
    dataset_init(&ds);
    struct input_file *f = dataset_add_file(&ds);
    f->emp_codes = f0codes;
    f->nemp_codes = 3;
    f = dataset_add_file(&ds);
    f->emp_codes = f1codes;
    f->nemp_codes = 2;
    size_t t0 = tax(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    ds.tax[t0].file = 0, ds.tax[t0].emp_id = 1;
    size_t t1 = tax(&ds, EB, IDK_PERSONAL, "034090000002", IDK_NONE, NULL);
    ds.tax[t1].file = 0, ds.tax[t1].emp_id = 0;
    size_t s0 = si(&ds, EA, IDK_PERSONAL, "034090000001", IDK_NONE, NULL);
    ds.si[s0].file = 1, ds.si[s0].emp_id = 0;
    size_t s1 = si(&ds, ED, IDK_PERSONAL, "034090000003", IDK_NONE, NULL);
    ds.si[s1].file = 1, ds.si[s1].emp_id = 1;
    size_t s2 = si(&ds, EB, IDK_PERSONAL, "034090000002", IDK_NONE, NULL);
    ds.si[s2].file = 1, ds.si[s2].emp_id = UINT32_MAX; /* by its code */
    index_build(&ix, &ds);
    assert_int_equal(ix.nemp_ids, 3); /* EA, EB, ED */
    assert_int_equal(ds.tax[t0].emp_id, ds.si[s0].emp_id);
    assert_int_equal(ds.tax[t1].emp_id, ds.si[s2].emp_id);
    assert_true(ds.tax[t0].emp_id != ds.tax[t1].emp_id);
    assert_string_equal(ix.emps[ds.tax[t0].emp_id].code, EA);
    assert_string_equal(ix.emps[ds.tax[t1].emp_id].code, EB);
    assert_string_equal(ix.emps[ds.si[s1].emp_id].code, ED);
    /* code order: 0100233488 < 0100684378 < 0300588569 */
    assert_true(ds.tax[t0].emp_id < ds.si[s1].emp_id);
    assert_true(ds.si[s1].emp_id < ds.tax[t1].emp_id);
    assert_int_equal(index_emp_si_by_id(&ix, ds.tax[t0].emp_id), s0);
    assert_int_equal(ds.files[0].nemp_codes, 0);
    assert_int_equal(ds.files[1].nemp_codes, 0);
    index_free(&ix);
    dataset_free(&ds);
}

/* Packed identifier keys: kind and length are part of the key. */
static void
test_pack_id(void **state)
{
    static const struct {
        id_kind k;
        const char *v;
    } ids[] = {
        {IDK_PERSONAL, "034090000001"}, {IDK_PERSONAL, "34090000001"},
        {IDK_PERSONAL, "034090000002"}, {IDK_PERSONAL, "999999999999"},
        {IDK_TAXCODE, "8012345678"},    {IDK_TAXCODE, "0801234567"},
        {IDK_SI, "8012345678"},         {IDK_CMND, "123456789"},
        {IDK_CMND, "012345678"},        {IDK_PASSPORT, "123456789"},
        {IDK_PASSPORT, "B1234567"},     {IDK_PASSPORT, "C1234567"},
        {IDK_PASSPORT, "AB1234567"},    {IDK_PASSPORT, "BA1234567"},
        {IDK_PASSPORT, "ZZ99999999"},   {IDK_PASSPORT, "A0000000"},
    };
    size_t n = sizeof ids / sizeof ids[0];

    for (size_t i = 0; i < n; i++) {
        uint64_t ki = ids_key(ids[i].k, ids[i].v);
        assert_int_equal(ki, ids_key(ids[i].k, ids[i].v));
        for (size_t j = 0; j < i; j++)
            if (ki == ids_key(ids[j].k, ids[j].v))
                fail_msg("%s and %s share a key", ids[i].v, ids[j].v);
    }
}

/* An empty dataset builds and frees; index_free leaves a zeroed index. */
/* A tax code (or SI number) shared by records with different personal IDs
 * joins nobody; a shared personal ID joins whatever else differs. */
static void
test_conflicting_share(void **state)
{
    struct dataset ds;
    struct index ix;

    dataset_init(&ds);
    size_t a = tax(&ds, "0100233488", IDK_TAXCODE, "0100233488", IDK_PERSONAL, "034085001111");
    size_t b = tax(&ds, "0100233488", IDK_TAXCODE, "0100233488", IDK_PERSONAL, "034190001112");
    size_t c = si(&ds, "0100233488", IDK_SI, "3401234567", IDK_PERSONAL, "034190001112");
    size_t d = si(&ds, "0100233488", IDK_SI, "3401234567", IDK_PERSONAL, "034080001113");
    size_t e = tax(&ds, "0300588569", IDK_TAXCODE, "8012345677", IDK_PERSONAL, "034085001111");
    index_build(&ix, &ds);
    assert_int_not_equal(ds.tax[a].person, ds.tax[b].person);
    assert_int_equal(ds.tax[b].person, ds.si[c].person); /* through the personal ID */
    assert_int_not_equal(ds.si[c].person, ds.si[d].person);
    assert_int_equal(ds.tax[a].person, ds.tax[e].person); /* other tax codes, one person */
    index_free(&ix);
    dataset_free(&ds);
}

static void
test_empty(void **state)
{
    struct dataset ds;
    struct index ix;

    dataset_init(&ds);
    index_build(&ix, &ds);
    assert_int_equal(index_emp_si(&ix, EA, NULL), CHAIN_END);
    assert_int_equal(index_registry(&ix, EA), -1);
    assert_int_equal(index_person_si(&ix, 0), CHAIN_END);
    index_free(&ix);
    assert_null(ix.parent);
    dataset_free(&ds);
}

static const char *
code_of(const void *ctx, uint32_t i)
{
    return ((const char *const *)ctx)[i];
}

/* Records grouped by employer code: one run per code, packed codes by
 * number, codes that do not pack (letters, too long) after them by text. */
static void
test_sort_codes(void **state)
{
    static const char *const codes[] = {
        "0300588569", "A-17", "0100233488", "0100233488001", "0300588569",
        "1234567890123456", "A-17", "0100233488",
    };
    const size_t n = sizeof codes / sizeof codes[0];
    struct index_entry e[8];
    const char *runs[8];
    size_t nruns = 0, total = 0;

    for (size_t i = 0; i < n; i++)
        e[i].owner = (uint32_t)i;
    index_sort_codes(e, n, NULL, code_of, codes);
    for (size_t i = 0, j; i < n; i = j) {
        j = index_code_run(e, n, i, code_of, codes);
        for (size_t k = i; k < j; k++)
            assert_string_equal(codes[e[k].owner], codes[e[i].owner]);
        runs[nruns++] = codes[e[i].owner];
        total += j - i;
    }
    assert_int_equal(total, n);
    assert_int_equal(nruns, 5);
    assert_string_equal(runs[0], "0100233488");
    assert_string_equal(runs[1], "0300588569");
    assert_string_equal(runs[2], "0100233488001");
    assert_string_equal(runs[3], "1234567890123456"); /* 16 digits: by text */
    assert_string_equal(runs[4], "A-17");
}

/* A record with three kinds of identifier (held aside, not inline) joins
 * through each of them. */
static void
test_three_kinds(void **state)
{
    struct dataset ds;
    struct index ix;

    dataset_init(&ds);
    size_t t = tax(&ds, EA, IDK_PERSONAL, "034090000001", IDK_TAXCODE, "8000000001");
    ids_put(&ds.a, &ds.tax[t].ids, ids_key(IDK_CMND, "100000001"));
    assert_int_equal(ds.tax[t].ids.k[0], IDS_MORE);
    size_t s1 = si(&ds, EA, IDK_CMND, "100000001", IDK_NONE, NULL);
    size_t s2 = si(&ds, EB, IDK_TAXCODE, "8000000001", IDK_NONE, NULL);
    size_t s3 = si(&ds, EC, IDK_SI, "0100000001", IDK_NONE, NULL);
    index_build(&ix, &ds);
    assert_int_equal(ds.si[s1].person, ds.tax[t].person);
    assert_int_equal(ds.si[s2].person, ds.tax[t].person);
    assert_true(ds.si[s3].person != ds.tax[t].person);
    index_free(&ix);
    dataset_free(&ds);
}

/* Many records, checked against plain definitions: records that share a
 * key are one person whose number is the smallest record number among
 * them, and the (employer, person) chains hold every SI record of the pair
 * in record order.  Half the identifiers end in the same low bits (one big
 * bucket: the radix path), half are spread (small buckets: insertion);
 * over 2048 employers, so the pairs' buckets take more than one employer. */
static int
cmp_key_owner(const void *pa, const void *pb)
{
    const struct index_entry *a = pa, *b = pb;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->owner < b->owner ? -1 : a->owner > b->owner;
}

static void
test_bulk_against_plain(void **state)
{
    enum { NTAX = 6000, NSI = 9000, NEMP = 3000, NPOOL = 4000 };
    static char codes[NEMP][24];
    struct dataset ds;
    struct index ix;
    uint64_t seed = 7;
    char v[32];

    dataset_init(&ds);
    for (int e = 0; e < NEMP; e++)
        snprintf(codes[e], sizeof codes[e], "01%08d", e * 7919 % 100000000);
    for (size_t i = 0; i < NTAX + NSI; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned p = (unsigned)(seed >> 33) % NPOOL;
        unsigned long long val = p % 2 ? 34090000000ull + p * 2048ull /* one bucket */
                                       : 34090000000ull + p * 7919ull;
        snprintf(v, sizeof v, "%012llu", val);
        const char *emp = codes[(seed >> 13) % NEMP / (p % 3 ? 1 : 50)];
        if (i < NTAX)
            tax(&ds, emp, IDK_PERSONAL, v, IDK_NONE, NULL);
        else
            si(&ds, emp, IDK_PERSONAL, v, IDK_NONE, NULL);
    }
    index_build(&ix, &ds);
    assert_true(ix.nemp_ids > 2048);

    size_t n = NTAX + NSI;
    struct index_entry *k = malloc(n * sizeof *k);
    assert_non_null(k);
    for (size_t i = 0; i < n; i++) {
        k[i].key = i < NTAX ? ids_get(&ds.tax[i].ids, IDK_PERSONAL) : ids_get(&ds.si[i - NTAX].ids, IDK_PERSONAL);
        k[i].owner = (uint32_t)i;
    }
    qsort(k, n, sizeof *k, cmp_key_owner);
    for (size_t i = 0, first = 0; i < n; i++) {
        if (i > 0 && k[i].key != k[i - 1].key)
            first = i;
        uint32_t o = k[i].owner;
        uint32_t person = o < NTAX ? ds.tax[o].person : ds.si[o - NTAX].person;
        assert_int_equal(person, k[first].owner);
    }
    /* (employer, person) pairs of the SI records, then the chains */
    for (size_t i = 0; i < NSI; i++) {
        k[i].key = ((uint64_t)ds.si[i].emp_id << 32) | ds.si[i].person;
        k[i].owner = (uint32_t)i;
    }
    qsort(k, NSI, sizeof *k, cmp_key_owner);
    for (size_t i = 0; i < NSI;) {
        size_t j = i;
        uint32_t at = index_emp_person_si_by_id(&ix, ds.si[k[i].owner].emp_id,
                                                ds.si[k[i].owner].person);
        for (; j < NSI && k[j].key == k[i].key; j++) {
            assert_int_equal(at, k[j].owner);
            at = ix.next_ep[at];
        }
        assert_int_equal(at, CHAIN_END);
        i = j;
    }
    /* every tax record's head at once, as one lookup each gives it */
    uint32_t *heads = malloc(NTAX * sizeof *heads);
    assert_non_null(heads);
    index_emp_person_heads(&ix, &ds, heads);
    size_t found = 0;
    for (size_t i = 0; i < NTAX; i++) {
        assert_int_equal(heads[i], index_emp_person_si_by_id(&ix, ds.tax[i].emp_id,
                                                             ds.tax[i].person));
        found += heads[i] != CHAIN_END;
    }
    assert_true(found > 0 && found < NTAX);
    /* the same heads when the build takes them itself, before its chains
     * (index_build_heads), and the same chains after them */
    uint32_t *inside = malloc(NTAX * sizeof *inside);
    struct index ix2;
    assert_non_null(inside);
    index_build_heads(&ix2, &ds, inside);
    assert_memory_equal(inside, heads, NTAX * sizeof *heads);
    assert_int_equal(ix2.nemp_ids, ix.nemp_ids);
    assert_memory_equal(ix2.next_emp, ix.next_emp, NSI * sizeof *ix.next_emp);
    assert_memory_equal(ix2.next_ep, ix.next_ep, NSI * sizeof *ix.next_ep);
    assert_memory_equal(ix2.next_p, ix.next_p, NSI * sizeof *ix.next_p);
    index_free(&ix2);
    free(inside);
    free(heads);
    free(k);
    index_free(&ix);
    dataset_free(&ds);
}

/* Grouping alone: every code one run, each entry once, whatever the order
 * between codes; over 2048 codes and big buckets, codes that do not pack
 * (letters, 16 digits) grouped by text too. */
static void
test_group_codes(void **state)
{
    enum { N = 20000, NCODES = 3000 };
    static char codes[NCODES][24];
    static const char *of[N];
    static struct index_entry e[N];
    static unsigned char seen[NCODES];
    static unsigned char got[N];
    uint64_t seed = 11;

    for (int c = 0; c < NCODES; c++) {
        if (c % 97 == 0)
            snprintf(codes[c], sizeof codes[c], "A-%d", c); /* does not pack */
        else if (c % 89 == 0)
            snprintf(codes[c], sizeof codes[c], "12345678901234%02d", c % 100); /* 16 digits */
        else
            snprintf(codes[c], sizeof codes[c], "01%08d", c % 2 ? c * 2048 : c * 7919);
    }
    for (size_t i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        of[i] = codes[(seed >> 33) % NCODES];
        e[i].owner = (uint32_t)i;
    }
    index_group_codes(e, N, code_of, of);
    memset(seen, 0, sizeof seen);
    memset(got, 0, sizeof got);
    size_t runs = 0;
    for (size_t i = 0, j; i < N; i = j) {
        j = index_code_run(e, N, i, code_of, of);
        size_t c = (size_t)(of[e[i].owner] - codes[0]) / sizeof codes[0];
        assert_false(seen[c]); /* one run a code */
        seen[c] = 1;
        runs++;
        for (size_t k = i; k < j; k++) {
            assert_string_equal(of[e[k].owner], of[e[i].owner]);
            assert_false(got[e[k].owner]);
            got[e[k].owner] = 1;
        }
    }
    size_t distinct = 0;
    for (size_t i = 0; i < N; i++)
        assert_true(got[i]);
    for (int c = 0; c < NCODES; c++)
        distinct += seen[c];
    assert_int_equal(runs, distinct);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_codes),
        cmocka_unit_test(test_group_codes),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_clusters_order),
        cmocka_unit_test(test_chains),
        cmocka_unit_test(test_employer_numbers),
        cmocka_unit_test(test_employer_ordinals),
        cmocka_unit_test(test_pack_id),
        cmocka_unit_test(test_conflicting_share),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bulk_against_plain),
        cmocka_unit_test(test_three_kinds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
