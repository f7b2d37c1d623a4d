/*
 * test_arena.c - the bump allocator that owns every string of a run:
 * alignment for any object, big one-off blocks, pointers that stay valid
 * while the arena grows, copies, the used counter, free and reuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdalign.h>
#include <string.h>
#include <cmocka.h>
#include "sirecon/arena.h"

#define AL alignof(max_align_t)

static void
test_alignment(void **state)
{
    arena a;

    arena_init(&a);
    for (size_t n = 0; n < 2000; n++) {
        unsigned char *p = arena_alloc(&a, n % 37);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % AL, 0);
        memset(p, 0xAB, n % 37); /* writable (ASan checks the bounds) */
    }
    /* a double and a long double placed after an odd-sized string */
    (void)arena_strdup(&a, "abc");
    long double *ld = arena_alloc(&a, sizeof *ld);
    assert_int_equal((uintptr_t)ld % alignof(long double), 0);
    *ld = 1.5L;
    assert_true(*ld == 1.5L);
    arena_free(&a);
}

/* Zero-byte requests still give distinct pointers. */
static void
test_zero(void **state)
{
    arena a;

    arena_init(&a);
    void *p = arena_alloc(&a, 0), *q = arena_alloc(&a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    arena_free(&a);
}

/* Blocks never move: every earlier pointer keeps its bytes while the arena
 * grows through many blocks and big one-off allocations. */
static void
test_growth_and_big(void **state)
{
    enum { N = 5000 };
    static char *ptr[N];
    static size_t len[N];
    arena a;

    arena_init(&a);
    for (size_t i = 0; i < N; i++) {
        /* mostly small, now and then bigger than a quarter block (the 1 MiB
         * block size: 300 KiB and 3 MiB requests) */
        len[i] = i % 997 == 0 ? 3u << 20 : i % 101 == 0 ? 300u << 10 : 1 + i % 500;
        ptr[i] = arena_alloc(&a, len[i]);
        assert_int_equal((uintptr_t)ptr[i] % AL, 0);
        memset(ptr[i], (int)(i & 0xff), len[i]);
    }
    for (size_t i = 0; i < N; i++) {
        /* no two allocations overlap: each still holds its own pattern */
        assert_int_equal((unsigned char)ptr[i][0], i & 0xff);
        assert_int_equal((unsigned char)ptr[i][len[i] - 1], i & 0xff);
        assert_int_equal((unsigned char)ptr[i][len[i] / 2], i & 0xff);
    }
    /* after a big one-off block (over a quarter of the largest block,
     * 32 MiB), small requests keep filling the current block rather than
     * starting a new one each time */
    size_t before = a.used, nbig = 9u << 20;
    char *s1 = arena_alloc(&a, 8);
    char *big = arena_alloc(&a, nbig);
    char *s2 = arena_alloc(&a, 8);
    big[0] = big[nbig - 1] = 1;
    assert_true(s2 > s1 && s2 - s1 < 1024);
    assert_true(a.used >= before + 16 + nbig);
    arena_free(&a);
}

static void
test_used(void **state)
{
    arena a;

    arena_init(&a);
    assert_int_equal(a.used, 0);
    /* used counts bytes handed out plus the padding before aligned items */
    arena_alloc(&a, 1);
    assert_int_equal(a.used, 1);
    arena_alloc(&a, AL + 1);
    assert_int_equal(a.used, 2 * AL + 1);
    arena_alloc(&a, 0);
    assert_int_equal(a.used, 3 * AL + 1);
    /* strings are packed without alignment padding */
    char *s1 = arena_strdup(&a, "ab"), *s2 = arena_strdup(&a, "cd");
    assert_ptr_equal(s2, s1 + 3);
    assert_int_equal(a.used, 3 * AL + 7);
    arena_free(&a);
    assert_int_equal(a.used, 0);
    assert_null(a.head);
    /* reusable after free */
    char *p = arena_strdup(&a, "again");
    assert_string_equal(p, "again");
    arena_free(&a);
    /* freeing an empty arena is fine */
    arena_init(&a);
    arena_free(&a);
}

static void
test_strndup(void **state)
{
    arena a;
    char src[] = "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0";

    arena_init(&a);
    char *p = arena_strndup(&a, src, 6); /* "Trần" is 6 bytes */
    assert_int_equal(strlen(p), 6);
    assert_memory_equal(p, "Tr\xe1\xba\xa7n", 7);
    /* a copy, not an alias */
    char *q = arena_strdup(&a, src);
    src[0] = 'X';
    assert_string_equal(q, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0");
    assert_ptr_not_equal(q, src);
    /* n bytes are copied even past an embedded NUL; the result is terminated */
    char *r = arena_strndup(&a, "ab\0cd", 5);
    assert_memory_equal(r, "ab\0cd", 6);
    char *e = arena_strndup(&a, "xyz", 0);
    assert_string_equal(e, "");
    assert_string_equal(arena_strdup(&a, ""), "");
    /* a long string over a block boundary */
    static char longs[700000];
    memset(longs, 'z', sizeof longs - 1);
    char *l = arena_strdup(&a, longs);
    assert_int_equal(strlen(l), sizeof longs - 1);
    arena_free(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_zero),
        cmocka_unit_test(test_growth_and_big),
        cmocka_unit_test(test_used),
        cmocka_unit_test(test_strndup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
