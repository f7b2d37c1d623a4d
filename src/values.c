/*
 * values.c - dates, months, money and small integers from the text of a cell
 * (docs/inputs.md, "Values and identifiers").
 *
 * Plain byte loops over a trimmed cell (ASCII whitespace and NBSP): no
 * locale, no allocation.  Dates are day-first; an Excel serial number is
 * turned into a civil date by counting days from 1899-12-30 (serials below
 * 60 from 1899-12-31, because Excel counts a 29 Feb 1900 that never was).
 * Money is split into digit groups and their separators; one trailing '.' or
 * ',' with 1-2 digits is a decimal part, every other separator must be of one
 * kind with groups of exactly 3 digits.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "sirecon/common.h"
#include "sirecon/names.h"
#include "sirecon/values.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2100
#define SERIAL_MAX 2958465L            /* 9999-12-31 */
#define MONEY_MAX 1000000000000000LL   /* 10^15 VND: more is a broken cell */

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int
is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

/* Length of the space at s[0..n): ASCII, NBSP, narrow NBSP or thin space. */
static size_t
space_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && is_space(s[0]))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xAF || s[2] == 0x89))
        return 3;
    return 0;
}

/* Trim spaces (see space_at) from both ends of [*s, *s + *n). */
static void
trim(const unsigned char **s, size_t *n)
{
    size_t k;

    while ((k = space_at(*s, *n)) > 0) {
        *s += k;
        *n -= k;
    }
    for (;;) {
        if (*n >= 1 && is_space((*s)[*n - 1]))
            *n -= 1;
        else if (*n >= 2 && (*s)[*n - 2] == 0xC2 && (*s)[*n - 1] == 0xA0)
            *n -= 2;
        else if (*n >= 3 && (*s)[*n - 3] == 0xE2 && (*s)[*n - 2] == 0x80 &&
                 ((*s)[*n - 1] == 0xAF || (*s)[*n - 1] == 0x89))
            *n -= 3;
        else
            break;
    }
}

/* Read a run of digits at s[*i..n) into *v (at most 9 are kept: more
 * digits than that make *v meaningless, callers check the count).  Returns
 * the number of digits. */
static size_t
digits(const unsigned char *s, size_t n, size_t *i, long *v)
{
    size_t start = *i;

    *v = 0;
    while (*i < n && is_digit(s[*i])) {
        if (*i - start < 9)
            *v = *v * 10 + (s[*i] - '0');
        (*i)++;
    }
    return *i - start;
}

/* ".0" or ".00" (or with ','), a number that went through a float. */
static int
is_zero_fraction(const unsigned char *s, size_t n)
{
    if (n < 2 || n > 3 || (s[0] != '.' && s[0] != ','))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] != '0')
            return 0;
    return 1;
}

static int
is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(long y, long m)
{
    static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* A calendar date in the accepted year range, packed. */
static val_result
pack_date(long y, long m, long d, sdate *out)
{
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, m))
        return VAL_BAD;
    *out = (sdate)(y * 10000 + m * 100 + d);
    return VAL_OK;
}

/*
 * Excel 1900-system serial to a date.  Serial 1 is 1900-01-01; Excel
 * believes 1900 was a leap year, so serial 60 (its 29 Feb 1900) is no day
 * at all and later serials are days since 1899-12-30.
 */
STATIC val_result
values_from_serial(long serial, sdate *out)
{
    long z, era, doe, yoe, y, doy, mp, d, m;

    if (serial < 1 || serial > SERIAL_MAX || serial == 60)
        return VAL_BAD;
    /* days since 1970-01-01: 1899-12-30 is day -25569 */
    z = (serial < 60 ? serial + 1 : serial) - 25569;
    /* civil date from a day count (proleptic Gregorian, eras of 400 years) */
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    *out = (sdate)(y * 10000 + m * 100 + d);
    return VAL_OK;
}

static int
upper_eq(unsigned char c, char u)
{
    return c == (unsigned char)u || c == (unsigned char)(u - 'A' + 'a');
}

/* " 00:00:00", "T08:30", " 8:30:00 AM", " 12:00:00.000": a time after a
 * date, which a date column ignores. */
static int
is_time_suffix(const unsigned char *s, size_t n)
{
    size_t i = 0, k;
    long v;

    if (n == 0 || (s[0] != 'T' && space_at(s, n) == 0))
        return 0;
    do {
        i += s[i] == 'T' ? 1 : space_at(s + i, n - i);
    } while (i < n && space_at(s + i, n - i) > 0);
    k = digits(s, n, &i, &v);
    if (k < 1 || k > 2 || i >= n || s[i] != ':')
        return 0;
    i++;
    if (digits(s, n, &i, &v) != 2)
        return 0;
    if (i < n && s[i] == ':') {
        i++;
        if (digits(s, n, &i, &v) != 2)
            return 0;
        if (i < n && s[i] == '.') {
            i++;
            if (digits(s, n, &i, &v) == 0)
                return 0;
        }
    }
    while (i < n && space_at(s + i, n - i) > 0)
        i += space_at(s + i, n - i);
    if (i + 2 == n && ((upper_eq(s[i], 'A') && upper_eq(s[i + 1], 'M')) ||
                       (upper_eq(s[i], 'P') && upper_eq(s[i + 1], 'M')) ||
                       (upper_eq(s[i], 'S') && upper_eq(s[i + 1], 'A')) ||
                       (upper_eq(s[i], 'C') && upper_eq(s[i + 1], 'H'))))
        return 1;
    return i == n;
}

val_result
values_date(const char *str, size_t n, sdate *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, la, lb, lc;
    long a, b, c;
    unsigned char sep;

    if (str == NULL)
        return VAL_EMPTY;
    trim(&s, &n);
    if (n == 0)
        return VAL_EMPTY;
    la = digits(s, n, &i, &a);
    if (la == 0)
        return VAL_BAD;
    if (i == n || is_zero_fraction(s + i, n - i)) {
        /* a number: a year alone, or an Excel serial */
        if (la == 4) {
            /* a year; serials 1000..9999 (1902-1927) are not taken, so an
             * out-of-range year is not read as a date of the 1900s */
            if (a < YEAR_MIN || a > YEAR_MAX)
                return VAL_BAD;
            *out = (sdate)(a * 10000);
            return VAL_OK;
        }
        return la <= 7 ? values_from_serial(a, out) : VAL_BAD;
    }
    sep = s[i++];
    if (sep != '/' && sep != '-' && sep != '.')
        return VAL_BAD;
    lb = digits(s, n, &i, &b);
    if (lb < 1 || lb > 2 || i >= n || s[i] != sep)
        return VAL_BAD;
    i++;
    lc = digits(s, n, &i, &c);
    if (i < n && !is_time_suffix(s + i, n - i))
        return VAL_BAD;
    if (la <= 2 && lc == 4)
        return pack_date(c, b, a, out);             /* dd/mm/yyyy */
    if (la == 4 && lc >= 1 && lc <= 2 && sep != '.')
        return pack_date(a, b, c, out);             /* yyyy-mm-dd */
    return VAL_BAD;
}

static val_result
pack_month(long y, long m, int *out)
{
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12)
        return VAL_BAD;
    *out = (int)(y * 12 + (m - 1));
    return VAL_OK;
}

/* "Jan-25", "Jan-2025", "jan 2025" (Excel's mmm-yy display saved as text). */
static bool
english_month(const unsigned char *s, size_t n, int *out)
{
    static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    size_t i = 3;
    long y;

    if (n < 5)
        return false;
    for (int m = 0; m < 12; m++) {
        if ((s[0] | 0x20) != names[3 * m] || (s[1] | 0x20) != names[3 * m + 1] ||
            (s[2] | 0x20) != names[3 * m + 2])
            continue;
        if (s[i] != '-' && s[i] != ' ' && s[i] != '/')
            return false;
        i++;
        size_t l = digits(s, n, &i, &y);
        if (i != n || (l != 2 && l != 4))
            return false;
        return pack_month(l == 2 ? 2000 + y : y, m + 1, out) == VAL_OK;
    }
    return false;
}

/* Drop a leading month word: "Tháng 01/2025", "tháng 1/2025", "Thang 1/2025",
 * "T1/2025", "T01/2025", "th1/2025" (as SI exports and clerks write them). */
static void
skip_month_word(const unsigned char **s, size_t *n)
{
    static const char *const words[] = {
        "th\xc3\xa1ng", "TH\xc3\x81NG", "Th\xc3\xa1ng", "thang", "THANG", "Thang",
        "th", "Th", "TH", "t", "T",
    };
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t k = strlen(words[w]);
        if (*n > k && memcmp(*s, words[w], k) == 0 &&
            (is_digit((*s)[k]) || (*s)[k] == ' ')) {
            *s += k;
            *n -= k;
            trim(s, n);
            return;
        }
    }
}

val_result
values_month(const char *str, size_t n, int *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, la, lb;
    long a, b;
    unsigned char sep;
    sdate d;
    val_result r;

    if (str == NULL)
        return VAL_EMPTY;
    trim(&s, &n);
    if (n == 0)
        return VAL_EMPTY;
    if (!is_digit(s[0])) { /* the month words and names all start with a letter */
        skip_month_word(&s, &n);
        if (english_month(s, n, out))
            return VAL_OK;                          /* Jan-25, Jan 2025 */
    }
    la = digits(s, n, &i, &a);
    if (la == 6 && i == n) {
        if (a / 100 >= 1900 && a / 100 <= 2100)
            return pack_month(a / 100, a % 100, out);   /* yyyymm */
        return pack_month(a % 10000, a / 10000, out);   /* mmyyyy */
    }
    if (la >= 1 && i < n) {
        sep = s[i++];
        lb = digits(s, n, &i, &b);
        if (i == n && (sep == '/' || sep == '-' || sep == '.')) {
            if (la <= 2 && lb == 4)
                return pack_month(b, a, out);       /* mm/yyyy */
            if (la <= 2 && lb == 2)
                return pack_month(2000 + b, a, out); /* mm/yy: SI months are this century */
            if (la == 4 && lb >= 1 && lb <= 2 && sep != '.')
                return pack_month(a, b, out);       /* yyyy-mm */
        }
    }
    /* a full date or an Excel serial: its month; a year alone is no month */
    r = values_date((const char *)s, n, &d);
    if (r != VAL_OK)
        return r;
    if (d / 100 % 100 == 0)
        return VAL_BAD;
    return pack_month(d / 10000, d / 100 % 100, out);
}

/* Separator kinds between money digit groups. */
enum { SEP_DOT = 1, SEP_COMMA, SEP_SPACE };

#define MONEY_GROUPS 12

/* "đ", "₫", "VND", "VNĐ" (any case) at the end of s[0..n): its length. */
static size_t
currency_suffix(const unsigned char *s, size_t n)
{
    size_t k = 0;

    if (n >= 2 && s[n - 2] == 0xC4 && (s[n - 1] == 0x91 || s[n - 1] == 0x90))
        k = 2; /* đ Đ */
    else if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x82 && s[n - 1] == 0xAB)
        return 3; /* ₫ */
    else if (n >= 3 && upper_eq(s[n - 1], 'D'))
        k = 1;
    else
        return 0;
    if (n >= k + 2 && upper_eq(s[n - k - 2], 'V') && upper_eq(s[n - k - 1], 'N'))
        return k + 2;
    return k == 2 ? k : 0; /* a bare 'D' is no currency */
}

/* The unsigned amount in s[0..n) (already trimmed, no sign). */
static val_result
money_body(const unsigned char *s, size_t n, int64_t *out)
{
    size_t glen[MONEY_GROUPS], gpos[MONEY_GROUPS];
    int sep[MONEY_GROUPS]; /* sep[g]: separator before group g (g >= 1) */
    size_t ng = 1, i = 0, k, ndig = 0, last_int;
    int dec = 0, gsep = 0;
    int64_t v = 0;

    glen[0] = 0;
    gpos[0] = 0;
    while (i < n) {
        int kind;

        if (is_digit(s[i])) {
            glen[ng - 1]++;
            ndig++;
            i++;
            continue;
        }
        if (s[i] == '.') {
            kind = SEP_DOT;
            k = 1;
        } else if (s[i] == ',') {
            kind = SEP_COMMA;
            k = 1;
        } else if ((k = space_at(s + i, n - i)) > 0) {
            kind = SEP_SPACE;
        } else {
            return VAL_BAD;
        }
        if (ng == MONEY_GROUPS)
            return VAL_BAD; /* far more digits than any amount */
        i += k;
        sep[ng] = kind;
        gpos[ng] = i;
        glen[ng] = 0;
        ng++;
    }
    if (ndig == 0)
        return VAL_BAD;
    for (size_t g = 0; g < ng; g++)
        if (glen[g] == 0)
            return VAL_BAD_GROUPING;
    /* a last '.' or ',' with 1-2 digits is a decimal part when no other
     * separator is of its kind: 1234,5  12.345.678,00  12,345,678.50 */
    if (ng >= 2 && sep[ng - 1] != SEP_SPACE && glen[ng - 1] <= 2) {
        for (size_t g = 1; g + 1 < ng; g++)
            if (sep[g] == sep[ng - 1])
                return VAL_BAD_GROUPING; /* 1.234.56 */
        dec = 1;
    }
    last_int = ng - 1 - (size_t)dec;
    if (last_int > 0) {
        if (glen[0] > 3)
            return VAL_BAD_GROUPING;
        gsep = sep[1];
        for (size_t g = 1; g <= last_int; g++)
            if (sep[g] != gsep || glen[g] != 3)
                return VAL_BAD_GROUPING;
    }
    for (size_t g = 0; g <= last_int; g++)
        for (size_t j = gpos[g]; j < gpos[g] + glen[g]; j++) {
            v = v * 10 + (s[j] - '0');
            if (v > MONEY_MAX)
                return VAL_BAD;
        }
    if (dec && s[gpos[ng - 1]] >= '5')
        v++; /* round half up */
    if (v > MONEY_MAX)
        return VAL_BAD;
    *out = v;
    return VAL_OK;
}

val_result
values_money(const char *str, size_t n, int64_t *out)
{
    const unsigned char *s = (const unsigned char *)str;
    int neg = 0;
    size_t k;
    val_result r;
    int64_t v;

    if (str == NULL)
        return VAL_EMPTY;
    /* most cells: digits alone, one group (money_body's reading of them) */
    for (k = 0; k < n && is_digit(s[k]); k++)
        ;
    if (k == n && n > 0) {
        for (k = 0, v = 0; k < n; k++)
            if ((v = v * 10 + (s[k] - '0')) > MONEY_MAX)
                return VAL_BAD;
        *out = v;
        return VAL_OK;
    }
    trim(&s, &n);
    if ((k = currency_suffix(s, n)) > 0) {
        n -= k;
        trim(&s, &n);
    }
    if (n == 0)
        return VAL_EMPTY;
    if (n == 1 && s[0] == '-') {
        *out = 0; /* Excel's accounting format shows zero as "-" */
        return VAL_OK;
    }
    if (s[0] == '-') {
        neg = 1;
        s++;
        n--;
    } else if (n >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) {
        neg = 1; /* U+2212 minus sign */
        s += 3;
        n -= 3;
    } else if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
        neg = 1;
        s++;
        n -= 2;
    }
    trim(&s, &n);
    if (n == 0)
        return VAL_BAD;
    r = money_body(s, n, &v);
    if (r != VAL_OK)
        return r;
    if (neg && v != 0)
        return VAL_NEGATIVE;
    *out = v;
    return VAL_OK;
}

val_result
values_int(const char *str, size_t n, int *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i;
    long v = 0;

    if (str == NULL)
        return VAL_EMPTY;
    trim(&s, &n);
    if (n == 0)
        return VAL_EMPTY;
    for (i = 0; i < n && is_digit(s[i]); i++) {
        v = v * 10 + (s[i] - '0');
        if (v > INT_MAX)
            return VAL_BAD;
    }
    if (i == 0 || (i < n && !is_zero_fraction(s + i, n - i)))
        return VAL_BAD;
    *out = (int)v;
    return VAL_OK;
}

/* Write v as exactly w digits (v >= 0, fits). */
static char *
put_digits(char *p, long v, int w)
{
    for (int j = w - 1; j >= 0; j--) {
        p[j] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + w;
}

void
values_month_str(int ym, char *buf)
{
    char *p = buf;

    if (ym < 0 || ym / 12 > 9999) {
        buf[0] = '\0'; /* no month, e.g. MONTH_OPEN */
        return;
    }
    p = put_digits(p, ym / 12, 4);
    *p++ = '-';
    p = put_digits(p, ym % 12 + 1, 2);
    *p = '\0';
}

void
values_date_str(sdate d, char *buf)
{
    long y = d / 10000, m = d / 100 % 100, dd = d % 100;
    char *p = buf;

    if (d <= 0 || y > 9999 || m > 12 || dd > 31) {
        buf[0] = '\0';
        return;
    }
    p = put_digits(p, y, 4);
    if (m > 0) {
        *p++ = '-';
        p = put_digits(p, m, 2);
        if (dd > 0) {
            *p++ = '-';
            p = put_digits(p, dd, 2);
        }
    }
    *p = '\0';
}

void
values_trim(const char **s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)*s;

    if (p == NULL) {
        *n = 0;
        return;
    }
    /* most cells: nothing to trim (spaces are ASCII <= ' ' or start 0xC2/0xE2) */
    if (*n == 0 || (p[0] > ' ' && p[0] != 0xC2 && p[0] != 0xE2 && p[*n - 1] > ' ' &&
                    p[*n - 1] != 0xA0 && p[*n - 1] != 0xAF && p[*n - 1] != 0x89))
        return;
    trim(&p, n);
    *s = (const char *)p;
}

/* A month range written in one cell: "01/2025 - 12/2025", "01/2025–12/2025",
 * "01/2025 đến 12/2025", "T1/2025 - T6/2025".  VAL_BAD unless both ends
 * are months and the end is not before the start. */
val_result
values_month_range(const char *str, size_t n, int *from, int *to)
{
    static const char *const seps[] = {" - ", "\xe2\x80\x93", "\xe2\x80\x94", " \xc4\x91\xe1\xba\xbfn ",
                                       " den ", " to ", "-"};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        size_t m = strlen(seps[k]);
        for (size_t i = 1; i + m < n; i++) {
            if (memcmp(str + i, seps[k], m) != 0)
                continue;
            if (values_month(str, i, from) == VAL_OK &&
                values_month(str + i + m, n - i - m, to) == VAL_OK && *to >= *from)
                return VAL_OK;
        }
    }
    return VAL_BAD;
}

size_t
values_space_len(const char *s, size_t n)
{
    return space_at((const unsigned char *)s, n);
}

void
values_money_str(int64_t v, char sep, char *buf)
{
    char d[24];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(d, sizeof d, "%llu", (unsigned long long)u), k = 0;

    if (v < 0)
        buf[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[k++] = sep;
        buf[k++] = d[i];
    }
    buf[k] = '\0';
}

/* The change type a text names (values.h). */
values_change
values_change_word(const char *s, size_t n, bool cell)
{
    static const char *const roman[] = {"i", "ii", "iii", "iv", "v", "vi", "a", "b", "c",
                                        "d", "phan", "muc", "part", "section"};
    char buf[128];
    const char *p = buf;

    if (n == 0 || n > 100)
        return n == 0 ? CHANGE_NONE : CHANGE_BAD;
    names_fold_words(s, n, buf, sizeof buf);
    for (;;) { /* section numbering */
        size_t k = strcspn(p, " ");
        bool num = (p[0] >= '0' && p[0] <= '9') || p[0] == '(' || p[0] == ')';
        for (size_t i = 0; !num && i < sizeof roman / sizeof roman[0]; i++)
            num = strlen(roman[i]) == k && strncmp(p, roman[i], k) == 0 && p[k] == ' ';
        if (!num || p[k] == '\0')
            break;
        p += k + 1;
    }
    if (strncmp(p, "tang", 4) == 0 && (p[4] == '\0' || p[4] == ' '))
        return CHANGE_INCREASE;
    if (strncmp(p, "giam", 4) == 0 && (p[4] == '\0' || p[4] == ' '))
        return CHANGE_DECREASE;
    if (strncmp(p, "dieu chinh", 10) == 0 && (p[10] == '\0' || p[10] == ' '))
        return CHANGE_ADJUST;
    if (strncmp(p, "increase", 8) == 0)
        return CHANGE_INCREASE;
    if (strncmp(p, "decrease", 8) == 0)
        return CHANGE_DECREASE;
    if (strncmp(p, "adjust", 6) == 0)
        return CHANGE_ADJUST;
    if (cell) {
        if (strcmp(p, "t") == 0 || strcmp(p, "tm") == 0)
            return CHANGE_INCREASE;
        if (strcmp(p, "g") == 0)
            return CHANGE_DECREASE;
        if (strcmp(p, "dc") == 0)
            return CHANGE_ADJUST;
    }
    return CHANGE_BAD;
}
