/*
 * test_manifest.c - run.json (docs/architecture.md, "Outputs"): valid JSON read back by an
 * independent parser (python3's json), per-file counts, counts by status,
 * rule, finding and flag, the SHA-256 of each output, mode 0600, and
 * strings with quotes, newlines and control characters escaped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "sirecon/manifest.h"
#include "sirecon/outdir.h"

#define PY "/usr/bin/python3"
#define EA "0100233488"
#define EB "0300588569"

/* A path with every character JSON must escape. */
static const char weird_path[] = "si/\"quoted\" back\\slash\nnew\tline\x01\x1f end.csv";

struct mfx {
    char dir[64];
    struct dataset ds;
    struct profile pf;
    struct match_opts mo;
    struct result res;
    struct run_info ri;
};

static size_t
rec(struct dataset *ds, const char *emp, rec_status st, unsigned flags)
{
    struct tax_rec *t = dataset_add_tax(ds);

    t->emp = emp;
    t->emp_name = "";
    t->name = names_pname(&ds->a, "x", 1);
    t->status = st;
    t->rule = st == ST_ENROLLED ? RULE_R1_ID : RULE_NONE;
    t->taxable_income = 24000000;
    t->flags = flags;
    t->file = 0;
    t->emp_id = (uint32_t)(ds->ntax - 1); /* the employer's number, as the index gives it */
    for (size_t j = 0; j + 1 < ds->ntax; j++)
        if (strcmp(ds->tax[j].emp, emp) == 0) {
            t->emp_id = ds->tax[j].emp_id;
            break;
        }
    return ds->ntax - 1;
}

static void
mfx_init(struct mfx *m)
{
    struct input_file *in;

    memset(m, 0, sizeof *m);
    snprintf(m->dir, sizeof m->dir, "/tmp/test_manifest.XXXXXX");
    assert_non_null(mkdtemp(m->dir));
    dataset_init(&m->ds);
    profile_defaults(&m->pf);
    m->mo.period.first = 2025 * 12;
    m->mo.period.last = 2025 * 12 + 11;
    m->mo.branch_level = true;

    in = dataset_add_file(&m->ds);
    in->path = "tax/2025/cty-a.csv";
    in->kind = KIND_TAX;
    memset(in->sha256, 'a', 64);
    in->bytes = 12345;
    in->encoding = "UTF-8";
    in->delimiter = ';';
    in->header_first = 3;
    in->header_last = 4;
    in->read = 10;
    in->loaded = 7;
    in->skipped = 2;
    in->rejected = 0; /* dataset_add_reject() below counts it */
    in->duplicate = 1;
    in->skipped_by[1] = 1;
    in->skipped_by[4] = 0;
    in->skipped_by[SKIP_OTHER_YEAR] = 1;
    in->id_restored = 3;
    in->id_corrupted = 1;
    in = dataset_add_file(&m->ds);
    in->path = weird_path;
    in->kind = KIND_SI;
    memset(in->sha256, 'b', 64);
    in->encoding = "TCVN3";
    in->delimiter = '\t';
    in->read = 5;
    in->loaded = 5;

    /* 7 loaded tax rows: one duplicate, 6 decided */
    rec(&m->ds, EA, ST_ENROLLED, 0);
    rec(&m->ds, EA, ST_ENROLLED, RF_LOW_BASE);
    rec(&m->ds, EA, ST_NOT_ENROLLED, RF_DEDUCTED_NOT_ENROLLED | RF_LEADING_ZERO_RESTORED);
    rec(&m->ds, EB, ST_NOT_ENROLLED, 0);
    rec(&m->ds, EB, ST_REVIEW, RF_ID_CORRUPTED);
    rec(&m->ds, EB, ST_COVERED_ELSEWHERE, 0);
    m->ds.tax[rec(&m->ds, EB, ST_NOT_ENROLLED, RF_LOW_BASE)].duplicate = true;
    {
        struct si_rec *s = dataset_add_si(&m->ds);
        s->emp = EA;
        for (size_t i = 0; i < m->ds.ntax; i++) /* as match_run notes it */
            m->ds.tax[i].emp_has_si = strcmp(m->ds.tax[i].emp, EA) == 0;
    }
    dataset_add_reject(&m->ds, 0, 9, "BAD_MONEY", "taxable_income", "1,23.4");
    employers_rollup(&m->ds, &m->pf, &m->mo.period, 1, true, &m->res);

    m->ri.ds = &m->ds;
    m->ri.res = &m->res;
    m->ri.pf = &m->pf;
    m->ri.mo = &m->mo;
    m->ri.lang = LANG_VI;
    m->ri.min_missing = 1;
    m->ri.max_reject_rate = 0.05;
    m->ri.started = 1735689600; /* 2025-01-01T00:00:00Z */
    memset(m->ri.profile_hash, 'c', 64);
}

static void
mfx_free(struct mfx *m)
{
    char cmd[256];

    employers_free(&m->res);
    dataset_free(&m->ds);
    profile_free(&m->pf);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", m->dir);
    assert_int_equal(system(cmd), 0);
}

/* Run a python check over dir/run.json; 0 when every assert holds. */
static int
py_check(const char *dir, const char *script)
{
    char sp[128], cmd[512];
    FILE *f;
    int rc;

    snprintf(sp, sizeof sp, "%s/check.py", dir);
    f = fopen(sp, "w");
    assert_non_null(f);
    fputs(script, f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd, PY " '%s' '%s/run.json'", sp, dir);
    rc = system(cmd);
    unlink(sp);
    return rc;
}

static const char check_script[] =
    "import json, sys\n"
    "m = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "assert m['tool'] == 'sirecon', m['tool']\n"
    "assert m['started'] == '2025-01-01T00:00:00Z', m['started']\n"
    "assert m['ended'] == '2025-01-01T00:01:40Z', m['ended']\n"
    "assert m['exit_status'] == 1\n"
    "o = m['options']\n"
    "assert o['period_first'] == '2025-01' and o['period_last'] == '2025-12', o\n"
    "assert o['period_months'] == 12\n"
    "assert o['lang'] == 'vi' and o['branch_level'] is True\n"
    "assert o['include_short_contracts'] is False and o['min_missing'] == 1\n"
    "assert abs(o['max_reject_rate'] - 0.05) < 1e-9\n"
    "assert o['formats'] == 'xlsx,csv'\n"
    "p = m['profile']\n"
    "assert p['sha256'] == 'c' * 64\n"
    "assert abs(p['employer_rate'] - 0.215) < 1e-9 and abs(p['employee_rate'] - 0.105) < 1e-9\n"
    "assert p['base_cap'] == 46800000\n"
    "assert p['min_wage'] == [5310000, 4730000, 4140000, 3700000], p['min_wage']\n"
    "i = m['inputs']\n"
    "assert len(i) == 2\n"
    "a, b = i\n"
    "assert a['path'] == 'tax/2025/cty-a.csv' and a['kind'] == 'tax'\n"
    "assert a['sha256'] == 'a' * 64 and a['bytes'] == 12345\n"
    "assert a['encoding'] == 'UTF-8' and a['delimiter'] == ';'\n"
    "assert a['header_first_line'] == 3 and a['header_last_line'] == 4\n"
    "assert (a['rows_read'], a['loaded'], a['skipped'], a['rejected'], a['duplicate']) == (10, 7, 2, 1, 1), a\n"
    "assert a['rows_read'] == a['loaded'] + a['skipped'] + a['rejected']\n"
    "assert a['skipped_by'] == {'blank': 1, 'column_numbers': 0, 'repeated_header': 0, 'totals': 0, 'other_tax_year': 1, 'title_or_note': 0}, a['skipped_by']\n"
    "assert a['id_quality']['leading_zero_restored'] == 3 and a['id_quality']['corrupted'] == 1\n"
    "assert b['path'] == 'si/\"quoted\" back\\\\slash\\nnew\\tline\\x01\\x1f end.csv', repr(b['path'])\n"
    "assert b['kind'] == 'si' and b['delimiter'] == '\\t' and b['encoding'] == 'TCVN3'\n"
    "c = m['counts']\n"
    "assert c['tax_records'] == 7 and c['si_records'] == 1\n"
    "assert c['duplicates'] == 1 and c['rejected'] == 1\n"
    "assert c['by_status'] == {'ENROLLED': 2, 'PARTIAL': 0, 'NOT_ENROLLED': 2, 'COVERED_ELSEWHERE': 1, 'REVIEW': 1}, c['by_status']\n"
    "assert sum(c['by_status'].values()) + c['duplicates'] == a['loaded']\n"
    "assert c['by_rule']['R1_ID'] == 2 and c['by_rule']['NONE'] == 4, c['by_rule']\n"
    "assert c['by_finding'] == {'NO_SI_REGISTRATION': 1, 'UNDER_ENROLLMENT': 1, 'PARTIAL_ENROLLMENT': 0}, c['by_finding']\n"
    "assert c['employers_listed'] == 2 and c['employers_with_tax_records'] == 2\n"
    "f = c['by_flag']\n"
    "assert f['LOW_BASE'] == 1 and f['DEDUCTED_NOT_ENROLLED'] == 1, f\n"
    "assert f['LEADING_ZERO_RESTORED'] == 1 and f['ID_CORRUPTED'] == 1, f\n"
    "assert c['est_arrears_total'] == 2 * 20390400, c['est_arrears_total']\n"
    "outs = {x['file']: x['sha256'] for x in m['outputs']}\n"
    "assert outs['employers.csv'] == 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', outs\n"
    "assert outs['empty.csv'] == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', outs\n"
    "assert set(m['measured']['stage_seconds']) == {'load', 'match', 'report'}\n"
    "assert abs(m['measured']['stage_seconds']['match'] - 1.25) < 1e-9\n";

static void
test_manifest(void **state)
{
    struct mfx m;
    struct manifest_info mi;
    struct diag d;
    struct stat st;
    char path[256];
    /* the hashes come from the writers, as they wrote (report.h) */
    static const struct report_file outputs[] = {
        {"employers.csv", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"empty.csv", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    };
    static const struct stage_time stages[] = {
        {"load", 0.5}, {"match", 1.25}, {"report", 0.0},
    };

    unsetenv("SOURCE_DATE_EPOCH");
    mfx_init(&m);
    memset(&mi, 0, sizeof mi);
    mi.ri = &m.ri;
    mi.dir = m.dir;
    mi.outputs = outputs;
    mi.noutputs = 2;
    mi.stages = stages;
    mi.nstages = 3;
    mi.ended = m.ri.started + 100;
    mi.exit_status = 1;
    mi.formats = "xlsx,csv";
    assert_int_equal(manifest_write(&mi, &d), SIRECON_OK);

    snprintf(path, sizeof path, "%s/run.json", m.dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    /* valid JSON at all */
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             PY " -c 'import json,sys; json.load(open(sys.argv[1]))' '%s'", path);
    assert_int_equal(system(cmd), 0);
    /* and the right content */
    assert_int_equal(py_check(m.dir, check_script), 0);

    /* no raw control character and no raw newline inside a string */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    int c;
    while ((c = fgetc(f)) != EOF)
        assert_true(c >= 0x20 || c == '\n');
    fclose(f);

    /* an existing run.json is never overwritten */
    assert_int_equal(manifest_write(&mi, &d), SIRECON_ERR_CANTCREAT);
    mfx_free(&m);
}

/* SOURCE_DATE_EPOCH: measured values are zero, so two runs are identical. */
static void
test_reproducible(void **state)
{
    struct mfx m;
    struct manifest_info mi;
    struct diag d;
    char p1[256], p2[256], cmd[600];
    static const struct stage_time stages[] = {{"load", 0.37}, {"match", 0.11}};

    setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
    mfx_init(&m);
    memset(&mi, 0, sizeof mi);
    mi.ri = &m.ri;
    mi.dir = m.dir;
    mi.stages = stages;
    mi.nstages = 2;
    mi.ended = m.ri.started;
    mi.formats = "csv";
    assert_int_equal(manifest_write(&mi, &d), SIRECON_OK);
    snprintf(p1, sizeof p1, "%s/run.json", m.dir);
    snprintf(p2, sizeof p2, "%s/run1.json", m.dir);
    assert_int_equal(rename(p1, p2), 0);
    assert_int_equal(manifest_write(&mi, &d), SIRECON_OK);
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", p1, p2);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(py_check(m.dir,
                              "import json, sys\n"
                              "m = json.load(open(sys.argv[1]))\n"
                              "assert m['measured']['peak_rss_kib'] == 0\n"
                              "assert m['measured']['stage_seconds'] == {'load': 0, 'match': 0}\n"
                              "assert m['outputs'] == []\n"
                              "assert m['options']['formats'] == 'csv'\n"),
                     0);
    unsetenv("SOURCE_DATE_EPOCH");
    mfx_free(&m);
}

/* An unwritable folder is a CANTCREAT with the path in the diagnostic. */
static void
test_missing_dir(void **state)
{
    struct mfx m;
    struct manifest_info mi;
    struct diag d;

    mfx_init(&m);
    memset(&mi, 0, sizeof mi);
    mi.ri = &m.ri;
    mi.dir = "/nonexistent/sirecon-test";
    mi.formats = "csv";
    memset(&d, 0, sizeof d);
    assert_int_not_equal(manifest_write(&mi, &d), SIRECON_OK);
    assert_non_null(strstr(d.file, "/nonexistent/sirecon-test"));
    mfx_free(&m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_missing_dir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
