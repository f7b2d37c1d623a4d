/*
 * table.h - delimited text -> rows of cells with their physical line
 * numbers, through libcsv in strict mode.  Knows nothing of headers.
 */
#ifndef SIRECON_TABLE_H
#define SIRECON_TABLE_H

#include <stddef.h>
#include "sirecon/common.h"

#define TABLE_MAX_FIELD (64 * 1024) /* a longer field rejects its row */
#define TABLE_MAX_RECORD (8u << 20)  /* a longer record stops the file (exit 65) */

struct table_row {
    const struct cellref *cells;
    size_t ncells;
    long line;          /* physical line (1-based) where the row starts */
    const char *error;  /* NULL, or a reason code: UNTERMINATED_QUOTE,
                           MALFORMED_QUOTE, FIELD_TOO_LONG */
};

/* Called once per row; a non-zero return stops the parse (table_parse then
 * returns SIRECON_OK).  Cells are valid only during the call. */
typedef int (*table_row_fn)(void *ctx, const struct table_row *row);

/* The delimiter of text: ',', ';', '\t' or '|', sniffed from the first
 * lines (outside quotes); ',' when nothing decides. */
char table_sniff_delim(const char *text, size_t n);

/* Parse text[0..n) with delimiter delim, calling fn per row.  Blank lines
 * come through as rows with one empty cell.  Returns SIRECON_OK; row-level
 * problems arrive as rows with error set. */
sirecon_status table_parse(const char *text, size_t n, char delim,
                           table_row_fn fn, void *ctx, struct diag *d);

/* Reads up to cap bytes of text into buf; *got 0 at the end. */
typedef sirecon_status (*table_read_fn)(void *ctx, char *buf, size_t cap, size_t *got,
                                        struct diag *d);

/* table_parse() over text read chunk by chunk (a pipe, stdin, a .gz):
 * memory bounded by the chunk and the longest record, not the input. */
sirecon_status table_parse_stream(table_read_fn rd, void *rctx, char delim,
                                  table_row_fn fn, void *ctx, struct diag *d);

/* table_parse() over text that is a read-only file mapping: the pages
 * already parsed are handed back to the kernel as parsing goes on, so a
 * big input does not stay resident (rows never point into the text after
 * their callback). */
sirecon_status table_parse_mapped(const char *text, size_t n, char delim,
                                  table_row_fn fn, void *ctx, struct diag *d);

#endif
