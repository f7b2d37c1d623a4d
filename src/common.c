/*
 * common.c - status strings, exit codes, diagnostics and the die-on-OOM
 * allocation wrappers (the one place the core may exit: memory is gone).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>
#include <sys/mman.h>
#include "sirecon/common.h"

const char *
sirecon_strerror(sirecon_status st)
{
    switch (st) {
    case SIRECON_OK: return "success";
    case SIRECON_ERR_USAGE: return "usage error";
    case SIRECON_ERR_DATA: return "input data error";
    case SIRECON_ERR_NOINPUT: return "cannot open input";
    case SIRECON_ERR_CANTCREAT: return "cannot create output";
    case SIRECON_ERR_IO: return "input/output error";
    case SIRECON_ERR_INTERNAL: return "internal error";
    case SIRECON_ERR_NOMEM: return "out of memory";
    }
    return "unknown status";
}

int
sirecon_exit_code(sirecon_status st)
{
    switch (st) {
    case SIRECON_OK: return 0;
    case SIRECON_ERR_USAGE: return 64;
    case SIRECON_ERR_DATA: return 65;
    case SIRECON_ERR_NOINPUT: return 66;
    case SIRECON_ERR_CANTCREAT: return 73;
    case SIRECON_ERR_IO: return 74;
    case SIRECON_ERR_INTERNAL: return 70;
    case SIRECON_ERR_NOMEM: return 71;
    }
    return 70;
}

sirecon_status
diag_set(struct diag *d, sirecon_status st, const char *file, long line,
         const char *fmt, ...)
{
    va_list ap;

    if (d == NULL)
        return st;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    /* one message, one line: a header cell wrapped with Alt+Enter or a
     * stray tab must not break it */
    for (char *p = d->msg; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    return st;
}

void
sbuf_put(struct sbuf *b, const void *s, size_t n)
{
    b->s = xgrow(b->s, &b->cap, b->n + n + 1, 1);
    if (n)
        memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void
sbuf_putc(struct sbuf *b, char c)
{
    sbuf_put(b, &c, 1);
}

void
sbuf_csv_field(struct sbuf *b, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == ';' || s[i] == '\t' || s[i] == '|' ||
            s[i] == '\r' || s[i] == '\n')
            break;
    if (i == n) {
        sbuf_put(b, s, n);
        return;
    }
    sbuf_putc(b, '"');
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            sbuf_putc(b, '"');
        sbuf_putc(b, s[i] == '\r' || s[i] == '\n' ? ' ' : s[i]);
    }
    sbuf_putc(b, '"');
}

static void
oom(size_t n)
{
    /* not a bug (70): the machine or its limits (ulimit -v) are too small
     * for the input; EX_OSERR */
    fprintf(stderr, "sirecon: out of memory (%zu bytes more were needed); run on a "
                    "machine with more memory or split the input\n", n);
    exit(71);
}

/*
 * Large blocks (record arrays, the index's arrays) go on transparent huge
 * pages where the kernel leaves that to the program (THP "madvise" mode,
 * as on Debian): the matcher walks arrays of millions of records in
 * employer or rank order, and with 4 KiB pages such a step past a few MB
 * misses the TLB as well as the cache.  Only the 2 MiB-aligned inside of a
 * block is advised.  malloc mostly hands blocks this big out as their own
 * mappings; when one comes from the heap instead, the allocations that later
 * reuse its pages get huge pages too, which costs nothing but granularity.
 */
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HUGE_MIN (8u << 20)

#if defined(MADV_HUGEPAGE) || defined(MADV_POPULATE_WRITE)
/* madvise() the whole pages of size page (a power of two) inside p[0..n). */
static void
advise_inside(void *p, size_t n, uintptr_t page, int advice)
{
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(page - 1);

    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, advice);
}
#endif

static void
huge_pages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (n >= HUGE_MIN)
        advise_inside(p, n, HUGE_PAGE, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        oom(n);
    huge_pages(p, n);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        oom(n * size);
    huge_pages(p, n * size);
    return p;
}

void *
xcalloc_lines(size_t n, size_t size)
{
    void *p = NULL;
    size_t bytes;

    if (size != 0 && n > SIZE_MAX / size)
        oom(SIZE_MAX);
    bytes = n * size;
    if (posix_memalign(&p, 64, bytes != 0 ? bytes : 1) != 0)
        oom(bytes);
    huge_pages(p, bytes);
    memset(p, 0, bytes);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        oom(n);
    huge_pages(q, n);
    return q;
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void
prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    advise_inside(p, n, 4096, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap;

    if (need <= c)
        return p;
    if (c < 16)
        c = 16;
    while (c < need) /* grow by half; near SIZE_MAX take need (no wrap-around) */
        c = c <= SIZE_MAX / 2 ? c + c / 2 : need;
    if (c > SIZE_MAX / size)
        oom(SIZE_MAX);
    *cap = c;
    return xrealloc(p, c * size);
}

double
monotonic_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
