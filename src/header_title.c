/*
 * header_title.c - the title block above a header (docs/inputs.md,
 * "Finding the table").
 *
 * Decides: the values a title block gives (employer tax code and name, SI
 * unit code, tax year), the form code it names and the schedule its title
 * names.  Never decides: where the header is (the title block is whatever
 * stands above it), nor any column's field.
 *
 * Rows above the header are the title block, scanned for "label: value"
 * pairs, form codes and the title naming a schedule; header_title_row scans
 * one later row the same way.  The title labels are folded once
 * (pthread_once) and only read after, so loader threads may call this
 * concurrently.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sirecon/values.h"
#include "header_int.h"

#define TITLE_LABEL_MAX 120 /* bytes: the longest title label looked for */
#define TITLE_ROW_WIDE 4 /* cells of 2+ characters in a title line, at most */

/* Labels of the title block.  Whatever the kind, a tax code in the title
 * block is the employer's (the payer's, [05] on the tax forms). */
static const struct alias title_labels[] = {
    {F_EMPLOYER_TAX_ID, "Mã số thuế"}, {F_EMPLOYER_TAX_ID, "MST"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế đơn vị"}, {F_EMPLOYER_TAX_ID, "MST đơn vị"},
    {F_EMPLOYER_TAX_ID, "MST doanh nghiệp"}, {F_EMPLOYER_TAX_ID, "Mã số thuế doanh nghiệp"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế của tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế người nộp thuế"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế của người nộp thuế"},
    {F_EMPLOYER_TAX_ID, "Mã số doanh nghiệp"},
    {F_EMPLOYER_NAME, "Tên người nộp thuế"}, {F_EMPLOYER_NAME, "Tên đơn vị"},
    {F_EMPLOYER_NAME, "Tên doanh nghiệp"}, {F_EMPLOYER_NAME, "Tên tổ chức trả thu nhập"},
    {F_EMPLOYER_NAME, "Tên tổ chức, cá nhân trả thu nhập"},
    {F_EMPLOYER_NAME, "Tên tổ chức"}, {F_EMPLOYER_NAME, "Tên công ty"},
    {F_EMPLOYER_NAME, "Tên cơ quan, đơn vị"}, {F_EMPLOYER_NAME, "Đơn vị"},
    {F_UNIT_CODE, "Mã đơn vị"}, {F_UNIT_CODE, "Mã ĐV"}, {F_UNIT_CODE, "Mã đơn vị BHXH"},
    {F_TAX_YEAR, "Kỳ tính thuế"}, {F_TAX_YEAR, "Năm quyết toán"},
    {F_TAX_YEAR, "Năm tính thuế"}, {F_TAX_YEAR, "Năm"},
};

/* The first year 1900..2099 standing alone in s, written as 4 digits. */
static bool
find_year(const char *s, size_t n, char out[5])
{
    for (size_t i = 0; i + 4 <= n; i++) {
        if ((i > 0 && isdigit((unsigned char)s[i - 1])) ||
            !isdigit((unsigned char)s[i]) || !isdigit((unsigned char)s[i + 1]) ||
            !isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3]) ||
            (i + 4 < n && isdigit((unsigned char)s[i + 4])))
            continue;
        if ((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) {
            memcpy(out, s + i, 4);
            out[4] = '\0';
            return true;
        }
    }
    return false;
}

struct tctx {
    file_kind kind;
    struct header_map *m;
    int tsched;  /* schedule from the title text, 0 none */
    bool strong; /* tsched from the rate phrase, not a hint (see title_schedule) */
};

/* The title labels folded once for all calls and threads: read-only after
 * title_fold_init. */
#define TFOLD_MAX 96
static char title_fold[NELEM(title_labels)][TFOLD_MAX];
static pthread_once_t title_once = PTHREAD_ONCE_INIT;

static void
title_fold_init(void)
{
    for (size_t i = 0; i < NELEM(title_labels); i++)
        header_fold(title_labels[i].label, strlen(title_labels[i].label), title_fold[i],
                    TFOLD_MAX);
}

static int
title_lookup(const char *f)
{
    for (size_t i = 0; i < NELEM(title_labels); i++)
        if (strcmp(f, title_fold[i]) == 0)
            return title_labels[i].field;
    return -1;
}

/* The field of a title-block label s[0..n) ("Mã số thuế (MST)" too), or -1. */
static int
title_field(const struct tctx *t, const char *s, size_t n)
{
    char f[FOLD_MAX];
    int fld;

    (void)t;
    if (header_fold(s, n, f, sizeof f) == 0)
        return -1;
    if ((fld = title_lookup(f)) < 0 && hdr_fold_short(s, n, f, sizeof f) > 0)
        fld = title_lookup(f);
    return fld;
}

/*
 * The schedule a folded title names without its form code.  The rate is
 * decisive: "... THEO BIỂU THUẾ LŨY TIẾN TỪNG PHẦN" is 05-1, "... THEO THUẾ
 * SUẤT TOÀN PHẦN" (TT92's 05-2) is 05-2.  Who the list covers is a hint of
 * 05-2 that a rate phrase overrides: "... CÁ NHÂN KHÔNG KÝ HỢP ĐỒNG LAO ĐỘNG
 * HOẶC KÝ HỢP ĐỒNG LAO ĐỘNG DƯỚI 03 THÁNG" (TT80's 05-2), "CÁ NHÂN KHÔNG CƯ
 * TRÚ".
 */
static void
title_schedule(struct tctx *t, const char *f)
{
    static const char *const hints2[] = {
        "khongkyhopdonglaodong", "hopdonglaodongduoi03thang",
        "hopdonglaodongduoi3thang", "canhankhongcutru",
    };

    if (t->strong || t->kind != KIND_TAX)
        return;
    if (strstr(f, "thuesuattoanphan") != NULL) {
        t->tsched = 2;
        t->strong = true;
    } else if (strstr(f, "bieuthueluytientungphan") != NULL ||
               strstr(f, "bieuluytientungphan") != NULL) {
        t->tsched = 1;
        t->strong = true;
    } else if (t->tsched == 0) {
        for (size_t i = 0; i < NELEM(hints2); i++)
            if (strstr(f, hints2[i]) != NULL)
                t->tsched = 2;
    }
}

static void
title_set(struct tctx *t, int f, const char *v, size_t n)
{
    char year[5];

    values_trim(&v, &n);
    /* a value ending in the next field's marker: "Công ty X [05]" */
    if (n >= 3 && (v[n - 1] == ']' || v[n - 1] == ')')) {
        const char *p = v;
        size_t k = n;
        header_strip_marker(&p, &k);
        if (p == v && k < n)
            n = k;
    }
    if (f < 0 || n == 0 || t->m->title[f] != NULL || !fields_in_kind(t->kind, (field_id)f))
        return;
    if (f == F_TAX_YEAR) {
        if (find_year(v, n, year))
            t->m->title[f] = xstrdup(year);
        return;
    }
    t->m->title[f] = xstrndup(v, n);
}

/* The value of a label that ends its cell: the next non-blank cell of the
 * row; digits spread one per cell (the forms' boxes) are joined. */
static void
title_value_after(struct tctx *t, int f, const struct hrow *row, size_t c)
{
    char buf[64];
    size_t len = 0;

    for (c++; c < row->ncells && hdr_cell_blank(row, c); c++)
        ;
    if (c >= row->ncells)
        return;
    const char *s = row->cells[c].s;
    size_t n = row->cells[c].n;
    values_trim(&s, &n);
    if (n == 1 && isdigit((unsigned char)s[0])) {
        for (; c < row->ncells; c++) {
            s = row->cells[c].s;
            n = row->cells[c].n;
            values_trim(&s, &n);
            if (n == 0)
                continue;
            if (n != 1 || !(isdigit((unsigned char)s[0]) || s[0] == '-') ||
                len + 1 >= sizeof buf)
                break;
            buf[len++] = s[0];
        }
        title_set(t, f, buf, len);
        return;
    }
    if (strchr("[(", s[0]) == NULL && memchr(s, ':', n) == NULL &&
        title_field(t, s, n) < 0)
        title_set(t, f, s, n);
}

/*
 * One title cell: "label: value" pairs, possibly several in one cell
 * ("Tên đơn vị: Công ty A   Mã đơn vị: TA1234"), a label alone (value in the
 * next non-blank cell), "Năm 2025", or a form code.
 */
static void
title_cell(struct tctx *t, const struct hrow *row, size_t c)
{
    const char *s = row->cells[c].s;
    size_t n = row->cells[c].n;
    size_t lab_s[8], lab_e[8];
    int lab_f[8], nl = 0;
    size_t seg = 0;
    char f[FOLD_MAX];

    values_trim(&s, &n);
    if (n == 0)
        return;

    /* form codes */
    header_fold(s, n, f, sizeof f);
    if (t->m->form == NULL) {
        const char *p = strstr(f, "bkqtttncn");
        if (p == NULL)
            p = strstr(f, "bktncn");
        if (p != NULL && p - f >= 3 && strncmp(p - 3, "051", 3) == 0) {
            t->m->form = "05-1/BK-QTT-TNCN";
            t->m->schedule = 1;
        } else if (p != NULL && p - f >= 3 && strncmp(p - 3, "052", 3) == 0) {
            t->m->form = "05-2/BK-QTT-TNCN";
            t->m->schedule = 2;
        } else if (strstr(f, "d02lt") != NULL) {
            t->m->form = "D02-LT";
        }
    }
    title_schedule(t, f);
    /* "Năm 2025", "Kỳ tính thuế Năm 2025" */
    {
        const char *p = f;
        bool ky = strncmp(p, "kytinhthue", 10) == 0;
        if (ky)
            p += 10;
        if (strncmp(p, "nam", 3) == 0)
            p += 3;
        if ((ky || p != f) && strlen(p) >= 4 && isdigit((unsigned char)p[0]) &&
            (ky || p[4] == '\0'))
            title_set(t, F_TAX_YEAR, p, 4);
    }

    /* a form title ending in its year: "BẢNG KÊ … (Phụ lục 05-1/BK-QTT-TNCN)
     * — NĂM 2025", as payroll software writes it; "năm" with its breve
     * (a cell written with diacritics), "nam" only in a cell without any */
    if (n > 9 && (strstr(f, "qtttncn") || strstr(f, "bktncn")) &&
        isdigit((unsigned char)s[n - 1]) && isdigit((unsigned char)s[n - 4]) &&
        isdigit((unsigned char)s[n - 2]) && isdigit((unsigned char)s[n - 3]) &&
        (s[n - 4] == '1' || s[n - 4] == '2')) {
        size_t e = n - 4;
        bool plain = true;
        for (size_t i = 0; i < n && plain; i++)
            plain = (unsigned char)s[i] < 0x80;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        if ((e >= 4 && (memcmp(s + e - 4, "n\xc4\x83m", 4) == 0 ||
                        memcmp(s + e - 4, "N\xc4\x82M", 4) == 0 ||
                        memcmp(s + e - 4, "N\xc4\x83m", 4) == 0)) ||
            (plain && e >= 3 && strncasecmp(s + e - 3, "nam", 3) == 0))
            title_set(t, F_TAX_YEAR, s + n - 4, 4);
    }

    /* label: value pairs */
    for (size_t i = 0, colons = 0; i < n && nl < 8 && colons < 32; i++) {
        if (s[i] != ':')
            continue;
        bool cut = false;
        colons++;
        /* labels are short: look at most TITLE_LABEL_MAX bytes back */
        if (i - seg > TITLE_LABEL_MAX) {
            seg = i - TITLE_LABEL_MAX;
            cut = true;
        }
        for (size_t o = seg; o < i; o++) {
            int fld;
            if ((o > seg || cut) && !hdr_is_space_at(s, n, o - 1) &&
                s[o - 1] != ',' && s[o - 1] != ';')
                continue;
            if ((fld = title_field(t, s + o, i - o)) >= 0) {
                lab_s[nl] = o;
                lab_e[nl] = i;
                lab_f[nl] = fld;
                nl++;
                break;
            }
        }
        seg = i + 1;
    }
    if (nl > 0) {
        for (int k = 0; k < nl; k++) {
            size_t vs = lab_e[k] + 1, ve = k + 1 < nl ? lab_s[k + 1] : n;
            const char *v = s + vs;
            size_t vn = ve - vs;
            values_trim(&v, &vn);
            if (vn == 0 && k + 1 == nl)
                title_value_after(t, lab_f[k], row, c);
            else
                title_set(t, lab_f[k], v, vn);
        }
        return;
    }
    /* a label alone: the value is in the next cell */
    {
        int fld = title_field(t, s, n);
        if (fld >= 0)
            title_value_after(t, fld, row, c);
    }
}

static void
tctx_init(struct tctx *t, file_kind kind, struct header_map *m)
{
    pthread_once(&title_once, title_fold_init);
    t->kind = kind;
    t->m = m;
    t->tsched = 0;
    t->strong = false;
}

/* The form code's schedule wins over the title text's. */
static void
tctx_finish(const struct tctx *t)
{
    if (t->m->schedule == 0)
        t->m->schedule = t->tsched;
}

void
hdr_scan_title(file_kind kind, const struct hrow *rows, int nrows, struct header_map *m)
{
    struct tctx t;

    tctx_init(&t, kind, m);
    for (int r = 0; r < nrows; r++)
        for (size_t c = 0; c < rows[r].ncells; c++)
            title_cell(&t, &rows[r], c);
    tctx_finish(&t);
}

bool
header_title_row(file_kind kind, const struct hrow *row, struct header_map *vals)
{
    struct tctx t;
    bool had[F_COUNT];
    int sched = vals != NULL ? vals->schedule : 0, wide = 0, nonblank = 0;
    const char *form = vals != NULL ? vals->form : NULL;
    bool found = false;

    if (row == NULL || vals == NULL || (unsigned)kind >= KIND_COUNT)
        return false;
    /* a data or header row has several cells of two characters or more; a
     * title line one to four (a value's digits may sit one per cell) */
    for (size_t c = 0; c < row->ncells; c++) {
        const char *s = row->cells[c].s;
        size_t n = row->cells[c].n;
        values_trim(&s, &n);
        if (n > 0)
            nonblank++;
        if (n >= 2 && ++wide > TITLE_ROW_WIDE)
            return false;
    }
    if (nonblank == 0)
        return false;
    for (int f = 0; f < F_COUNT; f++)
        had[f] = vals->title[f] != NULL;
    tctx_init(&t, kind, vals);
    for (size_t c = 0; c < row->ncells; c++)
        title_cell(&t, row, c);
    tctx_finish(&t);
    for (int f = 0; f < F_COUNT; f++)
        if (!had[f] && vals->title[f] != NULL)
            found = true;
    return found || vals->schedule != sched || vals->form != form;
}
