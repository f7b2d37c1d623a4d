/*
 * profile.c - the numbers of the law and the method, and extra column
 * aliases: built-in Vietnam 2026 defaults overridden by an INI file (inih).
 *
 * Numbers are read and written by hand, not with strtod/printf, so that a
 * comma-decimal LC_NUMERIC changes nothing, and a fraction is written with
 * the fewest decimals that read back to the identical double: write, load,
 * write gives the same text, and profile_hash() (SHA-256 of that text) is
 * stable.  inih is fed through our own line reader so that a handler knows
 * its line number and an over-long line is an error rather than two lines.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>
#include <nettle/sha2.h>
#include "sirecon/common.h"
#include "sirecon/fields.h"
#include "sirecon/profile.h"

/* Alias labels longer than this are written one per line. */
#define ALIAS_LINE_WIDTH 150

void
profile_defaults(struct profile *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", "vietnam-2026");
    /* Law 41/2024/QH15: employer 3 + 14 + 0.5 + 3 + 1 %, employee 8 + 1.5 + 1 % */
    p->employer_rate = 0.215;
    p->employee_rate = 0.105;
    /* 20 x the reference level of 2,340,000 VND */
    p->base_cap = 46800000;
    /* Decree 293/2025, regions I-IV, from 1 January 2026 */
    p->min_wage[0] = 5310000;
    p->min_wage[1] = 4730000;
    p->min_wage[2] = 4140000;
    p->min_wage[3] = 3700000;
    p->low_base_ratio = 0.5;
    /* Labour Code 2019 Art. 169 and Decree 135/2020: the retirement age rises
     * by 3 months a year for men to 62 (2028) and by 4 months a year for women
     * to 60 (2035); in 2026 it is 61 years 6 months for men, 57 for women. */
    p->retire_male_months = 61 * 12 + 6;
    p->retire_female_months = 57 * 12;
    p->aliases = NULL;
    p->naliases = 0;
}

void
profile_free(struct profile *p)
{
    size_t i;

    for (i = 0; i < p->naliases; i++)
        free((char *)p->aliases[i].label);
    free(p->aliases);
    p->aliases = NULL;
    p->naliases = 0;
}

/* ---- numbers, independent of the locale ---------------------------- */

/* Parse an unsigned decimal "123", "0.215", ".5", "1." into *out.  Correctly
 * rounded for up to 15 significant digits (an exact integer divided by an
 * exact power of ten).  Returns 0 on success, -1 on a bad number. */
STATIC int
profile_parse_fraction(const char *s, double *out)
{
    uint64_t m = 0;
    int dec = 0, digits = 0, point = 0;
    const char *q;

    for (q = s; *q != '\0'; q++) {
        if (*q == '.' && !point) {
            point = 1;
        } else if (*q >= '0' && *q <= '9') {
            if (m == 0 && *q == '0') {
                if (point)
                    dec++;
                continue; /* leading zeros are not significant */
            }
            if (++digits > 15)
                return -1;
            m = m * 10 + (uint64_t)(*q - '0');
            if (point)
                dec++;
        } else {
            return -1;
        }
    }
    if (q == s || (point && q - s == 1) || dec > 22)
        return -1;
    *out = (double)m / pow(10.0, dec);
    return 0;
}

/* Parse an unsigned integer of at most 18 digits.  0 or -1. */
STATIC int
profile_parse_int(const char *s, int64_t *out)
{
    int64_t v = 0;
    const char *q;

    for (q = s; *q != '\0'; q++) {
        if (*q < '0' || *q > '9' || q - s >= 18)
            return -1;
        v = v * 10 + (*q - '0');
    }
    if (q == s)
        return -1;
    *out = v;
    return 0;
}

/* Write x (0 <= x < 1e6) with the fewest decimals that parse back to x. */
STATIC void
profile_format_fraction(double x, char *buf, size_t bufsz)
{
    char frac[32];
    uint64_t m = 0, ip, fp, p10 = 1;
    int d;

    for (d = 0; d <= 15; d++, p10 *= 10) {
        m = (uint64_t)llround(x * (double)p10);
        if ((double)m / pow(10.0, d) == x)
            break;
    }
    if (d > 15) { /* not from our parser: the nearest 15-decimal value */
        d = 15;
        p10 /= 10;
    }
    ip = m / p10;
    fp = m % p10;
    if (d == 0) {
        snprintf(buf, bufsz, "%llu", (unsigned long long)ip);
        return;
    }
    snprintf(frac, sizeof frac, "%0*llu", d, (unsigned long long)fp);
    snprintf(buf, bufsz, "%llu.%s", (unsigned long long)ip, frac);
}

/* ---- loading -------------------------------------------------------- */

struct load_ctx {
    struct profile *p;
    FILE *f;
    long lineno;      /* physical line last handed to inih */
    char *line;       /* getline buffer */
    size_t linecap;
    long errline;     /* line of the first error we diagnosed, 0 if none */
    char errmsg[512];
};

static int
fail(struct load_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the first error (inih reports the first failing line) and make the
 * handler fail. */
static int
fail(struct load_ctx *c, const char *fmt, ...)
{
    va_list ap;

    if (c->errline == 0) {
        c->errline = c->lineno;
        va_start(ap, fmt);
        vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
        va_end(ap);
    }
    return 0;
}

/* fgets-like reader for inih: one physical line per call, so lineno is the
 * line of the key being handled.  An over-long line is diagnosed here and
 * handed to inih as a blank line. */
static char *
read_line(char *str, int num, void *stream)
{
    struct load_ctx *c = stream;
    ssize_t n = getline(&c->line, &c->linecap, c->f);

    if (n < 0)
        return NULL;
    c->lineno++;
    if (n >= num) {
        fail(c, "line longer than %d bytes: put the labels on several "
                "'field = label | label' lines", num - 2);
        snprintf(str, (size_t)num, "\n");
        return str;
    }
    memcpy(str, c->line, (size_t)n + 1);
    return str;
}

static int
set_fraction(struct load_ctx *c, const char *sec, const char *key,
             const char *val, double *dst)
{
    double v;

    if (val[0] == '-')
        return fail(c, "[%s] %s: '%s' is negative; give a fraction between 0 "
                       "and 1 such as 0.215", sec, key, val);
    if (profile_parse_fraction(val, &v) != 0)
        return fail(c, "[%s] %s: '%s' is not a number; give a fraction such "
                       "as 0.215 (decimal point, no %% sign)", sec, key, val);
    if (v > 1.0)
        return fail(c, "[%s] %s: %s is outside [0, 1]; give a fraction such "
                       "as 0.215, not a percentage", sec, key, val);
    *dst = v;
    return 1;
}

static int
set_amount(struct load_ctx *c, const char *sec, const char *key,
           const char *val, int64_t *dst)
{
    int64_t v;

    if (val[0] == '-')
        return fail(c, "[%s] %s: '%s' is a negative amount", sec, key, val);
    if (profile_parse_int(val, &v) != 0)
        return fail(c, "[%s] %s: '%s' is not a whole number of VND (digits "
                       "only, no separators)", sec, key, val);
    *dst = v;
    return 1;
}

static int
set_months(struct load_ctx *c, const char *sec, const char *key,
           const char *val, int *dst)
{
    int64_t v;

    if (val[0] == '-')
        return fail(c, "[%s] %s: '%s' is negative", sec, key, val);
    if (profile_parse_int(val, &v) != 0 || v < 1 || v > 1200)
        return fail(c, "[%s] %s: '%s' is not an age in months between 1 and "
                       "1200 (61 years 6 months = 738)", sec, key, val);
    *dst = (int)v;
    return 1;
}

static void
add_alias(struct profile *p, file_kind k, field_id f, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < p->naliases; i++)
        if (p->aliases[i].kind == k && p->aliases[i].field == f &&
            strlen(p->aliases[i].label) == n &&
            memcmp(p->aliases[i].label, s, n) == 0)
            return; /* already there */
    p->aliases = xrealloc(p->aliases, (p->naliases + 1) * sizeof *p->aliases);
    p->aliases[p->naliases].kind = k;
    p->aliases[p->naliases].field = f;
    p->aliases[p->naliases].label = xstrndup(s, n);
    p->naliases++;
}

static int
load_aliases(struct load_ctx *c, const char *sec, const char *key,
             const char *val)
{
    file_kind k = fields_kind_from_name(sec + strlen("aliases."));
    const char *a, *b, *e;
    int f;

    if (k == KIND_COUNT)
        return fail(c, "unknown section [%s]; expected [aliases.tax], "
                       "[aliases.si], [aliases.employers] or "
                       "[aliases.identities]", sec);
    for (f = 0; f < F_COUNT; f++)
        if (strcmp(key, fields_name((field_id)f)) == 0)
            break;
    if (f == F_COUNT)
        return fail(c, "[%s]: unknown field '%s'", sec, key);
    if (!fields_in_kind(k, (field_id)f))
        return fail(c, "[%s]: field '%s' is not a column of %s files", sec,
                    key, fields_kind_name(k));
    for (a = val; *a != '\0'; a = *e == '|' ? e + 1 : e) {
        e = strchr(a, '|');
        if (e == NULL)
            e = a + strlen(a);
        for (b = e; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
            ;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        if (b > a)
            add_alias(c->p, k, (field_id)f, a, (size_t)(b - a));
    }
    return 1;
}

static int
handler(void *user, const char *sec, const char *key, const char *val)
{
    struct load_ctx *c = user;
    struct profile *p = c->p;

    if (strcmp(sec, "profile") == 0) {
        if (strcmp(key, "name") == 0) {
            if (strlen(val) >= sizeof p->name)
                return fail(c, "[profile] name: longer than %zu bytes",
                            sizeof p->name - 1);
            snprintf(p->name, sizeof p->name, "%s", val);
            return 1;
        }
        return fail(c, "unknown key '%s' in [profile]; expected name", key);
    }
    if (strcmp(sec, "rates") == 0) {
        if (strcmp(key, "employer") == 0)
            return set_fraction(c, sec, key, val, &p->employer_rate);
        if (strcmp(key, "employee") == 0)
            return set_fraction(c, sec, key, val, &p->employee_rate);
        return fail(c, "unknown key '%s' in [rates]; expected employer or "
                       "employee", key);
    }
    if (strcmp(sec, "base") == 0) {
        if (strcmp(key, "cap") == 0)
            return set_amount(c, sec, key, val, &p->base_cap);
        if (strncmp(key, "min_wage_", 9) == 0 && key[9] >= '1' &&
            key[9] <= '4' && key[10] == '\0')
            return set_amount(c, sec, key, val, &p->min_wage[key[9] - '1']);
        return fail(c, "unknown key '%s' in [base]; expected cap or "
                       "min_wage_1 .. min_wage_4", key);
    }
    if (strcmp(sec, "review") == 0) {
        if (strcmp(key, "low_base_ratio") == 0)
            return set_fraction(c, sec, key, val, &p->low_base_ratio);
        if (strcmp(key, "retire_male_months") == 0)
            return set_months(c, sec, key, val, &p->retire_male_months);
        if (strcmp(key, "retire_female_months") == 0)
            return set_months(c, sec, key, val, &p->retire_female_months);
        return fail(c, "unknown key '%s' in [review]; expected "
                       "low_base_ratio, retire_male_months or "
                       "retire_female_months", key);
    }
    if (strcmp(sec, "office") == 0 || strcmp(sec, "notice") == 0) {
        char *dst = strcmp(sec, "notice") == 0 && strcmp(key, "request") == 0
                        ? p->notice_request
                  : strcmp(sec, "office") == 0 && strcmp(key, "name") == 0 ? p->office_name
                  : strcmp(sec, "office") == 0 && strcmp(key, "address") == 0
                        ? p->office_address : NULL;
        size_t cap = dst == p->notice_request ? sizeof p->notice_request
                                              : sizeof p->office_name;
        if (dst == NULL)
            return fail(c, "unknown key '%s' in [%s]; expected %s", key, sec,
                        strcmp(sec, "office") == 0 ? "name or address" : "request");
        if (strlen(val) >= cap)
            return fail(c, "[%s] %s: longer than %zu bytes", sec, key, cap - 1);
        snprintf(dst, cap, "%s", val);
        return 1;
    }
    if (strncmp(sec, "aliases.", 8) == 0)
        return load_aliases(c, sec, key, val);
    if (sec[0] == '\0')
        return fail(c, "'%s' outside any section; put it under [profile], "
                       "[rates], [base], [review], [office], [notice] or [aliases.KIND]",
                    key);
    return fail(c, "unknown section [%s]; expected [profile], [rates], "
                   "[base], [review], [office], [notice] or [aliases.KIND]", sec);
}

/* Values that parse but cannot be meant: the whole profile must make sense
 * (a zero cap or a minimum wage over the cap would zero or invert every
 * arrears estimate). */
static sirecon_status
profile_check(const struct profile *p, const char *path, struct diag *d)
{
    if (p->base_cap <= 0)
        return diag_set(d, SIRECON_ERR_DATA, path, 0, "[base] cap must be above 0");
    for (int i = 0; i < 4; i++)
        if (p->min_wage[i] <= 0 || p->min_wage[i] > p->base_cap)
            return diag_set(d, SIRECON_ERR_DATA, path, 0,
                            "[base] min_wage_%d must be above 0 and not above cap", i + 1);
    if (p->employer_rate + p->employee_rate <= 0)
        return diag_set(d, SIRECON_ERR_DATA, path, 0,
                        "[rates] employer and employee are both 0: no contribution to estimate");
    return SIRECON_OK;
}

sirecon_status
profile_load(struct profile *p, const char *path, struct diag *d)
{
    struct load_ctx c;
    int r;

    memset(&c, 0, sizeof c);
    c.p = p;
    c.f = fopen(path, "r");
    if (c.f == NULL)
        return diag_set(d, SIRECON_ERR_NOINPUT, path, 0,
                        "cannot open the profile: %s", strerror(errno));
    r = ini_parse_stream(read_line, &c, handler, &c);
    if (r == 0 && ferror(c.f))
        r = -3;
    fclose(c.f);
    free(c.line);
    if (r == 0 && c.errline == 0)
        return profile_check(p, path, d);
    if (r == -3)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot read the profile");
    if (r < 0)
        return diag_set(d, SIRECON_ERR_INTERNAL, path, 0,
                        "profile parser failed (out of memory)");
    if (c.errline != 0 && (r == 0 || c.errline <= r))
        return diag_set(d, SIRECON_ERR_DATA, path, c.errline, "%s", c.errmsg);
    return diag_set(d, SIRECON_ERR_DATA, path, r,
                    "not a '[section]' or 'key = value' line");
}

/* ---- writing -------------------------------------------------------- */

static void
write_fraction(FILE *f, const char *key, double x)
{
    char buf[64];

    profile_format_fraction(x, buf, sizeof buf);
    fprintf(f, "%s = %s\n", key, buf);
}

static void
write_aliases(const struct profile *p, FILE *f, file_kind k)
{
    size_t i, width;
    int fl;

    fprintf(f, "\n[aliases.%s]\n", fields_kind_name(k));
    for (fl = 0; fl < F_COUNT; fl++) {
        width = 0;
        for (i = 0; i < p->naliases; i++) {
            const struct alias_extra *a = &p->aliases[i];
            if (a->kind != k || a->field != (field_id)fl)
                continue;
            if (width != 0 && width + 3 + strlen(a->label) > ALIAS_LINE_WIDTH) {
                fputc('\n', f);
                width = 0;
            }
            if (width == 0)
                width = (size_t)fprintf(f, "%s = %s", fields_name(a->field),
                                        a->label);
            else
                width += (size_t)fprintf(f, " | %s", a->label);
        }
        if (width != 0)
            fputc('\n', f);
    }
}

void
profile_write(const struct profile *p, FILE *f)
{
    int i, k;

    fputs("; sirecon profile: rates and ratios are fractions, amounts whole VND"
          " a month, ages in months\n", f);
    fprintf(f, "[profile]\nname = %s\n", p->name);
    fputs("\n[rates]\n", f);
    write_fraction(f, "employer", p->employer_rate);
    write_fraction(f, "employee", p->employee_rate);
    fprintf(f, "\n[base]\ncap = %lld\n", (long long)p->base_cap);
    for (i = 0; i < 4; i++)
        fprintf(f, "min_wage_%d = %lld\n", i + 1, (long long)p->min_wage[i]);
    fputs("\n[review]\n", f);
    write_fraction(f, "low_base_ratio", p->low_base_ratio);
    fprintf(f, "retire_male_months = %d\nretire_female_months = %d\n",
            p->retire_male_months, p->retire_female_months);
    fprintf(f, "\n; the heading and the request text of --notices\n[office]\nname = %s\n"
               "address = %s\n\n[notice]\nrequest = %s\n",
            p->office_name, p->office_address, p->notice_request);
    for (k = 0; k < KIND_COUNT; k++)
        write_aliases(p, f, (file_kind)k);
}

void
profile_hash(const struct profile *p, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    char *text = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&text, &len);

    if (f == NULL)
        (void)xmalloc(SIZE_MAX); /* only fails for lack of memory: dies */
    profile_write(p, f);
    if (fclose(f) != 0)
        (void)xmalloc(SIZE_MAX);
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)text);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
    free(text);
    for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[dig[i] >> 4];
        out[2 * i + 1] = hex[dig[i] & 15];
    }
    out[64] = '\0';
}
