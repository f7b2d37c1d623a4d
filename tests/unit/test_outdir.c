/*
 * test_outdir.c - the atomic output folder: create, refuse, replace (both
 * the exchange and the fallback), stale siblings, modes, unwritable parent,
 * disk full, containment and SHA-256.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sirecon/outdir.h"

/* STATIC helpers of outdir.c, visible under -DTESTING. */
int outdir_rm_tree_at(int dfd, const char *name);
bool outdir_is_stale(const char *entry, const char *base);
sirecon_status outdir_commit_ex(struct outdir *o, bool exchange, struct diag *d);

static char root[256];

static int
setup(void **state)
{
    const char *t = getenv("TMPDIR");

    snprintf(root, sizeof root, "%s/test_outdir.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(root) ? 0 : -1;
}

static int
teardown(void **state)
{
    chmod(root, 0700);
    return outdir_rm_tree_at(AT_FDCWD, root);
}

static char *
at(const char *rel)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ & 3];

    snprintf(p, 512, "%s/%s", root, rel);
    return p;
}

static void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *
slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n;

    if (f == NULL)
        return NULL;
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Number of entries in a folder (without . and ..). */
static int
entries(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(dp);
    while ((de = readdir(dp)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

static int
mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

static bool
exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void
write_file(struct outdir *o, const char *name, const char *text)
{
    struct diag d = {0};
    char path[1024];
    FILE *f = outdir_fopen(o, name, &d);

    assert_non_null(f);
    fputs(text, f);
    snprintf(path, sizeof path, "%s/%s", outdir_tmp(o), name);
    assert_int_equal(outdir_fclose(f, path, &d), SIRECON_OK);
}

static void
test_new_folder(void **state)
{
    struct outdir o;
    struct diag d = {0};
    char prefix[64];
    const char *tmp, *slash;

    assert_int_equal(outdir_begin(&o, at("out/"), false, &d), SIRECON_OK);
    tmp = outdir_tmp(&o);
    assert_non_null(tmp);
    /* a sibling in the same parent, named for us */
    slash = strrchr(tmp, '/');
    assert_int_equal((int)(slash - tmp), (int)strlen(root));
    assert_memory_equal(tmp, root, strlen(root));
    snprintf(prefix, sizeof prefix, ".out.sirecon-tmp.%ld.", (long)getpid());
    assert_memory_equal(slash + 1, prefix, strlen(prefix));
    assert_int_equal(strlen(slash + 1), strlen(prefix) + 6);
    assert_int_equal(mode_of(tmp), 0700);
    assert_false(exists(at("out")));

    write_file(&o, "a.txt", "hello\n");
    {
        char p[1024];
        snprintf(p, sizeof p, "%s/a.txt", tmp);
        assert_int_equal(mode_of(p), 0600);
    }
    assert_int_equal(outdir_commit(&o, &d), SIRECON_OK);
    assert_null(outdir_tmp(&o));
    assert_string_equal(slurp(at("out/a.txt")), "hello\n");
    assert_int_equal(mode_of(at("out")), 0700);
    assert_int_equal(mode_of(at("out/a.txt")), 0600);
    assert_int_equal(entries(root), 1); /* no temporary left */
    outdir_abort(&o);                   /* harmless after commit */
    assert_string_equal(slurp(at("out/a.txt")), "hello\n");
    /* a second commit is a bug, not a crash */
    assert_int_equal(outdir_commit(&o, &d), SIRECON_ERR_INTERNAL);
}

static void
test_exists_without_force(void **state)
{
    struct outdir o;
    struct diag d = {0};

    assert_int_equal(mkdir(at("out"), 0755), 0);
    put(at("out/keep.txt"), "old");
    assert_int_equal(outdir_begin(&o, at("out"), false, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.msg, "output folder exists; use --force to replace it");
    assert_string_equal(d.file, at("out"));
    assert_null(outdir_tmp(&o));
    assert_int_equal(entries(root), 1);
    assert_string_equal(slurp(at("out/keep.txt")), "old");
    outdir_abort(&o);
}

/* --force replaces an empty folder or a report, never other contents. */
static void
test_force_refuses_foreign(void **state)
{
    struct outdir o;
    struct diag d = {0};

    assert_int_equal(mkdir(at("out"), 0755), 0);
    put(at("out/important.docx"), "mine");
    assert_int_equal(outdir_begin(&o, at("out"), true, &d), SIRECON_ERR_CANTCREAT);
    assert_non_null(strstr(d.msg, "not a sirecon report"));
    outdir_abort(&o);
    put(at("out/run.json"), "{}"); /* a report with a sub-folder is not ours either */
    assert_int_equal(mkdir(at("out/sub"), 0755), 0);
    assert_int_equal(outdir_begin(&o, at("out"), true, &d), SIRECON_ERR_CANTCREAT);
    outdir_abort(&o);
    assert_string_equal(slurp(at("out/important.docx")), "mine");
    assert_int_equal(rmdir(at("out/sub")), 0);
    assert_int_equal(unlink(at("out/important.docx")), 0);
    assert_int_equal(unlink(at("out/run.json")), 0);
    assert_int_equal(outdir_begin(&o, at("out"), true, &d), SIRECON_OK); /* empty */
    outdir_abort(&o);
}

static void
replace(bool exchange)
{
    struct outdir o;
    struct diag d = {0};

    assert_int_equal(mkdir(at("out"), 0755), 0); /* a previous report */
    put(at("out/old.txt"), "old");
    put(at("out/run.json"), "{}");
    assert_int_equal(outdir_begin(&o, at("out"), true, &d), SIRECON_OK);
    write_file(&o, "new.txt", "new");
    assert_string_equal(slurp(at("out/old.txt")), "old"); /* untouched until commit */
    assert_int_equal(outdir_commit_ex(&o, exchange, &d), SIRECON_OK);
    assert_false(exists(at("out/old.txt")));
    assert_false(exists(at("out/run.json")));
    assert_string_equal(slurp(at("out/new.txt")), "new");
    assert_int_equal(mode_of(at("out")), 0700);
    assert_int_equal(entries(root), 1); /* old contents and temporaries gone */
    assert_int_equal(entries(at("out")), 1);
}

static void
test_force_replaces(void **state)
{
    replace(true);
}

static void
test_force_replaces_fallback(void **state)
{
    replace(false);
}

static void
test_force_refuses_a_file(void **state)
{
    struct outdir o;
    struct diag d = {0};

    put(at("out"), "a file, not a folder");
    assert_int_equal(outdir_begin(&o, at("out"), true, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(slurp(at("out")), "a file, not a folder");
    assert_int_equal(entries(root), 1);
}

static void
test_appeared_meanwhile(void **state)
{
    struct outdir o;
    struct diag d = {0};

    assert_int_equal(outdir_begin(&o, at("out"), false, &d), SIRECON_OK);
    write_file(&o, "new.txt", "new");
    assert_int_equal(mkdir(at("out"), 0755), 0); /* another run got there first */
    put(at("out/theirs.txt"), "theirs");
    assert_int_equal(outdir_commit(&o, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.msg, "output folder exists; use --force to replace it");
    assert_string_equal(slurp(at("out/theirs.txt")), "theirs");
    assert_non_null(outdir_tmp(&o)); /* still there for abort */
    outdir_abort(&o);
    assert_int_equal(entries(root), 1);

    /* an empty folder that appeared is not silently replaced either */
    assert_int_equal(outdir_begin(&o, at("out2"), false, &d), SIRECON_OK);
    assert_int_equal(mkdir(at("out2"), 0755), 0);
    assert_int_equal(outdir_commit(&o, &d), SIRECON_ERR_CANTCREAT);
    outdir_abort(&o);
    assert_int_equal(entries(root), 2);
}

static void
test_abort(void **state)
{
    struct outdir o;
    struct diag d = {0};
    char tmp[1024];

    assert_int_equal(outdir_begin(&o, at("out"), false, &d), SIRECON_OK);
    snprintf(tmp, sizeof tmp, "%s", outdir_tmp(&o));
    write_file(&o, "a.txt", "x");
    outdir_abort(&o);
    assert_false(exists(tmp));
    assert_false(exists(at("out")));
    assert_int_equal(entries(root), 0);
    outdir_abort(&o); /* idempotent */
}

static void
test_create_exclusive(void **state)
{
    struct outdir o;
    struct diag d = {0};

    assert_int_equal(outdir_begin(&o, at("out"), false, &d), SIRECON_OK);
    write_file(&o, "a.txt", "x");
    assert_null(outdir_fopen(&o, "a.txt", &d));
    assert_string_equal(d.msg, strerror(EEXIST));
    outdir_abort(&o);
}

/* A pid that belonged to a process which has exited and been reaped. */
static pid_t
dead_pid(void)
{
    pid_t pid = fork();
    int status;

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return pid;
}

static void
test_stale_cleaned(void **state)
{
    struct outdir o;
    struct diag d = {0};
    char dead[512], live[512], other[512], p[600];
    pid_t pid = dead_pid();

    snprintf(dead, sizeof dead, "%s/.out.sirecon-tmp.%ld.Ab12Cd", root, (long)pid);
    snprintf(live, sizeof live, "%s/.out.sirecon-tmp.%ld.Ab12Cd", root, (long)getppid());
    snprintf(other, sizeof other, "%s/.other.sirecon-tmp.%ld.Ab12Cd", root, (long)pid);
    assert_int_equal(mkdir(dead, 0700), 0);
    snprintf(p, sizeof p, "%s/employees.csv", dead);
    put(p, "half written");
    snprintf(p, sizeof p, "%s/sub", dead);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(mkdir(live, 0700), 0);
    assert_int_equal(mkdir(other, 0700), 0);

    assert_int_equal(outdir_begin(&o, at("out"), false, &d), SIRECON_OK);
    assert_false(exists(dead));
    assert_true(exists(live));   /* its process is alive: maybe running */
    assert_true(exists(other));  /* another folder's business */
    assert_int_equal(outdir_commit(&o, &d), SIRECON_OK);
    assert_int_equal(entries(root), 3);
}

static void
test_is_stale(void **state)
{
    char name[128];
    pid_t pid = dead_pid();

    snprintf(name, sizeof name, ".out.sirecon-tmp.%ld.x", (long)pid);
    assert_true(outdir_is_stale(name, "out"));
    assert_false(outdir_is_stale(name, "ou"));
    assert_false(outdir_is_stale(name, "out2"));
    snprintf(name, sizeof name, ".out.sirecon-tmp.%ld.", (long)pid);
    assert_false(outdir_is_stale(name, "out"));
    snprintf(name, sizeof name, ".out.sirecon-tmp.%ld", (long)pid);
    assert_false(outdir_is_stale(name, "out"));
    snprintf(name, sizeof name, ".out.sirecon-tmp.%ld.x", (long)getpid());
    assert_false(outdir_is_stale(name, "out")); /* ours */
    assert_false(outdir_is_stale(".out.sirecon-tmp.x.y", "out"));
    assert_false(outdir_is_stale(".out.sirecon-tmp.-5.y", "out"));
    assert_false(outdir_is_stale(".out.sirecon-tmp.0.y", "out"));
    assert_false(outdir_is_stale("out.sirecon-tmp.1.y", "out"));
    assert_false(outdir_is_stale(".", "out"));
}

static void
test_unwritable_parent(void **state)
{
    struct outdir o;
    struct diag d = {0};

    if (geteuid() == 0) {
        /* root ignores modes: a parent that is not a folder fails for root too */
        assert_int_equal(outdir_begin(&o, "/dev/null/x", false, &d),
                         SIRECON_ERR_CANTCREAT);
        assert_non_null(strstr(d.msg, strerror(ENOTDIR)));
    } else {
        assert_int_equal(mkdir(at("ro"), 0500), 0);
        assert_int_equal(outdir_begin(&o, at("ro/out"), false, &d),
                         SIRECON_ERR_CANTCREAT);
        assert_non_null(strstr(d.msg, strerror(EACCES)));
        assert_non_null(strstr(d.msg, at("ro")));
        chmod(at("ro"), 0700);
    }
    assert_null(outdir_tmp(&o));
}

static void
test_missing_parent(void **state)
{
    struct outdir o;
    struct diag d = {0};

    assert_int_equal(outdir_begin(&o, at("no/such/out"), false, &d),
                     SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.file, at("no/such"));
    assert_string_equal(d.msg, strerror(ENOENT));
    assert_int_equal(outdir_begin(&o, "/", true, &d), SIRECON_ERR_CANTCREAT);
    assert_int_equal(outdir_begin(&o, at(".."), true, &d), SIRECON_ERR_CANTCREAT);
    assert_int_equal(entries(root), 0);
}

static void
full(size_t bytes)
{
    struct diag d = {0};
    FILE *f = fopen("/dev/full", "w");
    char *buf = malloc(bytes);

    assert_non_null(f);
    assert_non_null(buf);
    memset(buf, 'x', bytes);
    fwrite(buf, 1, bytes, f);
    fputs("more after the failure\n", f);
    free(buf);
    assert_int_equal(outdir_fclose(f, "/dev/full", &d), SIRECON_ERR_IO);
    assert_string_equal(d.file, "/dev/full");
    assert_string_equal(d.msg, strerror(ENOSPC));
}

static void
test_disk_full(void **state)
{
    full(3u << 20); /* fails inside fwrite: more than any buffer */
    full(100);      /* fails only when the buffer is flushed on close */
}

static void
test_fclose_ok(void **state)
{
    struct diag d = {0};
    FILE *f = fopen(at("plain.txt"), "w");

    assert_non_null(f);
    fputs("ok", f);
    assert_int_equal(outdir_fclose(f, at("plain.txt"), &d), SIRECON_OK);
    assert_string_equal(slurp(at("plain.txt")), "ok");
    assert_int_equal(outdir_fclose(NULL, "x", &d), SIRECON_OK);
}

static void
test_create_in_plain_dir(void **state)
{
    struct diag d = {0};
    FILE *f;

    assert_int_equal(outdir_create(root, "x.csv", &f, &d), SIRECON_OK);
    assert_non_null(f);
    fputs("1,2\r\n", f);
    assert_int_equal(outdir_fclose(f, at("x.csv"), &d), SIRECON_OK);
    assert_int_equal(mode_of(at("x.csv")), 0600);
    assert_int_equal(outdir_create(root, "x.csv", &f, &d), SIRECON_ERR_CANTCREAT);
    assert_null(f);
    assert_string_equal(d.file, at("x.csv"));
    assert_int_equal(outdir_create(at("nodir"), "x.csv", &f, &d), SIRECON_ERR_CANTCREAT);
    assert_string_equal(d.msg, strerror(ENOENT));
}

static void
test_contains_path(void **state)
{
    char dotdot[512];

    assert_int_equal(mkdir(at("in"), 0755), 0);
    put(at("in/tax.csv"), "x");
    put(at("infile.csv"), "x");
    assert_int_equal(symlink(at("in"), at("link")), 0);

    assert_true(outdir_contains_path(root, at("in/tax.csv")));
    assert_true(outdir_contains_path(at("in"), at("in/tax.csv")));
    assert_true(outdir_contains_path(at("in/"), at("in")));       /* is the input */
    assert_true(outdir_contains_path(at("link"), at("in/tax.csv"))); /* via symlink */
    assert_true(outdir_contains_path(at("in"), at("link/tax.csv")));
    snprintf(dotdot, sizeof dotdot, "%s/in/../in", root);
    assert_true(outdir_contains_path(dotdot, at("in/tax.csv")));
    assert_true(outdir_contains_path("/", at("in/tax.csv")));
    /* a prefix of the name is not containment */
    assert_false(outdir_contains_path(at("in"), at("infile.csv")));
    /* a folder that does not exist yet holds nothing but itself */
    assert_false(outdir_contains_path(at("out"), at("in/tax.csv")));
    assert_true(outdir_contains_path(at("out"), at("out")));
    assert_false(outdir_contains_path(at("in/tax.csv"), at("in")));
    assert_false(outdir_contains_path(root, "-"));
    assert_false(outdir_contains_path(at("no/such/dir"), at("in/tax.csv")));
    /* relative and absolute spellings agree */
    {
        char cwd[4096];
        assert_non_null(getcwd(cwd, sizeof cwd));
        assert_int_equal(chdir(root), 0);
        assert_true(outdir_contains_path(".", at("in/tax.csv")));
        assert_true(outdir_contains_path("in", "in/tax.csv"));
        assert_true(outdir_contains_path("newout", at("newout")));
        assert_int_equal(chdir(cwd), 0);
    }
}

static void
test_sha256(void **state)
{
    char hex[65];

    put(at("abc"), "abc");
    assert_int_equal(outdir_sha256_file(at("abc"), hex), SIRECON_OK);
    assert_string_equal(hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    put(at("empty"), "");
    assert_int_equal(outdir_sha256_file(at("empty"), hex), SIRECON_OK);
    assert_string_equal(hex,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* longer than one read chunk: 200000 x 'a' */
    {
        FILE *f = fopen(at("big"), "w");
        assert_non_null(f);
        for (int i = 0; i < 200000; i++)
            putc('a', f);
        fclose(f);
    }
    assert_int_equal(outdir_sha256_file(at("big"), hex), SIRECON_OK);
    assert_string_equal(hex,
        "2287d207f24a941ff3b56c04c8a25ad56b63e3023207b3bb5b4ac0c9869d74be");
    assert_int_equal(outdir_sha256_file(at("missing"), hex), SIRECON_ERR_IO);
    assert_int_equal(errno, ENOENT);
}

/* A stream of outdir_create hashes what is written through it. */
static void
test_sha256_stream(void **state)
{
    char hex[65], want[65];
    struct diag d = {0};
    FILE *f;

    assert_int_equal(outdir_create(root, "streamed", &f, &d), SIRECON_OK);
    fputs("ab", f);
    fputc('c', f);
    assert_int_equal(outdir_fclose_sha256(f, at("streamed"), hex, &d), SIRECON_OK);
    assert_string_equal(hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* more than the stream's buffer, and the same hash as read back */
    assert_int_equal(outdir_create(root, "streamed-big", &f, &d), SIRECON_OK);
    for (int i = 0; i < 600000; i++)
        putc('a' + i % 26, f);
    assert_int_equal(outdir_fclose_sha256(f, at("streamed-big"), hex, &d), SIRECON_OK);
    assert_int_equal(outdir_sha256_file(at("streamed-big"), want), SIRECON_OK);
    assert_string_equal(hex, want);
    /* nothing written: the empty hash */
    assert_int_equal(outdir_create(root, "streamed-empty", &f, &d), SIRECON_OK);
    assert_int_equal(outdir_fclose_sha256(f, at("streamed-empty"), hex, &d), SIRECON_OK);
    assert_string_equal(hex,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exists_without_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_force_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_force_refuses_foreign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_force_replaces_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_force_refuses_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appeared_meanwhile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_exclusive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_cleaned, setup, teardown),
        cmocka_unit_test(test_is_stale),
        cmocka_unit_test_setup_teardown(test_unwritable_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_parent, setup, teardown),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test_setup_teardown(test_fclose_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_in_plain_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contains_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sha256, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sha256_stream, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
