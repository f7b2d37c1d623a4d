/*
 * names.c - person-name keys and header-label folding (docs/inputs.md, "Reading a label", "Values and identifiers").
 *
 * A name is decoded to code points (a byte that is not valid UTF-8 is taken
 * as a Latin-1 character, so nothing is ever rejected), canonically
 * decomposed (NFD) with utf8proc, lower-cased per code point, and its
 * whitespace (ASCII blanks, NBSP and every Unicode space) collapsed.  Each
 * syllable then gets one tone-mark placement, and the result is recomposed
 * (NFC).  The folded key is the same text with every combining mark dropped
 * and đ mapped to d.
 *
 * Tone-mark placement: the key uses the CLASSIC style, the mark on the first
 * vowel of an open "oa", "oe" or "uy" ("hòa", "khỏe", "thủy"), as names.h
 * documents.  The modern spelling ("hoà", "khoẻ", "thuỷ") is rewritten to it.
 * Only an open syllable whose whole nucleus is one of these pairs changes:
 * with a final consonant ("hoàng", "toán", "huyền") the mark sits on the
 * second vowel in both styles, and in "qu" the u is part of the consonant
 * ("quý", "quỳnh" stay as they are), as is the i of "gi" before a vowel.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "sirecon/common.h"
#include "sirecon/names.h"

#undef uthash_fatal
#define uthash_fatal(msg) ((void)xmalloc(SIZE_MAX))
#define uthash_malloc(sz) xmalloc(sz)
#include <uthash.h>

typedef utf8proc_int32_t cp_t;

/* Decode one code point of s[0..n); an invalid sequence yields its first byte
 * as a Latin-1 character.  Returns the bytes consumed (>= 1). */
static size_t
next_cp(const char *s, size_t n, cp_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    utf8proc_ssize_t r;

    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    r = utf8proc_iterate(u, n > 4 ? 4 : (utf8proc_ssize_t)n, cp);
    if (r <= 0) {
        *cp = u[0];
        return 1;
    }
    return (size_t)r;
}

static int
is_ascii_alnum(cp_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char
ascii_lower(cp_t c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

size_t
names_fold_label(const char *s, size_t n, char *out, size_t outsz)
{
    size_t i = 0, len = 0;
    cp_t c, dec[8];
    utf8proc_ssize_t k, j;

    if (outsz == 0)
        return 0;
    while (i < n && len + 1 < outsz) {
        i += next_cp(s + i, n - i, &c);
        if (c < 0x80) {
            if (is_ascii_alnum(c))
                out[len++] = ascii_lower(c);
        } else if (c == 0x110 || c == 0x111) { /* Đ đ */
            out[len++] = 'd';
        } else {
            /* keep the ASCII base letters of the canonical decomposition */
            k = utf8proc_decompose_char(c, dec, 8, UTF8PROC_DECOMPOSE, NULL);
            if (k > 8)
                k = 0; /* canonical decompositions are at most 4 long */
            for (j = 0; j < k && len + 1 < outsz; j++)
                if (is_ascii_alnum(dec[j]))
                    out[len++] = ascii_lower(dec[j]);
        }
    }
    out[len] = '\0';
    return len;
}

/*
 * names_fold_label() keeping word boundaries: every run of characters that
 * are not letters or digits becomes one space, and so does a lower-to-upper
 * case change in ASCII ("citizenId" -> "citizen id", "MST_CN" -> "mst cn").
 * Brackets and parentheses are kept as tokens of their own ("(", ")") so
 * that a caller can tell a qualifier from the head of a label.
 */
size_t
names_fold_words(const char *s, size_t n, char *out, size_t outsz)
{
    return names_fold_words_marked(s, n, out, NULL, outsz);
}

/* The diacritic of a combining mark, as names_fold_words_marked records
 * it: the letter's modifier in the low 3 bits, its tone above them. */
static unsigned char
mark_code(cp_t m)
{
    switch (m) {
    case 0x306: return NAMES_MARK_BREVE;
    case 0x302: return NAMES_MARK_CIRCUMFLEX;
    case 0x31B: return NAMES_MARK_HORN;
    case 0x300: return 1 << 3; /* grave: huyền */
    case 0x301: return 2 << 3; /* acute: sắc */
    case 0x309: return 3 << 3; /* hook above: hỏi */
    case 0x303: return 4 << 3; /* tilde: ngã */
    case 0x323: return 5 << 3; /* dot below: nặng */
    default: return 0;
    }
}

size_t
names_fold_words_marked(const char *s, size_t n, char *out, unsigned char *marks,
                        size_t outsz)
{
    size_t i = 0, len = 0;
    cp_t c, prev = 0, dec[8];
    utf8proc_ssize_t k, j;

#define PUT_SPACE() do { if (len > 0 && out[len - 1] != ' ' && len + 1 < outsz) \
                             out[len++] = ' '; } while (0)
    if (outsz == 0)
        return 0;
    if (marks)
        memset(marks, 0, outsz);
    while (i < n && len + 2 < outsz) {
        i += next_cp(s + i, n - i, &c);
        if (c < 0x80) {
            if (c == '(' || c == ')' || c == '[' || c == ']') {
                PUT_SPACE();
                out[len++] = c == '[' ? '(' : c == ']' ? ')' : (char)c;
                out[len++] = ' ';
            } else if (is_ascii_alnum(c)) {
                if (c >= 'A' && c <= 'Z' && prev >= 'a' && prev <= 'z')
                    PUT_SPACE();
                out[len++] = ascii_lower(c);
            } else {
                PUT_SPACE();
            }
        } else if (c == 0x110 || c == 0x111) { /* Đ đ */
            if (marks)
                marks[len] = NAMES_MARK_STROKE;
            out[len++] = 'd';
        } else {
            k = utf8proc_decompose_char(c, dec, 8, UTF8PROC_DECOMPOSE, NULL);
            if (k > 8)
                k = 0;
            bool any = false;
            unsigned char mk = 0;
            for (j = 0; j < k; j++)
                mk |= mark_code(dec[j]);
            for (j = 0; j < k && len + 1 < outsz; j++)
                if (is_ascii_alnum(dec[j])) {
                    if (marks)
                        marks[len] = mk;
                    out[len++] = ascii_lower(dec[j]);
                    any = true;
                }
            if (!any && utf8proc_category(c) == UTF8PROC_CATEGORY_MN) {
                if (marks && len > 0 && out[len - 1] != ' ')
                    marks[len - 1] |= mk; /* a combining mark after its letter (NFD) */
            } else if (!any) {
                PUT_SPACE(); /* a non-letter: NBSP, dashes, quotes */
            }
        }
        prev = c;
    }
#undef PUT_SPACE
    while (len > 0 && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    return len;
}

/* ---- name keys -------------------------------------------------------- */

/* A growable code-point buffer. */
struct cpbuf {
    cp_t *v;
    size_t n, cap;
};

static void
cpbuf_push(struct cpbuf *b, cp_t c)
{
    if (b->n == b->cap)
        b->v = xgrow(b->v, &b->cap, b->n + 1, sizeof *b->v);
    b->v[b->n++] = c;
}

static int
ccc(cp_t c)
{
    return utf8proc_get_property(c)->combining_class;
}

static int
is_mark(cp_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);

    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

/* Separators inside a name: ASCII blanks and controls, NBSP and the other
 * Unicode spaces, line and paragraph separators. */
static int
is_space(cp_t c)
{
    utf8proc_category_t cat;

    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0d);
    cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC;
}

/* Invisible format characters (zero-width space, BOM, soft hyphen) that
 * copy-paste leaves inside names: dropped. */
static int
is_invisible(cp_t c)
{
    return c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_CF;
}

static int
is_vowel(cp_t c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* The five Vietnamese tone marks: grave, acute, tilde, hook above, dot below. */
static int
is_tone(cp_t c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

/* Sort weight of a mark: its combining class, except that a tone mark sorts
 * after a vowel-quality mark of the same class, so "e + tilde + circumflex"
 * (typed tone first) becomes "ễ" rather than an e with two stacked marks. */
static int
mark_weight(cp_t c)
{
    int w = ccc(c) * 2;

    return w != 0 && is_tone(c) ? w + 1 : w;
}

/* Stable sort of each run of combining marks by weight: the canonical order
 * composition expects, with tone marks last among equals. */
static void
canonical_order(cp_t *v, size_t n)
{
    size_t i, j;
    cp_t t;

    for (i = 1; i < n; i++) {
        int wi = mark_weight(v[i]);
        if (wi == 0)
            continue;
        for (j = i; j > 0; j--) {
            int wj = mark_weight(v[j - 1]);
            if (wj == 0 || wj <= wi)
                break;
            t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
}

#define SYL_MAX 16

/*
 * Put the tone mark of one decomposed, lower-case syllable v[0..n) in the
 * classic place: an open syllable whose nucleus is exactly "oa", "oe" or
 * "uy" (no other mark on them) carries it on the first vowel.  The mark is
 * moved in place.
 */
STATIC void
names_place_tone(cp_t *v, size_t n)
{
    size_t base[SYL_MAX], nmarks[SYL_MAX], nl = 0, i, first, v1, v2, p;
    cp_t tone;

    /* split into letters: a base followed by its marks */
    for (i = 0; i < n; i++) {
        if (ccc(v[i]) == 0 && !is_mark(v[i])) {
            if (nl == SYL_MAX)
                return;
            base[nl] = i;
            nmarks[nl++] = 0;
        } else if (nl == 0) {
            return; /* a mark with nothing under it */
        } else {
            nmarks[nl - 1]++;
        }
    }
    if (nl < 2)
        return;
    for (i = 0; i < nl; i++)
        if (v[base[i]] >= 0x80 || !is_ascii_alnum(v[base[i]]))
            return; /* not a plain Vietnamese syllable: leave it */
    /* the initial consonant ("qu", and "gi" before a vowel, count as one) */
    for (first = 0; first < nl && !is_vowel(v[base[first]]); first++)
        ;
    if (first == 1 && v[base[0]] == 'q' && v[base[1]] == 'u')
        first = 2;
    else if (first == 1 && v[base[0]] == 'g' && v[base[1]] == 'i' && nl > 2 &&
             is_vowel(v[base[2]]))
        first = 2; /* "gi" before a vowel is the consonant */
    if (nl - first != 2)
        return; /* nucleus not exactly two letters, or a final consonant */
    v1 = first;
    v2 = first + 1;
    if (!((v[base[v1]] == 'o' && (v[base[v2]] == 'a' || v[base[v2]] == 'e')) ||
          (v[base[v1]] == 'u' && v[base[v2]] == 'y')))
        return;
    if (nmarks[v1] != 0 || nmarks[v2] != 1 || !is_tone(v[base[v2] + 1]))
        return;
    /* v1 has no marks, so its marks end where v2 begins */
    p = base[v2];
    tone = v[p + 1];
    v[p + 1] = v[p];
    v[p] = tone;
}

/* Decode s[0..n) into NFD code points, lower case, invisible characters
 * dropped, whitespace runs as one ' ', trimmed.  *marks tells whether any
 * non-ASCII letter or diacritic was seen. */
static void
decode_nfd(const char *s, size_t n, struct cpbuf *b, bool *marks)
{
    size_t i = 0;
    cp_t c, dec[8];
    utf8proc_ssize_t k, j;
    int pending_space = 0;

    *marks = false;
    while (i < n) {
        i += next_cp(s + i, n - i, &c);
        if (is_space(c)) {
            pending_space = b->n > 0;
            continue;
        }
        if (is_invisible(c))
            continue;
        if (pending_space) {
            cpbuf_push(b, ' ');
            pending_space = 0;
        }
        if (c < 0x80) {
            cpbuf_push(b, ascii_lower(c));
            continue;
        }
        k = utf8proc_decompose_char(c, dec, 8, UTF8PROC_DECOMPOSE, NULL);
        if (k <= 0 || k > 8) {
            dec[0] = c;
            k = 1;
        }
        for (j = 0; j < k; j++) {
            cp_t d = utf8proc_tolower(dec[j]);
            utf8proc_category_t cat = utf8proc_category(d);
            if (is_mark(d) || (d >= 0x80 && cat >= UTF8PROC_CATEGORY_LU &&
                               cat <= UTF8PROC_CATEGORY_LO))
                *marks = true;
            cpbuf_push(b, d);
        }
    }
    canonical_order(b->v, b->n);
}

static void
keys_slow(arena *a, const char *s, size_t n, name_keys *out)
{
    struct cpbuf b = {NULL, 0, 0};
    size_t i, start, flen = 0;
    cp_t *work;
    char *folded;
    utf8proc_ssize_t r;

    decode_nfd(s, n, &b, &out->has_marks);
    if (b.n == 0) {
        out->key = arena_strdup(a, "");
        out->folded = out->key;
        free(b.v);
        return;
    }
    for (start = 0, i = 0; i <= b.n; i++) {
        if (i == b.n || b.v[i] == ' ') {
            names_place_tone(b.v + start, i - start);
            start = i + 1;
        }
    }

    /* folded: marks dropped, đ->d; at most 4 bytes per code point */
    folded = arena_alloc(a, b.n * 4 + 1);
    for (i = 0; i < b.n; i++) {
        cp_t c = b.v[i];
        if (is_mark(c))
            continue;
        if (c == 0x111)
            c = 'd';
        flen += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)folded + flen);
    }
    folded[flen] = '\0';
    out->folded = folded;

    /* key: recompose; utf8proc_reencode writes UTF-8 over the buffer */
    work = xmalloc((b.n + 1) * sizeof *work);
    memcpy(work, b.v, b.n * sizeof *work);
    r = utf8proc_reencode(work, (utf8proc_ssize_t)b.n,
                          UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (r < 0) {
        out->key = out->folded; /* cannot happen on decoded code points */
    } else {
        out->key = arena_strndup(a, (const char *)work, (size_t)r);
    }
    free(work);
    free(b.v);
}

/* True when s is surely NFC already: valid UTF-8 whose code points are all
 * below U+0300 or precomposed Vietnamese (U+1E00-U+1EFF), so there is no
 * combining mark to compose.  Anything else goes through utf8proc. */
static bool
nfc_quick(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        cp_t cp;
        size_t k = next_cp(s + i, n - i, &cp);
        if (k < 2 || !((cp >= 0x80 && cp < 0x300) || (cp >= 0x1E00 && cp <= 0x1EFF)))
            return false;
        i += k;
    }
    return true;
}

char *
names_nfc(const char *s, size_t n, size_t *outn)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r;
    char *res;

    if (nfc_quick(s, n)) {
        if (outn != NULL)
            *outn = n;
        return xstrndup(s, n);
    }
    r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
                     UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (r == UTF8PROC_ERROR_NOMEM)
        (void)xmalloc(SIZE_MAX); /* dies through the one OOM path */
    if (r < 0 || dst == NULL) {
        free(dst);
        res = xstrndup(s, n);
        if (outn != NULL)
            *outn = n;
        return res;
    }
    res = xstrndup((const char *)dst, (size_t)r);
    free(dst);
    if (outn != NULL)
        *outn = (size_t)r;
    return res;
}

/*
 * Word cache.  A key is computed per space-separated word (tone placement
 * is per syllable, case and folding per code point), so names_keys() can
 * assemble a name's keys from its words' keys.  Vietnamese names are drawn
 * from a few thousand syllables, so nearly every word is a cache hit and
 * utf8proc runs once per distinct word.  The cache is per thread and bounded.
 */
struct wcache {
    const char *raw;
    size_t rawn;
    name_keys k;
    size_t kn, fn;      /* strlen of k.key and k.folded */
    UT_hash_handle hh;
};

#define WCACHE_MAX 200000

static _Thread_local struct wcache *wc_head;
static _Thread_local arena wc_arena;
static _Thread_local size_t wc_n;

void
names_cache_clear(void)
{
    HASH_CLEAR(hh, wc_head);
    arena_free(&wc_arena);
    wc_n = 0;
}

static const struct wcache *
word_keys(const char *w, size_t n)
{
    struct wcache *e;

    HASH_FIND(hh, wc_head, w, n, e);
    if (e != NULL)
        return e;
    if (wc_n >= WCACHE_MAX)
        names_cache_clear();
    e = arena_alloc(&wc_arena, sizeof *e);
    memset(e, 0, sizeof *e);
    e->raw = arena_strndup(&wc_arena, w, n);
    e->rawn = n;
    keys_slow(&wc_arena, w, n, &e->k);
    e->kn = strlen(e->k.key);
    e->fn = strlen(e->k.folded);
    HASH_ADD_KEYPTR(hh, wc_head, e->raw, e->rawn, e);
    wc_n++;
    return e;
}

/* Bytes of a word separator at s: blanks and the punctuation clerks leave
 * in names ("Mai Văn Thuấn.", "Lê, Văn A"); 0 otherwise.  Zero-width
 * characters are not separators: keys_slow() drops them inside a word. */
static size_t
word_sep(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];

    if (c == ' ' || c == '\t' || c == '.' || c == ',' || c == ';' || c == ':' ||
        c == '(' || c == ')' || c == '"' || c == '*' || c == '_')
        return 1;
    (void)n;
    return 0;
}

void
names_keys(arena *a, const char *s, size_t n, name_keys *out)
{
    char kbuf[512] = "", fbuf[512] = "";
    size_t kn = 0, fn = 0, i = 0;

    out->has_marks = false;
    while (i < n) {
        size_t k;
        while (i < n && (k = word_sep(s + i, n - i)) > 0)
            i += k;
        size_t st = i;
        while (i < n && word_sep(s + i, n - i) == 0)
            i++;
        if (i == st)
            break;
        const struct wcache *we = word_keys(s + st, i - st);
        const name_keys *w = &we->k;
        size_t wk = we->kn, wf = we->fn;
        if (wk == 0 && wf == 0) {
            out->has_marks |= w->has_marks;
            continue; /* invisible characters only */
        }
        if (kn + wk + 2 > sizeof kbuf || fn + wf + 2 > sizeof fbuf) {
            keys_slow(a, s, n, out); /* a very long name: no cache */
            return;
        }
        if (kn) kbuf[kn++] = ' ';
        if (fn) fbuf[fn++] = ' ';
        memcpy(kbuf + kn, w->key, wk);
        memcpy(fbuf + fn, w->folded, wf);
        kn += wk;
        fn += wf;
        out->has_marks |= w->has_marks;
    }
    out->key = arena_strndup(a, kbuf, kn);
    out->folded = fn == kn && memcmp(kbuf, fbuf, kn) == 0 ? out->key
                                                            : arena_strndup(a, fbuf, fn);
}

const struct pname *
names_pname(arena *a, const char *full, size_t n)
{
    struct pname *pn = arena_alloc(a, sizeof *pn);
    name_keys nk;

    pn->full = arena_strndup(a, full, n);
    names_keys(a, pn->full, n, &nk);
    pn->key = nk.key;
    pn->fold = nk.folded;
    pn->marks = nk.has_marks;
    return pn;
}
