/*
 * source.c - bytes of an input file -> UTF-8 text.
 *
 * Plain files are mmap'd read-only (the kernel pages them in as libcsv
 * walks them); .gz files are inflated with zlib into one growing buffer;
 * "-" reads standard input.  The SHA-256 of the stored bytes is computed on
 * the way (nettle).  UTF-8 needs no copy: text points into the mapping, past
 * a BOM.  Other encodings go through encoding_to_utf8().  A workbook (zip
 * or OLE magic, or an .xlsx name) goes through xlsx_to_csv() instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

sirecon_status
source_expand(const char *arg, char ***v, size_t *n, size_t *cap, struct diag *d)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    size_t first = *n;

    if (strcmp(arg, "-") == 0 || stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *v = xgrow(*v, cap, *n + 1, sizeof **v);
        (*v)[(*n)++] = xstrdup(arg);
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
    return SIRECON_OK;
}

/* Read all of fd into a malloc'd buffer, hashing it. */
static sirecon_status
read_all(int fd, struct source *s, struct sha256_ctx *c, struct diag *d)
{
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = xmalloc(cap);

    for (;;) {
        if (n == cap)
            b = xgrow(b, &cap, cap + 1, 1);
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(b);
            return diag_set(d, SIRECON_ERR_IO, s->path, 0, "read error: %s",
                            strerror(errno));
        }
        if (r == 0)
            break;
        sha256_update(c, (size_t)r, b + n);
        n += (size_t)r;
    }
    s->raw = b;
    s->rawn = n;
    s->raw_kind = 0;
    s->bytes = n;
    return SIRECON_OK;
}

/* Inflate a gzip buffer (concatenated members allowed). */
static sirecon_status
inflate_all(struct source *s, const unsigned char *in, size_t inn, struct diag *d)
{
    z_stream z;
    size_t cap = inn * 4 + 4096, n = 0;
    unsigned char *out = xmalloc(cap);
    int rc;

    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        free(out);
        return diag_set(d, SIRECON_ERR_INTERNAL, s->path, 0, "zlib init failed");
    }
    z.next_in = (unsigned char *)in;
    size_t left = inn;
    for (;;) {
        if (n == cap)
            out = xgrow(out, &cap, cap + 1, 1);
        uInt chunk_in = left > (1u << 30) ? (1u << 30) : (uInt)left;
        size_t room = cap - n;
        uInt chunk_out = room > (1u << 30) ? (1u << 30) : (uInt)room;
        z.avail_in = chunk_in;
        z.next_out = out + n;
        z.avail_out = chunk_out;
        rc = inflate(&z, Z_NO_FLUSH);
        left -= chunk_in - z.avail_in;
        n += chunk_out - z.avail_out;
        if (rc == Z_STREAM_END) {
            if (left == 0)
                break;
            inflateReset(&z); /* next gzip member */
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            inflateEnd(&z);
            free(out);
            return diag_set(d, SIRECON_ERR_IO, s->path, 0, "corrupt gzip data: %s",
                            z.msg ? z.msg : "inflate failed");
        }
        if (rc == Z_BUF_ERROR && left == 0 && z.avail_out != 0) {
            inflateEnd(&z);
            free(out);
            return diag_set(d, SIRECON_ERR_IO, s->path, 0,
                            "truncated gzip file");
        }
    }
    inflateEnd(&z);
    s->raw = out;
    s->rawn = n;
    s->raw_kind = 0;
    return SIRECON_OK;
}

static sirecon_status
load_bytes(struct source *s, struct diag *d)
{
    struct sha256_ctx c;
    struct stat st;
    int fd;
    sirecon_status rc;

    sha256_init(&c);
    if (strcmp(s->path, "-") == 0) {
        rc = read_all(STDIN_FILENO, s, &c, d);
        if (rc == SIRECON_OK)
            hex_digest(&c, s->sha256);
    } else {
        if ((fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
            return diag_set(d, SIRECON_ERR_NOINPUT, s->path, 0, "cannot open: %s",
                            strerror(errno));
        if (fstat(fd, &st) != 0) {
            close(fd);
            return diag_set(d, SIRECON_ERR_NOINPUT, s->path, 0, "cannot stat: %s",
                            strerror(errno));
        }
        if (!S_ISREG(st.st_mode)) {
            rc = S_ISDIR(st.st_mode) ? SIRECON_ERR_NOINPUT : SIRECON_OK;
            if (rc != SIRECON_OK) {
                close(fd);
                return diag_set(d, rc, s->path, 0, "is a directory");
            }
            rc = read_all(fd, s, &c, d); /* a pipe or device */
        } else if (st.st_size == 0) {
            s->raw = xmalloc(1);
            s->rawn = 0;
            rc = SIRECON_OK;
        } else {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m == MAP_FAILED) {
                rc = read_all(fd, s, &c, d);
            } else {
                madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
                s->raw = m;
                s->rawn = (size_t)st.st_size;
                s->raw_kind = 1;
                sha256_update(&c, s->rawn, s->raw);
                rc = SIRECON_OK;
            }
        }
        s->bytes = s->rawn;
        close(fd);
        if (rc == SIRECON_OK)
            hex_digest(&c, s->sha256);
    }
    if (rc != SIRECON_OK)
        return rc;
    if (s->rawn >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
        unsigned char *zraw = s->raw;
        size_t zn = s->rawn;
        int kind = s->raw_kind;
        rc = inflate_all(s, zraw, zn, d);
        if (kind == 1)
            munmap(zraw, zn);
        else
            free(zraw);
        if (rc != SIRECON_OK) {
            s->raw = NULL;
            s->rawn = 0;
        }
    }
    return rc;
}

sirecon_status
source_open(struct source *s, const char *path, enc_id forced, struct diag *d)
{
    sirecon_status rc;

    memset(s, 0, sizeof *s);
    s->path = path;
    if ((rc = load_bytes(s, d)) != SIRECON_OK)
        return rc;
    if (htkk_sniff(s->raw, s->rawn)) {
        /* an HTKK declaration: its persons as CSV rows, lines mapped back */
        struct htkk_info info;
        rc = htkk_to_csv((const char *)s->raw, s->rawn, &s->conv, &s->textn, &s->line_map,
                         &s->nline_map, &info, d);
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
        rc = xlsx_to_csv(s->raw, s->rawn, &s->conv, &s->textn, d);
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
    memset(s, 0, sizeof *s);
}
