/*
 * test_names.c - name keys, tone-mark placement, NFC and label folding.
 * Inputs are written with \u-free byte escapes where NFD matters, so the
 * source file's own normalization cannot hide a bug.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "sirecon/names.h"

static name_keys
keys(arena *a, const char *s)
{
    name_keys k;

    names_keys(a, s, strlen(s), &k);
    return k;
}

/* Pairs that must give the same exact key. */
static void
test_same_key(void **state)
{
    static const struct {
        const char *a, *b, *key;
    } t[] = {
        /* NFC vs NFD ("ễ" = e + circumflex + tilde, "ị" = i + dot below) */
        {"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b", "Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3",
         "nguy\xe1\xbb\x85n th\xe1\xbb\x8b"},
        /* NFD with the marks in non-canonical order (tilde before circumflex) */
        {"Nguy\xe1\xbb\x85n", "Nguye\xcc\x83\xcc\x82n", "nguy\xe1\xbb\x85n"},
        /* old / new tone placement: Hòa / Hoà */
        {"H\xc3\xb2" "a", "Ho\xc3\xa0", "h\xc3\xb2" "a"},
        /* Thủy / Thuỷ */
        {"Th\xe1\xbb\xa7y", "Thu\xe1\xbb\xb7", "th\xe1\xbb\xa7y"},
        /* Khỏe / Khoẻ */
        {"Kh\xe1\xbb\x8f" "e", "Kho\xe1\xba\xbb", "kh\xe1\xbb\x8f" "e"},
        /* Thúy / Thuý, Hóa / Hoá, Họa / Hoạ */
        {"Th\xc3\xbay", "Thu\xc3\xbd", "th\xc3\xbay"},
        {"H\xc3\xb3" "a", "Ho\xc3\xa1", "h\xc3\xb3" "a"},
        {"H\xe1\xbb\x8d" "a", "Ho\xe1\xba\xa1", "h\xe1\xbb\x8d" "a"},
        /* "gi" is the consonant: Gioà / Giòa */
        {"Gio\xc3\xa0", "Gi\xc3\xb2" "a", "gi\xc3\xb2" "a"},
        /* new style written decomposed: o a + grave */
        {"Hoa\xcc\x80", "H\xc3\xb2" "a", "h\xc3\xb2" "a"},
        /* full name: Nguyễn Thị Thuỳ Linh / Thùy */
        {"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Thu\xe1\xbb\xb3 Linh",
         "NGUY\xe1\xbb\x84N TH\xe1\xbb\x8a TH\xc3\x99Y LINH",
         "nguy\xe1\xbb\x85n th\xe1\xbb\x8b th\xc3\xb9y linh"},
        /* case */
        {"TR\xe1\xba\xa6N TH\xe1\xbb\x8a H\xc3\x80", "tr\xe1\xba\xa7n th\xe1\xbb\x8b h\xc3\xa0",
         "tr\xe1\xba\xa7n th\xe1\xbb\x8b h\xc3\xa0"},
        /* spaces: leading, trailing, runs, tab, NBSP, ideographic space */
        {"  Nguyen \t Van\xc2\xa0\xc2\xa0" "A  ", "Nguyen Van A", "nguyen van a"},
        {"Le\xe3\x80\x80Thi\nB", "le thi b", "le thi b"},
        /* zero-width space and BOM inside a name are dropped */
        {"Ng\xe2\x80\x8buyen\xef\xbb\xbf An", "Nguyen An", "nguyen an"},
        /* punctuation left in names separates words and is dropped */
        {"Mai V\xc4\x83n Thu\xe1\xba\xa5n.", "Mai V\xc4\x83n Thu\xe1\xba\xa5n", "mai v\xc4\x83n thu\xe1\xba\xa5n"},
        {"L\xc3\xaa,V\xc4\x83n A", "L\xc3\xaa V\xc4\x83n A", "l\xc3\xaa v\xc4\x83n a"},
        /* Đỗ upper and lower */
        {"\xc4\x90\xe1\xbb\x96", "\xc4\x91\xe1\xbb\x97", "\xc4\x91\xe1\xbb\x97"},
    };
    arena a;
    size_t i;

    arena_init(&a);
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        name_keys x = keys(&a, t[i].a), y = keys(&a, t[i].b);
        assert_string_equal(x.key, t[i].key);
        assert_string_equal(y.key, t[i].key);
    }
    arena_free(&a);
}

/* Syllables that must be left exactly as written (NFC, lower case). */
static void
test_tone_kept(void **state)
{
    static const char *t[] = {
        "qu\xc3\xbd",                 /* quý: qu + y, not "qúy" */
        "qu\xe1\xbb\xb3nh",           /* quỳnh */
        "ho\xc3\xa0ng",               /* hoàng: final consonant */
        "to\xc3\xa1n",                /* toán */
        "kho\xe1\xba\xa3ng",          /* khoảng */
        "huy\xe1\xbb\x81n",           /* huyền */
        "quy\xe1\xba\xbft",           /* quyết */
        "thuy\xe1\xbb\x81n",          /* thuyền */
        "ngo\xc3\xa0i",               /* ngoài: nucleus of three */
        "khu\xe1\xbb\xb7u",           /* khuỷu */
        "thu\xe1\xba\xbf",            /* thuế: uê is not in the rule */
        "ho\xe1\xba\xb7" "c",         /* hoặc */
        "gi\xc3\xa0",                 /* già */
        "m\xe1\xbb\xb9",              /* mỹ */
    };
    arena a;
    size_t i;

    arena_init(&a);
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_string_equal(keys(&a, t[i]).key, t[i]);
    arena_free(&a);
}

static void
test_key_vs_folded(void **state)
{
    static const struct {
        const char *a, *b;
        int same_key, same_folded;
    } t[] = {
        /* Trần Thị Hà / Trần Thị Hạ: two people, one folded key */
        {"Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xe1\xba\xa1", 0, 1},
        /* with and without diacritics */
        {"Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", "Tran Thi Ha", 0, 1},
        /* different names */
        {"Nguyen Van A", "Nguyen Van B", 0, 0},
        /* Đỗ vs Do */
        {"\xc4\x90\xe1\xbb\x97 V\xc4\x83n", "DO VAN", 0, 1},
    };
    arena a;
    size_t i;

    arena_init(&a);
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        name_keys x = keys(&a, t[i].a), y = keys(&a, t[i].b);
        assert_int_equal(strcmp(x.key, y.key) == 0, t[i].same_key);
        assert_int_equal(strcmp(x.folded, y.folded) == 0, t[i].same_folded);
    }
    arena_free(&a);
}

static void
test_folded_and_marks(void **state)
{
    static const struct {
        const char *in, *folded;
        int marks;
    } t[] = {
        {"\xc4\x90\xe1\xbb\x97", "do", 1},                       /* Đỗ */
        {"\xc4\x91" "ao", "dao", 1},                             /* đao: only đ */
        {"Nguyen Van A", "nguyen van a", 0},
        {"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Thu\xe1\xbb\xb3 Linh", "nguyen thi thuy linh", 1},
        {"Ph\xc6\xb0\xc6\xa1ng", "phuong", 1},                   /* Phương */
        {"Nguyen\xc2\xa0Van", "nguyen van", 0},                  /* NBSP is no mark */
        {"Jos\xe9", "jose", 1},                                  /* Latin-1 é */
        {"", "", 0},
        {" \t\xc2\xa0 ", "", 0},
    };
    arena a;
    size_t i;

    arena_init(&a);
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        name_keys k = keys(&a, t[i].in);
        assert_string_equal(k.folded, t[i].folded);
        assert_int_equal(k.has_marks, t[i].marks);
    }
    arena_free(&a);
}

/* Invalid UTF-8: each bad byte is a Latin-1 character. */
static void
test_invalid_utf8(void **state)
{
    arena a;
    name_keys k;

    arena_init(&a);
    /* "Ren\xe9" (Latin-1) -> "rené" in UTF-8 */
    k = keys(&a, "REN\xc9");
    assert_string_equal(k.key, "ren\xc3\xa9");
    assert_string_equal(k.folded, "rene");
    /* truncated sequence at the end */
    k = keys(&a, "Ha\xe1\xba");
    assert_string_equal(k.key, "ha\xc3\xa1\xc2\xba");
    arena_free(&a);
}

static void
test_nfc(void **state)
{
    static const struct {
        const char *in, *out;
    } t[] = {
        {"Nguye\xcc\x82\xcc\x83n", "Nguy\xe1\xbb\x85n"},
        {"Nguy\xe1\xbb\x85n", "Nguy\xe1\xbb\x85n"},
        {"plain", "plain"},
        {"bad\xff", "bad\xff"}, /* invalid: copied unchanged */
        {"", ""},
    };
    size_t i, n;
    char *r;

    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        r = names_nfc(t[i].in, strlen(t[i].in), &n);
        assert_string_equal(r, t[i].out);
        assert_int_equal(n, strlen(t[i].out));
        free(r);
    }
}

static void
test_fold_label(void **state)
{
    static const struct {
        const char *in, *out;
    } t[] = {
        {"M\xc3\xa3 s\xe1\xbb\x91 BHXH", "masobhxh"},
        {"MA SO BHXH", "masobhxh"},
        {"ma_so_bhxh", "masobhxh"},
        {"Ma\xcc\x83 so\xcc\x82\xcc\x81 BHXH", "masobhxh"},          /* NFD */
        {"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan", "hovaten"},           /* Họ và tên */
        {"S\xe1\xbb\x91 CMND/CCCD/H\xe1\xbb\x99 chi\xe1\xba\xbfu", "socmndcccdhochieu"},
        {"\xc4\x90\xe1\xbb\x8b" "a ch\xe1\xbb\x89", "diachi"},      /* Địa chỉ */
        {"[08] M\xc3\xa3 s\xe1\xbb\x91 thu\xe1\xba\xbf", "08masothue"},
        {"T\xe1\xbb\xab th\xc3\xa1ng", "tuthang"},                   /* Từ tháng */
        {"  ", ""},
        {"Ti\xe8n", "tien"},                                         /* Latin-1 è */
    };
    char buf[64];
    size_t i, n;

    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        n = names_fold_label(t[i].in, strlen(t[i].in), buf, sizeof buf);
        assert_string_equal(buf, t[i].out);
        assert_int_equal(n, strlen(t[i].out));
    }
    /* truncation: at most outsz-1 bytes plus NUL */
    n = names_fold_label("Mã số BHXH", strlen("Mã số BHXH"), buf, 5);
    assert_int_equal(n, 4);
    assert_string_equal(buf, "maso");
    /* length-bounded input, not NUL-terminated */
    n = names_fold_label("Ma so BHXH", 5, buf, sizeof buf);
    assert_string_equal(buf, "maso");
}

/* names_fold_words_marked: the fold of names_fold_words, and each letter's
 * diacritics beside it, precomposed (NFC) or not (NFD). */
static void
test_fold_marks(void **state)
{
    char a[64], b[64];
    unsigned char ma[64], mb[64];
    (void)state;

    size_t na = names_fold_words_marked("Năm", strlen("Năm"), a, ma, sizeof a);
    size_t nb = names_fold_words_marked("Nam", 3, b, mb, sizeof b);
    assert_int_equal(na, 3);
    assert_int_equal(nb, 3);
    assert_string_equal(a, b);
    assert_int_equal(ma[1], NAMES_MARK_BREVE);
    assert_int_equal(mb[1], 0);
    /* "ệ" in NFD: e, dot below, circumflex */
    na = names_fold_words_marked("Vi\x65\xcc\xa3\xcc\x82t", 8, a, ma, sizeof a);
    assert_string_equal(a, "viet");
    assert_int_equal(ma[2], NAMES_MARK_CIRCUMFLEX | (5 << 3));
    /* đ, and the fold is names_fold_words' */
    na = names_fold_words_marked("Đến (tháng)", strlen("Đến (tháng)"), a, ma, sizeof a);
    names_fold_words("Đến (tháng)", strlen("Đến (tháng)"), b, sizeof b);
    assert_string_equal(a, b);
    assert_int_equal(ma[0], NAMES_MARK_STROKE);
    assert_int_equal(ma[1], NAMES_MARK_CIRCUMFLEX | (2 << 3));
    assert_int_equal(ma[4], 0); /* the "(" token */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_key),
        cmocka_unit_test(test_tone_kept),
        cmocka_unit_test(test_key_vs_folded),
        cmocka_unit_test(test_folded_and_marks),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_fold_label),
        cmocka_unit_test(test_fold_marks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
