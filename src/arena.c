/*
 * arena.c - bump allocator in growing blocks (see arena.h for ownership).
 * Requests larger than a quarter block get a block of their own so big
 * strings do not waste the tail of the current one.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/arena.h"
#include "sirecon/common.h"

#define ARENA_BLOCK (1u << 20)

struct arena_block {
    struct arena_block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

void
arena_init(arena *a)
{
    a->head = NULL;
    a->used = 0;
}

void
arena_free(arena *a)
{
    struct arena_block *b = a->head, *n;

    while (b != NULL) {
        n = b->next;
        free(b);
        b = n;
    }
    arena_init(a);
}

/* n bytes whose start is a multiple of al (a power of two). */
static void *
alloc_aligned(arena *a, size_t n, size_t al)
{
    struct arena_block *b = a->head;
    size_t off;

    if (n > SIZE_MAX / 2) /* rounding up would wrap to a tiny block */
        return xmalloc(SIZE_MAX); /* dies with the out-of-memory message */
    if (n == 0)
        n = 1;
    off = b ? (b->used + al - 1) & ~(al - 1) : 0;
    if (b == NULL || off > b->size || b->size - off < n) {
        size_t sz = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        struct arena_block *nb = xmalloc(sizeof *nb + sz);
        if (sz == ARENA_BLOCK && b != NULL)
            prefault(nb, sizeof *nb + sz); /* a growing arena fills it next,
                                              byte after byte; a short-lived
                                              one-block arena may not */
        nb->size = sz;
        nb->used = 0;
        if (b != NULL && sz != ARENA_BLOCK) {
            /* a big one-off block goes behind the current one */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
        off = 0;
    }
    void *p = b->data + off;
    a->used += off - b->used + n;
    b->used = off + n;
    return p;
}

void *
arena_alloc(arena *a, size_t n)
{
    return alloc_aligned(a, n, alignof(max_align_t));
}

char *
arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = alloc_aligned(a, n + 1, 1); /* strings need no alignment */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void
arena_adopt(arena *dst, arena *src)
{
    struct arena_block *b = src->head;

    if (b == NULL)
        return;
    while (b->next != NULL)
        b = b->next;
    /* src's blocks go behind dst's current block, which keeps filling */
    if (dst->head == NULL) {
        dst->head = src->head;
    } else {
        b->next = dst->head->next;
        dst->head->next = src->head;
    }
    dst->used += src->used;
    arena_init(src);
}
