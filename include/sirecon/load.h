/*
 * load.h - one input file -> records in the dataset (read + normalize).
 *
 * The file's text is split into rows (table.h), the header found
 * (header.h), and every row after it ends as exactly one of: loaded,
 * skipped (blank, column numbers, repeated header, totals) or rejected
 * (reason code + column, in ds->rejects).  The counts go into the file's
 * struct input_file.
 */
#ifndef SIRECON_LOAD_H
#define SIRECON_LOAD_H

#include "sirecon/common.h"
#include "sirecon/encoding.h"
#include "sirecon/header.h"
#include "sirecon/records.h"

struct load_opts {
    enc_id encoding;                  /* forced, or ENC_UNKNOWN to detect */
    const struct alias_extra *aliases;
    size_t naliases;
    int default_year;                 /* tax year when neither column nor title gives one; 0 none */
    int first_year, last_year;        /* --period's years: tax rows of other years are
                                         skipped (SKIP_OTHER_YEAR); 0 = keep all */
    struct header_map *keep_map;      /* if not NULL, receives the header map (check) */
    const char *default_employer;     /* normalized tax code for a file that names no
                                         employer at all (--default-employer), or NULL */
    void (*progress)(void *ctx, uint64_t rows); /* every LOAD_PROGRESS_ROWS rows, or NULL */
    void *progress_ctx;
};

#define LOAD_PROGRESS_ROWS 65536

/* Load path as kind (KIND_COUNT: guess the kind from the header).  The file
 * gets a struct input_file in ds even when loading fails part-way. */
sirecon_status load_file(struct dataset *ds, const char *path, file_kind kind,
                         const struct load_opts *o, struct diag *d);

/*
 * Give SI records that carry only a unit code their employer tax code: from
 * the registry (unit_code -> employer_tax_id), else the unit code itself
 * when it is a valid tax code (unit code = tax code since 2021).  Records
 * still without an employer move from loaded to rejected
 * (UNKNOWN_UNIT_CODE).  Returns how many were rejected.
 */
size_t load_resolve_units(struct dataset *ds);

#endif
