/*
 * test_ids.c - identifier normalizers: real tax codes (valid check digits, docs/inputs.md), every
 * kind of damage Excel does to an ID, and the column deciding the kind.
 * Personal IDs here are synthetic (made-up digits in the documented shape).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sirecon/ids.h"
#include "digits.h"

#define LZR IDF_LEADING_ZERO_RESTORED
#define COR IDF_CORRUPTED
#define TCD IDF_TAX_CHECK_DIGIT
#define PH  IDF_PLACEHOLDER
#define MAL IDF_MALFORMED

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

static const char *const real_codes[] = {
    "0100233488", "0300588569", "0101248141",
    "0100684378", "0100107370", "0100109106",
};

static void
test_tax_check_real_codes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(real_codes); i++)
        assert_true(ids_tax_check(real_codes[i]));
}

/* Every single-digit change of every real code must fail. */
static void
test_tax_check_one_digit_changes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(real_codes); i++) {
        for (int pos = 0; pos < 10; pos++) {
            for (char d = '0'; d <= '9'; d++) {
                char c[11];

                memcpy(c, real_codes[i], 11);
                if (c[pos] == d)
                    continue;
                c[pos] = d;
                if (ids_tax_check(c))
                    fail_msg("code %zu changed at %d still validates", i, pos);
            }
        }
    }
}

static void
test_tax_check_edges(void **state)
{
    static const struct {
        const char *d;
        bool ok;
    } t[] = {
        { "8012345606", true },  /* r = 4 */
        { "8012345620", true },  /* r = 10 gives d10 = 0 */
        { "0301234530", true },  /* r = 10 */
        { "8012345660", false }, /* r = 0 is never issued */
        { "8012345661", false },
        { "0100000003", false }, /* sequence 0000000 (check digit fits) */
        { "010023348", false },  /* too short */
        { "01002334A8", false },
        { "", false },
    };

    (void)state;
    for (size_t i = 0; i < N_OF(t); i++)
        if (ids_tax_check(t[i].d) != t[i].ok)
            fail_msg("case %zu: %s", i, t[i].d);
    assert_false(ids_tax_check(NULL));
}

static const struct emp_case {
    const char *in;
    bool ok;
    const char *out;
    unsigned flags;
} emp_cases[] = {
    /* clean */
    { "0100233488", true, "0100233488", 0 },
    { "0300588569", true, "0300588569", 0 },
    /* cleaning */
    { "  0100233488\t", true, "0100233488", 0 },
    { "\xC2\xA0" "0100233488" "\xC2\xA0", true, "0100233488", 0 },
    { "0100 233 488", true, "0100233488", 0 },
    { "0100.233.488", true, "0100233488", 0 },
    { "01-00233488", true, "0100233488", 0 },
    { "'0100233488", true, "0100233488", 0 },
    { "\xE2\x80\x99" "0100233488", true, "0100233488", 0 },
    { "0100233488.0", true, "0100233488", 0 },
    { "0100233488.00", true, "0100233488", 0 },
    { "=\"0100233488\"", true, "0100233488", 0 },
    /* leading zero lost */
    { "100233488", true, "0100233488", LZR },
    { "100233488.0", true, "0100233488", LZR },
    { "300588569", true, "0300588569", LZR },
    { "100233489", false, "", MAL },          /* no valid code with a zero */
    /* branches */
    { "0100233488-001", true, "0100233488001", 0 },
    { "0100233488001", true, "0100233488001", 0 },
    { "0100233488 - 999", true, "0100233488999", 0 },
    { "100233488-001", true, "0100233488001", LZR },
    { "100233488001", true, "0100233488001", LZR },
    { "0100233488-000", false, "", MAL },
    { "100233488000", false, "", MAL },
    { "100233489001", false, "", MAL },
    { "0100233489-001", true, "0100233489001", TCD },
    /* check digit */
    { "0100233489", true, "0100233489", TCD },
    { "8012345660", true, "8012345660", TCD }, /* r = 0 */
    { "0100000003", true, "0100000003", TCD }, /* sequence 0000000 */
    { "8012345620", true, "8012345620", 0 },   /* r = 10 */
    /* scientific notation */
    { "1.00233E+09", false, "", COR },
    { "3,41E+11", false, "", COR },
    { "1.2e11", false, "", COR },
    { "1E-05", false, "", COR },
    /* placeholders */
    { "0", false, "", PH },
    { "000000000", false, "", PH },
    { "0000000000", false, "", PH },
    { "1111111111", false, "", PH },
    { "N/A", false, "", PH },
    { "#N/A", false, "", PH },
    { "na", false, "", PH },
    { "-", false, "", PH },
    { "---", false, "", PH },
    { "x", false, "", PH },
    { "None", false, "", PH },
    { "NULL", false, "", PH },
    { "ch\xC6\xB0" "a c\xC3\xB3", false, "", PH },              /* chưa có NFC */
    { "chu\xCC\x9B" "a co\xCC\x81", false, "", PH },            /* chưa có NFD */
    { "CH\xC6\xAF" "A C\xC3\x93", false, "", PH },              /* CHƯA CÓ */
    { "chua co", false, "", PH },
    { "Kh\xC3\xB4ng", false, "", PH },                          /* Không */
    { "kho\xCC\x82ng", false, "", PH },                         /* không NFD */
    { "khong", false, "", PH },
    /* empty */
    { "", false, "", 0 },
    { "   ", false, "", 0 },
    { "\xC2\xA0", false, "", 0 },
    { "''", false, "", MAL },
    /* malformed */
    { "01002A3488", false, "", MAL },
    { "12345", false, "", MAL },
    { "5", false, "", MAL },
    { "01002334881", false, "", MAL },
    { "0100233488/001", false, "", MAL },
    { "0100233488-01", false, "", MAL },
    { "01002334880010", false, "", MAL },
    { "0100233488\xC3\xA9", false, "", MAL },
    { "12345678901234567890123456789012345", false, "", MAL },
    { "khong biet", false, "", MAL },
};

static void
test_employer_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(emp_cases); i++) {
        const struct emp_case *c = &emp_cases[i];
        char out[IDS_MAX];
        unsigned flags = 0xFFu; /* must be overwritten */
        size_t n;
        char *in = exact_copy(c->in, &n);
        bool ok;

        memset(out, 'Z', sizeof out);
        ok = ids_employer(in, n, out, &flags);
        free(in);
        if (ok != c->ok || strcmp(out, c->out) != 0 || flags != c->flags)
            fail_msg("employer case %zu: got ok=%d out=\"%s\" flags=%#x, "
                     "want ok=%d out=\"%s\" flags=%#x",
                     i, ok, out, flags, c->ok, c->out, c->flags);
    }
}

/* The length is the cell's: bytes after n are not part of it. */
static void
test_employer_uses_length(void **state)
{
    char out[IDS_MAX];
    unsigned flags;

    (void)state;
    assert_true(ids_employer("0100233488999", 10, out, &flags));
    assert_string_equal(out, "0100233488");
    assert_int_equal(flags, 0);
    assert_true(ids_employer("100233488;x", 9, out, NULL));
    assert_string_equal(out, "0100233488");
    assert_false(ids_employer(NULL, 0, out, &flags));
    assert_int_equal(flags, 0);
}

static const struct person_case {
    id_column col;
    const char *in;
    id_kind kind;
    const char *out;
    unsigned flags;
} person_cases[] = {
    /* ID number column */
    { IDCOL_IDNUMBER, "034087001234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_IDNUMBER, "34087001234", IDK_PERSONAL, "034087001234", LZR },
    { IDCOL_IDNUMBER, "34087001234.0", IDK_PERSONAL, "034087001234", LZR },
    { IDCOL_IDNUMBER, "'034087001234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_IDNUMBER, "034 087 001 234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_IDNUMBER, "034.087.001.234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_IDNUMBER, "=\"034087001234\"", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_IDNUMBER, "3.40870E+10", IDK_NONE, "", COR },
    { IDCOL_IDNUMBER, "3,4087E+10", IDK_NONE, "", COR },
    { IDCOL_IDNUMBER, "123456789", IDK_CMND, "123456789", 0 },
    { IDCOL_IDNUMBER, "23456789", IDK_CMND, "023456789", LZR },
    { IDCOL_IDNUMBER, "B1234567", IDK_PASSPORT, "B1234567", 0 },
    { IDCOL_IDNUMBER, "b 1234567", IDK_PASSPORT, "B1234567", 0 },
    { IDCOL_IDNUMBER, "AB123456", IDK_PASSPORT, "AB123456", 0 },
    { IDCOL_IDNUMBER, "ab12345678", IDK_PASSPORT, "AB12345678", 0 },
    { IDCOL_IDNUMBER, "ABC123456", IDK_NONE, "", MAL },
    { IDCOL_IDNUMBER, "B12345", IDK_NONE, "", MAL },
    { IDCOL_IDNUMBER, "B123456789", IDK_NONE, "", MAL },
    { IDCOL_IDNUMBER, "B12345C7", IDK_NONE, "", MAL },
    { IDCOL_IDNUMBER, "0100233488", IDK_NONE, "", MAL },
    { IDCOL_IDNUMBER, "1234567", IDK_NONE, "", MAL },
    { IDCOL_IDNUMBER, "000000000000", IDK_NONE, "", PH },
    { IDCOL_IDNUMBER, "999999999", IDK_NONE, "", PH },
    { IDCOL_IDNUMBER, "ch\xC6\xB0" "a c\xC3\xB3", IDK_NONE, "", PH },
    { IDCOL_IDNUMBER, "", IDK_NONE, "", 0 },
    /* person's tax-code column */
    { IDCOL_TAXCODE, "8012345606", IDK_TAXCODE, "8012345606", 0 },
    { IDCOL_TAXCODE, "8012345607", IDK_TAXCODE, "8012345607", TCD },
    { IDCOL_TAXCODE, "8012345606.0", IDK_TAXCODE, "8012345606", 0 },
    { IDCOL_TAXCODE, "100233488", IDK_TAXCODE, "0100233488", LZR },
    { IDCOL_TAXCODE, "123456789", IDK_NONE, "", MAL },
    { IDCOL_TAXCODE, "034087001234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_TAXCODE, "34087001234", IDK_PERSONAL, "034087001234", LZR },
    { IDCOL_TAXCODE, "34187001234", IDK_PERSONAL, "034187001234", LZR },
    { IDCOL_TAXCODE, "99087001234", IDK_NONE, "", MAL },   /* province 099 */
    { IDCOL_TAXCODE, "34587001234", IDK_NONE, "", MAL },   /* century digit 5 */
    { IDCOL_TAXCODE, "B1234567", IDK_NONE, "", MAL },
    { IDCOL_TAXCODE, "8012345606-001", IDK_NONE, "", MAL },
    { IDCOL_TAXCODE, "N/A", IDK_NONE, "", PH },
    /* SI column */
    { IDCOL_SI, "0123456789", IDK_SI, "0123456789", 0 },
    { IDCOL_SI, "123456789", IDK_SI, "0123456789", LZR },
    { IDCOL_SI, "3412345678", IDK_SI, "3412345678", 0 },
    { IDCOL_SI, "34087001234", IDK_PERSONAL, "034087001234", LZR },
    { IDCOL_SI, "034087001234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_SI, "12345678", IDK_NONE, "", MAL },
    { IDCOL_SI, "B1234567", IDK_NONE, "", MAL },
    { IDCOL_SI, "1.23457E+09", IDK_NONE, "", COR },
    /* CMND-only column */
    { IDCOL_CMND, "123456789", IDK_CMND, "123456789", 0 },
    { IDCOL_CMND, "23456789", IDK_CMND, "023456789", LZR },
    { IDCOL_CMND, "034087001234", IDK_PERSONAL, "034087001234", 0 },
    { IDCOL_CMND, "34087001234", IDK_NONE, "", MAL },
    { IDCOL_CMND, "0123456789", IDK_NONE, "", MAL },
    { IDCOL_CMND, "B1234567", IDK_NONE, "", MAL },
    /* the same cell, four columns: the column decides */
    { IDCOL_IDNUMBER, "100233488", IDK_CMND, "100233488", 0 },
    { IDCOL_TAXCODE, "100233488", IDK_TAXCODE, "0100233488", LZR },
    { IDCOL_SI, "100233488", IDK_SI, "0100233488", LZR },
    { IDCOL_CMND, "100233488", IDK_CMND, "100233488", 0 },
};

static void
test_person_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(person_cases); i++) {
        const struct person_case *c = &person_cases[i];
        char out[IDS_MAX];
        unsigned flags = 0xFFu;
        size_t n;
        char *in = exact_copy(c->in, &n);
        id_kind k;

        memset(out, 'Z', sizeof out);
        k = ids_person(c->col, in, n, out, &flags);
        free(in);
        if (k != c->kind || strcmp(out, c->out) != 0 || flags != c->flags)
            fail_msg("person case %zu: got kind=%d out=\"%s\" flags=%#x, "
                     "want kind=%d out=\"%s\" flags=%#x",
                     i, (int)k, out, flags, (int)c->kind, c->out, c->flags);
    }
}

/* A 13-digit branch code with its zero lost looks like a CCCD; the
 * employer column restores it as a branch, an ID column as a person. */
static void
test_twelve_digits_by_column(void **state)
{
    char out[IDS_MAX];
    unsigned flags;

    (void)state;
    assert_true(ids_employer("100233488001", 12, out, &flags));
    assert_string_equal(out, "0100233488001");
    assert_int_equal(flags, LZR);
    assert_int_equal(ids_person(IDCOL_IDNUMBER, "100233488001", 12, out, &flags),
                     IDK_PERSONAL);
    assert_string_equal(out, "100233488001");
    assert_int_equal(flags, 0);
}

static void
test_cccd_birth_year_and_sex(void **state)
{
    static const struct {
        const char *pid;
        int year, sex;
    } t[] = {
        { "034087001234", 1987, 1 },
        { "034187001234", 1987, 2 },
        { "001203001234", 2003, 1 },
        { "079300001234", 2000, 2 },
        { "001499001234", 2199, 1 },
        { "001599001234", 2199, 2 },
        { "001687001234", 0, 0 },    /* century digit 6: not issued */
        { "134087001234", 0, 0 },    /* not domestic */
        { "03408700123", 0, 0 },
        { "0340870012345", 0, 0 },
        { "03408700123A", 0, 0 },
        { "", 0, 0 },
    };

    (void)state;
    for (size_t i = 0; i < N_OF(t); i++) {
        if (ids_cccd_birth_year(t[i].pid) != t[i].year)
            fail_msg("birth year case %zu: got %d", i, ids_cccd_birth_year(t[i].pid));
        if (ids_cccd_sex(t[i].pid) != t[i].sex)
            fail_msg("sex case %zu: got %d", i, ids_cccd_sex(t[i].pid));
    }
    assert_int_equal(ids_cccd_birth_year(NULL), 0);
    assert_int_equal(ids_cccd_sex(NULL), 0);
}

/* The birth year read from a key's digits is the one read from its text,
 * for every ID the tests above name and for IDs made digit by digit. */
static void
test_key_cccd_birth_year(void **state)
{
    static const char *const pids[] = {
        "034087001234", "034187001234", "001203001234", "079300001234", "001499001234",
        "001599001234", "001687001234", "134087001234", "000000000001", "000185001234",
        "097085001234", "096185001234", "034987001234", "999999999999",
    };
    char pid[IDS_MAX], back[IDS_MAX];
    unsigned seed = 7;

    (void)state;
    for (size_t i = 0; i < N_OF(pids); i++)
        assert_int_equal(ids_key_cccd_birth_year(ids_key(IDK_PERSONAL, pids[i])),
                         ids_cccd_birth_year(pids[i]));
    for (int i = 0; i < 20000; i++) {
        for (int k = 0; k < 12; k++) {
            seed = seed * 1103515245u + 12345u;
            /* province digits mostly small, so that some are domestic */
            pid[k] = (char)('0' + (k == 0 ? (seed >> 16) % 2 : (seed >> 16) % 10));
        }
        pid[12] = '\0';
        uint64_t key = ids_key(IDK_PERSONAL, pid);
        assert_string_equal(ids_key_text(key, back), pid);
        if (ids_key_cccd_birth_year(key) != ids_cccd_birth_year(pid))
            fail_msg("%s: key %d, text %d", pid, ids_key_cccd_birth_year(key),
                     ids_cccd_birth_year(pid));
    }
    /* other kinds and lengths carry no birth year */
    assert_int_equal(ids_key_cccd_birth_year(ids_key(IDK_TAXCODE, "0340870012")), 0);
    assert_int_equal(ids_key_cccd_birth_year(ids_key(IDK_CMND, "034087001")), 0);
    assert_int_equal(ids_key_cccd_birth_year(ids_key(IDK_PERSONAL, "03408700123")), 0);
    assert_int_equal(ids_key_cccd_birth_year(0), 0);
}

/* A cell of digits alone takes ids_clean's short path; the same digits
 * with a space around them take the long one: both read alike, in every
 * column, at every length (fillers, lost zeros, too long). */
static void
test_digits_short_path(void **state)
{
    static const id_column cols[] = {IDCOL_TAXCODE, IDCOL_IDNUMBER, IDCOL_CMND, IDCOL_SI};
    char digits[40], spaced[44], a[IDS_MAX], b[IDS_MAX];
    unsigned seed = 11;

    (void)state;
    for (int round = 0; round < 4000; round++) {
        size_t n = 1 + (size_t)round % 34;
        /* all zeros now and then: the filler check */
        test_digits(digits, n, &seed, round % 7 == 0);
        snprintf(spaced, sizeof spaced, " %s ", digits);
        for (size_t c = 0; c < N_OF(cols); c++) {
            unsigned fa = 99, fb = 99;
            id_kind ka = ids_person(cols[c], digits, n, a, &fa);
            id_kind kb = ids_person(cols[c], spaced, n + 2, b, &fb);
            if (ka != kb || fa != fb || strcmp(a, b) != 0)
                fail_msg("%s in column %d: kind %d/%d flags %u/%u '%s'/'%s'", digits,
                         (int)cols[c], ka, kb, fa, fb, a, b);
        }
    }
}

/* Issue 19: a birth year (and sex) only from a domestic CCCD, whose first
 * three digits are a province 001-096; an anonymised 000000000001 in an HTKK
 * declaration once made a 2025 employee born in 1900. */
static void
test_cccd_birth_year_needs_province(void **state)
{
    static const struct {
        const char *pid;
        int year, sex;
    } t[] = {
        { "000000000001", 0, 0 },    /* anonymised: province 000 */
        { "000085001234", 0, 0 },    /* province 000, digits that look right */
        { "000185001234", 0, 0 },
        { "097085001234", 0, 0 },    /* province 097: past the last code */
        { "099185001234", 0, 0 },
        { "001085001234", 1985, 1 }, /* the first province (Hà Nội) */
        { "096185001234", 1985, 2 }, /* the last (Cà Mau) */
        { "034085001111", 1985, 1 },
        { "079300001234", 2000, 2 },
        { "034687001234", 0, 0 },    /* a province, but century digit 6 */
        { "034987001234", 0, 0 },
    };

    (void)state;
    for (size_t i = 0; i < N_OF(t); i++) {
        if (ids_cccd_birth_year(t[i].pid) != t[i].year)
            fail_msg("birth year of %s: got %d, want %d", t[i].pid,
                     ids_cccd_birth_year(t[i].pid), t[i].year);
        if (ids_cccd_sex(t[i].pid) != t[i].sex)
            fail_msg("sex of %s: got %d, want %d", t[i].pid, ids_cccd_sex(t[i].pid),
                     t[i].sex);
    }
}

static void
test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(ids_kind_name(IDK_PERSONAL), "personal_id");
    assert_string_equal(ids_kind_name(IDK_TAXCODE), "tax_code");
    assert_string_equal(ids_kind_name(IDK_CMND), "cmnd");
    assert_string_equal(ids_kind_name(IDK_SI), "si_number");
    assert_string_equal(ids_kind_name(IDK_PASSPORT), "passport");
    assert_string_equal(ids_kind_name(IDK_NONE), "none");
}

static void
test_mask(void **state)
{
    static const struct {
        const char *in, *out;
    } t[] = {
        { "034087001234", "********1234" },
        { "B1234567", "****4567" },
        { "12345", "*2345" },
        { "1234", "1234" },
        { "", "" },
    };
    char out[IDS_MAX];

    (void)state;
    for (size_t i = 0; i < N_OF(t); i++) {
        ids_mask(t[i].in, out);
        assert_string_equal(out, t[i].out);
    }
    ids_mask(NULL, out);
    assert_string_equal(out, "");
}

/* Identifier keys: every shape ids_person returns comes back as its text;
 * keys order as strcmp orders the texts (passports of two lengths too);
 * 0 is no key and comes first. */
static void
test_keys(void **state)
{
    static const struct { id_kind k; const char *v; } ids[] = {
        {IDK_PERSONAL, "001085012345"}, {IDK_PERSONAL, "096300000001"},
        {IDK_PERSONAL, "000000000001"}, {IDK_TAXCODE, "0100233488"},
        {IDK_TAXCODE, "8012345678"},    {IDK_CMND, "012345678"},
        {IDK_CMND, "123456789"},        {IDK_SI, "0123456789"},
        {IDK_PASSPORT, "B1234567"},     {IDK_PASSPORT, "AB123456"},
        {IDK_PASSPORT, "ZZ99999999"},   {IDK_PASSPORT, "A000000"},
        {IDK_PASSPORT, "B123456"},      {IDK_PASSPORT, "A1234567"},
    };
    const size_t n = sizeof ids / sizeof ids[0];
    char buf[IDS_MAX];

    for (size_t i = 0; i < n; i++) {
        uint64_t a = ids_key(ids[i].k, ids[i].v);
        assert_true(a != 0);
        assert_string_equal(ids_key_text(a, buf), ids[i].v);
        assert_int_equal(ids_key_kind(a), ids[i].k);
        assert_int_equal(ids_key_cmp(0, a), -1);
        assert_int_equal(ids_key_cmp(a, 0), 1);
        for (size_t j = 0; j < n; j++) {
            if (ids[j].k != ids[i].k)
                continue;
            uint64_t b = ids_key(ids[j].k, ids[j].v);
            int c = strcmp(ids[i].v, ids[j].v);
            int kc = ids_key_cmp(a, b);
            if ((c > 0) != (kc > 0) || (c < 0) != (kc < 0))
                fail_msg("%s vs %s: strcmp %d, keys %d", ids[i].v, ids[j].v, c, kc);
            assert_true((a == b) == (c == 0));
        }
    }
    assert_int_equal(ids_key_cmp(0, 0), 0);
    assert_int_equal(ids_key_kind(0), IDK_NONE);
    assert_string_equal(ids_key_text(0, buf), "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_tax_check_real_codes),
        cmocka_unit_test(test_tax_check_one_digit_changes),
        cmocka_unit_test(test_tax_check_edges),
        cmocka_unit_test(test_employer_table),
        cmocka_unit_test(test_employer_uses_length),
        cmocka_unit_test(test_person_table),
        cmocka_unit_test(test_twelve_digits_by_column),
        cmocka_unit_test(test_cccd_birth_year_and_sex),
        cmocka_unit_test(test_cccd_birth_year_needs_province),
        cmocka_unit_test(test_key_cccd_birth_year),
        cmocka_unit_test(test_digits_short_path),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_mask),
    };

    return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}
