/*
 * xlsx.c - the first worksheet of an .xlsx workbook -> CSV text.
 *
 * minizip reads the zip straight from memory (our own zlib_filefunc64_def
 * over the buffer: Debian's minizip 1.1 has no memory API).  Each XML part
 * is inflated in 64 KiB chunks and fed to expat as it comes, so no part is
 * ever whole in memory.  Order: xl/workbook.xml gives the first <sheet>'s
 * relationship id; xl/_rels/workbook.xml.rels gives its part and the
 * shared-strings part; the shared strings are loaded into one buffer; the
 * sheet is streamed row by row into CSV.  A row is written once its </row>
 * is seen (cells sorted by column if a writer put them out of order); the
 * widest row is known only at the end, so a last pass pads short lines.
 * Element names are matched by local name, so prefixed ("x:c") and Strict
 * OOXML namespaces read the same.
 */
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>
#include "sirecon/xlsx.h"

#ifdef SIRECON_TEST_LIMITS
#define XLSX_MAX_PART ((ZPOS64_T)1 << 20) /* tests reach the limit cheaply */
#else
#define XLSX_MAX_PART ((ZPOS64_T)2 << 30) /* 2 GiB uncompressed per part */
#endif
#define XLSX_RATIO 200u                       /* uncompressed : compressed, */
#define XLSX_RATIO_FROM ((ZPOS64_T)100 << 20) /* past the first 100 MiB */
#define XLSX_MAX_ROWS 1048576L /* Excel's own sheet size */
#define XLSX_MAX_COLS 16384L
#define XLSX_CHUNK 65536
#define XLSX_BAD "not a readable .xlsx workbook: "


/* ---- the zip, in memory ------------------------------------------------- */

struct membuf {
    const unsigned char *p;
    size_t n, pos;
};

static voidpf ZCALLBACK
mem_open(voidpf opaque, const void *name, int mode)
{
    struct membuf *m = opaque;

    if (mode & ZLIB_FILEFUNC_MODE_WRITE)
        return NULL;
    m->pos = 0;
    return m;
}

static uLong ZCALLBACK
mem_read(voidpf opaque, voidpf stream, void *b, uLong size)
{
    struct membuf *m = stream;
    size_t k = m->n - m->pos < size ? m->n - m->pos : size;

    if (k)
        memcpy(b, m->p + m->pos, k);
    m->pos += k;
    return (uLong)k;
}

static uLong ZCALLBACK
mem_write(voidpf opaque, voidpf stream, const void *b, uLong size)
{
    return 0; /* read-only */
}

static ZPOS64_T ZCALLBACK
mem_tell(voidpf opaque, voidpf stream)
{
    return ((struct membuf *)stream)->pos;
}

static long ZCALLBACK
mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    struct membuf *m = stream;
    ZPOS64_T base;

    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = m->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = m->n; break;
    default: return -1;
    }
    if (off > m->n - base)
        return -1;
    m->pos = (size_t)(base + off);
    return 0;
}

static int ZCALLBACK
mem_close(voidpf opaque, voidpf stream)
{
    return 0;
}

static int ZCALLBACK
mem_error(voidpf opaque, voidpf stream)
{
    return 0;
}

/* ---- XML parts ------------------------------------------------------------ */

/* What every part's handler context starts with. */
struct xctx {
    XML_Parser p;
    sirecon_status st;  /* first error raised by a handler */
    struct diag *d;
};

/* Raise a data error from inside a handler and stop the parse. */
static void
xfail(struct xctx *x, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
xfail(struct xctx *x, long line, const char *fmt, ...)
{
    char msg[sizeof x->d->msg];
    va_list ap;

    if (x->st != SIRECON_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->st = diag_set(x->d, SIRECON_ERR_DATA, NULL, line, "%s", msg);
    XML_StopParser(x->p, XML_FALSE);
}

/* xfail() and leave the (void) handler. */
#define XFAIL_RET(...)                                                         \
    do {                                                                       \
        xfail(__VA_ARGS__);                                                    \
        return;                                                                \
    } while (0)

/* The local part of an expat name "uri|local" (or "local"). */
static const char *
local(const XML_Char *name)
{
    const char *s = strrchr(name, '|');
    return s ? s + 1 : name;
}

/* The value of the attribute with local name key, or NULL. */
static const char *
attr(const XML_Char **a, const char *key)
{
    for (; a[0] != NULL; a += 2)
        if (strcmp(local(a[0]), key) == 0)
            return a[1];
    return NULL;
}

/* Workbooks carry no DTD; refusing one keeps entity tricks out. */
static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
           const XML_Char *pub, int has_internal)
{
    xfail(ud, 0, XLSX_BAD "a part declares a DTD");
}

/*
 * Stream the zip entry name through a new expat parser with the given
 * handlers and context (which starts with a struct xctx).  missing_ok: an
 * absent part is no error.
 */
static sirecon_status
parse_part(unzFile zf, const char *name, XML_StartElementHandler start,
           XML_EndElementHandler end, XML_CharacterDataHandler text,
           struct xctx *x, int missing_ok)
{
    unz_file_info64 info;
    XML_Parser p;
    char *chunk;
    ZPOS64_T total = 0;
    int r, last = 0;

    if (unzLocateFile(zf, name, 2) != UNZ_OK) {
        if (missing_ok)
            return SIRECON_OK;
        return diag_set(x->d, SIRECON_ERR_DATA, NULL, 0, XLSX_BAD "no %s in the zip",
                        name);
    }
    if (unzGetCurrentFileInfo64(zf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return diag_set(x->d, SIRECON_ERR_DATA, NULL, 0, XLSX_BAD "%s: bad zip entry",
                        name);
    if (info.uncompressed_size > XLSX_MAX_PART)
        goto too_big;
    if ((p = XML_ParserCreateNS(NULL, '|')) == NULL)
        return diag_set(x->d, SIRECON_ERR_INTERNAL, NULL, 0,
                        "cannot create an XML parser (out of memory)");
    if (unzOpenCurrentFile(zf) != UNZ_OK) {
        XML_ParserFree(p);
        return diag_set(x->d, SIRECON_ERR_DATA, NULL, 0,
                        XLSX_BAD "%s cannot be opened (encrypted or unknown "
                        "compression)", name);
    }
    x->p = p;
    x->st = SIRECON_OK;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    chunk = xmalloc(XLSX_CHUNK);
    for (;;) {
        r = unzReadCurrentFile(zf, chunk, XLSX_CHUNK);
        if (r < 0) {
            x->st = diag_set(x->d, SIRECON_ERR_DATA, NULL, 0,
                             XLSX_BAD "%s: corrupt compressed data", name);
            break;
        }
        total += (ZPOS64_T)r;
        if (total > XLSX_MAX_PART) /* the header may lie */
            break;
        if (total > XLSX_RATIO_FROM && total / XLSX_RATIO > info.compressed_size) {
            /* a zip bomb: far more text than a sheet of that size holds */
            x->st = diag_set(x->d, SIRECON_ERR_DATA, NULL, 0,
                             XLSX_BAD "%s decompresses to over %u times its size "
                             "(%llu MiB so far): a zip bomb? refused", name, XLSX_RATIO,
                             (unsigned long long)(total >> 20));
            break;
        }
        last = r == 0;
        if (XML_Parse(p, chunk, r, last) != XML_STATUS_OK) {
            if (x->st == SIRECON_OK)
                x->st = diag_set(x->d, SIRECON_ERR_DATA, NULL, 0,
                                 XLSX_BAD "broken XML in %s, line %lu: %s", name,
                                 (unsigned long)XML_GetCurrentLineNumber(p),
                                 XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (last)
            break;
    }
    free(chunk);
    XML_ParserFree(p);
    x->p = NULL;
    r = unzCloseCurrentFile(zf);
    if (total > XLSX_MAX_PART)
        goto too_big;
    if (x->st == SIRECON_OK && r == UNZ_CRCERROR)
        x->st = diag_set(x->d, SIRECON_ERR_DATA, NULL, 0,
                         XLSX_BAD "%s: checksum mismatch (damaged file)", name);
    return x->st;
too_big:
    return diag_set(x->d, SIRECON_ERR_DATA, NULL, 0,
                    "%s is over %llu MiB uncompressed: too big to read", name,
                    (unsigned long long)(XLSX_MAX_PART >> 20));
}

/* ---- workbook.xml and its relationships ----------------------------------- */

/* A <sheet> of xl/workbook.xml, in workbook order. */
struct wsheet {
    char *name;         /* as Excel shows it on its tab */
    char *rid;          /* its r:id */
    char *part;         /* its part, from the rels */
    char *type;         /* its relationship type */
};

struct wb {
    struct xctx x;
    struct wsheet *sh;
    size_t nsh, cap;
    char *sst;          /* the shared-strings part, if any */
};

static void XMLCALL
wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct wb *w = ud;
    const char *id, *nm;

    if (strcmp(local(name), "sheet") == 0) {
        if ((id = attr(a, "id")) == NULL) {
            xfail(&w->x, 0, XLSX_BAD "a <sheet> in xl/workbook.xml has no r:id");
            return;
        }
        nm = attr(a, "name");
        w->sh = xgrow(w->sh, &w->cap, w->nsh + 1, sizeof *w->sh);
        w->sh[w->nsh++] = (struct wsheet){xstrdup(nm ? nm : ""), xstrdup(id), NULL, NULL};
    }
}

/* The zip path of a relationship target of a part in xl/: "/xl/a.xml" is
 * absolute, "worksheets/s.xml" and "../xl/s.xml" are relative to xl/.
 * xmalloc'd. */
STATIC char *
xlsx_resolve(const char *target)
{
    struct sbuf b = {0};
    const char *s = target;

    if (*s == '/')
        s++;
    else
        sbuf_put(&b, "xl/", 3);
    while (*s) {
        const char *e = strchr(s, '/');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == 2 && s[0] == '.' && s[1] == '.') {
            if (b.n > 0) { /* drop the last "dir/" */
                b.n--;
                while (b.n > 0 && b.s[b.n - 1] != '/')
                    b.n--;
                b.s[b.n] = '\0';
            }
        } else if (k > 0 && !(k == 1 && s[0] == '.')) {
            sbuf_put(&b, s, k);
            if (e)
                sbuf_putc(&b, '/');
        }
        s += k + (e != NULL);
    }
    if (b.s == NULL)
        sbuf_put(&b, "", 0);
    return b.s;
}

static int
ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static void XMLCALL
rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct wb *w = ud;
    const char *id, *type, *target, *mode;

    if (strcmp(local(name), "Relationship") != 0)
        return;
    id = attr(a, "Id");
    type = attr(a, "Type");
    target = attr(a, "Target");
    mode = attr(a, "TargetMode");
    if (id == NULL || type == NULL || target == NULL ||
        (mode != NULL && strcmp(mode, "External") == 0))
        return;
    for (size_t i = 0; i < w->nsh; i++)
        if (w->sh[i].part == NULL && strcmp(id, w->sh[i].rid) == 0) {
            w->sh[i].part = xlsx_resolve(target);
            w->sh[i].type = xstrdup(type);
            return;
        }
    if (w->sst == NULL && ends_with(type, "/sharedStrings"))
        w->sst = xlsx_resolve(target);
}

static void XMLCALL
no_end(void *ud, const XML_Char *name)
{
}

static void XMLCALL
no_text(void *ud, const XML_Char *s, int len)
{
}

/* ---- cell text ------------------------------------------------------------ */

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void
put_utf8(struct sbuf *b, unsigned cp)
{
    char u[3];

    if (cp < 0x80) {
        sbuf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        sbuf_put(b, u, 2);
    } else {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        sbuf_put(b, u, 3);
    }
}

/*
 * Append string-cell text s[0..n) to b: OOXML's "_xHHHH_" escapes decoded
 * (Excel writes a CR as "_x000D_"), and every line break or other control
 * character made one space (CR LF counts once), so a cell never spans
 * lines in the CSV and line k stays row k.
 */
STATIC void
xlsx_put_text(struct sbuf *b, const char *s, size_t n)
{
    int after_cr = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned cp = (unsigned char)s[i];
        size_t adv = 0;

        if (cp == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]);
            int h2 = hexval(s[i + 4]), h3 = hexval(s[i + 5]);
            if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
                cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
                adv = 6;
            }
        }
        if (cp == '\n' && after_cr) {
            after_cr = 0;
        } else if (cp < 0x20 && cp != '\t') {
            sbuf_putc(b, ' ');
            after_cr = cp == '\r';
        } else if (adv && cp >= 0xD800 && cp <= 0xDFFF) {
            after_cr = 0; /* half a surrogate pair: nothing to write */
        } else {
            after_cr = 0;
            if (adv)
                put_utf8(b, cp);
            else
                sbuf_putc(b, (char)cp);
        }
        i += adv;
    }
}

/*
 * Append the number v[0..n) as stored in <v> (xsd:double text such as
 * "120000000", "3.4085001111E+10", "0.30000000000000004") the way Excel
 * shows it at most: rounded to 15 significant digits, then an integral
 * value under 10^15 as its integer digits and any other value in plain
 * decimal.  Exact decimal arithmetic on the text, no binary floating point.
 * Text that is not a number, or too large or small to spell out, is kept
 * as written.
 */
STATIC void
xlsx_put_number(struct sbuf *b, const char *v, size_t n)
{
    char dig[72];
    size_t nd = 0, i = 0;
    long point = 0, ex = 0, e;
    int neg = 0, seen = 0, dot = 0, exdig = 0, eneg = 0;

    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    v += i;
    n -= i;
    i = 0;
    if (i < n && (v[i] == '-' || v[i] == '+'))
        neg = v[i++] == '-';
    for (; i < n; i++) {
        if (v[i] >= '0' && v[i] <= '9') {
            seen = 1;
            if (nd == 0 && v[i] == '0') { /* a leading zero */
                if (dot)
                    point--;
                continue;
            }
            if (nd == sizeof dig)
                goto as_written;
            dig[nd++] = v[i];
            if (!dot)
                point++;
        } else if (v[i] == '.' && !dot) {
            dot = 1;
        } else {
            break;
        }
    }
    if (!seen)
        goto as_written;
    if (i < n && (v[i] == 'E' || v[i] == 'e')) {
        i++;
        if (i < n && (v[i] == '-' || v[i] == '+'))
            eneg = v[i++] == '-';
        for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, exdig++)
            if (ex < 100000)
                ex = ex * 10 + (v[i] - '0');
        if (exdig == 0)
            goto as_written;
    }
    if (i != n)
        goto as_written;
    if (nd == 0) {
        sbuf_putc(b, '0'); /* also "-0" and "0.000" */
        return;
    }
    e = point + (eneg ? -ex : ex); /* value = 0.dig * 10^e */
    if (nd > 15) {
        int up = dig[15] >= '5';
        nd = 15;
        for (size_t k = nd; up && k-- > 0;) {
            if (dig[k] == '9') {
                dig[k] = '0';
            } else {
                dig[k]++;
                up = 0;
            }
        }
        if (up) { /* 999..9 rounded up to 1000..0 */
            dig[0] = '1';
            nd = 1;
            e++;
        }
    }
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (e > 15 || e < -30)
        goto as_written;
    if (neg)
        sbuf_putc(b, '-');
    if (e >= (long)nd) { /* integral */
        sbuf_put(b, dig, nd);
        for (long k = (long)nd; k < e; k++)
            sbuf_putc(b, '0');
    } else if (e <= 0) {
        sbuf_put(b, "0.", 2);
        for (long k = e; k < 0; k++)
            sbuf_putc(b, '0');
        sbuf_put(b, dig, nd);
    } else {
        sbuf_put(b, dig, (size_t)e);
        sbuf_putc(b, '.');
        sbuf_put(b, dig + e, nd - (size_t)e);
    }
    return;
as_written:
    sbuf_put(b, v, n);
}

/*
 * A cell reference "B7" -> column index 1 (A = 0, Z = 25, AA = 26) and row
 * 7.  Returns 0 for anything else; columns past XFD come back as
 * XLSX_MAX_COLS or more so the caller can say so.
 */
STATIC int
xlsx_cell_ref(const char *s, long *col, long *row)
{
    long c = 0, r = 0;
    size_t i = 0;

    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++)
        if (c <= XLSX_MAX_COLS)
            c = c * 26 + ((s[i] | 0x20) - 'a' + 1);
    if (i == 0)
        return 0;
    if (s[i] < '0' || s[i] > '9')
        return 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++)
        if (r <= XLSX_MAX_ROWS)
            r = r * 10 + (s[i] - '0');
    if (s[i] != '\0' || r == 0)
        return 0;
    *col = c - 1;
    *row = r;
    return 1;
}

/* Column index -> letters, for messages. */
static void
col_name(long c, char out[8])
{
    char t[8];
    int k = 0;

    c++;
    while (c > 0 && k < 7) {
        t[k++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int j = 0; j < k; j++)
        out[j] = t[k - 1 - j];
    out[k] = '\0';
}

/* ---- shared strings ------------------------------------------------------- */

struct sst {
    struct xctx x;
    struct sbuf text;    /* every string, decoded, back to back */
    size_t *off;        /* string i is text.s[off[i] .. off[i + 1]) */
    size_t n, cap;      /* strings so far; off holds n + 1 */
    struct sbuf cur;     /* raw text of the <si> being read */
    int in_si, in_t, rph;
};

static void XMLCALL
sst_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct sst *t = ud;
    const char *l = local(name);

    if (strcmp(l, "si") == 0) {
        t->in_si = 1;
        t->cur.n = 0;
    } else if (strcmp(l, "rPh") == 0) {
        t->rph++; /* a phonetic guide (furigana) is not part of the text */
    } else if (strcmp(l, "t") == 0 && t->in_si && t->rph == 0) {
        t->in_t = 1; /* <si><t> or a rich-text run's <si><r><t> */
    }
}

static void XMLCALL
sst_end(void *ud, const XML_Char *name)
{
    struct sst *t = ud;
    const char *l = local(name);

    if (strcmp(l, "t") == 0) {
        t->in_t = 0;
    } else if (strcmp(l, "rPh") == 0) {
        t->rph--;
    } else if (strcmp(l, "si") == 0 && t->in_si) {
        t->in_si = 0;
        xlsx_put_text(&t->text, t->cur.s ? t->cur.s : "", t->cur.n);
        t->off = xgrow(t->off, &t->cap, t->n + 2, sizeof *t->off);
        t->off[++t->n] = t->text.n;
    }
}

static void XMLCALL
sst_text(void *ud, const XML_Char *s, int len)
{
    struct sst *t = ud;

    if (t->in_t)
        sbuf_put(&t->cur, s, (size_t)len);
}

/* ---- the worksheet ------------------------------------------------------- */

enum ctype { CT_NUM, CT_SST, CT_TEXT };

struct rcell {
    long col;
    size_t seq;         /* order in the row: the later of two wins */
    size_t off, len;    /* in the row's text */
};

struct sheet {
    struct xctx x;
    const struct sst *sst;
    struct sbuf out;     /* CSV so far */
    long lines;         /* CSV lines written = last sheet row written */
    unsigned long long commas; /* delimiters written, over all lines */
    long maxcols;       /* widest row: last non-empty column + 1 */
    long row, last_row; /* the <row> being read, the one before */
    int in_row;
    struct rcell *cells;
    size_t ncells, capcells;
    struct sbuf rtext;   /* text of the row's cells */
    int in_c, in_v, in_is, in_t, rph;
    long col, next_col;
    enum ctype type;
    struct sbuf val;     /* raw <v> or <is> text of the cell */
};

static void XMLCALL
sh_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    struct sheet *s = ud;
    const char *l = local(name), *v;
    long col, row;
    char cn[8];

    if (strcmp(l, "row") == 0) {
        if ((v = attr(a, "r")) != NULL) {
            char *end;
            row = strtol(v, &end, 10);
            if (*end != '\0' || row < 1)
                XFAIL_RET(&s->x, s->last_row + 1, XLSX_BAD "bad row number \"%.20s\"",
                          v);
        } else {
            row = s->last_row + 1;
        }
        if (row > XLSX_MAX_ROWS)
            XFAIL_RET(&s->x, 0, "the first sheet has more rows than Excel allows "
                      "(%ld)", XLSX_MAX_ROWS);
        if (row <= s->last_row)
            XFAIL_RET(&s->x, row, XLSX_BAD "row %ld comes after row %ld", row,
                      s->last_row);
        s->row = row;
        s->in_row = 1;
        s->ncells = 0;
        s->rtext.n = 0;
        s->next_col = 0;
    } else if (strcmp(l, "c") == 0 && s->in_row) {
        if ((v = attr(a, "r")) != NULL) {
            if (!xlsx_cell_ref(v, &col, &row))
                XFAIL_RET(&s->x, s->row, XLSX_BAD "bad cell reference \"%.20s\"", v);
        } else {
            col = s->next_col;
        }
        if (col >= XLSX_MAX_COLS) {
            col_name(col < 99999 ? col : 99999, cn);
            XFAIL_RET(&s->x, s->row, "the first sheet has more columns than Excel "
                      "allows (%ld): cell %s%ld", XLSX_MAX_COLS, cn, s->row);
        }
        s->col = col;
        s->in_c = 1;
        s->val.n = 0;
        v = attr(a, "t");
        if (v == NULL || strcmp(v, "n") == 0)
            s->type = CT_NUM;
        else if (strcmp(v, "s") == 0)
            s->type = CT_SST;
        else /* str, inlineStr; b (0/1), e (#N/A), d (ISO 8601) as stored */
            s->type = CT_TEXT;
    } else if (!s->in_c) {
        return;
    } else if (strcmp(l, "v") == 0) {
        s->in_v = 1;
    } else if (strcmp(l, "is") == 0) {
        s->in_is = 1;
    } else if (strcmp(l, "rPh") == 0) {
        s->rph++;
    } else if (strcmp(l, "t") == 0 && s->in_is && s->rph == 0) {
        s->in_t = 1;
    }
}

/* The text of the cell just closed, appended to the row's text. */
static void
cell_done(struct sheet *s)
{
    size_t start = s->rtext.n;
    const char *v = s->val.s ? s->val.s : "";
    unsigned long idx = 0;
    char cn[8];

    switch (s->type) {
    case CT_NUM:
        if (s->val.n)
            xlsx_put_number(&s->rtext, v, s->val.n);
        break;
    case CT_SST:
        if (s->val.n == 0)
            break;
        for (size_t i = 0; i < s->val.n; i++) {
            if (v[i] < '0' || v[i] > '9' || idx > 0xFFFFFFFFul) {
                col_name(s->col, cn);
                XFAIL_RET(&s->x, s->row, XLSX_BAD "cell %s%ld: bad shared-string "
                          "index \"%.20s\"", cn, s->row, v);
            }
            idx = idx * 10 + (unsigned long)(v[i] - '0');
        }
        if (idx >= s->sst->n) {
            col_name(s->col, cn);
            XFAIL_RET(&s->x, s->row, XLSX_BAD "cell %s%ld refers to shared string "
                      "%lu, the workbook has %zu", cn, s->row, idx, s->sst->n);
        }
        sbuf_put(&s->rtext, s->sst->text.s + s->sst->off[idx],
                s->sst->off[idx + 1] - s->sst->off[idx]);
        break;
    case CT_TEXT:
        xlsx_put_text(&s->rtext, v, s->val.n);
        break;
    }
    if (s->rtext.n == start)
        return; /* an empty cell (formatting only) writes nothing */
    s->cells = xgrow(s->cells, &s->capcells, s->ncells + 1, sizeof *s->cells);
    s->cells[s->ncells].col = s->col;
    s->cells[s->ncells].seq = s->ncells;
    s->cells[s->ncells].off = start;
    s->cells[s->ncells].len = s->rtext.n - start;
    s->ncells++;
}

static int
cmp_cell(const void *a, const void *b)
{
    const struct rcell *x = a, *y = b;

    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}


/* Write the row just closed as CSV line s->row, after blank lines for the
 * rows that held nothing. */
static void
row_done(struct sheet *s)
{
    int sorted = 1;
    long col = 0;

    s->last_row = s->row;
    s->in_row = 0;
    if (s->ncells == 0)
        return;
    for (size_t i = 1; i < s->ncells; i++)
        if (s->cells[i].col <= s->cells[i - 1].col)
            sorted = 0;
    if (!sorted)
        qsort(s->cells, s->ncells, sizeof *s->cells, cmp_cell);
    while (s->lines < s->row - 1) {
        sbuf_putc(&s->out, '\n');
        s->lines++;
    }
    for (size_t i = 0; i < s->ncells; i++) {
        const struct rcell *c = &s->cells[i];
        if (i + 1 < s->ncells && s->cells[i + 1].col == c->col)
            continue; /* the same cell twice: the later one wins */
        for (; col < c->col; col++)
            sbuf_putc(&s->out, ',');
        sbuf_csv_field(&s->out, s->rtext.s + c->off, c->len);
    }
    s->commas += (unsigned long long)col;
    if (col + 1 > s->maxcols)
        s->maxcols = col + 1;
    sbuf_putc(&s->out, '\n');
    s->lines++;
    if (s->out.n > XLSX_MAX_PART)
        xfail(&s->x, 0, "the first sheet is over %llu MiB as text: too big to read",
              (unsigned long long)(XLSX_MAX_PART >> 20));
}

static void XMLCALL
sh_end(void *ud, const XML_Char *name)
{
    struct sheet *s = ud;
    const char *l = local(name);

    if (strcmp(l, "row") == 0 && s->in_row) {
        row_done(s);
    } else if (!s->in_c) {
        return;
    } else if (strcmp(l, "c") == 0) {
        s->in_c = s->in_v = s->in_is = s->in_t = s->rph = 0;
        cell_done(s);
        s->next_col = s->col + 1;
    } else if (strcmp(l, "v") == 0) {
        s->in_v = 0;
    } else if (strcmp(l, "is") == 0) {
        s->in_is = 0;
    } else if (strcmp(l, "rPh") == 0) {
        s->rph--;
    } else if (strcmp(l, "t") == 0) {
        s->in_t = 0;
    }
}

static void XMLCALL
sh_text(void *ud, const XML_Char *t, int len)
{
    struct sheet *s = ud;

    if ((s->in_v && !s->in_is) || s->in_t)
        sbuf_put(&s->val, t, (size_t)len);
}

/*
 * Hand over the CSV with every line padded to maxcols fields: the reader
 * sees no ragged rows, whatever the sheet left blank at the right.  The
 * per-line delimiter count is quote-aware ("" toggles twice).
 */
static sirecon_status
pad_lines(struct sheet *s, char **out, size_t *outn, struct diag *d)
{
    unsigned long long want;
    size_t k = 0;
    char *o;

    if (s->maxcols == 0) {
        free(s->out.s);
        *out = xstrdup("");
        *outn = 0;
        return SIRECON_OK;
    }
    want = s->out.n +
           (unsigned long long)s->lines * (unsigned long long)(s->maxcols - 1) -
           s->commas;
    if (want == s->out.n) {
        *out = s->out.s;
        *outn = s->out.n;
        return SIRECON_OK;
    }
    if (want > XLSX_MAX_PART) {
        free(s->out.s);
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        "the first sheet is over %llu MiB as text (%ld rows of %ld "
                        "columns): too big to read",
                        (unsigned long long)(XLSX_MAX_PART >> 20), s->lines,
                        s->maxcols);
    }
    o = xmalloc((size_t)want + 1);
    for (size_t i = 0; i < s->out.n; i++) {
        long c = 0;
        int q = 0;
        for (; s->out.s[i] != '\n'; i++) {
            if (s->out.s[i] == '"')
                q = !q;
            else if (s->out.s[i] == ',' && !q)
                c++;
            o[k++] = s->out.s[i];
        }
        for (; c < s->maxcols - 1; c++)
            o[k++] = ',';
        o[k++] = '\n';
    }
    o[k] = '\0';
    free(s->out.s);
    *out = o;
    *outn = k;
    return SIRECON_OK;
}

/* ---- the whole workbook -------------------------------------------------- */

xlsx_kind
xlsx_sniff(const unsigned char *buf, size_t n)
{
    if (n >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
        return XLSX_ZIP;
    if (n >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return XLSX_OLE;
    return XLSX_NONE;
}

static void
wb_free(struct wb *w)
{
    for (size_t i = 0; i < w->nsh; i++) {
        free(w->sh[i].name);
        free(w->sh[i].rid);
        free(w->sh[i].part);
        free(w->sh[i].type);
    }
    free(w->sh);
    free(w->sst);
}

/* Open the workbook zip[0..n) and read its sheet list and relationships. */
static sirecon_status
wb_open(const unsigned char *zip, size_t n, struct membuf *mb, zlib_filefunc64_def *ff,
        unzFile *zfp, struct wb *w, struct diag *d)
{
    unzFile zf;
    sirecon_status rc;

    *zfp = NULL;
    memset(w, 0, sizeof *w);
    w->x.d = d;
    *mb = (struct membuf){zip, n, 0};
    *ff = (zlib_filefunc64_def){mem_open, mem_read, mem_write, mem_tell, mem_seek,
                                mem_close, mem_error, mb};
    switch (xlsx_sniff(zip, n)) {
    case XLSX_OLE:
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        "an Excel 97-2003 .xls file or a password-protected "
                        "workbook: save it in Excel as .xlsx without a password, "
                        "or as CSV UTF-8");
    case XLSX_NONE:
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0, XLSX_BAD "not a zip archive");
    case XLSX_ZIP:
        break;
    }
    if ((zf = unzOpen2_64("memory", ff)) == NULL)
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        XLSX_BAD "damaged zip archive (no central directory)");
    *zfp = zf;
    if (unzLocateFile(zf, "xl/workbook.xml", 2) != UNZ_OK)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      XLSX_BAD "a zip archive without xl/workbook.xml (not an Excel "
                      "workbook)");
    else
        rc = parse_part(zf, "xl/workbook.xml", wb_start, no_end, no_text, &w->x, 0);
    if (rc == SIRECON_OK && w->nsh == 0)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      XLSX_BAD "xl/workbook.xml lists no sheet");
    if (rc == SIRECON_OK)
        rc = parse_part(zf, "xl/_rels/workbook.xml.rels", rels_start, no_end, no_text,
                        &w->x, 0);
    return rc;
}

sirecon_status
xlsx_sheet_names(const unsigned char *zip, size_t n, char ***names, size_t *count,
                 struct diag *d)
{
    struct membuf mb;
    zlib_filefunc64_def ff;
    struct wb w;
    unzFile zf;
    size_t cap = 0;
    sirecon_status rc = wb_open(zip, n, &mb, &ff, &zf, &w, d);

    *names = NULL;
    *count = 0;
    for (size_t i = 0; rc == SIRECON_OK && i < w.nsh; i++)
        if (w.sh[i].part != NULL && ends_with(w.sh[i].type, "/worksheet")) {
            *names = xgrow(*names, &cap, *count + 1, sizeof **names);
            (*names)[(*count)++] = xstrdup(w.sh[i].name);
        }
    if (zf != NULL)
        unzClose(zf);
    wb_free(&w);
    return rc;
}

sirecon_status
xlsx_to_csv(const unsigned char *zip, size_t n, char **out, size_t *outn,
            struct diag *d)
{
    return xlsx_sheet_to_csv(zip, n, NULL, out, outn, d);
}

sirecon_status
xlsx_sheet_to_csv(const unsigned char *zip, size_t n, const char *sheet, char **out,
                  size_t *outn, struct diag *d)
{
    struct membuf mb;
    zlib_filefunc64_def ff;
    struct wb w;
    struct sst t;
    struct sheet s;
    unzFile zf;
    sirecon_status rc;
    const struct wsheet *ws = NULL;

    *out = NULL;
    *outn = 0;
    memset(&t, 0, sizeof t);
    memset(&s, 0, sizeof s);
    t.x.d = s.x.d = d;
    rc = wb_open(zip, n, &mb, &ff, &zf, &w, d);
    if (zf == NULL) {
        wb_free(&w);
        return rc;
    }
    t.off = xgrow(NULL, &t.cap, 1, sizeof *t.off);
    t.off[0] = 0;
    s.sst = &t;
    if (rc == SIRECON_OK) {
        for (size_t i = 0; i < w.nsh && ws == NULL; i++)
            if (sheet == NULL || strcmp(w.sh[i].name, sheet) == 0)
                ws = &w.sh[i];
        if (ws == NULL)
            rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                          "the workbook has no sheet named '%.60s'", sheet);
    }
    if (rc == SIRECON_OK && ws->part == NULL)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      XLSX_BAD "the %s sheet (%.40s) has no part in "
                      "xl/_rels/workbook.xml.rels", sheet ? "named" : "first", ws->rid);
    if (rc == SIRECON_OK && !ends_with(ws->type, "/worksheet"))
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "the %s sheet of the workbook is a %s, not a worksheet: "
                      "move the list to a worksheet", sheet ? "named" : "first",
                      ends_with(ws->type, "/chartsheet") ? "chart" : "special sheet");
    if (rc == SIRECON_OK && w.sst != NULL)
        rc = parse_part(zf, w.sst, sst_start, sst_end, sst_text, &t.x, 1);
    if (rc == SIRECON_OK)
        rc = parse_part(zf, ws->part, sh_start, sh_end, sh_text, &s.x, 0);
    if (rc == SIRECON_OK)
        rc = pad_lines(&s, out, outn, d);
    else
        free(s.out.s);
    unzClose(zf);
    wb_free(&w);
    free(t.text.s);
    free(t.off);
    free(t.cur.s);
    free(s.cells);
    free(s.rtext.s);
    free(s.val.s);
    return rc;
}
