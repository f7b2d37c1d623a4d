/*
 * source.c - bytes of an input file -> UTF-8 text.
 *
 * Plain files are mmap'd read-only (the kernel pages them in as libcsv
 * walks them).  Pipes, devices, standard input and .gz files are read as a
 * stream in 64 KiB chunks (inflated by zlib on the way, with a 200:1 guard
 * past 100 MiB): their first SOURCE_PREFIX bytes decide what they are, and
 * UTF-8 text then flows through source_read() in bounded memory; a
 * workbook, an XML declaration or a legacy encoding is read whole, up to
 * SOURCE_SLURP_MAX.  The SHA-256 of the stored bytes is computed on
 * the way (nettle).  UTF-8 needs no copy: text points into the mapping, past
 * a BOM.  Other encodings go through encoding_to_utf8().  A workbook (zip
 * or OLE magic, or an .xlsx name) goes through xlsx_sheet_to_csv() instead:
 * its first sheet, or the one a "book.xlsx[Sheet]" path names (a workbook
 * of several worksheets expands to one such path per sheet).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <nettle/sha2.h>
#include "sirecon/source.h"
#include "sirecon/htkk.h"
#include "sirecon/xls.h"
#include "sirecon/xlsx.h"

static void
hex_digest(struct sha256_ctx *c, char out[65])
{
    uint8_t dg[SHA256_DIGEST_SIZE];

    sha256_digest(c, sizeof dg, dg);
    for (size_t i = 0; i < sizeof dg; i++)
        snprintf(out + 2 * i, 3, "%02x", dg[i]);
}

static bool
has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcasecmp(s + n - m, suf) == 0;
}

bool
source_supported_name(const char *name)
{
    static const char *const ext[] = {".csv", ".tsv", ".txt", ".csv.gz",
                                      ".tsv.gz", ".txt.gz", ".xlsx", ".xls", ".xml"};
    if (name[0] == '.' || (name[0] == '~' && name[1] == '$'))
        return false; /* hidden files and Excel's lock files ("~$tax.csv") */
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (has_suffix(name, ext[i]))
            return true;
    return false;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
source_sheet_path(const char *path, char **base, char **sheet)
{
    const char *b = strstr(path, ".xlsx[");
    size_t n = strlen(path);
    struct stat st;

    *base = *sheet = NULL;
    if (b == NULL || n < 2 || path[n - 1] != ']' || stat(path, &st) == 0)
        return false;
    while (strstr(b + 1, ".xlsx[") != NULL) /* a folder named "x.xlsx[" */
        b = strstr(b + 1, ".xlsx[");
    size_t bn = (size_t)(b - path) + 5;
    *base = xmalloc(bn + 1);
    memcpy(*base, path, bn);
    (*base)[bn] = '\0';
    *sheet = xmalloc(n - bn - 1);
    memcpy(*sheet, path + bn + 1, n - bn - 2);
    (*sheet)[n - bn - 2] = '\0';
    return true;
}

static sirecon_status load_bytes(struct source *s, struct diag *d);

/* Add path to the list, or, for a workbook of two worksheets or more, one
 * "path[Sheet]" entry per worksheet (docs/inputs.md, "Workbooks"): every
 * sheet that holds a list is read; Excel forbids "[", "]" and ":" in a
 * sheet's name, so the form is unambiguous and FILE:LINE still parses. */
static void
push_input(const char *path, char ***v, size_t *n, size_t *cap)
{
    struct source s;
    struct diag d = {0};
    char **names = NULL;
    size_t count = 0;

    memset(&s, 0, sizeof s);
    s.path = path;
    if (has_suffix(path, ".xlsx") && load_bytes(&s, &d) == SIRECON_OK && s.bs == NULL &&
        xlsx_sniff(s.raw, s.rawn) == XLSX_ZIP &&
        xlsx_sheet_names(s.raw, s.rawn, &names, &count, &d) == SIRECON_OK && count > 1) {
        for (size_t i = 0; i < count; i++) {
            size_t len = strlen(path) + strlen(names[i]) + 3;
            char *p = xmalloc(len);
            snprintf(p, len, "%s[%s]", path, names[i]);
            *v = xgrow(*v, cap, *n + 1, sizeof **v);
            (*v)[(*n)++] = p;
        }
    } else {
        *v = xgrow(*v, cap, *n + 1, sizeof **v);
        (*v)[(*n)++] = xstrdup(path);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    source_close(&s);
}

sirecon_status
source_expand(const char *arg, char ***v, size_t *n, size_t *cap, struct diag *d)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    size_t first = *n;

    if (strcmp(arg, "-") == 0 || stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (strcmp(arg, "-") != 0 && stat(arg, &st) == 0 && S_ISREG(st.st_mode))
            push_input(arg, v, n, cap);
        else {
            *v = xgrow(*v, cap, *n + 1, sizeof **v);
            (*v)[(*n)++] = xstrdup(arg);
        }
        return SIRECON_OK;
    }
    if ((dir = opendir(arg)) == NULL)
        return diag_set(d, SIRECON_ERR_NOINPUT, arg, 0, "cannot open directory: %s",
                        strerror(errno));
    while ((e = readdir(dir)) != NULL) {
        if (!source_supported_name(e->d_name))
            continue;
        size_t len = strlen(arg) + strlen(e->d_name) + 2;
        char *p = xmalloc(len);
        struct stat est;
        snprintf(p, len, "%s%s%s", arg,
                 arg[strlen(arg) - 1] == '/' ? "" : "/", e->d_name);
        if (stat(p, &est) != 0 || !S_ISREG(est.st_mode)) {
            free(p); /* a sub-folder named like a file is not an input */
            continue;
        }
        *v = xgrow(*v, cap, *n + 1, sizeof **v);
        (*v)[(*n)++] = p;
    }
    closedir(dir);
    if (*n == first)
        return diag_set(d, SIRECON_ERR_NOINPUT, arg, 0,
                        "directory holds no .csv/.tsv/.txt(.gz), .xlsx, .xls or .xml file");
    qsort(*v + first, *n - first, sizeof **v, cmp_str);
    /* workbooks of several sheets: a sheet each, in workbook order */
    {
        size_t end = *n;
        char **files = xmalloc((end - first) * sizeof *files);
        memcpy(files, *v + first, (end - first) * sizeof *files);
        *n = first;
        for (size_t i = 0; i < end - first; i++) {
            push_input(files[i], v, n, cap);
            free(files[i]);
        }
        free(files);
    }
    return SIRECON_OK;
}

/*
 * A byte stream: a pipe, a device, standard input or a gzip file, read in
 * fixed chunks (inflated on the way for gzip, concatenated members
 * allowed), hashing the stored bytes.  Memory is the chunk buffers, never
 * the input's size.
 */
#define BS_CHUNK (1u << 16)
#define GZ_RATIO 200u                     /* inflated : stored, past GZ_RATIO_FROM */
#define GZ_RATIO_FROM ((uint64_t)100 << 20)

struct bstream {
    int fd;
    bool own_fd;
    bool gz, eof, in_eof;
    z_stream z;
    unsigned char in[BS_CHUNK];
    size_t inpos, inn;
    struct sha256_ctx sha;
    uint64_t stored, out;                 /* bytes read from fd; bytes given out */
    const char *path;
};

static sirecon_status
bs_fill(struct bstream *b, struct diag *d)
{
    for (;;) {
        ssize_t r = read(b->fd, b->in, sizeof b->in);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return diag_set(d, SIRECON_ERR_IO, b->path, 0, "read error: %s", strerror(errno));
        b->inpos = 0;
        b->inn = (size_t)r;
        b->in_eof = r == 0;
        if (r > 0) {
            sha256_update(&b->sha, (size_t)r, b->in);
            b->stored += (uint64_t)r;
        }
        return SIRECON_OK;
    }
}

/* Up to cap decoded bytes into buf; *got 0 at the end. */
static sirecon_status
bs_read(struct bstream *b, unsigned char *buf, size_t cap, size_t *got, struct diag *d)
{
    sirecon_status rc;

    *got = 0;
    while (*got == 0 && !b->eof) {
        if (b->inpos == b->inn && !b->in_eof && (rc = bs_fill(b, d)) != SIRECON_OK)
            return rc;
        if (!b->gz) {
            size_t k = b->inn - b->inpos < cap ? b->inn - b->inpos : cap;
            memcpy(buf, b->in + b->inpos, k);
            b->inpos += k;
            *got = k;
            if (k == 0 && b->in_eof)
                b->eof = true;
            continue;
        }
        if (b->inpos == b->inn && b->in_eof) {
            /* input over: complete only at a member's end */
            if (b->z.total_in != 0 || b->z.avail_in != 0)
                return diag_set(d, SIRECON_ERR_IO, b->path, 0, "truncated gzip file");
            b->eof = true;
            continue;
        }
        b->z.next_in = b->in + b->inpos;
        b->z.avail_in = (uInt)(b->inn - b->inpos);
        b->z.next_out = buf;
        b->z.avail_out = (uInt)(cap > (1u << 30) ? (1u << 30) : cap);
        int zr = inflate(&b->z, Z_NO_FLUSH);
        b->inpos = b->inn - b->z.avail_in;
        *got = (size_t)(b->z.next_out - buf);
        if (zr == Z_STREAM_END) {
            inflateReset(&b->z); /* a next member, if any */
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return diag_set(d, SIRECON_ERR_IO, b->path, 0, "corrupt gzip data: %s",
                            b->z.msg ? b->z.msg : "inflate failed");
        }
    }
    b->out += *got;
    if (b->gz && b->out > GZ_RATIO_FROM && b->out / GZ_RATIO > b->stored)
        return diag_set(d, SIRECON_ERR_DATA, b->path, 0,
                        "decompresses to over %u times its size (%llu MiB so far): "
                        "a zip bomb, or not a gzip export; refused",
                        GZ_RATIO, (unsigned long long)(b->out >> 20));
    return SIRECON_OK;
}

static void
bs_close(struct bstream *b)
{
    if (b == NULL)
        return;
    if (b->gz)
        inflateEnd(&b->z);
    if (b->own_fd)
        close(b->fd);
    free(b);
}

/* Open fd as a stream; the first chunk tells whether it is gzip. */
static sirecon_status
bs_open(struct bstream **out, int fd, bool own, const char *path, struct diag *d)
{
    struct bstream *b = xcalloc(1, sizeof *b);
    sirecon_status rc;

    b->fd = fd;
    b->own_fd = own;
    b->path = path;
    sha256_init(&b->sha);
    *out = b;
    if ((rc = bs_fill(b, d)) != SIRECON_OK)
        return rc;
    if (b->inn >= 2 && b->in[0] == 0x1f && b->in[1] == 0x8b) {
        b->gz = true;
        if (inflateInit2(&b->z, 15 + 32) != Z_OK)
            return diag_set(d, SIRECON_ERR_INTERNAL, path, 0, "zlib init failed");
    }
    return SIRECON_OK;
}

/* Append the rest of the stream to s->raw (a workbook, XML or a legacy
 * encoding, which are decoded whole); at most max bytes. */
static sirecon_status
bs_slurp(struct source *s, size_t max, struct diag *d)
{
    size_t cap = s->rawcap, got;
    sirecon_status rc;

    for (;;) {
        if (cap - s->rawn < BS_CHUNK)
            s->raw = xgrow(s->raw, &cap, s->rawn + BS_CHUNK, 1);
        if ((rc = bs_read(s->bs, s->raw + s->rawn, cap - s->rawn, &got, d)) != SIRECON_OK)
            return rc;
        if (got == 0)
            return SIRECON_OK;
        s->rawn += got;
        s->rawcap = cap;
        if (s->rawn > max)
            return diag_set(d, SIRECON_ERR_DATA, s->path, 0,
                            "a workbook, XML or legacy-encoded input over %zu MiB from a "
                            "pipe or .gz: save it as a plain file or as UTF-8 CSV", max >> 20);
    }
}

static void
bs_finish(struct source *s)
{
    s->bytes = s->bs->stored;
    if (s->bs->eof)
        hex_digest(&s->bs->sha, s->sha256);
    bs_close(s->bs);
    s->bs = NULL;
}

/* SOURCE_PREFIX; the tests and the fuzz harness make it small so that
 * short inputs take the streaming path. */
STATIC size_t source_prefix_size = SOURCE_PREFIX;

static sirecon_status
load_bytes(struct source *s, struct diag *d)
{
    struct stat st;
    int fd;
    sirecon_status rc;
    bool std = strcmp(s->path, "-") == 0;

    if (std) {
        fd = STDIN_FILENO;
    } else {
        if ((fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
            return diag_set(d, SIRECON_ERR_NOINPUT, s->path, 0, "cannot open: %s",
                            strerror(errno));
        if (fstat(fd, &st) != 0) {
            close(fd);
            return diag_set(d, SIRECON_ERR_NOINPUT, s->path, 0, "cannot stat: %s",
                            strerror(errno));
        }
        if (S_ISDIR(st.st_mode)) {
            close(fd);
            return diag_set(d, SIRECON_ERR_NOINPUT, s->path, 0, "is a directory");
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0) {
            unsigned char magic[2] = {0, 0};
            if (pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
                /* a plain file: mapped, hashed in place */
                void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
                if (m != MAP_FAILED) {
                    struct sha256_ctx c;
                    madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
                    s->raw = m;
                    s->rawn = (size_t)st.st_size;
                    s->raw_kind = 1;
                    s->bytes = s->rawn;
                    sha256_init(&c);
                    sha256_update(&c, s->rawn, s->raw);
                    hex_digest(&c, s->sha256);
                    close(fd);
                    return SIRECON_OK;
                }
            }
        }
    }
    /* a pipe, a device, standard input, a .gz file, or an empty file: read
     * as a stream; the first SOURCE_PREFIX decoded bytes decide the rest */
    if ((rc = bs_open(&s->bs, fd, !std, s->path, d)) != SIRECON_OK)
        return rc;
    size_t cap = source_prefix_size ? source_prefix_size : 1, got;
    s->raw = xmalloc(cap);
    s->rawcap = cap;
    s->rawn = 0;
    s->raw_kind = 0;
    while (s->rawn < cap) {
        if ((rc = bs_read(s->bs, s->raw + s->rawn, cap - s->rawn, &got, d)) != SIRECON_OK)
            return rc;
        if (got == 0)
            break;
        s->rawn += got;
    }
    if (s->bs->eof)
        bs_finish(s); /* small: held whole, as a mapped file would be */
    return SIRECON_OK;
}

sirecon_status
source_read(struct source *s, char *buf, size_t cap, size_t *got, struct diag *d)
{
    *got = 0;
    if (s->prepos < s->textn) {
        size_t k = s->textn - s->prepos < cap ? s->textn - s->prepos : cap;
        memcpy(buf, s->text + s->prepos, k);
        s->prepos += k;
        *got = k;
        return SIRECON_OK;
    }
    if (s->bs == NULL)
        return SIRECON_OK;
    sirecon_status rc = bs_read(s->bs, (unsigned char *)buf, cap, got, d);
    if (rc == SIRECON_OK && *got == 0)
        bs_finish(s);
    return rc;
}

sirecon_status
source_open(struct source *s, const char *path, enc_id forced, struct diag *d)
{
    return source_open_stream(s, path, forced, false, d);
}

sirecon_status
source_open_stream(struct source *s, const char *path, enc_id forced, bool stream_ok,
                   struct diag *d)
{
    sirecon_status rc;

    memset(s, 0, sizeof *s);
    s->path = path;
    if (source_sheet_path(path, &s->base, &s->sheet))
        s->path = s->base; /* "book.xlsx[05-2]": the workbook's bytes */
    rc = load_bytes(s, d);
    s->path = path;
    if (rc != SIRECON_OK)
        return rc;
    if (s->bs != NULL) {
        /* more than the prefix is coming: UTF-8 text streams through
         * source_read(); a workbook, an XML declaration or a legacy
         * encoding is decoded whole (bounded by SOURCE_SLURP_MAX) */
        bool container = xlsx_sniff(s->raw, s->rawn) != XLSX_NONE ||
                         htkk_sniff(s->raw, s->rawn) || has_suffix(path, ".xlsx") ||
                         has_suffix(path, ".xls");
        size_t cut = s->rawn;
        while (cut > 0 && s->raw[cut - 1] != '\n')
            cut--; /* whole lines: a character is never cut in two */
        enc_id e = forced != ENC_UNKNOWN ? forced
                 : encoding_detect(s->raw, cut ? cut : s->rawn);
        if (!container && e == ENC_UNKNOWN)
            return diag_set(d, SIRECON_ERR_DATA, path, 0,
                            "text encoding not recognised in its first %zu MiB (not "
                            "UTF-8, and no single legacy Vietnamese encoding fits); name it "
                            "with --encoding", SOURCE_PREFIX >> 20);
        if (stream_ok && !container && (e == ENC_UTF8 || e == ENC_UTF8_BOM)) {
            s->stream = true;
            s->enc = s->rawn >= 3 && memcmp(s->raw, "\xEF\xBB\xBF", 3) == 0 ? ENC_UTF8_BOM
                                                                             : ENC_UTF8;
            s->text = (char *)s->raw + (s->enc == ENC_UTF8_BOM ? 3 : 0);
            s->textn = s->rawn - (s->enc == ENC_UTF8_BOM ? 3 : 0);
            return SIRECON_OK;
        }
        if ((rc = bs_slurp(s, SOURCE_SLURP_MAX, d)) != SIRECON_OK)
            return rc;
        bs_finish(s);
    }
    if (htkk_sniff(s->raw, s->rawn)) {
        /* an HTKK declaration: its persons as CSV rows, lines mapped back */
        rc = htkk_to_csv((const char *)s->raw, s->rawn, &s->conv, &s->textn, &s->line_map,
                         &s->nline_map, &s->htkk, d);
        if (rc != SIRECON_OK) {
            snprintf(d->file, sizeof d->file, "%s", path);
            return rc;
        }
        s->enc = ENC_HTKK_XML;
        s->text = s->conv;
        return SIRECON_OK;
    }
    if (xlsx_sniff(s->raw, s->rawn) == XLSX_OLE || has_suffix(path, ".xls")) {
        /* a legacy workbook: FreeXL reads it by path, so only as a file */
        if (strcmp(path, "-") == 0 || (s->rawn >= 2 && s->raw_kind != 1))
            return diag_set(d, SIRECON_ERR_DATA, path, 0,
                            "an .xls workbook is read from a file only (not from "
                            "standard input or .gz): save it to a file, or as .xlsx or CSV");
        rc = xls_to_csv(path, &s->conv, &s->textn, d);
        if (rc != SIRECON_OK) {
            snprintf(d->file, sizeof d->file, "%s", path);
            return rc;
        }
        s->enc = ENC_XLS;
        s->text = s->conv;
        return SIRECON_OK;
    }
    if (xlsx_sniff(s->raw, s->rawn) != XLSX_NONE || has_suffix(path, ".xlsx")) {
        /* a workbook (also one named .csv, or on stdin): its first sheet as
         * CSV text, already UTF-8; --encoding does not apply */
        rc = xlsx_sheet_to_csv(s->raw, s->rawn, s->sheet, &s->conv, &s->textn, d);
        if (rc != SIRECON_OK) {
            snprintf(d->file, sizeof d->file, "%s", path);
            return rc;
        }
        s->enc = ENC_XLSX;
        s->text = s->conv;
        return SIRECON_OK;
    }
    s->enc = forced != ENC_UNKNOWN ? forced : encoding_detect(s->raw, s->rawn);
    if (forced == ENC_UTF8 && s->rawn >= 3 && memcmp(s->raw, "\xEF\xBB\xBF", 3) == 0)
        s->enc = ENC_UTF8_BOM;
    switch (s->enc) {
    case ENC_UNKNOWN:
        return diag_set(d, SIRECON_ERR_DATA, path, 0,
                        "text encoding not recognised (not UTF-8, and no single "
                        "legacy Vietnamese encoding fits); name it with --encoding "
                        "(utf-8, utf-16, windows-1258, viscii, tcvn3, vni)");
    case ENC_UTF8:
        s->text = (char *)s->raw;
        s->textn = s->rawn;
        return SIRECON_OK;
    case ENC_UTF8_BOM:
        s->text = (char *)s->raw + 3;
        s->textn = s->rawn - 3;
        return SIRECON_OK;
    default:
        rc = encoding_to_utf8(s->enc, s->raw, s->rawn, &s->conv, &s->textn, d);
        if (rc != SIRECON_OK) {
            snprintf(d->file, sizeof d->file, "%s", path);
            return rc;
        }
        s->text = s->conv;
        return SIRECON_OK;
    }
}

void
source_close(struct source *s)
{
    if (s->raw != NULL) {
        if (s->raw_kind == 1)
            munmap(s->raw, s->rawn);
        else
            free(s->raw);
    }
    free(s->conv);
    free(s->line_map);
    free(s->base);
    free(s->sheet);
    bs_close(s->bs);
    memset(s, 0, sizeof *s);
}
