/*
 * outdir.c - the output folder, built in a temporary sibling and moved into
 * place in one rename, files 0600 in a 0700 folder (docs/architecture.md, "Outputs").
 *
 * A run never leaves a half-written output folder: writers fill
 * ".<base>.sirecon-tmp.<pid>.XXXXXX" next to the final folder, commit fsyncs
 * every file, the folder and (after the rename) the parent.  With --force the
 * old folder is swapped out with renameat2(RENAME_EXCHANGE), so the final name
 * always points at a complete folder; kernels or file systems without it get
 * rename-aside + rename.  Siblings of runs that were killed carry a dead pid
 * and are removed by the next run for the same folder.
 */
#define _GNU_SOURCE /* fopencookie */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "sirecon/outdir.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#define TMP_TAG ".sirecon-tmp."
#define OUTDIR_BUFSIZE (256 * 1024) /* stdio buffer of an output file */

/* Errors that mean the disk, not the request, failed (exit 74). */
static sirecon_status
errno_status(int e)
{
    return (e == ENOSPC || e == EIO || e == EDQUOT || e == EFBIG)
               ? SIRECON_ERR_IO : SIRECON_ERR_CANTCREAT;
}

static char *
path_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = xmalloc(na + nb + 2);

    memcpy(p, a, na);
    p[na] = '/';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

/* Split a path into parent and last component, ignoring trailing '/'.
 * false for "/", "" and a last component "." or "..". */
static bool
split_path(const char *path, char **parent, char **base)
{
    size_t n = strlen(path);
    const char *slash;
    char *copy;

    while (n > 1 && path[n - 1] == '/')
        n--;
    copy = xstrndup(path, n);
    slash = strrchr(copy, '/');
    if (slash == NULL) {
        *parent = xstrdup(".");
        *base = copy;
    } else {
        *parent = slash == copy ? xstrdup("/") : xstrndup(copy, (size_t)(slash - copy));
        *base = xstrdup(slash + 1);
        free(copy);
    }
    if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
        free(*parent);
        free(*base);
        *parent = *base = NULL;
        return false;
    }
    return true;
}

/*
 * Remove name (relative to dfd) and, for a folder, everything under it.
 * Symbolic links are removed, never followed.  Returns 0 or -1 (errno).
 */
STATIC int
outdir_rm_tree_at(int dfd, const char *name)
{
    struct stat st;
    struct dirent *de;
    DIR *dp;
    int fd, rc = 0;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dfd, name, 0);
    fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if ((dp = fdopendir(fd)) == NULL) {
        close(fd);
        return -1;
    }
    while ((de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (outdir_rm_tree_at(dirfd(dp), de->d_name) != 0)
            rc = -1;
    }
    closedir(dp);
    if (unlinkat(dfd, name, AT_REMOVEDIR) != 0)
        rc = -1;
    return rc;
}

/* fsync name (relative to dfd) and, for a folder, everything under it
 * first.  Returns 0 or an errno value. */
static int
fsync_tree_at(int dfd, const char *name)
{
    struct stat st;
    struct dirent *de;
    DIR *dp = NULL;
    int fd, e = 0;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno;
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
        return 0; /* a symlink or special file holds no data of ours */
    fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                           (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
    if (fd < 0)
        return errno;
    if (S_ISDIR(st.st_mode)) {
        int fd2 = dup(fd);

        if (fd2 < 0 || (dp = fdopendir(fd2)) == NULL) {
            e = errno;
            if (fd2 >= 0)
                close(fd2);
            close(fd);
            return e;
        }
        while (e == 0 && (de = readdir(dp)) != NULL) {
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                e = fsync_tree_at(fd, de->d_name);
        }
        closedir(dp);
    }
    if (e == 0 && fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    close(fd);
    return e;
}

/* Whether a directory entry is a temporary sibling of base left by a
 * process that no longer exists. */
STATIC bool
outdir_is_stale(const char *entry, const char *base)
{
    size_t nb = strlen(base), nt = strlen(TMP_TAG);
    const char *p;
    char *end;
    long pid;

    if (entry[0] != '.' || strncmp(entry + 1, base, nb) != 0 ||
        strncmp(entry + 1 + nb, TMP_TAG, nt) != 0)
        return false;
    p = entry + 1 + nb + nt;
    if (*p < '0' || *p > '9')
        return false;
    errno = 0;
    pid = strtol(p, &end, 10);
    if (errno != 0 || *end != '.' || end[1] == '\0' || pid <= 0 || pid > INT_MAX)
        return false;
    if ((pid_t)pid == getpid())
        return false; /* ours: another outdir of this run */
    return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

static void
outdir_release(struct outdir *o)
{
    free(o->final);
    free(o->parent);
    free(o->base);
    free(o->tmp);
    o->final = o->parent = o->base = o->tmp = NULL;
}

/* mkdtemp a fresh ".<base>.sirecon-tmp.<pid>.XXXXXX" in the parent. */
static char *
make_sibling(const struct outdir *o)
{
    char tail[64];
    char *name, *path;

    snprintf(tail, sizeof tail, "%s%ld.XXXXXX", TMP_TAG, (long)getpid());
    name = xmalloc(strlen(o->base) + strlen(tail) + 2);
    name[0] = '.';
    strcpy(name + 1, o->base);
    strcat(name, tail);
    path = path_join(o->parent, name);
    free(name);
    if (mkdtemp(path) == NULL) {
        int e = errno;
        free(path);
        errno = e;
        return NULL;
    }
    return path;
}

/* Whether dir holds nothing but regular files. */
static bool
only_files(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    struct stat sb;
    char p[4400];
    bool ok = dp != NULL;

    while (ok && (de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        ok = lstat(p, &sb) == 0 && S_ISREG(sb.st_mode);
    }
    if (dp != NULL)
        closedir(dp);
    return ok;
}

/* A folder --force may replace: empty, or a finished report (it holds
 * run.json and nothing but regular files, and perhaps a notices/ folder of
 * regular files). */
static bool
replaceable(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    bool any = false, manifest = false, other = false;
    struct stat sb;
    char p[4096];

    if (dp == NULL)
        return false;
    while ((de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        any = true;
        if (strcmp(de->d_name, "run.json") == 0)
            manifest = true;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (lstat(p, &sb) != 0)
            other = true;
        else if (S_ISDIR(sb.st_mode) && strcmp(de->d_name, "notices") == 0)
            other |= !only_files(p);
        else if (!S_ISREG(sb.st_mode))
            other = true;
    }
    closedir(dp);
    return !any || (manifest && !other);
}

sirecon_status
outdir_begin(struct outdir *o, const char *final, bool force, struct diag *d)
{
    sirecon_status st;
    struct stat sb;
    struct dirent *de;
    DIR *dp;
    size_t n;
    int e;

    memset(o, 0, sizeof *o);
    o->force = force;
    if (!split_path(final, &o->parent, &o->base))
        return diag_set(d, SIRECON_ERR_CANTCREAT, final, 0,
                        "not a usable output folder name");
    /* Drop trailing '/' so the name is the one rename() sees. */
    n = strlen(final);
    while (n > 1 && final[n - 1] == '/')
        n--;
    o->final = xstrndup(final, n);

    if (lstat(o->final, &sb) == 0) {
        if (!force) {
            st = diag_set(d, SIRECON_ERR_CANTCREAT, o->final, 0,
                          "output folder exists; use --force to replace it");
            goto fail;
        }
        if (!S_ISDIR(sb.st_mode)) {
            st = diag_set(d, SIRECON_ERR_CANTCREAT, o->final, 0,
                          "exists and is not a folder; not replacing it");
            goto fail;
        }
        if (!replaceable(o->final)) {
            /* --force replaces a report, never somebody's documents */
            st = diag_set(d, SIRECON_ERR_CANTCREAT, o->final, 0,
                          "exists and is not a sirecon report (no run.json); "
                          "not replacing it, choose another -o");
            goto fail;
        }
    } else if (errno != ENOENT) {
        st = diag_set(d, SIRECON_ERR_CANTCREAT, o->final, 0, "%s", strerror(errno));
        goto fail;
    }

    if ((dp = opendir(o->parent)) == NULL) {
        st = diag_set(d, SIRECON_ERR_CANTCREAT, o->parent, 0, "%s", strerror(errno));
        goto fail;
    }
    while ((de = readdir(dp)) != NULL)
        if (outdir_is_stale(de->d_name, o->base))
            (void)outdir_rm_tree_at(dirfd(dp), de->d_name); /* best effort */
    closedir(dp);

    if ((o->tmp = make_sibling(o)) == NULL) {
        e = errno;
        st = diag_set(d, errno_status(e), o->final, 0,
                      "cannot create a folder in %s: %s", o->parent, strerror(e));
        goto fail;
    }
    (void)chmod(o->tmp, 0700); /* mkdtemp's mode is subject to the umask */
    return SIRECON_OK;
fail:
    outdir_release(o);
    return st;
}

const char *
outdir_tmp(const struct outdir *o)
{
    return o->tmp;
}

static int
sys_renameat2(const char *from, const char *to, unsigned flags)
{
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
#else
    (void)from; (void)to; (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

/* The kernel or file system cannot do this renameat2 flag. */
static bool
unsupported(int e)
{
    return e == EINVAL || e == ENOSYS || e == ENOTSUP || e == EOPNOTSUPP;
}

/*
 * Replace the existing final folder by tmp.  exchange: try
 * RENAME_EXCHANGE first (false in tests forces the fallback).  Afterwards
 * the old contents are removed (best effort: a leftover carries our pid and
 * goes with the next run).
 */
STATIC sirecon_status
outdir_swap(struct outdir *o, bool exchange, struct diag *d)
{
    char *aside;
    int e;

    if (exchange) {
        if (sys_renameat2(o->tmp, o->final, RENAME_EXCHANGE) == 0) {
            (void)outdir_rm_tree_at(AT_FDCWD, o->tmp); /* now the old folder */
            return SIRECON_OK;
        }
        if (!unsupported(errno)) {
            e = errno;
            return diag_set(d, errno_status(e), o->final, 0,
                            "cannot replace the output folder: %s", strerror(e));
        }
    }
    /* Fallback: move the old folder onto a fresh empty sibling, then ours in. */
    if ((aside = make_sibling(o)) == NULL) {
        e = errno;
        return diag_set(d, errno_status(e), o->final, 0,
                        "cannot create a folder in %s: %s", o->parent, strerror(e));
    }
    if (rename(o->final, aside) != 0) {
        e = errno;
        (void)rmdir(aside);
        free(aside);
        return diag_set(d, errno_status(e), o->final, 0,
                        "cannot replace the output folder: %s", strerror(e));
    }
    if (rename(o->tmp, o->final) != 0) {
        e = errno;
        (void)rename(aside, o->final); /* put the old folder back */
        free(aside);
        return diag_set(d, errno_status(e), o->final, 0,
                        "cannot replace the output folder: %s", strerror(e));
    }
    (void)outdir_rm_tree_at(AT_FDCWD, aside);
    free(aside);
    return SIRECON_OK;
}

/* rename() that never replaces an existing to (EEXIST instead). */
static int
rename_noreplace(const char *from, const char *to)
{
    struct stat sb;

    if (sys_renameat2(from, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (!unsupported(errno))
        return -1;
    if (lstat(to, &sb) == 0) { /* no renameat2 here: check, then rename */
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

/* Commit with a choice of exchange (tests force the fallback with false). */
STATIC sirecon_status
outdir_commit_ex(struct outdir *o, bool exchange, struct diag *d)
{
    sirecon_status st;
    struct stat sb;
    int e, fd;

    if (o->tmp == NULL)
        return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                        "output folder committed twice or never begun");
    if ((e = fsync_tree_at(AT_FDCWD, o->tmp)) != 0)
        return diag_set(d, errno_status(e), o->tmp, 0, "%s", strerror(e));
    if (chmod(o->tmp, 0700) != 0) {
        e = errno;
        return diag_set(d, errno_status(e), o->tmp, 0, "%s", strerror(e));
    }

    if (rename_noreplace(o->tmp, o->final) != 0) {
        e = errno;
        if (e != EEXIST && e != ENOTEMPTY)
            return diag_set(d, errno_status(e), o->final, 0,
                            "cannot create the output folder: %s", strerror(e));
        /* Without --force, a folder that appeared since begin is refused. */
        if (!o->force)
            return diag_set(d, SIRECON_ERR_CANTCREAT, o->final, 0,
                            "output folder exists; use --force to replace it");
        if (lstat(o->final, &sb) == 0 && !S_ISDIR(sb.st_mode))
            return diag_set(d, SIRECON_ERR_CANTCREAT, o->final, 0,
                            "exists and is not a folder; not replacing it");
        if ((st = outdir_swap(o, exchange, d)) != SIRECON_OK)
            return st;
    }

    /* The rename is durable once the parent folder is. */
    fd = open(o->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL)) {
        e = errno;
        if (fd >= 0)
            close(fd);
        st = diag_set(d, errno_status(e), o->parent, 0, "%s", strerror(e));
        outdir_release(o);
        return st;
    }
    close(fd);
    outdir_release(o);
    return SIRECON_OK;
}

sirecon_status
outdir_commit(struct outdir *o, struct diag *d)
{
    return outdir_commit_ex(o, true, d);
}

void
outdir_abort(struct outdir *o)
{
    if (o->tmp != NULL)
        (void)outdir_rm_tree_at(AT_FDCWD, o->tmp);
    outdir_release(o);
}

/* Real path of p, or of its parent + last component when p does not exist
 * yet.  NULL when neither resolves. */
static char *
resolve(const char *p)
{
    char *rp = realpath(p, NULL), *parent, *base, *rparent;

    if (rp != NULL || errno != ENOENT)
        return rp;
    if (!split_path(p, &parent, &base))
        return NULL;
    rparent = realpath(parent, NULL);
    if (rparent != NULL) {
        rp = strcmp(rparent, "/") == 0 ? path_join("", base) : path_join(rparent, base);
        free(rparent);
    }
    free(parent);
    free(base);
    return rp;
}

bool
outdir_contains_path(const char *dir, const char *path)
{
    char *rd, *rp;
    bool in = false;

    if (strcmp(path, "-") == 0)
        return false;
    rd = resolve(dir);
    rp = resolve(path);
    if (rd != NULL && rp != NULL) {
        size_t n = strlen(rd);
        in = strcmp(rd, "/") == 0 ||
             (strncmp(rp, rd, n) == 0 && (rp[n] == '\0' || rp[n] == '/'));
    }
    free(rd);
    free(rp);
    return in;
}

/*
 * The buffers given to output streams, to free after fclose.  A short list
 * under a lock: writers may run in threads, and FILE offers no place to keep
 * a pointer of ours.
 */
struct hstream {
    int fd;
    struct sha256_ctx ctx;
};

struct fbuf {
    FILE *f;
    char *buf;
    struct hstream *h;  /* the stream's file and hash, or NULL */
    struct fbuf *next;
};
static struct fbuf *fbufs;
static pthread_mutex_t fbuf_lock = PTHREAD_MUTEX_INITIALIZER;

static void
fbuf_add(FILE *f, char *buf, struct hstream *h)
{
    struct fbuf *b = xmalloc(sizeof *b);

    b->f = f;
    b->buf = buf;
    b->h = h;
    pthread_mutex_lock(&fbuf_lock);
    b->next = fbufs;
    fbufs = b;
    pthread_mutex_unlock(&fbuf_lock);
}

/* Unlink f's entry and return its buffer and hash stream (NULL when f
 * has none). */
static char *
fbuf_take(FILE *f, struct hstream **h)
{
    struct fbuf **pp, *b;
    char *buf = NULL;

    *h = NULL;
    pthread_mutex_lock(&fbuf_lock);
    for (pp = &fbufs; *pp != NULL; pp = &(*pp)->next) {
        if ((*pp)->f == f) {
            b = *pp;
            *pp = b->next;
            buf = b->buf;
            *h = b->h;
            free(b);
            break;
        }
    }
    pthread_mutex_unlock(&fbuf_lock);
    return buf;
}

/* The hashing stream: every byte stdio hands down is written to the file
 * and fed to SHA-256 in the same pass, so run.json never reads an output
 * back.  A short write is an error (glibc marks the stream). */
static ssize_t
hs_write(void *cookie, const char *buf, size_t n)
{
    struct hstream *h = cookie;
    size_t done = 0;

    while (done < n) {
        ssize_t w = write(h->fd, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        done += (size_t)w;
    }
    sha256_update(&h->ctx, done, (const uint8_t *)buf);
    return done > 0 || n == 0 ? (ssize_t)done : -1;
}

static int
hs_close(void *cookie)
{
    struct hstream *h = cookie;
    int rc = close(h->fd);

    h->fd = -1; /* the hash stays for outdir_fclose_sha256 */
    return rc;
}

static void
hex_digest(struct sha256_ctx *ctx, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t dig[SHA256_DIGEST_SIZE];

    sha256_digest(ctx, SHA256_DIGEST_SIZE, dig);
    for (size_t n = 0; n < SHA256_DIGEST_SIZE; n++) {
        hex[2 * n] = digits[dig[n] >> 4];
        hex[2 * n + 1] = digits[dig[n] & 15];
    }
    hex[64] = '\0';
}

sirecon_status
outdir_create(const char *dir, const char *name, FILE **fp, struct diag *d)
{
    static const cookie_io_functions_t hs_io = {NULL, hs_write, NULL, hs_close};
    char *path = path_join(dir, name), *buf;
    struct hstream *h;
    sirecon_status st;
    FILE *f;
    int fd, e;

    *fp = NULL;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = errno;
        st = diag_set(d, errno_status(e), path, 0, "%s", strerror(e));
        free(path);
        return st;
    }
    (void)fchmod(fd, 0600); /* exactly 0600 whatever the umask left */
    h = xmalloc(sizeof *h);
    h->fd = fd;
    sha256_init(&h->ctx);
    if ((f = fopencookie(h, "w", hs_io)) == NULL) {
        e = errno;
        close(fd);
        free(h);
        (void)unlink(path);
        st = diag_set(d, errno_status(e), path, 0, "%s", strerror(e));
        free(path);
        return st;
    }
    buf = xmalloc(OUTDIR_BUFSIZE);
    if (setvbuf(f, buf, _IOFBF, OUTDIR_BUFSIZE) != 0) {
        free(buf);
        buf = NULL;
    }
    fbuf_add(f, buf, h);
    free(path);
    *fp = f;
    return SIRECON_OK;
}

FILE *
outdir_fopen(const struct outdir *o, const char *name, struct diag *d)
{
    FILE *f;

    if (o->tmp == NULL) {
        diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0, "output folder not begun");
        return NULL;
    }
    (void)outdir_create(o->tmp, name, &f, d);
    return f;
}

/* errno left by a failed write, when it names one; else EIO. */
static int
write_errno(int e)
{
    switch (e) {
    case ENOSPC: case EDQUOT: case EIO: case EFBIG: case EPIPE: case EROFS:
    case EBADF:
        return e;
    }
    return EIO;
}

sirecon_status
outdir_fclose(FILE *f, const char *path, struct diag *d)
{
    return outdir_fclose_sha256(f, path, NULL, d);
}

sirecon_status
outdir_fclose_sha256(FILE *f, const char *path, char hex[65], struct diag *d)
{
    int saved = errno, e = 0;
    struct hstream *h;
    bool failed;
    char *buf;

    if (hex != NULL)
        hex[0] = '\0';
    if (f == NULL)
        return SIRECON_OK;
    failed = ferror(f) != 0;
    if (fflush(f) != 0)
        e = errno;
    else if (failed)
        e = write_errno(saved);
    /* EINVAL: a special file (pipe, /dev/...) that cannot be synced. */
    buf = fbuf_take(f, &h);
    if (e == 0 && fsync(h ? h->fd : fileno(f)) != 0 && errno != EINVAL && errno != EROFS)
        e = errno;
    if (fclose(f) != 0 && e == 0)
        e = errno;
    free(buf);
    if (h != NULL) {
        if (hex != NULL && e == 0)
            hex_digest(&h->ctx, hex);
        free(h);
    }
    if (e != 0)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "%s", strerror(e));
    return SIRECON_OK;
}

sirecon_status
outdir_sha256_file(const char *path, char hex[65])
{
    struct sha256_ctx ctx;
    unsigned char *buf;
    size_t n;
    FILE *f;
    int e;

    hex[0] = '\0';
    if ((f = fopen(path, "rb")) == NULL)
        return SIRECON_ERR_IO;
    buf = xmalloc(1 << 16);
    sha256_init(&ctx);
    while ((n = fread(buf, 1, 1 << 16, f)) > 0)
        sha256_update(&ctx, n, buf);
    e = ferror(f) ? errno : 0;
    fclose(f);
    free(buf);
    if (e != 0) {
        errno = e;
        return SIRECON_ERR_IO;
    }
    hex_digest(&ctx, hex);
    return SIRECON_OK;
}
