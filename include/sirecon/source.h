/*
 * source.h - an input file's bytes as UTF-8 text (SPEC §2.1-2.2).
 *
 * A path is a plain file (mapped), a gzip file (inflated by zlib straight
 * into memory, no temp file) or "-" (standard input, read whole).  The
 * encoding is detected (or forced) and the text converted to UTF-8; UTF-8
 * input is used in place, without a copy.  A directory argument expands to
 * its supported files, sorted by name.
 */
#ifndef SIRECON_SOURCE_H
#define SIRECON_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sirecon/common.h"
#include "sirecon/encoding.h"

struct source {
    const char *path;      /* as given */
    unsigned char *raw;    /* file bytes (inflated for .gz) */
    size_t rawn;
    int raw_kind;          /* 0 malloc, 1 mmap */
    char *text;            /* UTF-8: points into raw, or into conv */
    size_t textn;
    char *conv;            /* converted text when not UTF-8 (xmalloc) */
    enc_id enc;
    uint64_t bytes;        /* size on disk */
    char sha256[65];       /* of the bytes on disk */
    uint32_t *line_map;    /* text line k -> the input's line line_map[k-1]
                              (HTKK XML: a person's element), NULL: the same */
    size_t nline_map;
};

/* Open and decode path.  forced != ENC_UNKNOWN skips detection.
 * Errors: SIRECON_ERR_NOINPUT (cannot open), SIRECON_ERR_IO (read error,
 * corrupt gzip), SIRECON_ERR_DATA (encoding undetectable or invalid). */
sirecon_status source_open(struct source *s, const char *path, enc_id forced,
                           struct diag *d);
void source_close(struct source *s);

/* Whether a file name has a supported extension (.csv .tsv .txt, also .gz;
 * .xlsx); hidden files and Excel lock files (~$...) are not. */
bool source_supported_name(const char *name);

/* Expand one command-line argument: a directory gives its supported files
 * sorted by name (strcmp), anything else itself.  Appends xmalloc'd strings
 * to *v (count *n, capacity *cap). */
sirecon_status source_expand(const char *arg, char ***v, size_t *n, size_t *cap,
                             struct diag *d);

#endif
