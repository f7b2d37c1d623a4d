/*
 * test_source.c - source_open() on the files an inspector points at: plain
 * UTF-8 (text is the mapping itself, SHA-256 of the bytes), UTF-8 with a BOM
 * (dropped), UTF-16LE (converted), gzip written here with zlib (inflated,
 * size and hash of the compressed bytes, concatenated members, a large one),
 * corrupt and truncated gzip, missing file, empty file, a directory, and
 * standard input.  Then source_expand() on directories and
 * source_supported_name().  Every file lives in a mkdtemp() folder removed
 * after each test.  Expected digests come from sha256sum(1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "sirecon/source.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

#define SHA_ABC_LF "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* of "\xEF\xBB\xBF" "a,b\n" */
#define SHA_BOM_AB "a229c873df024e747f06d68bc5245c43da26c74cb92b1faa416405a9ebce593f"

static char root[256];

/* ---- fixtures ----------------------------------------------------------- */

static int
setup(void **state)
{
    const char *t = getenv("TMPDIR");

    snprintf(root, sizeof root, "%s/test_source.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(root) ? 0 : -1;
}

/* Remove root and everything in it (two levels are enough here). */
static void
rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    struct stat st;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int
teardown(void **state)
{
    rm_tree(root);
    return 0;
}

static const char *
path_of(const char *name)
{
    static char p[4][512];
    static int k;

    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", root, name);
    return p[k];
}

static const char *
write_file(const char *name, const void *b, size_t n)
{
    const char *p = path_of(name);
    FILE *f = fopen(p, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return p;
}

/* Write n bytes as one gzip member; mode "wb" starts the file, "ab" appends
 * another member. */
static void
gz_member(const char *p, const char *mode, const void *b, size_t n)
{
    gzFile g = gzopen(p, mode);

    assert_non_null(g);
    if (n)
        assert_int_equal(gzwrite(g, b, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
}

static uint64_t
size_of(const char *p)
{
    struct stat st;

    assert_int_equal(stat(p, &st), 0);
    return (uint64_t)st.st_size;
}

/* SHA-256 of a file by sha256sum(1), an implementation other than nettle's;
 * false when the tool is not there. */
static bool
sha256sum_of(const char *p, char out[65])
{
    char cmd[600];
    FILE *f;
    bool ok;

    snprintf(cmd, sizeof cmd, "sha256sum '%s' 2>/dev/null", p);
    if ((f = popen(cmd, "r")) == NULL)
        return false;
    ok = fscanf(f, "%64[0-9a-f]", out) == 1 && strlen(out) == 64;
    return pclose(f) == 0 && ok;
}

/* ---- plain files --------------------------------------------------------- */

static void
test_plain_utf8(void **state)
{
    struct source s;
    struct diag d;
    const char *p = write_file("plain.csv", "abc\n", 4);

    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_string_equal(s.path, p);
    assert_int_equal(s.enc, ENC_UTF8);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "abc\n", 4);
    /* UTF-8 is used in place: text is the file's bytes, no conversion. */
    assert_ptr_equal(s.text, (char *)s.raw);
    assert_null(s.conv);
    assert_int_equal(s.bytes, 4);
    assert_string_equal(s.sha256, SHA_ABC_LF);
    source_close(&s);
    assert_null(s.raw);
}

static void
test_vietnamese_utf8(void **state)
{
    static const char t[] = "Nguyễn Văn A,0100233488\n";
    struct source s;
    struct diag d;
    const char *p = write_file("vi.csv", t, sizeof t - 1);

    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF8);
    assert_int_equal(s.textn, sizeof t - 1);
    assert_memory_equal(s.text, t, sizeof t - 1);
    assert_string_equal(s.sha256,
                        "30a88ef15fec5756b13c906a1432122cf2505b63686521193a76126c7c14bb6b");
    source_close(&s);
}

static void
test_utf8_bom(void **state)
{
    static const char t[] = "\xEF\xBB\xBF" "a,b\n";
    struct source s;
    struct diag d;
    const char *p = write_file("bom.csv", t, sizeof t - 1);

    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF8_BOM);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "a,b\n", 4);
    assert_ptr_equal(s.text, (char *)s.raw + 3);
    /* Size and hash are of the bytes on disk, BOM included. */
    assert_int_equal(s.bytes, 7);
    assert_string_equal(s.sha256, SHA_BOM_AB);
    source_close(&s);

    /* --encoding utf-8 on a file with a BOM still drops the BOM. */
    assert_int_equal(source_open(&s, p, ENC_UTF8, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF8_BOM);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "a,b\n", 4);
    source_close(&s);
}

static void
test_bom_only(void **state)
{
    struct source s;
    struct diag d;
    const char *p = write_file("bomonly.csv", "\xEF\xBB\xBF", 3);

    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF8_BOM);
    assert_int_equal(s.textn, 0);
    source_close(&s);
}

static void
test_utf16le(void **state)
{
    static const char t[] = "\xFF\xFE" "a\0,\0b\0\n\0";
    struct source s;
    struct diag d;
    const char *p = write_file("u16.csv", t, sizeof t - 1);

    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF16LE);
    assert_non_null(s.conv);
    assert_ptr_equal(s.text, s.conv);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "a,b\n", 4);
    assert_int_equal(s.bytes, 10);
    source_close(&s);
}

static void
test_empty_file(void **state)
{
    struct source s;
    struct diag d;
    const char *p = write_file("empty.csv", "", 0);

    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.textn, 0);
    assert_int_equal(s.bytes, 0);
    assert_string_equal(s.sha256, SHA_EMPTY);
    source_close(&s);
}

static void
test_missing_file(void **state)
{
    struct source s;
    struct diag d;
    const char *p = path_of("no-such.csv");

    memset(&d, 0, sizeof d);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_ERR_NOINPUT);
    assert_string_equal(d.file, p);
    assert_non_null(strstr(d.msg, "cannot open"));
    source_close(&s);
}

static void
test_directory(void **state)
{
    struct source s;
    struct diag d;
    const char *p = path_of("sub");

    assert_int_equal(mkdir(p, 0700), 0);
    memset(&d, 0, sizeof d);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_ERR_NOINPUT);
    assert_string_equal(d.file, p);
    assert_non_null(strstr(d.msg, "directory"));
    source_close(&s);
}

/* ---- gzip ---------------------------------------------------------------- */

static void
test_gzip(void **state)
{
    static const char t[] = "Nguyễn Văn A,0100233488\nb,c\n";
    struct source s;
    struct diag d;
    const char *p = path_of("tax.csv.gz");
    char want[65];

    gz_member(p, "wb", t, sizeof t - 1);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF8);
    assert_int_equal(s.textn, sizeof t - 1);
    assert_memory_equal(s.text, t, sizeof t - 1);
    /* bytes and sha256 describe the compressed file on disk. */
    assert_int_equal(s.bytes, size_of(p));
    assert_true(s.bytes != sizeof t - 1);
    if (sha256sum_of(p, want))
        assert_string_equal(s.sha256, want);
    else
        assert_int_equal(strlen(s.sha256), 64);
    source_close(&s);
}

/* A .gz file is recognised by its magic bytes, not its name. */
static void
test_gzip_by_magic(void **state)
{
    struct source s;
    struct diag d;
    const char *p = path_of("named-plain.csv");

    gz_member(p, "wb", "abc\n", 4);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "abc\n", 4);
    source_close(&s);
}

static void
test_gzip_bom(void **state)
{
    static const char t[] = "\xEF\xBB\xBF" "x;y\n";
    struct source s;
    struct diag d;
    const char *p = path_of("bom.csv.gz");

    gz_member(p, "wb", t, sizeof t - 1);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.enc, ENC_UTF8_BOM);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "x;y\n", 4);
    source_close(&s);
}

static void
test_gzip_members(void **state)
{
    struct source s;
    struct diag d;
    const char *p = path_of("cat.csv.gz");

    /* What `cat a.csv.gz b.csv.gz > all.csv.gz` produces. */
    gz_member(p, "wb", "h1,h2\na,b\n", 10);
    gz_member(p, "ab", "c,d\n", 4);
    gz_member(p, "ab", "e,f\n", 4);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.textn, 18);
    assert_memory_equal(s.text, "h1,h2\na,b\nc,d\ne,f\n", 18);
    assert_int_equal(s.bytes, size_of(p));
    source_close(&s);
}

static void
test_gzip_empty(void **state)
{
    struct source s;
    struct diag d;
    const char *p = path_of("empty.csv.gz");

    gz_member(p, "wb", "", 0);
    assert_true(size_of(p) > 0);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.textn, 0);
    source_close(&s);
}

/* Inflated text far larger than the first output guess (4x the input). */
static void
test_gzip_large(void **state)
{
    static const char line[] = "0100233488,Nguyễn Văn A,034085001111,12.345.678\n";
    enum { REPS = 40000 };
    size_t ln = sizeof line - 1, n = ln * REPS;
    char *t = malloc(n);
    struct source s;
    struct diag d;
    const char *p = path_of("big.csv.gz");

    assert_non_null(t);
    for (size_t i = 0; i < REPS; i++)
        memcpy(t + i * ln, line, ln);
    gz_member(p, "wb", t, n);
    assert_true(size_of(p) * 4 < n);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_OK);
    assert_int_equal(s.textn, n);
    assert_memory_equal(s.text, t, n);
    source_close(&s);
    free(t);
}

static void
test_gzip_corrupt(void **state)
{
    static const unsigned char junk[] = {0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe,
                                         0xef, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff,
                                         0x12, 0x34, 0x56, 0x78};
    struct source s;
    struct diag d;
    const char *p = write_file("bad.csv.gz", junk, sizeof junk);

    memset(&d, 0, sizeof d);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_ERR_IO);
    assert_string_equal(d.file, p);
    assert_non_null(strstr(d.msg, "gzip"));
    source_close(&s);
}

static void
test_gzip_truncated(void **state)
{
    static const char t[] = "a,b\nc,d\ne,f\n";
    struct source s;
    struct diag d;
    const char *p = path_of("trunc.csv.gz");
    unsigned char buf[256];
    FILE *f;
    size_t n;

    gz_member(p, "wb", t, sizeof t - 1);
    f = fopen(p, "rb");
    assert_non_null(f);
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 12);
    /* Cut off the CRC and length trailer and some data. */
    p = write_file("trunc.csv.gz", buf, n - 10);
    memset(&d, 0, sizeof d);
    assert_int_equal(source_open(&s, p, ENC_UNKNOWN, &d), SIRECON_ERR_IO);
    assert_non_null(strstr(d.msg, "gzip"));
    source_close(&s);
}

/* ---- standard input ------------------------------------------------------ */

/* Open "-" with fd 0 redirected from the file p. */
static sirecon_status
open_stdin_from(const char *p, struct source *s, struct diag *d)
{
    int saved = dup(STDIN_FILENO);
    int fd = open(p, O_RDONLY);
    sirecon_status rc;

    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    rc = source_open(s, "-", ENC_UNKNOWN, d);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    return rc;
}

static void
test_stdin(void **state)
{
    struct source s;
    struct diag d;
    const char *p = write_file("in.csv", "abc\n", 4);

    assert_int_equal(open_stdin_from(p, &s, &d), SIRECON_OK);
    assert_string_equal(s.path, "-");
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "abc\n", 4);
    assert_int_equal(s.bytes, 4);
    assert_string_equal(s.sha256, SHA_ABC_LF);
    source_close(&s);

    /* gzip through a pipe-like stream is inflated too. */
    p = path_of("in.csv.gz");
    gz_member(p, "wb", "x,y\n", 4);
    assert_int_equal(open_stdin_from(p, &s, &d), SIRECON_OK);
    assert_int_equal(s.textn, 4);
    assert_memory_equal(s.text, "x,y\n", 4);
    assert_int_equal(s.bytes, size_of(p));
    source_close(&s);
}

/* ---- source_expand() ----------------------------------------------------- */

static void
free_vec(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void
test_expand_dir(void **state)
{
    static const char *const names[] = {"b.csv", "a.csv.gz", "c.txt", "notes.md",
                                        ".hidden.csv"};
    char dir[512], want[600];
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct diag d;

    snprintf(dir, sizeof dir, "%s", path_of("in"));
    assert_int_equal(mkdir(dir, 0700), 0);
    for (size_t i = 0; i < N_OF(names); i++) {
        char sub[600];
        snprintf(sub, sizeof sub, "in/%s", names[i]);
        write_file(sub, "x\n", 2);
    }
    assert_int_equal(source_expand(dir, &v, &n, &cap, &d), SIRECON_OK);
    assert_int_equal(n, 3);
    snprintf(want, sizeof want, "%s/a.csv.gz", dir);
    assert_string_equal(v[0], want);
    snprintf(want, sizeof want, "%s/b.csv", dir);
    assert_string_equal(v[1], want);
    snprintf(want, sizeof want, "%s/c.txt", dir);
    assert_string_equal(v[2], want);
    free_vec(v, n);

    /* With a trailing slash: no doubled separator.  Appending after an
     * earlier argument sorts only the new entries. */
    v = NULL;
    n = cap = 0;
    assert_int_equal(source_expand("zzz.csv", &v, &n, &cap, &d), SIRECON_OK);
    strcat(dir, "/");
    assert_int_equal(source_expand(dir, &v, &n, &cap, &d), SIRECON_OK);
    assert_int_equal(n, 4);
    assert_string_equal(v[0], "zzz.csv");
    snprintf(want, sizeof want, "%sa.csv.gz", dir);
    assert_string_equal(v[1], want);
    snprintf(want, sizeof want, "%sc.txt", dir);
    assert_string_equal(v[3], want);
    free_vec(v, n);
}

static void
test_expand_empty_dir(void **state)
{
    char dir[512];
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct diag d;

    snprintf(dir, sizeof dir, "%s", path_of("none"));
    assert_int_equal(mkdir(dir, 0700), 0);
    memset(&d, 0, sizeof d);
    assert_int_equal(source_expand(dir, &v, &n, &cap, &d), SIRECON_ERR_NOINPUT);
    assert_int_equal(n, 0);
    assert_string_equal(d.file, dir);
    free_vec(v, n);

    /* Only unsupported files: the same. */
    write_file("none/readme.md", "x", 1);
    write_file("none/.x.csv", "x", 1);
    assert_int_equal(source_expand(dir, &v, &n, &cap, &d), SIRECON_ERR_NOINPUT);
    assert_int_equal(n, 0);
    free_vec(v, n);
}

static void
test_expand_non_dirs(void **state)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct diag d;
    const char *f = write_file("one.csv", "x\n", 2);
    const char *missing = path_of("missing.csv");

    assert_int_equal(source_expand("-", &v, &n, &cap, &d), SIRECON_OK);
    assert_int_equal(source_expand(f, &v, &n, &cap, &d), SIRECON_OK);
    /* A path that does not exist passes through; opening it reports it. */
    assert_int_equal(source_expand(missing, &v, &n, &cap, &d), SIRECON_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "-");
    assert_string_equal(v[1], f);
    assert_string_equal(v[2], missing);
    assert_true(cap >= n);
    free_vec(v, n);
}

/* ---- source_supported_name() --------------------------------------------- */

static void
test_supported_name(void **state)
{
    static const struct {
        const char *name;
        bool want;
    } t[] = {
        {"a.csv", true},      {"a.tsv", true},       {"a.txt", true},
        {"A.CSV", true},      {"a.Csv.Gz", true},    {"a.csv.gz", true},
        {"a.tsv.gz", true},   {"a.txt.gz", true},    {"bang ke 05-1.csv", true},
        {"notes.md", false},  {"a.gz", false},       {"a.csv.bak", false},
        {"a.csvx", false},    {"csv", false},        {".hidden.csv", false},
        {".csv", false},      {"a.xls", true},       {"a.csv.zip", false}, {"05QTT.XML", true}, {"a.xlsb", false},
        {"", false},
    };
    int bad = 0;

    for (size_t i = 0; i < N_OF(t); i++)
        if (source_supported_name(t[i].name) != t[i].want) {
            print_error("source_supported_name(\"%s\") != %d\n", t[i].name, t[i].want);
            bad++;
        }
    assert_int_equal(bad, 0);
}

/* ---- streams: a .gz longer than the prefix is not held whole ----------- */

extern size_t source_prefix_size; /* source.c, visible under -DTESTING */

/* Read the whole text of a streamed source back through source_read(). */
static char *
read_back(struct source *s, size_t *n)
{
    size_t cap = 64, len = 0, got;
    char *b = malloc(cap);
    struct diag d;

    assert_non_null(b);
    for (;;) {
        if (cap - len < 7) {
            cap *= 2;
            b = realloc(b, cap);
            assert_non_null(b);
        }
        assert_int_equal(source_read(s, b + len, 7, &got, &d), SIRECON_OK);
        if (got == 0)
            break;
        len += got;
    }
    *n = len;
    return b;
}

static void
test_stream_gzip(void **state)
{
    static const char t[] = "\xEF\xBB\xBF" "Họ và tên,Số CCCD\nNguyễn Văn An,034085001111\n"
                            "Trần Thị Bình,034190002222\r\nLê Văn Cường,001088003333\n";
    struct source s;
    struct diag d;
    const char *p = path_of("stream.csv.gz");
    char want[65];
    size_t n;
    char *got;

    gz_member(p, "wb", t, 40);
    gz_member(p, "ab", t + 40, sizeof t - 1 - 40); /* two members */
    source_prefix_size = 16;
    assert_int_equal(source_open_stream(&s, p, ENC_UNKNOWN, true, &d), SIRECON_OK);
    assert_true(s.stream);
    assert_int_equal(s.enc, ENC_UTF8_BOM);
    got = read_back(&s, &n);
    assert_int_equal(n, sizeof t - 1 - 3); /* the text, BOM dropped */
    assert_memory_equal(got, t + 3, n);
    free(got);
    /* size and checksum of the stored file, known at the end */
    assert_int_equal(s.bytes, size_of(p));
    if (sha256sum_of(p, want))
        assert_string_equal(s.sha256, want);
    source_close(&s);
    /* without stream_ok (or for a legacy encoding) the text is held whole */
    assert_int_equal(source_open_stream(&s, p, ENC_UNKNOWN, false, &d), SIRECON_OK);
    assert_false(s.stream);
    assert_int_equal(s.textn, sizeof t - 1 - 3);
    source_close(&s);
    source_prefix_size = SOURCE_PREFIX;
}

/* Bytes that are no text in any encoding fail at once, not at the end. */
static void
test_stream_garbage(void **state)
{
    unsigned char b[4096];
    struct source s;
    struct diag d;
    const char *p = path_of("garbage.gz");
    unsigned x = 12345;

    for (size_t i = 0; i < sizeof b; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(0x80 | (x >> 16));
    }
    gz_member(p, "wb", b, sizeof b);
    source_prefix_size = 1024;
    memset(&d, 0, sizeof d);
    assert_int_equal(source_open_stream(&s, p, ENC_UNKNOWN, true, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "encoding"));
    source_close(&s);
    source_prefix_size = SOURCE_PREFIX;
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_plain_utf8),      T(test_vietnamese_utf8), T(test_utf8_bom),
        T(test_bom_only),        T(test_utf16le),         T(test_empty_file),
        T(test_missing_file),    T(test_directory),       T(test_gzip),
        T(test_gzip_by_magic),   T(test_gzip_bom),        T(test_gzip_members),
        T(test_gzip_empty),      T(test_gzip_large),      T(test_gzip_corrupt),
        T(test_gzip_truncated),  T(test_stdin),           T(test_expand_dir),
        T(test_expand_empty_dir), T(test_expand_non_dirs), T(test_supported_name),
        T(test_stream_gzip),     T(test_stream_garbage),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
