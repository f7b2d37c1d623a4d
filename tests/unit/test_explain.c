/*
 * test_explain.c - explain.h on a small run written here: a person found
 * by an identifier that lost its leading zero, by a name folded without
 * diacritics at one employer, a row by FILE:LINE, an employer; what the
 * text says about each rule (English and Vietnamese), JSON fields, masked
 * identifiers, and queries that find nothing.  Employers 0100233488 and
 * 0300588569 have valid check digits; personal IDs are made up.
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
#include "sirecon/explain.h"

static char root[256], tax_path[300], si_path[300], link_path[300];
static const char *run_tax = tax_path, *run_si = si_path; /* as the run is given them */

static int
setup(void **state)
{
    if (make_root(root, sizeof root, "test_explain") != 0)
        return -1;
    snprintf(tax_path, sizeof tax_path, "%s/tax.csv", root);
    snprintf(si_path, sizeof si_path, "%s/si.csv", root);
    snprintf(link_path, sizeof link_path, "%s/link.csv", root);
    put(tax_path, HDR_TAX
        "0100233488,Cty A,Nguyễn Văn An,,034085001111,,2025,,100000000,0,0,05-1\n"
        "0100233488,Cty A,Lê Văn Cường,,001088003333,,2025,12,90000000,9000000,0,05-1\n"
        "0300588569,Cty B,Phạm Văn Dũng,,034080005555,,2025,,80000000,0,0,05-1\n"
        "0100233488,Cty A,Hoàng Văn Em,,,,2025,12,70000000,0,0,05-1\n");
    put(si_path, HDR_SI
        "0100233488,,Nguyễn Văn An,3401234567,034085001111,15/03/1985,6000000,01/2025,,TM\n"
        "0100233488,,Phạm Văn Dũng,3401234599,034080005555,,6000000,01/2025,,TM\n"
        "0100233488,,Hoàng Văn Em,,,01/01/1990,6000000,01/2025,06/2025,TM\n");
    (void)state;
    return 0;
}

static int
teardown(void **state)
{
    unlink(tax_path);
    unlink(si_path);
    unlink(link_path);
    rmdir(root);
    (void)state;
    return 0;
}

/* Run the queries and return what explain_write printed (free it). */
static char *
explain(const struct explain_query *q, size_t nq, bool json, lang l, bool mask,
        size_t *missing)
{
    struct profile pf;
    struct run r;
    struct run_opts o;
    struct explain x;
    struct diag d = {0};
    char *tax[] = {(char *)run_tax}, *si[] = {(char *)run_si};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    profile_defaults(&pf);
    memset(&o, 0, sizeof o);
    o.tax = tax;
    o.ntax = 1;
    o.si = si;
    o.nsi = 1;
    o.min_missing = 1;
    o.max_reject_rate = 0.05;
    run_init(&r, &pf);
    explain_init(&x, q, nq);
    assert_int_equal(run_load(&r, &o, &d), SIRECON_OK);
    assert_int_equal(run_decide(&r, &o, explain_trace(&x), &d), SIRECON_OK);
    *missing = explain_write(&x, &r, f, json, l, mask);
    fclose(f);
    explain_free(&x);
    run_free(&r);
    profile_free(&pf);
    return buf;
}

#define HAS(s, sub) do { if (strstr((s), (sub)) == NULL) fail_msg("no \"%s\" in:\n%s", (sub), (s)); } while (0)
#define HASNT(s, sub) do { if (strstr((s), (sub)) != NULL) fail_msg("\"%s\" in:\n%s", (sub), (s)); } while (0)

static void
test_person_by_id(void **state)
{
    /* the CCCD typed without its leading zero, with spaces */
    struct explain_query q[] = {{EXPLAIN_PERSON, "34085 001111", NULL}};
    size_t missing;
    char *s = explain(q, 1, false, LANG_EN, false, &missing);

    assert_int_equal(missing, 0);
    HAS(s, "Tax record ");
    HAS(s, "tax.csv:2: Nguyễn Văn An, employer 0100233488");
    HAS(s, "R1_ID: same identifier: ");
    HAS(s, "si.csv:2 Nguyễn Văn An at 0100233488, 01/2025..ongoing");
    HAS(s, "coverage in all: 12 of the period's 12 months covered");
    HAS(s, "decision: Enrolled (ENROLLED)");
    HAS(s, "SI records of this person:");
    HASNT(s, "Lê Văn Cường");
    free(s);
}

static void
test_rows_and_rules(void **state)
{
    struct explain_query q[2];
    size_t missing;
    char row3[320], row4[320];

    snprintf(row3, sizeof row3, "%s:3", tax_path);
    q[0] = (struct explain_query){EXPLAIN_ROW, row3, NULL};
    snprintf(row4, sizeof row4, "%s:4", tax_path);
    q[1] = (struct explain_query){EXPLAIN_ROW, row4, NULL};
    char *s = explain(q, 2, false, LANG_EN, false, &missing);
    assert_int_equal(missing, 0);
    /* Lê Văn Cường: no SI anywhere, insurance deducted */
    HAS(s, "R1_ID: no SI record of this person at 0100233488 (3 SI records there)");
    HAS(s, "R4_ELSEWHERE: not covered at another employer in the period");
    HAS(s, "decision: Not enrolled (NOT_ENROLLED); reason: No SI record at this employer "
           "(NO_SI_RECORD_AT_EMPLOYER)");
    HAS(s, "flags: DEDUCTED_NOT_ENROLLED");
    /* the arrears from the deduction: 9,000,000 / 0.105 over 12 months */
    HAS(s, "estimated arrears: salary 85,714,285 VND (insurance deducted");
    /* Phạm Văn Dũng: enrolled at the other employer */
    HAS(s, "si.csv:3 Phạm Văn Dũng at 0100233488, 01/2025..ongoing, salary 6,000,000, "
           "plan TM: covers months of the period");
    HAS(s, "R4_ELSEWHERE: covered at 0100233488 in the period");
    HAS(s, "decision: Covered elsewhere (COVERED_ELSEWHERE)");
    free(s);
}

static void
test_name_at_employer_vi(void **state)
{
    /* typed without diacritics: the folded name finds Hoàng Văn Em */
    struct explain_query q[] = {{EXPLAIN_PERSON, "hoang van em", "0100233488"}};
    size_t missing;
    char *s = explain(q, 1, false, LANG_VI, false, &missing);

    assert_int_equal(missing, 0);
    HAS(s, "Bản ghi thuế");
    HAS(s, "R1_ID: không xét, không có mã định danh dùng được");
    HAS(s, "R2_NAME_DOB/R3_NAME: ứng viên");
    HAS(s, "R3_NAME: khớp với");
    HAS(s, "tham gia: ");
    HAS(s, "6 tháng trong kỳ");
    HAS(s, "kết luận: Tham gia không đủ tháng (PARTIAL)");
    free(s);
}

static void
test_employer_json_masked(void **state)
{
    struct explain_query q[] = {
        {EXPLAIN_EMPLOYER, "0100233488", NULL},
        {EXPLAIN_PERSON, "001088003333", NULL},
    };
    size_t missing;
    char *s = explain(q, 2, true, LANG_EN, true, &missing);

    assert_int_equal(missing, 0);
    HAS(s, "\"query\": \"employer\"");
    HAS(s, "\"finding\": \"UNDER_ENROLLMENT\"");
    HAS(s, "\"rank\": 1");
    HAS(s, "\"not_enrolled\": 1");
    HAS(s, "\"partial\": 1");
    HAS(s, "\"step\": \"R1_ID\"");
    HAS(s, "\"result\": \"no_match\"");
    HAS(s, "\"status\": \"NOT_ENROLLED\"");
    HAS(s, "\"from\": \"insurance_deduction\"");
    /* masked everywhere, the query echo included */
    HAS(s, "********3333");
    HASNT(s, "001088003333");
    HASNT(s, "034085001111");
    free(s);
}

static void
test_not_found(void **state)
{
    struct explain_query q[] = {
        {EXPLAIN_PERSON, "001099999999", NULL},
        {EXPLAIN_ROW, "nowhere.csv:2", NULL},
        {EXPLAIN_EMPLOYER, "0312345678", NULL},
        {EXPLAIN_PERSON, "Nguyen Van An", "0300588569"}, /* the name, but elsewhere */
        {EXPLAIN_PERSON, "000", NULL},                   /* nothing left to compare */
    };
    size_t missing;
    char *s = explain(q, 5, true, LANG_EN, false, &missing);

    assert_int_equal(missing, 5);
    HAS(s, "\"found\": false");
    HASNT(s, "\"found\": true");
    free(s);
}

/* --row finds its file however the path is written: the run given
 * relative paths, the query absolute (as employees.csv of a run given
 * absolute paths prints it), with ./, through a symlink */
static void
test_row_path_forms(void **state)
{
    char cwd[1024], abs3[320], *s;
    size_t missing;

    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(symlink("tax.csv", link_path), 0);
    assert_int_equal(chdir(root), 0);
    run_tax = "tax.csv";
    run_si = "si.csv";
    snprintf(abs3, sizeof abs3, "%s:3", tax_path);
    struct explain_query q[] = {
        {EXPLAIN_ROW, abs3, NULL},
        {EXPLAIN_ROW, "./tax.csv:2", NULL},
        {EXPLAIN_ROW, "link.csv:4", NULL},
        {EXPLAIN_ROW, "tax.csv:5", NULL},
    };
    s = explain(q, 4, false, LANG_EN, false, &missing);
    assert_int_equal(missing, 0);
    HAS(s, "Tax record tax.csv:3: Lê Văn Cường");
    HAS(s, "Tax record tax.csv:2: Nguyễn Văn An");
    HAS(s, "Tax record tax.csv:4: Phạm Văn Dũng");
    HAS(s, "Tax record tax.csv:5: Hoàng Văn Em");
    free(s);
    /* the same file by name, or not */
    assert_true(explain_same_file(tax_path, strlen(tax_path), "tax.csv"));
    assert_true(explain_same_file("link.csv", 8, "tax.csv"));
    assert_true(explain_same_file("tax.csv:9", 7, "./tax.csv"));
    assert_false(explain_same_file("si.csv", 6, "tax.csv"));
    assert_false(explain_same_file("nowhere.csv", 11, "tax.csv"));
    assert_false(explain_same_file("-", 1, "tax.csv"));
    assert_true(explain_same_file("-", 1, "-"));
    /* a workbook's sheet: the same workbook file however written, same sheet
     * (an empty book.xlsx: only the file's identity is compared) */
    {
        char absheet[400];
        FILE *f = fopen("book.xlsx", "w");
        assert_non_null(f);
        fclose(f);
        assert_int_equal(symlink("book.xlsx", "alias.xlsx"), 0);
        snprintf(absheet, sizeof absheet, "%s/book.xlsx[05-2]", root);
        assert_true(explain_same_file(absheet, strlen(absheet), "book.xlsx[05-2]"));
        assert_true(explain_same_file("./alias.xlsx[05-2]", 18, "book.xlsx[05-2]"));
        assert_false(explain_same_file("book.xlsx[05-1]", 15, "book.xlsx[05-2]"));
        assert_false(explain_same_file("book.xlsx", 9, "book.xlsx[05-2]"));
        unlink("alias.xlsx");
        unlink("book.xlsx");
    }
    /* an SI file is no tax input */
    struct explain_query si_row[] = {{EXPLAIN_ROW, "si.csv:2", NULL}};
    s = explain(si_row, 1, false, LANG_EN, false, &missing);
    assert_int_equal(missing, 1);
    free(s);
    run_tax = tax_path;
    run_si = si_path;
    assert_int_equal(chdir(cwd), 0);
    (void)state;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_by_id),
        cmocka_unit_test(test_rows_and_rules),
        cmocka_unit_test(test_name_at_employer_vi),
        cmocka_unit_test(test_employer_json_masked),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_row_path_forms),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
