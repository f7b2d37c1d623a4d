/*
 * header_content.c - what the values under a header say about its columns.
 *
 * Decides: the shape of a cell (personal ID, tax code, amount, date, month,
 * name), whether a column's values refuse the field its label gave it (or,
 * read by meaning, fail to agree with it), which unlabelled column holds
 * the personal IDs, the employer's tax codes or the names, and which
 * columns look like identifiers but feed no field.  Never decides: a
 * column's field from its label (header.c), nor where the header is.
 *
 * Only the rows cached for the search are read (the scan window and the
 * spans under it); each cell's shape is computed once per call, lazily.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/ids.h"
#include "sirecon/labels.h"
#include "sirecon/names.h"
#include "sirecon/values.h"
#include "header_int.h"

/* ---- cell shapes -------------------------------------------------------- */

enum {
    SH_NONEMPTY = 1,
    SH_PID12 = 2,    /* a domestic personal ID: 12 digits (or 11, zero lost),
                        province 001-096, century digit 0-3 */
    SH_IDLIKE = 4,   /* 8-13 digits, a passport number, or 3.41E+11 */
    SH_TAXCODE = 8,  /* a tax code with a valid check digit (10 or 13) */
    SH_MONEY = 16,   /* an amount with thousands separators or ending in 000 */
    SH_DATE = 32,
    SH_MONTH = 64,
    SH_NAME = 128,   /* two or more words of letters */
    SH_ZEROS = 256,  /* ends in 000 */
    SH_LETTERS = 512, /* holds a letter */
    SH_YEAR = 1024,  /* a year, 1900-2099, alone */
};

static unsigned short
cell_shape(const char *s, size_t n)
{
    unsigned short sh = 0;
    size_t digits = 0, letters = 0, spaces = 0, other = 0;
    int64_t money;
    sdate dt;
    int m, m2;

    values_trim(&s, &n);
    if (n > 0 && s[0] == '\'') {
        s++;
        n--;
    }
    if (n == 0)
        return 0;
    if (n <= 12) {
        /* a placeholder says "no value": "N/A", "-", "0", "chưa có" */
        static const char *const none[] = {"na", "0", "00", "khong", "chuaco", "none",
                                           "null", "x", "khongco"};
        char f[32];
        size_t k = names_fold_label(s, n, f, sizeof f);
        if (k == 0)
            return 0;
        for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
            if (strcmp(f, none[i]) == 0)
                return 0;
    }
    sh |= SH_NONEMPTY;
    if (n > 2 && n < 24 && s[n - 2] == '.' && s[n - 1] == '0')
        n -= 2; /* "34074582002.0": an ID that went through a float */
    {
        /* "034.054.328.776", "034 085 001 111": an ID written in groups
         * (money never starts with 0 nor reaches 12 digits) */
        char d[24];
        size_t k = 0, seps = 0;
        for (size_t i = 0; i < n && k < sizeof d; i++) {
            if (isdigit((unsigned char)s[i]))
                d[k++] = s[i];
            else if (s[i] == '.' || s[i] == ' ' || s[i] == '-')
                seps++;
            else
                k = sizeof d;
        }
        if (seps > 0 && k < sizeof d && (k == 12 || ((k == 9 || k == 11) && d[0] == '0')))
            return (unsigned short)(sh | cell_shape(d, k));
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isdigit(ch))
            digits++;
        else if (isalpha(ch) || ch >= 0x80)
            letters++;
        else if (ch == ' ')
            spaces++;
        else
            other++;
    }
    if (digits == n) {
        if (n >= 8 && n <= 13)
            sh |= SH_IDLIKE;
        if ((n == 12 && s[0] == '0') || n == 11) {
            const char *p = n == 12 ? s : s - 1; /* p[0] is the lost zero */
            int prov = n == 12 ? (s[1] - '0') * 10 + (s[2] - '0')
                               : (s[0] - '0') * 10 + (s[1] - '0');
            char cen = n == 12 ? s[3] : s[2];
            (void)p;
            if (prov >= 1 && prov <= 96 && cen >= '0' && cen <= '3')
                sh |= SH_PID12;
        }
        if ((n == 10 || n == 13) && ids_tax_check(s))
            sh |= SH_TAXCODE;
        if (n >= 4 && memcmp(s + n - 3, "000", 3) == 0)
            sh |= SH_ZEROS;
        if (n == 4 && (memcmp(s, "19", 2) == 0 || memcmp(s, "20", 2) == 0))
            sh |= SH_YEAR;
    } else if (letters > 0 && letters <= 2 && digits >= 6 && digits + letters == n &&
               isalpha((unsigned char)s[0])) {
        sh |= SH_IDLIKE; /* B1234567 */
    } else if (digits > 0 && n < 20 && (memchr(s, 'E', n) || memchr(s, 'e', n)) &&
               memchr(s, '+', n)) {
        sh |= SH_IDLIKE; /* 3.41234E+11 */
    }
    if (digits > 0 && letters == 0 && values_money(s, n, &money) == VAL_OK &&
        (other > 0 || spaces > 0 || (sh & SH_ZEROS)))
        sh |= SH_MONEY;
    if (digits > 0 && letters == 0 && other > 0 && values_date(s, n, &dt) == VAL_OK)
        sh |= SH_DATE;
    if (digits > 0 && (values_month(s, n, &m) == VAL_OK ||
                       values_month_range(s, n, &m, &m2) == VAL_OK))
        sh |= SH_MONTH;
    if (letters >= 2 && digits == 0 && spaces >= 1)
        sh |= SH_NAME;
    if (letters > 0)
        sh |= SH_LETTERS;
    return sh;
}

/* ---- columns ------------------------------------------------------------ */

struct colstat {
    int n, pid12, idlike, taxcode, money, date, month, name, zeros, distinct, letters, year;
};

/* Shapes of the values of column c in the data rows below header row
 * `last` (rows with fewer than two values are left out: totals, notes). */
static void
col_stat(struct ctx *cx, int last, int skip_row, int c, struct colstat *st)
{
    const char *seen[HEADER_SCAN_ROWS + HEADER_MAX_SPAN];
    size_t seenn[HEADER_SCAN_ROWS + HEADER_MAX_SPAN];
    int ns = 0;

    memset(st, 0, sizeof *st);
    if (cx->shape == NULL)
        cx->shape = xcalloc((size_t)(cx->nrows ? cx->nrows : 1), sizeof *cx->shape);
    for (int r = last + 1; r < cx->nrows; r++) {
        const struct hrow *row = &cx->rows[r];
        int filled = 0;
        if (r == skip_row || (size_t)c >= row->ncells)
            continue;
        if (cx->shape[r] == NULL) {
            cx->shape[r] = xcalloc(row->ncells ? row->ncells : 1, sizeof **cx->shape);
            for (size_t k = 0; k < row->ncells; k++)
                cx->shape[r][k] = cell_shape(row->cells[k].s, row->cells[k].n);
        }
        for (size_t k = 0; k < row->ncells && filled < 2; k++)
            filled += (cx->shape[r][k] & SH_NONEMPTY) != 0;
        unsigned short sh = cx->shape[r][c];
        if (filled < 2 || !(sh & SH_NONEMPTY))
            continue;
        st->n++;
        st->pid12 += (sh & SH_PID12) != 0;
        st->idlike += (sh & SH_IDLIKE) != 0;
        st->taxcode += (sh & SH_TAXCODE) != 0;
        st->money += (sh & SH_MONEY) != 0;
        st->date += (sh & SH_DATE) != 0;
        st->month += (sh & SH_MONTH) != 0;
        st->name += (sh & SH_NAME) != 0;
        st->zeros += (sh & SH_ZEROS) != 0;
        st->letters += (sh & SH_LETTERS) != 0;
        st->year += (sh & SH_YEAR) != 0;
        const char *v = row->cells[c].s;
        size_t vn = row->cells[c].n;
        values_trim(&v, &vn);
        bool dup = false;
        for (int i = 0; i < ns && !dup; i++)
            dup = seenn[i] == vn && memcmp(seen[i], v, vn) == 0;
        if (!dup) {
            seen[ns] = v;
            seenn[ns++] = vn;
        }
    }
    st->distinct = ns;
}

static bool
is_money_field(int f)
{
    return f == F_TAXABLE_INCOME || f == F_INSURANCE_DEDUCTION || f == F_TAX_WITHHELD ||
           f == F_SALARY;
}

/* Whether the content of a column contradicts field f: an identifier
 * column full of amounts, names or dates; an amount column full of
 * personal IDs or names; a month column with no month in it. */
static bool
content_refuses(int f, const struct colstat *st)
{
    if (st->n < 5)
        return false;
    if (hdr_is_person_id_field(f))
        return 5 * st->idlike < st->n &&
               5 * (st->money + st->name + st->date) >= 4 * st->n;
    if (is_money_field(f))
        return 5 * st->pid12 >= 4 * st->n || 5 * st->name >= 4 * st->n ||
               (5 * st->date >= 4 * st->n && 5 * st->money < st->n);
    if (f == F_FROM_MONTH || f == F_BIRTH_DATE)
        return 5 * st->month < st->n && 5 * st->date < st->n;
    if (f == F_EMPLOYER_TAX_ID)
        return 2 * st->idlike < st->n;
    if (f == F_FULL_NAME || f == F_EMPLOYER_NAME)
        return 5 * st->letters < st->n;
    return false;
}

/* A label read by meaning is a guess until the column's content agrees
 * with the field's value type (docs/inputs.md, "By meaning"): a year
 * column holds years, a name column words, an amount column no names or
 * personal IDs, a month column months.  One value decides (official forms
 * carry three rows); a year or name column with no value at all (a column
 * of zeros under "Trong đó …") does not agree either. */
static bool
meaning_disagrees(int f, const struct colstat *st)
{
    if (f == F_TAX_YEAR)
        return st->n == 0 || st->year < st->n;
    if (f == F_FULL_NAME || f == F_EMPLOYER_NAME)
        return st->n == 0 || 2 * st->letters < st->n;
    if (st->n == 0)
        return false;
    if (is_money_field(f))
        return 2 * st->letters >= st->n || 2 * st->pid12 > st->n;
    if (f == F_FROM_MONTH || f == F_TO_MONTH)
        return 2 * (st->month + st->date) < st->n;
    if (f == F_BIRTH_DATE)
        return 2 * (st->month + st->date + st->year) < st->n;
    if (f == F_INCOME_MONTHS)
        return st->letters > 0 || st->idlike > 0 || st->money > 0;
    return false;
}

/* Whether a column's values are people's identifiers: mostly 8-13
 * digits (or passports), at least half of them distinct (an SI list has a
 * row per span, so one person's ID repeats), not round amounts.  One value
 * is enough: the ID column of a 05-1 form is filled only for people without
 * a tax code, often one or two rows of a file. */
static bool
content_person_ids(const struct colstat *st)
{
    return st->n >= 1 && 5 * st->idlike >= 4 * st->n && 2 * st->distinct >= st->n &&
           2 * st->zeros < st->n;
}

/* Whether they are unmistakably personal identity documents: nearly all
 * identifier-shaped, most of them domestic personal IDs (CCCD: province
 * 001-096, century digit), the rest CMNDs, passports or damaged IDs. */
static bool
content_pids(const struct colstat *st)
{
    return st->n >= 1 && 10 * st->pid12 >= 6 * st->n && 10 * st->idlike >= 9 * st->n &&
           2 * st->distinct >= st->n;
}

/* Whether most values of column c are amounts no larger than the taxable
 * income of their row (column inc): parts of an income ("TNCT được miễn
 * giảm", a deduction), not identifiers, even when written as bare digits. */
static bool
col_below_income(const struct ctx *cx, int last, int skip, int c, int inc)
{
    int compared = 0, below = 0;

    if (inc < 0)
        return false;
    for (int r = last + 1; r < cx->nrows; r++) {
        const struct hrow *row = &cx->rows[r];
        int64_t v, total;
        if (r == skip || (size_t)c >= row->ncells || (size_t)inc >= row->ncells)
            continue;
        if (values_money(row->cells[c].s, row->cells[c].n, &v) != VAL_OK ||
            values_money(row->cells[inc].s, row->cells[inc].n, &total) != VAL_OK || v == 0)
            continue;
        compared++;
        below += v <= total;
    }
    return compared >= 1 && 5 * below >= 4 * compared;
}

static bool
col_feeds(const struct cand *cd, int c)
{
    for (int f = 0; f < F_COUNT; f++)
        if (cd->col[f] == c || cd->alt[f] == c)
            return true;
    return false;
}

/* Whether column c of the block feeds no field and its label leaves it open
 * (ids: not ruled out as an identifier, labels_not_person_id; else: not a
 * known fieldless label at all); *st then holds its values' shapes. */
static bool
free_column(struct ctx *cx, const struct cand *cd, int c, int last, int skip, bool ids,
            struct colstat *st)
{
    char buf[3 * FOLD_MAX];
    size_t n;

    if (col_feeds(cd, c))
        return false;
    n = hdr_form_text(cx, cd->r, cd->w, c, 0, cd->s - 1, buf, sizeof buf);
    if (n > 0 && (ids ? labels_not_person_id(buf, n)
                      : labels_classify(cx->kind, buf, n, NULL) == LABELS_OTHER))
        return false;
    col_stat(cx, last, skip, c, st);
    return true;
}

/*
 * Check the chosen block against its data rows: refuse mappings the
 * content contradicts, map a personal-ID column that no label named when
 * its content is unmistakable, and list the columns that look like
 * person identifiers but feed no field (reported; their records are not
 * accused, see match.c).  Updates cd->score.
 */
/* Field f read from column c by its content alone (every header level). */
static void
take_by_content(struct cand *cd, int f, int c)
{
    cd->col[f] = c;
    cd->lo[f] = 0;
    cd->hi[f] = cd->s - 1;
    cd->how[f] = HOW_CONTENT;
    cd->score++;
}

/* Whether nearly every value of column c under the header names a change
 * in words ("Tăng …", "Giảm …", "Điều chỉnh …", values_change_word; the
 * one-letter codes of a change-type column are not asked for: a plan-code
 * column of "TM" is no change type): a change-type column. */
static bool
change_words(const struct ctx *cx, int last, int skip, int c)
{
    int n = 0, words = 0;

    for (int r = last + 1; r < cx->nrows; r++) {
        const struct hrow *row = &cx->rows[r];
        values_change ch;
        if (r == skip || (size_t)c >= row->ncells)
            continue;
        ch = values_change_word(row->cells[c].s, row->cells[c].n, false);
        if (ch == CHANGE_NONE)
            continue;
        n++;
        words += ch != CHANGE_BAD;
    }
    return n >= 1 && 10 * words >= 9 * n;
}

void
hdr_content_pass(struct ctx *cx, struct cand *cd)
{
    int last = cd->r + cd->s - 1, w = cd->w, skip = -1;
    struct colstat st;

    if (last + 1 < cx->nrows && hdr_row_is_colnum(&cx->rows[last + 1], w))
        skip = last + 1;
    hdr_merge_block(cx, cd->r, cd->s, w);
    /* "Loại phương án" over "Tăng lao động" / "Giảm lao động": the
     * column says what changed, whatever its label suggested */
    if (cx->kind == KIND_SI && cd->col[F_CHANGE_TYPE] < 0 && cd->col[F_PLAN_CODE] >= 0 &&
        change_words(cx, last, skip, cd->col[F_PLAN_CODE])) {
        cd->col[F_CHANGE_TYPE] = cd->col[F_PLAN_CODE];
        cd->lo[F_CHANGE_TYPE] = cd->lo[F_PLAN_CODE];
        cd->hi[F_CHANGE_TYPE] = cd->hi[F_PLAN_CODE];
        cd->how[F_CHANGE_TYPE] = HOW_CONTENT;
        cd->col[F_PLAN_CODE] = -1;
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (cd->col[f] < 0 || cd->how[f] == HOW_CONTENT)
            continue;
        col_stat(cx, last, skip, cd->col[f], &st);
        if (content_refuses(f, &st) ||
            (cd->how[f] == HOW_MEANING && meaning_disagrees(f, &st))) {
            cd->refused[f] = cd->col[f];
            cd->col[f] = cd->alt[f];
            cd->alt[f] = -1;
            if (cd->col[f] < 0)
                cd->score--;
        }
    }
    if (cx->kind != KIND_EMPLOYERS && cd->col[F_ID_NUMBER] < 0) {
        for (int c = 0; c < w; c++) {
            if (!free_column(cx, cd, c, last, skip, true, &st))
                continue;
            if (content_pids(&st)) {
                take_by_content(cd, F_ID_NUMBER, c);
                break;
            }
        }
    }
    /* the employer's tax code and the person's name, when no label said
     * so: valid tax codes repeated down the column (one employer has many
     * rows); two or more words of letters, nearly all different */
    for (int pass = 0; pass < 2; pass++) {
        int f = pass == 0 ? F_EMPLOYER_TAX_ID : F_FULL_NAME;
        if (!fields_in_kind(cx->kind, (field_id)f) || cd->col[f] >= 0)
            continue;
        for (int c = 0; c < w; c++) {
            if (!free_column(cx, cd, c, last, skip, false, &st) || st.n < 4)
                continue;
            if (pass == 0 ? 10 * st.taxcode >= 9 * st.n && 2 * st.distinct <= st.n
                          : 10 * st.name >= 9 * st.n && 5 * st.distinct >= 4 * st.n) {
                take_by_content(cd, f, c);
                break;
            }
        }
    }
    cd->nunread = 0;
    if (cx->kind == KIND_EMPLOYERS)
        return;
    for (int c = 0; c < w && cd->nunread < HEADER_MAX_UNREAD; c++) {
        if (!free_column(cx, cd, c, last, skip, true, &st))
            continue;
        if (content_person_ids(&st) &&
            !col_below_income(cx, last, skip, c, cd->col[F_TAXABLE_INCOME]))
            cd->unread[cd->nunread++] = c;
    }
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

/* The width of the data rows under a header at row `from`: the median of
 * their widths up to the last non-blank cell, the lower one of two (0
 * without data rows).  A
 * column right of the last label (an ID column appended to an export
 * without a heading) is a column all the same: read by its content. */
int
hdr_data_width(const struct ctx *cx, int from)
{
    int v[HEADER_SCAN_ROWS + HEADER_MAX_SPAN], n = 0;

    for (int i = from; i < cx->nrows && n < (int)(sizeof v / sizeof v[0]); i++)
        if (cx->rc[i].n > 0)
            v[n++] = cx->rc[i].n;
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    return v[(n - 1) / 2]; /* the lower median: at least half the rows reach it */
}
