/*
 * arena.h - bump allocator that owns every string of a run.
 *
 * Ownership, once: all record strings (names, keys, IDs, file names) are
 * copied into one arena and freed together with arena_free().  Hash items and
 * records point into it and never free anything themselves.  Blocks are never
 * moved, so pointers stay valid until arena_free().
 */
#ifndef SIRECON_ARENA_H
#define SIRECON_ARENA_H

#include <stddef.h>

struct arena_block;
typedef struct arena {
    struct arena_block *head; /* newest block first */
    size_t used;              /* bytes handed out, for the manifest */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
/* n bytes aligned for any object; never NULL (dies on OOM). */
void *arena_alloc(arena *a, size_t n);
/* Copy of s[0..n) with a terminating NUL. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Move every block of src into dst (pointers stay valid); src ends empty. */
void arena_adopt(arena *dst, arena *src);

#endif
