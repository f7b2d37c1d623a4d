/*
 * source.h - an input file's bytes as UTF-8 text (docs/inputs.md, "Formats", "Encodings").
 *
 * A path is a plain file (mapped), a gzip file (inflated by zlib as it is
 * read, no temp file) or "-" (standard input); pipes, standard input and
 * .gz files of UTF-8 text are streamed in bounded memory (source_open_stream),
 * workbooks, XML and legacy encodings are read whole.  The encoding is
 * detected (or forced) and the text converted to UTF-8; UTF-8 input is used
 * in place, without a copy.  A directory argument expands to
 * its supported files, sorted by name.
 */
#ifndef SIRECON_SOURCE_H
#define SIRECON_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sirecon/common.h"
#include "sirecon/encoding.h"
#include "sirecon/htkk.h"

struct source {
    const char *path;      /* as given */
    unsigned char *raw;    /* file bytes (inflated for .gz) */
    size_t rawn, rawcap;   /* rawcap: allocated bytes when malloc'd */
    int raw_kind;          /* 0 malloc, 1 mmap */
    char *text;            /* UTF-8: points into raw, or into conv */
    size_t textn;
    char *conv;            /* converted text when not UTF-8 (xmalloc) */
    enc_id enc;
    uint64_t bytes;        /* size on disk */
    char sha256[65];       /* of the bytes on disk */
    struct bstream *bs;    /* a stream still being read (pipe, stdin, .gz) */
    bool stream;           /* text is only the first part: the rest comes
                              through source_read() */
    size_t prepos;         /* source_read(): bytes of text already given */
    uint32_t *line_map;    /* text line k -> the input's line line_map[k-1]
                              (HTKK XML: a person's element), NULL: the same */
    size_t nline_map;
    struct htkk_info htkk; /* HTKK XML (enc ENC_HTKK_XML): the declaration's
                              header and appendices; zero otherwise */
    char *base, *sheet;    /* a "book.xlsx[Sheet]" path: the workbook and the
                              sheet read (xmalloc'd), else NULL */
};

/* Whether path names one sheet of a workbook, "book.xlsx[Sheet]" (and is
 * no file of that name): *base and *sheet then receive the workbook's path
 * and the sheet's name (xmalloc'd, the caller frees). */
bool source_sheet_path(const char *path, char **base, char **sheet);

/* Open and decode path.  forced != ENC_UNKNOWN skips detection.
 * Errors: SIRECON_ERR_NOINPUT (cannot open), SIRECON_ERR_IO (read error,
 * corrupt gzip), SIRECON_ERR_DATA (encoding undetectable or invalid). */
sirecon_status source_open(struct source *s, const char *path, enc_id forced,
                           struct diag *d);

/* First bytes of a stream that decide its kind and encoding; what to hold
 * at most of a stream that must be decoded whole. */
#define SOURCE_PREFIX ((size_t)4 << 20)
#define SOURCE_SLURP_MAX ((size_t)1 << 30)

/* source_open(), and with stream_ok a pipe, standard input or a .gz file
 * of UTF-8 text longer than SOURCE_PREFIX is not held whole: s->stream is
 * set, s->text holds its first part, and source_read() gives the text from
 * the start, chunk by chunk (bytes and sha256 are final once it returned
 * 0).  The encoding of such a stream is decided by its first part. */
sirecon_status source_open_stream(struct source *s, const char *path, enc_id forced,
                                  bool stream_ok, struct diag *d);
sirecon_status source_read(struct source *s, char *buf, size_t cap, size_t *got,
                           struct diag *d);
void source_close(struct source *s);

/* Whether a file name has a supported extension (.csv .tsv .txt, also .gz;
 * .xlsx .xls .xml); hidden files and Excel lock files (~$...) are not. */
bool source_supported_name(const char *name);

/* Expand one command-line argument: a directory gives its supported files
 * sorted by name (strcmp), anything else itself; a workbook of two
 * worksheets or more gives "book.xlsx[Sheet]" for each, in workbook order
 * (source_open reads that sheet).  Appends xmalloc'd strings
 * to *v (count *n, capacity *cap). */
sirecon_status source_expand(const char *arg, char ***v, size_t *n, size_t *cap,
                             struct diag *d);

#endif
