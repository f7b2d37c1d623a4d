/*
 * table.c - libcsv driven line by line so every row knows where it began.
 *
 * libcsv reports fields and row ends but no positions.  We feed it one
 * physical line at a time (split at '\n'): a row-end callback fired while
 * line L is being parsed means the next row starts on line L+1, so rows
 * whose quoted fields span lines still get their first line.  Options:
 * CSV_STRICT | CSV_STRICT_FINI (a quote open at EOF is an error) |
 * CSV_REPALL_NL (blank lines are rows, so they can be counted) |
 * CSV_APPEND_NULL.  With REPALL_NL a CRLF gives a second, empty row end for
 * the LF, which we drop.  Spaces around unquoted fields are trimmed (only
 * ' ', never a tab, which may be the delimiter): every consumer trims anyway.
 * After a strict-mode error the parser is reset and parsing resumes at the
 * next line; the broken row is reported with its error code.
 */
#include <csv.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <string.h>
#include "sirecon/table.h"

#define PAGE 4096u
#define RELEASE_STEP (8u << 20) /* give back parsed pages every 8 MiB */

struct tstate {
    table_row_fn fn;
    void *ctx;
    char *buf; size_t bufn, bufcap;      /* field bytes, each NUL-terminated */
    size_t *off; size_t noff, capoff;    /* field offsets into buf */
    struct cellref *cells; size_t capcells;
    long line;                           /* line being fed */
    long row_line;                       /* first line of the row being built */
    int last_term;                       /* terminator of the previous row end */
    const char *error;
    int stop;
};

static int
is_space_only(unsigned char c)
{
    return c == ' ';
}

static void
on_field(void *s, size_t len, void *data)
{
    struct tstate *t = data;

    if (len > TABLE_MAX_FIELD) {
        t->error = "FIELD_TOO_LONG";
        len = 0;
    }
    t->buf = xgrow(t->buf, &t->bufcap, t->bufn + len + 1, 1);
    if (len)
        memcpy(t->buf + t->bufn, s, len);
    t->buf[t->bufn + len] = '\0';
    t->off = xgrow(t->off, &t->capoff, t->noff + 1, sizeof *t->off);
    t->off[t->noff++] = t->bufn;
    t->bufn += len + 1;
}

static void
emit(struct tstate *t, long line)
{
    struct table_row r;

    t->cells = xgrow(t->cells, &t->capcells, t->noff ? t->noff : 1, sizeof *t->cells);
    for (size_t i = 0; i < t->noff; i++) {
        size_t end = i + 1 < t->noff ? t->off[i + 1] - 1 : t->bufn - 1;
        t->cells[i].s = t->buf + t->off[i];
        t->cells[i].n = end - t->off[i];
    }
    r.cells = t->cells;
    r.ncells = t->noff;
    if (t->noff == 0) { /* a blank line: one empty cell */
        t->cells[0].s = "";
        t->cells[0].n = 0;
        r.ncells = 1;
    }
    r.line = line;
    r.error = t->error;
    if (!t->stop && t->fn(t->ctx, &r) != 0)
        t->stop = 1;
    t->bufn = 0;
    t->noff = 0;
    t->error = NULL;
}

static void
on_row(int c, void *data)
{
    struct tstate *t = data;

    if (c == '\n' && t->last_term == '\r' && t->noff == 0) {
        t->last_term = c; /* the LF of a CRLF */
        t->row_line = t->line + 1;
        return;
    }
    t->last_term = c;
    emit(t, t->row_line);
    t->row_line = t->line + 1;
}

char
table_sniff_delim(const char *text, size_t n)
{
    static const char cand[] = {',', ';', '\t', '|'};
    enum { NC = 4, MAXL = 60, MAXK = 512 };
    unsigned short cnt[NC][MAXL];
    size_t lines = 0, i = 0;
    int inq = 0;

    memset(cnt, 0, sizeof cnt);
    if (n > (1u << 20))
        n = 1u << 20;
    while (i < n && lines < MAXL) {
        char c = text[i++];
        if (c == '"')
            inq = !inq;
        else if (c == '\n' && !inq)
            lines++;
        else if (!inq)
            for (int k = 0; k < NC; k++)
                if (c == cand[k] && cnt[k][lines] < MAXK)
                    cnt[k][lines]++;
    }
    if (lines < MAXL && i == n)
        lines++;
    /* Score: the best k * (lines with exactly k delimiters), k >= 1.  The
     * table's rows share one count; title lines do not. */
    long best = 0;
    char bestc = ',';
    for (int k = 0; k < NC; k++) {
        long freq[MAXK + 1];
        memset(freq, 0, sizeof freq);
        for (size_t l = 0; l < lines; l++)
            freq[cnt[k][l]]++;
        for (int v = 1; v <= MAXK; v++)
            if ((long)v * freq[v] > best) {
                best = (long)v * freq[v];
                bestc = cand[k];
            }
    }
    return bestc;
}

static sirecon_status
parse(const char *text, size_t n, char delim, table_row_fn fn, void *ctx,
      struct diag *d, bool release)
{
    struct csv_parser p;
    struct tstate t;
    const unsigned char opts = CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL |
                               CSV_APPEND_NULL;
    size_t pos = 0, released = 0;

    memset(&t, 0, sizeof t);
    t.fn = fn;
    t.ctx = ctx;
    t.line = 1;
    t.row_line = 1;
    if (csv_init(&p, opts) != 0)
        return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0, "csv_init failed");
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_space_func(&p, is_space_only);
    csv_set_blk_size(&p, 4096);

    while (pos < n && !t.stop) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) + 1 : n - pos;
        size_t used = csv_parse(&p, text + pos, len, on_field, on_row, &t);
        if (used != len) {
            /* Strict-mode error: report the row, restart on the next line. */
            if (csv_error(&p) == CSV_ENOMEM) {
                csv_free(&p);
                free(t.buf); free(t.off); free(t.cells);
                return diag_set(d, SIRECON_ERR_INTERNAL, NULL, t.line, "out of memory in libcsv");
            }
            t.error = "MALFORMED_QUOTE";
            t.bufn = t.noff = 0;
            emit(&t, t.row_line);
            csv_free(&p);
            csv_init(&p, opts);
            csv_set_delim(&p, (unsigned char)delim);
            csv_set_space_func(&p, is_space_only);
            csv_set_blk_size(&p, 4096);
            t.row_line = t.line + 1;
            t.last_term = '\n';
        }
        pos += len;
        if (nl)
            t.line++;
        if (release && pos - released >= RELEASE_STEP) {
            /* whole pages before the current row only: libcsv copied what
             * it keeps of an unfinished row into its own buffer */
            uintptr_t lo = ((uintptr_t)text + released + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
            uintptr_t hi = ((uintptr_t)text + pos) & ~(uintptr_t)(PAGE - 1);
            if (hi > lo)
                madvise((void *)lo, hi - lo, MADV_DONTNEED);
            released = pos;
        }
    }
    if (!t.stop) {
        long fin_line = t.row_line;
        if (csv_fini(&p, on_field, on_row, &t) != 0) {
            t.error = "UNTERMINATED_QUOTE";
            t.bufn = t.noff = 0;
            emit(&t, fin_line);
        }
    }
    csv_free(&p);
    free(t.buf);
    free(t.off);
    free(t.cells);
    return SIRECON_OK;
}

sirecon_status
table_parse(const char *text, size_t n, char delim, table_row_fn fn, void *ctx,
            struct diag *d)
{
    return parse(text, n, delim, fn, ctx, d, false);
}

sirecon_status
table_parse_mapped(const char *text, size_t n, char delim, table_row_fn fn,
                   void *ctx, struct diag *d)
{
    return parse(text, n, delim, fn, ctx, d, true);
}
