/*
 * test_i18n.c - the label table: sorted and unique (bsearch relies on it),
 * NFC UTF-8, a label in both languages for every status, reason, rule,
 * finding, flag and output column, sheet names Excel accepts, and the
 * language chosen from LC_ALL / LC_MESSAGES / LANG.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>
#include "sirecon/i18n.h"
#include "sirecon/report_table.h"
#include "sirecon/records.h"
#include "sirecon/employers.h"

/* The table is STATIC in i18n.c (global under -DTESTING); same layout. */
struct i18n_entry {
    const char *key;
    const char *en;
    const char *vi;
};
extern const struct i18n_entry i18n_table[];
extern const size_t i18n_table_len;

/* Both languages know key: neither returns the key itself nor "". */
static void
assert_both(const char *key)
{
    const char *en = i18n(LANG_EN, key), *vi = i18n(LANG_VI, key);

    if (en == key || strcmp(en, key) == 0 || en[0] == '\0' ||
        vi == key || strcmp(vi, key) == 0 || vi[0] == '\0')
        fail_msg("no label in both languages for \"%s\"", key);
}

static void
assert_prefixed(const char *prefix, const char *name, const char *suffix)
{
    char key[128];

    assert_non_null(name);
    assert_true(name[0] != '\0');
    snprintf(key, sizeof key, "%s%s%s", prefix, name, suffix);
    assert_both(key);
}

static void
test_sorted_unique(void **state)
{
    assert_true(i18n_table_len > 100);
    for (size_t i = 1; i < i18n_table_len; i++)
        if (strcmp(i18n_table[i - 1].key, i18n_table[i].key) >= 0)
            fail_msg("table not sorted/unique at \"%s\" / \"%s\"",
                     i18n_table[i - 1].key, i18n_table[i].key);
    /* every entry is found by the lookup (bsearch) */
    for (size_t i = 0; i < i18n_table_len; i++) {
        assert_ptr_equal(i18n(LANG_EN, i18n_table[i].key), i18n_table[i].en);
        assert_ptr_equal(i18n(LANG_VI, i18n_table[i].key), i18n_table[i].vi);
    }
}

/* The conversions of a printf format, in order ("%s%d%zu"); "%%" skipped. */
static void
conversions(const char *f, char *out, size_t n)
{
    size_t k = 0;

    for (; *f && k + 8 < n; f++) {
        if (*f != '%')
            continue;
        if (f[1] == '%') {
            f++;
            continue;
        }
        out[k++] = '%';
        while (f[1] && strchr("0123456789.-+ #lhjztL", f[1]))
            out[k++] = *++f;
        if (f[1])
            out[k++] = *++f;
    }
    out[k] = '\0';
}

/* Explain texts are printf formats filled in by explain.c: both languages
 * must take the same arguments in the same order. */
static void
test_formats_agree(void **state)
{
    char en[128], vi[128];
    size_t n = 0;

    for (size_t i = 0; i < i18n_table_len; i++) {
        if (strncmp(i18n_table[i].key, "explain.", 8) != 0)
            continue;
        n++;
        conversions(i18n_table[i].en, en, sizeof en);
        conversions(i18n_table[i].vi, vi, sizeof vi);
        if (strcmp(en, vi) != 0)
            fail_msg("%s: en takes \"%s\", vi takes \"%s\"", i18n_table[i].key, en, vi);
    }
    assert_true(n > 40);
    conversions("a %s b %5.1f%% c %zu", en, sizeof en);
    assert_string_equal(en, "%s%5.1f%zu");
}

static int
is_nfc_utf8(const char *s)
{
    utf8proc_uint8_t *n = NULL;
    utf8proc_ssize_t len;
    int ok;

    len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &n,
                       UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (len < 0)
        return 0; /* invalid UTF-8 */
    ok = strcmp((const char *)n, s) == 0;
    free(n);
    return ok;
}

static void
test_text_nfc(void **state)
{
    for (size_t i = 0; i < i18n_table_len; i++) {
        const struct i18n_entry *e = &i18n_table[i];
        assert_true(e->en[0] != '\0');
        assert_true(e->vi[0] != '\0');
        if (!is_nfc_utf8(e->en) || !is_nfc_utf8(e->vi))
            fail_msg("\"%s\": label not valid NFC UTF-8", e->key);
    }
    /* diacritics really are there (precomposed: NFC) */
    assert_string_equal(i18n(LANG_VI, "sheet.summary"), "T\xe1\xbb\x95ng h\xe1\xbb\xa3p");
    assert_string_equal(i18n(LANG_VI, "sheet.employees"),
                        "Ng\xc6\xb0\xe1\xbb\x9di lao \xc4\x91\xe1\xbb\x99ng");
    assert_string_equal(i18n(LANG_EN, "sheet.employees"), "Employees");
}

static void
test_unknown_key(void **state)
{
    const char *k = "no.such.key";

    assert_ptr_equal(i18n(LANG_EN, k), k);
    assert_ptr_equal(i18n(LANG_VI, k), k);
    assert_string_equal(i18n(LANG_EN, ""), "");
    assert_string_equal(i18n(LANG_EN, NULL), "");
    /* a prefix of a real key is not a match */
    assert_string_equal(i18n(LANG_EN, "sheet."), "sheet.");
}

static void
test_enums_covered(void **state)
{
    for (int s = 0; s < ST_COUNT; s++) {
        assert_prefixed("status.", records_status_name((rec_status)s), "");
        assert_prefixed("status.", records_status_name((rec_status)s), ".desc");
    }
    for (int r = RS_NONE + 1; r < RS_COUNT; r++)
        assert_prefixed("reason.", records_reason_name((rec_reason)r), "");
    for (int r = RULE_NONE + 1; r < RULE_COUNT; r++) {
        assert_prefixed("rule.", records_rule_name((rec_rule)r), "");
        assert_prefixed("rule.", records_rule_name((rec_rule)r), ".desc");
    }
    for (int f = FIND_NONE + 1; f < FIND_COUNT; f++)
        assert_prefixed("finding.", employers_finding_name((finding)f), "");
    for (unsigned b = 0; b < RF_FLAG_COUNT; b++)
        assert_prefixed("flag.", records_flag_name(b), "");
    for (int k = 0; k < IDK_COUNT; k++)
        assert_prefixed("idkind.", ids_kind_name((id_kind)k), "");
    for (int k = 0; k < KIND_COUNT; k++)
        assert_prefixed("kind.", fields_kind_name((file_kind)k), "");
}

/* Every column the report writers emit (report_table.c) has a localized
 * header, within one sheet the headers are distinct in each language, and
 * a code column names the prefix of its labels. */
static void
check_cols(const struct report_table *t)
{
    for (int l = LANG_EN; l <= LANG_VI; l++)
        for (size_t i = 0; i < (size_t)t->ncols; i++) {
            char ki[64], kj[64];
            snprintf(ki, sizeof ki, "col.%s", t->cols[i].key);
            assert_both(ki);
            assert_non_null(t->cols[i].get);
            assert_true((t->cols[i].type == RC_CODE) == (t->cols[i].label != NULL));
            for (size_t j = 0; j < i; j++) {
                snprintf(kj, sizeof kj, "col.%s", t->cols[j].key);
                if (strcmp(i18n((lang)l, ki), i18n((lang)l, kj)) == 0)
                    fail_msg("headers %s and %s are equal", ki, kj);
            }
        }
}

static void
test_columns(void **state)
{
    assert_int_equal(report_employers_table.ncols, 16);
    assert_int_equal(report_employees_table.ncols, 17);
    assert_int_equal(report_rejects_table.ncols, 6);
    check_cols(&report_employers_table);
    check_cols(&report_employees_table);
    check_cols(&report_rejects_table);
}

/* Excel: 1..31 characters, none of []:*?/\, not starting or ending with an
 * apostrophe, unique ignoring case; " (99)" must still fit for split sheets. */
static void
test_sheet_names(void **state)
{
    static const char *const keys[] = {"sheet.summary", "sheet.employers",
        "sheet.employees", "sheet.review", "sheet.rejects", "sheet.method"};
    const size_t n = sizeof keys / sizeof keys[0];

    for (int l = LANG_EN; l <= LANG_VI; l++) {
        for (size_t i = 0; i < n; i++) {
            const char *s = i18n((lang)l, keys[i]);
            size_t len = strlen(s), chars = 0;
            assert_both(keys[i]);
            for (size_t b = 0; b < len; b++)
                chars += ((unsigned char)s[b] & 0xC0) != 0x80;
            assert_true(chars >= 1);
            assert_true(chars + strlen(" (99)") <= 31);
            assert_null(strpbrk(s, "[]:*?/\\"));
            assert_true(s[0] != '\'' && s[len - 1] != '\'');
            for (size_t j = 0; j < i; j++) {
                utf8proc_uint8_t *a = utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)s);
                utf8proc_uint8_t *b = utf8proc_NFKC_Casefold(
                    (const utf8proc_uint8_t *)i18n((lang)l, keys[j]));
                assert_string_not_equal((char *)a, (char *)b);
                free(a);
                free(b);
            }
        }
    }
}

static void
set_env(const char *all, const char *msgs, const char *lng)
{
    if (all) setenv("LC_ALL", all, 1); else unsetenv("LC_ALL");
    if (msgs) setenv("LC_MESSAGES", msgs, 1); else unsetenv("LC_MESSAGES");
    if (lng) setenv("LANG", lng, 1); else unsetenv("LANG");
}

static void
test_from_env(void **state)
{
    set_env(NULL, NULL, NULL);
    assert_int_equal(i18n_from_env(), LANG_EN);
    set_env(NULL, NULL, "vi_VN.UTF-8");
    assert_int_equal(i18n_from_env(), LANG_VI);
    set_env(NULL, NULL, "vi");
    assert_int_equal(i18n_from_env(), LANG_VI);
    set_env(NULL, NULL, "en_US.UTF-8");
    assert_int_equal(i18n_from_env(), LANG_EN);
    set_env(NULL, NULL, "C");
    assert_int_equal(i18n_from_env(), LANG_EN);
    /* LC_MESSAGES beats LANG, both ways */
    set_env(NULL, "vi_VN.UTF-8", "en_US.UTF-8");
    assert_int_equal(i18n_from_env(), LANG_VI);
    set_env(NULL, "C.UTF-8", "vi_VN.UTF-8");
    assert_int_equal(i18n_from_env(), LANG_EN);
    /* LC_ALL beats both */
    set_env("vi_VN", "en_GB", "en_US");
    assert_int_equal(i18n_from_env(), LANG_VI);
    set_env("POSIX", "vi_VN", "vi_VN");
    assert_int_equal(i18n_from_env(), LANG_EN);
    /* empty values are skipped */
    set_env("", "", "vi_VN.UTF-8");
    assert_int_equal(i18n_from_env(), LANG_VI);
    set_env("", "vi_VN", "");
    assert_int_equal(i18n_from_env(), LANG_VI);
    /* "vi" is a prefix test on the locale name, not a substring one */
    set_env(NULL, NULL, "en_VI");
    assert_int_equal(i18n_from_env(), LANG_EN);
    set_env(NULL, NULL, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_unique),
        cmocka_unit_test(test_formats_agree),
        cmocka_unit_test(test_text_nfc),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_enums_covered),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_sheet_names),
        cmocka_unit_test(test_from_env),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
