/*
 * header.h - finding the table inside a form export (docs/inputs.md, "Finding the table").
 *
 * Given the first rows of a file (at most HEADER_SCAN_ROWS), find the header
 * row (the row, possibly with up to two more rows under it, whose cells match
 * the most aliases of the file's kind), the column of each canonical field,
 * a column-number row right under the header, and labelled values in the
 * title block above it (employer tax code, employer name, SI unit code, tax
 * year, form).  Alias matching compares names_fold_label() forms, so case,
 * diacritics, punctuation and spacing do not matter.
 */
#ifndef SIRECON_HEADER_H
#define SIRECON_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include "sirecon/common.h"
#include "sirecon/fields.h"

#define HEADER_SCAN_ROWS 60
#define HEADER_MAX_SPAN 3
#define HEADER_MAX_UNREAD 8

struct form_def;

struct hrow {
    const struct cellref *cells;
    size_t ncells;
    long line; /* physical line where the row starts */
};


struct header_map {
    int first, last;         /* header rows, indices into the rows given */
    int colnum_row;          /* index of a column-number row, or -1 */
    int col[F_COUNT];        /* source column per field, -1 when absent */
    char *label[F_COUNT];    /* header text that matched (xmalloc'd), NULL if none */
    char *title[F_COUNT];    /* title-block value (xmalloc'd): employer tax id,
                                employer name, unit code, tax year */
    int schedule;            /* 1 or 2 from the form title / header set, 0 unknown */
    int ncols;               /* width of the header */
    char **header_cells;     /* the (merged) header cell texts, ncols of them */
    const char *form;        /* "05-1/BK-QTT-TNCN", "05-2/BK-QTT-TNCN", "D02-LT"
                                found in the title block (static), or NULL */
    char **hdr_fold;         /* folded raw text of each header row, row-major:
                                (last-first+1) * ncols; for header_classify */
    unsigned char how[F_COUNT]; /* HOW_ALIAS / HOW_MEANING / HOW_CONTENT per field */
    int alt[F_COUNT];        /* a second column read for the same person-ID
                                field ("Số CMND" beside "Số CCCD"), -1 none */
    int unread[HEADER_MAX_UNREAD]; /* columns whose values look like person
                                identifiers but that feed no field */
    int nunread;
    int refused[F_COUNT];    /* a column whose label named the field but whose
                                content contradicted it, -1 none */
    const struct form_def *catalogued; /* the official form the file was recognised
                                as (forms.h), mapped by its definition; NULL when
                                its columns were read by labels and content */
    int form_missing[16], nform_missing; /* the form's columns the file lacks
                                            (index into catalogued->cols; the
                                            count may pass 16, the list stops) */
    int form_added[16], nform_added;     /* the file's columns the form has not */
    int emp_source;          /* where title[F_EMPLOYER_TAX_ID] came from: EMP_FROM_* */
};

/* Where a file's employer came from when no column names it. */
enum { EMP_FROM_TITLE = 0, EMP_FROM_FILE_NAME, EMP_FROM_WORKBOOK, EMP_FROM_OPTION };

/* How a field's column was found. */
enum { HOW_ALIAS = 0, HOW_MEANING, HOW_CONTENT, HOW_FORM };
const char *header_how_name(int how); /* "alias", "meaning", "content", "form" */

void header_map_free(struct header_map *m);

/*
 * Detect the header of a file of kind among rows[0..nrows).  A file
 * recognised as an official form (forms.h) is mapped by the form's
 * definition; one recognised as a form that is no evidence (D03-TS, 05-3,
 * TK1-TS) fails with SIRECON_ERR_DATA naming it.  Fails with
 * SIRECON_ERR_DATA when no row matches the required fields of the kind; the
 * message then names the kind, the missing field(s) and the header cells of
 * the best candidate row.  `file` is used only for the message.
 */
sirecon_status header_detect(file_kind kind, const struct hrow *rows, size_t nrows,
                             const struct alias_extra *extra, size_t nextra,
                             const char *file, struct header_map *out,
                             struct diag *d);

/* Guess the kind of a file from its first rows (for `check` without --as):
 * the kind whose required fields are all found with the most hits, or
 * KIND_COUNT. */
file_kind header_guess_kind(const struct hrow *rows, size_t nrows,
                            const struct alias_extra *extra, size_t nextra);

/*
 * Title-block values in ONE row found after the header (the title block of
 * a second appendix pasted under the first in a concatenated export),
 * scanned exactly as the rows above the header are: "label: value" cells, a
 * label with its value in a later cell of the row, "Năm 2025", form codes
 * and the title text naming a schedule.  Writes what it finds into
 * vals->title[F_EMPLOYER_TAX_ID / F_EMPLOYER_NAME / F_UNIT_CODE / F_TAX_YEAR]
 * (xmalloc'd, fields of the kind only, a value already there is kept),
 * vals->schedule (1 or 2 when a 05-x form code or, lacking one, the title
 * text says so; the form code wins) and vals->form.  The caller passes a
 * zeroed map (one per block, so the values of the block above do not leak)
 * and frees it with header_map_free.  Returns true when anything was found.
 * Cheap for data rows: a row with more than four cells of two or more
 * characters is rejected before any folding.  Meant for rows that hold no
 * name, ID or amount; thread-safe.
 */
bool header_title_row(file_kind kind, const struct hrow *row, struct header_map *vals);

/* Row classification after the header. */
typedef enum row_class {
    ROW_DATA = 0,
    ROW_BLANK,    /* every cell empty */
    ROW_COLNUM,   /* "[06] [07] ..." or "(1) (2) ..." or "1 2 3 ..." */
    ROW_REPEAT,   /* the header again (concatenated files) */
    ROW_TOTAL     /* "Tổng cộng" / "Cộng" / "Total", "Tổng cộng (I+II)",
                     "Cộng II", "Tổng số người: 20" */
} row_class;

row_class header_classify(const struct header_map *m, const struct hrow *row);
/* "blank", "column_numbers", "repeated_header", "totals". */
const char *header_row_class_name(row_class c);

#endif
