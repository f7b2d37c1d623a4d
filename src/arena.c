/*
 * arena.c - bump allocator in growing blocks (see arena.h for ownership):
 * 1 MiB, then half of what the arena holds, up to 32 MiB.  Requests larger
 * than a quarter block get a block of their own so big strings do not
 * waste the tail of the current one.
 */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/arena.h"
#include "sirecon/common.h"

#define ARENA_BLOCK (1u << 20)
#define ARENA_BLOCK_MAX (32u << 20)

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
        /* blocks grow with the arena, to half of what it holds (a third
         * of it wasted at most), so a big arena's blocks are big enough
         * for huge pages (common.c): a national run's names are read in
         * random order and a 4 KiB page each missed the TLB */
        size_t std = a->used / 2 & ~(size_t)(ARENA_BLOCK - 1);
        std = std < ARENA_BLOCK ? ARENA_BLOCK : std > ARENA_BLOCK_MAX ? ARENA_BLOCK_MAX : std;
        bool oneoff = n > std / 4;
        size_t sz = oneoff ? n : std;
        struct arena_block *nb = xmalloc(sizeof *nb + sz);
        if (!oneoff && b != NULL)
            prefault(nb, sizeof *nb + sz); /* a growing arena fills it next,
                                              byte after byte; a short-lived
                                              one-block arena may not */
        nb->size = sz;
        nb->used = 0;
        if (b != NULL && oneoff) {
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
