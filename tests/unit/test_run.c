/*
 * test_run.c - the run API (run.h) on small files written here: the
 * stages in order with their statuses, the period taken from the data or
 * refused when the data holds two years, a bad period, the reject-rate
 * policy, the invariants (a broken roll-up is caught), a match trace that
 * notes only what it selected and changes no decision, the employer code
 * as filed kept beside its parent, and run_inspect_file for `check`.
 * Employers 0100233488 and 0300588569 have valid check digits; personal IDs
 * are made up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run_files.h"
#include "sirecon/run.h"

static char root[256];
static char tax_path[300], si_path[300], tax2_path[300], bad_path[300];

static int
setup(void **state)
{
    if (make_root(root, sizeof root, "test_run") != 0)
        return -1;
    snprintf(tax_path, sizeof tax_path, "%s/tax.csv", root);
    snprintf(tax2_path, sizeof tax2_path, "%s/tax2.csv", root);
    snprintf(si_path, sizeof si_path, "%s/si.csv", root);
    snprintf(bad_path, sizeof bad_path, "%s/bad.csv", root);
    put(tax_path, HDR_TAX
        "0100233488-001,Cty A CN,Nguyễn Văn An,,034085001111,,2025,,100000000,0,0,05-1\n"
        "0100233488,Cty A,Lê Văn Cường,,001088003333,,2025,,90000000,9000000,0,05-1\n"
        "0300588569,Cty B,Phạm Văn Dũng,,034080005555,,2025,,80000000,0,0,05-1\n");
    put(si_path, HDR_SI
        "0100233488,,Nguyễn Văn An,3401234567,034085001111,15/03/1985,6000000,01/2025,,TM\n"
        "0100233488,,Trần Thị Bình,3401234568,034190002222,,6000000,01/2025,,TM\n"
        "0100233488,,Phạm Văn Dũng,3401234599,034080005555,,6000000,01/2025,,TM\n");
    put(tax2_path, HDR_TAX
        "0100233488,Cty A,Lê Văn Cường,,001088003333,,2024,,90000000,0,0,05-1\n");
    put(bad_path, HDR_TAX
        "0100233488,Cty A,Lê Văn Cường,,001088003333,,2025,,lots,0,0,05-1\n"
        "0100233488,Cty A,Lê Văn Cường,,001088003333,,2025,,many,0,0,05-1\n"
        "0100233488,Cty A,Nguyễn Văn An,,034085001111,,2025,,100000000,0,0,05-1\n");
    (void)state;
    return 0;
}

static int
teardown(void **state)
{
    unlink(tax_path);
    unlink(tax2_path);
    unlink(si_path);
    unlink(bad_path);
    rmdir(root);
    (void)state;
    return 0;
}

static void
opts(struct run_opts *o, char **tax, size_t ntax, char **si)
{
    memset(o, 0, sizeof *o);
    o->tax = tax;
    o->ntax = ntax;
    o->si = si;
    o->nsi = 1;
    o->encoding = ENC_UNKNOWN;
    o->min_missing = 1;
    o->max_reject_rate = 0.05;
}

static const struct tax_rec *
by_line(const struct dataset *ds, uint32_t line)
{
    for (size_t i = 0; i < ds->ntax; i++)
        if (ds->tax[i].line == line)
            return &ds->tax[i];
    fail_msg("no tax record at line %u", line);
    return NULL;
}

static void
test_stages(void **state)
{
    struct profile pf;
    struct run r;
    struct run_opts o;
    struct diag d = {0};
    char *tax[] = {tax_path}, *si[] = {si_path};

    profile_defaults(&pf);
    run_init(&r, &pf);
    opts(&o, tax, 1, si);
    assert_int_equal(run_load(&r, &o, &d), SIRECON_OK);
    /* the period is the one tax year of the data */
    assert_int_equal(r.mo.period.first, 2025 * 12);
    assert_int_equal(r.mo.period.last, 2025 * 12 + 11);
    assert_int_equal(r.ds.ntax, 3);
    assert_int_equal(r.ds.nsi, 3);
    assert_int_equal(run_decide(&r, &o, NULL, &d), SIRECON_OK);
    /* the branch row reconciles under its parent and keeps its own code */
    const struct tax_rec *an = by_line(&r.ds, 2);
    assert_string_equal(an->emp, "0100233488");
    assert_string_equal(an->emp_filed, "0100233488001");
    assert_int_equal(an->status, ST_ENROLLED);
    assert_int_equal(an->rule, RULE_R1_ID);
    const struct tax_rec *cuong = by_line(&r.ds, 3);
    assert_int_equal(cuong->status, ST_NOT_ENROLLED);
    assert_true(cuong->flags & RF_DEDUCTED_NOT_ENROLLED);
    const struct tax_rec *dung = by_line(&r.ds, 4);
    assert_int_equal(dung->status, ST_COVERED_ELSEWHERE);
    assert_string_equal(records_other_emp(&r.ds, dung), "0100233488");
    assert_int_equal(r.res.nlisted, 1);
    assert_string_equal(r.res.emps[0].emp, "0100233488");
    assert_int_equal(r.min_missing, 1);
    assert_true(r.load_seconds >= 0 && r.match_seconds >= 0);
    /* a roll-up that does not add up is caught */
    r.res.emps[0].enrolled++;
    assert_int_equal(run_check_invariants(&r.ds, &r.res, &d), SIRECON_ERR_INTERNAL);
    assert_non_null(strstr(d.msg, "employer totals"));
    r.res.emps[0].enrolled--;
    assert_int_equal(run_check_invariants(&r.ds, &r.res, &d), SIRECON_OK);
    r.res.by_status[ST_ENROLLED]++;
    assert_int_equal(run_check_invariants(&r.ds, &r.res, &d), SIRECON_ERR_INTERNAL);
    r.res.by_status[ST_ENROLLED]--;
    run_free(&r);
    profile_free(&pf);
}

static void
test_period_and_policy(void **state)
{
    struct profile pf;
    struct run r;
    struct run_opts o;
    struct diag d = {0};
    char *two[] = {tax_path, tax2_path}, *si[] = {si_path}, *bad[] = {bad_path};

    profile_defaults(&pf);
    /* two tax years and no --period */
    run_init(&r, &pf);
    opts(&o, two, 2, si);
    assert_int_equal(run_load(&r, &o, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "several tax years (2024 and 2025)"));
    run_free(&r);
    /* with --period the other year's rows are skipped */
    run_init(&r, &pf);
    o.period = "2025";
    assert_int_equal(run_load(&r, &o, &d), SIRECON_OK);
    assert_int_equal(r.ds.ntax, 3);
    run_free(&r);
    /* a bad period is a usage error */
    run_init(&r, &pf);
    o.period = "2025-13";
    assert_int_equal(run_load(&r, &o, &d), SIRECON_ERR_USAGE);
    run_free(&r);
    /* two of three rows rejected: over 5 %, under 70 % */
    run_init(&r, &pf);
    opts(&o, bad, 1, si);
    assert_int_equal(run_load(&r, &o, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "2 of 3 data rows rejected"));
    assert_non_null(strstr(d.file, "bad.csv"));
    run_free(&r);
    run_init(&r, &pf);
    o.max_reject_rate = 0.7;
    assert_int_equal(run_load(&r, &o, &d), SIRECON_OK);
    assert_int_equal(r.ds.nrejects, 2);
    run_free(&r);
    profile_free(&pf);
}

/* select every record whose line is odd */
static void
select_odd(void *ctx, const struct dataset *ds, unsigned char *want)
{
    int *calls = ctx;

    (*calls)++;
    for (size_t i = 0; i < ds->ntax; i++) {
        assert_true(ds->tax[i].person != PERSON_NONE); /* clusters are known */
        want[i] = ds->tax[i].line % 2 == 1;
    }
}

static void
test_trace_changes_nothing(void **state)
{
    struct profile pf;
    struct run a, b;
    struct run_opts o;
    struct diag d = {0};
    struct match_trace tr;
    int calls = 0;
    char *tax[] = {tax_path}, *si[] = {si_path};

    profile_defaults(&pf);
    opts(&o, tax, 1, si);
    run_init(&a, &pf);
    run_init(&b, &pf);
    assert_int_equal(run_load(&a, &o, &d), SIRECON_OK);
    assert_int_equal(run_load(&b, &o, &d), SIRECON_OK);
    memset(&tr, 0, sizeof tr);
    tr.select = select_odd;
    tr.ctx = &calls;
    assert_int_equal(run_decide(&a, &o, NULL, &d), SIRECON_OK);
    assert_int_equal(run_decide(&b, &o, &tr, &d), SIRECON_OK);
    assert_int_equal(calls, 1);
    assert_null(b.mo.trace); /* not kept past the run */
    for (size_t i = 0; i < a.ds.ntax; i++) {
        assert_int_equal(a.ds.tax[i].status, b.ds.tax[i].status);
        assert_int_equal(a.ds.tax[i].reason, b.ds.tax[i].reason);
        assert_int_equal(a.ds.tax[i].rule, b.ds.tax[i].rule);
        assert_int_equal(a.ds.tax[i].flags, b.ds.tax[i].flags);
        assert_int_equal(a.ds.tax[i].covered_months, b.ds.tax[i].covered_months);
    }
    /* notes only for the selected records (line 3: R1 miss, ..., R4; not 2 or 4) */
    assert_true(tr.nnotes > 0);
    bool r1_miss = false, r4 = false;
    for (size_t k = 0; k < tr.nnotes; k++) {
        const struct tax_rec *t = &b.ds.tax[tr.notes[k].tax];
        assert_int_equal(t->line % 2, 1);
        r1_miss |= tr.notes[k].kind == MN_R1_MISS && tr.notes[k].a == 3;
        r4 |= tr.notes[k].kind == MN_R4 && tr.notes[k].a == 0;
    }
    assert_true(r1_miss);
    assert_true(r4);
    match_trace_free(&tr);
    run_free(&a);
    run_free(&b);
    profile_free(&pf);
}

static void
test_inspect_file(void **state)
{
    struct profile pf;
    struct dataset ds;
    struct header_map map;
    struct diag d = {0};

    profile_defaults(&pf);
    dataset_init(&ds);
    memset(&map, 0, sizeof map);
    assert_int_equal(run_inspect_file(&ds, si_path, KIND_COUNT, ENC_UNKNOWN, &pf, &map, &d),
                     SIRECON_OK);
    assert_int_equal(ds.files[0].kind, KIND_SI);
    assert_int_equal(ds.files[0].loaded, 3);
    assert_int_equal(map.col[F_ID_NUMBER], 4);
    header_map_free(&map);
    dataset_free(&ds);
    profile_free(&pf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_period_and_policy),
        cmocka_unit_test(test_trace_changes_nothing),
        cmocka_unit_test(test_inspect_file),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
