/*
 * test_xls.c - xls.c: the first sheet of a legacy .xls workbook as CSV text
 * (FreeXL).  The fixture is written by fixtures/xls/make.py (python3-xlwt)
 * from fixtures/formats/tax_05-1_tt80_a.csv, with IDs and amounts stored as
 * numbers; the unit tests run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sirecon/xls.h"

#define FIXTURE "fixtures/xls/tax_05-1_tt80_a.xls"

/* Numbers as sirecon reads them: IDs stored as numbers keep their digits. */
static void
test_number_text(void **state)
{
    char b[40];
    (void)state;
    xls_number_text(34085001111.0, b, sizeof b);
    assert_string_equal(b, "34085001111");
    xls_number_text(120000000.0, b, sizeof b);
    assert_string_equal(b, "120000000");
    xls_number_text(0.0, b, sizeof b);
    assert_string_equal(b, "0");
    xls_number_text(12.5, b, sizeof b);
    assert_string_equal(b, "12.5");
    xls_number_text(1.0 / 0.0, b, sizeof b);
    assert_string_equal(b, "");
}

/* The first sheet, row by row: Excel row k is CSV line k. */
static void
test_fixture(void **state)
{
    char *out = NULL;
    size_t n = 0;
    struct diag d;
    const char *line11;
    (void)state;
    memset(&d, 0, sizeof d);
    assert_int_equal(xls_to_csv(FIXTURE, &out, &n, &d), SIRECON_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), n);
    assert_non_null(strstr(out, "05-1/BK-QTT-TNCN,,,,,,\n"));
    /* line 11: the first person, the CCCD and amounts stored as numbers */
    line11 = out;
    for (int i = 1; i < 11; i++) {
        line11 = strchr(line11, '\n');
        assert_non_null(line11);
        line11++;
    }
    assert_memory_equal(line11, "1,Nguyễn Văn An,,34085001111,120000000,0,10500000\n",
                        strlen("1,Nguyễn Văn An,,34085001111,120000000,0,10500000\n"));
    /* the second sheet is not read; no number came out in E notation */
    assert_null(strstr(out, "not a record"));
    assert_null(strstr(out, "E+"));
    assert_null(strstr(out, ".0,"));
    free(out);
}

/* Not a workbook, or no workbook inside an OLE file: a clear error. */
static void
test_errors(void **state)
{
    char path[] = "/tmp/sirecon-xls-XXXXXX";
    int fd = mkstemp(path);
    char *out = (char *)1;
    size_t n = 1;
    struct diag d;
    static const unsigned char ole[512] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, ole, sizeof ole), (ssize_t)sizeof ole);
    close(fd);
    memset(&d, 0, sizeof d);
    assert_int_equal(xls_to_csv(path, &out, &n, &d), SIRECON_ERR_DATA);
    assert_null(out);
    assert_int_equal(n, 0);
    assert_non_null(strstr(d.msg, ".xls"));
    unlink(path);
    memset(&d, 0, sizeof d);
    assert_int_equal(xls_to_csv("/nonexistent/x.xls", &out, &n, &d), SIRECON_ERR_DATA);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_text),
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
