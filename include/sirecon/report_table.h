/*
 * report_table.h - the output tables defined once (docs/architecture.md,
 * "Outputs"): employers, employees (and its Review subset) and rejects, each
 * a list of columns with a key (the CSV header, and "col.<key>" for the
 * workbook's label), a type, and a getter.  The CSV writer and the workbook
 * writer both walk these lists, so the two cannot lay a table out
 * differently: CSV writes codes and plain numbers, the workbook the same
 * values as typed cells, with codes shown by their label.
 */
#ifndef SIRECON_REPORT_TABLE_H
#define SIRECON_REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "sirecon/report.h"

typedef enum report_col_type {
    RC_TEXT = 0, /* text as written */
    RC_ID,       /* an identifier: text, always (never a number cell) */
    RC_CODE,     /* a code ("NOT_ENROLLED"); the workbook shows label prefix+code */
    RC_INT,      /* a whole number */
    RC_MONEY,    /* whole VND */
    RC_DEC1,     /* one decimal */
    RC_DATE,     /* a date (sdate); a year alone stays text */
    RC_TREND     /* "", "NEW", "ONGOING (n months)": the workbook localizes it */
} report_col_type;

struct report_cell {
    const char *s;   /* RC_TEXT, RC_ID, RC_CODE, RC_TREND ("" when empty) */
    int64_t i;       /* RC_INT, RC_MONEY */
    double d;        /* RC_DEC1 */
    int32_t date;    /* RC_DATE (sdate, 0 unknown) */
};

/* buf (REPORT_CELL_BUF bytes) may hold the text *c->s points to. */
#define REPORT_CELL_BUF 1024
typedef void (*report_get_fn)(const struct run_info *ri, size_t row, struct report_cell *c,
                              char *buf);

struct report_col {
    const char *key;
    report_col_type type;
    const char *label;   /* RC_CODE: the i18n prefix of its labels ("status.") */
    report_get_fn get;
};

struct report_table {
    const struct report_col *cols;
    int ncols;
};

/* Rows: employers by index into ri->res->emps; employees (and review) by
 * index into ri->ds->tax; rejects by index into ri->ds->rejects. */
extern const struct report_table report_employers_table;
extern const struct report_table report_employees_table;
extern const struct report_table report_rejects_table;
/* notices.csv: listed employers by index into ri->res->emps. */
extern const struct report_table report_notices_table;

/* Write table t to c: the header row from the keys, then one row per entry
 * of idx (NULL: rows 0..n-1), each cell as its type says (report_csv.c). */
struct csvout;
void report_csv_table(const struct run_info *ri, struct csvout *c,
                      const struct report_table *t, const size_t *idx, size_t n);

/* An employer's registry row (the index found it, match_run), or NULL. */
const struct employer_rec *report_registry_row(const struct dataset *ds,
                                               const struct employer_sum *e);

/* "RANK-CODE.xlsx", the notice of a listed employer, into buf. */
void report_notice_name(const struct employer_sum *e, char *buf, size_t n);

#endif
