/*
 * test_csvout.c - the CSV writer, byte for byte: BOM, CRLF, quoting,
 * doubled quotes, the formula guard, and locale-free numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/csvout.h"

struct mem {
    char *buf;
    size_t len;
    FILE *f;
    struct csvout c;
};

static void
mem_open(struct mem *m)
{
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
    csvout_open(&m->c, m->f);
}

/* Close and compare everything written after the BOM. */
static void
mem_check(struct mem *m, const char *want)
{
    assert_int_equal(fclose(m->f), 0);
    assert_true(m->len >= 3);
    assert_memory_equal(m->buf, "\xEF\xBB\xBF", 3);
    assert_int_equal(m->len - 3, strlen(want));
    assert_memory_equal(m->buf + 3, want, strlen(want));
    free(m->buf);
}

/* One text field alone on a row. */
static void
one(const char *in, const char *want)
{
    struct mem m;
    char w[256];

    mem_open(&m);
    csvout_field(&m.c, in);
    csvout_end(&m.c);
    snprintf(w, sizeof w, "%s\r\n", want);
    mem_check(&m, w);
}

static void
test_bom_and_rows(void **state)
{
    struct mem m;
    static const char *const hdr[] = { "a", "b", "c" };

    mem_open(&m);
    csvout_row(&m.c, hdr, 3);
    csvout_field(&m.c, "x");
    csvout_field(&m.c, NULL);
    csvout_field(&m.c, "");
    csvout_end(&m.c);
    csvout_field(&m.c, "y");
    csvout_int(&m.c, 7);
    csvout_field(&m.c, "z");
    csvout_end(&m.c);
    mem_check(&m, "a,b,c\r\nx,,\r\ny,7,z\r\n");
}

static void
test_empty_file(void **state)
{
    struct mem m;

    mem_open(&m);
    mem_check(&m, "");
}

static void
test_quoting(void **state)
{
    one("plain", "plain");
    one("Công ty TNHH Ánh Dương", "Công ty TNHH Ánh Dương"); /* UTF-8 as is */
    one("a,b", "\"a,b\"");
    one("say \"hi\"", "\"say \"\"hi\"\"\"");
    one("\"", "\"\"\"\"");
    one("\"\"", "\"\"\"\"\"\"");
    one("line1\nline2", "\"line1\nline2\"");
    one("cr\rhere", "\"cr\rhere\"");
    one("crlf\r\n", "\"crlf\r\n\"");
    one(" lead", "\" lead\"");
    one("trail ", "\"trail \"");
    one(" ", "\" \"");
    one("in side", "in side");
    one("Cty A, \"Hà Nội\"", "\"Cty A, \"\"Hà Nội\"\"\"");
    one("'quoted'", "'quoted'");
}

static void
test_formula_guard(void **state)
{
    one("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    one("=1+2", "'=1+2");
    one("+84 912", "'+84 912");
    one("-5", "'-5");
    one("-", "'-");
    one("@SUM(A1)", "'@SUM(A1)");
    one("\tx", "'\tx");
    one("\rx", "\"'\rx\"");
    one("=a,b", "\"'=a,b\"");
    one("a=b", "a=b");     /* only at the start */
    one("1-2", "1-2");
    one(" =x", "\" =x\""); /* starts with a space: quoted, not guarded */
}

static void
test_numbers(void **state)
{
    struct mem m;

    mem_open(&m);
    csvout_int(&m.c, 0);
    csvout_int(&m.c, -5); /* ours: never guarded */
    csvout_int(&m.c, 1234567890123LL);
    csvout_int(&m.c, INT64_MAX);
    csvout_int(&m.c, INT64_MIN);
    csvout_uint(&m.c, 0);
    csvout_uint(&m.c, UINT64_MAX);
    csvout_end(&m.c);
    mem_check(&m, "0,-5,1234567890123,9223372036854775807,-9223372036854775808,"
                  "0,18446744073709551615\r\n");
}

static void
test_fixed1(void **state)
{
    struct mem m;

    mem_open(&m);
    csvout_fixed1(&m.c, 87.5);
    csvout_fixed1(&m.c, 0.0);
    csvout_fixed1(&m.c, 100.0);
    csvout_fixed1(&m.c, 2.0 / 3.0 * 100.0); /* 66.666... */
    csvout_fixed1(&m.c, 0.05);
    csvout_fixed1(&m.c, 0.04);
    csvout_fixed1(&m.c, -0.04);             /* rounds to zero: no "-0.0" */
    csvout_fixed1(&m.c, -12.25);
    csvout_fixed1(&m.c, 123456789.0);
    csvout_fixed1(&m.c, NAN);
    csvout_fixed1(&m.c, INFINITY);
    csvout_fixed1(&m.c, 1e300);
    csvout_end(&m.c);
    mem_check(&m, "87.5,0.0,100.0,66.7,0.1,0.0,0.0,-12.3,123456789.0,,,\r\n");
}

static void
test_locale_independent(void **state)
{
    struct mem m;
    const char *loc = setlocale(LC_NUMERIC, "vi_VN.UTF-8");

    if (loc == NULL)
        loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (loc == NULL)
        loc = setlocale(LC_NUMERIC, "fr_FR.UTF-8");
    /* Without a comma-decimal locale installed this still checks the output. */
    mem_open(&m);
    csvout_fixed1(&m.c, 87.5);
    csvout_int(&m.c, 1234567);
    csvout_end(&m.c);
    setlocale(LC_NUMERIC, "C");
    mem_check(&m, "87.5,1234567\r\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_and_rows),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_formula_guard),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_fixed1),
        cmocka_unit_test(test_locale_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
