/*
 * encoding.c - input bytes in any of the supported encodings -> UTF-8 NFC
 * (docs/inputs.md, "Encodings").
 *
 * UTF-16 and the two legacy encodings iconv lacks (TCVN3, VNI-Windows) are
 * decoded here from tables written from the published code charts;
 * Windows-1258 and VISCII go through glibc iconv.  Every decoder appends
 * UTF-8 to a staging buffer that is normalized to NFC (utf8proc) one chunk
 * of whole lines at a time, so memory stays near input + output even for
 * files of gigabytes; ASCII-only chunks are copied without normalizing.
 * Detection: BOM, then UTF-8 validity, then each legacy encoding that
 * defines every byte present is decoded on a sample and scored by the
 * share of its non-ASCII words that are well-formed Vietnamese syllables.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "sirecon/encoding.h"

/* Input consumed per normalization step; small in the unit tests so that
 * chunk boundaries are exercised. */
#ifdef SIRECON_TEST_LIMITS
#define ENC_CHUNK ((size_t)64)
#else
#define ENC_CHUNK ((size_t)1 << 20)
#endif
/* How much of a non-UTF-8 buffer is decoded to score the candidates. */
#define ENC_SAMPLE ((size_t)1 << 20)
/* Decision rule of encoding_detect, in percentage points. */
#define ENC_MIN_SCORE 50
#define ENC_MIN_MARGIN 10

/* ---------------------------------------------------------------- names */

static const char *const enc_names[] = {
    [ENC_UNKNOWN] = "unknown",    [ENC_UTF8] = "UTF-8",
    [ENC_UTF8_BOM] = "UTF-8-BOM", [ENC_UTF16LE] = "UTF-16LE",
    [ENC_UTF16BE] = "UTF-16BE",   [ENC_CP1258] = "WINDOWS-1258",
    [ENC_VISCII] = "VISCII",      [ENC_TCVN3] = "TCVN3",
    [ENC_VNI] = "VNI",
    [ENC_XLSX] = "XLSX",
    [ENC_XLS] = "XLS",
    [ENC_HTKK_XML] = "HTKK-XML",
};

static const struct {
    const char *alias;
    enc_id e;
} enc_aliases[] = {
    {"utf-8", ENC_UTF8},          {"utf8", ENC_UTF8},
    {"utf-8-bom", ENC_UTF8_BOM},  {"utf8-bom", ENC_UTF8_BOM},
    {"utf-8-sig", ENC_UTF8_BOM},  {"utf8bom", ENC_UTF8_BOM},
    {"utf-16le", ENC_UTF16LE},    {"utf16le", ENC_UTF16LE},
    {"utf-16", ENC_UTF16LE},      {"utf16", ENC_UTF16LE},
    {"unicode", ENC_UTF16LE},     {"utf-16be", ENC_UTF16BE},
    {"utf16be", ENC_UTF16BE},     {"windows-1258", ENC_CP1258},
    {"windows1258", ENC_CP1258},  {"cp1258", ENC_CP1258},
    {"cp-1258", ENC_CP1258},      {"win1258", ENC_CP1258},
    {"1258", ENC_CP1258},         {"viscii", ENC_VISCII},
    {"tcvn3", ENC_TCVN3},         {"tcvn", ENC_TCVN3},
    {"tcvn-3", ENC_TCVN3},        {"tcvn5712-3", ENC_TCVN3},
    {"tcvn5712", ENC_TCVN3},      {"vn3", ENC_TCVN3},
    {"abc", ENC_TCVN3},           {"vni", ENC_VNI},
    {"vni-windows", ENC_VNI},     {"vniwindows", ENC_VNI},
    {"vni-win", ENC_VNI},         {"vni-times", ENC_VNI},
};

const char *
encoding_name(enc_id e)
{
    return (unsigned)e < sizeof enc_names / sizeof enc_names[0] ? enc_names[e]
                                                                 : "unknown";
}

enc_id
encoding_from_name(const char *s)
{
    size_t i;

    if (s == NULL)
        return ENC_UNKNOWN;
    for (i = 0; i < sizeof enc_aliases / sizeof enc_aliases[0]; i++)
        if (strcasecmp(s, enc_aliases[i].alias) == 0)
            return enc_aliases[i].e;
    return ENC_UNKNOWN;
}

/* --------------------------------------------------------------- tables */

/*
 * TCVN 5712:1993 VN3 ("TCVN3", "ABC"), bytes 0x80-0xFF -> code point, 0 =
 * not in the chart.  VN3 keeps ASCII and adds NBSP, the 67 lower-case
 * Vietnamese letters and 7 upper-case ones (Ă Â Ê Ô Ơ Ư Đ).  Upper-case
 * toned vowels are not in it: ABC users switch to a capitals font
 * (.VnTimeH) where the lower-case bytes draw capitals.  That font change is
 * not in the file, so such text decodes to lower-case toned vowels between
 * ASCII capitals ("NGUYễN"); we do not guess.  Charts checked: VSCII-3 on
 * Wikipedia, and the TCVN3 columns of two converters' tables.
 */
static const uint16_t tcvn3_hi[128] = {
    [0xA0 - 0x80] = 0x00A0,                               /* NBSP */
    [0xA1 - 0x80] = 0x0102, [0xA2 - 0x80] = 0x00C2,       /* Ă Â */
    [0xA3 - 0x80] = 0x00CA, [0xA4 - 0x80] = 0x00D4,       /* Ê Ô */
    [0xA5 - 0x80] = 0x01A0, [0xA6 - 0x80] = 0x01AF,       /* Ơ Ư */
    [0xA7 - 0x80] = 0x0110,                               /* Đ */
    [0xA8 - 0x80] = 0x0103, [0xA9 - 0x80] = 0x00E2,       /* ă â */
    [0xAA - 0x80] = 0x00EA, [0xAB - 0x80] = 0x00F4,       /* ê ô */
    [0xAC - 0x80] = 0x01A1, [0xAD - 0x80] = 0x01B0,       /* ơ ư */
    [0xAE - 0x80] = 0x0111,                               /* đ */
    /* a: huyền hỏi ngã sắc nặng */
    [0xB5 - 0x80] = 0x00E0, [0xB6 - 0x80] = 0x1EA3, [0xB7 - 0x80] = 0x00E3,
    [0xB8 - 0x80] = 0x00E1, [0xB9 - 0x80] = 0x1EA1,
    /* ă */
    [0xBB - 0x80] = 0x1EB1, [0xBC - 0x80] = 0x1EB3, [0xBD - 0x80] = 0x1EB5,
    [0xBE - 0x80] = 0x1EAF, [0xC6 - 0x80] = 0x1EB7,
    /* â */
    [0xC7 - 0x80] = 0x1EA7, [0xC8 - 0x80] = 0x1EA9, [0xC9 - 0x80] = 0x1EAB,
    [0xCA - 0x80] = 0x1EA5, [0xCB - 0x80] = 0x1EAD,
    /* e */
    [0xCC - 0x80] = 0x00E8, [0xCE - 0x80] = 0x1EBB, [0xCF - 0x80] = 0x1EBD,
    [0xD0 - 0x80] = 0x00E9, [0xD1 - 0x80] = 0x1EB9,
    /* ê */
    [0xD2 - 0x80] = 0x1EC1, [0xD3 - 0x80] = 0x1EC3, [0xD4 - 0x80] = 0x1EC5,
    [0xD5 - 0x80] = 0x1EBF, [0xD6 - 0x80] = 0x1EC7,
    /* i */
    [0xD7 - 0x80] = 0x00EC, [0xD8 - 0x80] = 0x1EC9, [0xDC - 0x80] = 0x0129,
    [0xDD - 0x80] = 0x00ED, [0xDE - 0x80] = 0x1ECB,
    /* o */
    [0xDF - 0x80] = 0x00F2, [0xE1 - 0x80] = 0x1ECF, [0xE2 - 0x80] = 0x00F5,
    [0xE3 - 0x80] = 0x00F3, [0xE4 - 0x80] = 0x1ECD,
    /* ô */
    [0xE5 - 0x80] = 0x1ED3, [0xE6 - 0x80] = 0x1ED5, [0xE7 - 0x80] = 0x1ED7,
    [0xE8 - 0x80] = 0x1ED1, [0xE9 - 0x80] = 0x1ED9,
    /* ơ */
    [0xEA - 0x80] = 0x1EDD, [0xEB - 0x80] = 0x1EDF, [0xEC - 0x80] = 0x1EE1,
    [0xED - 0x80] = 0x1EDB, [0xEE - 0x80] = 0x1EE3,
    /* u */
    [0xEF - 0x80] = 0x00F9, [0xF1 - 0x80] = 0x1EE7, [0xF2 - 0x80] = 0x0169,
    [0xF3 - 0x80] = 0x00FA, [0xF4 - 0x80] = 0x1EE5,
    /* ư */
    [0xF5 - 0x80] = 0x1EEB, [0xF6 - 0x80] = 0x1EED, [0xF7 - 0x80] = 0x1EEF,
    [0xF8 - 0x80] = 0x1EE9, [0xF9 - 0x80] = 0x1EF1,
    /* y */
    [0xFA - 0x80] = 0x1EF3, [0xFB - 0x80] = 0x1EF7, [0xFC - 0x80] = 0x1EF9,
    [0xFD - 0x80] = 0x00FD, [0xFE - 0x80] = 0x1EF5,
};

/* Combining marks (U+03xx). */
#define CM_GRAVE 0x0300
#define CM_ACUTE 0x0301
#define CM_CIRC 0x0302
#define CM_TILDE 0x0303
#define CM_BREVE 0x0306
#define CM_HOOK 0x0309
#define CM_HORN 0x031B
#define CM_DOT 0x0323

/*
 * VNI-Windows (VNI-Times fonts).  A toned or modified a/e/o/u/y is the ASCII
 * base letter followed by a mark byte; i/y-with-dot, ơ, ư and đ have their
 * own bytes.  Lower-case text uses the 0xE0-0xFF marks, upper-case the
 * 0xC0-0xDF ones; the case of the letter comes from the base, so a mark of
 * either case is accepted after either.  Charts checked: the VNI columns of
 * two converters' tables (and the Vietnamese "bảng mã" comparison table).
 */
struct vni_byte {
    uint16_t letter; /* a letter on its own, or 0 */
    uint16_t m1, m2; /* else the combining marks it adds to the letter before */
};

static const struct vni_byte vni_hi[128] = {
    /* upper-case marks: circumflex (+tone), breve (+tone), tones */
    [0xC2 - 0x80] = {0, CM_CIRC, 0},          [0xC1 - 0x80] = {0, CM_CIRC, CM_ACUTE},
    [0xC0 - 0x80] = {0, CM_CIRC, CM_GRAVE},   [0xC5 - 0x80] = {0, CM_CIRC, CM_HOOK},
    [0xC3 - 0x80] = {0, CM_CIRC, CM_TILDE},   [0xC4 - 0x80] = {0, CM_CIRC, CM_DOT},
    [0xCA - 0x80] = {0, CM_BREVE, 0},         [0xC9 - 0x80] = {0, CM_BREVE, CM_ACUTE},
    [0xC8 - 0x80] = {0, CM_BREVE, CM_GRAVE},  [0xDA - 0x80] = {0, CM_BREVE, CM_HOOK},
    [0xDC - 0x80] = {0, CM_BREVE, CM_TILDE},  [0xCB - 0x80] = {0, CM_BREVE, CM_DOT},
    [0xD9 - 0x80] = {0, CM_ACUTE, 0},         [0xD8 - 0x80] = {0, CM_GRAVE, 0},
    [0xDB - 0x80] = {0, CM_HOOK, 0},          [0xD5 - 0x80] = {0, CM_TILDE, 0},
    [0xCF - 0x80] = {0, CM_DOT, 0},
    /* upper-case letters of their own: Í Ì Ỉ Ĩ Ị Ỵ Ơ Ư Đ */
    [0xCD - 0x80] = {0x00CD, 0, 0},           [0xCC - 0x80] = {0x00CC, 0, 0},
    [0xC6 - 0x80] = {0x1EC8, 0, 0},           [0xD3 - 0x80] = {0x0128, 0, 0},
    [0xD2 - 0x80] = {0x1ECA, 0, 0},           [0xCE - 0x80] = {0x1EF4, 0, 0},
    [0xD4 - 0x80] = {0x01A0, 0, 0},           [0xD6 - 0x80] = {0x01AF, 0, 0},
    [0xD1 - 0x80] = {0x0110, 0, 0},
    /* lower-case marks */
    [0xE2 - 0x80] = {0, CM_CIRC, 0},          [0xE1 - 0x80] = {0, CM_CIRC, CM_ACUTE},
    [0xE0 - 0x80] = {0, CM_CIRC, CM_GRAVE},   [0xE5 - 0x80] = {0, CM_CIRC, CM_HOOK},
    [0xE3 - 0x80] = {0, CM_CIRC, CM_TILDE},   [0xE4 - 0x80] = {0, CM_CIRC, CM_DOT},
    [0xEA - 0x80] = {0, CM_BREVE, 0},         [0xE9 - 0x80] = {0, CM_BREVE, CM_ACUTE},
    [0xE8 - 0x80] = {0, CM_BREVE, CM_GRAVE},  [0xFA - 0x80] = {0, CM_BREVE, CM_HOOK},
    [0xFC - 0x80] = {0, CM_BREVE, CM_TILDE},  [0xEB - 0x80] = {0, CM_BREVE, CM_DOT},
    [0xF9 - 0x80] = {0, CM_ACUTE, 0},         [0xF8 - 0x80] = {0, CM_GRAVE, 0},
    [0xFB - 0x80] = {0, CM_HOOK, 0},          [0xF5 - 0x80] = {0, CM_TILDE, 0},
    [0xEF - 0x80] = {0, CM_DOT, 0},
    /* lower-case letters of their own: í ì ỉ ĩ ị ỵ ơ ư đ */
    [0xED - 0x80] = {0x00ED, 0, 0},           [0xEC - 0x80] = {0x00EC, 0, 0},
    [0xE6 - 0x80] = {0x1EC9, 0, 0},           [0xF3 - 0x80] = {0x0129, 0, 0},
    [0xF2 - 0x80] = {0x1ECB, 0, 0},           [0xEE - 0x80] = {0x1EF5, 0, 0},
    [0xF4 - 0x80] = {0x01A1, 0, 0},           [0xF6 - 0x80] = {0x01B0, 0, 0},
    [0xF1 - 0x80] = {0x0111, 0, 0},
};

/* Bytes glibc's WINDOWS-1258 leaves undefined (so do Microsoft's tables). */
static const unsigned char cp1258_undef[] = {0x81, 0x8A, 0x8D, 0x8E, 0x8F,
                                             0x90, 0x9A, 0x9D, 0x9E};

/* Whether byte b (>= 0x80) is defined in legacy encoding e. */
STATIC bool
enc_byte_defined(enc_id e, unsigned char b)
{
    size_t i;

    if (b < 0x80)
        return true;
    switch (e) {
    case ENC_TCVN3:
        return tcvn3_hi[b - 0x80] != 0;
    case ENC_VNI:
        return vni_hi[b - 0x80].letter != 0 || vni_hi[b - 0x80].m1 != 0;
    case ENC_CP1258:
        for (i = 0; i < sizeof cp1258_undef; i++)
            if (cp1258_undef[i] == b)
                return false;
        return true;
    case ENC_VISCII:
        return true; /* all 256 bytes are assigned */
    default:
        return false;
    }
}

/* --------------------------------------------------------------- output */


/* Append code point c (assumed valid) as UTF-8. */
static void
ob_cp(struct sbuf *b, int32_t c)
{
    unsigned char u[4];
    utf8proc_ssize_t k = utf8proc_encode_char(c, u);

    sbuf_put(b, u, (size_t)k);
}

/*
 * Text on its way out: decoders append UTF-8 to stage; whole lines of it are
 * normalized into out.  cp is utf8proc's code-point work area, reused.
 */
struct sink {
    struct sbuf out;
    struct sbuf stage;
    size_t scanned; /* stage[0..scanned) is known to hold no line end */
    int32_t *cp;
    size_t cpcap;
};

static bool
enc_is_ascii(const unsigned char *s, size_t n)
{
    size_t i;
    unsigned char acc = 0;

    for (i = 0; i < n; i++)
        acc |= s[i];
    return acc < 0x80;
}

/*
 * NFC quick check, conservative: true when every character of s[0..n) lies
 * below U+0300 or in U+1E00-U+1EFF (Latin Extended Additional, where the
 * precomposed Vietnamese letters are).  Those are all starters with
 * NFC_Quick_Check=Yes, so such text is already NFC and is copied as is.
 */
STATIC bool
enc_nfc_safe(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        if (s[i] < 0x80) {
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        if (s[i] >= 0xC2 && s[i] <= 0xCB)
            i += 2; /* U+0080-U+02FF */
        else if (s[i] == 0xE1 && i + 1 < n && s[i + 1] >= 0xB8 && s[i + 1] <= 0xBB)
            i += 3; /* U+1E00-U+1EFF */
        else
            return false;
    }
    return true;
}

/* Append the NFC form of s[0..n) (valid UTF-8) to dst. */
static void
nfc_into(struct sink *k, struct sbuf *dst, const char *s, size_t n)
{
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t m, r;

    /* a code point per byte is the usual need; utf8proc says when not */
    k->cp = xgrow(k->cp, &k->cpcap, n + 1, sizeof *k->cp);
    m = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, k->cp,
                           (utf8proc_ssize_t)k->cpcap, opt);
    if (m > (utf8proc_ssize_t)k->cpcap) {
        k->cp = xgrow(k->cp, &k->cpcap, (size_t)m + 1, sizeof *k->cp);
        m = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                               k->cp, (utf8proc_ssize_t)k->cpcap, opt);
    }
    r = m >= 0 && m <= (utf8proc_ssize_t)k->cpcap ? utf8proc_reencode(k->cp, m, opt)
                                                   : -1;
    if (r < 0) /* not expected: the text was validated or produced here */
        sbuf_put(dst, s, n);
    else
        sbuf_put(dst, k->cp, (size_t)r);
}

/* Append s[0..n) (valid UTF-8) to out in NFC, normalizing only the lines
 * that fail the quick check.  A piece that ends at a line end normalizes
 * the same alone as within the whole text: a newline is a starter that
 * composes with nothing, so nothing reorders or composes across it. */
static void
sink_nfc(struct sink *k, const char *s, size_t n)
{
    size_t pos = 0, copy = 0, end;
    const char *nl;

    if (enc_nfc_safe((const unsigned char *)s, n)) {
        sbuf_put(&k->out, s, n);
        return;
    }
    for (pos = 0; pos < n; pos = end) {
        nl = memchr(s + pos, '\n', n - pos);
        end = nl != NULL ? (size_t)(nl - s) + 1 : n;
        if (enc_nfc_safe((const unsigned char *)s + pos, end - pos))
            continue;
        sbuf_put(&k->out, s + copy, pos - copy);
        nfc_into(k, &k->out, s + pos, end - pos);
        copy = end;
    }
    sbuf_put(&k->out, s + copy, n - copy);
}

/* Normalize the staged text up to its last line end (all of it if final),
 * once at least a chunk is waiting. */
static void
sink_flush(struct sink *k, bool final)
{
    size_t cut;

    if (final) {
        sink_nfc(k, k->stage.s, k->stage.n);
        k->stage.n = k->scanned = 0;
        return;
    }
    if (k->stage.n < ENC_CHUNK)
        return;
    for (cut = k->stage.n; cut > k->scanned && k->stage.s[cut - 1] != '\n'; cut--)
        ;
    if (cut == k->scanned) {
        k->scanned = k->stage.n; /* one long line so far: keep staging */
        return;
    }
    sink_nfc(k, k->stage.s, cut);
    memmove(k->stage.s, k->stage.s + cut, k->stage.n - cut);
    k->stage.n -= cut;
    k->scanned = 0;
}

static void
sink_init(struct sink *k, size_t expect)
{
    memset(k, 0, sizeof *k);
    k->out.s = xgrow(NULL, &k->out.cap, expect + 1, 1);
}

/* Hand the result over: NUL-terminated, *out owned by the caller. */
static sirecon_status
sink_done(struct sink *k, char **out, size_t *outn)
{
    sink_flush(k, true);
    sbuf_put(&k->out, "", 0);
    k->out.s[k->out.n] = '\0';
    *out = k->out.s;
    *outn = k->out.n;
    free(k->stage.s);
    free(k->cp);
    return SIRECON_OK;
}

static void
sink_free(struct sink *k)
{
    free(k->out.s);
    free(k->stage.s);
    free(k->cp);
    memset(k, 0, sizeof *k);
}

/* 1-based line of offset off in single-byte (ASCII-compatible) text. */
static long
enc_line_at(const unsigned char *buf, size_t off)
{
    long line = 1;
    const unsigned char *p = buf, *end = buf + off;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p++;
    }
    return line;
}

/* ---------------------------------------------------------------- UTF-8 */

/*
 * Length of the longest prefix of s[0..n) that is well-formed UTF-8 (no
 * overlongs, surrogates or code points past U+10FFFF).  *trunc is set when
 * what stops it is an incomplete but so far valid sequence at the very end.
 * Byte by byte; enc_utf8_valid() runs it only where the vector check below
 * found a fault, and on the last bytes.
 */
STATIC size_t
enc_utf8_valid_scalar(const unsigned char *s, size_t n, bool *trunc)
{
    size_t i = 0, len, k;
    unsigned char c, lo, hi;

    *trunc = false;
    while (i < n) {
        c = s[i];
        if (c < 0x80) {
            /* ASCII runs, 8 bytes at a time */
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return i;
        for (k = 1; k < len; k++) {
            if (i + k >= n) {
                *trunc = true;
                return i;
            }
            if (s[i + k] < lo || s[i + k] > hi)
                return i;
            lo = 0x80, hi = 0xBF;
        }
        i += len;
    }
    return n;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ENC_UTF8_SIMD 1

/*
 * The vector check of Keiser and Lemire ("Validating UTF-8 in less than one
 * instruction per byte", 2021; simdjson's "lookup" algorithm), 16 bytes at a
 * time with SSSE3: three table lookups on the nibbles of each byte and the
 * one before it flag every fault of a two-byte window (too short, too long,
 * overlong, surrogate, past U+10FFFF, two continuations), and the bytes two
 * and three back tell where a continuation is required.  Returns how many
 * leading bytes (a multiple of 16, at most n) lie before the first block
 * with a fault; a sequence still open there belongs to the next block.  A
 * national export is about 16 % non-ASCII bytes (a Vietnamese letter every
 * few bytes), where the byte-by-byte loop ran at well under 1 GB/s.
 */
__attribute__((target("ssse3"))) static size_t
enc_utf8_blocks_ssse3(const unsigned char *s, size_t n)
{
    enum {
        TOO_SHORT = 1 << 0, TOO_LONG = 1 << 1, OVERLONG_3 = 1 << 2, TOO_LARGE = 1 << 3,
        SURROGATE = 1 << 4, OVERLONG_2 = 1 << 5, TOO_LARGE_1000 = 1 << 6,
        OVERLONG_4 = 1 << 6, TWO_CONTS = 1 << 7,
        CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
    };
    const __m128i t1h = _mm_setr_epi8(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS,
        TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    const __m128i t1l = _mm_setr_epi8(
        (char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2),
        (char)CARRY, (char)CARRY, (char)(CARRY | TOO_LARGE),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000));
    const __m128i t2h = _mm_setr_epi8(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
    const __m128i lo4 = _mm_set1_epi8(0x0F);
    const __m128i hi_bit = _mm_set1_epi8((char)0x80);
    const __m128i third = _mm_set1_epi8((char)(0xE0 - 0x80));
    const __m128i fourth = _mm_set1_epi8((char)(0xF0 - 0x80));
    /* a lead byte in the last three places that its sequence overruns */
    const __m128i open_max = _mm_setr_epi8(
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    __m128i prev = _mm_setzero_si128();
    size_t i;

    for (i = 0; i + 16 <= n; i += 16) {
        __m128i in = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(in) == 0) {
            /* ASCII: a fault only if a sequence was left open before it */
            if (_mm_movemask_epi8(prev) & 0xE000 &&
                _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(prev, open_max),
                                                 _mm_setzero_si128())) != 0xFFFF)
                break;
            prev = in;
            continue;
        }
        __m128i p1 = _mm_alignr_epi8(in, prev, 15);
        __m128i p2 = _mm_alignr_epi8(in, prev, 14);
        __m128i p3 = _mm_alignr_epi8(in, prev, 13);
        __m128i sc = _mm_and_si128(
            _mm_and_si128(_mm_shuffle_epi8(t1h, _mm_and_si128(_mm_srli_epi16(p1, 4), lo4)),
                          _mm_shuffle_epi8(t1l, _mm_and_si128(p1, lo4))),
            _mm_shuffle_epi8(t2h, _mm_and_si128(_mm_srli_epi16(in, 4), lo4)));
        __m128i must23 = _mm_and_si128(
            _mm_or_si128(_mm_subs_epu8(p2, third), _mm_subs_epu8(p3, fourth)), hi_bit);
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_xor_si128(must23, sc),
                                             _mm_setzero_si128())) != 0xFFFF)
            break;
        prev = in;
    }
    return i;
}
#endif

/*
 * enc_utf8_valid_scalar()'s answer, faster: whole blocks the vector check
 * passes are skipped, and the scalar loop resumes at the character that
 * was open at the first faulty block (or at the tail), so the prefix and
 * *trunc are exactly the same.
 */
STATIC size_t
enc_utf8_valid(const unsigned char *s, size_t n, bool *trunc)
{
    size_t i = 0;

#ifdef ENC_UTF8_SIMD
    if (n >= 64 && __builtin_cpu_supports("ssse3")) {
        i = enc_utf8_blocks_ssse3(s, n);
        /* back to the lead byte of a sequence open across the block edge
         * (the bytes before i are valid, so at most three steps) */
        for (int k = 0; k < 3 && i > 0 && (s[i - 1] & 0xC0) == 0x80; k++)
            i--;
        if (i > 0 && s[i - 1] >= 0xC0)
            i--;
    }
#endif
    return i + enc_utf8_valid_scalar(s + i, n - i, trunc);
}

static sirecon_status
enc_from_utf8(const unsigned char *buf, size_t n, char **out, size_t *outn,
              struct diag *d)
{
    struct sink k;
    bool trunc;
    size_t ok, pos, end;

    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3, n -= 3;
    ok = enc_utf8_valid(buf, n, &trunc);
    if (ok != n)
        return diag_set(d, SIRECON_ERR_DATA, NULL, enc_line_at(buf, ok),
                        "%s UTF-8 (byte 0x%02X at offset %zu); if the file is in "
                        "a legacy encoding, name it with --encoding",
                        trunc ? "truncated" : "invalid", buf[ok], ok);
    sink_init(&k, n);
    if (enc_is_ascii(buf, n)) { /* the common case: nothing to normalize */
        sbuf_put(&k.out, buf, n);
        return sink_done(&k, out, outn);
    }
    for (pos = 0; pos < n; pos = end) {
        const unsigned char *nl;

        end = n - pos > ENC_CHUNK ? pos + ENC_CHUNK : n;
        if (end < n) {
            nl = memchr(buf + end, '\n', n - end);
            end = nl != NULL ? (size_t)(nl - buf) + 1 : n;
        }
        sink_nfc(&k, (const char *)buf + pos, end - pos);
    }
    return sink_done(&k, out, outn);
}

/* --------------------------------------------------------------- UTF-16 */

/* UTF-16 in the byte order of e; a BOM, when present, decides the order. */
static sirecon_status
enc_from_utf16(enc_id e, const unsigned char *buf, size_t n, char **out,
               size_t *outn, struct diag *d)
{
    struct sink k;
    bool be = e == ENC_UTF16BE;
    size_t i, bom = 0;
    long line = 1;

    if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xFE)
        be = false, bom = 2;
    else if (n >= 2 && buf[0] == 0xFE && buf[1] == 0xFF)
        be = true, bom = 2;
    buf += bom, n -= bom;
    if (n % 2 != 0)
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        "UTF-16 text has an odd number of bytes (%zu): the file "
                        "is truncated or not UTF-16", n);
    sink_init(&k, n + n / 2);
    for (i = 0; i < n; i += 2) {
        uint32_t u = be ? (uint32_t)buf[i] << 8 | buf[i + 1]
                        : (uint32_t)buf[i + 1] << 8 | buf[i];

        if (u >= 0xD800 && u <= 0xDBFF) {
            uint32_t v;

            if (i + 4 > n)
                goto bad;
            v = be ? (uint32_t)buf[i + 2] << 8 | buf[i + 3]
                   : (uint32_t)buf[i + 3] << 8 | buf[i + 2];
            if (v < 0xDC00 || v > 0xDFFF)
                goto bad;
            u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            goto bad;
        }
        ob_cp(&k.stage, (int32_t)u);
        if (u == '\n') {
            line++;
            sink_flush(&k, false);
        }
    }
    return sink_done(&k, out, outn);
bad:
    sink_free(&k);
    return diag_set(d, SIRECON_ERR_DATA, NULL, line,
                    "invalid UTF-16: unpaired surrogate at byte offset %zu",
                    bom + i);
}

/* --------------------------------------------------------- TCVN3 and VNI */

/*
 * Append VNI mark(s) m1, m2 to the staged text, composed with the letter
 * before them when there is one, so that the text usually leaves here in
 * NFC already and sink_nfc() has nothing to do.
 */
static void
vni_mark(struct sink *k, int32_t m1, int32_t m2)
{
    unsigned char tmp[16];
    utf8proc_int32_t c;
    size_t st, tn;

    if (k->stage.n > 0) {
        st = k->stage.n - 1;
        while (st > 0 && ((unsigned char)k->stage.s[st] & 0xC0) == 0x80)
            st--;
        if (utf8proc_iterate((const utf8proc_uint8_t *)k->stage.s + st,
                             (utf8proc_ssize_t)(k->stage.n - st), &c) > 0 &&
            utf8proc_category(c) >= UTF8PROC_CATEGORY_LU &&
            utf8proc_category(c) <= UTF8PROC_CATEGORY_LO) {
            tn = (size_t)utf8proc_encode_char(c, tmp);
            tn += (size_t)utf8proc_encode_char(m1, tmp + tn);
            if (m2 != 0)
                tn += (size_t)utf8proc_encode_char(m2, tmp + tn);
            k->stage.n = st;
            if (k->scanned > st)
                k->scanned = st;
            nfc_into(k, &k->stage, (const char *)tmp, tn);
            return;
        }
    }
    ob_cp(&k->stage, m1); /* nothing to sit on: left to sink_nfc() */
    if (m2 != 0)
        ob_cp(&k->stage, m2);
}

static sirecon_status
enc_from_table(enc_id e, const unsigned char *buf, size_t n, char **out,
               size_t *outn, struct diag *d)
{
    struct sink k;
    size_t i;

    sink_init(&k, n + n / 4);
    for (i = 0; i < n; i++) {
        unsigned char b = buf[i];

        if (b < 0x80) {
            /* copy the ASCII run in one go */
            size_t j = i + 1;

            while (j < n && buf[j] < 0x80)
                j++;
            sbuf_put(&k.stage, buf + i, j - i);
            i = j - 1;
            sink_flush(&k, false);
            continue;
        }
        if (!enc_byte_defined(e, b)) {
            sink_free(&k);
            return diag_set(d, SIRECON_ERR_DATA, NULL, enc_line_at(buf, i),
                            "byte 0x%02X (offset %zu) is not a character of %s",
                            b, i, encoding_name(e));
        }
        if (e == ENC_TCVN3) {
            ob_cp(&k.stage, tcvn3_hi[b - 0x80]);
        } else if (vni_hi[b - 0x80].letter != 0) {
            ob_cp(&k.stage, vni_hi[b - 0x80].letter);
        } else {
            vni_mark(&k, vni_hi[b - 0x80].m1, vni_hi[b - 0x80].m2);
        }
    }
    return sink_done(&k, out, outn);
}

/* ---------------------------------------------------------------- iconv */

static sirecon_status
enc_from_iconv(enc_id e, const unsigned char *buf, size_t n, char **out,
               size_t *outn, struct diag *d)
{
    const char *from = e == ENC_CP1258 ? "WINDOWS-1258" : "VISCII";
    const size_t block = 65536;
    struct sink k;
    iconv_t cd;
    char *in = (char *)buf;
    size_t inleft = n, r;
    bool done = false;

    encoding_gconv_lock();
    cd = iconv_open("UTF-8", from);
    encoding_gconv_unlock();
    if (cd == (iconv_t)-1)
        return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                        "the C library has no %s converter (glibc iconv needed)",
                        from);
    sink_init(&k, n + n / 4);
    while (!done) {
        size_t take = inleft < block ? inleft : block, before = take;
        char *o;
        size_t oleft;

        /* each input byte gives at most one code point (<= 3 bytes), and
         * WINDOWS-1258 may release one held-back letter on top */
        k.stage.s = xgrow(k.stage.s, &k.stage.cap, k.stage.n + 4 * take + 16, 1);
        o = k.stage.s + k.stage.n;
        oleft = k.stage.cap - k.stage.n - 1;
        if (take > 0)
            r = iconv(cd, &in, &take, &o, &oleft);
        else { /* end of input: release what the converter holds */
            r = iconv(cd, NULL, NULL, &o, &oleft);
            done = true;
        }
        k.stage.n = (size_t)(o - k.stage.s);
        inleft -= before - take;
        if (r == (size_t)-1 && errno != E2BIG) {
            size_t off = n - inleft;

            encoding_gconv_lock();
            iconv_close(cd);
            encoding_gconv_unlock();
            sink_free(&k);
            return diag_set(d, SIRECON_ERR_DATA, NULL, enc_line_at(buf, off),
                            "byte 0x%02X (offset %zu) is not a character of %s",
                            off < n ? buf[off] : 0, off, encoding_name(e));
        }
        sink_flush(&k, false);
    }
    iconv_close(cd);
    return sink_done(&k, out, outn);
}

/* glibc's iconv_open/iconv_close take its module lock: a fork() (xls.c)
 * while another thread holds it would leave the child's iconv locked. */
static pthread_mutex_t gconv_lock = PTHREAD_MUTEX_INITIALIZER;

void
encoding_gconv_lock(void)
{
    pthread_mutex_lock(&gconv_lock);
}

void
encoding_gconv_unlock(void)
{
    pthread_mutex_unlock(&gconv_lock);
}

sirecon_status
encoding_to_utf8(enc_id e, const unsigned char *buf, size_t n, char **out,
                 size_t *outn, struct diag *d)
{
    *out = NULL;
    *outn = 0;
    switch (e) {
    case ENC_UTF8:
    case ENC_UTF8_BOM:
        return enc_from_utf8(buf, n, out, outn, d);
    case ENC_UTF16LE:
    case ENC_UTF16BE:
        return enc_from_utf16(e, buf, n, out, outn, d);
    case ENC_TCVN3:
    case ENC_VNI:
        return enc_from_table(e, buf, n, out, outn, d);
    case ENC_CP1258:
    case ENC_VISCII:
        return enc_from_iconv(e, buf, n, out, outn, d);
    default:
        return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                        "no text encoding given to convert from");
    }
}

/* ------------------------------------------------------------ detection */

/* Letters standing in for the modified vowels in a syllable key. */
enum { K_A_BREVE = '1', K_A_CIRC, K_E_CIRC, K_O_CIRC, K_O_HORN, K_U_HORN, K_D_BAR };

/* Initials (đ is K_D_BAR), vowel nuclei with their glides and closing
 * semivowels, and final consonants of Vietnamese syllables. */
static const char *const syl_initial[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c",
    "d", "7", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
};
static const char *const syl_nucleus[] = {
    "a", "1", "2", "e", "3", "i", "o", "4", "5", "u", "6", "y",
    "ai", "ao", "au", "ay", "2u", "2y", "eo", "3u", "ia", "i3", "i3u", "iu",
    "oa", "oai", "oay", "oao", "o1", "oe", "oeo", "oi", "4i", "5i", "oo",
    "ua", "u2", "u2y", "u3", "ui", "u4", "u4i", "u5", "uy", "uya", "uy3",
    "uyu", "6a", "6i", "65", "65i", "65u", "6u", "y3", "y3u",
};
static const char *const syl_final[] = {"ch", "ng", "nh", "c", "m", "n", "p", "t", ""};

static bool
syl_in(const char *s, size_t n, const char *const *set, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (strlen(set[i]) == n && memcmp(set[i], s, n) == 0)
            return true;
    return false;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Whether key (a lower-case syllable without tone, modified vowels as the
 * K_ letters) splits into initial + nucleus + final. */
static bool
syl_key_ok(const char *key, size_t n)
{
    size_t i, f, il, fl;

    for (i = 0; i < NELEM(syl_initial); i++) {
        il = strlen(syl_initial[i]);
        if (il > n || memcmp(key, syl_initial[i], il) != 0)
            continue;
        for (f = 0; f < NELEM(syl_final); f++) {
            fl = strlen(syl_final[f]);
            if (il + fl >= n || memcmp(key + n - fl, syl_final[f], fl) != 0)
                continue;
            if (syl_in(key + il, n - il - fl, syl_nucleus, NELEM(syl_nucleus)))
                return true;
        }
    }
    return false;
}

/* A word being checked: its key and how many tone marks it carries. */
struct syl {
    char key[12];
    size_t n;
    int tones;
    bool bad;
};

static bool
syl_vowel(char c)
{
    return strchr("aeiouy", c) != NULL;
}

/* Apply combining mark m to the last letter of w. */
static void
syl_mark(struct syl *w, int32_t m)
{
    char *c;

    if (w->n == 0) {
        w->bad = true;
        return;
    }
    c = &w->key[w->n - 1];
    switch (m) {
    case CM_GRAVE: case CM_ACUTE: case CM_TILDE: case CM_HOOK: case CM_DOT:
        /* one tone per syllable, on a vowel */
        if (++w->tones > 1 || !(syl_vowel(*c) || (*c >= K_A_BREVE && *c <= K_U_HORN)))
            w->bad = true;
        return;
    case CM_BREVE:
        if (*c == 'a') *c = K_A_BREVE; else w->bad = true;
        return;
    case CM_CIRC:
        if (*c == 'a') *c = K_A_CIRC;
        else if (*c == 'e') *c = K_E_CIRC;
        else if (*c == 'o') *c = K_O_CIRC;
        else w->bad = true;
        return;
    case CM_HORN:
        if (*c == 'o') *c = K_O_HORN;
        else if (*c == 'u') *c = K_U_HORN;
        else w->bad = true;
        return;
    default:
        w->bad = true;
    }
}

/* Add code point c (a letter or a combining mark) to w. */
static void
syl_add(struct syl *w, int32_t c)
{
    int32_t dec[8];
    utf8proc_ssize_t k, j;

    if (w->bad)
        return;
    if (c == 0x0110 || c == 0x0111) { /* Đ đ do not decompose */
        if (w->n >= sizeof w->key - 1) { w->bad = true; return; }
        w->key[w->n++] = K_D_BAR;
        return;
    }
    k = utf8proc_decompose_char(c, dec, 8, UTF8PROC_DECOMPOSE, NULL);
    if (k < 1 || k > 8) {
        w->bad = true;
        return;
    }
    for (j = 0; j < k; j++) {
        int32_t b = dec[j];

        if (b >= 0x0300 && b <= 0x036F) {
            syl_mark(w, b);
        } else {
            b = utf8proc_tolower(b);
            if (b < 'a' || b > 'z' || w->n >= sizeof w->key - 1) {
                w->bad = true;
                return;
            }
            w->key[w->n++] = (char)b;
        }
    }
}

/* Whether a single word (UTF-8) is a well-formed Vietnamese syllable. */
STATIC bool
enc_syllable_ok(const char *s, size_t n)
{
    struct syl w = {{0}, 0, 0, false};
    utf8proc_int32_t c;
    utf8proc_ssize_t k;
    size_t i;

    for (i = 0; i < n; i += (size_t)k) {
        k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i),
                             &c);
        if (k < 1)
            return false;
        syl_add(&w, c);
    }
    return !w.bad && w.n > 0 && syl_key_ok(w.key, w.n);
}

static bool
enc_is_letter(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);

    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) ||
           (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
}

/*
 * Plausibility of decoded text s[0..n) as Vietnamese, in percent: of the
 * words holding a non-ASCII letter, plus the non-ASCII symbols (which a
 * wrong chart produces instead of letters), the share that are well-formed
 * syllables.  -1 when there is nothing non-ASCII to judge.
 */
STATIC int
enc_score_text(const char *s, size_t n)
{
    size_t i = 0, wstart = 0, words = 0, good = 0, bad = 0;
    bool inword = false, nonascii = false;
    utf8proc_int32_t c;
    utf8proc_ssize_t k;

    while (i <= n) {
        if (i < n) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                 (utf8proc_ssize_t)(n - i), &c);
            if (k < 1)
                return 0;
        } else {
            k = 1, c = ' ';
        }
        if (enc_is_letter(c)) {
            if (!inword)
                inword = true, wstart = i, nonascii = false;
            if (c >= 0x80)
                nonascii = true;
        } else {
            if (inword && nonascii) {
                words++;
                if (enc_syllable_ok(s + wstart, i - wstart))
                    good++;
            }
            inword = false;
            if (c >= 0x80 && utf8proc_category(c) != UTF8PROC_CATEGORY_ZS)
                bad++;
        }
        i += (size_t)k;
    }
    if (words + bad == 0)
        return -1;
    return (int)(good * 100 / (words + bad));
}

/*
 * Decide the encoding.  After BOMs and UTF-8 (a sequence cut at the very end
 * of buf still counts, the caller may pass a prefix), a legacy candidate is
 * out if any byte present is undefined in it; each survivor decodes the
 * first ENC_SAMPLE bytes and gets enc_score_text().  The best wins when it
 * scores at least ENC_MIN_SCORE % and leads the runner-up by at least
 * ENC_MIN_MARGIN points; otherwise ENC_UNKNOWN.
 */
enc_id
encoding_detect(const unsigned char *buf, size_t n)
{
    static const enc_id cand[] = {ENC_CP1258, ENC_VISCII, ENC_TCVN3, ENC_VNI};
    size_t seen[256] = {0}, i, j, sn;
    int score[4], best = -1, second = -1;
    enc_id win = ENC_UNKNOWN;
    bool trunc;

    if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
        return ENC_UTF8_BOM;
    if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xFE)
        return ENC_UTF16LE;
    if (n >= 2 && buf[0] == 0xFE && buf[1] == 0xFF)
        return ENC_UTF16BE;
    i = enc_utf8_valid(buf, n, &trunc);
    if (i == n || (trunc && i > 0 && n - i < 4))
        return ENC_UTF8;

    for (i = 0; i < n; i++)
        seen[buf[i]]++;
    sn = n < ENC_SAMPLE ? n : ENC_SAMPLE;
    for (j = 0; j < NELEM(cand); j++) {
        char *text;
        size_t tn;
        struct diag d;

        score[j] = -1;
        for (i = 0x80; i < 256; i++)
            if (seen[i] != 0 && !enc_byte_defined(cand[j], (unsigned char)i))
                break;
        if (i < 256)
            continue;
        if (encoding_to_utf8(cand[j], buf, sn, &text, &tn, &d) != SIRECON_OK)
            continue;
        score[j] = enc_score_text(text, tn);
        free(text);
        if (score[j] > best) {
            second = best;
            best = score[j];
            win = cand[j];
        } else if (score[j] > second) {
            second = score[j];
        }
    }
    if (best < ENC_MIN_SCORE || best - (second < 0 ? 0 : second) < ENC_MIN_MARGIN)
        return ENC_UNKNOWN;
    return win;
}
