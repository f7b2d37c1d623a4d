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

void *
arena_alloc(arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    struct arena_block *b = a->head;
    size_t need = (n + al - 1) & ~(al - 1);

    if (n > SIZE_MAX / 2) /* rounding up would wrap to a tiny block */
        return xmalloc(SIZE_MAX); /* dies with the out-of-memory message */
    if (need == 0)
        need = al;
    if (b == NULL || b->size - b->used < need) {
        size_t sz = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;
        struct arena_block *nb = xmalloc(sizeof *nb + sz);
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
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used += need;
    return p;
}

char *
arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
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
