/*
 * test_report_xlsx.c - report.xlsx from a hand-built run: a few employers,
 * a record of every status, a DEDUCTED_NOT_ENROLLED row, a branch record,
 * a rejected row.  The workbook is written into a mkdtemp folder and read
 * back by the independent openpyxl checker (tests/xlsx/check_xlsx.py), in
 * both languages; a run over the (test) row limit must continue on
 * "Employees (2)"; the employer -> first employee row mapping, the error
 * path, non-finite numbers and --mask-ids are checked directly.
 * KEEP_XLSX=1 in the environment keeps the temp folders for a look.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "sirecon/report.h"
#include "sirecon/match.h"
#include "sirecon/ids.h"

#define PY "/usr/bin/python3"
#define CHECKER "tests/xlsx/check_xlsx.py"
#define STARTED 1767225600 /* 2026-01-01T00:00:00Z */

/* STATIC in report_xlsx.c, visible under -DTESTING. */
size_t *report_xlsx_first_rows(const struct run_info *ri);
const char *report_xlsx_rel_path(const char *const *argv, int argc, const char *path,
                                 size_t *dirlen);
int report_xlsx_text_lines(const char *s, double cw, double em);

/* Everything a run_info points at, owned by one fixture. */
struct fx {
    struct dataset ds;
    struct result res;
    struct profile pf;
    struct match_opts mo;
    struct run_info ri;
    struct input_file files[2];
    struct employer_sum emps[4];
    struct tax_rec *tax;
    struct si_rec si[1];      /* the other employer of record 4 */
    size_t *employees, *review;
    struct reject rej[1];
    const char *resolved[1];
    char dir[64];
};

static arena names_a; /* the records' names */

static void
tax(struct tax_rec *t, const char *emp, const char *name, const char *pid,
    id_kind k, sdate birth, rec_status st, rec_reason rs, rec_rule rule)
{
    memset(t, 0, sizeof *t);
    t->emp = emp;
    t->emp_name = "";
    t->name = names_pname(&names_a, name, strlen(name));
    if (pid != NULL && k < IDK_COUNT)
        ids_put(&names_a, &t->ids, ids_key(k, pid));
    t->pid_kind = pid ? k : IDK_NONE;
    t->birth = birth;
    t->tax_year = 2025;
    t->taxable_income = 180000000;
    t->schedule = 1;
    t->file = 0;
    t->line = 10;
    t->status = st;
    t->reason = rs;
    t->rule = rule;
    t->confidence = rule == RULE_R1_ID ? 'A' : rule == RULE_R2_NAME_DOB ? 'B' : 0;
}

static void
employer(struct employer_sum *e, const char *emp, const char *name, const char *area,
         finding f, int rank, uint32_t ne, int64_t arrears)
{
    memset(e, 0, sizeof *e);
    e->emp = emp;
    e->name = name;
    e->area = area;
    e->wage_region = 1;
    e->finding = f;
    e->listed = rank > 0;
    e->rank = rank;
    e->taxed = ne + 2;
    e->enrolled = 2;
    e->not_enrolled = ne;
    e->coverage_pct = 200.0 / (ne + 2);
    e->unenrolled_income = (int64_t)ne * 180000000;
    e->est_arrears = arrears;
    e->trend = "";
}

/* The small run; extra > 0 adds that many NOT_ENROLLED rows of employer 1
 * to Employees and as many REVIEW rows to Review (row-limit split). */
static struct fx *
fixture(lang l, size_t extra)
{
    struct fx *f = calloc(1, sizeof *f);
    size_t n = 8 + 2 * extra, ne = 0, nr = 0;

    assert_non_null(f);
    f->tax = calloc(n, sizeof *f->tax);
    f->employees = calloc(n, sizeof *f->employees);
    f->review = calloc(n, sizeof *f->review);
    assert_non_null(f->tax);

    f->files[0].path = "fixtures/tax 2025.csv";
    f->files[0].kind = KIND_TAX;
    memset(f->files[0].sha256, 'a', 64);
    f->files[0].encoding = "UTF-8";
    f->files[0].read = 10 + 2 * extra;
    f->files[0].loaded = 9 + 2 * extra;
    f->files[0].rejected = 1;
    f->files[1].path = "fixtures/si.csv";
    f->files[1].kind = KIND_SI;
    memset(f->files[1].sha256, 'b', 64);
    f->files[1].encoding = "windows-1258";
    f->files[1].read = f->files[1].loaded = 5;

    /* 0: the strongest evidence - insurance deducted, never enrolled */
    tax(&f->tax[0], "0100233488", "Nguyễn Văn An", "034085001234", IDK_PERSONAL,
        19850315, ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE);
    f->tax[0].insurance_deduction = 18900000;
    f->tax[0].flags = RF_DEDUCTED_NOT_ENROLLED | RF_LEADING_ZERO_RESTORED;
    /* 1: year-only birth date, legacy tax code */
    tax(&f->tax[1], "0100233488", "Trần Thị Hạ", "8012345678", IDK_TAXCODE,
        19650000, ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE);
    /* 2: enrolled (not on Employees) */
    tax(&f->tax[2], "0300588569", "Lê Văn Bình", "001090000001", IDK_PERSONAL,
        19900101, ST_ENROLLED, RS_NONE, RULE_R1_ID);
    f->tax[2].covered_months = 12;
    /* 3: a branch record rolled up under its 10-digit parent */
    tax(&f->tax[3], "0300588569001", "Phạm Thị Cúc", "012345678", IDK_CMND,
        0, ST_NOT_ENROLLED, RS_COVERAGE_OUTSIDE_PERIOD, RULE_NONE);
    /* 4: covered elsewhere */
    tax(&f->tax[4], "0300588569", "Hoàng Văn Dũng", "3412345678", IDK_SI,
        19800704, ST_COVERED_ELSEWHERE, RS_ENROLLED_AT_OTHER_EMPLOYER, RULE_R4_ELSEWHERE);
    f->si[0].emp = "0100684378";
    f->tax[4].other_si = 1;
    /* 5: partial */
    tax(&f->tax[5], "0101248141", "Đỗ Thị Ế", "B1234567", IDK_PASSPORT,
        19951231, ST_PARTIAL, RS_FEWER_MONTHS_THAN_INCOME, RULE_R2_NAME_DOB);
    f->tax[5].income_months = 12;
    f->tax[5].covered_months = 6;
    /* 6: review at an unlisted employer; 7: a 05-2 row to review */
    tax(&f->tax[6], "0100684378", "Vũ Thị Hà", NULL, IDK_NONE, 0, ST_REVIEW,
        RS_AMBIGUOUS_NAME, RULE_NONE);
    tax(&f->tax[7], "0100233488", "=cmd|' /C calc'!A0", "034099000111", IDK_PERSONAL,
        19990101, ST_REVIEW, RS_SHORT_CONTRACT_OR_NON_RESIDENT, RULE_NONE);
    f->tax[7].schedule = 2;
    f->tax[7].non_resident = true;
    for (size_t i = 0; i < 2 * extra; i++)
        tax(&f->tax[8 + i], "0100233488", "Ngô Văn Phúc", "034088000999", IDK_PERSONAL,
            19880808, i < extra ? ST_NOT_ENROLLED : ST_REVIEW,
            i < extra ? RS_NO_SI_RECORD_AT_EMPLOYER : RS_PAST_RETIREMENT_AGE, RULE_NONE);

    /* Employees: non-enrolled rows of listed employers, then REVIEW rows */
    f->employees[ne++] = 0;
    f->employees[ne++] = 1;
    for (size_t i = 0; i < extra; i++)
        f->employees[ne++] = 8 + i;
    f->employees[ne++] = 3;
    f->employees[ne++] = 4;
    f->employees[ne++] = 5;
    f->employees[ne++] = 6;
    f->employees[ne++] = 7;
    f->review[nr++] = 6;
    f->review[nr++] = 7;
    for (size_t i = 0; i < extra; i++)
        f->review[nr++] = 8 + extra + i;

    employer(&f->emps[0], "0100233488", "Công ty TNHH May Thái Bình", "Quỳnh Phụ",
             FIND_NO_SI_REGISTRATION, 1, 2 + (uint32_t)extra, 120000000);
    f->emps[0].deducted_not_enrolled = 1;
    f->emps[0].trend = "NEW";
    employer(&f->emps[1], "0300588569", "Công ty CP Đông Hưng", "Đông Hưng",
             FIND_UNDER_ENROLLMENT, 2, 1, 45000000);
    f->emps[1].has_si = true;
    employer(&f->emps[2], "0101248141", "", "", FIND_PARTIAL_ENROLLMENT, 3, 1, 9000000);
    f->emps[2].trend = "ONGOING (2 months)";
    employer(&f->emps[3], "0100684378", "Unlisted Co", "Tiền Hải", FIND_NONE, 0, 0, 0);

    f->rej[0] = (struct reject){ 0, 7, "BAD_MONEY", "taxable_income", "12,34.5" };
    f->resolved[0] = "0100107370";

    f->ds.files = f->files;
    f->ds.nfiles = 2;
    f->ds.tax = f->tax;
    f->ds.ntax = n;
    f->ds.si = f->si;
    f->ds.nsi = 1;
    f->ds.rejects = f->rej;
    f->ds.nrejects = 1;

    f->res.emps = f->emps;
    f->res.nemps = 4;
    f->res.nlisted = 3;
    f->res.employees = f->employees;
    f->res.nemployees = ne;
    f->res.review = f->review;
    f->res.nreview = nr;
    f->res.by_status[ST_ENROLLED] = 1;
    f->res.by_status[ST_NOT_ENROLLED] = 3 + extra;
    f->res.by_status[ST_COVERED_ELSEWHERE] = 1;
    f->res.by_status[ST_PARTIAL] = 1;
    f->res.by_status[ST_REVIEW] = 2 + extra;
    f->res.by_rule[RULE_R1_ID] = 1;
    f->res.by_rule[RULE_R2_NAME_DOB] = 1;
    f->res.by_rule[RULE_R4_ELSEWHERE] = 1;
    f->res.by_finding[FIND_NO_SI_REGISTRATION] = 1;
    f->res.by_finding[FIND_UNDER_ENROLLMENT] = 1;
    f->res.by_finding[FIND_PARTIAL_ENROLLMENT] = 1;
    f->res.period.first = 2025 * 12;
    f->res.period.last = 2025 * 12 + 11;

    /* the profile by hand (Vietnam 2026), independent of profile.c */
    snprintf(f->pf.name, sizeof f->pf.name, "%s", "vn-2026");
    f->pf.employer_rate = 0.215;
    f->pf.employee_rate = 0.105;
    f->pf.base_cap = 46800000;
    f->pf.min_wage[0] = 5310000;
    f->pf.min_wage[1] = 4730000;
    f->pf.min_wage[2] = 4140000;
    f->pf.min_wage[3] = 3700000;
    f->pf.low_base_ratio = 0.5;
    f->pf.retire_male_months = 738;
    f->pf.retire_female_months = 684;

    f->mo.period = f->res.period;

    f->ri.ds = &f->ds;
    f->ri.res = &f->res;
    f->ri.pf = &f->pf;
    f->ri.mo = &f->mo;
    f->ri.lang = l;
    f->ri.min_missing = 1;
    f->ri.max_reject_rate = 0.05;
    f->ri.started = STARTED;
    f->ri.resolved = f->resolved;
    f->ri.nresolved = 1;
    memset(f->ri.profile_hash, 'c', 64);

    snprintf(f->dir, sizeof f->dir, "/tmp/sirecon-xlsx-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    return f;
}

static void
fixture_free(struct fx *f)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, getenv("KEEP_XLSX") ? "true '%s'" : "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f->tax);
    free(f->employees);
    free(f->review);
    free(f);
}

static int
have_openpyxl(void)
{
    if (access(PY, X_OK) != 0 ||
        system(PY " -c 'import openpyxl' >/dev/null 2>&1") != 0) {
        print_message("SKIP: " PY " has no openpyxl (apt-get install python3-openpyxl); "
                      "the workbook is not read back\n");
        return 0;
    }
    if (access(CHECKER, R_OK) != 0) {
        print_message("SKIP: " CHECKER " not found: run from the repository root\n");
        return 0;
    }
    return 1;
}

/* Write the workbook, check SIRECON_OK and mode 0600; path into out. */
static void
write_ok(struct fx *f, char *out, size_t n)
{
    struct diag d = { {0}, 0, {0} };
    struct stat st;

    assert_int_equal(report_xlsx_write(&f->ri, f->dir, NULL, &d), SIRECON_OK);
    snprintf(out, n, "%s/report.xlsx", f->dir);
    assert_int_equal(stat(out, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_true(st.st_size > 1000);
}

static int
run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    return rc;
}

static void
check_lang(lang l, const char *code)
{
    struct fx *f = fixture(l, 0);
    char path[128];

    write_ok(f, path, sizeof path);
    if (have_openpyxl())
        assert_int_equal(run(PY " " CHECKER " '%s' --lang %s --employers 3 --employees 7"
                             " --review 2 --rejects 1 --created %d",
                             path, code, STARTED), 0);
    fixture_free(f);
}

static void
test_workbook_en(void **state)
{
    check_lang(LANG_EN, "en");
}

static void
test_workbook_vi(void **state)
{
    check_lang(LANG_VI, "vi");
}

/* 1500 extra rows pass the test limit of 1000 rows a sheet: Employees and
 * Review continue on "(2)" sheets; links into part 2 still land right. */
static void
test_split(void **state)
{
    struct fx *f = fixture(LANG_EN, 1500);
    char path[128];

    write_ok(f, path, sizeof path);
    if (have_openpyxl()) {
        assert_int_equal(run(PY " " CHECKER " '%s' --lang en --employers 3 --employees %d"
                             " --review %d --rejects 1", path, 7 + 1500, 2 + 1500), 0);
        assert_int_equal(run(PY " -c 'import openpyxl,sys; n=openpyxl.load_workbook(sys.argv[1],"
                             " read_only=True).sheetnames; want=[\"Summary\",\"Employers\","
                             "\"Employees\",\"Employees (2)\",\"Review\",\"Review (2)\","
                             "\"Rejects\",\"Input files\",\"Method\"]; sys.exit(0 if n==want else print(n) or 1)'"
                             " '%s'", path), 0);
    }
    fixture_free(f);
}

/* Nothing found: header-only tables, no chart, still a valid workbook. */
static void
test_empty(void **state)
{
    struct fx *f = fixture(LANG_VI, 0);
    char path[128];

    f->res.nlisted = 0;
    f->res.nemployees = 0;
    f->res.nreview = 0;
    f->ds.nrejects = 0;
    f->ri.nresolved = 0;
    write_ok(f, path, sizeof path);
    if (have_openpyxl())
        assert_int_equal(run(PY " " CHECKER " '%s' --lang vi --employers 0 --employees 0"
                             " --review 0 --rejects 0", path), 0);
    fixture_free(f);
}

/* Input files: a path relative to the folder given on the command line
 * (the longest that holds it, "-tDIR" and "--tax=DIR" too), a file given
 * by itself by its name, anything else as given. */
static void
test_rel_path(void **state)
{
    const char *argv[] = { "sirecon", "reconcile", "-t", "/data/tax", "-s", "/data/tax/si/",
        "--employers=/etc/reg/employers.csv", "-t/x/y", "-o", "/out" };
    int argc = (int)(sizeof argv / sizeof argv[0]);
    size_t dl;

    (void)state;
    assert_string_equal(report_xlsx_rel_path(argv, argc, "/data/tax/a b.csv", &dl), "a b.csv");
    assert_int_equal(dl, strlen("/data/tax/"));
    assert_string_equal(report_xlsx_rel_path(argv, argc, "/data/tax/si/d02.csv", &dl),
                        "d02.csv");
    assert_string_equal(report_xlsx_rel_path(argv, argc, "/etc/reg/employers.csv", &dl),
                        "employers.csv");
    assert_string_equal(report_xlsx_rel_path(argv, argc, "/x/y/z.xlsx", &dl), "z.xlsx");
    /* "/data/taxes" is not under "/data/tax" */
    assert_string_equal(report_xlsx_rel_path(argv, argc, "/data/taxes/q.csv", &dl),
                        "/data/taxes/q.csv");
    assert_int_equal(dl, 0);
    assert_string_equal(report_xlsx_rel_path(argv, argc, "-", &dl), "-");
    assert_string_equal(report_xlsx_rel_path(NULL, 0, "fixtures/t.csv", &dl), "fixtures/t.csv");
}

/* Row heights: lines of wrapped text, never fewer than it takes. */
static void
test_text_lines(void **state)
{
    (void)state;
    assert_int_equal(report_xlsx_text_lines("", 10, 1.0), 1);
    assert_int_equal(report_xlsx_text_lines("Rank", 10, 1.0), 1);
    assert_int_equal(report_xlsx_text_lines("Deducted, not enrolled", 16, 1.1), 2);
    assert_int_equal(report_xlsx_text_lines("Deducted, not enrolled", 13, 1.1), 3);
    assert_int_equal(report_xlsx_text_lines("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 12, 1.0), 3);
    assert_int_equal(report_xlsx_text_lines("Số nợ ước tính (VND)", 30, 1.0), 1);
}

/* Employer -> first row on Employees: exact code, 13-digit branch under
 * its parent, none; with --branch-level only the exact code. */
static void
test_first_rows(void **state)
{
    struct fx *f = fixture(LANG_EN, 0);
    size_t *first = report_xlsx_first_rows(&f->ri);

    assert_int_equal(first[0], 0);   /* employees[0] = tax 0 */
    assert_int_equal(first[1], 2);   /* employees[2] = tax 3, the branch 0300588569001 */
    assert_int_equal(first[2], 4);   /* employees[4] = tax 5 */
    free(first);

    f->mo.branch_level = true;
    first = report_xlsx_first_rows(&f->ri);
    assert_int_equal(first[1], 3);   /* only tax 4 carries 0300588569 itself */
    free(first);

    f->res.nemployees = 0;
    first = report_xlsx_first_rows(&f->ri);
    assert_true(first[0] == SIZE_MAX && first[1] == SIZE_MAX && first[2] == SIZE_MAX);
    free(first);
    fixture_free(f);
}

/* An output folder that does not exist: SIRECON_ERR_CANTCREAT naming it,
 * nothing created. */
static void
test_missing_dir(void **state)
{
    struct fx *f = fixture(LANG_EN, 0);
    struct diag d = { {0}, 0, {0} };
    char dir[128];

    snprintf(dir, sizeof dir, "%s/missing", f->dir);
    assert_int_equal(report_xlsx_write(&f->ri, dir, NULL, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.file, dir);
    assert_true(d.msg[0] != '\0');
    assert_int_equal(access(dir, F_OK), -1);
    fixture_free(f);
}

/* libxlsxwriter itself fails (report.xlsx is a folder, so workbook_close()
 * cannot create the file): SIRECON_ERR_IO naming the path, nothing left
 * but what was there.  libxlsxwriter prints its own "[ERROR]" line here. */
static void
test_close_error(void **state)
{
    struct fx *f = fixture(LANG_EN, 0);
    struct diag d = { {0}, 0, {0} };
    char path[160];
    struct stat st;

    snprintf(path, sizeof path, "%s/report.xlsx", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(report_xlsx_write(&f->ri, f->dir, NULL, &d), SIRECON_ERR_IO);
    assert_string_equal(d.file, path);
    assert_non_null(strstr(d.msg, "workbook"));
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* only the folder we made: no temp files left behind */
    assert_int_equal(run("test \"$(ls -A '%s')\" = report.xlsx", f->dir), 0);
    fixture_free(f);
}

/* NaN / Inf never reach the file (they would corrupt it): still readable. */
static void
test_nonfinite(void **state)
{
    struct fx *f = fixture(LANG_EN, 0);
    char path[128];

    f->emps[0].coverage_pct = NAN;
    f->emps[1].coverage_pct = INFINITY;
    f->ri.max_reject_rate = NAN;
    write_ok(f, path, sizeof path);
    if (have_openpyxl())
        assert_int_equal(run(PY " -c 'import openpyxl,sys; ws=openpyxl.load_workbook("
                             "sys.argv[1])[\"Employers\"]; sys.exit(0 if ws[\"M2\"].value is None"
                             " and ws[\"M4\"].value is not None else 1)' '%s'", path), 0);
    fixture_free(f);
}

/* --mask-ids: no full personal ID anywhere in the workbook's XML. */
static void
test_mask_ids(void **state)
{
    struct fx *f = fixture(LANG_EN, 0);
    char path[128];

    f->ri.mask_ids = true;
    write_ok(f, path, sizeof path);
    if (have_openpyxl()) {
        assert_int_equal(run(PY " " CHECKER " '%s' --lang en --employers 3 --employees 7",
                             path), 0);
        assert_int_equal(run(PY " -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]);"
                             " b=b\"\".join(z.read(n) for n in z.namelist());"
                             " sys.exit(1 if any(i in b for i in (b\"034085001234\","
                             " b\"8012345678\", b\"012345678\")) or b\"1234\" not in b else 0)'"
                             " '%s'", path), 0);
    }
    fixture_free(f);
}

/* Same run, same started time: the same bytes (libxlsxwriter takes the
 * zip and docProps times from `created`). */
static void
test_reproducible(void **state)
{
    struct fx *a = fixture(LANG_VI, 0), *b = fixture(LANG_VI, 0);
    char pa[128], pb[128];

    write_ok(a, pa, sizeof pa);
    write_ok(b, pb, sizeof pb);
    assert_int_equal(run("cmp -s '%s' '%s'", pa, pb), 0);
    fixture_free(a);
    fixture_free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workbook_en),
        cmocka_unit_test(test_workbook_vi),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_first_rows),
        cmocka_unit_test(test_rel_path),
        cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_missing_dir),
        cmocka_unit_test(test_close_error),
        cmocka_unit_test(test_nonfinite),
        cmocka_unit_test(test_mask_ids),
        cmocka_unit_test(test_reproducible),
    };

    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    arena_free(&names_a);
    return failed;
}
