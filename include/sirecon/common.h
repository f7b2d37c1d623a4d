/*
 * common.h - the status codes, allocation wrappers and diagnostics shared by
 * every stage of sirecon.  The core never prints and never exits: a function
 * that can fail returns a sirecon_status and, where a person needs to know
 * where and why, fills a struct diag that main.c turns into one stderr line.
 */
#ifndef SIRECON_COMMON_H
#define SIRECON_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Private helpers are reachable from the unit tests when built -DTESTING. */
#ifdef TESTING
#define STATIC
#else
#define STATIC static
#endif

#define SIRECON_VERSION "0.1.0"

typedef enum sirecon_status {
    SIRECON_OK = 0,        /* success */
    SIRECON_ERR_USAGE,     /* bad option or argument (exit 64) */
    SIRECON_ERR_DATA,      /* input data unusable: column, encoding, rejects (exit 65) */
    SIRECON_ERR_NOINPUT,   /* an input file cannot be opened (exit 66) */
    SIRECON_ERR_CANTCREAT, /* output cannot be created (exit 73) */
    SIRECON_ERR_IO,        /* read or write failed: disk full, short write (exit 74) */
    SIRECON_ERR_INTERNAL,  /* an invariant broke: a bug (exit 70) */
    SIRECON_ERR_NOMEM      /* out of memory: not a bug (exit 71, EX_OSERR) */
} sirecon_status;

/* A short English description of a status, for messages. */
const char *sirecon_strerror(sirecon_status st);
/* The sysexits-style exit code that belongs to a status. */
int sirecon_exit_code(sirecon_status st);

/*
 * Where and why something failed.  file may be NULL (no position), line 0
 * means "the file as a whole".  msg never holds a personal identifier.
 */
struct diag {
    char file[512];
    long line;
    char msg[1024];
};

/* Fill d (when not NULL) and return st, so callers can `return diag_set(...)`. */
sirecon_status diag_set(struct diag *d, sirecon_status st, const char *file,
                        long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Die-on-OOM allocation: print one line and exit 71 (out of memory, not a
 * bug).  The only exit in the core. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
/* xcalloc(), 64-byte (cache-line) aligned; freed with free(). */
void *xcalloc_lines(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow an array so that it holds at least need items; *cap is updated. */
/* Seconds on the monotonic clock (stage timings). */
double monotonic_seconds(void);
/* Fault in the whole pages of p[0..n) at once (MADV_POPULATE_WRITE, where
 * the kernel has it): one call instead of a page fault per 4 KiB, which on
 * a virtual machine cost a tenth of a national run's loading.  Only for
 * memory about to be written. */
void prefault(void *p, size_t n);
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

/* A growing byte buffer (xgrow); s is NUL-terminated once anything was put
 * (also an empty string).  The owner frees s. */
struct sbuf {
    char *s;
    size_t n, cap;
};
void sbuf_put(struct sbuf *b, const void *s, size_t n);
void sbuf_putc(struct sbuf *b, char c);
/* One RFC 4180 field: quoted when it holds a quote or any delimiter a
 * reader might sniff (, ; tab |), so a cell full of semicolons cannot
 * outvote the commas; line breaks in it become spaces (one row, one line). */
void sbuf_csv_field(struct sbuf *b, const char *s, size_t n);

/* A cell's text: UTF-8, not necessarily NUL-terminated (table.h, header.h). */
struct cellref {
    const char *s;
    size_t n;
};

#endif
