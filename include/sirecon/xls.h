/*
 * xls.h - the first worksheet of a legacy Excel 97-2003 .xls workbook
 * (BIFF5/8) as CSV text, through FreeXL, so it takes the same table path
 * as a CSV export and gives the same guarantees as an .xlsx (xlsx.h):
 * numbers stored for IDs come out as their digits, dates as yyyy-mm-dd,
 * CSV line k is sheet row k (FILE:LINE is the Excel row).
 */
#ifndef SIRECON_XLS_H
#define SIRECON_XLS_H

#include <stddef.h>
#include "sirecon/common.h"

/*
 * Convert the first sheet of the .xls file at path to RFC 4180 CSV
 * (comma-delimited, a field quoted when it holds , " ; tab or |, line
 * breaks in a cell turned into one space, every row as wide as the sheet,
 * trailing empty rows dropped).  *out is xmalloc'd, NUL-terminated, owned
 * by the caller.  FreeXL reads by path: the caller passes a regular file.
 * Errors (SIRECON_ERR_DATA, d->file left empty for the caller): not a
 * readable .xls, password-protected, no worksheet, a sheet larger than
 * Excel's limits.
 */
sirecon_status xls_to_csv(const char *path, char **out, size_t *outn, struct diag *d);

/* The text of one numeric cell as sirecon reads it: an integral value as
 * its digits ("34085001111", never "3.4085E+10" or "34085001111.0"),
 * another as %.15g.  buf holds at least 32 bytes. */
void xls_number_text(double v, char *buf, size_t bufsz);

#endif
