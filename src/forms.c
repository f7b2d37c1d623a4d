/*
 * forms.c - the catalogue of official forms and its matcher (docs/inputs.md,
 * "Official forms").
 *
 * Decides: whether a file is one of the official layouts, and if so which
 * column feeds which field, from the form's own definition.  Never decides:
 * anything about a file it does not recognise (header.c reads those by
 * labels and content).
 *
 * The knowledge is the tables below, one per form, taken from the forms'
 * own exports (fixtures/forms): per column its indicator
 * ("[06]", "(1)") or machine field code ("HoTen"), the label words that head
 * it, and its field.  The matcher is small: find the column-number row (or
 * the field-code row), read each column's indicator, pick the form whose
 * indicators the row holds (all of them, or all that feed a field when the
 * title names the form), check that the label above each field column
 * agrees, and map.  Adding a form or a vendor's layout is adding rows.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>
#include "sirecon/forms.h"
#include "sirecon/names.h"
#include "sirecon/values.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define N FORM_NONE
#define FOLD 256

/* 05-1/BK-QTT-TNCN, Circular 80/2021 (HTKK layout in use for 2025). */
static const struct form_col cols_05_1_tt80[] = {
    {"6", NULL, NULL, N}, {"7", NULL, "hovaten|hoten", F_FULL_NAME},
    {"8", NULL, "masothue|mst", F_EMPLOYEE_TAX_ID}, {NULL, NULL, NULL, N}, /* Loại giấy tờ */
    {"9", NULL, "cmnd|cccd|hochieu|dinhdanh", F_ID_NUMBER}, {"10", NULL, NULL, N},
    {"11", NULL, NULL, N}, {"12", NULL, "thunhapchiuthue|tongso", F_TAXABLE_INCOME},
    {"13", NULL, NULL, N}, {"14", NULL, NULL, N}, {"15", NULL, NULL, N},
    {"15.1", NULL, NULL, N}, {"16", NULL, NULL, N}, {"17", NULL, NULL, N},
    {"18", NULL, NULL, N}, {"19", NULL, "baohiemduoctru", F_INSURANCE_DEDUCTION},
    {"20", NULL, NULL, N}, {"21", NULL, NULL, N},
    {"22", NULL, "khautru|tongso", F_TAX_WITHHELD}, {"23", NULL, NULL, N},
    {"24", NULL, NULL, N}, {"25", NULL, NULL, N}, {"26", NULL, NULL, N}, {"27", NULL, NULL, N},
};

/* 05-2/BK-QTT-TNCN, Circular 80/2021: no insurance column. */
static const struct form_col cols_05_2_tt80[] = {
    {"6", NULL, NULL, N}, {"7", NULL, "hovaten|hoten", F_FULL_NAME},
    {"8", NULL, "masothue|mst", F_EMPLOYEE_TAX_ID}, {NULL, NULL, NULL, N},
    {"9", NULL, "cmnd|cccd|hochieu|dinhdanh", F_ID_NUMBER},
    {"10", NULL, "khongcutru", F_NON_RESIDENT},
    {"11", NULL, "thunhapchiuthue|tongso", F_TAXABLE_INCOME}, {"12", NULL, NULL, N},
    {"13", NULL, NULL, N}, {"14", NULL, NULL, N},
    {"15", NULL, "khautru|tongso", F_TAX_WITHHELD}, {"16", NULL, NULL, N},
};

/* 05-1/BK-QTT-TNCN, Circular 92/2015 (three header rows). */
static const struct form_col cols_05_1_tt92[] = {
    {"6", NULL, NULL, N}, {"7", NULL, "hovaten|hoten", F_FULL_NAME},
    {"8", NULL, "masothue|mst", F_EMPLOYEE_TAX_ID},
    {"9", NULL, "cmnd|cccd|hochieu|dinhdanh", F_ID_NUMBER}, {"10", NULL, NULL, N},
    {"11", NULL, "thunhapchiuthue|tongso", F_TAXABLE_INCOME}, {"12", NULL, NULL, N},
    {"13", NULL, NULL, N}, {"14", NULL, NULL, N}, {"15", NULL, NULL, N},
    {"16", NULL, NULL, N}, {"17", NULL, "baohiemduoctru", F_INSURANCE_DEDUCTION},
    {"18", NULL, NULL, N}, {"19", NULL, NULL, N}, {"20", NULL, "khautru", F_TAX_WITHHELD},
    {"21", NULL, NULL, N}, {"22", NULL, NULL, N}, {"23", NULL, NULL, N}, {"24", NULL, NULL, N},
};

/* D02-LT printed by the SI office, Decision 490/QĐ-BHXH (2023). */
static const struct form_col cols_d02_lt[] = {
    {"1", NULL, NULL, N}, {"2", NULL, "hovaten|hoten", F_FULL_NAME},
    {"3", NULL, "masobhxh|sosobhxh", F_SI_NUMBER}, {"4", NULL, "sinh", F_BIRTH_DATE},
    {"5", NULL, NULL, N}, {"6", NULL, "cccd|cmnd|hochieu|dinhdanh", F_ID_NUMBER},
    {"7", NULL, NULL, N}, {"8", NULL, "luong", F_SALARY}, {"9", NULL, NULL, N},
    {"10", NULL, "phuongan", F_PLAN_CODE}, {"11", NULL, "tuthang", F_FROM_MONTH},
    {"12", NULL, "denthang", F_TO_MONTH}, {"13", NULL, NULL, N},
};

/* The D02-TS/TK1 import sheet of a widely used SI declaration software:
 * labels in one row, the software's field codes in the next. */
static const struct form_col cols_d02_ts_import[] = {
    {NULL, "STT", NULL, N}, {NULL, "HoTen", "hoten", F_FULL_NAME},
    {NULL, "MasoBHXH", "masobhxh", F_SI_NUMBER},
    {NULL, "TenLoaiKhaiBao", "loaikhaibao", F_CHANGE_TYPE}, {NULL, "Loai", NULL, N},
    {NULL, "TenPhuongAn", "phuongan", F_PLAN_CODE}, {NULL, "PA", NULL, N},
    {NULL, "ChucVu", NULL, N}, {NULL, "NoiLamViec", NULL, N},
    {NULL, "TienLuong", "luong", F_SALARY}, {NULL, "PhuCapCV", NULL, N},
    {NULL, "PhuCapTNVK", NULL, N}, {NULL, "PhuCapTNNghe", NULL, N},
    {NULL, "PhuCapLuong", NULL, N}, {NULL, "PhuCapBosung", NULL, N},
    {NULL, "TuThang", "tuthang", F_FROM_MONTH}, {NULL, "DenThang", "denthang", F_TO_MONTH},
    {NULL, "NgayChet", NULL, N}, {NULL, "Ghichu", NULL, N}, {NULL, "TyleDong", NULL, N},
    {NULL, "TinhLai", NULL, N}, {NULL, "DaCoSo", NULL, N}, {NULL, "MucHuong", NULL, N},
    {NULL, "MaPhongBan", NULL, N}, {NULL, "MavungSS", NULL, N}, {NULL, "MavungLTT", NULL, N},
    {NULL, "Tk1_Save", NULL, N}, {NULL, "CMND", "cmnd", F_ID_NUMBER},
    {NULL, "Maho_Giadinh", NULL, N}, {NULL, "NgaySinh", "ngaysinh", F_BIRTH_DATE},
    {NULL, "GioiTinh", NULL, N}, {NULL, "TenQuocTich", NULL, N}, {NULL, "QuocTich", NULL, N},
    {NULL, "TenDanToc", NULL, N}, {NULL, "DanToc", NULL, N},
    {NULL, "TenTinhBenhVien", NULL, N}, {NULL, "MaTinhBenhVien", NULL, N},
    {NULL, "TenBenhVien", NULL, N}, {NULL, "MaBenhVien", NULL, N},
    {NULL, "TenTinhKS", NULL, N}, {NULL, "Matinh_KS", NULL, N}, {NULL, "TenXaKS", NULL, N},
    {NULL, "Maxa_KS", NULL, N},
};

#define COLS(a) a, NELEM(a)

static const struct form_def catalogue[] = {
    {"05-1/BK-QTT-TNCN", "Circular 80/2021", KIND_TAX, 1, "051bkqtttncn", "802021ttbtc",
     NULL, COLS(cols_05_1_tt80)},
    {"05-2/BK-QTT-TNCN", "Circular 80/2021", KIND_TAX, 2, "052bkqtttncn", "802021ttbtc",
     NULL, COLS(cols_05_2_tt80)},
    {"05-1/BK-QTT-TNCN", "Circular 92/2015", KIND_TAX, 1, "051bkqtttncn", "922015ttbtc",
     NULL, COLS(cols_05_1_tt92)},
    {"D02-LT", "Decision 490/QĐ-BHXH (2023)", KIND_SI, 0, "d02lt", "490qdbhxh", NULL,
     COLS(cols_d02_lt)},
    {"D02-TS/TK1 import sheet", "Decisions 595/2017, 490/2023", KIND_SI, 0, NULL, NULL, NULL,
     COLS(cols_d02_ts_import)},
    /* not evidence of compulsory insurance: recognised to be refused */
    {"D03-TS", "Decision 595/QĐ-BHXH", KIND_SI, 0, "d03ts", NULL,
     "a list of people enrolled in health insurance only (\"người chỉ tham gia BHYT\"): "
     "not evidence of compulsory social insurance", NULL, 0},
    {"D03-TS", "Decision 595/QĐ-BHXH", KIND_SI, 0, "nguoichithamgiabhyt", NULL,
     "a list of people enrolled in health insurance only (\"người chỉ tham gia BHYT\"): "
     "not evidence of compulsory social insurance", NULL, 0},
    {"05-3/BK-QTT-TNCN", "Circular 80/2021", KIND_TAX, 0, "053bkqtttncn", NULL,
     "the list of dependants of a PIT settlement: no one in it is an employee of the filer",
     NULL, 0},
    {"TK1-TS", "Decision 595/QĐ-BHXH", KIND_SI, 0, "tk1ts", NULL,
     "a person's own SI declaration (TK1-TS), not an employer's list", NULL, 0},
};

const struct form_def *
forms_all(size_t *n)
{
    *n = NELEM(catalogue);
    return catalogue;
}

const char *
forms_name(const struct form_def *f, char *buf, size_t bufsz)
{
    snprintf(buf, bufsz, "%s, %s", f->code, f->basis);
    return buf;
}

/* ---- the matcher -------------------------------------------------------- */

static size_t
cell_fold(const struct hrow *row, size_t c, char *out)
{
    if (c >= row->ncells) {
        out[0] = '\0';
        return 0;
    }
    return names_fold_label(row->cells[c].s, row->cells[c].n, out, FOLD);
}

static int
nonempty(const struct hrow *row)
{
    int k = 0;
    for (size_t c = 0; c < row->ncells; c++) {
        const char *s = row->cells[c].s;
        size_t n = row->cells[c].n;
        values_trim(&s, &n);
        k += n > 0;
    }
    return k;
}

/* The indicator of a column-number cell, normalised ("[06]" -> "6",
 * "(1)" -> "1", "[15.1]" -> "15.1") into out; false when the cell is none. */
static bool
indicator(const char *s, size_t n, char *out, size_t outsz)
{
    size_t k = 0;

    values_trim(&s, &n);
    if (n < 3 || !((s[0] == '[' && s[n - 1] == ']') || (s[0] == '(' && s[n - 1] == ')')))
        return false;
    s++;
    n -= 2;
    values_trim(&s, &n);
    while (n > 1 && s[0] == '0' && isdigit((unsigned char)s[1]))
        s++, n--;
    if (n == 0 || n >= outsz)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) && s[i] != '.')
            return false;
        out[k++] = s[i];
    }
    out[k] = '\0';
    return true;
}

/* The form code and legal basis the title block names (rows before
 * `upto` with at most four cells filled). */
static void
title_marks(const struct hrow *rows, int upto, const char **code, const char **basis,
            const struct form_def **refused)
{
    char f[FOLD];
    bool list = false; /* the title names a list form too ("D02-TS kèm TK1-TS") */

    *code = *basis = NULL;
    *refused = NULL;
    for (int r = 0; r < upto; r++) {
        if (nonempty(&rows[r]) > 4)
            continue;
        for (size_t c = 0; c < rows[r].ncells; c++) {
            if (cell_fold(&rows[r], c, f) == 0)
                continue;
            for (size_t i = 0; i < NELEM(catalogue); i++) {
                const struct form_def *d = &catalogue[i];
                if (d->code_mark && strstr(f, d->code_mark)) {
                    if (d->refuse && *refused == NULL)
                        *refused = d;
                    else if (!d->refuse && *code == NULL)
                        *code = d->code_mark;
                }
                if (d->basis_mark && strstr(f, d->basis_mark) && *basis == NULL)
                    *basis = d->basis_mark;
            }
            list |= strstr(f, "d02ts") != NULL || strstr(f, "d02lt") != NULL;
        }
    }
    if (list || *code != NULL)
        *refused = NULL; /* a refused form named beside an input form */
}

/* Whether a label word of the form heads column c in header rows lo..hi
 * (a blank cell under a merged parent takes the nearest label to its left
 * in that row). */
static bool
label_agrees(const struct hrow *rows, int lo, int hi, int c, const char *labels)
{
    char f[FOLD], want[64];

    if (labels == NULL)
        return true;
    for (int r = lo; r <= hi; r++) {
        int cc = c;
        while (cc > 0 && cell_fold(&rows[r], (size_t)cc, f) == 0)
            cc--;
        if (cell_fold(&rows[r], (size_t)cc, f) == 0)
            continue;
        for (const char *p = labels; *p;) {
            const char *q = strchr(p, '|');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            if (l < sizeof want) {
                memcpy(want, p, l);
                want[l] = '\0';
                if (strstr(f, want))
                    return true;
            }
            p += l + (q ? 1 : 0);
        }
    }
    return false;
}

/* Header rows above row `below`: the rows right above it with two or more
 * cells filled, at most HEADER_MAX_SPAN of them (fewer when `span` says). */
static int
header_top(const struct hrow *rows, int below, int span)
{
    int top = below;

    while (top > 0 && below - top < span && nonempty(&rows[top - 1]) >= 2)
        top--;
    return top;
}

static void
match_init(struct form_match *m)
{
    memset(m, 0, sizeof *m);
    m->colnum_row = -1;
    for (int f = 0; f < F_COUNT; f++)
        m->col[f] = -1;
}

/* Map the columns of form d whose keys (indicator or code) sit at key[c],
 * c < w; true when the label above each field column found agrees and the
 * columns a record needs are there (the others are listed as missing). */
static bool
map_form(const struct form_def *d, char (*key)[24], int w, const struct hrow *rows, int lo,
         int hi, bool by_code, struct form_match *m)
{
    bool *seen = calloc((size_t)(w ? w : 1), sizeof *seen);

    if (seen == NULL)
        return false;
    match_init(m);
    m->def = d;
    for (size_t i = 0; i < d->ncols; i++) {
        const struct form_col *fc = &d->cols[i];
        const char *k = by_code ? fc->code : fc->ind;
        int at = -1;
        if (k == NULL)
            continue;
        for (int c = 0; c < w && at < 0; c++)
            if (!seen[c] && (by_code ? strcasecmp(key[c], k) == 0 : strcmp(key[c], k) == 0))
                at = c;
        if (at < 0) {
            if (m->nmissing < FORMS_MAX_DIFF)
                m->missing[m->nmissing++] = (int)i;
            else
                m->nmissing++;
            continue;
        }
        seen[at] = true;
        if (fc->field != FORM_NONE) {
            if (!label_agrees(rows, lo, hi, at, fc->labels)) {
                free(seen);
                return false;
            }
            m->col[fc->field] = at;
        }
    }
    for (int c = 0; c < w; c++)
        if (!seen[c] && key[c][0]) {
            if (m->nadded < FORMS_MAX_DIFF)
                m->added[m->nadded] = c;
            m->nadded++;
        }
    free(seen);
    /* a copy trimmed to a few columns is still the form, as long as the
     * columns a record needs are there */
    if (d->kind == KIND_TAX)
        return m->col[F_FULL_NAME] >= 0 && m->col[F_TAXABLE_INCOME] >= 0 &&
               (m->col[F_EMPLOYEE_TAX_ID] >= 0 || m->col[F_ID_NUMBER] >= 0);
    return m->col[F_FULL_NAME] >= 0 && (m->col[F_SI_NUMBER] >= 0 || m->col[F_ID_NUMBER] >= 0);
}

/* Forms numbered by a column-number row. */
static bool
by_indicators(const struct hrow *rows, int nrows, const char *code, const char *basis,
              struct form_match *out)
{
    char (*key)[24] = NULL;
    bool found = false;

    for (int r = 1; r < nrows && !found; r++) {
        const struct hrow *row = &rows[r];
        int w = (int)row->ncells, inds = 0, filled = nonempty(row);
        if (w < 5 || filled < 5)
            continue;
        free(key);
        key = calloc((size_t)w, sizeof *key);
        if (key == NULL)
            return false;
        for (int c = 0; c < w; c++)
            inds += indicator(row->cells[c].s, row->cells[c].n, key[c], sizeof key[c]);
        if (inds != filled)
            continue;
        int lo = header_top(rows, r, HEADER_MAX_SPAN), best_missing = 1 << 30;
        for (size_t i = 0; i < NELEM(catalogue); i++) {
            const struct form_def *d = &catalogue[i];
            struct form_match m;
            if (d->refuse || d->cols == NULL || d->cols[0].ind == NULL)
                continue;
            /* a form the title names must be the one; one it does not name
             * must be there whole */
            if ((code && d->code_mark && strcmp(code, d->code_mark) != 0) ||
                (basis && d->basis_mark && strcmp(basis, d->basis_mark) != 0))
                continue;
            if (!map_form(d, key, w, rows, lo, r - 1, false, &m))
                continue;
            bool named = code != NULL && d->code_mark && strcmp(code, d->code_mark) == 0;
            if (!named && (m.nmissing > 0 || m.nadded > 0))
                continue;
            if (m.nmissing + m.nadded < best_missing) {
                best_missing = m.nmissing + m.nadded;
                m.first = lo;
                m.last = r - 1;
                m.colnum_row = r;
                *out = m;
                found = true;
            }
        }
    }
    free(key);
    return found;
}

/* Sheets whose second header row holds the software's field codes. */
static bool
by_codes(const struct hrow *rows, int nrows, struct form_match *out)
{
    for (int r = 0; r < nrows; r++) {
        const struct hrow *row = &rows[r];
        int w = (int)row->ncells;
        if (w < 5 || nonempty(row) < 5)
            continue;
        char (*key)[24] = calloc((size_t)w, sizeof *key);
        if (key == NULL)
            return false;
        for (int c = 0; c < w; c++) {
            const char *s = row->cells[c].s;
            size_t n = row->cells[c].n;
            values_trim(&s, &n);
            if (n < sizeof key[c]) {
                memcpy(key[c], s, n);
                key[c][n] = '\0';
            }
        }
        for (size_t i = 0; i < NELEM(catalogue); i++) {
            const struct form_def *d = &catalogue[i];
            struct form_match m;
            int hits = 0, codes = 0;
            if (d->refuse || d->cols == NULL || d->cols[0].code == NULL)
                continue;
            for (size_t k = 0; k < d->ncols; k++) {
                codes++;
                for (int c = 0; c < w; c++)
                    if (strcasecmp(key[c], d->cols[k].code) == 0) {
                        hits++;
                        break;
                    }
            }
            /* most of the codes: a vendor adds or drops a few columns */
            if (5 * hits < 4 * codes)
                continue;
            int lo = header_top(rows, r, 2);
            if (map_form(d, key, w, rows, lo, r, true, &m)) {
                m.first = lo;
                m.last = r;
                m.colnum_row = -1;
                *out = m;
                free(key);
                return true;
            }
        }
        free(key);
    }
    return false;
}

bool
forms_recognise(const struct hrow *rows, size_t nrows, struct form_match *m)
{
    const char *code, *basis;
    const struct form_def *refused;
    int n = nrows > HEADER_SCAN_ROWS ? HEADER_SCAN_ROWS : (int)nrows;

    match_init(m);
    if (rows == NULL || n == 0)
        return false;
    title_marks(rows, n, &code, &basis, &refused);
    if (refused != NULL) {
        m->def = refused;
        return true;
    }
    return by_indicators(rows, n, code, basis, m) || by_codes(rows, n, m);
}
