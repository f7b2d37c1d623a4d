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
#define TABLE_FEED (1u << 20)   /* longest piece given to libcsv at once */
#define TABLE_CHUNK (1u << 20)  /* bytes read at a time from a stream */

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
    size_t rowbytes;                     /* bytes fed since the row began */
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

/* A libcsv parser with our state, fed piece by piece. */
struct feeder {
    struct csv_parser p;
    struct tstate t;
    char delim;
    size_t pos, released;      /* mapped text: bytes fed, pages given back */
    bool skip_line;            /* after a broken row: drop up to the next line end */
};

#define OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL)

static int
feeder_init(struct feeder *f, char delim, table_row_fn fn, void *ctx)
{
    memset(f, 0, sizeof *f);
    f->t.fn = fn;
    f->t.ctx = ctx;
    f->t.line = 1;
    f->t.row_line = 1;
    f->delim = delim;
    if (csv_init(&f->p, OPTS) != 0)
        return -1;
    csv_set_delim(&f->p, (unsigned char)delim);
    csv_set_space_func(&f->p, is_space_only);
    csv_set_blk_size(&f->p, 4096);
    return 0;
}

static void
feeder_free(struct feeder *f)
{
    csv_free(&f->p);
    free(f->t.buf);
    free(f->t.off);
    free(f->t.cells);
}

/*
 * A whole line (ending in LF) with no CR before its line end, at the start
 * of a row, whose quotes (if any) only enclose whole fields, is split here
 * instead of by libcsv: cells at the delimiter, spaces (' ') around each
 * unquoted cell trimmed, a CRLF taken as one line end, a line of spaces a
 * blank row -- what libcsv makes of such a line (test_table checks the two
 * against each other on generated lines).  A quoted field is taken only in
 * its simplest form: its opening quote is the first byte of the field (right
 * after the line start or a delimiter), its closing quote is the next quote
 * and is followed directly by a delimiter or the line end; its cell is the
 * bytes between the quotes, untrimmed ("" an empty cell).  Most lines of a
 * large export are like that (a name with a comma in it is quoted), and
 * libcsv's byte-by-byte state machine was the biggest single cost of
 * loading one (issue 11).  Anything else (a doubled quote, a quote inside
 * an unquoted field, spaces between a quote and the delimiter, a quote
 * left open at the line end, a stray CR, an unfinished row, a line past
 * TABLE_MAX_FIELD) goes to libcsv, the cells of the line split so far
 * dropped.  "At the start of a row" is libcsv's own state, read from its
 * public struct (pstate 0: ROW_NOT_BEGUN).
 */
STATIC bool table_plain_lines = true; /* false: every line to libcsv (tests) */

static bool
plain_line(struct feeder *f, const char *s, size_t len)
{
    struct tstate *t = &f->t;
    size_t n = len - 1; /* without the LF */
    const char *end, *p, *quote;

    if (!table_plain_lines || f->p.pstate != 0 || t->row_line != t->line || n > TABLE_MAX_FIELD)
        return false;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (memchr(s, '\r', n) != NULL)
        return false;
    end = s + n;
    quote = memchr(s, '"', n);
    if (quote == NULL) {
        p = s;
        while (p < end && *p == ' ')
            p++;
        if (p == end) /* a blank row: no cells */
            goto row;
    } else if (f->delim == '"') {
        return false;
    }
    p = s;
    for (;;) {
        const char *q, *b, *e;
        if (p == quote) {
            /* a quoted field: up to the next quote, then a delimiter or the end */
            b = p + 1;
            e = memchr(b, '"', (size_t)(end - b));
            if (e == NULL || (e + 1 < end && e[1] != f->delim))
                goto libcsv;
            q = e + 1 < end ? e + 1 : NULL;
            on_field((void *)(uintptr_t)b, (size_t)(e - b), t);
            if (q != NULL)
                quote = memchr(q + 1, '"', (size_t)(end - (q + 1)));
        } else {
            q = memchr(p, f->delim, (size_t)(end - p));
            e = q ? q : end;
            if (quote != NULL && quote < e)
                goto libcsv; /* a quote inside an unquoted field */
            b = p;
            while (b < e && *b == ' ')
                b++;
            while (e > b && e[-1] == ' ')
                e--;
            on_field((void *)(uintptr_t)b, (size_t)(e - b), t);
        }
        if (q == NULL)
            break;
        p = q + 1;
    }
row:
    t->last_term = '\n';
    emit(t, t->row_line);
    t->row_line = t->line + 1;
    t->rowbytes = 0;
    return true;
libcsv:
    t->bufn = t->noff = 0; /* the row had no cells before this line */
    return false;
}

/*
 * Feed text[0..n), a line at a time (pieces of at most TABLE_FEED bytes
 * when a line is longer).  A record (from its first line on) longer than
 * TABLE_MAX_RECORD stops the file: an unclosed quote or a file with no
 * line ends would otherwise be held whole by libcsv.
 */
static sirecon_status
feed(struct feeder *f, const char *text, size_t n, struct diag *d)
{
    struct tstate *t = &f->t;
    size_t pos = 0;

    while (pos < n && !t->stop) {
        size_t lim = n - pos < TABLE_FEED ? n - pos : TABLE_FEED;
        const char *nl = memchr(text + pos, '\n', lim);
        size_t len = nl ? (size_t)(nl - (text + pos)) + 1 : lim;
        long before = t->row_line;
        if (f->skip_line) {
            /* the rest of a line whose row was broken: not a new row */
            pos += len;
            if (nl) {
                t->line++;
                f->skip_line = false;
            }
            continue;
        }
        if (nl != NULL && plain_line(f, text + pos, len)) {
            pos += len;
            t->line++;
            continue;
        }
        size_t used = csv_parse(&f->p, text + pos, len, on_field, on_row, t);
        if (used != len) {
            /* Strict-mode error: report the row, restart on the next line. */
            if (csv_error(&f->p) == CSV_ENOMEM)
                return diag_set(d, SIRECON_ERR_NOMEM, NULL, t->line, "out of memory in libcsv");
            t->error = "MALFORMED_QUOTE";
            t->bufn = t->noff = 0;
            emit(t, t->row_line);
            csv_free(&f->p);
            csv_init(&f->p, OPTS);
            csv_set_delim(&f->p, (unsigned char)f->delim);
            csv_set_space_func(&f->p, is_space_only);
            csv_set_blk_size(&f->p, 4096);
            t->row_line = t->line + 1;
            t->last_term = '\n';
            t->rowbytes = 0;
            f->skip_line = nl == NULL; /* the line goes on in the next piece */
        } else if (t->row_line == before) {
            t->rowbytes += len; /* the record goes on */
            if (t->rowbytes > TABLE_MAX_RECORD)
                return diag_set(d, SIRECON_ERR_DATA, NULL, t->row_line,
                                "a record longer than %u MiB (a quote never closed, "
                                "or not a text table); the file is not read",
                                (unsigned)(TABLE_MAX_RECORD >> 20));
        } else {
            t->rowbytes = 0;
        }
        pos += len;
        if (nl)
            t->line++;
    }
    return SIRECON_OK;
}

static void
feeder_fini(struct feeder *f)
{
    if (!f->t.stop) {
        long fin_line = f->t.row_line;
        if (csv_fini(&f->p, on_field, on_row, &f->t) != 0) {
            f->t.error = "UNTERMINATED_QUOTE";
            f->t.bufn = f->t.noff = 0;
            emit(&f->t, fin_line);
        }
    }
}

static sirecon_status
parse(const char *text, size_t n, char delim, table_row_fn fn, void *ctx,
      struct diag *d, bool release)
{
    struct feeder f;
    sirecon_status rc = SIRECON_OK;
    size_t pos = 0, released = 0;

    if (feeder_init(&f, delim, fn, ctx) != 0)
        return diag_set(d, SIRECON_ERR_NOMEM, NULL, 0, "csv_init failed");
    if (release) {
        /* the passes before the parse (SHA-256, encoding, line count) left
         * the whole file resident: let it go now, before any record is
         * made, and fault it back in as the parse goes (MADV_SEQUENTIAL
         * reads ahead), so that at most a window of it is held beside the
         * records (the load's peak: the file and the records together) */
        uintptr_t lo = ((uintptr_t)text + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
        uintptr_t hi = ((uintptr_t)text + n) & ~(uintptr_t)(PAGE - 1);
        if (hi > lo)
            madvise((void *)lo, hi - lo, MADV_DONTNEED);
    }
    while (pos < n && !f.t.stop && rc == SIRECON_OK) {
        size_t k = n - pos < RELEASE_STEP ? n - pos : RELEASE_STEP;
        rc = feed(&f, text + pos, k, d);
        pos += k;
        if (release) {
            /* whole pages before the current row only: libcsv copied what
             * it keeps of an unfinished row into its own buffer */
            uintptr_t lo = ((uintptr_t)text + released + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
            uintptr_t hi = ((uintptr_t)text + pos) & ~(uintptr_t)(PAGE - 1);
            if (hi > lo)
                madvise((void *)lo, hi - lo, MADV_DONTNEED);
            released = pos;
        }
    }
    if (rc == SIRECON_OK)
        feeder_fini(&f);
    feeder_free(&f);
    return rc;
}

sirecon_status
table_parse_stream(table_read_fn rd, void *rctx, char delim, table_row_fn fn, void *ctx,
                   struct diag *d)
{
    struct feeder f;
    sirecon_status rc = SIRECON_OK;
    char *buf = xmalloc(TABLE_CHUNK);
    size_t got;

    if (feeder_init(&f, delim, fn, ctx) != 0) {
        free(buf);
        return diag_set(d, SIRECON_ERR_NOMEM, NULL, 0, "csv_init failed");
    }
    while (!f.t.stop && rc == SIRECON_OK) {
        if ((rc = rd(rctx, buf, TABLE_CHUNK, &got, d)) != SIRECON_OK || got == 0)
            break;
        rc = feed(&f, buf, got, d);
    }
    if (rc == SIRECON_OK)
        feeder_fini(&f);
    feeder_free(&f);
    free(buf);
    return rc;
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
