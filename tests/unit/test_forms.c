/*
 * test_forms.c - the official layouts read exactly (docs/inputs.md, "Official
 * forms").  Each file of fixtures/forms/ is a copy of ../shared/forms/ (the
 * project's ground truth; the copies are compared with it when it is there):
 * every column its README lists maps to its field, no other column maps to
 * anything (no second column, no unread-ID column), the title-block values
 * are read, and every data row loads (none rejected).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include "sirecon/forms.h"
#include "sirecon/run.h"
#include "sirecon/profile.h"


struct expect {
    const char *file;
    const char *form;         /* forms_name() of the form it is recognised as */
    file_kind kind;
    int col[F_COUNT];         /* 1-based column of each field, 0 none */
    const char *title[F_COUNT]; /* title-block value of a field, NULL none */
    unsigned loaded;
    int schedule;
};

static const struct expect forms[] = {
    {"05-1_TT80.csv", "05-1/BK-QTT-TNCN, Circular 80/2021", KIND_TAX,
     {[F_FULL_NAME] = 2, [F_EMPLOYEE_TAX_ID] = 3, [F_ID_NUMBER] = 5, [F_TAXABLE_INCOME] = 8,
      [F_INSURANCE_DEDUCTION] = 16, [F_TAX_WITHHELD] = 19},
     {[F_EMPLOYER_TAX_ID] = "0189204519-002", [F_TAX_YEAR] = "2025",
      [F_EMPLOYER_NAME] = "CHI NHÁNH THÁI BÌNH - CÔNG TY TNHH GỐM SỨ PHÚC LỘC"},
     3, 1},
    {"05-2_TT80.csv", "05-2/BK-QTT-TNCN, Circular 80/2021", KIND_TAX,
     {[F_FULL_NAME] = 2, [F_EMPLOYEE_TAX_ID] = 3, [F_ID_NUMBER] = 5, [F_NON_RESIDENT] = 6,
      [F_TAXABLE_INCOME] = 7, [F_TAX_WITHHELD] = 11},
     {[F_EMPLOYER_TAX_ID] = "1077219981", [F_TAX_YEAR] = "2025",
      [F_EMPLOYER_NAME] = "CÔNG TY TNHH PHÂN BÓN KIM LONG"},
     4, 2},
    {"05-1_TT92.csv", "05-1/BK-QTT-TNCN, Circular 92/2015", KIND_TAX,
     {[F_FULL_NAME] = 2, [F_EMPLOYEE_TAX_ID] = 3, [F_ID_NUMBER] = 4, [F_TAXABLE_INCOME] = 6,
      [F_INSURANCE_DEDUCTION] = 12, [F_TAX_WITHHELD] = 15},
     {[F_EMPLOYER_TAX_ID] = "1021216033", [F_TAX_YEAR] = "2025",
      [F_EMPLOYER_NAME] = "DOANH NGHIỆP TƯ NHÂN KỸ THUẬT ĐIỆN TÂN TIẾN"},
     3, 1},
    {"D02-LT_QD490.csv", "D02-LT, Decision 490/QĐ-BHXH (2023)", KIND_SI,
     {[F_FULL_NAME] = 2, [F_SI_NUMBER] = 3, [F_BIRTH_DATE] = 4, [F_ID_NUMBER] = 6,
      [F_SALARY] = 8, [F_PLAN_CODE] = 10, [F_FROM_MONTH] = 11, [F_TO_MONTH] = 12},
     {[F_EMPLOYER_TAX_ID] = "0959478310", [F_UNIT_CODE] = "0959478310"},
     3, 0},
    /* no employer in the sheet: copied under a name that starts with its
     * employer's tax code (test_import_sheet_named) */
    {"D02-TS_TK1_import_VNPT.csv", "D02-TS/TK1 import sheet, Decisions 595/2017, 490/2023",
     KIND_SI,
     {[F_FULL_NAME] = 2, [F_SI_NUMBER] = 3, [F_CHANGE_TYPE] = 4, [F_PLAN_CODE] = 6,
      [F_SALARY] = 10, [F_FROM_MONTH] = 16, [F_TO_MONTH] = 17, [F_ID_NUMBER] = 28,
      [F_BIRTH_DATE] = 30},
     {[F_EMPLOYER_TAX_ID] = "0185860735"},
     1, 0},
};
#define N_FORMS (sizeof forms / sizeof forms[0])
#define IMPORT_SHEET (N_FORMS - 1)

static char fixdir[64];

static int
group_setup(void **state)
{
    (void)state;
    strcpy(fixdir, access("fixtures/forms", R_OK) == 0 ? "fixtures/forms" : "../fixtures/forms");
    return 0;
}

static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long len;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    b = malloc((size_t)len + 1);
    if (b == NULL || fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* The copies in fixtures/forms are the shared ground truth, byte for byte. */
static void
test_copies_match_shared(void **state)
{
    static const char *const shared[] = {"../shared/forms", "../../shared/forms"};
    const char *dir = NULL;
    (void)state;

    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        if (access(shared[i], R_OK) == 0)
            dir = shared[i];
    if (dir == NULL)
        skip();
    for (size_t i = 0; i < N_FORMS; i++) {
        char a[256], b[256];
        size_t na = 0, nb = 0;
        snprintf(a, sizeof a, "%s/%s", fixdir, forms[i].file);
        snprintf(b, sizeof b, "%s/%s", dir, forms[i].file);
        char *x = slurp(a, &na), *y = slurp(b, &nb);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
    }
}

/* One file read as `check` reads it. */
struct inspected {
    struct dataset ds;
    struct header_map map;
    struct profile pf;
    struct diag d;
    sirecon_status st;
};

static void
inspect(struct inspected *x, const char *path, file_kind as)
{
    memset(x, 0, sizeof *x);
    profile_defaults(&x->pf);
    dataset_init(&x->ds);
    x->st = run_inspect_file(&x->ds, path, as, ENC_UNKNOWN, &x->pf, NULL, &x->map, &x->d);
}

static void
inspected_free(struct inspected *x)
{
    header_map_free(&x->map);
    dataset_free(&x->ds);
    profile_free(&x->pf);
}

static void
check_form_at(const struct expect *e, const char *path, file_kind as)
{
    struct inspected x;
    char name[128];

    inspect(&x, path, as);
    if (x.st != SIRECON_OK)
        fail_msg("%s: %s", e->file, x.d.msg);
    assert_int_equal(x.ds.files[0].kind, e->kind);
    assert_non_null(x.map.catalogued);
    assert_string_equal(forms_name(x.map.catalogued, name, sizeof name), e->form);
    assert_int_equal(x.map.nform_missing, 0);
    assert_int_equal(x.map.nform_added, 0);
    for (int f = 0; f < F_COUNT; f++) {
        if (x.map.col[f] + 1 != e->col[f])
            fail_msg("%s: %s read from column %d, the form says %d", e->file,
                     fields_name((field_id)f), x.map.col[f] + 1, e->col[f]);
        assert_int_equal(x.map.alt[f], -1);
        if (e->title[f] != NULL) {
            assert_non_null(x.map.title[f]);
            assert_string_equal(x.map.title[f], e->title[f]);
        }
    }
    assert_int_equal(x.ds.files[0].nunread, 0);
    assert_int_equal(x.ds.files[0].rejected, 0);
    assert_int_equal(x.ds.files[0].loaded, e->loaded);
    assert_int_equal(x.ds.files[0].read,
                     x.ds.files[0].loaded + x.ds.files[0].skipped + x.ds.files[0].rejected);
    if (e->schedule)
        assert_int_equal(x.map.schedule, e->schedule);
    inspected_free(&x);
}

static void
check_form(const struct expect *e, file_kind as)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s", fixdir, e->file);
    check_form_at(e, path, as);
}

static char tmpdir[128];

static const char *
tmp_path(const char *name)
{
    static char p[300];
    const char *t = getenv("TMPDIR");

    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "%s/test_forms.XXXXXX", t && *t ? t : "/tmp");
        assert_non_null(mkdtemp(tmpdir));
    }
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static void
write_file(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
}

/* Each form read as its kind, and with the kind guessed (`check`). */
static void
test_forms_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FORMS; i++) {
        if (i == IMPORT_SHEET)
            continue;
        check_form(&forms[i], forms[i].kind);
        check_form(&forms[i], KIND_COUNT);
    }
}

/* The import sheet names no employer: under its employer's tax code it
 * loads whole; under its own name every row lacks the employer. */
static void
test_import_sheet_named(void **state)
{
    char src[256];
    size_t n;
    (void)state;

    snprintf(src, sizeof src, "%s/%s", fixdir, forms[IMPORT_SHEET].file);
    char *text = slurp(src, &n);
    assert_non_null(text);
    const char *p = tmp_path("0185860735_D02-TS_TK1.csv");
    write_file(p, text, n);
    check_form_at(&forms[IMPORT_SHEET], p, KIND_SI);
    check_form_at(&forms[IMPORT_SHEET], p, KIND_COUNT);
    unlink(p);
    /* a name with a code whose check digit is wrong names no one */
    p = tmp_path("0185860736_D02-TS_TK1.csv");
    write_file(p, text, n);
    {
        struct inspected x;
        inspect(&x, p, KIND_SI);
        assert_int_equal(x.st, SIRECON_OK);
        assert_null(x.map.title[F_EMPLOYER_TAX_ID]);
        assert_int_equal(x.ds.files[0].loaded, 0);
        inspected_free(&x);
    }
    unlink(p);
    free(text);
}

/* ---- the catalogue's labels through mutations ---------------------------- */

enum { MUT_FOLD, MUT_UPPER, MUT_BREAK, MUT_SPACES, MUT_STAR, MUT_MARKER, MUT_COUNT };

/* One header cell mutated as clerks and exporters change labels. */
static char *
mutate(const char *s, size_t n, int how)
{
    char *out = calloc(4 * n + 16, 1);
    size_t k = 0;
    utf8proc_ssize_t i = 0;

    assert_non_null(out);
    if (how == MUT_MARKER)
        k += (size_t)sprintf(out, "[07] ");
    while (i < (utf8proc_ssize_t)n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)n - i, &c);
        assert_true(l > 0);
        if (how == MUT_FOLD) {
            utf8proc_uint8_t *m = NULL;
            if (c == 0x111 || c == 0x110) {
                out[k++] = c == 0x111 ? 'd' : 'D';
            } else {
                assert_true(utf8proc_map((const utf8proc_uint8_t *)s + i, l, &m,
                                         UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK) >= 0);
                k += (size_t)sprintf(out + k, "%s", (char *)m);
            }
            free(m);
        } else if (how == MUT_UPPER) {
            k += (size_t)utf8proc_encode_char(utf8proc_toupper(c), (utf8proc_uint8_t *)out + k);
        } else if (how == MUT_BREAK && c == ' ') {
            out[k++] = '\n';
            how = -1; /* the first space only */
        } else if (how == MUT_SPACES && c == ' ') {
            out[k++] = ' ';
            out[k++] = ' ';
        } else {
            memcpy(out + k, s + i, (size_t)l);
            k += (size_t)l;
        }
        i += l;
    }
    if (how == MUT_STAR)
        k += (size_t)sprintf(out + k, " (*)");
    out[k] = '\0';
    return out;
}

/* The text of a form with every header cell of lines lo..hi mutated, every
 * cell of those lines written quoted.  Lines hold no quoted line break. */
static char *
mutate_form(const char *text, long lo, long hi, int how)
{
    size_t n = strlen(text), cap = 8 * n + 64, k = 0;
    char *out = malloc(cap);
    long line = 1;
    const char *p = text;

    assert_non_null(out);
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t ln = e ? (size_t)(e - p) : strlen(p);
        if (line < lo || line > hi) {
            memcpy(out + k, p, ln);
            k += ln;
        } else {
            size_t i = 0;
            bool first = true;
            while (i <= ln) {
                char cell[2048];
                size_t cn = 0;
                if (i < ln && p[i] == '"') {
                    for (i++; i < ln; i++) {
                        if (p[i] == '"' && i + 1 < ln && p[i + 1] == '"')
                            cell[cn++] = p[i++];
                        else if (p[i] == '"')
                            break;
                        else
                            cell[cn++] = p[i];
                    }
                    i++;
                } else {
                    while (i < ln && p[i] != ',')
                        cell[cn++] = p[i++];
                }
                cell[cn] = '\0';
                char *m = cn > 0 ? mutate(cell, cn, how) : strdup("");
                if (!first)
                    out[k++] = ',';
                first = false;
                out[k++] = '"';
                for (char *q = m; *q; q++) {
                    if (*q == '"')
                        out[k++] = '"';
                    out[k++] = *q;
                }
                out[k++] = '"';
                free(m);
                i++; /* the comma */
            }
        }
        if (e)
            out[k++] = '\n';
        p += ln + (e ? 1 : 0);
        line++;
    }
    out[k] = '\0';
    return out;
}

/* No diacritics, upper case, a line break or double spaces inside, a
 * trailing "(*)", a leading "[07]": every numbered form still maps exactly. */
static void
test_label_mutations(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FORMS; i++) {
        char src[256];
        size_t n;
        long lo, hi;
        if (i == IMPORT_SHEET)
            continue;
        snprintf(src, sizeof src, "%s/%s", fixdir, forms[i].file);
        char *text = slurp(src, &n);
        assert_non_null(text);
        text[n] = '\0';
        {
            struct inspected x;
            inspect(&x, src, forms[i].kind);
            assert_int_equal(x.st, SIRECON_OK);
            lo = x.ds.files[0].header_first;
            hi = x.ds.files[0].header_last;
            inspected_free(&x);
        }
        for (int how = 0; how < MUT_COUNT; how++) {
            char *m = mutate_form(text, lo, hi, how);
            const char *p = tmp_path(forms[i].file);
            write_file(p, m, strlen(m));
            check_form_at(&forms[i], p, forms[i].kind);
            unlink(p);
            free(m);
        }
        free(text);
    }
}

/* Forms that are no evidence are refused by name. */
static void
test_refused_forms(void **state)
{
    static const struct {
        const char *text, *name;
        file_kind kind;
    } c[] = {
        {"BẢO HIỂM XÃ HỘI VIỆT NAM,,,,,Mẫu D03-TS\n"
         "DANH SÁCH NGƯỜI CHỈ THAM GIA BẢO HIỂM Y TẾ,,,,,\n"
         "STT,Họ và tên,Mã số BHXH,Ngày sinh,Số CCCD,Từ tháng\n"
         "1,Nguyễn Văn An,3401234567,15/03/1985,034085001111,01/2025\n",
         "D03-TS", KIND_SI},
        {",,,,Danh sách người chỉ tham gia BHYT,\n"
         "STT,Họ và tên,Mã số BHXH,Ngày sinh,Số CCCD,Từ tháng\n"
         "1,Nguyễn Văn An,3401234567,15/03/1985,034085001111,01/2025\n",
         "D03-TS", KIND_SI},
        {",,,,Mẫu số: 05-3/BK-QTT-TNCN,\n"
         "[05] Mã số thuế: 0100233488,,,,,\n"
         "STT,Họ và tên,Mã số thuế,Số CMND/CCCD/Hộ chiếu,Thu nhập chịu thuế,Bảo hiểm được trừ\n"
         "1,Nguyễn Văn An,8012345678,,120000000,0\n",
         "05-3/BK-QTT-TNCN", KIND_TAX},
    };
    (void)state;
    /* a list whose title also names TK1-TS is read, not refused */
    {
        static const char ok[] =
            ",,,,Mẫu D02-TS (kèm Mẫu TK1-TS),\n"
            "Mã số thuế: 0100233488,,,,,\n"
            "STT,Họ và tên,Mã số BHXH,Ngày sinh,Số CCCD,Từ tháng\n"
            "1,Nguyễn Văn An,3401234567,15/03/1985,034085001111,01/2025\n";
        struct inspected x;
        const char *p = tmp_path("d02ts.csv");
        write_file(p, ok, strlen(ok));
        inspect(&x, p, KIND_SI);
        assert_int_equal(x.st, SIRECON_OK);
        assert_int_equal(x.ds.files[0].loaded, 1);
        inspected_free(&x);
        unlink(p);
    }
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        for (int guess = 0; guess < 2; guess++) {
            struct inspected x;
            const char *p = tmp_path("refused.csv");
            write_file(p, c[i].text, strlen(c[i].text));
            inspect(&x, p, guess ? KIND_COUNT : c[i].kind);
            assert_int_equal(x.st, SIRECON_ERR_DATA);
            assert_non_null(strstr(x.d.msg, c[i].name));
            assert_int_equal(x.ds.files[0].loaded, 0);
            inspected_free(&x);
            unlink(p);
        }
    }
}

static int
group_teardown(void **state)
{
    (void)state;
    if (tmpdir[0])
        rmdir(tmpdir);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_match_shared),
        cmocka_unit_test(test_forms_exact),
        cmocka_unit_test(test_import_sheet_named),
        cmocka_unit_test(test_label_mutations),
        cmocka_unit_test(test_refused_forms),
    };
    return cmocka_run_group_tests_name("forms", tests, group_setup, group_teardown);
}
