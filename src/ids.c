/*
 * ids.c - typed identifier normalizers (docs/inputs.md, "Values and identifiers").
 *
 * One pass cleans a cell into a short upper-case alphanumeric string: outer
 * ASCII space and NBSP trimmed, Excel's ="..." wrapper and a leading
 * apostrophe dropped, scientific notation and placeholders recognised on the
 * way, a trailing ".0"/".00" cut, inner spaces, dots and dashes removed.  The
 * column's kind and the cleaned shape then decide what the value is; a lost
 * leading zero is put back only where the column says what the value must be.
 * Called per cell on tens of millions of rows: no allocation, no locale.
 */
#include <stdbool.h>
#include <string.h>
#include "sirecon/common.h"
#include "sirecon/ids.h"
#include "sirecon/values.h"

/* Result of ids_clean(). */
enum {
    IDS_CL_OK = 0,      /* out holds 1..IDS_MAX-1 upper-case letters/digits */
    IDS_CL_EMPTY,       /* nothing left: blank cell */
    IDS_CL_PLACEHOLDER, /* 0, 000000000, N/A, "chưa có", "-", ... */
    IDS_CL_CORRUPTED,   /* scientific notation */
    IDS_CL_MALFORMED    /* other characters, or too long */
};

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int
is_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

/* values_trim() on unsigned bytes. */
static void
trim_u(const unsigned char **s, size_t *n)
{
    const char *p = (const char *)*s;

    values_trim(&p, n);
    *s = (const unsigned char *)p;
}

/* 3.41234E+11, 3,41E+11, 1.2e11, 1E-05: Excel's display of a long number. */
static int
is_scientific(const unsigned char *s, size_t n)
{
    size_t i = 0, m;

    for (m = i; i < n && is_digit(s[i]); i++)
        ;
    if (i == m)
        return 0;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        for (m = ++i; i < n && is_digit(s[i]); i++)
            ;
        if (i == m)
            return 0;
    }
    if (i >= n || (s[i] != 'E' && s[i] != 'e'))
        return 0;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    for (m = i; i < n && is_digit(s[i]); i++)
        ;
    return i > m && i == n;
}

/*
 * Fold a short text for the placeholder list: ASCII lower-cased, spaces
 * dropped, Vietnamese letters reduced to their base letter (precomposed or
 * followed by combining marks), so "Chưa có", "CHƯA CÓ" and the NFD form all
 * become "chuaco".  Returns the folded length, or 0 when the text is too
 * long or holds a character outside that small repertoire.
 */
static size_t
fold_word(const unsigned char *s, size_t n, char *out, size_t cap)
{
    /* U+00C0..U+00DF and U+00E0..U+00FF share one base-letter table. */
    static const char latin1[33] = "aaaaaaaceeeeiiiidnooooo?ouuuuy??";
    size_t i = 0, o = 0;

    while (i < n) {
        unsigned char c = s[i];
        char b;

        if (c < 0x80) {
            i++;
            if (is_space(c))
                continue;
            b = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        } else if (i + 1 < n && c == 0xC2 && s[i + 1] == 0xA0) {
            i += 2;
            continue;
        } else if (i + 1 < n && (c == 0xCC || (c == 0xCD && s[i + 1] < 0xB0))) {
            i += 2; /* U+0300..U+036F combining mark */
            continue;
        } else if (i + 1 < n && c == 0xC3) {
            b = latin1[s[i + 1] & 0x1F];
            i += 2;
        } else if (i + 1 < n && c >= 0xC4 && c <= 0xC6) {
            unsigned cp = ((unsigned)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            i += 2;
            if (cp == 0x102 || cp == 0x103)
                b = 'a';
            else if (cp == 0x110 || cp == 0x111)
                b = 'd';
            else if (cp == 0x128 || cp == 0x129)
                b = 'i';
            else if (cp == 0x168 || cp == 0x169 || cp == 0x1AF || cp == 0x1B0)
                b = 'u';
            else if (cp == 0x1A0 || cp == 0x1A1)
                b = 'o';
            else
                return 0;
        } else if (i + 2 < n && c == 0xE1 && (s[i + 1] == 0xBA || s[i + 1] == 0xBB)) {
            unsigned cp = 0x1000u | ((unsigned)(s[i + 1] & 0x3F) << 6) |
                          (s[i + 2] & 0x3Fu);
            i += 3;
            if (cp < 0x1EA0 || cp > 0x1EF9)
                return 0;
            b = cp <= 0x1EB7 ? 'a' : cp <= 0x1EC7 ? 'e' : cp <= 0x1ECB ? 'i' :
                cp <= 0x1EE3 ? 'o' : cp <= 0x1EF1 ? 'u' : 'y';
        } else {
            return 0;
        }
        if (b == '?' || o + 1 >= cap)
            return 0;
        out[o++] = b;
    }
    out[o] = '\0';
    return o;
}

/* Words that mean "no identifier", folded as by fold_word(). */
static const char *const placeholder_words[] = {
    "na", "n/a", "#n/a", "x", "none", "null", "nil", "chuaco", "chuacap",
    "khong", "khongco",
};

static int
is_placeholder_word(const unsigned char *s, size_t n)
{
    char w[16];

    if (n == 0 || n > 3 * sizeof w || fold_word(s, n, w, sizeof w) == 0)
        return 0;
    for (size_t i = 0; i < sizeof placeholder_words / sizeof *placeholder_words; i++)
        if (strcmp(w, placeholder_words[i]) == 0)
            return 1;
    return 0;
}

/*
 * Clean a raw cell into out (NUL-terminated, *len set): see the file header.
 * Letters are upper-cased.  Returns one of IDS_CL_*; out is "" unless OK.
 */
STATIC int
ids_clean(const char *in, size_t n, char out[IDS_MAX], size_t *len)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0, i, k;
    int had_sep = 0;

    out[0] = '\0';
    *len = 0;
    if (in == NULL)
        return IDS_CL_EMPTY;
    /* most cells: digits only, nothing to trim, unwrap or drop; straight
     * to the filler check below (the loop would copy them one by one) */
    for (i = 0; i < n && i + 1 < IDS_MAX && is_digit(s[i]); i++)
        ;
    if (i == n && n > 0) {
        memcpy(out, s, n);
        o = n;
        goto filler;
    }
    trim_u(&s, &n);
    /* Excel's ="0123" keeps the zero; the wrapper may survive an export. */
    if (n >= 3 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"') {
        s += 2;
        n -= 3;
        trim_u(&s, &n);
    }
    if (n >= 1 && s[0] == '\'') {
        s++;
        n--;
    } else if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x99) {
        s += 3; /* U+2019, what autocorrect makes of the apostrophe */
        n -= 3;
    }
    trim_u(&s, &n);
    if (n == 0)
        return IDS_CL_EMPTY;
    if (is_digit(s[0]) && is_scientific(s, n))
        return IDS_CL_CORRUPTED;
    if (!is_digit(s[0]) && is_placeholder_word(s, n))
        return IDS_CL_PLACEHOLDER;
    /* A number that went through a float: 3412345678.0 */
    if (n >= 3 && s[n - 1] == '0' && s[n - 2] == '.' && is_digit(s[n - 3]))
        n -= 2;
    else if (n >= 4 && s[n - 1] == '0' && s[n - 2] == '0' && s[n - 3] == '.' &&
             is_digit(s[n - 4]))
        n -= 3;
    for (i = 0; i < n; i += k) {
        unsigned char c = s[i];

        k = 1;
        if (is_digit(c) || is_alpha(c)) {
            if (o + 1 >= IDS_MAX) {
                out[0] = '\0';
                return IDS_CL_MALFORMED;
            }
            out[o++] = (char)(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
        } else if (c == '.' || c == '-' || (k = values_space_len((const char *)s + i, n - i)) > 0) {
            had_sep = 1;
            if (k == 0)
                k = 1;
        } else if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0x93 || s[i + 2] == 0x94)) {
            k = 3; /* en or em dash */
            had_sep = 1;
        } else {
            out[0] = '\0';
            return IDS_CL_MALFORMED;
        }
    }
    if (o == 0) {
        out[0] = '\0';
        return had_sep ? IDS_CL_PLACEHOLDER : IDS_CL_EMPTY; /* "-", "..." */
    }
filler:
    out[o] = '\0';
    *len = o;
    /* "0", 000000000, 111111111: a filler where an ID was required. */
    if (is_digit((unsigned char)out[0])) {
        for (i = 1; i < o && out[i] == out[0]; i++)
            ;
        if (i == o && (o >= 2 || out[0] == '0')) {
            out[0] = '\0';
            *len = 0;
            return IDS_CL_PLACEHOLDER;
        }
    }
    return IDS_CL_OK;
}

/* The flag that tells why ids_clean() gave nothing usable. */
static unsigned
clean_flag(int cl)
{
    switch (cl) {
    case IDS_CL_PLACEHOLDER:
        return IDF_PLACEHOLDER;
    case IDS_CL_CORRUPTED:
        return IDF_CORRUPTED;
    case IDS_CL_MALFORMED:
        return IDF_MALFORMED;
    default:
        return 0;
    }
}

static int
all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Put a '0' in front of the len characters of buf (len + 1 < IDS_MAX). */
static void
restore_zero(char *buf, size_t len)
{
    memmove(buf + 1, buf, len + 1);
    buf[0] = '0';
}

bool
ids_tax_check(const char *d)
{
    static const int w[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };
    int s = 0, seq = 0, r;

    if (d == NULL)
        return false;
    for (int i = 0; i < 10; i++)
        if (!is_digit((unsigned char)d[i]))
            return false;
    for (int i = 0; i < 9; i++)
        s += w[i] * (d[i] - '0');
    for (int i = 2; i < 9; i++)
        seq |= d[i] - '0';
    r = s % 11;
    if (seq == 0 || r == 0)
        return false;
    return d[9] - '0' == (r == 10 ? 0 : 10 - r);
}

/* 13-digit code: 10 digits then a branch 001..999. */
static int
branch_ok(const char *d)
{
    return !(d[10] == '0' && d[11] == '0' && d[12] == '0');
}

bool
ids_employer(const char *in, size_t n, char out[IDS_MAX], unsigned *flags)
{
    unsigned f = 0;
    size_t len;
    int cl = ids_clean(in, n, out, &len);
    bool ok = false;

    if (cl != IDS_CL_OK) {
        f = clean_flag(cl);
    } else if (!all_digits(out, len)) {
        f = IDF_MALFORMED;
    } else if (len == 10 || len == 13) {
        ok = len == 10 || branch_ok(out);
        if (!ok)
            f = IDF_MALFORMED;
        else if (!ids_tax_check(out))
            f = IDF_TAX_CHECK_DIGIT;
    } else if (len == 9 || len == 12) {
        restore_zero(out, len);
        ok = ids_tax_check(out) && (len == 9 || branch_ok(out));
        f = ok ? IDF_LEADING_ZERO_RESTORED : IDF_MALFORMED;
    } else {
        f = IDF_MALFORMED;
    }
    if (!ok)
        out[0] = '\0';
    if (flags)
        *flags = f;
    return ok;
}

/* An 11-digit value that reads as a domestic CCCD once '0' is put back:
 * province 001..096 and a 1900s/2000s century digit. */
static int
plausible_cccd11(const char *d)
{
    int prov = (d[0] - '0') * 10 + (d[1] - '0');

    return prov >= 1 && prov <= 96 && d[2] >= '0' && d[2] <= '3';
}

/* 1-2 letters then 6-8 digits (already upper-cased). */
static int
is_passport(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && i < 3 && s[i] >= 'A' && s[i] <= 'Z')
        i++;
    if (i < 1 || i > 2)
        return 0;
    return n - i >= 6 && n - i <= 8 && all_digits(s + i, n - i);
}

id_kind
ids_person(id_column col, const char *in, size_t n, char out[IDS_MAX],
           unsigned *flags)
{
    unsigned f = 0;
    size_t len;
    int cl = ids_clean(in, n, out, &len);
    size_t want = 0; /* length of the value once a lost '0' is put back */
    id_kind k = IDK_NONE;

    if (cl != IDS_CL_OK) {
        f = clean_flag(cl);
    } else if (!all_digits(out, len)) {
        if (col == IDCOL_IDNUMBER && is_passport(out, len))
            k = IDK_PASSPORT;
    } else if (len == 12) {
        k = IDK_PERSONAL; /* the same in every column */
    } else {
        switch (col) {
        case IDCOL_TAXCODE:
            if (len == 10) {
                k = IDK_TAXCODE;
                if (!ids_tax_check(out))
                    f = IDF_TAX_CHECK_DIGIT;
            } else if (len == 9) {
                char d[11] = "0";

                memcpy(d + 1, out, 10);
                if (ids_tax_check(d)) {
                    want = 10;
                    k = IDK_TAXCODE;
                }
            } else if (len == 11 && plausible_cccd11(out)) {
                want = 12;
                k = IDK_PERSONAL;
            }
            break;
        case IDCOL_IDNUMBER:
        case IDCOL_CMND:
            if (len == 9) {
                k = IDK_CMND;
            } else if (len == 8) {
                want = 9;
                k = IDK_CMND;
            } else if (len == 11 && col == IDCOL_IDNUMBER) {
                want = 12;
                k = IDK_PERSONAL;
            }
            break;
        case IDCOL_SI:
            if (len == 10) {
                k = IDK_SI;
            } else if (len == 9) {
                want = 10;
                k = IDK_SI;
            } else if (len == 11) {
                want = 12;
                k = IDK_PERSONAL;
            }
            break;
        }
        if (k != IDK_NONE && want > len) {
            restore_zero(out, len);
            f |= IDF_LEADING_ZERO_RESTORED;
        }
    }
    if (cl == IDS_CL_OK && k == IDK_NONE)
        f = IDF_MALFORMED;
    if (k == IDK_NONE)
        out[0] = '\0';
    if (flags)
        *flags = f;
    return k;
}

/* The century/sex digit of a domestic 12-digit personal ID, or -1 when the
 * value is not one: 12 digits, a province of birth registration 001..096
 * and a century digit 0..5 (1900s to 2100s).  An anonymised or made-up
 * value ("000000000001") carries no birth year or sex. */
static int
cccd_century_digit(const char *pid)
{
    int prov;

    if (pid == NULL)
        return -1;
    for (int i = 0; i < 12; i++)
        if (!is_digit((unsigned char)pid[i]))
            return -1;
    if (pid[12] != '\0' || pid[3] > '5')
        return -1;
    prov = (pid[0] - '0') * 100 + (pid[1] - '0') * 10 + (pid[2] - '0');
    if (prov < 1 || prov > 96)
        return -1;
    return pid[3] - '0';
}

int
ids_cccd_birth_year(const char *pid)
{
    int c = cccd_century_digit(pid);

    if (c < 0)
        return 0;
    return 1900 + (c / 2) * 100 + (pid[4] - '0') * 10 + (pid[5] - '0');
}

int
ids_cccd_sex(const char *pid)
{
    int c = cccd_century_digit(pid);

    return c < 0 ? 0 : c % 2 == 0 ? 1 : 2;
}

const char *
ids_kind_name(id_kind k)
{
    static const char *const names[IDK_COUNT] = {
        "personal_id", "tax_code", "cmnd", "si_number", "passport",
    };

    return (unsigned)k < IDK_COUNT ? names[k] : "none";
}

void
ids_mask(const char *id, char out[IDS_MAX])
{
    size_t n = id ? strnlen(id, IDS_MAX - 1) : 0;

    for (size_t i = 0; i < n; i++)
        out[i] = i + 4 < n ? '*' : id[i];
    out[n] = '\0';
}

/* ---- identifiers as keys ---- */

/* base-37 digit of a passport character, in ASCII order */
static unsigned
b37(unsigned char c)
{
    return c >= '0' && c <= '9' ? (unsigned)(c - '0' + 1)
         : c >= 'A' && c <= 'Z' ? (unsigned)(c - 'A' + 11) : 0;
}

uint64_t
ids_key(id_kind k, const char *text)
{
    uint64_t x = 0;
    size_t n = strlen(text);

    for (size_t i = 0; i < n && i < 15; i++) {
        unsigned char c = (unsigned char)text[i];
        x = k == IDK_PASSPORT ? x * 37 + b37(c) : x * 10 + (uint64_t)(c - '0');
    }
    return ((uint64_t)k << 61) | ((uint64_t)(n & 31) << 56) | (x & ((1ull << 56) - 1));
}

int
ids_key_cccd_birth_year(uint64_t key)
{
    uint64_t x = key & ((1ull << 56) - 1);
    int prov, century;

    /* the key of a 12-digit ID holds its digits as one number below 10^12;
     * a passport's (base 37) is another kind */
    if ((key >> 61) != IDK_PERSONAL || ((key >> 56) & 31) != 12 || x >= 1000000000000ull)
        return 0;
    prov = (int)(x / 1000000000ull);
    century = (int)(x / 100000000ull % 10);
    if (prov < 1 || prov > 96 || century > 5)
        return 0;
    return 1900 + (century / 2) * 100 + (int)(x / 1000000ull % 100);
}

id_kind
ids_key_kind(uint64_t key)
{
    return key == 0 ? IDK_NONE : (id_kind)(key >> 61);
}

const char *
ids_key_text(uint64_t key, char out[IDS_MAX])
{
    size_t n = (size_t)(key >> 56) & 31;
    uint64_t x = key & ((1ull << 56) - 1);
    bool passport = (key >> 61) == IDK_PASSPORT;

    if (key == 0 || n >= IDS_MAX) {
        out[0] = '\0';
        return out;
    }
    out[n] = '\0';
    for (size_t i = n; i-- > 0;) {
        unsigned d = (unsigned)(x % (passport ? 37 : 10));
        x /= passport ? 37 : 10;
        out[i] = passport ? (char)(d >= 11 ? 'A' + (d - 11) : '0' + (d - 1)) : (char)('0' + d);
    }
    return out;
}

int
ids_key_cmp(uint64_t a, uint64_t b)
{
    char ta[IDS_MAX], tb[IDS_MAX];

    if (a == b)
        return 0;
    if (a == 0 || b == 0)
        return a == 0 ? -1 : 1;
    if ((a >> 56) == (b >> 56)) /* one kind and length: the number's order */
        return a < b ? -1 : 1;
    return strcmp(ids_key_text(a, ta), ids_key_text(b, tb));
}
