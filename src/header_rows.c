/*
 * header_rows.c - the rows of a header and the rows under it (docs/inputs.md,
 * "Finding the table").
 *
 * Decides: what a header cell says once its column-number marker or unit is
 * stripped, which rows can be a candidate header block and how its merged
 * parents label the columns under them, and the class of every row after
 * the header (data, blank, column numbers, the header repeated, totals).
 * Never decides: which field a column feeds, nor which block wins (header.c).
 *
 * Every row of the first HEADER_SCAN_ROWS, alone or merged with the one or
 * two rows under it, is a candidate header.  Merging carries a merged
 * parent's label right over the blank cells under which a child label sits.
 * Labels are compared folded (names_fold_label, column-number markers
 * stripped); a short bracketed suffix ("(TNCT)", "(VNĐ)") is folded apart
 * for a second try.  Rows holding 6+ digits in a row (IDs, amounts, title
 * values) are never header rows; a row under the chosen block that only
 * refines its merged groups joins it.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "sirecon/labels.h"
#include "sirecon/names.h"
#include "sirecon/values.h"
#include "header_int.h"

#define SUFFIX_MAX 12 /* characters in a "(TNCT)" / "(VNĐ)" suffix stripped from labels */

/* ---- cells -------------------------------------------------------------- */

int
hdr_is_space_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f')
        return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
        return 2; /* no-break space, common in Excel exports */
    return 0;
}


/* A column-number body: "06", "15.1", "1a", "1.", or a single letter "A". */
static bool
colnum_body(const char *s, size_t n)
{
    size_t i = 0;

    if (n == 1 && isalpha((unsigned char)s[0]))
        return true;
    if (n == 0 || n > 8 || !isdigit((unsigned char)s[0]))
        return false;
    while (i < n) {
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i < n && s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
            i++;
            continue;
        }
        break;
    }
    if (i < n && isalpha((unsigned char)s[i]))
        i++;
    if (i + 1 == n && (s[i] == '.' || s[i] == ')')) /* "1." "2)" */
        i++;
    return i == n;
}

/* Whether a cell looks like a column number: "[06]", "(1)", "1", "[15.1]",
 * "(1a)", "A". */
bool
header_is_colnum_cell(const char *s, size_t n)
{
    values_trim(&s, &n);
    if (n >= 3 && ((s[0] == '[' && s[n - 1] == ']') || (s[0] == '(' && s[n - 1] == ')'))) {
        s++;
        n -= 2;
        values_trim(&s, &n);
    }
    return colnum_body(s, n);
}

/* A marker body inside brackets: a column number, optionally dotted. */
static bool
marker_body(const char *s, size_t n)
{
    const char *p = s;
    size_t m = n;

    values_trim(&p, &m);
    return colnum_body(p, m);
}

/* A unit in parentheses after a label: "(đồng)", "(VNĐ)", "(đ)". */
static bool
unit_body(const char *s, size_t n)
{
    char f[32];
    size_t k = names_fold_label(s, n, f, sizeof f);

    return k > 0 && (strcmp(f, "dong") == 0 || strcmp(f, "vnd") == 0 ||
                     strcmp(f, "d") == 0);
}

/*
 * Strip a leading column-number marker ("[07] ", "(2) ", "7. ", "7.", "15.1) ")
 * and a trailing one or a money unit ("Họ và tên (2)", "Mức lương (đồng)")
 * from a trimmed label.  A cell that is nothing but a marker becomes empty.
 */
void
header_strip_marker(const char **sp, size_t *np)
{
    const char *s = *sp;
    size_t n = *np;

    values_trim(&s, &n);
    if (n >= 3 && (s[0] == '[' || s[0] == '(')) {
        char close = s[0] == '[' ? ']' : ')';
        for (size_t j = 1; j < n && j <= 10; j++) {
            if (s[j] == close) {
                if (marker_body(s + 1, j - 1)) {
                    s += j + 1;
                    n -= j + 1;
                    while (n > 0 && (s[0] == '.' || s[0] == ':' || s[0] == '-' ||
                                     hdr_is_space_at(s, n, 0))) {
                        int k = hdr_is_space_at(s, n, 0);
                        s += k ? k : 1;
                        n -= k ? (size_t)k : 1;
                    }
                }
                break;
            }
        }
    } else if (n >= 2 && isdigit((unsigned char)s[0])) {
        size_t i = 0;
        while (i < n && i < 8 && (isdigit((unsigned char)s[i]) ||
                                  (s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))))
            i++;
        if (i < n && (s[i] == '.' || s[i] == ')') &&
            (i + 1 == n || !isdigit((unsigned char)s[i + 1]))) {
            s += i + 1;
            n -= i + 1;
            values_trim(&s, &n);
        }
    }
    if (n >= 3 && (s[n - 1] == ']' || s[n - 1] == ')')) {
        char open = s[n - 1] == ']' ? '[' : '(';
        for (size_t j = n - 1; j-- > 0 && n - j <= 16;) {
            if (s[j] == open) {
                if (j > 0 && (marker_body(s + j + 1, n - j - 2) ||
                              unit_body(s + j + 1, n - j - 2))) {
                    n = j;
                    values_trim(&s, &n);
                }
                break;
            }
        }
    }
    *sp = s;
    *np = n;
}

/*
 * Strip a short bracketed suffix after a label: an abbreviation, unit or
 * column number ("Thu nhập chịu thuế (TNCT)", "Mức lương (VNĐ)", "Số tiền
 * (nghìn đồng)").  The suffix holds 1..SUFFIX_MAX characters, no bracket of
 * its own, and a label stands before it (a cell that is only "(TNCT)" stays).
 * The result is trimmed either way.
 * Wider than header_strip_marker, which title values also use: alias
 * matching tries the full label first and this one only when that fails, so
 * "Mã số thuế (đơn vị)" keeps matching the longer alias.
 */
STATIC void
header_strip_suffix(const char **sp, size_t *np)
{
    const char *s = *sp;
    size_t n = *np, chars = 0, body = 0;

    values_trim(&s, &n);
    *sp = s;
    *np = n;
    if (n < 3 || (s[n - 1] != ')' && s[n - 1] != ']'))
        return;
    char open = s[n - 1] == ']' ? '[' : '(';
    for (size_t j = n - 1; j-- > 0;) {
        unsigned char b = (unsigned char)s[j];
        if (b == (unsigned char)open) {
            const char *p = s;
            size_t k = j;
            values_trim(&p, &k);
            if (body == 0 || k == 0)
                return;
            if (labels_other_person(s + j, n - j))
                return; /* "(PL)", "(chủ hộ)": another person, kept */
            *sp = p;
            *np = k;
            return;
        }
        if (b == '(' || b == ')' || b == '[' || b == ']')
            return;
        if ((b & 0xC0) != 0x80 && ++chars > SUFFIX_MAX)
            return;
        if (!hdr_is_space_at(s, n, j) && b != 0xA0)
            body++;
    }
}

/* The fold of a label without its short suffix (header_strip_suffix) into
 * out; 0 when there is no such suffix or nothing would be left. */
size_t
hdr_fold_short(const char *s, size_t n, char *out, size_t outsz)
{
    const char *p = s;
    size_t k = n;

    if (s == NULL)
        return 0;
    header_strip_marker(&p, &k);
    if (k < 3 || (p[k - 1] != ')' && p[k - 1] != ']'))
        return 0;
    size_t before = k;
    header_strip_suffix(&p, &k);
    if (k == before)
        return 0;
    header_strip_marker(&p, &k); /* "Số tiền [15] (đồng)" */
    if (k == 0)
        return 0;
    return names_fold_label(p, k, out, outsz);
}

/* Fold a header cell for comparison: trim, strip markers, names_fold_label. */
size_t
header_fold(const char *s, size_t n, char *out, size_t outsz)
{
    if (s == NULL)
        n = 0;
    header_strip_marker(&s, &n);
    if (n == 0) {
        if (outsz)
            out[0] = '\0';
        return 0;
    }
    return names_fold_label(s, n, out, outsz);
}

static bool
has_long_digits(const char *s, size_t n)
{
    size_t run = 0;

    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) {
            if (++run >= 6)
                return true;
        } else {
            run = 0;
        }
    }
    return false;
}

bool
hdr_cell_blank(const struct hrow *row, size_t c)
{
    const char *s;
    size_t n;

    if (c >= row->ncells)
        return true;
    s = row->cells[c].s;
    n = row->cells[c].n;
    values_trim(&s, &n);
    return n == 0;
}

/* ---- scanned rows ------------------------------------------------------- */

void
hdr_rowc_build(struct rowc *rc, const struct hrow *row)
{
    size_t n = row->ncells, len = 0, cap = 0;
    size_t *off, *soff;
    char f[FOLD_MAX], g[FOLD_MAX];

    memset(rc, 0, sizeof *rc);
    while (n > 0 && hdr_cell_blank(row, n - 1))
        n--;
    if (n > 1000000)
        n = 1000000;
    rc->n = (int)n;
    rc->fold = xcalloc(n ? n : 1, sizeof *rc->fold);
    rc->sfold = xcalloc(n ? n : 1, sizeof *rc->sfold);
    rc->fl = xcalloc(n ? n : 1, 1);
    off = xcalloc(n ? n : 1, sizeof *off);
    soff = xcalloc(n ? n : 1, sizeof *soff);
    for (size_t c = 0; c < n; c++) {
        const char *s = row->cells[c].s;
        size_t m = row->cells[c].n, k;

        values_trim(&s, &m);
        off[c] = len;
        k = 0;
        if (m > 0) {
            if (has_long_digits(s, m))
                rc->longnum = true;
            if (header_is_colnum_cell(s, m)) {
                rc->fl[c] |= CF_COLNUM;
                rc->colnums++;
            } else {
                k = header_fold(s, m, f, sizeof f);
                if (k > 0) {
                    rc->fl[c] |= CF_LABEL;
                    rc->labels++;
                    for (size_t i = 0; i < k; i++)
                        if (!isdigit((unsigned char)f[i]))
                            rc->fl[c] |= CF_LETTER;
                } else {
                    rc->others++;
                }
            }
        }
        rc->buf = xgrow(rc->buf, &cap, len + k + 1, 1);
        memcpy(rc->buf + len, f, k);
        rc->buf[len + k] = '\0';
        len += k + 1;
        soff[c] = off[c];
        if (k > 0 && (s[m - 1] == ')' || s[m - 1] == ']')) {
            size_t g_n = hdr_fold_short(s, m, g, sizeof g);
            if (g_n > 0 && (g_n != k || memcmp(f, g, k) != 0)) {
                soff[c] = len;
                rc->buf = xgrow(rc->buf, &cap, len + g_n + 1, 1);
                memcpy(rc->buf + len, g, g_n);
                rc->buf[len + g_n] = '\0';
                len += g_n + 1;
            }
        }
    }
    for (size_t c = 0; c < n; c++) {
        rc->fold[c] = rc->buf + off[c];
        rc->sfold[c] = rc->buf + soff[c];
    }
    free(off);
    free(soff);
}

void
hdr_rowc_free(struct rowc *rc)
{
    free(rc->fold);
    free(rc->sfold);
    free(rc->buf);
    free(rc->fl);
}

static bool
has_label(const struct rowc *rc, int c)
{
    return c >= 0 && c < rc->n && (rc->fl[c] & CF_LABEL);
}

/* ---- candidate blocks --------------------------------------------------- */

/*
 * Merge rows r..r+s-1: src[l*w + c] is the column whose level-l cell labels
 * column c, -1 when none.  A blank cell takes the nearest label to its left
 * on the same row when a row below has a label in that column (the parent
 * of a horizontally merged group).
 */
void
hdr_merge_block(struct ctx *cx, int r, int s, int w)
{
    size_t need = (size_t)s * (size_t)(w ? w : 1);

    cx->src = xgrow(cx->src, &cx->srccap, need, sizeof *cx->src);
    for (int l = 0; l < s; l++) {
        const struct rowc *rc = &cx->rc[r + l];
        int last = -1;
        for (int c = 0; c < w; c++) {
            int v = -1;
            if (has_label(rc, c)) {
                v = last = c;
            } else if (last >= 0) {
                for (int k = l + 1; k < s; k++)
                    if (has_label(&cx->rc[r + k], c)) {
                        v = last;
                        break;
                    }
            }
            cx->src[(size_t)l * (size_t)w + (size_t)c] = v;
        }
    }
}

/* Concatenate the folds (the short folds when shortf) of levels lo..hi of
 * column c: folds have no spaces, so this is the fold of the joined labels.
 * NULL when shortf and no level has a short fold of its own. */
const char *
hdr_form_fold(const struct ctx *cx, int r, int w, int c, int lo, int hi, bool shortf,
              char *buf, size_t bufsz)
{
    size_t len = 0;
    bool differs = false;

    buf[0] = '\0';
    for (int l = lo; l <= hi; l++) {
        int sc = cx->src[(size_t)l * (size_t)w + (size_t)c];
        if (sc < 0)
            continue;
        const struct rowc *rc = &cx->rc[r + l];
        const char *f = shortf ? rc->sfold[sc] : rc->fold[sc];
        size_t k = strlen(f);
        differs |= f != rc->fold[sc];
        if (len + k >= bufsz)
            k = bufsz - 1 - len;
        memcpy(buf + len, f, k);
        len += k;
        buf[len] = '\0';
    }
    return shortf && !differs ? NULL : buf;
}

/* The trimmed original text of levels lo..hi of column c, joined by
 * spaces, into buf (cut at bufsz). */
size_t
hdr_form_text(const struct ctx *cx, int r, int w, int c, int lo, int hi, char *buf,
              size_t bufsz)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int l = lo; l <= hi; l++) {
        int sc = cx->src[(size_t)l * (size_t)w + (size_t)c];
        const char *t;
        size_t n;
        if (sc < 0 || (size_t)sc >= cx->rows[r + l].ncells)
            continue;
        t = cx->rows[r + l].cells[sc].s;
        n = cx->rows[r + l].cells[sc].n;
        values_trim(&t, &n);
        if (len + n + 2 >= bufsz)
            n = bufsz > len + 2 ? bufsz - len - 2 : 0;
        if (len && n)
            buf[len++] = ' ';
        memcpy(buf + len, t, n);
        len += n;
        buf[len] = '\0';
    }
    return len;
}

/* Join the trimmed original text of levels lo..hi of column c with spaces. */
char *
hdr_join_levels(const struct ctx *cx, const struct cand *cd, int c, int lo, int hi)
{
    char *out = NULL;
    size_t len = 0, cap = 0;

    for (int l = lo; l <= hi; l++) {
        int sc = cx->src[(size_t)l * (size_t)cd->w + (size_t)c];
        const char *s;
        size_t n;
        if (sc < 0)
            continue;
        s = cx->rows[cd->r + l].cells[sc].s;
        n = cx->rows[cd->r + l].cells[sc].n;
        values_trim(&s, &n);
        out = xgrow(out, &cap, len + n + 2, 1);
        if (len)
            out[len++] = ' ';
        for (size_t i = 0; i < n; i++) /* wrapped cells print on one line */
            out[len + i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
        len += n;
    }
    if (out == NULL)
        return xstrdup("");
    out[len] = '\0';
    return out;
}

/* What the data rows under row rr hold in column c (the first
 * COHERENCE_ROWS non-blank cells): 1 mostly numbers, dates or months (no
 * letter), -1 mostly text, 0 nothing to tell. */
#define COHERENCE_ROWS 8
static int
below_kind(const struct ctx *cx, int rr, int c)
{
    int num = 0, text = 0;

    for (int r = rr + 1; r < cx->nrows && num + text < COHERENCE_ROWS; r++) {
        const struct hrow *row = &cx->rows[r];
        const char *s;
        size_t n;
        bool digit = false, letter = false;
        if ((size_t)c >= row->ncells)
            continue;
        s = row->cells[c].s;
        n = row->cells[c].n;
        values_trim(&s, &n);
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)s[i];
            digit |= isdigit(ch) != 0;
            letter |= isalpha(ch) || ch >= 0x80;
        }
        if (digit && !letter)
            num++;
        else if (letter)
            text++;
    }
    return num > text ? 1 : text > num ? -1 : 0;
}

/* Row rr continues the block of cd (a sub-header): each of its labels sits
 * under a horizontally merged group of some row of the block, i.e. at the
 * group's first column (the next cell to the right is blank) or in the blank
 * cells after it, or heads a column whose data rows hold numbers, dates or
 * months (a label there breaks the column's coherence: "Thời điểm bắt đầu"
 * under "Thời điểm bắt đầu đóng BHXH", above "01/2025"); it has no column
 * numbers, IDs or amounts. */
bool
hdr_continues_block(const struct ctx *cx, const struct cand *cd, int rr)
{
    const struct rowc *row = &cx->rc[rr];
    int last[HEADER_MAX_SPAN]; /* per block row: its last label at or left of c */

    if (row->labels == 0 || row->longnum || row->colnums > 0)
        return false;
    for (int l = 0; l < cd->s; l++)
        last[l] = -1;
    for (int c = 0; c < row->n; c++) {
        bool covered = false;
        for (int l = 0; l < cd->s; l++)
            if (has_label(&cx->rc[cd->r + l], c))
                last[l] = c;
        if (!(row->fl[c] & CF_LABEL))
            continue;
        if (!(row->fl[c] & CF_LETTER))
            return false;
        for (int l = 0; l < cd->s && !covered; l++)
            covered = last[l] >= 0 &&
                      (last[l] < c || !has_label(&cx->rc[cd->r + l], c + 1));
        /* a lone label is a section row ("I. Tăng"), never a sub-header */
        if (!covered && (row->labels < 2 || below_kind(cx, rr, c) <= 0))
            return false;
    }
    return true;
}

/* Whether row rr is a row of machine field codes ("STT, HoTen, MasoBHXH,
 * TuThang, Tk1_Save"): every filled cell one ASCII identifier (a letter,
 * then letters, digits, '_'; no space), three or more of them, and at least
 * half in camelCase or snake_case.  Such a row is a header row, the codes
 * labels in their own right; a data row has names with spaces and IDs of
 * digits. */
bool
hdr_is_code_row(const struct ctx *cx, int rr)
{
    const struct hrow *row = &cx->rows[rr];
    int filled = 0, mixed = 0;

    for (size_t c = 0; c < row->ncells; c++) {
        const char *s = row->cells[c].s;
        size_t n = row->cells[c].n;
        bool lower = false, join = false;
        values_trim(&s, &n);
        if (n == 0)
            continue;
        if (!isalpha((unsigned char)s[0]))
            return false;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (!isalnum(ch) && ch != '_')
                return false;
            join |= ch == '_' || (lower && isupper(ch));
            lower = islower(ch) != 0;
        }
        filled++;
        mixed += join;
    }
    return filled >= 3 && 2 * mixed >= filled;
}

/* Whether the row's non-blank cells all look like column numbers and cover
 * at least half of a header width w. */
bool
hdr_row_is_colnum(const struct hrow *row, int w)
{
    int num = 0;

    for (size_t c = 0; c < row->ncells; c++) {
        const char *s = row->cells[c].s;
        size_t n = row->cells[c].n;
        values_trim(&s, &n);
        if (n == 0)
            continue;
        if (!header_is_colnum_cell(s, n))
            return false;
        num++;
    }
    return num > 0 && 2 * num >= w;
}

/* ---- rows after the header ---------------------------------------------- */

/* The total words, folded: "Tổng cộng", "Cộng", "Tổng", "Total", "Tổng số"... */
static bool
is_total_word(const char *f)
{
    static const char *const words[] = {
        "tongcong", "cong", "tong", "total", "tongso", "grandtotal", "subtotal",
        "congtrang", "tongcongtrang", "congphatsinh",
    };
    for (size_t i = 0; i < NELEM(words); i++)
        if (strcmp(f, words[i]) == 0)
            return true;
    return false;
}

static bool
fold_cell(const struct hrow *row, int c, char *f, size_t fsz)
{
    if (c < 0 || (size_t)c >= row->ncells) {
        f[0] = '\0';
        return false;
    }
    return header_fold(row->cells[c].s, row->cells[c].n, f, fsz) > 0;
}

/* Whether s[0..n) is one or more ASCII digits and nothing else. */
static bool
all_ascii_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)(s[i] - '0') > 9)
            return false;
    return true;
}

/* The first byte of the cell's fold (markers stripped), 0 when the fold is
 * empty.  Folds one character, not the cell: lets the per-row checks reject
 * most cells cheaply. */
static int
first_folded_byte(const struct hrow *row, int c)
{
    const char *s;
    size_t n;

    if (c < 0 || (size_t)c >= row->ncells)
        return 0;
    s = row->cells[c].s;
    n = row->cells[c].n;
    if (all_ascii_digits(s, n))
        return (unsigned char)s[0]; /* no marker to strip, no space to trim:
                                       an ID, amount or row number (most cells) */
    if (n > 0 && (unsigned char)s[0] < 0x80 && isalpha((unsigned char)s[0]))
        return tolower((unsigned char)s[0]); /* no leading marker or space; a
                                                trailing one stripped leaves it */
    header_strip_marker(&s, &n);
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        size_t k = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char f[16];
        if (b < 0x80) {
            if (isalnum(b))
                return tolower(b);
            i++;
            continue;
        }
        if (k > n - i)
            k = n - i;
        if (names_fold_label(s + i, k, f, sizeof f) > 0)
            return (unsigned char)f[0];
        i += k;
    }
    return 0;
}

/* Cell c folds to the header text h (both sides folded). */
static bool
cell_equals(const struct hrow *row, int c, const char *h)
{
    char f[FOLD_MAX];
    int b = first_folded_byte(row, c);

    if (b != (unsigned char)h[0])
        return false;
    if (b == 0)
        return true;
    fold_cell(row, c, f, sizeof f);
    return strcmp(f, h) == 0;
}

/* Cell c folds to a total word.  Every total word starts with t, c, g or s,
 * which no diacritic changes, so other cells are not folded. */
static bool
cell_is_total(const struct hrow *row, int c)
{
    char f[FOLD_MAX];
    int b = first_folded_byte(row, c);

    if (b != 't' && b != 'c' && b != 'g' && b != 's')
        return false;
    if (row->cells[c].n > 64)
        return false;
    return fold_cell(row, c, f, sizeof f) && is_total_word(f);
}

/* The next word of s from *i: a run of letters and digits (any non-ASCII
 * byte counts as a letter; the no-break space does not).  false at the end. */
static bool
next_word(const char *s, size_t n, size_t *i, const char **w, size_t *wn)
{
    size_t k = *i;

    while (k < n && (hdr_is_space_at(s, n, k) ||
                     ((unsigned char)s[k] < 0x80 && !isalnum((unsigned char)s[k]))))
        k += hdr_is_space_at(s, n, k) ? (size_t)hdr_is_space_at(s, n, k) : 1;
    if (k >= n)
        return false;
    *w = s + k;
    while (k < n && !hdr_is_space_at(s, n, k) &&
           ((unsigned char)s[k] >= 0x80 || isalnum((unsigned char)s[k])))
        k++;
    *wn = (size_t)(s + k - *w);
    *i = k;
    return true;
}

static bool
word_is(const char *w, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(w, lit, n) == 0;
}

static bool
word_is_ci(const char *w, size_t n, const char *lit)
{
    if (n != strlen(lit))
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)w[i]) != lit[i])
            return false;
    return true;
}

/* Digits, or a roman numeral (upper case only when upper is set). */
static bool
word_is_number(const char *w, size_t n, bool upper)
{
    size_t d = 0, r = 0;

    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)w[i]))
            d++;
        else if (w[i] != '\0' && strchr(upper ? "IVXLC" : "IVXLCivxlc", w[i]) != NULL)
            r++;
    }
    return n > 0 && (d == n || r == n);
}

/* "Tống Công Sơn" in an accent-free export: every word capitalised, the
 * rest of it lower case, letters only. */
static bool
looks_like_name(const char *s, size_t n)
{
    const char *w;
    size_t wn, i = 0, words = 0;

    while (next_word(s, n, &i, &w, &wn)) {
        if (wn < 2 || !isupper((unsigned char)w[0]))
            return false;
        for (size_t k = 1; k < wn; k++)
            if (!islower((unsigned char)w[k]))
                return false;
        words++;
    }
    return words >= 3;
}

/*
 * A totals label longer than one word: "Tổng cộng (I+II)", "TỔNG CỘNG TOÀN
 * ĐƠN VỊ", "Tổng số người: 20", "Cộng II", "Cộng lũy kế".  The diacritics
 * keep people and companies out: the first word is "Tổng" (not the surname
 * "Tống") and the second "cộng" or "số", or the first is "Cộng" (not "Công")
 * followed by a number, "lũy kế", "phát sinh" or "trang" ("Cộng tác viên"
 * is no total).  Compared on NFC, case-folded text.  A cell without any
 * diacritic (an ASCII export) cannot tell "Tong" from "Tống": "tong cong" /
 * "tong so" followed by anything but "ty" ("Tong cong ty") unless the cell
 * is capitalised like a name ("Tong Cong Son"), and "cong" followed by
 * digits, an upper-case roman numeral, "luy ke" or "phat sinh".
 */
static bool
cell_is_total_phrase(const struct hrow *row, int c)
{
    char f[FOLD_MAX];
    const char *s, *w[3] = {NULL, NULL, NULL};
    size_t n, wn[3] = {0, 0, 0}, i = 0, nw = 0;
    int b = first_folded_byte(row, c);
    bool ascii = true, yes = false;

    if ((b != 't' && b != 'c') || row->cells[c].n > 96)
        return false;
    if (!fold_cell(row, c, f, sizeof f) ||
        (strncmp(f, "tongcong", 8) != 0 && strncmp(f, "tongso", 6) != 0 &&
         strncmp(f, "cong", 4) != 0))
        return false;
    s = row->cells[c].s;
    n = row->cells[c].n;
    values_trim(&s, &n);
    for (size_t k = 0; k < n && ascii; k++) {
        if ((unsigned char)s[k] < 0x80)
            continue;
        if (hdr_is_space_at(s, n, k) == 2)
            k++; /* a no-break space is no diacritic */
        else
            ascii = false;
    }

    if (ascii) {
        while (nw < 3 && next_word(s, n, &i, &w[nw], &wn[nw]))
            nw++;
        if (nw >= 2 && word_is_ci(w[0], wn[0], "tong") &&
            (word_is_ci(w[1], wn[1], "cong") || word_is_ci(w[1], wn[1], "so")))
            return !(nw == 3 && word_is_ci(w[1], wn[1], "cong") &&
                     word_is_ci(w[2], wn[2], "ty")) &&
                   !looks_like_name(s, n);
        if (nw >= 2 && word_is_ci(w[0], wn[0], "cong"))
            return word_is_number(w[1], wn[1], true) ||
                   (nw == 3 && word_is_ci(w[1], wn[1], "luy") &&
                    word_is_ci(w[2], wn[2], "ke")) ||
                   (nw == 3 && word_is_ci(w[1], wn[1], "phat") &&
                    word_is_ci(w[2], wn[2], "sinh"));
        return false;
    }

    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                      &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                UTF8PROC_CASEFOLD);
    if (r == UTF8PROC_ERROR_NOMEM)
        (void)xmalloc(SIZE_MAX); /* dies through the one OOM path */
    if (r < 0)
        return false; /* invalid UTF-8: no totals label */
    const char *t = (const char *)dst;
    size_t tn = (size_t)r;
    while (nw < 3 && next_word(t, tn, &i, &w[nw], &wn[nw]))
        nw++;
    if (nw >= 2 && word_is(w[0], wn[0], "tổng"))
        yes = word_is(w[1], wn[1], "cộng") || word_is(w[1], wn[1], "số");
    else if (nw >= 2 && word_is(w[0], wn[0], "cộng"))
        yes = word_is_number(w[1], wn[1], false) || word_is(w[1], wn[1], "trang") ||
              (nw == 3 && (word_is(w[1], wn[1], "lũy") || word_is(w[1], wn[1], "luỹ")) &&
               word_is(w[2], wn[2], "kế")) ||
              (nw == 3 && word_is(w[1], wn[1], "phát") && word_is(w[2], wn[2], "sinh"));
    free(dst);
    return yes;
}

/* What a formula or lookup leaves in a row below the data when its inputs
 * are empty: Excel's error values, a zero, a dash. */
static bool
cell_is_residue(const struct hrow *row, size_t c)
{
    static const char *const v[] = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?",
                                    "#NUM!", "#NULL!", "0", "-"};
    const char *s = row->cells[c].s;
    size_t n = row->cells[c].n;

    values_trim(&s, &n);
    if (n == 0 || n > 7 || (s[0] != '#' && s[0] != '0' && s[0] != '-'))
        return false; /* every residue starts so and is short */
    for (size_t i = 0; i < NELEM(v); i++)
        if (n == strlen(v[i]) && memcmp(s, v[i], n) == 0)
            return true;
    return false;
}

/*
 * Row classes, in this order: blank (also a row of formula residue only);
 * column numbers (as under the header);
 * the header again (every matched column equals the same header row, at
 * least one of them non-blank); totals.  A totals row is one where (a) one of
 * the first three cells, or the first non-empty cell, is a total word and is
 * not in a mapped name, ID, employer-name, area or address column (those
 * may hold "Tổng Công ty ..." or a person called "Tống"), or (b) no mapped
 * ID column holds a value and some cell, the name column included, is a
 * total word ("Tổng cộng" written in the name column), or one of the first
 * three cells, the first non-empty cell or the name cell is a totals phrase
 * ("Tổng cộng (I+II)", "Cộng II": cell_is_total_phrase).  Called for every
 * data row: cells are folded only when their first letter could match.
 */
row_class
header_classify(const struct header_map *m, const struct hrow *row)
{
    static const int person[] = {F_FULL_NAME, F_EMPLOYEE_TAX_ID, F_ID_NUMBER,
                                 F_SI_NUMBER, F_CMND, F_EMPLOYER_NAME, F_AREA,
                                 F_ADDRESS};
    static const int ids[] = {F_EMPLOYEE_TAX_ID, F_ID_NUMBER, F_SI_NUMBER, F_CMND};
    size_t c, first = row->ncells;

    for (c = 0; c < row->ncells; c++)
        if (!hdr_cell_blank(row, c) && !cell_is_residue(row, c)) {
            first = c;
            break;
        }
    if (first == row->ncells)
        return ROW_BLANK; /* empty, or only formula residue ("#N/A", "0") */
    for (c = 0; c < row->ncells; c++)
        if (!hdr_cell_blank(row, c)) {
            first = c;
            break;
        }
    if (hdr_row_is_colnum(row, m->ncols))
        return ROW_COLNUM;

    if (m->hdr_fold != NULL && m->first >= 0) {
        int levels = m->last - m->first + 1;
        for (int l = 0; l < levels; l++) {
            int same = 0, nonblank = 0;
            for (int k = 0; k < F_COUNT; k++) {
                int col = m->col[k];
                if (col < 0 || col >= m->ncols)
                    continue;
                const char *h = m->hdr_fold[l * m->ncols + col];
                if (!cell_equals(row, col, h)) {
                    same = -1;
                    break;
                }
                same++;
                if (h[0])
                    nonblank++;
            }
            if (same > 0 && nonblank > 0)
                return ROW_REPEAT;
        }
    }

    for (c = 0; c < row->ncells; c++) {
        bool excluded = false;
        if (c >= 3 && c != first) {
            if (c > first)
                break;
            continue;
        }
        for (size_t i = 0; i < NELEM(person) && !excluded; i++)
            excluded = m->col[person[i]] == (int)c;
        if (!excluded && cell_is_total(row, (int)c))
            return ROW_TOTAL;
    }
    for (size_t i = 0; i < NELEM(ids); i++)
        if (m->col[ids[i]] >= 0 && !hdr_cell_blank(row, (size_t)m->col[ids[i]]))
            return ROW_DATA;
    for (c = 0; c < row->ncells; c++) {
        bool early = c < 3 || c == first || (int)c == m->col[F_FULL_NAME];
        if (cell_is_total(row, (int)c) || (early && cell_is_total_phrase(row, (int)c)))
            return ROW_TOTAL;
    }
    return ROW_DATA;
}

const char *
header_row_class_name(row_class c)
{
    switch (c) {
    case ROW_DATA: return "data";
    case ROW_BLANK: return "blank";
    case ROW_COLNUM: return "column_numbers";
    case ROW_REPEAT: return "repeated_header";
    case ROW_TOTAL: return "totals";
    }
    return "?";
}
