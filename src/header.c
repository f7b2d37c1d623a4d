/*
 * header.c - find the table inside a form export (docs/inputs.md, "Finding
 * the table"): the header block and the field each of its columns feeds.
 *
 * Decides: which candidate block is the header, each column's field (by
 * alias, by meaning, by content), the header map, and the message when no
 * block holds the required fields.  Never decides: which rows can be a
 * header or what a row under it is (header_rows.c), what a column's values
 * are (header_content.c), a label's aliases (header_aliases.c) or meaning
 * (labels.c), the title block (header_title.c), a form's columns (forms.c).
 *
 * A column matches a field when one of its label forms ("parent child",
 * "child", and as a fallback the parent alone at the parent's own column)
 * folds (names_fold_label, column-number markers stripped) to an alias of the
 * kind, exactly.  Two columns for one field: the first keeps it, unless it
 * matched through a generic label (WEAK) and a later one is specific.  A
 * label with a short bracketed suffix ("Thu nhập chịu thuế (TNCT)", "Mức
 * lương (VNĐ)") that matches nothing is tried again without it.  The
 * candidate with the most distinct fields that holds the required ones wins;
 * ties go to the smaller span, then the earlier row; a row under it that only
 * refines merged groups joins it.  Each call builds its own context (the
 * scanned rows, the folded alias set) and the title labels are folded once
 * (header_title.c), so loader threads may call this concurrently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/forms.h"
#include "sirecon/labels.h"
#include "sirecon/values.h"
#include "header_int.h"

#define DIAG_CELLS 300 /* bytes of header cells quoted in a diagnostic */
#define HEADER_MAX_UNLABELLED 4 /* data columns right of the last label, at most */

/* A required group: at least `min` of the fields (a -1 ends the list). */
struct req {
    int min;
    int f[5];
};

static const struct req tax_req[] = {
    {1, {F_FULL_NAME, -1}},
    {1, {F_TAXABLE_INCOME, -1}},
    {1, {F_EMPLOYEE_TAX_ID, F_ID_NUMBER, F_SI_NUMBER, -1}},
};
static const struct req si_req[] = {
    {1, {F_FULL_NAME, -1}},
    {1, {F_SI_NUMBER, F_ID_NUMBER, F_EMPLOYEE_TAX_ID, -1}},
    {1, {F_FROM_MONTH, -1}},
};
static const struct req employer_req[] = {
    {1, {F_EMPLOYER_TAX_ID, -1}},
};
static const struct req identity_req[] = {
    {2, {F_ID_NUMBER, F_EMPLOYEE_TAX_ID, F_CMND, F_SI_NUMBER, -1}},
};

static const struct {
    const struct req *r;
    size_t n;
} kind_req[KIND_COUNT] = {
    [KIND_TAX] = {tax_req, NELEM(tax_req)},
    [KIND_SI] = {si_req, NELEM(si_req)},
    [KIND_EMPLOYERS] = {employer_req, NELEM(employer_req)},
    [KIND_IDENTITIES] = {identity_req, NELEM(identity_req)},
};

/* The Vietnamese label named next to a missing field in a message. */
static const char *
vi_label(file_kind kind, int f)
{
    switch (f) {
    case F_FULL_NAME: return "Họ và tên";
    case F_EMPLOYEE_TAX_ID: return "Mã số thuế";
    case F_ID_NUMBER:
        return kind == KIND_IDENTITIES ? "Số CCCD" : "Số CMND/CCCD/Hộ chiếu";
    case F_TAXABLE_INCOME: return "Tổng thu nhập chịu thuế";
    case F_SI_NUMBER: return "Mã số BHXH";
    case F_FROM_MONTH: return "Từ tháng";
    case F_EMPLOYER_TAX_ID: return "Mã số thuế";
    case F_CMND: return "Số CMND";
    default: return "";
    }
}

/* ---- the search --------------------------------------------------------- */

/* The context of one search: the first rows scanned (header_rows.c), the
 * kind's folded alias set (header_aliases.c). */
static void
ctx_init(struct ctx *cx, file_kind kind, const struct hrow *rows, size_t nrows,
         const struct alias_extra *extra, size_t nextra)
{
    size_t ncache = nrows;

    memset(cx, 0, sizeof *cx);
    cx->kind = kind;
    cx->rows = rows;
    if (ncache > HEADER_SCAN_ROWS + HEADER_MAX_SPAN)
        ncache = HEADER_SCAN_ROWS + HEADER_MAX_SPAN;
    cx->nrows = (int)ncache;
    cx->nscan = cx->nrows < HEADER_SCAN_ROWS ? cx->nrows : HEADER_SCAN_ROWS;
    cx->rc = xcalloc(ncache ? ncache : 1, sizeof *cx->rc);
    for (size_t i = 0; i < ncache; i++)
        hdr_rowc_build(&cx->rc[i], &rows[i]);
    hdr_aset_build(&cx->as, kind, extra, nextra);
}

static void
ctx_free(struct ctx *cx)
{
    if (cx->shape) {
        for (int i = 0; i < cx->nrows; i++)
            free(cx->shape[i]);
        free(cx->shape);
    }
    for (int i = 0; i < cx->nrows; i++)
        hdr_rowc_free(&cx->rc[i]);
    free(cx->rc);
    free(cx->src);
    hdr_aset_free(&cx->as);
}

/* The alias of the label form of levels lo..hi of column c: the full labels,
 * else the labels without their "(TNCT)" suffixes; NULL for none. */
static const struct akey *
form_key(const struct ctx *cx, int r, int w, int c, int lo, int hi, char *buf,
         size_t bufsz)
{
    const struct akey *key = hdr_aset_key(&cx->as, hdr_form_fold(cx, r, w, c, lo, hi,
                                                                 false, buf, bufsz));
    const char *f;

    if (key == NULL && (f = hdr_form_fold(cx, r, w, c, lo, hi, true, buf, bufsz)) != NULL) {
        key = hdr_aset_key(&cx->as, f);
        if (key != NULL && key->field != IGN) {
            /* the suffix may say whose code it is: "Mã số thuế (của đơn
             * vị)" is not the plain label's field; read it by meaning */
            size_t n = hdr_form_text(cx, r, w, c, lo, hi, buf, bufsz);
            int m = labels_classify(cx->kind, buf, n, NULL);
            if (m >= 0 && m != LABELS_OTHER && m != key->field)
                key = NULL;
        }
    }
    return key;
}

static bool
required_ok(file_kind kind, const int col[F_COUNT])
{
    for (size_t g = 0; g < kind_req[kind].n; g++) {
        const struct req *q = &kind_req[kind].r[g];
        int have = 0;
        for (int i = 0; i < 5 && q->f[i] >= 0; i++)
            if (col[q->f[i]] >= 0)
                have++;
        if (have < q->min)
            return false;
    }
    return true;
}

/*
 * Pass 3 of eval_block: columns no alias matched, read by meaning
 * (labels.c), the longest label form first.  Each field goes to the
 * column that names it most surely (then the leftmost); a second column of
 * a person's identifier is read as well.  Returns the fields added.
 */
static int
meaning_pass(struct ctx *cx, int r, int s, int w, struct cand *cd, bool *used)
{
    struct mc { int c, f, sc, lo, hi; } *v = xcalloc((size_t)(w ? w : 1), sizeof *v);
    int nv = 0, added = 0;
    char buf[3 * FOLD_MAX];

    for (int c = 0; c < w; c++) {
        int lv[HEADER_MAX_SPAN], k = 0;
        if (used[c])
            continue;
        for (int l = 0; l < s; l++)
            if (cx->src[(size_t)l * (size_t)w + (size_t)c] >= 0)
                lv[k++] = l;
        for (int i = 0; i < k; i++) {
            int sc, f;
            size_t n = hdr_form_text(cx, r, w, c, lv[i], lv[k - 1], buf, sizeof buf);
            f = labels_classify(cx->kind, buf, n, &sc);
            if (f == LABELS_UNKNOWN)
                continue;
            if (f != LABELS_OTHER)
                v[nv++] = (struct mc){c, f, sc, lv[i], lv[k - 1]};
            break;
        }
    }
    for (;;) {
        int b = -1;
        for (int i = 0; i < nv; i++)
            if (v[i].f >= 0 && (b < 0 || v[i].sc > v[b].sc))
                b = i;
        if (b < 0)
            break;
        int f = v[b].f, c = v[b].c;
        v[b].f = -1;
        if (cd->col[f] >= 0 && cx->kind == KIND_TAX && f == F_EMPLOYEE_TAX_ID &&
            cd->weak[f] && cd->col[F_EMPLOYER_TAX_ID] < 0) {
            /* a plain "Mã số thuế" beside one said to be the person's */
            cd->col[F_EMPLOYER_TAX_ID] = cd->col[f];
            cd->lo[F_EMPLOYER_TAX_ID] = cd->lo[f];
            cd->hi[F_EMPLOYER_TAX_ID] = cd->hi[f];
            cd->col[f] = -1;
            added++;
        }
        if (cd->col[f] < 0) {
            cd->col[f] = c;
            cd->lo[f] = v[b].lo;
            cd->hi[f] = v[b].hi;
            cd->how[f] = HOW_MEANING;
            cd->weak[f] = v[b].sc < 2;
            used[c] = true;
            added++;
        } else if (hdr_is_person_id_field(f) && cd->alt[f] < 0) {
            cd->alt[f] = c;
            used[c] = true;
        }
    }
    free(v);
    return added;
}

/* Score the block of rows r..r+s-1 (see the file comment). */
static void
eval_block(struct ctx *cx, int r, int s, struct cand *cd)
{
    int w = 0, score = 0;
    bool *used;
    char buf[3 * FOLD_MAX];

    memset(cd, 0, sizeof *cd);
    cd->r = r;
    cd->s = s;
    for (int f = 0; f < F_COUNT; f++)
        cd->col[f] = cd->lo[f] = cd->hi[f] = cd->alt[f] = cd->refused[f] = -1;
    if (r + s > cx->nrows)
        return;
    for (int l = 0; l < s; l++) {
        const struct rowc *rc = &cx->rc[r + l];
        /* a header row has labels and no ID or amount in it */
        if (rc->longnum || rc->labels == 0)
            return;
        if (rc->n > w)
            w = rc->n;
        cd->labels += rc->labels;
    }
    int wd = hdr_data_width(cx, r + s);
    if (wd > w && wd <= w + HEADER_MAX_UNLABELLED)
        w = wd;
    cd->valid = true;
    cd->w = w;
    hdr_merge_block(cx, r, s, w);
    used = xcalloc((size_t)(w ? w : 1), sizeof *used);

    /* Pass 1: "grandparent parent child", "parent child", "child". */
    for (int c = 0; c < w; c++) {
        int lv[HEADER_MAX_SPAN], k = 0;
        for (int l = 0; l < s; l++)
            if (cx->src[(size_t)l * (size_t)w + (size_t)c] >= 0)
                lv[k++] = l;
        for (int i = 0; i < k; i++) {
            const struct akey *key = form_key(cx, r, w, c, lv[i], lv[k - 1], buf,
                                              sizeof buf);
            int f, old, lo_old, hi_old;
            if (key == NULL)
                continue;
            used[c] = true;
            f = key->field;
            if (f == IGN)
                break;
            old = cd->col[f];
            if (old >= 0 && !(cd->weak[f] && !key->weak)) {
                /* the field is taken: the first column keeps it; a second
                 * column of a person's identifier is read too */
                if (hdr_is_person_id_field(f) && cd->alt[f] < 0 && old != c)
                    cd->alt[f] = c;
                break;
            }
            lo_old = cd->lo[f];
            hi_old = cd->hi[f];
            cd->col[f] = c;
            cd->lo[f] = lv[i];
            cd->hi[f] = lv[k - 1];
            cd->weak[f] = key->weak;
            if (old < 0) {
                score++;
            } else if (cx->kind == KIND_TAX && f == F_EMPLOYEE_TAX_ID &&
                       cd->col[F_EMPLOYER_TAX_ID] < 0) {
                /* "Mã số thuế" beside "MST cá nhân": the payer's code */
                cd->col[F_EMPLOYER_TAX_ID] = old;
                cd->lo[F_EMPLOYER_TAX_ID] = lo_old;
                cd->hi[F_EMPLOYER_TAX_ID] = hi_old;
                score++;
            }
            break;
        }
    }
    /* Pass 2: a parent alone, at its own column only, for fields still
     * missing ("Số CMND/CCCD" over "Số" / "Ngày cấp" / "Nơi cấp"). */
    for (int c = 0; c < w; c++) {
        if (used[c])
            continue;
        for (int l = 0; l < s - 1; l++) {
            if (cx->src[(size_t)l * (size_t)w + (size_t)c] != c)
                continue;
            const struct akey *key = form_key(cx, r, w, c, l, l, buf, sizeof buf);
            int f = key ? key->field : -1;
            if (f >= 0 && f != IGN && cd->col[f] < 0) {
                cd->col[f] = c;
                cd->lo[f] = cd->hi[f] = l;
                score++;
                used[c] = true;
                break;
            }
        }
    }
    score += meaning_pass(cx, r, s, w, cd, used);
    free(used);
    cd->score = score;
}

/* Ordering of candidates: more fields, then the smaller span, then the
 * earlier row. */
static bool
better(const struct cand *a, const struct cand *b)
{
    if (!b->valid)
        return a->valid;
    if (!a->valid)
        return false;
    if (a->score != b->score)
        return a->score > b->score;
    if (a->s != b->s)
        return a->s < b->s;
    return a->r < b->r;
}

/*
 * Search every block.  *best gets the best block holding the required
 * fields (valid false when none), *top the best block of all (for the
 * diagnostic).
 */
static void
search(struct ctx *cx, struct cand *best, struct cand *top)
{
    struct cand cd;

    memset(best, 0, sizeof *best);
    memset(top, 0, sizeof *top);
    for (int r = 0; r < cx->nscan; r++) {
        for (int s = 1; s <= HEADER_MAX_SPAN && r + s <= cx->nrows; s++) {
            eval_block(cx, r, s, &cd);
            if (!cd.valid)
                continue;
            if (better(&cd, top) ||
                (top->valid && cd.score == top->score && cd.s == top->s &&
                 cd.score == 0 && cd.labels > top->labels))
                *top = cd;
            if (required_ok(cx->kind, cd.col)) {
                if (better(&cd, best))
                    *best = cd;
            } else if (cd.score >= 2) {
                /* a person-ID column no label named: its content may */
                struct cand cc = cd;
                hdr_content_pass(cx, &cc);
                if (required_ok(cx->kind, cc.col) && better(&cc, best))
                    *best = cc;
            }
        }
    }
    /* A label-only row under the chosen block that only refines groups
     * ("Tổng số" / "Trong đó" under "Thu nhập chịu thuế"), or a row of the
     * software's field codes ("HoTen", "MasoBHXH"), belongs to it even when
     * the block alone already matched. */
    while (best->valid && best->s < HEADER_MAX_SPAN && best->r + best->s < cx->nrows &&
           (hdr_continues_block(cx, best, best->r + best->s) ||
            hdr_is_code_row(cx, best->r + best->s))) {
        eval_block(cx, best->r, best->s + 1, &cd);
        if (!cd.valid || !required_ok(cx->kind, cd.col) || cd.score < best->score)
            break;
        *best = cd;
    }
    if (best->valid) {
        struct cand cc = *best;
        hdr_content_pass(cx, &cc);
        if (!required_ok(cx->kind, cc.col)) {
            /* the content refused a required column: keep the labels'
             * reading (the rows will say what is wrong) */
            cc = *best;
            for (int f = 0; f < F_COUNT; f++)
                cc.refused[f] = -1;
            struct cand tmp = cc;
            hdr_content_pass(cx, &tmp);
            cc.nunread = tmp.nunread;
            memcpy(cc.unread, tmp.unread, sizeof cc.unread);
        }
        *best = cc;
    }
}

/* ---- building the map --------------------------------------------------- */

static void
map_init(struct header_map *m)
{
    memset(m, 0, sizeof *m);
    m->first = m->last = -1;
    m->colnum_row = -1;
    for (int f = 0; f < F_COUNT; f++)
        m->col[f] = m->alt[f] = m->refused[f] = -1;
}

const char *
header_how_name(int how)
{
    return how == HOW_MEANING ? "meaning" : how == HOW_CONTENT ? "content"
         : how == HOW_FORM ? "form" : "alias";
}

void
header_map_free(struct header_map *m)
{
    int levels;

    if (m == NULL)
        return;
    for (int f = 0; f < F_COUNT; f++) {
        free(m->label[f]);
        free(m->title[f]);
    }
    if (m->header_cells)
        for (int c = 0; c < m->ncols; c++)
            free(m->header_cells[c]);
    free(m->header_cells);
    levels = m->first >= 0 ? m->last - m->first + 1 : 0;
    if (m->hdr_fold)
        for (int i = 0; i < levels * m->ncols; i++)
            free(m->hdr_fold[i]);
    free(m->hdr_fold);
    map_init(m);
}

static void
fill_map(struct ctx *cx, const struct cand *cd, struct header_map *m)
{
    int w = cd->w;

    hdr_merge_block(cx, cd->r, cd->s, w);
    m->first = cd->r;
    m->last = cd->r + cd->s - 1;
    m->ncols = w;
    for (int f = 0; f < F_COUNT; f++) {
        m->col[f] = cd->col[f];
        m->how[f] = cd->how[f];
        m->alt[f] = cd->alt[f];
        m->refused[f] = cd->refused[f];
        if (cd->col[f] >= 0)
            m->label[f] = hdr_join_levels(cx, cd, cd->col[f], cd->lo[f], cd->hi[f]);
    }
    m->nunread = cd->nunread;
    memcpy(m->unread, cd->unread, sizeof m->unread);
    m->header_cells = xcalloc((size_t)(w ? w : 1), sizeof *m->header_cells);
    for (int c = 0; c < w; c++)
        m->header_cells[c] = hdr_join_levels(cx, cd, c, 0, cd->s - 1);
    m->hdr_fold = xcalloc((size_t)(cd->s * (w ? w : 1)), sizeof *m->hdr_fold);
    for (int l = 0; l < cd->s; l++) {
        const struct rowc *rc = &cx->rc[cd->r + l];
        for (int c = 0; c < w; c++)
            m->hdr_fold[l * w + c] = xstrdup(c < rc->n && (rc->fl[c] & CF_LABEL) ?
                                             rc->fold[c] : "");
    }
    if (m->last + 1 < cx->nrows && hdr_row_is_colnum(&cx->rows[m->last + 1], w))
        m->colnum_row = m->last + 1;
    hdr_scan_title(cx->kind, cx->rows, m->first, m);
    /* a title-block value is not overridden by a column read by meaning */
    for (int f = 0; f < F_COUNT; f++)
        if (m->title[f] != NULL && m->col[f] >= 0 && m->how[f] == HOW_MEANING) {
            m->refused[f] = m->col[f];
            m->col[f] = -1;
            free(m->label[f]);
            m->label[f] = NULL;
        }
    /* 05-2 has a non-resident column and no insurance column (docs/inputs.md, "Fields") */
    if (cx->kind == KIND_TAX && m->schedule == 0) {
        if (m->col[F_NON_RESIDENT] >= 0 && m->col[F_INSURANCE_DEDUCTION] < 0)
            m->schedule = 2;
        else if (m->col[F_INSURANCE_DEDUCTION] >= 0)
            m->schedule = 1;
    }
}

/* ---- the diagnostic ----------------------------------------------------- */

static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static sirecon_status
fail(struct ctx *cx, const struct cand *top, const char *file, struct diag *d)
{
    char miss[512], cells[DIAG_CELLS + 64];
    size_t ml = 0, cl = 0;
    int nmiss = 0;
    const char *kn = fields_kind_name(cx->kind);

    miss[0] = cells[0] = '\0';
    if (!top->valid)
        return diag_set(d, SIRECON_ERR_DATA, file, cx->nrows > 0 ? cx->rows[0].line : 0,
                        "%s file: no header row found in the first %d rows "
                        "(expected columns such as \"%s\")", kn, HEADER_SCAN_ROWS,
                        vi_label(cx->kind, kind_req[cx->kind].r[0].f[0]));
    for (size_t g = 0; g < kind_req[cx->kind].n; g++) {
        const struct req *q = &kind_req[cx->kind].r[g];
        int have = 0, k = 0;
        for (k = 0; k < 5 && q->f[k] >= 0; k++)
            if (top->col[q->f[k]] >= 0)
                have++;
        if (have >= q->min)
            continue;
        nmiss += q->min;
        if (ml > 0)
            ml += (size_t)snprintf(miss + ml, sizeof miss - ml, ", ");
        if (ml < sizeof miss && q->min > 1)
            ml += (size_t)snprintf(miss + ml, sizeof miss - ml, "at least %d of ", q->min);
        for (int i = 0; i < k && ml < sizeof miss; i++)
            ml += (size_t)snprintf(miss + ml, sizeof miss - ml, "%s%s (%s)",
                                   i == 0 ? "" : q->min > 1 ? ", " : " or ",
                                   fields_name((field_id)q->f[i]),
                                   vi_label(cx->kind, q->f[i]));
        if (ml >= sizeof miss)
            ml = sizeof miss - 1;
    }
    hdr_merge_block(cx, top->r, top->s, top->w);
    for (int c = 0; c < top->w; c++) {
        char *h = hdr_join_levels(cx, top, c, 0, top->s - 1);
        size_t hn = strlen(h), cut = utf8_cut(h, hn, 60);
        if (hn > 0) {
            if (cl + cut + 8 > DIAG_CELLS) {
                snprintf(cells + cl, sizeof cells - cl, "%s...", cl ? ", " : "");
                free(h);
                break;
            }
            cl += (size_t)snprintf(cells + cl, sizeof cells - cl, "%s\"%.*s%s\"",
                                   cl ? ", " : "", (int)cut, h, cut < hn ? "..." : "");
        }
        free(h);
    }
    return diag_set(d, SIRECON_ERR_DATA, file, cx->rows[top->r].line,
                    "%s file: missing required column%s %s; header cells seen: %s",
                    kn, nmiss > 1 ? "s" : "", miss, cells);
}

/* ---- official forms ----------------------------------------------------- */

/* The label of column c of a recognised form: its header cells top to
 * bottom, a blank one under a merged parent taking the parent's (the
 * nearest label to its left in that row, when a row below labels c). */
static char *
form_label(const struct hrow *rows, int first, int last, int c)
{
    char buf[3 * FOLD_MAX];
    size_t len = 0;

    buf[0] = '\0';
    for (int r = first; r <= last; r++) {
        const struct hrow *row = &rows[r];
        int cc = c;
        bool below = false;
        for (int q = r + 1; q <= last && !below; q++)
            below = !hdr_cell_blank(&rows[q], (size_t)c);
        while (below && cc > 0 && hdr_cell_blank(row, (size_t)cc))
            cc--;
        if (hdr_cell_blank(row, (size_t)cc) || (cc != c && !below))
            continue;
        const char *t = row->cells[cc].s;
        size_t n = row->cells[cc].n;
        values_trim(&t, &n);
        if (len + n + 2 >= sizeof buf)
            break;
        if (len)
            buf[len++] = ' ';
        for (size_t i = 0; i < n; i++) { /* "Tiền lương/\nHệ số lương": one line */
            char ch = t[i] == '\n' || t[i] == '\r' || t[i] == '\t' ? ' ' : t[i];
            if (ch != ' ' || (len > 0 && buf[len - 1] != ' '))
                buf[len++] = ch;
        }
        buf[len] = '\0';
    }
    return xstrdup(buf);
}

/* The header map of a file recognised as an official form: the form's own
 * columns, the title block above its header, its schedule. */
static void
fill_from_form(file_kind kind, const struct hrow *rows, const struct form_match *fm,
               struct header_map *m)
{
    int w = 0;
    char f[FOLD_MAX];

    for (int r = fm->first; r <= fm->last; r++)
        if ((int)rows[r].ncells > w)
            w = (int)rows[r].ncells;
    if (fm->colnum_row >= 0 && (int)rows[fm->colnum_row].ncells > w)
        w = (int)rows[fm->colnum_row].ncells;
    m->first = fm->first;
    m->last = fm->last;
    m->colnum_row = fm->colnum_row;
    m->ncols = w;
    m->catalogued = fm->def;
    m->form = fm->def->code;
    m->schedule = fm->def->schedule;
    m->nform_missing = fm->nmissing;
    memcpy(m->form_missing, fm->missing, sizeof m->form_missing);
    m->nform_added = fm->nadded;
    memcpy(m->form_added, fm->added, sizeof m->form_added);
    m->header_cells = xcalloc((size_t)(w ? w : 1), sizeof *m->header_cells);
    for (int c = 0; c < w; c++)
        m->header_cells[c] = form_label(rows, fm->first, fm->last, c);
    for (int k = 0; k < F_COUNT; k++) {
        m->col[k] = fm->col[k];
        m->how[k] = HOW_FORM;
        if (fm->col[k] >= 0)
            m->label[k] = xstrdup(m->header_cells[fm->col[k]]);
    }
    int levels = fm->last - fm->first + 1;
    m->hdr_fold = xcalloc((size_t)(levels * (w ? w : 1)), sizeof *m->hdr_fold);
    for (int l = 0; l < levels; l++) {
        const struct hrow *row = &rows[fm->first + l];
        for (int c = 0; c < w; c++) {
            size_t k = 0;
            if ((size_t)c < row->ncells && !hdr_cell_blank(row, (size_t)c)) {
                const char *t = row->cells[c].s;
                size_t n = row->cells[c].n;
                values_trim(&t, &n);
                if (!header_is_colnum_cell(t, n))
                    k = header_fold(t, n, f, sizeof f);
            }
            f[k] = '\0';
            m->hdr_fold[l * w + c] = xstrdup(f);
        }
    }
    hdr_scan_title(kind, rows, m->first, m);
    if (fm->def->schedule)
        m->schedule = fm->def->schedule;
    m->form = fm->def->code;
}

/* ---- the interface ------------------------------------------------------ */

sirecon_status
header_detect(file_kind kind, const struct hrow *rows, size_t nrows,
              const struct alias_extra *extra, size_t nextra, const char *file,
              struct header_map *out, struct diag *d)
{
    struct ctx cx;
    struct cand best, top;
    sirecon_status st = SIRECON_OK;

    map_init(out);
    if ((unsigned)kind >= KIND_COUNT || (rows == NULL && nrows > 0))
        return diag_set(d, SIRECON_ERR_INTERNAL, file, 0, "header_detect: bad arguments");
    {
        struct form_match fm;
        char name[128];
        if (forms_recognise(rows, nrows, &fm)) {
            if (fm.def->refuse != NULL) {
                out->catalogued = fm.def; /* a list, refused: not "no list" */
                return diag_set(d, SIRECON_ERR_DATA, file, 0,
                                "this is form %s: %s; it is not read as an input",
                                forms_name(fm.def, name, sizeof name), fm.def->refuse);
            }
            if (fm.def->kind == kind) {
                fill_from_form(kind, rows, &fm, out);
                return SIRECON_OK;
            }
        }
    }
    ctx_init(&cx, kind, rows, nrows, extra, nextra);
    search(&cx, &best, &top);
    if (best.valid)
        fill_map(&cx, &best, out);
    else
        st = fail(&cx, &top, file, d);
    ctx_free(&cx);
    return st;
}

file_kind
header_guess_kind(const struct hrow *rows, size_t nrows,
                  const struct alias_extra *extra, size_t nextra)
{
    file_kind pick = KIND_COUNT;
    int score = -1;
    struct form_match fm;

    if (forms_recognise(rows, nrows, &fm))
        return fm.def->kind; /* an official form, or one to refuse by name */

    /* kinds in order of preference, so a tie keeps the earlier one */
    for (int k = 0; k < KIND_COUNT; k++) {
        struct ctx cx;
        struct cand best, top;
        ctx_init(&cx, (file_kind)k, rows, nrows, extra, nextra);
        search(&cx, &best, &top);
        if (best.valid && best.score > score) {
            score = best.score;
            pick = (file_kind)k;
        }
        ctx_free(&cx);
    }
    return pick;
}
