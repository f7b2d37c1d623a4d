/*
 * test_values.c - dates, months, money and integers: each accepted format and
 * each way a cell is refused, as tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sirecon/values.h"
#include "digits.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* The cell's bytes in a buffer of exactly that size, without a NUL, so that
 * a read past n shows under ASan. */
static char *
exact_copy(const char *s, size_t *n)
{
    char *p;

    *n = strlen(s);
    p = malloc(*n ? *n : 1);
    assert_non_null(p);
    memcpy(p, s, *n);
    return p;
}

static const struct date_case {
    const char *in;
    val_result r;
    sdate d;
} date_cases[] = {
    /* day first */
    { "15/01/1987", VAL_OK, 19870115 },
    { "5/1/1987", VAL_OK, 19870105 },
    { "05/1/1987", VAL_OK, 19870105 },
    { "15-01-1987", VAL_OK, 19870115 },
    { "15.01.1987", VAL_OK, 19870115 },
    { " 15/01/1987 ", VAL_OK, 19870115 },
    { "\xC2\xA0" "15/01/1987", VAL_OK, 19870115 },
    { "01/02/2025", VAL_OK, 20250201 },           /* 1 Feb, not 2 Jan */
    /* year first */
    { "1987-01-15", VAL_OK, 19870115 },
    { "1987/01/15", VAL_OK, 19870115 },
    { "1987-1-5", VAL_OK, 19870105 },
    /* time ignored */
    { "15/01/1987 00:00:00", VAL_OK, 19870115 },
    { "1987-01-15 00:00:00", VAL_OK, 19870115 },
    { "1987-01-15T08:30:00", VAL_OK, 19870115 },
    { "15/01/1987 8:30", VAL_OK, 19870115 },
    { "15/01/1987 12:00:00 AM", VAL_OK, 19870115 },
    { "1987-01-15 00:00:00.000", VAL_OK, 19870115 },
    /* calendar */
    { "29/02/2024", VAL_OK, 20240229 },
    { "29/02/2000", VAL_OK, 20000229 },
    { "29/02/2023", VAL_BAD, 0 },
    { "29/02/1900", VAL_BAD, 0 },
    { "31/04/2025", VAL_BAD, 0 },
    { "30/04/2025", VAL_OK, 20250430 },
    { "31/12/2025", VAL_OK, 20251231 },
    { "00/01/2025", VAL_BAD, 0 },
    { "15/13/2025", VAL_BAD, 0 },
    { "15/00/2025", VAL_BAD, 0 },
    { "32/01/2025", VAL_BAD, 0 },
    { "15/01/1899", VAL_BAD, 0 },
    { "15/01/2101", VAL_BAD, 0 },
    /* Excel serials (1900 system) */
    { "1", VAL_OK, 19000101 },
    { "59", VAL_OK, 19000228 },
    { "60", VAL_BAD, 0 },                         /* the fictitious 29/02/1900 */
    { "61", VAL_OK, 19000301 },
    { "100", VAL_OK, 19000409 },
    { "32874", VAL_OK, 19900101 },
    { "36526", VAL_OK, 20000101 },
    { "43890", VAL_OK, 20200229 },
    { "45658", VAL_OK, 20250101 },
    { "45658.0", VAL_OK, 20250101 },
    { "45658.00", VAL_OK, 20250101 },
    { "2958465", VAL_OK, 99991231 },
    { "2958466", VAL_BAD, 0 },
    { "0", VAL_BAD, 0 },
    { "45658.5", VAL_BAD, 0 },
    { "12345678", VAL_BAD, 0 },
    /* year alone */
    { "1965", VAL_OK, 19650000 },
    { "1965.0", VAL_OK, 19650000 },
    { "2100", VAL_OK, 21000000 },
    { "1899", VAL_BAD, 0 },
    { "2500", VAL_BAD, 0 },
    /* not a date */
    { "", VAL_EMPTY, 0 },
    { "   ", VAL_EMPTY, 0 },
    { "abc", VAL_BAD, 0 },
    { "15/01/87", VAL_BAD, 0 },
    { "15/01-1987", VAL_BAD, 0 },
    { "15:01:1987", VAL_BAD, 0 },
    { "15/01/1987 abc", VAL_BAD, 0 },
    { "15/01/1987 25", VAL_BAD, 0 },
    { "1987.01.15", VAL_BAD, 0 },
    { "115/01/1987", VAL_BAD, 0 },
    { "15/001/1987", VAL_BAD, 0 },
    { "-45658", VAL_BAD, 0 },
};

static void
test_date_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(date_cases); i++) {
        const struct date_case *c = &date_cases[i];
        sdate d = -1;
        size_t n;
        char *in = exact_copy(c->in, &n);
        val_result r = values_date(in, n, &d);

        free(in);
        if (r != c->r || (r == VAL_OK && d != c->d))
            fail_msg("date case %zu \"%s\": got r=%d d=%d, want r=%d d=%d",
                     i, c->in, (int)r, (int)d, (int)c->r, (int)c->d);
        if (r != VAL_OK && d != -1)
            fail_msg("date case %zu: *out written on failure", i);
    }
}

/*
 * Every serial from 1 to 80000 is the day after the one before (60 is no
 * day).  4-digit numbers are years (1900..2100) or refused, never serials.
 */
static void
test_date_serial_sequence(void **state)
{
    static const int dm[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = 1900, m = 1, dd = 1;

    (void)state;
    for (long s = 1; s <= 80000; s++) {
        char buf[16];
        sdate got = -1;
        int len, leap, last;
        val_result r;

        if (s == 60) {
            assert_int_equal(values_date("60", 2, &got), VAL_BAD);
            continue;
        }
        len = snprintf(buf, sizeof buf, "%ld", s);
        r = values_date(buf, (size_t)len, &got);
        if (s >= 1900 && s <= 2100) {
            assert_int_equal(r, VAL_OK);
            assert_int_equal(got, s * 10000);
        } else if (s >= 1000 && s <= 9999) {
            assert_int_equal(r, VAL_BAD);
        } else {
            assert_int_equal(r, VAL_OK);
            if (got != y * 10000 + m * 100 + dd)
                fail_msg("serial %ld: got %d, want %04d-%02d-%02d", s, (int)got,
                         y, m, dd);
        }
        leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        last = m == 2 && leap ? 29 : dm[m];
        if (++dd > last) {
            dd = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}

static const struct month_case {
    const char *in;
    val_result r;
    int y, m;
} month_cases[] = {
    { "01/2025", VAL_OK, 2025, 1 },
    { "1/2025", VAL_OK, 2025, 1 },
    { "12/2024", VAL_OK, 2024, 12 },
    { "07-2025", VAL_OK, 2025, 7 },
    { "07.2025", VAL_OK, 2025, 7 },
    { "2025-07", VAL_OK, 2025, 7 },
    { "2025/7", VAL_OK, 2025, 7 },
    { "202507", VAL_OK, 2025, 7 },
    { " 202507 ", VAL_OK, 2025, 7 },
    { "15/07/2025", VAL_OK, 2025, 7 },
    { "2025-07-15", VAL_OK, 2025, 7 },
    { "01/07/2025 00:00:00", VAL_OK, 2025, 7 },
    { "45658", VAL_OK, 2025, 1 },
    { "45658.0", VAL_OK, 2025, 1 },
    { "13/2025", VAL_BAD, 0, 0 },
    { "0/2025", VAL_BAD, 0, 0 },
    { "2025-13", VAL_BAD, 0, 0 },
    { "202513", VAL_BAD, 0, 0 },
    { "202500", VAL_BAD, 0, 0 },
    { "2025", VAL_BAD, 0, 0 },                    /* a year is no month */
    { "01/25", VAL_OK, 2025, 1 },                 /* mm/yy: SI months are this century */
    { "012025", VAL_OK, 2025, 1 },                /* mmyyyy */
    { "T1/2025", VAL_OK, 2025, 1 },
    { "T01/2025", VAL_OK, 2025, 1 },
    { "Th\xc3\xa1ng 01/2025", VAL_OK, 2025, 1 },
    { "TH\xc3\x81NG 7/2025", VAL_OK, 2025, 7 },
    { "thang 7/2025", VAL_OK, 2025, 7 },
    { "Jan-25", VAL_OK, 2025, 1 },
    { "dec 2024", VAL_OK, 2024, 12 },
    { "Jun/2025", VAL_OK, 2025, 6 },
    { "Janu-25", VAL_BAD, 0, 0 },
    { "T", VAL_BAD, 0, 0 },
    { "Tr1/2025", VAL_BAD, 0, 0 },
    { "01/2025/", VAL_BAD, 0, 0 },
    { "2025.07", VAL_BAD, 0, 0 },
    { "31/02/2025", VAL_BAD, 0, 0 },
    { "Jan 2025", VAL_OK, 2025, 1 },
    { "", VAL_EMPTY, 0, 0 },
    { " \t", VAL_EMPTY, 0, 0 },
};

/* Month ranges in one cell. */
static void
test_month_range(void **state)
{
    static const struct { const char *s; val_result r; int fy, fm, ty, tm; } cases[] = {
        { "01/2025 - 12/2025", VAL_OK, 2025, 1, 2025, 12 },
        { "01/2025-06/2025", VAL_OK, 2025, 1, 2025, 6 },
        { "01/2025 \xe2\x80\x93 06/2025", VAL_OK, 2025, 1, 2025, 6 },
        { "03/2024 \xc4\x91\xe1\xba\xbfn 02/2025", VAL_OK, 2024, 3, 2025, 2 },
        { "T1/2025 - T6/2025", VAL_OK, 2025, 1, 2025, 6 },
        { "06/2025 - 01/2025", VAL_BAD, 0, 0, 0, 0 },   /* end before start */
        { "01/2025", VAL_BAD, 0, 0, 0, 0 },             /* not a range */
        { "2025-01", VAL_BAD, 0, 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        int f = -1, t = -1;
        val_result r = values_month_range(cases[i].s, strlen(cases[i].s), &f, &t);
        if (r != cases[i].r)
            fail_msg("range \"%s\": got %d", cases[i].s, r);
        if (r == VAL_OK) {
            assert_int_equal(f, cases[i].fy * 12 + cases[i].fm - 1);
            assert_int_equal(t, cases[i].ty * 12 + cases[i].tm - 1);
        }
    }
}

static void
test_month_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(month_cases); i++) {
        const struct month_case *c = &month_cases[i];
        int ym = -1;
        size_t n;
        char *in = exact_copy(c->in, &n);
        val_result r = values_month(in, n, &ym);

        free(in);
        if (r != c->r || (r == VAL_OK && ym != c->y * 12 + c->m - 1))
            fail_msg("month case %zu \"%s\": got r=%d ym=%d, want r=%d %d-%d",
                     i, c->in, (int)r, ym, (int)c->r, c->y, c->m);
    }
}

/* Months compare as integers across a year end. */
static void
test_month_order(void **state)
{
    int a, b;

    (void)state;
    assert_int_equal(values_month("12/2024", 7, &a), VAL_OK);
    assert_int_equal(values_month("01/2025", 7, &b), VAL_OK);
    assert_int_equal(b - a, 1);
}

static const struct money_case {
    const char *in;
    val_result r;
    int64_t v;
} money_cases[] = {
    { "12345678", VAL_OK, 12345678 },
    { "12.345.678", VAL_OK, 12345678 },
    { "12,345,678", VAL_OK, 12345678 },
    { "12 345 678", VAL_OK, 12345678 },
    { "12\xC2\xA0" "345\xC2\xA0" "678", VAL_OK, 12345678 },
    { "12\xE2\x80\xAF" "345\xE2\x80\xAF" "678", VAL_OK, 12345678 },
    { " 12.345.678 ", VAL_OK, 12345678 },
    { "0", VAL_OK, 0 },
    { "-", VAL_OK, 0 },                           /* accounting format zero */
    { "1.234", VAL_OK, 1234 },                    /* 3 digits: grouping */
    { "1,234", VAL_OK, 1234 },
    { "123", VAL_OK, 123 },
    /* decimal part */
    { "12345678.00", VAL_OK, 12345678 },
    { "12345678,00", VAL_OK, 12345678 },
    { "12.345.678,00", VAL_OK, 12345678 },
    { "12,345,678.50", VAL_OK, 12345679 },        /* half up */
    { "12,345,678.49", VAL_OK, 12345678 },
    { "1234,5", VAL_OK, 1235 },
    { "1234,4", VAL_OK, 1234 },
    { "1.234,5", VAL_OK, 1235 },
    { "12 345 678,50", VAL_OK, 12345679 },
    { "0,5", VAL_OK, 1 },
    /* currency */
    { "12.345.678 \xC4\x91", VAL_OK, 12345678 },  /* đ */
    { "12.345.678\xC4\x91", VAL_OK, 12345678 },
    { "12.345.678 VND", VAL_OK, 12345678 },
    { "12.345.678 vnd", VAL_OK, 12345678 },
    { "12.345.678 VN\xC4\x90", VAL_OK, 12345678 }, /* VNĐ */
    { "12.345.678 \xE2\x82\xAB", VAL_OK, 12345678 }, /* ₫ */
    /* big */
    { "1000000000000000", VAL_OK, 1000000000000000LL },
    { "1.000.000.000.000.000", VAL_OK, 1000000000000000LL },
    { "1000000000000001", VAL_BAD, 0 },
    { "99999999999999999999", VAL_BAD, 0 },
    /* grouping */
    { "1.23.456", VAL_BAD_GROUPING, 0 },
    { "1.234.56", VAL_BAD_GROUPING, 0 },
    { "12,345,67", VAL_BAD_GROUPING, 0 },
    { "1234.567", VAL_BAD_GROUPING, 0 },
    { "1234.5678", VAL_BAD_GROUPING, 0 },
    { "1.234,567", VAL_BAD_GROUPING, 0 },
    { "12,345.678", VAL_BAD_GROUPING, 0 },
    { "12.345,678.00", VAL_BAD_GROUPING, 0 },
    { "12 345.678", VAL_BAD_GROUPING, 0 },
    { "1 23", VAL_BAD_GROUPING, 0 },
    { "1..234", VAL_BAD_GROUPING, 0 },
    { "1234.", VAL_BAD_GROUPING, 0 },
    { ".5", VAL_BAD_GROUPING, 0 },
    { "12.345.678,000", VAL_BAD_GROUPING, 0 },
    /* sign */
    { "-12345", VAL_NEGATIVE, 0 },
    { "- 12.345", VAL_NEGATIVE, 0 },
    { "(12.345)", VAL_NEGATIVE, 0 },
    { "\xE2\x88\x92" "12345", VAL_NEGATIVE, 0 },
    { "-0", VAL_OK, 0 },
    { "-1.23.4", VAL_BAD_GROUPING, 0 },
    /* not money */
    { "", VAL_EMPTY, 0 },
    { "  ", VAL_EMPTY, 0 },
    { "\xC4\x91", VAL_EMPTY, 0 },
    { "abc", VAL_BAD, 0 },
    { "12a", VAL_BAD, 0 },
    { "1.2E+07", VAL_BAD, 0 },
    { "+12", VAL_BAD, 0 },
    { "12 D", VAL_BAD, 0 },
    { "()", VAL_BAD, 0 },
    { ".", VAL_BAD, 0 },
};

static void
test_money_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(money_cases); i++) {
        const struct money_case *c = &money_cases[i];
        int64_t v = -1;
        size_t n;
        char *in = exact_copy(c->in, &n);
        val_result r = values_money(in, n, &v);

        free(in);
        if (r != c->r || (r == VAL_OK && v != c->v))
            fail_msg("money case %zu \"%s\": got r=%d v=%lld, want r=%d v=%lld",
                     i, c->in, (int)r, (long long)v, (int)c->r, (long long)c->v);
    }
}

/* Digits alone take values_money's short path; the same with a space
 * after them take the long one: alike at every length, up to the cap. */
static void
test_money_digits_short_path(void **state)
{
    char digits[40], spaced[44];
    unsigned seed = 5;

    (void)state;
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + (size_t)round % 20;
        test_digits(digits, n, &seed, false);
        snprintf(spaced, sizeof spaced, "%s ", digits);
        int64_t a = -1, b = -1;
        val_result ra = values_money(digits, n, &a), rb = values_money(spaced, n + 1, &b);
        if (ra != rb || (ra == VAL_OK && a != b))
            fail_msg("\"%s\": %d %lld, spaced %d %lld", digits, (int)ra, (long long)a,
                     (int)rb, (long long)b);
    }
    int64_t v = -1;
    assert_int_equal(values_money("1000000000000000", 16, &v), VAL_OK);
    assert_int_equal(v, 1000000000000000LL);
    assert_int_equal(values_money("1000000000000001", 16, &v), VAL_BAD);
    /* past the cap in the first group, then grouped: still a grouping fault */
    assert_int_equal(values_money("1000000000000001,000", 20, &v), VAL_BAD_GROUPING);
}

static void
test_int_table(void **state)
{
    static const struct {
        const char *in;
        val_result r;
        int v;
    } t[] = {
        { "12", VAL_OK, 12 },
        { "12.0", VAL_OK, 12 },
        { "12.00", VAL_OK, 12 },
        { "12,0", VAL_OK, 12 },
        { " 3 ", VAL_OK, 3 },
        { "0", VAL_OK, 0 },
        { "2147483647", VAL_OK, 2147483647 },
        { "2147483648", VAL_BAD, 0 },
        { "-3", VAL_BAD, 0 },
        { "12.5", VAL_BAD, 0 },
        { "12.", VAL_BAD, 0 },
        { "1.000", VAL_BAD, 0 },
        { "abc", VAL_BAD, 0 },
        { "3x", VAL_BAD, 0 },
        { "", VAL_EMPTY, 0 },
        { "\xC2\xA0", VAL_EMPTY, 0 },
    };

    (void)state;
    for (size_t i = 0; i < N_OF(t); i++) {
        int v = -1;
        size_t n;
        char *in = exact_copy(t[i].in, &n);
        val_result r = values_int(in, n, &v);

        free(in);
        if (r != t[i].r || (r == VAL_OK && v != t[i].v))
            fail_msg("int case %zu \"%s\": got r=%d v=%d", i, t[i].in, (int)r, v);
    }
}

/* The length is the cell's: bytes after n are ignored. */
static void
test_lengths_respected(void **state)
{
    sdate d;
    int ym, v;
    int64_t m;

    (void)state;
    assert_int_equal(values_date("15/01/1987xyz", 10, &d), VAL_OK);
    assert_int_equal(d, 19870115);
    assert_int_equal(values_month("07/2025;", 7, &ym), VAL_OK);
    assert_int_equal(ym, 2025 * 12 + 6);
    assert_int_equal(values_money("1.234.567", 5, &m), VAL_OK);
    assert_int_equal(m, 1234);
    assert_int_equal(values_int("123", 2, &v), VAL_OK);
    assert_int_equal(v, 12);
    assert_int_equal(values_date(NULL, 0, &d), VAL_EMPTY);
}

static void
test_format(void **state)
{
    char buf[16];

    (void)state;
    values_month_str(2025 * 12 + 0, buf);
    assert_string_equal(buf, "2025-01");
    values_month_str(1999 * 12 + 11, buf);
    assert_string_equal(buf, "1999-12");
    values_month_str(-1, buf);
    assert_string_equal(buf, "");
    values_month_str(INT32_MAX, buf);
    assert_string_equal(buf, "");
    values_date_str(19870115, buf);
    assert_string_equal(buf, "1987-01-15");
    values_date_str(20251231, buf);
    assert_string_equal(buf, "2025-12-31");
    values_date_str(19650000, buf);
    assert_string_equal(buf, "1965");
    values_date_str(0, buf);
    assert_string_equal(buf, "");
}

/* Parsing then formatting gives the ISO text back. */
static void
test_round_trip(void **state)
{
    static const char *const iso[] = { "1900-03-01", "2024-02-29", "2025-01-01" };
    char buf[16];
    sdate d;
    int ym;

    (void)state;
    for (size_t i = 0; i < N_OF(iso); i++) {
        assert_int_equal(values_date(iso[i], strlen(iso[i]), &d), VAL_OK);
        values_date_str(d, buf);
        assert_string_equal(buf, iso[i]);
        assert_int_equal(values_month(iso[i], strlen(iso[i]), &ym), VAL_OK);
        values_month_str(ym, buf);
        assert_memory_equal(buf, iso[i], 7);
        assert_int_equal(buf[7], '\0');
    }
}

/* Thousands grouping for texts (explain, notices). */
static void
test_money_str(void **state)
{
    char b[32];

    values_money_str(4730000, ',', b);
    assert_string_equal(b, "4,730,000");
    values_money_str(127000000, '.', b);
    assert_string_equal(b, "127.000.000");
    values_money_str(999, ',', b);
    assert_string_equal(b, "999");
    values_money_str(0, ',', b);
    assert_string_equal(b, "0");
    values_money_str(-1234, ',', b);
    assert_string_equal(b, "-1,234");
    values_money_str(INT64_MIN, ',', b);
    assert_string_equal(b, "-9,223,372,036,854,775,808");
}

/* Change types of SI change reports, as sections and as column values. */
static void
test_change_words(void **state)
{
    static const struct { const char *s; bool cell; int want; } c[] = {
        {"I. Tăng", false, 1}, {"II. GIẢM", false, 2}, {"III. Điều chỉnh", false, 3},
        {"Tăng lao động", false, 1}, {"Giảm do nghỉ việc", false, 2}, {"A) Tăng", false, 1},
        {"Phần 2: Giảm", false, 2}, {"Tang", false, 1}, {"increase", false, 1},
        {"Decrease", false, 2}, {"G", true, 2}, {"T", true, 1}, {"ĐC", true, 3},
        {"G", false, 4}, {"Tổng cộng", false, 4}, {"Nguyễn Văn Tăng", false, 4},
        {"", false, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int got = (int) values_change_word(c[i].s, strlen(c[i].s), c[i].cell);
        if (got != c[i].want)
            print_error("\"%s\": got %d, want %d\n", c[i].s, got, c[i].want);
        assert_int_equal(got, c[i].want);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_words),
        cmocka_unit_test(test_money_str),
        cmocka_unit_test(test_date_table),
        cmocka_unit_test(test_date_serial_sequence),
        cmocka_unit_test(test_month_table),
        cmocka_unit_test(test_month_range),
        cmocka_unit_test(test_month_order),
        cmocka_unit_test(test_money_table),
        cmocka_unit_test(test_money_digits_short_path),
        cmocka_unit_test(test_int_table),
        cmocka_unit_test(test_lengths_respected),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
