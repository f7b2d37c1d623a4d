/*
 * test_profile.c - built-in defaults, INI overrides, aliases, errors with
 * their line numbers, the write/load round trip and the profile hash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "sirecon/profile.h"

/* STATIC helpers of profile.c */
int profile_parse_fraction(const char *s, double *out);
int profile_parse_int(const char *s, int64_t *out);
void profile_format_fraction(double x, char *buf, size_t bufsz);

/* Write text to a fresh temporary file; the caller unlinks path. */
static void
tmp_write(char path[64], const char *text)
{
    FILE *f;
    int fd;

    snprintf(path, 64, "/tmp/test_profile.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *
write_text(const struct profile *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    profile_write(p, f);
    assert_int_equal(fclose(f), 0);
    return text;
}

/* Load text on top of the defaults. */
static sirecon_status
load_text(struct profile *p, const char *text, struct diag *d)
{
    char path[64];
    sirecon_status st;

    profile_defaults(p);
    tmp_write(path, text);
    st = profile_load(p, path, d);
    unlink(path);
    return st;
}

static void
test_defaults(void **state)
{
    struct profile p;

    profile_defaults(&p);
    assert_string_equal(p.name, "vietnam-2026");
    assert_true(p.employer_rate == 0.215);
    assert_true(p.employee_rate == 0.105);
    assert_int_equal(p.base_cap, 46800000);
    assert_int_equal(p.min_wage[0], 5310000);
    assert_int_equal(p.min_wage[1], 4730000);
    assert_int_equal(p.min_wage[2], 4140000);
    assert_int_equal(p.min_wage[3], 3700000);
    assert_true(p.low_base_ratio == 0.5);
    assert_int_equal(p.retire_male_months, 738);
    assert_int_equal(p.retire_female_months, 684);
    assert_int_equal(p.naliases, 0);
    profile_free(&p);
}

static void
test_override(void **state)
{
    static const char text[] =
        "; a local profile\n"
        "[profile]\n"
        "name = thai-binh 2025\n"
        "[rates]\n"
        "employer = 0.22\n"
        "[base]\n"
        "min_wage_2 = 4410000\n"
        "cap=40000000\n"
        "[review]\n"
        "retire_female_months = 680\n"
        "low_base_ratio = .4\n"
        "[aliases.tax]\n"
        "full_name = H\xe1\xbb\x8d t\xc3\xaan NLD |  Ten nhan vien | | \n"
        "full_name = Ten nhan vien | Ho ten 2\n"
        "[aliases.si]\n"
        "si_number = So so\n"
        "  So BHXH cu\n";
    static const struct {
        file_kind kind;
        field_id field;
        const char *label;
    } want[] = {
        {KIND_TAX, F_FULL_NAME, "H\xe1\xbb\x8d t\xc3\xaan NLD"},
        {KIND_TAX, F_FULL_NAME, "Ten nhan vien"},
        {KIND_TAX, F_FULL_NAME, "Ho ten 2"}, /* repeated key appends, dedup */
        {KIND_SI, F_SI_NUMBER, "So so"},
        {KIND_SI, F_SI_NUMBER, "So BHXH cu"}, /* continuation line */
    };
    struct profile p;
    struct diag d;
    size_t i;

    assert_int_equal(load_text(&p, text, &d), SIRECON_OK);
    assert_string_equal(p.name, "thai-binh 2025");
    assert_true(p.employer_rate == 0.22);
    assert_true(p.employee_rate == 0.105); /* untouched */
    assert_int_equal(p.base_cap, 40000000);
    assert_int_equal(p.min_wage[0], 5310000);
    assert_int_equal(p.min_wage[1], 4410000);
    assert_true(p.low_base_ratio == 0.4);
    assert_int_equal(p.retire_male_months, 738);
    assert_int_equal(p.retire_female_months, 680);
    assert_int_equal(p.naliases, sizeof want / sizeof want[0]);
    for (i = 0; i < p.naliases; i++) {
        assert_int_equal(p.aliases[i].kind, want[i].kind);
        assert_int_equal(p.aliases[i].field, want[i].field);
        assert_string_equal(p.aliases[i].label, want[i].label);
    }
    profile_free(&p);
    assert_int_equal(p.naliases, 0);
}

static void
test_errors(void **state)
{
    static const struct {
        const char *text;
        long line;
        const char *msg; /* a part of the message */
    } t[] = {
        {"[rates]\nemployer = 0.2\nfoo = 1\n", 3, "unknown key 'foo'"},
        {"[profile]\nname = x\n\n[nope]\na = 1\n", 5, "unknown section [nope]"},
        {"name = x\n", 1, "outside any section"},
        {"[rates]\nemployee = 0,105\n", 2, "not a number"},
        {"[rates]\nemployer = 21.5\n", 2, "outside [0, 1]"},
        {"[rates]\nemployer = 1.5\n", 2, "outside [0, 1]"},
        {"[rates]\nemployer = -0.1\n", 2, "negative"},
        {"[review]\nlow_base_ratio = 2\n", 2, "outside [0, 1]"},
        {"[base]\ncap = -5\n", 2, "negative amount"},
        {"[base]\n\nmin_wage_3 = 4.140.000\n", 3, "not a whole number"},
        {"[base]\nmin_wage_5 = 1\n", 2, "unknown key 'min_wage_5'"},
        {"[base]\ncap = \n", 2, "not a whole number"},
        {"[review]\nretire_male_months = 61y\n", 2, "not an age"},
        {"[aliases.tax]\nfull_name = a\nsalary = b\n", 3, "not a column of tax"},
        {"[aliases.si]\nnickname = b\n", 2, "unknown field 'nickname'"},
        {"[aliases.payroll]\nfull_name = b\n", 2, "unknown section [aliases.payroll]"},
        {"[rates]\nemployer 0.2\n", 2, "not a '[section]'"},
        /* the first error wins: a syntax error before a bad value ... */
        {"[rates]\nbroken\nemployer = 7\n", 2, "not a '[section]'"},
        /* ... and a bad value before a syntax error */
        {"[rates]\nemployer = 7\nbroken\n", 2, "outside [0, 1]"},
        /* values that parse but make no sense together (line 0: the file) */
        {"[base]\ncap = 0\n", 0, "cap must be above 0"},
        {"[base]\nmin_wage_1 = 50000000\n", 0, "min_wage_1 must be above 0 and not above cap"},
        {"[rates]\nemployer = 0\nemployee = 0\n", 0, "both 0"},
    };
    struct profile p;
    struct diag d;
    size_t i;

    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        memset(&d, 0, sizeof d);
        assert_int_equal(load_text(&p, t[i].text, &d), SIRECON_ERR_DATA);
        assert_int_equal(d.line, t[i].line);
        assert_non_null(strstr(d.msg, t[i].msg));
        assert_non_null(strstr(d.file, "/tmp/test_profile."));
        profile_free(&p);
    }
}

static void
test_long_line(void **state)
{
    char text[1024];
    struct profile p;
    struct diag d;
    size_t n;

    n = (size_t)snprintf(text, sizeof text, "[aliases.tax]\nfull_name = ");
    memset(text + n, 'x', 400);
    snprintf(text + n + 400, sizeof text - n - 400, "\n[rates]\nemployer = 0.2\n");
    assert_int_equal(load_text(&p, text, &d), SIRECON_ERR_DATA);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "line longer than"));
    assert_int_equal(p.naliases, 0); /* not split into two lines */
    profile_free(&p);
}

static void
test_missing_file(void **state)
{
    struct profile p;
    struct diag d;

    profile_defaults(&p);
    assert_int_equal(profile_load(&p, "/nonexistent/dir/profile.ini", &d),
                     SIRECON_ERR_NOINPUT);
    assert_string_equal(d.file, "/nonexistent/dir/profile.ini");
    assert_int_equal(d.line, 0);
    profile_free(&p);
}

static void
test_round_trip(void **state)
{
    struct profile p, q;
    struct diag d;
    char *a, *b, *c;
    char label[32];
    int i;

    profile_defaults(&p);
    /* values that a naive %.4f or %g would not keep */
    p.employer_rate = 0.21537;
    p.employee_rate = 0.1;
    p.low_base_ratio = 0.333333333333333;
    p.base_cap = 999999999999LL;
    snprintf(p.name, sizeof p.name, "round trip");
    p.aliases = calloc(40, sizeof *p.aliases);
    for (i = 0; i < 30; i++) { /* long enough to need several lines */
        snprintf(label, sizeof label, "Ho va ten %02d", i);
        p.aliases[p.naliases].kind = KIND_TAX;
        p.aliases[p.naliases].field = F_FULL_NAME;
        p.aliases[p.naliases++].label = strdup(label);
    }
    p.aliases[p.naliases].kind = KIND_IDENTITIES;
    p.aliases[p.naliases].field = F_CMND;
    p.aliases[p.naliases++].label = strdup("S\xe1\xbb\x91 CMND c\xc5\xa9");

    a = write_text(&p);
    assert_int_equal(load_text(&q, a, &d), SIRECON_OK);
    assert_true(q.employer_rate == p.employer_rate);
    assert_true(q.employee_rate == p.employee_rate);
    assert_true(q.low_base_ratio == p.low_base_ratio);
    assert_int_equal(q.base_cap, p.base_cap);
    assert_int_equal(q.naliases, p.naliases);
    b = write_text(&q);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "employer = 0.21537\n"));
    assert_non_null(strstr(a, "employee = 0.1\n"));
    assert_non_null(strstr(a, "cap = 999999999999\n"));
    assert_non_null(strstr(a, "[aliases.si]\n"));
    assert_non_null(strstr(a, "cmnd = S\xe1\xbb\x91 CMND c\xc5\xa9\n"));

    /* defaults round trip too */
    profile_free(&q);
    profile_defaults(&q);
    c = write_text(&q);
    assert_non_null(strstr(c, "employer = 0.215\nemployee = 0.105\n"));
    assert_non_null(strstr(c, "low_base_ratio = 0.5\n"));
    assert_non_null(strstr(c, "min_wage_4 = 3700000\n"));
    assert_non_null(strstr(c, "retire_male_months = 738\n"));
    free(b);
    assert_int_equal(load_text(&q, c, &d), SIRECON_OK);
    b = write_text(&q);
    assert_string_equal(b, c);

    free(a);
    free(b);
    free(c);
    profile_free(&p);
    profile_free(&q);
}

static void
test_numbers(void **state)
{
    static const struct {
        const char *in;
        int ok;
        double v;
    } f[] = {
        {"0.215", 1, 0.215}, {".5", 1, 0.5}, {"1", 1, 1.0}, {"1.", 1, 1.0},
        {"0.05", 1, 0.05}, {"0", 1, 0.0}, {"0.333333333333333", 1, 0.333333333333333},
        {"", 0, 0}, {".", 0, 0}, {"0,5", 0, 0}, {"1e-3", 0, 0}, {"0.2.1", 0, 0},
        {" 0.2", 0, 0}, {"5%", 0, 0},
    };
    static const struct {
        double v;
        const char *out;
    } w[] = {
        {0.215, "0.215"}, {0.105, "0.105"}, {0.5, "0.5"}, {0.0, "0"}, {1.0, "1"},
        {0.1, "0.1"}, {0.21537, "0.21537"}, {0.05, "0.05"},
    };
    char buf[64];
    double v;
    int64_t n;
    size_t i;

    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
        assert_int_equal(profile_parse_fraction(f[i].in, &v) == 0, f[i].ok);
        if (f[i].ok)
            assert_true(v == f[i].v);
    }
    for (i = 0; i < sizeof w / sizeof w[0]; i++) {
        profile_format_fraction(w[i].v, buf, sizeof buf);
        assert_string_equal(buf, w[i].out);
    }
    assert_int_equal(profile_parse_int("46800000", &n), 0);
    assert_int_equal(n, 46800000);
    assert_int_equal(profile_parse_int("46,800,000", &n), -1);
    assert_int_equal(profile_parse_int("1234567890123456789", &n), -1); /* 19 digits */
    assert_int_equal(profile_parse_int("", &n), -1);
}

/* A comma-decimal LC_NUMERIC must not change the text (skipped when no such
 * locale is installed). */
static void
test_locale(void **state)
{
    struct profile p;
    char *a, *b;
    char h1[65], h2[65];

    profile_defaults(&p);
    a = write_text(&p);
    profile_hash(&p, h1);
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL &&
        setlocale(LC_NUMERIC, "vi_VN.UTF-8") == NULL &&
        setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL) {
        free(a);
        skip();
    }
    b = write_text(&p);
    profile_hash(&p, h2);
    setlocale(LC_NUMERIC, "C");
    assert_string_equal(a, b);
    assert_string_equal(h1, h2);
    free(a);
    free(b);
}

static void
test_hash(void **state)
{
    struct profile p;
    char h0[65], h1[65], h2[65], h3[65];
    size_t i;

    profile_defaults(&p);
    profile_hash(&p, h0);
    assert_int_equal(strlen(h0), 64);
    for (i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", h0[i]));
    profile_hash(&p, h1);
    assert_string_equal(h0, h1); /* deterministic */

    p.min_wage[3] = 3700001;
    profile_hash(&p, h2);
    assert_string_not_equal(h0, h2);

    p.min_wage[3] = 3700000;
    p.aliases = calloc(1, sizeof *p.aliases);
    p.aliases[0].kind = KIND_SI;
    p.aliases[0].field = F_SALARY;
    p.aliases[0].label = strdup("Luong");
    p.naliases = 1;
    profile_hash(&p, h3);
    assert_string_not_equal(h0, h3);
    profile_free(&p);

    /* the digest of exactly profile_write's text: compare with sha256sum */
    {
        char path[64], cmd[128], line[128];
        char *text;
        FILE *f;

        profile_defaults(&p);
        text = write_text(&p);
        tmp_write(path, text);
        snprintf(cmd, sizeof cmd, "sha256sum %s 2>/dev/null", path);
        f = popen(cmd, "r");
        if (f != NULL && fgets(line, sizeof line, f) != NULL) {
            line[64] = '\0';
            assert_string_equal(line, h0);
        }
        if (f != NULL)
            pclose(f);
        unlink(path);
        free(text);
    }
}

/* The notices' heading and request text: [office] and [notice]. */
static void
test_office_notice(void **state)
{
    static const char text[] =
        "[office]\nname = BHXH tỉnh Hưng Yên\naddress = Số 1 Lê Lợi\n"
        "[notice]\nrequest = Đề nghị đơn vị đăng ký bổ sung.\n";
    struct profile p;
    struct diag d;
    char *out = NULL;
    size_t n = 0;
    FILE *f;

    (void)state;
    assert_int_equal(load_text(&p, text, &d), SIRECON_OK);
    assert_string_equal(p.office_name, "BHXH tỉnh Hưng Yên");
    assert_string_equal(p.office_address, "Số 1 Lê Lợi");
    assert_string_equal(p.notice_request, "Đề nghị đơn vị đăng ký bổ sung.");
    f = open_memstream(&out, &n);
    profile_write(&p, f);
    fclose(f);
    assert_non_null(strstr(out, "[office]\nname = BHXH tỉnh Hưng Yên\naddress = Số 1 Lê Lợi\n"));
    assert_non_null(strstr(out, "[notice]\nrequest = Đề nghị đơn vị đăng ký bổ sung.\n"));
    free(out);
    profile_free(&p);
    assert_int_equal(load_text(&p, "[office]\nphone = 1\n", &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "unknown key 'phone' in [office]"));
    profile_free(&p);
    assert_int_equal(load_text(&p, "[notice]\ntitle = x\n", &d), SIRECON_ERR_DATA);
    profile_free(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_locale),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_office_notice),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
