/*
 * sheet.h - the sheet-writing layer under the workbooks (libxlsxwriter in
 * constant-memory mode): typed cells with the "identifiers are text" rule
 * and Excel's limits, column widths from content, table sheets that split
 * into parts at the row limit with a bold frozen header and an autofilter,
 * and a print setup every sheet shares.  The first libxlsxwriter error is
 * kept (struct sheetw.err) and the rest of the writing becomes a no-op
 * check, so a writer lays out its rows and looks once at the end.
 */
#ifndef SIRECON_SHEET_H
#define SIRECON_SHEET_H

#include <stddef.h>
#include <stdint.h>
#include <xlsxwriter.h>
#include "sirecon/report.h"
#include "sirecon/values.h"

/* Rows per sheet, header included.  The unit tests use a small limit so the
 * split to "Employees (2)" is exercised with a few thousand rows. */
#ifdef SIRECON_TEST_LIMITS
#define XLSX_MAX_ROWS 1000u
#else
#define XLSX_MAX_ROWS ((uint32_t)LXW_ROW_MAX)
#endif
#define XLSX_MAX_COLS 20
#define XLSX_WIDTH_MAX 60.0
#define XLSX_WIDTH_MIN 6.0
#define XLSX_PORTRAIT_CHARS 95.0 /* columns of text an A4 portrait page holds */
#define XLSX_STR_MAX 32767   /* Excel's longest cell text (bytes, trimmed) */

/* A workbook being written: its formats and the first error. */
struct sheetw {
    lxw_workbook *wb;
    lang l;
    lxw_error err;               /* first libxlsxwriter error, LXW_NO_ERROR if none */
    const char *err_what;        /* what was being written then */
    lxw_format *title, *bold, *wrap, *money, *pct, *dec1, *date, *link;
    /* the emphasized variants (Excel's "Bad" style) */
    lxw_format *hot, *hot_money, *hot_dec1, *hot_date;
};

/* One table sheet being written, possibly in several parts. */
struct tsheet {
    struct sheetw *w;
    lxw_worksheet *ws;
    const char *base;            /* localized name of part 1 */
    int part;                    /* 1.. */
    uint32_t row;                /* next row to write (0 = header) */
    int ncols;
    const char *const *cols;     /* field names: headers are "col.<field>" */
    double width[XLSX_MAX_COLS]; /* widest content per column, in characters */
    uint32_t nlinks;             /* hyperlinks on this part */
};


/* Keep e as the error unless one is kept already. */
void sheet_check(struct sheetw *w, lxw_error e, const char *what);
/* Display width of UTF-8 text in characters (code points). */
double sheet_text_width(const char *s);
void sheet_grow_width(double *wd, double n);
/* A text cell (trimmed to Excel's limit at a UTF-8 boundary; empty text is
 * a blank cell, or nothing without a format); wd grows to fit (or NULL). */
void sheet_str(struct sheetw *w, lxw_worksheet *ws, uint32_t r, int c, const char *s,
               lxw_format *f, double *wd);
/* A number cell (NaN and Inf written blank). */
void sheet_num(struct sheetw *w, lxw_worksheet *ws, uint32_t r, int c, double v,
               lxw_format *f, int decimals, double *wd);
/* A date cell for a full date; a year alone (or a date before 1901) as text. */
void sheet_date(struct sheetw *w, lxw_worksheet *ws, uint32_t r, int c, sdate d,
                lxw_format *datef, lxw_format *textf, double *wd);
/* Column widths from content, capped. */
void sheet_set_widths(struct sheetw *w, lxw_worksheet *ws, const double *wd, int n);
/* The sum of the widths sheet_set_widths sets. */
double sheet_widths_total(const double *wd, int n);
/* "Employees", "Employees (2)", ... */
void sheet_part_name(const char *base, int part, char *buf, size_t n);
/* Part and Excel row of data row k of a table sheet. */
void sheet_table_pos(size_t k, int *part, uint32_t *row);
lxw_worksheet *sheet_add(struct sheetw *w, const char *name);
/* A4, landscape when wider than a portrait page, one page wide, rows
 * 0..repeat-1 on every page, print area, sheet name and "page n of m". */
void sheet_print_setup(struct sheetw *w, lxw_worksheet *ws, double width_chars, int repeat,
                       uint32_t last_row, int last_col);
lxw_format *sheet_format(struct sheetw *w, const char *num, int bold, int hot);
void sheet_make_formats(struct sheetw *w);

/* A table sheet: header row of localized "col.<key>" labels. */
void tsheet_begin(struct tsheet *t, struct sheetw *w, const char *sheet_key,
                  const char *const *cols, int ncols);
/* The Excel row of the next data row (a new part when this one is full). */
uint32_t tsheet_next(struct tsheet *t);
/* Freeze panes, autofilter, widths, print setup. */
void tsheet_finish(struct tsheet *t);

#endif
