/*
 * json.c - a small streaming JSON writer (see json.h): run.json and
 * `sirecon explain --format json`.
 */
#include <inttypes.h>
#include "sirecon/json.h"

void
js_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void
js_nl(struct js *j)
{
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->f);
}

void
js_key(struct js *j, const char *k)
{
    if (!j->first)
        fputc(',', j->f);
    j->first = false;
    js_nl(j);
    if (k) {
        js_str(j->f, k);
        fputs(": ", j->f);
    }
}

void
js_open(struct js *j, const char *k, char c)
{
    js_key(j, k);
    fputc(c, j->f);
    j->depth++;
    j->first = true;
}

void
js_close(struct js *j, char c)
{
    j->depth--;
    if (!j->first)
        js_nl(j);
    fputc(c, j->f);
    j->first = false;
}

void
js_s(struct js *j, const char *k, const char *v)
{
    js_key(j, k);
    js_str(j->f, v);
}

void
js_u(struct js *j, const char *k, uint64_t v)
{
    js_key(j, k);
    fprintf(j->f, "%" PRIu64, v);
}

void
js_i(struct js *j, const char *k, int64_t v)
{
    js_key(j, k);
    fprintf(j->f, "%" PRId64, v);
}

void
js_b(struct js *j, const char *k, bool v)
{
    js_key(j, k);
    fputs(v ? "true" : "false", j->f);
}

/* Fixed-point without locale: v with 3 decimals. */
void
js_f3(struct js *j, const char *k, double v)
{
    long long m = (long long)(v * 1000.0 + (v >= 0 ? 0.5 : -0.5));
    js_key(j, k);
    fprintf(j->f, "%s%lld.%03lld", m < 0 ? "-" : "", (m < 0 ? -m : m) / 1000,
            (m < 0 ? -m : m) % 1000);
}

