/*
 * csvout.h - a small RFC 4180 CSV writer for the reports (docs/architecture.md, "Outputs").
 *
 * UTF-8 with a BOM (Excel then reads the file as UTF-8), rows ending in
 * CRLF, fields quoted only when they must be.  Text fields that a
 * spreadsheet would run as a formula (starting with = + - @ tab CR) get a
 * leading "'"; numbers written with csvout_int()/csvout_fixed1() are ours
 * and never prefixed.  Write errors stay in the FILE (ferror) and are
 * reported by whoever closes it (outdir_fclose).
 */
#ifndef SIRECON_CSVOUT_H
#define SIRECON_CSVOUT_H

#include <stdint.h>
#include <stdio.h>

struct csvout {
    FILE *f;
    int col; /* fields written in the current row */
};

/* Start a CSV file on f: write the BOM. */
void csvout_open(struct csvout *c, FILE *f);
/* A text field (NULL is written as empty). */
void csvout_field(struct csvout *c, const char *s);
/* A signed integer in plain decimal. */
void csvout_int(struct csvout *c, int64_t v);
/* An unsigned integer in plain decimal. */
void csvout_uint(struct csvout *c, uint64_t v);
/* A number with exactly one decimal ("87.5"), '.' whatever the locale,
 * rounded half away from zero; NaN/Inf are written as empty. */
void csvout_fixed1(struct csvout *c, double v);
/* End the current row with CRLF. */
void csvout_end(struct csvout *c);
/* A whole row of text fields (a header), ended. */
void csvout_row(struct csvout *c, const char *const *fields, int n);

#endif
