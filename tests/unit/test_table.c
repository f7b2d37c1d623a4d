/*
 * test_table.c - table_parse() as an event stream (docs/architecture.md, "Code conventions"): raw bytes
 * in, a string of events out.  Each row becomes "[cell|cell]@LINE", a row
 * with an error "ERR(CODE)@LINE"; rows are separated by one space.  Cells
 * longer than 32 bytes print as "<N bytes>" so the 64 KiB cases stay short.
 * Covered: LF, CRLF, the BOM (left in place: stripping it is source.c's
 * job), blank lines, quoted fields, quoted newlines, quote at EOF, stray
 * quotes, ragged rows, field length limit, final line without newline,
 * delimiters, trimming, and the stop contract.  Then table_sniff_delim().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sirecon/table.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* ---- the event recorder ------------------------------------------------- */

struct rec {
    char *s;            /* events so far, NUL-terminated */
    size_t n, cap;
    int rows;           /* rows seen */
    int stop_after;     /* return non-zero once this many rows were seen; 0 never */
};

static void
rec_put(struct rec *r, const char *s, size_t n)
{
    if (r->n + n + 1 > r->cap) {
        r->cap = (r->n + n + 1) * 2;
        r->s = realloc(r->s, r->cap);
        assert_non_null(r->s);
    }
    memcpy(r->s + r->n, s, n);
    r->n += n;
    r->s[r->n] = '\0';
}

static void
rec_puts(struct rec *r, const char *s)
{
    rec_put(r, s, strlen(s));
}

static int
on_row(void *ctx, const struct table_row *row)
{
    struct rec *r = ctx;
    char num[64];

    assert_true(row->ncells >= 1); /* even a blank line has one cell */
    if (r->rows > 0)
        rec_puts(r, " ");
    if (row->error != NULL) {
        rec_puts(r, "ERR(");
        rec_puts(r, row->error);
        rec_puts(r, ")");
    } else {
        rec_puts(r, "[");
        for (size_t i = 0; i < row->ncells; i++) {
            if (i)
                rec_puts(r, "|");
            if (row->cells[i].n > 32) {
                snprintf(num, sizeof num, "<%zu bytes>", row->cells[i].n);
                rec_puts(r, num);
            } else {
                rec_put(r, row->cells[i].s, row->cells[i].n);
            }
        }
        rec_puts(r, "]");
    }
    snprintf(num, sizeof num, "@%ld", row->line);
    rec_puts(r, num);
    r->rows++;
    return r->stop_after && r->rows >= r->stop_after;
}

/* Parse exactly n bytes (copied to a buffer of that size, so a read past the
 * end shows under ASan) and return the events (caller frees). */
static char *
events_n(const char *in, size_t n, char delim, int stop_after)
{
    struct rec r = {NULL, 0, 0, 0, stop_after};
    struct diag d;
    char *buf = malloc(n ? n : 1);

    assert_non_null(buf);
    memcpy(buf, in, n);
    memset(&d, 0, sizeof d);
    rec_puts(&r, "");
    assert_int_equal(table_parse(buf, n, delim, on_row, &r, &d), SIRECON_OK);
    free(buf);
    return r.s;
}

static char *
events(const char *in, char delim)
{
    return events_n(in, strlen(in), delim, 0);
}

/* ---- table-driven cases ------------------------------------------------- */

struct ecase {
    const char *name;
    const char *in;
    char delim;
    const char *want;
};

static const struct ecase cases[] = {
    {"plain LF", "a,b,c\nd,e,f\n", ',', "[a|b|c]@1 [d|e|f]@2"},
    {"CRLF: no phantom row for the LF", "a,b\r\nc,d\r\n", ',', "[a|b]@1 [c|d]@2"},
    {"CRLF with a blank line", "a,b\r\n\r\nc,d\r\n", ',', "[a|b]@1 []@2 [c|d]@3"},
    {"CRLF, last line without terminator", "a,b\r\nc,d", ',', "[a|b]@1 [c|d]@2"},
    {"CRLF inside quotes is data", "\"x\r\ny\",b\r\nc\r\n", ',', "[x\r\ny|b]@1 [c]@3"},
    {"BOM stays in the first cell (source.c strips it)",
     "\xEF\xBB\xBF" "a,b\nc,d\n", ',', "[\xEF\xBB\xBF" "a|b]@1 [c|d]@2"},
    {"blank lines are rows of one empty cell", "a\n\nb\n\n\nc\n", ',',
     "[a]@1 []@2 [b]@3 []@4 []@5 [c]@6"},
    {"leading blank line", "\na,b\n", ',', "[]@1 [a|b]@2"},
    {"spaces-only line is blank", "a\n   \nb\n", ',', "[a]@1 []@2 [b]@3"},
    {"line of one delimiter: two empty cells", "a\n,\nb\n", ',', "[a]@1 [|]@2 [b]@3"},
    {"quoted newline: row reports its first line",
     "h1,h2\n\"multi\nline\",x\nnext,y\n", ',',
     "[h1|h2]@1 [multi\nline|x]@2 [next|y]@4"},
    {"quoted field spanning a blank line",
     "\"a\n\nb\",c\nd\n", ',', "[a\n\nb|c]@1 [d]@4"},
    {"quoted delimiter and doubled quote",
     "\"x,y\",\"say \"\"hi\"\"\"\n", ',', "[x,y|say \"hi\"]@1"},
    {"quote open at EOF: UNTERMINATED_QUOTE at the row's first line",
     "a,b\nc,\"open\nmore\nstill\n", ',', "[a|b]@1 ERR(UNTERMINATED_QUOTE)@2"},
    {"quote open at EOF, no final newline", "a\n\"b", ',',
     "[a]@1 ERR(UNTERMINATED_QUOTE)@2"},
    {"stray quote in an unquoted field, then resume",
     "a,b\nab\"c,d\ne,f\n", ',', "[a|b]@1 ERR(MALFORMED_QUOTE)@2 [e|f]@3"},
    {"text after a closing quote", "\"ab\"c,d\ne\n", ',',
     "ERR(MALFORMED_QUOTE)@1 [e]@2"},
    {"stray quote in a row that began lines earlier",
     "\"a\nb\"x,c\nd,e\n", ',', "ERR(MALFORMED_QUOTE)@1 [d|e]@3"},
    {"two malformed rows in a row", "x\"1\ny\"2\nz\n", ',',
     "ERR(MALFORMED_QUOTE)@1 ERR(MALFORMED_QUOTE)@2 [z]@3"},
    {"malformed last line without newline", "a\nb\"c", ',',
     "[a]@1 ERR(MALFORMED_QUOTE)@2"},
    {"ragged rows keep their own cell count",
     "a,b,c\nd,e\nf,g,h,i\nj\n", ',', "[a|b|c]@1 [d|e]@2 [f|g|h|i]@3 [j]@4"},
    {"trailing delimiter: an empty last cell", "a,b,\n", ',', "[a|b|]@1"},
    {"final line without newline", "a,b\nc,d", ',', "[a|b]@1 [c|d]@2"},
    {"single line without newline", "x", ',', "[x]@1"},
    {"empty input: no rows", "", ',', ""},
    {"semicolon", "a;b,c;d\n", ';', "[a|b,c|d]@1"},
    {"tab", "a\tb,c\td\n", '\t', "[a|b,c|d]@1"},
    {"pipe", "a|b;c|d\n", '|', "[a|b;c|d]@1"},
    {"spaces around unquoted fields are trimmed", "  a  , b ,c \n", ',',
     "[a|b|c]@1"},
    {"inner spaces are kept", " Nguyễn Văn  A ,x\n", ',', "[Nguyễn Văn  A|x]@1"},
    {"spaces inside quotes are kept", "\" a \",b\n", ',', "[ a |b]@1"},
    {"simply quoted fields, an empty one, CRLF",
     "1,\"Lê, Như\",,\"\",x\r\n\"a\"\r\n\"\"\n", ',', "[1|Lê, Như|||x]@1 [a]@2 []@3"},
    {"spaces between quote and delimiter, before a quote", "\"a\"  ,b\n \"c\",d\n", ',',
     "[a|b]@1 [c|d]@2"},
    {"tabs are delimiters in a tab file", "\ta\t\tb \t c\n", '\t', "[|a||b|c]@1"},
    {"tabs are not trimmed in a comma file", "\ta\t,b\n", ',', "[\ta\t|b]@1"},
};

static void
test_event_cases(void **state)
{
    int bad = 0;

    for (size_t i = 0; i < N_OF(cases); i++) {
        char *got = events(cases[i].in, cases[i].delim);
        if (strcmp(got, cases[i].want) != 0) {
            print_error("case \"%s\":\n  want: %s\n  got:  %s\n", cases[i].name,
                        cases[i].want, got);
            bad++;
        }
        free(got);
    }
    assert_int_equal(bad, 0);
}

/* A NUL byte inside the text is data, not an end of input. */
static void
test_nul_byte(void **state)
{
    static const char in[] = "a\0b,c\nd\n";
    char *got = events_n(in, sizeof in - 1, ',', 0);

    assert_int_equal(strlen(got), 2); /* "[a" then the NUL of the cell */
    assert_string_equal(got + 3, "b|c]@1 [d]@2");
    free(got);
}

/* ---- field length limit -------------------------------------------------- */

static char *
long_input(size_t field, const char *prefix, const char *suffix, size_t *n)
{
    size_t pn = strlen(prefix), sn = strlen(suffix);
    char *s = malloc(pn + field + sn + 1);

    assert_non_null(s);
    memcpy(s, prefix, pn);
    memset(s + pn, 'x', field);
    memcpy(s + pn + field, suffix, sn + 1);
    *n = pn + field + sn;
    return s;
}

static void
test_field_too_long(void **state)
{
    size_t n;
    char *in, *got;

    /* Exactly the limit is fine. */
    in = long_input(TABLE_MAX_FIELD, "h\na,", ",b\nc\n", &n);
    got = events_n(in, n, ',', 0);
    assert_string_equal(got, "[h]@1 [a|<65536 bytes>|b]@2 [c]@3");
    free(got);
    free(in);

    /* One byte more rejects the row; the next row is intact. */
    in = long_input(TABLE_MAX_FIELD + 1, "h\na,", ",b\nc\n", &n);
    got = events_n(in, n, ',', 0);
    assert_string_equal(got, "[h]@1 ERR(FIELD_TOO_LONG)@2 [c]@3");
    free(got);
    free(in);

    /* Quoted, spanning lines: still reported at its first line. */
    in = long_input(TABLE_MAX_FIELD + 10, "h\n\"\n", "\n\",b\nc\n", &n);
    got = events_n(in, n, ',', 0);
    assert_string_equal(got, "[h]@1 ERR(FIELD_TOO_LONG)@2 [c]@5");
    free(got);
    free(in);

    /* On the last line without a newline. */
    in = long_input(TABLE_MAX_FIELD + 1, "h\n", "", &n);
    got = events_n(in, n, ',', 0);
    assert_string_equal(got, "[h]@1 ERR(FIELD_TOO_LONG)@2");
    free(got);
    free(in);
}

/* ---- the stop contract --------------------------------------------------- */

static void
test_stop(void **state)
{
    char *got;

    got = events_n("a\nb\nc\n", 6, ',', 1);
    assert_string_equal(got, "[a]@1");
    free(got);
    got = events_n("a\nb\nc\n", 6, ',', 2);
    assert_string_equal(got, "[a]@1 [b]@2");
    free(got);
    /* Stopping on the last row (no newline, delivered by csv_fini). */
    got = events_n("a\nb", 3, ',', 2);
    assert_string_equal(got, "[a]@1 [b]@2");
    free(got);
    /* Stopping on an error row: nothing after it. */
    got = events_n("a\"x\nb\nc\n", 8, ',', 1);
    assert_string_equal(got, "ERR(MALFORMED_QUOTE)@1");
    free(got);
    /* Stopping before a quote open at EOF: no error row reported. */
    got = events_n("a\n\"b\n", 5, ',', 1);
    assert_string_equal(got, "[a]@1");
    free(got);
}

/* Many rows, to cross libcsv's block size and our buffer growth. */
static void
test_many_rows(void **state)
{
    enum { N = 4999 };
    size_t cap = (size_t)N * 40, n = 0;
    char *in = malloc(cap);
    struct rec r = {NULL, 0, 0, 0, 0};
    struct diag d;

    assert_non_null(in);
    for (int i = 1; i <= N; i++)
        n += (size_t)snprintf(in + n, cap - n, i % 7 ? "%d,\"v%d\"\r\n" : "\r\n", i, i);
    rec_puts(&r, "");
    assert_int_equal(table_parse(in, n, ',', on_row, &r, &d), SIRECON_OK);
    assert_int_equal(r.rows, N);
    /* The last row is line N and a blank line (i % 7 == 0) before it. */
    char want[64];
    snprintf(want, sizeof want, " []@%d [%d|v%d]@%d", N - 1, N, N, N);
    assert_true(N % 7 != 0 && (N - 1) % 7 == 0);
    assert_non_null(strstr(r.s, want));
    assert_int_equal(strcmp(r.s + strlen(r.s) - strlen(want), want), 0);
    free(r.s);
    free(in);
}

/* ---- table_sniff_delim() ------------------------------------------------- */

struct scase {
    const char *name;
    const char *in;
    char want;
};

static const struct scase sniffs[] = {
    {"comma", "a,b,c\n1,2,3\n4,5,6\n", ','},
    {"semicolon", "a;b;c\n1;2;3\n", ';'},
    {"semicolon with commas inside quoted money",
     "name;income;tax\nA;\"1,234,567\";\"2,345,678\"\nB;\"1,234,567\";\"2,345,678\"\n"
     "C;\"1,234,567\";\"2,345,678\"\n",
     ';'},
    {"semicolon with decimal-comma money", "a;b\nX;\"1,5\"\nY;\"2,5\"\n", ';'},
    {"tab", "a\tb\tc\n1\t2\t3\n", '\t'},
    {"tab with spaces in cells", "Họ và tên\tMã số thuế\nNguyễn Văn A\t0100233488\n", '\t'},
    {"pipe", "a|b|c|d\n1|2|3|4\n", '|'},
    {"title block above a semicolon table",
     "CONG HOA XA HOI CHU NGHIA VIET NAM\n"
     "Doc lap - Tu do - Hanh phuc\n"
     "BANG KE 05-1/BK-QTT-TNCN\n"
     "Ky tinh thue: 2025\n"
     "Ma so thue: 0100233488\n"
     "STT;Ho va ten;Ma so thue;Thu nhap\n"
     "1;A;0100233488;100\n"
     "2;B;0100233488;200\n",
     ';'},
    {"title line with a comma above a semicolon table",
     "Ha Noi, ngay 31 thang 3 nam 2026\n"
     "STT;Ho va ten;Ma so thue\n"
     "1;A;0100233488\n"
     "2;B;0100233488\n",
     ';'},
    {"CRLF, no final newline", "a;b;c\r\n1;2;3", ';'},
    {"BOM before a tab header", "\xEF\xBB\xBF" "a\tb\n1\t2\n", '\t'},
    {"quoted newline does not split a line", "a|b\n\"x\ny,z,w,v\"|1\n", '|'},
    {"nothing decides: comma", "one column\nvalue\n", ','},
    {"empty text: comma", "", ','},
};

static void
test_sniff(void **state)
{
    int bad = 0;

    for (size_t i = 0; i < N_OF(sniffs); i++) {
        size_t n = strlen(sniffs[i].in);
        char *buf = malloc(n ? n : 1);
        assert_non_null(buf);
        memcpy(buf, sniffs[i].in, n);
        char got = table_sniff_delim(buf, n);
        free(buf);
        if (got != sniffs[i].want) {
            print_error("sniff \"%s\": want '%c', got '%c'\n", sniffs[i].name,
                        sniffs[i].want, got);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The sniffed delimiter then parses the title-block file as intended. */
static void
test_sniff_then_parse(void **state)
{
    static const char in[] = "Bang ke\nKy: 2025\n\nSTT;Ten\n1;\"A, B\"\n";
    char d = table_sniff_delim(in, sizeof in - 1);
    char *got;

    assert_int_equal(d, ';');
    got = events(in, d);
    assert_string_equal(got, "[Bang ke]@1 [Ky: 2025]@2 []@3 [STT|Ten]@4 [1|A, B]@5");
    free(got);
}

/* Rows, cells and lines of a parse, summed: a fingerprint to compare. */
struct tally {
    long rows, cells, last_line, errors;
    unsigned long hash;
};

static int
tally_row(void *ctx, const struct table_row *r)
{
    struct tally *t = ctx;

    t->rows++;
    t->cells += (long)r->ncells;
    t->last_line = r->line;
    t->errors += r->error != NULL;
    for (size_t i = 0; i < r->ncells; i++)
        for (size_t k = 0; k < r->cells[i].n; k++)
            t->hash = t->hash * 31 + (unsigned char)r->cells[i].s[k];
    return 0;
}

/* A mapped file larger than the release step parses exactly like the same
 * bytes in memory, pages given back on the way or not. */
static void
test_mapped_release(void **state)
{
    char path[] = "/tmp/sirecon-table-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    long rows = 0;
    struct tally a = {0}, b = {0};

    assert_non_null(f);
    for (size_t bytes = 0; bytes < (20u << 20); rows++)
        bytes += (size_t)fprintf(f, "%ld,\"Nguy\xe1\xbb\x85n\nV\xc4\x83n %ld\",%ld\r\n",
                                 rows, rows, rows * 7);
    assert_int_equal(fclose(f), 0);
    fd = open(path, O_RDONLY);
    off_t size = lseek(fd, 0, SEEK_END);
    char *m = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    assert_true(m != MAP_FAILED);
    char *copy = malloc((size_t)size);
    memcpy(copy, m, (size_t)size);
    assert_int_equal(table_parse(copy, (size_t)size, ',', tally_row, &a, NULL), SIRECON_OK);
    assert_int_equal(table_parse_mapped(m, (size_t)size, ',', tally_row, &b, NULL), SIRECON_OK);
    assert_int_equal(a.rows, rows);
    assert_int_equal(a.last_line, 2 * rows - 1); /* each row spans two lines */
    assert_int_equal(a.errors, 0);
    assert_int_equal(b.rows, a.rows);
    assert_int_equal(b.cells, a.cells);
    assert_int_equal(b.last_line, a.last_line);
    assert_int_equal(b.hash, a.hash);
    munmap(m, (size_t)size);
    close(fd);
    free(copy);
    unlink(path);
}

/* ---- streams: the same events whatever the chunk boundaries ------------ */

struct piecewise {
    const char *s;
    size_t n, pos, step; /* give 1, 2, ..., step bytes in turn */
    size_t k;
};

static sirecon_status
read_pieces(void *ctx, char *buf, size_t cap, size_t *got, struct diag *d)
{
    struct piecewise *p = ctx;
    size_t k = 1 + p->k++ % p->step;

    (void)d;
    if (k > cap)
        k = cap;
    if (k > p->n - p->pos)
        k = p->n - p->pos;
    memcpy(buf, p->s + p->pos, k);
    p->pos += k;
    *got = k;
    return SIRECON_OK;
}

static char *
stream_events(const char *in, size_t n, char delim, size_t step)
{
    struct rec r = {NULL, 0, 0, 0, 0};
    struct piecewise pw = {in, n, 0, step, 0};
    struct diag d;

    memset(&d, 0, sizeof d);
    rec_puts(&r, "");
    assert_int_equal(table_parse_stream(read_pieces, &pw, delim, on_row, &r, &d), SIRECON_OK);
    return r.s;
}

/* Every event case, read in pieces of 1..7 bytes: records, CRLF pairs,
 * quoted fields with line breaks and errors straddle the pieces. */
static void
test_stream_pieces(void **state)
{
    int bad = 0;

    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++)
        for (size_t step = 1; step <= 7; step++) {
            char *got = stream_events(cases[i].in, strlen(cases[i].in), cases[i].delim, step);
            if (strcmp(got, cases[i].want) != 0) {
                print_error("case \"%s\", pieces of 1..%zu:\n  want: %s\n  got:  %s\n",
                            cases[i].name, step, cases[i].want, got);
                bad++;
            }
            free(got);
        }
    assert_int_equal(bad, 0);
}

/* A record that never ends (an unclosed quote, no line end at all) stops
 * the file with its first line, in memory bounded by the limit. */
static void
test_record_limit(void **state)
{
    size_t n = TABLE_MAX_RECORD + (1u << 20);
    char *in = malloc(n);
    struct rec r = {NULL, 0, 0, 0, 0};
    struct diag d;

    (void)state;
    assert_non_null(in);
    memcpy(in, "a,b\n\"open", 9);
    memset(in + 9, 'x', n - 9);
    for (size_t i = 100; i < n; i += 100)
        in[i] = '\n'; /* lines, all inside the open quote */
    memset(&d, 0, sizeof d);
    rec_puts(&r, "");
    assert_int_equal(table_parse(in, n, ',', on_row, &r, &d), SIRECON_ERR_DATA);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "a record longer than"));
    assert_string_equal(r.s, "[a|b]@1");
    free(r.s);
    /* the same through a stream, and with no line end at all */
    memset(in, 'y', n);
    struct piecewise pw = {in, n, 0, 1 << 16, 1 << 15};
    r.s = NULL; r.n = r.cap = 0; r.rows = 0;
    rec_puts(&r, "");
    memset(&d, 0, sizeof d);
    assert_int_equal(table_parse_stream(read_pieces, &pw, ',', on_row, &r, &d),
                     SIRECON_ERR_DATA);
    assert_int_equal(d.line, 1);
    assert_true(pw.pos < n); /* stopped before the end */
    free(r.s);
    free(in);
}

/* The line fast path (plain_line) against libcsv itself, on generated
 * inputs that give the same events either way, in one piece and in a
 * stream of small pieces.  Half are random bytes over a small alphabet
 * (delimiters, spaces, CR, LF, quotes, a two-byte letter); half are lines
 * built field by field: unquoted cells, simple quoted ones ("Lê, Như Thơ",
 * "" -- the fast path's) and the near-misses that stay on libcsv (a doubled
 * quote, a quote mid-field, spaces between a quote and the delimiter or
 * before an opening quote, text after a closing quote, a line break or CR
 * inside quotes, a quote left open), ending in LF, CRLF, a lone CR or
 * nothing. */
extern bool table_plain_lines;

static uint64_t
xorshift(uint64_t *x)
{
    *x ^= *x << 13; *x ^= *x >> 7; *x ^= *x << 17;
    return *x;
}

static size_t
gen_bytes(uint64_t *x, char *in)
{
    static const char *const alpha[] = {"a", "b", " ", " ", ",", ";", "\t", "|", "\r",
                                        "\n", "\n", "\n", "\"", "\xC4\x90", "\r\n"};
    size_t n = 0, len = (size_t)(xorshift(x) % 40);

    for (size_t i = 0; i < len; i++) {
        uint64_t r = xorshift(x);
        /* quotes rarely, so most lines take the fast path */
        size_t pick = (size_t)(r % N_OF(alpha));
        if (pick == 12 && r % 5 != 0)
            pick = 0;
        memcpy(in + n, alpha[pick], strlen(alpha[pick]));
        n += strlen(alpha[pick]);
    }
    return n;
}

/* Up to 4 lines of up to 5 fields; *simple counts the lines with a quoted
 * field that the fast path may take (all fields unquoted or simply quoted,
 * ending in LF or CRLF). */
static size_t
gen_fields(uint64_t *x, char *in, char delim, int *simple)
{
    static const char *const text[] = {"a", "b", " ", "\xC4\x90", ",", ";", "\t", "|"};
    static const char *const miss[] = {
        "\"a\"\"b\"", "\"\"\"\"", "\"\"\"", "ab\"c", "a\"", "\"a\"  ", "\"\" ", "  \"a\"",
        " \"\"", "\"a\"b", "\"\"x", "\"a\nb\"", "\"a\r\nb\"", "\"a\rb\"", "\"ab", "\"",
    };
    static const char *const ends[] = {"\n", "\n", "\n", "\r\n", "\r\n", "\r", ""};
    size_t n = 0, lines = 1 + (size_t)(xorshift(x) % 4);

    for (size_t l = 0; l < lines; l++) {
        size_t fields = (size_t)(xorshift(x) % 6);
        int quoted = 0, missed = 0;
        for (size_t k = 0; k < fields; k++) {
            uint64_t r = xorshift(x);
            if (k > 0)
                in[n++] = r % 23 ? delim : ',';
            switch (r / 23 % 8) {
            case 0: case 1: case 2: /* unquoted, maybe with spaces */
                for (size_t i = (size_t)(r / 256 % 4); i > 0; i--) {
                    const char *c = text[xorshift(x) % 4];
                    memcpy(in + n, c, strlen(c));
                    n += strlen(c);
                }
                break;
            case 3: case 4: case 5: case 6: /* simply quoted, delimiters inside */
                in[n++] = '"';
                for (size_t i = (size_t)(r / 256 % 6); i > 0; i--) {
                    const char *c = text[xorshift(x) % N_OF(text)];
                    memcpy(in + n, c, strlen(c));
                    n += strlen(c);
                }
                in[n++] = '"';
                quoted = 1;
                break;
            default: { /* a near-miss */
                const char *c = miss[r / 256 % N_OF(miss)];
                memcpy(in + n, c, strlen(c));
                n += strlen(c);
                missed = 1;
                break;
            }
            }
        }
        const char *e = ends[xorshift(x) % N_OF(ends)];
        if (quoted && !missed && *e == '\n')
            (*simple)++;
        memcpy(in + n, e, strlen(e));
        n += strlen(e);
    }
    return n;
}

static void
test_plain_lines_as_libcsv(void **state)
{
    static const char delims[] = {',', ';', '\t', '|'};
    uint64_t x = 88172645463325252ull; /* xorshift: the same inputs every run */
    char in[512];
    int bad = 0, simple = 0;

    (void)state;
    for (int k = 0; k < 40000 && bad < 5; k++) {
        char delim = delims[k / 2 % 4];
        size_t n = k % 2 ? gen_fields(&x, in, delim, &simple) : gen_bytes(&x, in);
        table_plain_lines = false;
        char *want = events_n(in, n, delim, 0);
        char *want_s = stream_events(in, n, delim, 3);
        table_plain_lines = true;
        char *got = events_n(in, n, delim, 0);
        char *got_s = stream_events(in, n, delim, 3);
        if (strcmp(want, got) != 0 || strcmp(want_s, got_s) != 0 || strcmp(want, want_s) != 0) {
            print_error("input %d (%zu bytes): %.*s\n  libcsv: %s\n  fast:   %s\n", k, n,
                        (int)n, in, want, got);
            bad++;
        }
        free(want); free(got); free(want_s); free(got_s);
    }
    assert_int_equal(bad, 0);
    assert_true(simple > 5000); /* the quoted fast path had its share */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_cases),
        cmocka_unit_test(test_plain_lines_as_libcsv),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_sniff_then_parse),
        cmocka_unit_test(test_mapped_release),
        cmocka_unit_test(test_stream_pieces),
        cmocka_unit_test(test_record_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
