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
static char year_path[300], units_path[300], noemp_path[300], hdr_path[300];

static int
setup(void **state)
{
    if (make_root(root, sizeof root, "test_run") != 0)
        return -1;
    snprintf(tax_path, sizeof tax_path, "%s/tax.csv", root);
    snprintf(tax2_path, sizeof tax2_path, "%s/tax2.csv", root);
    snprintf(si_path, sizeof si_path, "%s/si.csv", root);
    snprintf(bad_path, sizeof bad_path, "%s/bad.csv", root);
    snprintf(year_path, sizeof year_path, "%s/quarter.csv", root);
    snprintf(units_path, sizeof units_path, "%s/units.csv", root);
    snprintf(noemp_path, sizeof noemp_path, "%s/noemp.csv", root);
    snprintf(hdr_path, sizeof hdr_path, "%s/header_only.csv", root);
    /* a quarterly declaration: its period column read as the tax year */
    put(year_path, "Mã số thuế đơn vị,Tên đơn vị,Họ và tên,Mã số thuế cá nhân,Số CCCD,"
        "Ngày sinh,Thu nhập chịu thuế,Kỳ tính thuế,Số tháng\n"
        "0100233488,Cty A,Nguyễn Văn An,,034085001111,,100000000,Quý 4/2025,3\n"
        "0100233488,Cty A,Trần Thị Bình,,034190002222,,90000000,Quý 4/2025,3\n"
        "0100233488,Cty A,Lê Văn Cường,,001088003333,,80000000,Quý 4/2025,3\n");
    /* an SI list naming its employer by the SI unit code only */
    put(units_path, "Mã đơn vị,Họ và tên,Mã số BHXH,Số CCCD,Ngày sinh,Mức lương,Từ tháng,"
        "Đến tháng\n"
        "TB6913S,Nguyễn Văn An,3401234567,034085001111,,6000000,01/2025,\n"
        "TB6913S,Trần Thị Bình,3401234568,034190002222,,6000000,01/2025,\n");
    /* an SI list naming no employer at all */
    put(noemp_path, "Họ và tên,Mã số BHXH,Số CCCD,Ngày sinh,Mức lương,Từ tháng,Đến tháng\n"
        "Nguyễn Văn An,3401234567,034085001111,,6000000,01/2025,\n"
        "Trần Thị Bình,3401234568,034190002222,,6000000,01/2025,\n");
    put(hdr_path, HDR_SI);
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
    unlink(year_path);
    unlink(units_path);
    unlink(noemp_path);
    unlink(hdr_path);
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
    struct period p2025;
    assert_int_equal(match_parse_period("2025", &p2025, &d), SIRECON_OK);
    o.period = &p2025;
    assert_int_equal(run_load(&r, &o, &d), SIRECON_OK);
    assert_int_equal(r.ds.ntax, 3);
    run_free(&r);
    /* a bad period is a usage error, where the option is read */
    struct period bad_p;
    assert_int_equal(match_parse_period("2025-13", &bad_p, &d), SIRECON_ERR_USAGE);
    /* two of three rows rejected: over 5 %, under 70 % */
    run_init(&r, &pf);
    opts(&o, bad, 1, si);
    assert_int_equal(run_load(&r, &o, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "2 of 3 data rows BAD_AMOUNT: column 9 \"taxable_income\" "
                               "was read as taxable_income (by its label); "
                               "over --max-reject-rate 0.05"));
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
    assert_int_equal(run_inspect_file(&ds, si_path, KIND_COUNT, ENC_UNKNOWN, &pf, NULL, &map, &d),
                     SIRECON_OK);
    assert_int_equal(ds.files[0].kind, KIND_SI);
    assert_int_equal(ds.files[0].loaded, 3);
    assert_int_equal(map.col[F_ID_NUMBER], 4);
    header_map_free(&map);
    dataset_free(&ds);
    profile_free(&pf);
}

/* run_load's message for tax and si, which must fail; NULL: si_path */
static void
load_fails(const char *tax_file, const char *si_file, char *msg, size_t n, char *file,
           size_t fn)
{
    struct profile pf;
    struct run r;
    struct run_opts o;
    struct diag d = {0};
    char *tax[] = {(char *)tax_file}, *si[] = {(char *)(si_file ? si_file : si_path)};

    profile_defaults(&pf);
    run_init(&r, &pf);
    opts(&o, tax, 1, si);
    assert_int_equal(run_load(&r, &o, &d), SIRECON_ERR_DATA);
    snprintf(msg, n, "%s", d.msg);
    snprintf(file, fn, "%s", d.file);
    run_free(&r);
    profile_free(&pf);
}

/* what `check` says of path: run_file_usable on run_inspect_file's dataset */
static bool
inspect_usable(const char *path, double rate, char *why, size_t n)
{
    struct profile pf;
    struct dataset ds;
    struct header_map map;
    struct diag d = {0};

    profile_defaults(&pf);
    dataset_init(&ds);
    memset(&map, 0, sizeof map);
    assert_int_equal(run_inspect_file(&ds, path, KIND_COUNT, ENC_UNKNOWN, &pf, NULL, &map, &d),
                     SIRECON_OK);
    bool ok = run_file_usable(&ds, 0, &map, NULL, rate, why, n);
    header_map_free(&map);
    dataset_free(&ds);
    profile_free(&pf);
    return ok;
}

#define NO_IDS(s) do { \
        assert_null(strstr((s), "034085001111")); assert_null(strstr((s), "3401234567")); \
    } while (0)

static void
test_reject_cause(void **state)
{
    char msg[1100], file[600], why[512];

    /* the column misread as the year, named with its number, label and how */
    load_fails(year_path, NULL, msg, sizeof msg, file, sizeof file);
    assert_string_equal(file, year_path);
    assert_non_null(strstr(msg, "3 of 3 data rows BAD_YEAR: column 8 \"Kỳ tính thuế\" was "
                                "read as tax_year (by its label); over --max-reject-rate 0.05"));
    assert_null(strstr(msg, "rejected (over"));
    NO_IDS(msg);
    /* check gives the same cause (the message begins with it) */
    assert_false(inspect_usable(year_path, 0.05, why, sizeof why));
    assert_true(strncmp(msg, why, strlen(why)) == 0);
    /* under a rate that tolerates it, a file none of whose rows loads is
     * still not usable, and says why */
    assert_false(inspect_usable(year_path, 1.0, why, sizeof why));
    assert_string_equal(why, "no data row loads: 3 of 3 data rows BAD_YEAR: column 8 "
                             "\"Kỳ tính thuế\" was read as tax_year (by its label)");
    /* unit codes and no registry: the employer, not "the right file?" */
    load_fails(tax_path, units_path, msg, sizeof msg, file, sizeof file);
    assert_string_equal(file, units_path);
    assert_non_null(strstr(msg, "employer unknown: the file gives only SI unit code TB6913S; "
                                "pass the employer registry (-e); 2 of 2 data rows "
                                "UNKNOWN_UNIT_CODE"));
    assert_null(strstr(msg, "right file"));
    NO_IDS(msg);
    /* no employer anywhere */
    load_fails(tax_path, noemp_path, msg, sizeof msg, file, sizeof file);
    assert_non_null(strstr(msg, "employer unknown: no column, title block or file name "
                                "names the employer; 2 of 2 data rows MISSING_EMPLOYER_TAX_ID"));
    NO_IDS(msg);
    assert_false(inspect_usable(noemp_path, 0.05, why, sizeof why));
    assert_true(strncmp(msg, why, strlen(why)) == 0);
    /* the rate decides alike for check and reconcile */
    assert_false(inspect_usable(bad_path, 0.05, why, sizeof why));
    assert_true(inspect_usable(bad_path, 0.7, why, sizeof why));
    assert_string_equal(why, "");
    /* a header alone passes the rule (reconcile reads it as nothing) */
    assert_true(inspect_usable(hdr_path, 0.05, why, sizeof why));
    (void)state;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_period_and_policy),
        cmocka_unit_test(test_trace_changes_nothing),
        cmocka_unit_test(test_inspect_file),
        cmocka_unit_test(test_reject_cause),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
