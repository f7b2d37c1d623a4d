/*
 * test_report_csv.c - employers.csv, employees.csv and rejects.csv from a
 * hand-built dataset and result, compared byte for byte: BOM, CRLF, column
 * order, quoting, the formula guard, masking, modes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sirecon/outdir.h"
#include "sirecon/report.h"
#include "sirecon/ids.h"

int outdir_rm_tree_at(int dfd, const char *name); /* STATIC in outdir.c */

#define BOM "\xEF\xBB\xBF"
#define EVIL "=HYPERLINK(\"http://evil\",\"x\")"
#define EVIL_CSV "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""
#define CTY_B "Công ty A, \"Ánh Dương\""
#define CTY_B_CSV "\"Công ty A, \"\"Ánh Dương\"\"\""

struct fixture {
    char dir[256];
    struct dataset ds;
    struct employer_sum emps[3];
    size_t employees[4];
    struct result res;
    struct run_info ri;
};

static struct tax_rec *
add_tax(struct dataset *ds, const char *emp, const char *emp_name,
        const char *name, uint32_t line)
{
    struct tax_rec *t = dataset_add_tax(ds);

    t->emp = emp;
    t->emp_name = emp_name;
    t->name = names_pname(&ds->a, name, strlen(name));
    t->pid_kind = IDK_NONE;
    t->file = 0;
    t->line = line;
    t->schedule = 1;
    return t;
}

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct dataset *ds = &fx->ds;
    struct input_file *in;
    struct tax_rec *t;
    const char *tmp = getenv("TMPDIR");

    snprintf(fx->dir, sizeof fx->dir, "%s/test_report_csv.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    dataset_init(ds);
    in = dataset_add_file(ds);
    in->path = "tax/2025/cty-a.csv";
    in->kind = KIND_TAX;
    in = dataset_add_file(ds);
    in->path = "si/bhxh.csv";
    in->kind = KIND_SI;

    /* 0: not enrolled, personal ID, two flags */
    t = add_tax(ds, "0101234567", EVIL, "Nguyễn Văn An", 12);
    ids_put(&ds->a, &t->ids, ids_key(IDK_PERSONAL, "001085012345"));
    t->pid_kind = IDK_PERSONAL;
    t->birth = 19850312;
    t->taxable_income = 120000000;
    t->status = ST_NOT_ENROLLED;
    t->reason = RS_NO_SI_RECORD_AT_EMPLOYER;
    t->flags = RF_LEADING_ZERO_RESTORED | RF_DEDUCTED_NOT_ENROLLED;
    /* 1: review, 05-2, legacy tax code, birth year only */
    t = add_tax(ds, "0109876543", CTY_B, "Trần Thị Hà", 13);
    ids_put(&ds->a, &t->ids, ids_key(IDK_TAXCODE, "8012345678"));
    t->pid_kind = IDK_TAXCODE;
    t->birth = 19900000;
    t->schedule = 2;
    t->taxable_income = 45000000;
    t->status = ST_REVIEW;
    t->reason = RS_SHORT_CONTRACT_OR_NON_RESIDENT;
    /* 2: partial, matched by R1, no ID at all */
    t = add_tax(ds, "0109876543", CTY_B, "Lê Văn Bình", 14);
    t->taxable_income = 60000000;
    t->insurance_deduction = 6300000;
    t->status = ST_PARTIAL;
    t->reason = RS_FEWER_MONTHS_THAN_INCOME;
    t->rule = RULE_R1_ID;
    t->confidence = 'A';
    t->covered_months = 7;
    t->flags = RF_LOW_BASE;
    /* 3: covered elsewhere, SI number */
    t = add_tax(ds, "0109876543", CTY_B, "Phạm Thu", 15);
    ids_put(&ds->a, &t->ids, ids_key(IDK_SI, "0123456789"));
    t->pid_kind = IDK_SI;
    t->birth = 20010101;
    t->taxable_income = 30000000;
    t->status = ST_COVERED_ELSEWHERE;
    t->reason = RS_ENROLLED_AT_OTHER_EMPLOYER;
    t->rule = RULE_R4_ELSEWHERE;
    dataset_add_si(ds)->emp = "0301111111";
    t->other_si = (uint32_t)ds->nsi;
    t->flags = RF_FOLDED_NAME;
    /* 4: enrolled, not in the employees list */
    t = add_tax(ds, "0109876543", CTY_B, "Đỗ Minh", 16);
    ids_put(&ds->a, &t->ids, ids_key(IDK_PERSONAL, "001090000001"));
    t->pid_kind = IDK_PERSONAL;
    t->status = ST_ENROLLED;
    t->rule = RULE_R1_ID;
    t->confidence = 'A';

    dataset_add_reject(ds, 0, 40, "BAD_MONEY", "taxable_income", "12,34.5");
    dataset_add_reject(ds, 1, 7, "MISSING_ID", "", "-");

    fx->emps[0] = (struct employer_sum){
        .emp = "0101234567", .name = EVIL, .area = "Hà Nội",
        .finding = FIND_NO_SI_REGISTRATION, .listed = true, .rank = 1,
        .taxed = 3, .not_enrolled = 3, .deducted_not_enrolled = 1,
        .coverage_pct = 0.0, .unenrolled_income = 120000000,
        .est_arrears = 38400000, .trend = "NEW",
    };
    fx->emps[1] = (struct employer_sum){
        .emp = "0109876543", .name = CTY_B, .area = NULL,
        .finding = FIND_UNDER_ENROLLMENT, .listed = true, .rank = 2,
        .taxed = 8, .enrolled = 7, .not_enrolled = 1, .review = 1,
        .coverage_pct = 87.5, .unenrolled_income = 50000000,
        .est_arrears = 16000000, .trend = "ONGOING (3 months)",
    };
    fx->emps[2] = (struct employer_sum){ /* not listed: not written */
        .emp = "0300000001", .name = "Unlisted", .taxed = 1, .enrolled = 1,
        .coverage_pct = 100.0, .trend = "",
    };
    fx->employees[0] = 0;
    fx->employees[1] = 2;
    fx->employees[2] = 3;
    fx->employees[3] = 1;
    fx->res.emps = fx->emps;
    fx->res.nemps = 3;
    fx->res.nlisted = 2;
    fx->res.employees = fx->employees;
    fx->res.nemployees = 4;
    fx->ri.ds = ds;
    fx->ri.res = &fx->res;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    int rc = outdir_rm_tree_at(AT_FDCWD, fx->dir);

    dataset_free(&fx->ds);
    free(fx);
    return rc;
}

/* The whole file, with its length. */
static char *
slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void
check_file(const char *dir, const char *name, const char *want)
{
    size_t len;
    char *got = slurp(dir, name, &len);
    char path[512];
    struct stat st;

    if (len != strlen(want) || memcmp(got, want, len) != 0)
        print_error("%s:\n--- got ---\n%s\n--- want ---\n%s\n", name, got, want);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(got);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
}

static const char employers_want[] =
    BOM "rank,employer_tax_id,employer_name,area,finding,taxed,enrolled,"
    "not_enrolled,partial,covered_elsewhere,review,deducted_not_enrolled,"
    "coverage_pct,unenrolled_income,est_arrears,trend\r\n"
    "1,0101234567," EVIL_CSV ",Hà Nội,NO_SI_REGISTRATION,3,0,3,0,0,0,1,0.0,"
    "120000000,38400000,NEW\r\n"
    "2,0109876543," CTY_B_CSV ",,UNDER_ENROLLMENT,8,7,1,0,0,1,0,87.5,"
    "50000000,16000000,ONGOING (3 months)\r\n";

#define EMPLOYEES_HEADER \
    BOM "employer_tax_id,employer_name,full_name,person_id,id_kind,birth_date," \
    "schedule,taxable_income,insurance_deduction,status,reason,rule," \
    "confidence,covered_months,other_employer_tax_id,flags,source\r\n"

static const char rejects_want[] =
    BOM "file,line,kind,reason,column,detail\r\n"
    "tax/2025/cty-a.csv,40,tax,BAD_MONEY,taxable_income,\"12,34.5\"\r\n"
    "si/bhxh.csv,7,si,MISSING_ID,,'-\r\n";

static void
test_write(void **state)
{
    struct fixture *fx = *state;
    struct diag d = {0};

    struct report_files out = {NULL, 0};

    assert_int_equal(report_csv_write(&fx->ri, fx->dir, &out, &d), SIRECON_OK);
    /* each file hashed as it was written: the hash of its bytes on disk */
    assert_int_equal(out.n, 3);
    for (size_t i = 0; i < out.n; i++) {
        char p[512], hex[65];
        snprintf(p, sizeof p, "%s/%s", fx->dir, out.v[i].name);
        assert_int_equal(outdir_sha256_file(p, hex), SIRECON_OK);
        assert_string_equal(out.v[i].sha256, hex);
    }
    assert_string_equal(out.v[0].name, "employers.csv");
    assert_string_equal(out.v[2].name, "rejects.csv");
    report_files_free(&out);
    check_file(fx->dir, "employers.csv", employers_want);
    check_file(fx->dir, "employees.csv", EMPLOYEES_HEADER
        "0101234567," EVIL_CSV ",Nguyễn Văn An,001085012345,personal_id,"
        "1985-03-12,05-1,120000000,0,NOT_ENROLLED,NO_SI_RECORD_AT_EMPLOYER,,,0,,"
        "LEADING_ZERO_RESTORED|DEDUCTED_NOT_ENROLLED,tax/2025/cty-a.csv:12\r\n"
        "0109876543," CTY_B_CSV ",Lê Văn Bình,,,,05-1,60000000,6300000,PARTIAL,"
        "FEWER_MONTHS_THAN_INCOME,R1_ID,A,7,,LOW_BASE,tax/2025/cty-a.csv:14\r\n"
        "0109876543," CTY_B_CSV ",Phạm Thu,0123456789,si_number,2001-01-01,05-1,"
        "30000000,0,COVERED_ELSEWHERE,ENROLLED_AT_OTHER_EMPLOYER,R4_ELSEWHERE,,0,"
        "0301111111,FOLDED_NAME_MATCH,tax/2025/cty-a.csv:15\r\n"
        "0109876543," CTY_B_CSV ",Trần Thị Hà,8012345678,tax_code,1990,05-2,"
        "45000000,0,REVIEW,SHORT_CONTRACT_OR_NON_RESIDENT,,,0,,,"
        "tax/2025/cty-a.csv:13\r\n");
    check_file(fx->dir, "rejects.csv", rejects_want);
}

static void
test_masked(void **state)
{
    struct fixture *fx = *state;
    struct diag d = {0};
    size_t len;
    char *got, buf[IDS_MAX];

    fx->ri.mask_ids = true;
    assert_int_equal(report_csv_write(&fx->ri, fx->dir, NULL, &d), SIRECON_OK);
    check_file(fx->dir, "employers.csv", employers_want);
    check_file(fx->dir, "employees.csv", EMPLOYEES_HEADER
        "0101234567," EVIL_CSV ",Nguyễn Văn An,********2345,personal_id,"
        "1985-03-12,05-1,120000000,0,NOT_ENROLLED,NO_SI_RECORD_AT_EMPLOYER,,,0,,"
        "LEADING_ZERO_RESTORED|DEDUCTED_NOT_ENROLLED,tax/2025/cty-a.csv:12\r\n"
        "0109876543," CTY_B_CSV ",Lê Văn Bình,,,,05-1,60000000,6300000,PARTIAL,"
        "FEWER_MONTHS_THAN_INCOME,R1_ID,A,7,,LOW_BASE,tax/2025/cty-a.csv:14\r\n"
        "0109876543," CTY_B_CSV ",Phạm Thu,******6789,si_number,2001-01-01,05-1,"
        "30000000,0,COVERED_ELSEWHERE,ENROLLED_AT_OTHER_EMPLOYER,R4_ELSEWHERE,,0,"
        "0301111111,FOLDED_NAME_MATCH,tax/2025/cty-a.csv:15\r\n"
        "0109876543," CTY_B_CSV ",Trần Thị Hà,******5678,tax_code,1990,05-2,"
        "45000000,0,REVIEW,SHORT_CONTRACT_OR_NON_RESIDENT,,,0,,,"
        "tax/2025/cty-a.csv:13\r\n");
    /* no full ID anywhere in the folder */
    got = slurp(fx->dir, "employees.csv", &len);
    assert_null(strstr(got, "001085012345"));
    assert_null(strstr(got, "8012345678"));
    free(got);
    assert_string_equal(report_person_id(&fx->ri, &fx->ds.tax[0], buf), "********2345");
    assert_string_equal(report_person_id(&fx->ri, &fx->ds.tax[2], buf), "");
    fx->ri.mask_ids = false;
    assert_string_equal(report_person_id(&fx->ri, &fx->ds.tax[0], buf), "001085012345");
}

static void
test_person_id_kind_agree(void **state)
{
    struct fixture *fx = *state;
    struct tax_rec *t = &fx->ds.tax[0];
    char buf[IDS_MAX];

    /* pid_kind names the id shown when the record has it ... */
    ids_put(&fx->ds.a, &t->ids, ids_key(IDK_CMND, "012345678"));
    t->pid_kind = IDK_CMND;
    assert_string_equal(report_person_id(&fx->ri, t, buf), "012345678");
    /* ... else the strongest present id is shown */
    t->pid_kind = IDK_PASSPORT;
    assert_string_equal(report_person_id(&fx->ri, t, buf), "001085012345");
    t->pid_kind = IDK_NONE;
    assert_string_equal(report_person_id(&fx->ri, t, buf), "001085012345");
}

static void
test_source(void **state)
{
    struct fixture *fx = *state;
    char buf[600];

    assert_string_equal(report_source(&fx->ri, 1, 99, buf, sizeof buf), "si/bhxh.csv:99");
    assert_string_equal(report_source(&fx->ri, 7, 3, buf, sizeof buf), ":3");
}

static void
test_empty(void **state)
{
    struct fixture *fx = *state;
    struct diag d = {0};

    fx->res.nlisted = 0;
    fx->res.nemployees = 0;
    fx->ds.nrejects = 0;
    assert_int_equal(report_csv_write(&fx->ri, fx->dir, NULL, &d), SIRECON_OK);
    check_file(fx->dir, "employers.csv",
        BOM "rank,employer_tax_id,employer_name,area,finding,taxed,enrolled,"
        "not_enrolled,partial,covered_elsewhere,review,deducted_not_enrolled,"
        "coverage_pct,unenrolled_income,est_arrears,trend\r\n");
    check_file(fx->dir, "employees.csv", EMPLOYEES_HEADER);
    check_file(fx->dir, "rejects.csv", BOM "file,line,kind,reason,column,detail\r\n");
}

static void
test_errors(void **state)
{
    struct fixture *fx = *state;
    struct diag d = {0};
    char missing[512], path[512];

    /* files are created exclusively: never over an existing one */
    snprintf(path, sizeof path, "%s/employees.csv", fx->dir);
    assert_int_equal(close(open(path, O_WRONLY | O_CREAT, 0600)), 0);
    assert_int_equal(report_csv_write(&fx->ri, fx->dir, NULL, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.file, path);
    assert_string_equal(d.msg, strerror(EEXIST));

    snprintf(missing, sizeof missing, "%s/nope", fx->dir);
    assert_int_equal(report_csv_write(&fx->ri, missing, NULL, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.msg, strerror(ENOENT));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_id_kind_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
