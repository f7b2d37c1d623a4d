/*
 * forms.h - the catalogue of official forms (docs/inputs.md, "Official forms").
 *
 * Each official layout is data: the marks that recognise it (its "Mẫu số"
 * code and legal basis in the title block, its column-number row or its
 * row of machine field codes) and, per column, the indicator, the labels and
 * the field it feeds (or none).  A file recognised as a catalogued form is
 * mapped by the form's definition, exactly; nothing is guessed.  Forms that
 * are not evidence (D03-TS, 05-3, TK1-TS) are recognised so that they can be
 * refused by name.  Read-only static data: thread-safe.
 */
#ifndef SIRECON_FORMS_H
#define SIRECON_FORMS_H

#include <stdbool.h>
#include <stddef.h>
#include "sirecon/fields.h"
#include "sirecon/header.h"

#define FORM_NONE (-1) /* a column that feeds no field */

struct form_col {
    const char *ind;     /* indicator in the column-number row ("06", "15.1", "1"),
                            or NULL for an unnumbered column */
    const char *code;    /* the machine field code of a coded sheet ("HoTen"), or NULL */
    const char *labels;  /* label words that must head the column, folded
                            (names_fold_label), '|' between alternatives */
    int field;           /* field_id, or FORM_NONE */
};

struct form_def {
    const char *code;    /* "05-1/BK-QTT-TNCN" */
    const char *basis;   /* "Circular 80/2021" */
    file_kind kind;
    int schedule;        /* 1 or 2 for 05-1/05-2, else 0 */
    const char *code_mark;  /* the form code folded as a title finds it ("051bkqtttncn") */
    const char *basis_mark; /* the legal basis folded ("802021ttbtc"), or NULL */
    const char *refuse;  /* NULL for an input form; else why it is no evidence */
    const struct form_col *cols;
    size_t ncols;
};

#define FORMS_MAX_DIFF 16

/* A file recognised as a form: where its table is and what each column feeds. */
struct form_match {
    const struct form_def *def;
    int first, last;        /* header rows (indices into the rows given) */
    int colnum_row;         /* the column-number row, or -1 (a coded sheet) */
    int col[F_COUNT];       /* 0-based column per field, -1 none */
    int missing[FORMS_MAX_DIFF], nmissing; /* catalogue columns (index into def->cols)
                                              the file lacks; nmissing counts past
                                              FORMS_MAX_DIFF */
    int added[FORMS_MAX_DIFF], nadded;     /* file columns the form has not (the same) */
};

/* Every form of the catalogue; *n receives their number. */
const struct form_def *forms_all(size_t *n);

/* "05-1/BK-QTT-TNCN, Circular 80/2021" into buf. */
const char *forms_name(const struct form_def *f, char *buf, size_t bufsz);

/*
 * Recognise a catalogued form among the first rows of a file (title block,
 * header, column-number or field-code row).  Returns true and fills *m when
 * one is found: its column numbers (or field codes) and the labels above
 * them agree with the form, and its form code, when the title gives one,
 * is the form's.  A refused form (m->def->refuse != NULL) is recognised by
 * its title alone.
 */
bool forms_recognise(const struct hrow *rows, size_t nrows, struct form_match *m);

#endif
