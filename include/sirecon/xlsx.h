/*
 * xlsx.h - a worksheet of an Excel .xlsx workbook as CSV text
 * (docs/inputs.md, "Formats"), so a workbook takes the same table path as a CSV export.
 *
 * The zip is read from memory with minizip, its XML parts streamed through
 * expat.  Cells come out as the text the file stores: shared and inline
 * strings as written, numbers as their digits (an ID stored as a number is
 * never "3.4085E+10" or "34085001111.0"), dates as Excel serials (the date
 * columns accept them).  CSV line k is sheet row k, so FILE:LINE positions
 * are Excel row numbers.
 */
#ifndef SIRECON_XLSX_H
#define SIRECON_XLSX_H

#include <stddef.h>
#include "sirecon/common.h"

typedef enum xlsx_kind {
    XLSX_NONE = 0, /* not a workbook container: text */
    XLSX_ZIP,      /* a zip archive ("PK\3\4"): an .xlsx, or some other zip */
    XLSX_OLE       /* an OLE2 compound file: a legacy .xls or an encrypted workbook */
} xlsx_kind;

/* What the first bytes of buf say it is. */
xlsx_kind xlsx_sniff(const unsigned char *buf, size_t n);

/*
 * Convert the first sheet of the workbook zip[0..n) (the first <sheet> of
 * xl/workbook.xml, resolved through xl/_rels/workbook.xml.rels) to RFC 4180
 * CSV: comma-delimited, a field quoted when it holds , " ; tab or |, every
 * row padded to the sheet's widest row, each row ending in "\n", empty and
 * skipped rows kept as empty lines (trailing ones dropped), line breaks
 * inside a cell turned into one space.  *out is xmalloc'd and
 * NUL-terminated (also when *outn is 0), owned by the caller.
 *
 * Errors, all SIRECON_ERR_DATA with d->file left empty for the caller and
 * d->line the sheet row when one is known: not a zip, no workbook, broken
 * XML ("not a readable .xlsx workbook: ..."), a legacy .xls, a sheet over
 * Excel's 1,048,576 rows or 16,384 columns, a part over 2 GiB
 * uncompressed, a shared-string index out of range.
 */
sirecon_status xlsx_to_csv(const unsigned char *zip, size_t n, char **out,
                           size_t *outn, struct diag *d);

/* The same for the sheet whose tab reads `sheet` (NULL: the first sheet). */
sirecon_status xlsx_sheet_to_csv(const unsigned char *zip, size_t n, const char *sheet,
                                 char **out, size_t *outn, struct diag *d);

/* The names of the workbook's worksheets (chart and other special sheets
 * left out), in workbook order: *names an xmalloc'd array of *count
 * xmalloc'd strings, the caller frees both. */
sirecon_status xlsx_sheet_names(const unsigned char *zip, size_t n, char ***names,
                                size_t *count, struct diag *d);

#endif
