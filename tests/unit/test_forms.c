/*
 * test_forms.c - the official layouts read exactly (docs/inputs.md, "Official
 * forms").  Each file of fixtures/forms/ is a copy of ../shared/forms/ (the
 * project's ground truth; the copies are compared with it when it is there):
 * every column its README lists maps to its field, no other column maps to
 * anything (no second column, no unread-ID column), the title-block values
 * are read, and every data row loads (none rejected).
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
#include "sirecon/run.h"
#include "sirecon/profile.h"


struct expect {
    const char *file;
    file_kind kind;
    int col[F_COUNT];         /* 1-based column of each field, 0 none */
    const char *title[F_COUNT]; /* title-block value of a field, NULL none */
    unsigned loaded;
    int schedule;
};

static const struct expect forms[] = {
    {"05-1_TT80.csv", KIND_TAX,
     {[F_FULL_NAME] = 2, [F_EMPLOYEE_TAX_ID] = 3, [F_ID_NUMBER] = 5, [F_TAXABLE_INCOME] = 8,
      [F_INSURANCE_DEDUCTION] = 16, [F_TAX_WITHHELD] = 19},
     {[F_EMPLOYER_TAX_ID] = "0189204519-002", [F_TAX_YEAR] = "2025",
      [F_EMPLOYER_NAME] = "CHI NHÁNH THÁI BÌNH - CÔNG TY TNHH GỐM SỨ PHÚC LỘC"},
     3, 1},
    {"05-2_TT80.csv", KIND_TAX,
     {[F_FULL_NAME] = 2, [F_EMPLOYEE_TAX_ID] = 3, [F_ID_NUMBER] = 5, [F_NON_RESIDENT] = 6,
      [F_TAXABLE_INCOME] = 7, [F_TAX_WITHHELD] = 11},
     {[F_EMPLOYER_TAX_ID] = "1077219981", [F_TAX_YEAR] = "2025",
      [F_EMPLOYER_NAME] = "CÔNG TY TNHH PHÂN BÓN KIM LONG"},
     4, 2},
    {"05-1_TT92.csv", KIND_TAX,
     {[F_FULL_NAME] = 2, [F_EMPLOYEE_TAX_ID] = 3, [F_ID_NUMBER] = 4, [F_TAXABLE_INCOME] = 6,
      [F_INSURANCE_DEDUCTION] = 12, [F_TAX_WITHHELD] = 15},
     {[F_EMPLOYER_TAX_ID] = "1021216033", [F_TAX_YEAR] = "2025",
      [F_EMPLOYER_NAME] = "DOANH NGHIỆP TƯ NHÂN KỸ THUẬT ĐIỆN TÂN TIẾN"},
     3, 1},
    {"D02-LT_QD490.csv", KIND_SI,
     {[F_FULL_NAME] = 2, [F_SI_NUMBER] = 3, [F_BIRTH_DATE] = 4, [F_ID_NUMBER] = 6,
      [F_SALARY] = 8, [F_PLAN_CODE] = 10, [F_FROM_MONTH] = 11, [F_TO_MONTH] = 12},
     {[F_EMPLOYER_TAX_ID] = "0959478310", [F_UNIT_CODE] = "0959478310"},
     3, 0},
};

static char fixdir[64];

static int
group_setup(void **state)
{
    (void)state;
    strcpy(fixdir, access("fixtures/forms", R_OK) == 0 ? "fixtures/forms" : "../fixtures/forms");
    return 0;
}

static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long len;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    b = malloc((size_t)len + 1);
    if (b == NULL || fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* The copies in fixtures/forms are the shared ground truth, byte for byte. */
static void
test_copies_match_shared(void **state)
{
    static const char *const shared[] = {"../shared/forms", "../../shared/forms"};
    const char *dir = NULL;
    (void)state;

    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        if (access(shared[i], R_OK) == 0)
            dir = shared[i];
    if (dir == NULL)
        skip();
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char a[256], b[256];
        size_t na = 0, nb = 0;
        snprintf(a, sizeof a, "%s/%s", fixdir, forms[i].file);
        snprintf(b, sizeof b, "%s/%s", dir, forms[i].file);
        char *x = slurp(a, &na), *y = slurp(b, &nb);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
    }
}

static void
check_form(const struct expect *e, file_kind as)
{
    struct dataset ds;
    struct header_map map;
    struct profile pf;
    struct diag d = {0};
    char path[256];

    snprintf(path, sizeof path, "%s/%s", fixdir, e->file);
    profile_defaults(&pf);
    dataset_init(&ds);
    memset(&map, 0, sizeof map);
    sirecon_status st = run_inspect_file(&ds, path, as, ENC_UNKNOWN, &pf, &map, &d);
    if (st != SIRECON_OK)
        fail_msg("%s: %s", e->file, d.msg);
    assert_int_equal(ds.files[0].kind, e->kind);
    for (int f = 0; f < F_COUNT; f++) {
        if (map.col[f] + 1 != e->col[f])
            fail_msg("%s: %s read from column %d, the form says %d", e->file,
                     fields_name((field_id)f), map.col[f] + 1, e->col[f]);
        assert_int_equal(map.alt[f], -1);
        if (e->title[f] != NULL) {
            assert_non_null(map.title[f]);
            assert_string_equal(map.title[f], e->title[f]);
        }
    }
    assert_int_equal(ds.files[0].nunread, 0);
    assert_int_equal(ds.files[0].rejected, 0);
    assert_int_equal(ds.files[0].loaded, e->loaded);
    assert_int_equal(ds.files[0].read,
                     ds.files[0].loaded + ds.files[0].skipped + ds.files[0].rejected);
    if (e->schedule)
        assert_int_equal(map.schedule, e->schedule);
    header_map_free(&map);
    dataset_free(&ds);
    profile_free(&pf);
}

/* Each form read as its kind, and with the kind guessed (`check`). */
static void
test_forms_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        check_form(&forms[i], forms[i].kind);
        check_form(&forms[i], KIND_COUNT);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_match_shared),
        cmocka_unit_test(test_forms_exact),
    };
    return cmocka_run_group_tests_name("forms", tests, group_setup, NULL);
}
