/*
 * csvout.c - RFC 4180 CSV output: BOM, CRLF rows, minimal quoting with
 * doubled quotes, and the formula-injection guard for text fields (docs/architecture.md, "Outputs").
 * Numbers are formatted by hand: no locale can change a digit or the '.'.
 */
#include <math.h>
#include <string.h>
#include "sirecon/csvout.h"

static void
sep(struct csvout *c)
{
    if (c->col++ > 0)
        putc(',', c->f);
}

void
csvout_open(struct csvout *c, FILE *f)
{
    c->f = f;
    c->col = 0;
    fputs("\xEF\xBB\xBF", f);
}

/* A spreadsheet runs a cell starting with one of these as a formula. */
static int
is_formula_start(char ch)
{
    return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\t' ||
           ch == '\r';
}

void
csvout_field(struct csvout *c, const char *s)
{
    size_t n;
    const char *q;

    sep(c);
    if (s == NULL || *s == '\0')
        return;
    n = strlen(s);
    if (s[strcspn(s, ",\"\r\n")] == '\0' && s[0] != ' ' && s[n - 1] != ' ') {
        if (is_formula_start(s[0]))
            putc('\'', c->f);
        fwrite(s, 1, n, c->f);
        return;
    }
    putc('"', c->f);
    if (is_formula_start(s[0]))
        putc('\'', c->f);
    while ((q = strchr(s, '"')) != NULL) {
        fwrite(s, 1, (size_t)(q - s) + 1, c->f); /* through the quote ... */
        putc('"', c->f);                          /* ... and double it */
        s = q + 1;
    }
    fputs(s, c->f);
    putc('"', c->f);
}

/* Decimal digits of v, written backwards from end; returns the start. */
static char *
utoa(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return end;
}

void
csvout_uint(struct csvout *c, uint64_t v)
{
    char buf[24], *p = utoa(v, buf + sizeof buf);

    sep(c);
    fwrite(p, 1, (size_t)(buf + sizeof buf - p), c->f);
}

void
csvout_int(struct csvout *c, int64_t v)
{
    char buf[24], *end = buf + sizeof buf, *p;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    sep(c);
    p = utoa(u, end);
    if (v < 0)
        *--p = '-';
    fwrite(p, 1, (size_t)(end - p), c->f);
}

void
csvout_fixed1(struct csvout *c, double v)
{
    char buf[32], *end = buf + sizeof buf, *p;
    double t = v * 10.0;
    long long r;
    uint64_t u;

    sep(c);
    if (!isfinite(t) || fabs(t) >= 9.2e18)
        return;
    r = llround(t);
    u = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
    *--end = (char)('0' + u % 10);
    *--end = '.';
    p = utoa(u / 10, end);
    if (r < 0)
        *--p = '-';
    fwrite(p, 1, (size_t)(buf + sizeof buf - p), c->f);
}

void
csvout_end(struct csvout *c)
{
    fputs("\r\n", c->f);
    c->col = 0;
}

void
csvout_row(struct csvout *c, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++)
        csvout_field(c, fields[i]);
    csvout_end(c);
}
