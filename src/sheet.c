/*
 * sheet.c - the sheet-writing layer (see sheet.h): cells, widths, table
 * sheets in parts, formats and the print setup shared by report.xlsx.
 * Never touches the locale: libxlsxwriter formats numbers with printf, so
 * LC_NUMERIC must stay "C" (docs/architecture.md, "Code conventions").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/i18n.h"
#include "sirecon/sheet.h"

void
sheet_check(struct sheetw *w, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && w->err == LXW_NO_ERROR) {
        w->err = e;
        w->err_what = what;
    }
}

/* Display width of UTF-8 text: code points (good enough for Latin script
 * with diacritics, which is all this workbook holds). */
double
sheet_text_width(const char *s)
{
    double n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void
sheet_grow_width(double *wd, double n)
{
    if (n > *wd)
        *wd = n;
}

/* Cell text trimmed to Excel's limit at a UTF-8 boundary; buf when trimmed. */
static const char *
cell_text(const char *s, char **tmp)
{
    size_t n;

    *tmp = NULL;
    if (s == NULL)
        return "";
    n = strlen(s);
    if (n <= XLSX_STR_MAX)
        return s;
    n = XLSX_STR_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    *tmp = xstrndup(s, n);
    return *tmp;
}

void
sheet_str(struct sheetw *w, lxw_worksheet *ws, uint32_t r, int c, const char *s,
        lxw_format *f, double *wd)
{
    char *tmp;
    const char *t = cell_text(s, &tmp);

    if (t[0] == '\0') {
        if (f != NULL)
            sheet_check(w, worksheet_write_blank(ws, r, (lxw_col_t)c, f), "blank cell");
    } else {
        sheet_check(w, worksheet_write_string(ws, r, (lxw_col_t)c, t, f), "text cell");
        if (wd)
            sheet_grow_width(wd, sheet_text_width(t));
    }
    free(tmp);
}

/* Characters of v printed with thousands separators (and decimals); no
 * printf: this runs for every number cell. */
static double
num_width(double v, int decimals)
{
    double a = fabs(v);
    int n = 1;

    while (a >= 10 && n < 20) {
        a /= 10;
        n++;
    }
    return n + (n - 1) / 3 + (v < 0) + (decimals ? decimals + 1 : 0);
}

/* A number cell; NaN/Inf corrupt the file, so they are written blank. */
void
sheet_num(struct sheetw *w, lxw_worksheet *ws, uint32_t r, int c, double v,
        lxw_format *f, int decimals, double *wd)
{
    if (!isfinite(v)) {
        if (f != NULL)
            sheet_check(w, worksheet_write_blank(ws, r, (lxw_col_t)c, f), "blank cell");
        return;
    }
    sheet_check(w, worksheet_write_number(ws, r, (lxw_col_t)c, v, f), "number cell");
    if (wd)
        sheet_grow_width(wd, num_width(v, decimals));
}

/* A date cell for a full date; year-only (or a date Excel cannot show
 * without its 1900 leap-year bug) as text "yyyy" / "yyyy-mm-dd". */
void
sheet_date(struct sheetw *w, lxw_worksheet *ws, uint32_t r, int c, sdate d,
         lxw_format *datef, lxw_format *textf, double *wd)
{
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    char buf[16];

    if (d == 0) {
        sheet_str(w, ws, r, c, "", textf, wd);
        return;
    }
    if (m >= 1 && m <= 12 && day >= 1 && day <= 31 && y >= 1901 && y <= 9999) {
        lxw_datetime dt = { y, m, day, 0, 0, 0 };
        sheet_check(w, worksheet_write_datetime(ws, r, (lxw_col_t)c, &dt, datef), "date cell");
        if (wd)
            sheet_grow_width(wd, 10);
        return;
    }
    values_date_str(d, buf);
    sheet_str(w, ws, r, c, buf, textf, wd);
}

/* Column widths from content, capped; set after the rows (allowed in
 * constant-memory mode: <cols> is written outside sheetData). */
void
sheet_set_widths(struct sheetw *w, lxw_worksheet *ws, const double *wd, int n)
{
    for (int c = 0; c < n; c++) {
        double x = wd[c] + 2;
        if (x < XLSX_WIDTH_MIN)
            x = XLSX_WIDTH_MIN;
        if (x > XLSX_WIDTH_MAX)
            x = XLSX_WIDTH_MAX;
        sheet_check(w, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, x, NULL),
           "column width");
    }
}

/* Name of part p of a table sheet: "Employees", "Employees (2)", ... */
void
sheet_part_name(const char *base, int part, char *buf, size_t n)
{
    if (part <= 1)
        snprintf(buf, n, "%s", base);
    else
        snprintf(buf, n, "%s (%d)", base, part);
}

/* Excel row (0-based) and part of data row k of a table sheet. */
void
sheet_table_pos(size_t k, int *part, uint32_t *row)
{
    const size_t per = XLSX_MAX_ROWS - 1;

    *part = (int)(k / per) + 1;
    *row = (uint32_t)(k % per) + 1;
}

lxw_worksheet *
sheet_add(struct sheetw *w, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);

    if (ws == NULL)
        sheet_check(w, LXW_ERROR_SHEETNAME_ALREADY_USED, "worksheet"); /* bad name */
    return ws;
}

static void
tsheet_header(struct tsheet *t)
{
    char name[LXW_SHEETNAME_MAX * 4 + 16];

    sheet_part_name(t->base, t->part, name, sizeof name);
    t->ws = sheet_add(t->w, name);
    t->row = 0;
    t->nlinks = 0;
    if (t->ws == NULL)
        return;
    for (int c = 0; c < t->ncols; c++) {
        char key[64];
        snprintf(key, sizeof key, "col.%s", t->cols[c]);
        /* bold header text is a little wider than body text */
        sheet_str(t->w, t->ws, 0, c, i18n(t->w->l, key), t->w->bold, NULL);
        t->width[c] = sheet_text_width(i18n(t->w->l, key)) * 1.1;
    }
    t->row = 1;
}

/*
 * A sheet that prints: A4, landscape when its columns are wider than a
 * portrait page, every column on one page (as many pages down as needed),
 * header rows 0..repeat-1 on every page (-1 none), the print area over
 * rows 0..last_row and columns 0..last_col, the sheet name left and "page
 * n of m" right in the footer, margins a printer accepts.  Written after
 * the rows (allowed in constant-memory mode: page setup and defined names
 * are outside sheetData).
 */
void
sheet_print_setup(struct sheetw *w, lxw_worksheet *ws, double width_chars, int repeat,
                        uint32_t last_row, int last_col)
{
    char footer[160];

    if (ws == NULL)
        return;
    worksheet_set_paper(ws, 9); /* A4 */
    if (width_chars > XLSX_PORTRAIT_CHARS)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    snprintf(footer, sizeof footer, "&L&8&A&R&8%s", i18n(w->l, "print.page_of"));
    sheet_check(w, worksheet_set_footer(ws, footer), "footer");
    if (repeat > 0)
        sheet_check(w, worksheet_repeat_rows(ws, 0, (lxw_row_t)(repeat - 1)), "repeated rows");
    sheet_check(w, worksheet_print_area(ws, 0, 0, last_row, (lxw_col_t)(last_col < 0 ? 0 : last_col)),
       "print area");
}

/* Sum of the column widths, in characters, as sheet_set_widths() sets them. */
double
sheet_widths_total(const double *wd, int n)
{
    double t = 0;

    for (int c = 0; c < n; c++) {
        double x = wd[c] + 2;
        t += x < XLSX_WIDTH_MIN ? XLSX_WIDTH_MIN : x > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : x;
    }
    return t;
}

/* Bold header, frozen below it, autofilter over header and data, widths,
 * and a page setup that repeats the header on every printed page. */
void
tsheet_finish(struct tsheet *t)
{
    if (t->ws == NULL)
        return;
    worksheet_freeze_panes(t->ws, 1, 0);
    sheet_check(t->w, worksheet_autofilter(t->ws, 0, 0, t->row - 1, (lxw_col_t)(t->ncols - 1)),
       "autofilter");
    sheet_set_widths(t->w, t->ws, t->width, t->ncols);
    sheet_print_setup(t->w, t->ws, sheet_widths_total(t->width, t->ncols), 1,
                            t->row > 0 ? t->row - 1 : 0, t->ncols - 1);
}

void
tsheet_begin(struct tsheet *t, struct sheetw *w, const char *sheet_key,
             const char *const *cols, int ncols)
{
    memset(t, 0, sizeof *t);
    t->w = w;
    t->base = i18n(w->l, sheet_key);
    t->part = 1;
    t->cols = cols;
    t->ncols = ncols;
    tsheet_header(t);
}

/* The row for the next data row, starting a new part when this one is full. */
uint32_t
tsheet_next(struct tsheet *t)
{
    if (t->row >= XLSX_MAX_ROWS) {
        tsheet_finish(t);
        t->part++;
        tsheet_header(t);
    }
    return t->row++;
}

lxw_format *
sheet_format(struct sheetw *w, const char *num, int bold, int hot)
{
    lxw_format *f = workbook_add_format(w->wb);

    if (num)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    if (hot) {
        /* Excel's "Bad" cell style: dark red on light red */
        format_set_font_color(f, 0x9C0006);
        format_set_bg_color(f, 0xFFC7CE);
        format_set_pattern(f, LXW_PATTERN_SOLID);
    }
    return f;
}

void
sheet_make_formats(struct sheetw *w)
{
    w->title = sheet_format(w, NULL, 1, 0);
    format_set_font_size(w->title, 14);
    w->bold = sheet_format(w, NULL, 1, 0);
    w->wrap = sheet_format(w, NULL, 0, 0);
    format_set_text_wrap(w->wrap);
    format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);
    w->money = sheet_format(w, "#,##0", 0, 0);
    w->dec1 = sheet_format(w, "0.0", 0, 0);
    w->pct = sheet_format(w, "0.0%", 0, 0);
    w->date = sheet_format(w, "dd/mm/yyyy", 0, 0);
    w->link = sheet_format(w, NULL, 0, 0);
    format_set_underline(w->link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(w->link, LXW_COLOR_BLUE);
    w->hot = sheet_format(w, NULL, 0, 1);
    w->hot_money = sheet_format(w, "#,##0", 0, 1);
    w->hot_dec1 = sheet_format(w, "0.0", 0, 1);
    w->hot_date = sheet_format(w, "dd/mm/yyyy", 0, 1);
}

