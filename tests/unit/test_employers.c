/*
 * test_employers.c - the per-employer roll-up (docs/matching.md, "Roll-up, findings and arrears"): counts,
 * findings, --min-missing, the ranking, coverage, the employees and review
 * lists, registry data, and the arrears estimate against hand-computed
 * values.  Records carry their decisions directly (set as match.c would).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "sirecon/employers.h"
#include "sirecon/load.h"
#include "sirecon/names.h"

#define EA "0100233488"
#define EB "0300588569"
#define EC "0101248141"
#define ED "0100684378"
#define EE "0100107370"
#define EF "0100109106"

static struct profile pf;
static const struct period y2025 = {2025 * 12, 2025 * 12 + 11};

static void
ds_init(struct dataset *ds)
{
    struct input_file *in;

    dataset_init(ds);
    in = dataset_add_file(ds);
    in->path = "tax.csv";
    in->kind = KIND_TAX;
}

/* A decided tax record at emp. */
static size_t
rec(struct dataset *ds, const char *emp, const char *name, rec_status st,
    int64_t income)
{
    struct tax_rec *t = dataset_add_tax(ds);
    size_t i = ds->ntax - 1;

    t->emp = emp;
    t->emp_name = "";
    t->name = names_pname(&ds->a, name, strlen(name));
    t->emp_id = (uint32_t)i; /* the employer's number, as the index gives it */
    for (size_t j = 0; j < i; j++)
        if (strcmp(ds->tax[j].emp, emp) == 0) {
            t->emp_id = ds->tax[j].emp_id;
            break;
        }
    for (size_t j = 0; j < ds->nsi; j++)
        if (strcmp(ds->si[j].emp, emp) == 0)
            t->emp_has_si = true; /* as si_at() marks it */
    t->pid_kind = IDK_NONE;
    t->tax_year = 2025;
    t->taxable_income = income;
    t->schedule = 1;
    t->line = (uint32_t)(i + 2);
    t->person = PERSON_NONE;
    t->status = st;
    t->rule = st == ST_ENROLLED || st == ST_PARTIAL ? RULE_R1_ID
            : st == ST_COVERED_ELSEWHERE ? RULE_R4_ELSEWHERE : RULE_NONE;
    t->reason = st == ST_NOT_ENROLLED ? RS_NO_SI_RECORD_AT_EMPLOYER
              : st == ST_PARTIAL ? RS_FEWER_MONTHS_THAN_INCOME
              : st == ST_COVERED_ELSEWHERE ? RS_ENROLLED_AT_OTHER_EMPLOYER
              : st == ST_REVIEW ? RS_AMBIGUOUS_NAME : RS_NONE;
    return i;
}

static void
si_at(struct dataset *ds, const char *emp)
{
    struct si_rec *s = dataset_add_si(ds);

    s->emp = emp;
    s->name = names_pname(&ds->a, "x", 1);
    s->from_month = 2025 * 12;
    s->to_month = INT32_MAX;
    /* what match_run notes for the roll-up: the employer has an SI record */
    for (size_t i = 0; i < ds->ntax; i++)
        if (strcmp(ds->tax[i].emp, emp) == 0)
            ds->tax[i].emp_has_si = true;
}

static void
registry(struct dataset *ds, const char *emp, const char *name, const char *area,
         int region)
{
    struct employer_rec *e = dataset_add_employer(ds);

    e->emp = emp;
    e->name = name;
    e->area = area;
    e->unit_code = e->address = "";
    e->wage_region = region;
}

/* Each employer's registry row, as match_run keeps it from the index: the
 * first registry row of the employer's code, -1 none. */
static void
registry_rows(struct dataset *ds)
{
    size_t n = 0;

    for (size_t i = 0; i < ds->ntax; i++)
        if (ds->tax[i].emp_id + 1 > n)
            n = ds->tax[i].emp_id + 1;
    free(ds->emp_registry);
    ds->emp_registry = malloc((n ? n : 1) * sizeof *ds->emp_registry);
    ds->nemp_registry = n;
    for (size_t k = 0; k < n; k++)
        ds->emp_registry[k] = -1;
    for (size_t i = 0; i < ds->ntax; i++) {
        int32_t *slot = &ds->emp_registry[ds->tax[i].emp_id];
        for (size_t e = 0; e < ds->nemps && *slot < 0; e++)
            if (strcmp(ds->emps[e].emp, ds->tax[i].emp) == 0)
                *slot = (int32_t)e;
    }
}

static void
rollup(struct dataset *ds, const struct profile *prof, const struct period *p, int mm,
       struct result *r)
{
    registry_rows(ds);
    employers_rollup(ds, prof, p, mm, false, r);
}

static const struct employer_sum *
find(const struct result *r, const char *emp)
{
    for (size_t k = 0; k < r->nemps; k++)
        if (strcmp(r->emps[k].emp, emp) == 0)
            return &r->emps[k];
    fail_msg("employer %s not in the result", emp);
    return NULL;
}

/* ---- arrears (docs/matching.md, "Roll-up, findings and arrears") ---- */

static int64_t
arrears(int64_t income, int64_t ded, int months, int region, int period_months)
{
    struct tax_rec t;

    memset(&t, 0, sizeof t);
    t.taxable_income = income;
    t.insurance_deduction = ded;
    t.income_months = months;
    return employers_arrears(&t, &pf, region, period_months);
}

static void
test_arrears(void **state)
{
    /* deduction path: 10,500,000 / 0.105 = 100,000,000 a year, / 12 =
     * 8,333,333.33 a month (inside [5,310,000, 46,800,000]);
     * x 12 x (0.215 + 0.105) = 32,000,000 */
    assert_int_equal(arrears(300000000, 10500000, 0, 1, 12), 32000000);
    /* the deduction decides even when taxable income is far higher or lower */
    assert_int_equal(arrears(1000, 10500000, 0, 1, 12), 32000000);
    /* taxable-income path: 120,000,000 / 12 = 10,000,000; x 12 x 0.32 */
    assert_int_equal(arrears(120000000, 0, 0, 1, 12), 38400000);
    /* clamp to the regional minimum: 24,000,000 / 12 = 2,000,000 -> 5,310,000
     * (I) x 12 x 0.32 = 20,390,400; II 4,730,000 -> 18,163,200;
     * III 4,140,000 -> 15,897,600; IV 3,700,000 -> 14,208,000 */
    assert_int_equal(arrears(24000000, 0, 0, 1, 12), 20390400);
    assert_int_equal(arrears(24000000, 0, 0, 2, 12), 18163200);
    assert_int_equal(arrears(24000000, 0, 0, 3, 12), 15897600);
    assert_int_equal(arrears(24000000, 0, 0, 4, 12), 14208000);
    /* unknown region: region I */
    assert_int_equal(arrears(24000000, 0, 0, 0, 12), 20390400);
    assert_int_equal(arrears(24000000, 0, 0, 7, 12), 20390400);
    /* a small deduction clamps to the minimum too: 1,050,000 / 0.105 / 12 =
     * 833,333 -> 5,310,000 (taxable income would have hit the cap) */
    assert_int_equal(arrears(1200000000, 1050000, 0, 1, 12), 20390400);
    /* clamp to the cap: 1,200,000,000 / 12 = 100,000,000 -> 46,800,000
     * x 12 x 0.32 = 179,712,000 */
    assert_int_equal(arrears(1200000000, 0, 0, 1, 12), 179712000);
    /* income_months are the months: 60,000,000 / 6 = 10,000,000 x 6 x 0.32 */
    assert_int_equal(arrears(60000000, 0, 6, 1, 12), 19200000);
    /* deduction over 6 months: 3,150,000 / 0.105 = 30,000,000 / 6 =
     * 5,000,000 -> 5,310,000 x 6 x 0.32 = 10,195,200 */
    assert_int_equal(arrears(999999999, 3150000, 6, 1, 12), 10195200);
    /* without income_months, the period's months: 60,000,000 / 6 */
    assert_int_equal(arrears(60000000, 0, 0, 1, 6), 19200000);
    /* no months at all: nothing */
    assert_int_equal(arrears(60000000, 0, 0, 1, 0), 0);

    /* the parameters come from the profile, not from constants */
    struct profile p2 = pf;
    p2.employer_rate = 0.2;
    p2.employee_rate = 0.1;
    p2.min_wage[0] = 1000000;
    p2.base_cap = 9000000;
    struct tax_rec t;
    memset(&t, 0, sizeof t);
    t.taxable_income = 120000000; /* 10,000,000 -> cap 9,000,000 x 12 x 0.3 */
    assert_int_equal(employers_arrears(&t, &p2, 1, 12), 32400000);
    t.taxable_income = 0;
    t.insurance_deduction = 600000; /* / 0.1 = 6,000,000 / 12 = 500,000 -> 1,000,000 */
    assert_int_equal(employers_arrears(&t, &p2, 1, 12), 3600000);
}

/* ---- roll-up ---- */

static void
test_counts_and_findings(void **state)
{
    struct dataset ds;
    struct result r;
    size_t dup;

    ds_init(&ds);
    /* EA: one of every status, two not enrolled, one with a deduction */
    rec(&ds, EA, "An", ST_ENROLLED, 100000000);
    size_t ne1 = rec(&ds, EA, "B\xc3\xacnh", ST_NOT_ENROLLED, 60000000);
    ds.tax[ne1].insurance_deduction = 10500000;
    ds.tax[ne1].flags = RF_DEDUCTED_NOT_ENROLLED;
    rec(&ds, EA, "Chi", ST_NOT_ENROLLED, 24000000);
    rec(&ds, EA, "D\xc5\xa9ng", ST_PARTIAL, 50000000);
    rec(&ds, EA, "Giang", ST_COVERED_ELSEWHERE, 40000000);
    rec(&ds, EA, "H\xc3\xa0", ST_REVIEW, 30000000);
    /* a merged duplicate counts nowhere but in duplicates */
    dup = rec(&ds, EA, "Chi", ST_NOT_ENROLLED, 24000000);
    ds.tax[dup].duplicate = true;
    si_at(&ds, EA);
    /* EB: not enrolled, and no SI record at all */
    rec(&ds, EB, "Kh\xc3\xa1nh", ST_NOT_ENROLLED, 24000000);
    /* EC: only partial records (and an enrolled one) */
    rec(&ds, EC, "Lan", ST_PARTIAL, 24000000);
    rec(&ds, EC, "Minh", ST_PARTIAL, 24000000);
    rec(&ds, EC, "Nam", ST_ENROLLED, 24000000);
    si_at(&ds, EC);
    /* ED: all enrolled */
    rec(&ds, ED, "Oanh", ST_ENROLLED, 24000000);
    si_at(&ds, ED);
    /* EE: a review record only */
    rec(&ds, EE, "Ph\xc3\xba", ST_REVIEW, 24000000);

    rollup(&ds, &pf, &y2025, 1, &r);
    assert_int_equal(r.nemps, 5);
    assert_int_equal(r.nlisted, 3);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(r.by_status[ST_ENROLLED], 3);
    assert_int_equal(r.by_status[ST_NOT_ENROLLED], 3);
    assert_int_equal(r.by_status[ST_PARTIAL], 3);
    assert_int_equal(r.by_status[ST_COVERED_ELSEWHERE], 1);
    assert_int_equal(r.by_status[ST_REVIEW], 2);
    assert_int_equal(r.by_rule[RULE_R1_ID], 6);
    assert_int_equal(r.by_rule[RULE_R4_ELSEWHERE], 1);
    assert_int_equal(r.by_rule[RULE_NONE], 5);
    assert_int_equal(r.by_finding[FIND_UNDER_ENROLLMENT], 1);
    assert_int_equal(r.by_finding[FIND_NO_SI_REGISTRATION], 1);
    assert_int_equal(r.by_finding[FIND_PARTIAL_ENROLLMENT], 1);
    assert_int_equal(r.period.first, y2025.first);
    assert_int_equal(r.period.last, y2025.last);

    const struct employer_sum *a = find(&r, EA);
    assert_true(a->listed);
    assert_int_equal(a->finding, FIND_UNDER_ENROLLMENT);
    assert_true(a->has_si);
    assert_int_equal(a->taxed, 6);
    assert_int_equal(a->enrolled, 1);
    assert_int_equal(a->not_enrolled, 2);
    assert_int_equal(a->partial, 1);
    assert_int_equal(a->covered_elsewhere, 1);
    assert_int_equal(a->review, 1);
    assert_int_equal(a->deducted_not_enrolled, 1);
    assert_int_equal(a->nrecs, 6);
    assert_true(fabs(a->coverage_pct - 100.0 / 6.0) < 1e-9);
    assert_int_equal(a->unenrolled_income, 84000000);
    /* 32,000,000 (deduction path) + 20,390,400 (minimum wage) */
    assert_int_equal(a->est_arrears, 52390400);
    /* employer totals equal the sum of their records (docs/architecture.md, "Invariants") */
    assert_int_equal(a->taxed, a->enrolled + a->not_enrolled + a->partial +
                                   a->covered_elsewhere + a->review);

    const struct employer_sum *b = find(&r, EB);
    assert_true(b->listed);
    assert_false(b->has_si);
    assert_int_equal(b->finding, FIND_NO_SI_REGISTRATION);
    assert_true(fabs(b->coverage_pct) < 1e-9);

    const struct employer_sum *c = find(&r, EC);
    assert_true(c->listed);
    assert_int_equal(c->finding, FIND_PARTIAL_ENROLLMENT);
    assert_int_equal(c->partial, 2);
    assert_int_equal(c->not_enrolled, 0);
    assert_int_equal(c->est_arrears, 0); /* arrears count not-enrolled only */
    assert_true(fabs(c->coverage_pct - 100.0 / 3.0) < 1e-9);

    const struct employer_sum *d = find(&r, ED);
    assert_false(d->listed);
    assert_int_equal(d->rank, 0);
    assert_int_equal(d->finding, FIND_NONE);
    assert_true(fabs(d->coverage_pct - 100.0) < 1e-9);

    const struct employer_sum *e = find(&r, EE);
    assert_false(e->listed);
    assert_int_equal(e->review, 1);
    assert_false(e->has_si);

    /* the listed employers come first, ranked; then the rest by code */
    for (size_t k = 0; k < r.nemps; k++) {
        assert_int_equal(r.emps[k].listed, k < r.nlisted);
        assert_int_equal(r.emps[k].rank, k < r.nlisted ? (int)k + 1 : 0);
    }
    assert_string_equal(r.emps[3].emp, EE); /* 0100107370 < 0100684378 */
    assert_string_equal(r.emps[4].emp, ED);
    /* EA 52.4M, EB 20.4M, EC 0 */
    assert_string_equal(r.emps[0].emp, EA);
    assert_string_equal(r.emps[1].emp, EB);
    assert_string_equal(r.emps[2].emp, EC);

    employers_free(&r);
    dataset_free(&ds);
}

static void
test_min_missing(void **state)
{
    struct dataset ds;
    struct result r;

    ds_init(&ds);
    rec(&ds, EA, "A", ST_NOT_ENROLLED, 24000000);
    rec(&ds, EA, "B", ST_NOT_ENROLLED, 24000000);
    si_at(&ds, EA);
    rec(&ds, EB, "C", ST_NOT_ENROLLED, 24000000);
    rec(&ds, EB, "D", ST_ENROLLED, 24000000);
    si_at(&ds, EB);
    rec(&ds, EC, "E", ST_PARTIAL, 24000000);
    si_at(&ds, EC);

    for (int mm = 0; mm <= 3; mm++) {
        rollup(&ds, &pf, &y2025, mm, &r);
        const struct employer_sum *a = find(&r, EA), *b = find(&r, EB), *c = find(&r, EC);
        /* 0 behaves like the default 1 */
        int eff = mm > 0 ? mm : 1;
        assert_int_equal(a->listed, 2 >= eff);
        assert_int_equal(b->listed, 1 >= eff);
        assert_int_equal(c->listed, 1 >= eff);
        assert_int_equal(r.nlisted, (2 >= eff) + (1 >= eff) * 2);
        assert_int_equal(b->finding, b->listed ? FIND_UNDER_ENROLLMENT : FIND_NONE);
        assert_int_equal(b->rank, b->listed ? 2 : 0);
        /* counts do not depend on listing */
        assert_int_equal(b->not_enrolled, 1);
        assert_int_equal(b->enrolled, 1);
        /* an unlisted employer's non-enrolled staff are not in employees */
        size_t want = (2 >= eff ? 2 : 0) + (1 >= eff ? 2 : 0);
        assert_int_equal(r.nemployees, want);
        employers_free(&r);
    }
    dataset_free(&ds);
}

static void
test_ranking(void **state)
{
    struct dataset ds;
    struct result r;

    ds_init(&ds);
    /* E1 (EE): one, 20,390,400 */
    rec(&ds, EE, "A", ST_NOT_ENROLLED, 24000000);
    /* E2 (EB): two, 40,780,800 */
    rec(&ds, EB, "B", ST_NOT_ENROLLED, 24000000);
    rec(&ds, EB, "C", ST_NOT_ENROLLED, 24000000);
    /* E3 (EF): one, 20,390,400, larger code than EE */
    rec(&ds, EF, "D", ST_NOT_ENROLLED, 24000000);
    /* E4 (ED): region IV from the registry: 14,208,000 */
    rec(&ds, ED, "E", ST_NOT_ENROLLED, 24000000);
    registry(&ds, ED, "Region IV", "", 4);
    /* E5 (EC): two in region IV: 28,416,000 */
    rec(&ds, EC, "F", ST_NOT_ENROLLED, 24000000);
    rec(&ds, EC, "G", ST_NOT_ENROLLED, 24000000);
    registry(&ds, EC, "Region IV too", "", 4);
    /* E6 (EA, the smallest code): one, 127,440,000 / 12 = 10,620,000 x 12 x
     * 0.32 = 40,780,800 -- the same arrears as E2, fewer records */
    rec(&ds, EA, "H", ST_NOT_ENROLLED, 127440000);

    rollup(&ds, &pf, &y2025, 1, &r);
    assert_int_equal(r.nlisted, 6);
    assert_int_equal(find(&r, EB)->est_arrears, 40780800);
    assert_int_equal(find(&r, EA)->est_arrears, 40780800);
    assert_int_equal(find(&r, EC)->est_arrears, 28416000);
    assert_int_equal(find(&r, EE)->est_arrears, 20390400);
    assert_int_equal(find(&r, EF)->est_arrears, 20390400);
    assert_int_equal(find(&r, ED)->est_arrears, 14208000);
    static const char *const want[] = {EB, EA, EC, EE, EF, ED};
    for (size_t k = 0; k < 6; k++) {
        assert_string_equal(r.emps[k].emp, want[k]);
        assert_int_equal(r.emps[k].rank, (int)k + 1);
    }
    employers_free(&r);
    dataset_free(&ds);
}

static void
test_lists_order(void **state)
{
    struct dataset ds;
    struct result r;
    size_t a_ne_z, a_ne_b, a_part, a_rev, a_ce, a_enr, b_ne, u_rev1, u_rev2, u_ne,
        v_rev;

    ds_init(&ds);
    /* EB ranks first (two not enrolled), EA second */
    b_ne = rec(&ds, EB, "Y", ST_NOT_ENROLLED, 240000000);
    rec(&ds, EB, "Z", ST_NOT_ENROLLED, 24000000);
    a_ce = rec(&ds, EA, "Anh", ST_COVERED_ELSEWHERE, 1);
    a_rev = rec(&ds, EA, "Bao", ST_REVIEW, 1);
    a_enr = rec(&ds, EA, "Cuong", ST_ENROLLED, 1);
    a_part = rec(&ds, EA, "Dung", ST_PARTIAL, 1);
    a_ne_z = rec(&ds, EA, "Zung", ST_NOT_ENROLLED, 24000000);
    a_ne_b = rec(&ds, EA, "Binh", ST_NOT_ENROLLED, 1);
    /* unlisted employers with REVIEW records: ED, EC (ED < EC by code) */
    v_rev = rec(&ds, ED, "Vu", ST_REVIEW, 1);
    u_rev2 = rec(&ds, EC, "Yen", ST_REVIEW, 1);
    u_ne = rec(&ds, EC, "Xuan", ST_NOT_ENROLLED, 1);
    u_rev1 = rec(&ds, EC, "Xuan", ST_REVIEW, 1);
    (void)u_ne;

    rollup(&ds, &pf, &y2025, 2, &r);
    assert_int_equal(r.nlisted, 2);
    assert_string_equal(r.emps[0].emp, EB);
    assert_string_equal(r.emps[1].emp, EA);
    assert_string_equal(r.emps[2].emp, ED);
    assert_string_equal(r.emps[3].emp, EC);

    /* listed employers by rank, within one: not enrolled, partial, review,
     * covered elsewhere (by name); never enrolled; then REVIEW records of
     * unlisted employers, by employer code */
    const size_t want[] = {b_ne, b_ne + 1, a_ne_b, a_ne_z, a_part, a_rev, a_ce,
                           v_rev, u_rev1, u_rev2};
    assert_int_equal(r.nemployees, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r.nemployees; i++) {
        if (r.employees[i] != want[i])
            print_error("employees[%zu] = %s\n", i, ds.tax[r.employees[i]].name->full);
        assert_int_equal(r.employees[i], want[i]);
    }
    for (size_t i = 0; i < r.nemployees; i++)
        assert_true(r.employees[i] != a_enr);
    /* review: every REVIEW record, listed employers first */
    const size_t wrev[] = {a_rev, v_rev, u_rev1, u_rev2};
    assert_int_equal(r.nreview, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(r.review[i], wrev[i]);
    /* per-employer record lists are in the same order, enrolled last */
    const struct employer_sum *a = find(&r, EA);
    assert_int_equal(a->nrecs, 6);
    assert_int_equal(a->recs[0], a_ne_b);
    assert_int_equal(a->recs[5], a_enr);
    employers_free(&r);
    dataset_free(&ds);
}

static void
test_registry(void **state)
{
    struct dataset ds;
    struct result r;
    size_t t;

    ds_init(&ds);
    registry(&ds, EA, "C\xc3\xb4ng ty TNHH An Ph\xc3\xba", "Qu\xe1\xbb\xb3nh Ph\xe1\xbb\xa5", 3);
    registry(&ds, EA, "A second row loses", "Elsewhere", 1);
    registry(&ds, EB, "", "Ti\xe1\xbb\x81n H\xe1\xba\xa3i", 0);
    t = rec(&ds, EA, "A", ST_NOT_ENROLLED, 24000000);
    ds.tax[t].emp_name = "Declared name (ignored: the registry has one)";
    t = rec(&ds, EB, "B", ST_NOT_ENROLLED, 24000000);
    ds.tax[t].emp_name = "Zeta Co";
    t = rec(&ds, EB, "C", ST_NOT_ENROLLED, 24000000);
    ds.tax[t].emp_name = "Alpha Co";
    /* not in the registry at all */
    rec(&ds, EC, "D", ST_NOT_ENROLLED, 24000000);

    rollup(&ds, &pf, &y2025, 1, &r);
    const struct employer_sum *a = find(&r, EA), *b = find(&r, EB), *c = find(&r, EC);
    assert_string_equal(a->name, "C\xc3\xb4ng ty TNHH An Ph\xc3\xba");
    assert_string_equal(a->area, "Qu\xe1\xbb\xb3nh Ph\xe1\xbb\xa5");
    assert_int_equal(a->wage_region, 3);
    assert_int_equal(a->est_arrears, 15897600); /* region III minimum */
    /* registry without a name: the smallest declared name; region default I */
    assert_string_equal(b->name, "Alpha Co");
    assert_string_equal(b->area, "Ti\xe1\xbb\x81n H\xe1\xba\xa3i");
    assert_int_equal(b->wage_region, 1);
    assert_int_equal(b->est_arrears, 2 * 20390400);
    assert_string_equal(c->name, "");
    assert_string_equal(c->area, "");
    assert_int_equal(c->wage_region, 1);
    assert_string_equal(c->trend, "");
    employers_free(&r);
    dataset_free(&ds);
}

/* Arrears follow the review period when income_months is unknown. */
static void
test_period_months(void **state)
{
    struct dataset ds;
    struct result r;
    const struct period h1 = {2025 * 12, 2025 * 12 + 5};

    ds_init(&ds);
    rec(&ds, EA, "A", ST_NOT_ENROLLED, 60000000);
    rollup(&ds, &pf, &h1, 1, &r);
    assert_int_equal(r.emps[0].est_arrears, 19200000); /* 10,000,000 x 6 x 0.32 */
    assert_int_equal(r.emps[0].unenrolled_income, 60000000);
    employers_free(&r);
    dataset_free(&ds);
}

static void
test_empty(void **state)
{
    struct dataset ds;
    struct result r;

    ds_init(&ds);
    rollup(&ds, &pf, &y2025, 1, &r);
    assert_int_equal(r.nemps, 0);
    assert_int_equal(r.nlisted, 0);
    assert_int_equal(r.nemployees, 0);
    assert_int_equal(r.nreview, 0);
    employers_free(&r);
    dataset_free(&ds);
}

/* Month over month: NEW, ONGOING (n+1 months), and resolved employers. */
static void
test_trend(void **state)
{
    struct result r;
    struct employer_sum emps[2];
    struct previous_emp prev[2] = {{"0100233488", 2}, {"0300588569", 1}};
    const char **resolved;
    size_t nres;

    memset(&r, 0, sizeof r);
    memset(emps, 0, sizeof emps);
    emps[0].emp = "0101248141";
    emps[1].emp = "0100233488";
    r.emps = emps;
    r.nemps = r.nlisted = 2;
    employers_trend(&r, prev, 2, &resolved, &nres);
    assert_string_equal(emps[0].trend, "NEW");
    assert_string_equal(emps[1].trend, "ONGOING (3 months)");
    assert_int_equal(nres, 1);
    assert_string_equal(resolved[0], "0300588569");
    free(resolved);
    employers_trend(&r, NULL, 0, &resolved, &nres);
    assert_string_equal(emps[1].trend, "NEW");
    assert_int_equal(nres, 0);
    free(resolved);
}

static void
test_finding_names(void **state)
{
    assert_string_equal(employers_finding_name(FIND_NONE), "");
    assert_string_equal(employers_finding_name(FIND_NO_SI_REGISTRATION), "NO_SI_REGISTRATION");
    assert_string_equal(employers_finding_name(FIND_UNDER_ENROLLMENT), "UNDER_ENROLLMENT");
    assert_string_equal(employers_finding_name(FIND_PARTIAL_ENROLLMENT), "PARTIAL_ENROLLMENT");
    assert_string_equal(employers_finding_name(FIND_COUNT), "?");
}

static int
setup(void **state)
{
    profile_defaults(&pf);
    return 0;
}

/* A previous run's employers.csv, by file or by folder. */
static void
test_read_previous(void **state)
{
    const char *t = getenv("TMPDIR");
    char dir[256], p[300], other[300], nowhere[300];
    struct previous_emp *v;
    struct diag d = {0};
    size_t n;
    FILE *f;

    snprintf(dir, sizeof dir, "%s/test_employers.XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof p, "%s/employers.csv", dir);
    snprintf(other, sizeof other, "%s/other.csv", dir);
    snprintf(nowhere, sizeof nowhere, "%s/nowhere", dir);
    assert_non_null(f = fopen(p, "w"));
    fputs("\xEF\xBB\xBFrank,employer_tax_id,employer_name,trend\r\n"
          "1,0100233488,\"Cty A, CN\",ONGOING (3 months)\r\n"
          "2,0300588569,Cty B,NEW\r\n"
          "3,0101248141,Cty C,\r\n", f);
    fclose(f);
    assert_non_null(f = fopen(other, "w"));
    fputs("a,b\n1,2\n", f);
    fclose(f);
    assert_int_equal(employers_read_previous(p, &v, &n, &d), SIRECON_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].emp, "0100233488");
    assert_int_equal(v[0].months, 3);
    assert_string_equal(v[1].emp, "0300588569");
    assert_int_equal(v[1].months, 1);
    assert_int_equal(v[2].months, 1);
    free(v);
    assert_int_equal(employers_read_previous(dir, &v, &n, &d), SIRECON_OK);
    assert_int_equal(n, 3);
    free(v);
    assert_int_equal(employers_read_previous(other, &v, &n, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "employer_tax_id"));
    assert_null(v);
    assert_int_equal(employers_read_previous(nowhere, &v, &n, &d), SIRECON_ERR_NOINPUT);
    unlink(p);
    unlink(other);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrears),
        cmocka_unit_test(test_counts_and_findings),
        cmocka_unit_test(test_min_missing),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_lists_order),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_period_months),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_finding_names),
        cmocka_unit_test(test_trend),
        cmocka_unit_test(test_read_previous),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
