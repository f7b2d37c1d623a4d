/*
 * names.h - person-name keys (docs/inputs.md, "Values and identifiers").
 *
 * The name key: NFC, one tone-mark placement (the "new" style, mark on the
 * main vowel: "Hoà"->"Hòa", "Thuỷ"->"Thủy", "Khoẻ"->"Khỏe"), case folded,
 * spaces collapsed and trimmed.  The folded key additionally removes every
 * diacritic and maps đ->d: a weaker key that merges "Hà"/"Hạ"/"Hả".
 */
#ifndef SIRECON_NAMES_H
#define SIRECON_NAMES_H

#include <stddef.h>
#include <stdbool.h>
#include "sirecon/arena.h"

typedef struct name_keys {
    const char *key;    /* exact name key (arena), "" when the name is empty */
    const char *folded; /* accent-free key (arena) */
    bool has_marks;     /* the name carries any diacritic (incl. đ) */
} name_keys;

/* Compute both keys of s[0..n) (UTF-8).  Invalid UTF-8 is treated as
 * Latin-1 bytes rather than failing.  Strings go into a. */
void names_keys(arena *a, const char *s, size_t n, name_keys *out);

/* A person's name as written (NFC) and its two keys, made once per
 * distinct name cell of a file and shared by the records that carry it
 * (load.c): one pointer in a record instead of three, and records that
 * share one compare equal without a strcmp. */
struct pname {
    const char *full;         /* NFC, as written */
    const char *key, *fold;   /* names_keys(): exact key, accent-free key */
    bool marks;               /* the written name has diacritics */
};

/* A struct pname for the NFC name full (n bytes), its strings and itself
 * in a. */
const struct pname *names_pname(arena *a, const char *full, size_t n);

/* Free this thread's word cache (names_keys keeps one per thread). */
void names_cache_clear(void);

/* NFC-normalize s[0..n) into a fresh malloc'd string (xmalloc). Invalid
 * UTF-8 is returned unchanged (copied). *outn receives the length. */
char *names_nfc(const char *s, size_t n, size_t *outn);

/* Fold for alias matching of header labels: remove diacritics, đ->d, lower
 * case, drop everything that is not a letter or digit.  "Mã số BHXH",
 * "MA SO BHXH" and "ma_so_bhxh" all give "masobhxh".  Writes at most outsz-1
 * bytes plus NUL and returns the length. */
size_t names_fold_label(const char *s, size_t n, char *out, size_t outsz);
/* The same fold with words kept apart by single spaces, camelCase split,
 * and brackets/parentheses kept as "(" and ")" tokens: for reading a
 * label by its words (labels.c). */
size_t names_fold_words(const char *s, size_t n, char *out, size_t outsz);
/* names_fold_words, and for each byte written to out the diacritics its
 * letter carried (marks[], outsz bytes, 0 for none): a modifier in the low
 * three bits (NAMES_MARK_*), the tone (1 grave … 5 dot below) in bits 3-5.
 * "năm" and "Nam" fold alike; their marks tell them apart (labels.c). */
#define NAMES_MARK_BREVE 1      /* ă */
#define NAMES_MARK_CIRCUMFLEX 2 /* â ê ô */
#define NAMES_MARK_HORN 3       /* ơ ư */
#define NAMES_MARK_STROKE 4     /* đ */
#define NAMES_MARK_MODIFIER 7   /* mask of the modifier bits */
size_t names_fold_words_marked(const char *s, size_t n, char *out, unsigned char *marks,
                               size_t outsz);

#endif
