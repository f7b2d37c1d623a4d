/*
 * encoding.h - text encodings of input files -> UTF-8 NFC (docs/inputs.md, "Encodings").
 *
 * UTF-8 (BOM or not) and UTF-16LE/BE with BOM are recognised by their bytes.
 * A file that is not valid UTF-8 is tried against the legacy Vietnamese
 * encodings: Windows-1258 and VISCII (glibc iconv), TCVN3/ABC and
 * VNI-Windows (own tables built from the published code charts, which iconv
 * lacks).  One is chosen only when it fits unambiguously.
 */
#ifndef SIRECON_ENCODING_H
#define SIRECON_ENCODING_H

#include <stddef.h>
#include "sirecon/common.h"

typedef enum enc_id {
    ENC_UNKNOWN = 0,
    ENC_UTF8,     /* UTF-8 without BOM */
    ENC_UTF8_BOM, /* UTF-8 with BOM (the BOM is dropped) */
    ENC_UTF16LE,  /* with BOM */
    ENC_UTF16BE,  /* with BOM */
    ENC_CP1258,   /* Windows-1258 (combining tone marks) */
    ENC_VISCII,
    ENC_TCVN3,    /* TCVN 5712:1993 VN3 / "ABC" (.VnTime fonts) */
    ENC_VNI,      /* VNI-Windows (VNI-Times), two bytes per toned letter */
    ENC_XLSX,     /* an Excel workbook: its first sheet, read by xlsx.c as UTF-8 */
    ENC_XLS,      /* a legacy .xls workbook, read by xls.c (FreeXL) */
    ENC_HTKK_XML  /* an HTKK XML declaration, read by htkk.c */
} enc_id;

/* Canonical name: "UTF-8", "UTF-8-BOM", "UTF-16LE", "UTF-16BE",
 * "WINDOWS-1258", "VISCII", "TCVN3", "VNI", "XLSX". */
const char *encoding_name(enc_id e);
/* Parse a user-given name (case-insensitive, accepts common aliases such as
 * "cp1258", "abc", "tcvn", "vni-windows", "utf8"); ENC_UNKNOWN if none. */
enc_id encoding_from_name(const char *s);

/*
 * Decide the encoding of buf[0..n).  BOMs first; then valid UTF-8; then each
 * legacy encoding is scored on the decoded text (bytes that map to nothing,
 * plausibility of Vietnamese letters).  Returns ENC_UNKNOWN when no candidate
 * fits or two fit equally well.
 */
enc_id encoding_detect(const unsigned char *buf, size_t n);

/*
 * Convert buf[0..n) from e to UTF-8, dropping any BOM, and normalize to NFC.
 * *out is xmalloc'd (NUL-terminated), *outn its length.  Returns
 * SIRECON_ERR_DATA (with d filled, file name left to the caller) when the
 * bytes are invalid for e.
 */
sirecon_status encoding_to_utf8(enc_id e, const unsigned char *buf, size_t n,
                                char **out, size_t *outn, struct diag *d);

/* Held around iconv_open/iconv_close, and by a fork() that runs iconv in
 * the child (xls.c), so no thread is inside glibc's module loader then. */
void encoding_gconv_lock(void);
void encoding_gconv_unlock(void);

#endif
