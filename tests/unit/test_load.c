/*
 * test_load.c - load_file() on small canonical-header files written here:
 * normalized tax values and their flags, the row accounting invariant
 * (read == loaded + skipped + rejected) on a file with every kind of bad row
 * (both while the header is still being looked for and after it, when rows
 * stream; stray quote, quote at EOF and a 64 KiB field included), rejects
 * with file index, line, reason, column and detail, SI spans,
 * registry wage regions, the identities crosswalk, a missing column, a
 * missing file, and load_resolve_units().  Employer 0100233488 has a valid
 * check digit; personal IDs are made up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sirecon/load.h"
#include "sirecon/table.h"
#include "sirecon/ids.h"
#include "idt.h"

#define EMP "0100233488"
#define CCCD "034085001111"
#define YM(y, m) ((y) * 12 + (m) - 1)

static char root[256];

/* ---- fixtures ----------------------------------------------------------- */

struct fx {
    struct dataset ds;
    struct load_opts o;
    struct diag d;
};

static int
setup(void **state)
{
    const char *t = getenv("TMPDIR");
    struct fx *f = calloc(1, sizeof *f);

    snprintf(root, sizeof root, "%s/test_load.XXXXXX", t && *t ? t : "/tmp");
    if (f == NULL || mkdtemp(root) == NULL)
        return -1;
    dataset_init(&f->ds);
    f->o.encoding = ENC_UNKNOWN;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    DIR *d = opendir(root);
    struct dirent *e;
    char p[600];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", root, e->d_name);
        unlink(p);
    }
    if (d != NULL)
        closedir(d);
    rmdir(root);
    dataset_free(&f->ds);
    free(f);
    return 0;
}

/* Write text to root/name; the path stays valid until the next call but one. */
static const char *
write_file(const char *name, const char *text)
{
    static char p[2][512];
    static int k;
    FILE *f;

    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%s", root, name);
    f = fopen(p[k], "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    return p[k];
}

static sirecon_status
load(struct fx *f, const char *name, const char *text, file_kind kind)
{
    memset(&f->d, 0, sizeof f->d);
    return load_file(&f->ds, write_file(name, text), kind, &f->o, &f->d);
}

static void
assert_accounts(const struct input_file *in)
{
    assert_int_equal(in->read, in->loaded + in->skipped + in->rejected);
}

/* The reject of file fi at line, or NULL. */
static const struct reject *
reject_at(const struct dataset *ds, uint32_t fi, uint32_t line)
{
    for (size_t i = 0; i < ds->nrejects; i++)
        if (ds->rejects[i].file == fi && ds->rejects[i].line == line)
            return &ds->rejects[i];
    return NULL;
}

static void
assert_reject(const struct dataset *ds, uint32_t fi, uint32_t line,
              const char *reason, const char *column)
{
    const struct reject *r = reject_at(ds, fi, line);

    if (r == NULL)
        fail_msg("no reject at file %u line %u (want %s)", fi, line, reason);
    assert_string_equal(r->reason, reason);
    assert_string_equal(r->column, column);
}

/* ---- tax ---------------------------------------------------------------- */

static void
test_tax_values(void **state)
{
    struct fx *f = *state;
    const struct tax_rec *t;
    const struct input_file *in;

    assert_int_equal(
        load(f, "tax.csv",
             "employer_tax_id,employer_name,full_name,employee_tax_id,id_number,"
             "tax_year,taxable_income,insurance_deduction,schedule\n"
             EMP ",Công ty A,Nguyễn Văn An,,34085001111,2025,12.345.678,1.000.000,05-2\n"
             EMP ",Công ty A,Trần Thị Bình,,3.41E+11,2025,\"12,000,000\",,05-1\n"
             "'" EMP ",, Lê  Văn Cường ,'" CCCD ",,2025,12 345 678,,\n",
             KIND_TAX),
        SIRECON_OK);
    in = &f->ds.files[0];
    assert_int_equal(f->ds.nfiles, 1);
    assert_int_equal(in->kind, KIND_TAX);
    assert_string_equal(in->encoding, "UTF-8");
    assert_int_equal(in->delimiter, ',');
    assert_int_equal(in->header_first, 1);
    assert_int_equal(in->header_last, 1);
    assert_int_equal(in->read, 3);
    assert_int_equal(in->loaded, 3);
    assert_int_equal(in->rejected, 0);
    assert_int_equal(in->id_restored, 1);
    assert_int_equal(in->id_corrupted, 1);
    assert_int_equal(f->ds.ntax, 3);

    /* An 11-digit CCCD gets its leading zero back. */
    t = &f->ds.tax[0];
    assert_string_equal(t->emp, EMP);
    assert_string_equal(t->emp_name, "Công ty A");
    assert_string_equal(t->name->full, "Nguyễn Văn An");
    assert_string_equal(idt(ids_get(&t->ids, IDK_PERSONAL)), CCCD);
    assert_int_equal(t->pid_kind, IDK_PERSONAL);
    assert_true(t->flags & RF_LEADING_ZERO_RESTORED);
    assert_false(t->flags & RF_ID_CORRUPTED);
    assert_int_equal(t->taxable_income, 12345678);
    assert_int_equal(t->insurance_deduction, 1000000);
    assert_int_equal(t->tax_year, 2025);
    assert_int_equal(t->schedule, 2);
    assert_int_equal(t->file, 0);
    assert_int_equal(t->line, 2);

    /* Scientific notation: no ID, flagged, row kept. */
    t = &f->ds.tax[1];
    for (int k = 0; k < IDK_COUNT; k++)
        assert_int_equal(ids_get(&t->ids, k), 0);
    assert_int_equal(t->pid_kind, IDK_NONE);
    assert_true(t->flags & RF_ID_CORRUPTED);
    assert_false(t->flags & RF_LEADING_ZERO_RESTORED);
    assert_int_equal(t->taxable_income, 12000000);
    assert_int_equal(t->schedule, 1);
    assert_int_equal(t->line, 3);

    /* Apostrophes, spaces, a 12-digit ID in the tax-code column. */
    t = &f->ds.tax[2];
    assert_string_equal(t->emp, EMP);
    assert_string_equal(t->emp_name, "");
    assert_string_equal(t->name->full, "Lê  Văn Cường");
    assert_string_equal(idt(ids_get(&t->ids, IDK_PERSONAL)), CCCD);
    assert_int_equal(t->flags & (RF_LEADING_ZERO_RESTORED | RF_ID_CORRUPTED), 0);
    assert_int_equal(t->taxable_income, 12345678);
    assert_int_equal(t->schedule, 1); /* default 05-1 */
    assert_int_equal(t->line, 4);
    assert_accounts(in);
}

/* The accounting invariant on every kind of bad row, lines and columns. */
static const char bad_tax[] =
    "employer_tax_id,full_name,id_number,tax_year,taxable_income\n" /* 1 header */
    EMP ",An," CCCD ",2025,1000\n"                                  /* 2 loaded */
    "\n"                                                            /* 3 blank */
    EMP ",Bình," CCCD ",2025\n"                                     /* 4 ragged */
    EMP ",Cường," CCCD ",2025,1.23.456\n"                           /* 5 grouping */
    EMP ",Dũng," CCCD ",2025,-5000\t\n"                             /* 6 negative */
    EMP ",," CCCD ",2025,1000\n"                                    /* 7 no name */
    EMP ",Em," CCCD ",2025,1000,,\n"                                /* 8 empty extras: ok */
    EMP ",Ph\"ú," CCCD ",2025,1000\n"                              /* 9 stray quote */
    EMP ",Giang," CCCD ",2025,\"1000\n"                             /* 10 open quote */
    "to EOF\n";                                                     /* 11 */

static void
check_bad_tax(struct fx *f, uint32_t fi)
{
    const struct input_file *in = &f->ds.files[fi];

    assert_int_equal(in->read, 9);
    assert_int_equal(in->loaded, 2);
    assert_int_equal(in->skipped, 1);
    assert_int_equal(in->skipped_by[ROW_BLANK], 1);
    assert_int_equal(in->rejected, 6);
    assert_accounts(in);
    assert_reject(&f->ds, fi, 4, "WRONG_FIELD_COUNT", "");
    assert_reject(&f->ds, fi, 5, "BAD_GROUPING", "taxable_income");
    assert_reject(&f->ds, fi, 6, "NEGATIVE_AMOUNT", "taxable_income");
    assert_reject(&f->ds, fi, 7, "MISSING_NAME", "full_name");
    assert_reject(&f->ds, fi, 9, "MALFORMED_QUOTE", "");
    assert_reject(&f->ds, fi, 10, "UNTERMINATED_QUOTE", "");
    /* The detail quotes the trimmed value only (not the tab after it). */
    assert_string_equal(reject_at(&f->ds, fi, 6)->detail, "negative amount \"-5000\"");
    assert_string_equal(reject_at(&f->ds, fi, 5)->detail,
                        "inconsistent thousands grouping \"1.23.456\"");
    assert_null(reject_at(&f->ds, fi, 2));
    assert_null(reject_at(&f->ds, fi, 3));
    assert_null(reject_at(&f->ds, fi, 8));
    /* Reject details never carry the personal ID. */
    for (size_t i = 0; i < f->ds.nrejects; i++)
        assert_null(strstr(f->ds.rejects[i].detail, CCCD));
}

static void
test_tax_accounting(void **state)
{
    struct fx *f = *state;

    assert_int_equal(load(f, "bad.csv", bad_tax, KIND_TAX), SIRECON_OK);
    check_bad_tax(f, 0);
    assert_int_equal(f->ds.ntax, 2);
    assert_int_equal(f->ds.tax[0].line, 2);
    assert_int_equal(f->ds.tax[1].line, 8);

    /* A second file: its rejects carry file index 1. */
    assert_int_equal(load(f, "bad2.csv", bad_tax, KIND_TAX), SIRECON_OK);
    assert_int_equal(f->ds.nfiles, 2);
    check_bad_tax(f, 1);
    assert_int_equal(f->ds.nrejects, 12);
    assert_int_equal(f->ds.ntax, 4);
    assert_int_equal(f->ds.tax[2].file, 1);
}

/* More rows than the header scan holds back: rows after HEADER_SCAN_ROWS
 * stream straight through data_row(); the counts must agree. */
static void
test_tax_streaming(void **state)
{
    struct fx *f = *state;
    size_t cap = 256 * 1024, n = 0;
    char *t = malloc(cap);
    char *big = malloc(TABLE_MAX_FIELD + 2);
    const struct input_file *in;
    int lines = 1;

    assert_non_null(t);
    assert_non_null(big);
    memset(big, 'x', TABLE_MAX_FIELD + 1);
    big[TABLE_MAX_FIELD + 1] = '\0';
    n += (size_t)snprintf(t + n, cap - n,
                          "employer_tax_id;full_name;id_number;tax_year;taxable_income\r\n");
    for (int i = 0; i < 100; i++) {
        lines++;
        if (lines == 70)
            n += (size_t)snprintf(t + n, cap - n, "\r\n");
        else if (lines == 80)
            n += (size_t)snprintf(t + n, cap - n, EMP ";X;" CCCD ";2025;1.2.3\r\n");
        else if (lines == 75)
            n += (size_t)snprintf(t + n, cap - n, EMP ";%s;" CCCD ";2025;1\r\n", big);
        else if (lines == 85)
            n += (size_t)snprintf(t + n, cap - n, EMP ";X\"Y;" CCCD ";2025;1\r\n");
        else if (lines == 90)
            n += (size_t)snprintf(t + n, cap - n, EMP ";X;" CCCD ";2025\r\n");
        else if (lines == 95) /* a quoted name over two lines */
            n += (size_t)snprintf(t + n, cap - n,
                                  EMP ";\"Họ\r\nTên\";" CCCD ";2025;1.000\r\n");
        else
            n += (size_t)snprintf(t + n, cap - n, EMP ";Người %d;" CCCD ";2025;%d.000\r\n",
                                  lines, lines);
    }
    assert_int_equal(load(f, "long.csv", t, KIND_TAX), SIRECON_OK);
    in = &f->ds.files[0];
    assert_int_equal(in->delimiter, ';');
    assert_int_equal(in->read, 100);
    assert_int_equal(in->skipped, 1);
    assert_int_equal(in->rejected, 4);
    assert_int_equal(in->loaded, 95);
    assert_accounts(in);
    assert_reject(&f->ds, 0, 75, "FIELD_TOO_LONG", "");
    assert_reject(&f->ds, 0, 85, "MALFORMED_QUOTE", "");
    assert_reject(&f->ds, 0, 80, "BAD_GROUPING", "taxable_income");
    assert_reject(&f->ds, 0, 90, "WRONG_FIELD_COUNT", "");
    /* Line numbers stay right past the two-line row. */
    const struct tax_rec *last = &f->ds.tax[f->ds.ntax - 1];
    assert_int_equal(last->line, 102);
    assert_int_equal(last->taxable_income, 101000);
    assert_string_equal(f->ds.tax[f->ds.ntax - 7].name->full, "Họ\r\nTên");
    assert_int_equal(f->ds.tax[f->ds.ntax - 7].line, 95);
    free(big);
    free(t);
}

static void
test_tax_kind_guessed(void **state)
{
    struct fx *f = *state;

    assert_int_equal(load(f, "guess.csv",
                          "\xEF\xBB\xBF" "employer_tax_id,full_name,id_number,"
                          "tax_year,taxable_income\r\n"
                          EMP ",An," CCCD ",2025,1000\r\n",
                          KIND_COUNT),
                     SIRECON_OK);
    assert_int_equal(f->ds.files[0].kind, KIND_TAX);
    assert_string_equal(f->ds.files[0].encoding, "UTF-8-BOM");
    assert_int_equal(f->ds.ntax, 1);
    /* The BOM did not end up in the first header cell: the column was found. */
    assert_string_equal(f->ds.tax[0].emp, EMP);
}

static void
test_missing_column(void **state)
{
    struct fx *f = *state;

    assert_int_equal(load(f, "nocol.csv",
                          "employer_tax_id,full_name,id_number,tax_year\n"
                          EMP ",An," CCCD ",2025\n",
                          KIND_TAX),
                     SIRECON_ERR_DATA);
    assert_non_null(strstr(f->d.msg, "taxable_income"));
    assert_non_null(strstr(f->d.file, "nocol.csv"));
    assert_int_equal(f->ds.nfiles, 1);
    assert_int_equal(f->ds.ntax, 0);
}

static void
test_missing_file(void **state)
{
    struct fx *f = *state;
    char p[512];

    snprintf(p, sizeof p, "%s/absent.csv", root);
    memset(&f->d, 0, sizeof f->d);
    assert_int_equal(load_file(&f->ds, p, KIND_TAX, &f->o, &f->d), SIRECON_ERR_NOINPUT);
    assert_int_equal(f->ds.nfiles, 1);
    assert_string_equal(f->ds.files[0].path, p);
    assert_int_equal(f->ds.files[0].kind, KIND_TAX);
    assert_int_equal(f->ds.files[0].read, 0);
    assert_string_equal(f->d.file, p);
}

static void
test_empty_file(void **state)
{
    struct fx *f = *state;

    /* an empty file is said (the caller warns), not fatal: a folder of
     * exports may hold one */
    assert_int_equal(load(f, "empty.csv", "", KIND_TAX), SIRECON_OK);
    assert_int_equal(f->ds.nfiles, 1);
    assert_true(f->ds.files[0].empty);
    assert_int_equal(f->ds.files[0].read, 0);
    assert_int_equal(load(f, "one.csv", "employer_tax_id,full_name\n", KIND_TAX),
                     SIRECON_ERR_DATA); /* a header alone is no empty file */
    assert_false(f->ds.files[1].empty);
}

/* ---- SI ------------------------------------------------------------------ */

static const char si_text[] =
    "employer_tax_id,unit_code,full_name,si_number,id_number,from_month,to_month\n"
    EMP ",TA0001,An,0123456789," CCCD ",01/2025,06/2025\n" /* 2 */
    EMP ",TA0001,Bình,," CCCD ",2025-03,\n"                 /* 3 open */
    EMP ",TA0001,Cường,," CCCD ",06/2025,01/2025\n"         /* 4 BAD_SPAN */
    ",TA0001,Dũng,," CCCD ",01/2025,\n"                      /* 5 unit in registry */
    ",ZZ9999,Em,," CCCD ",01/2025,\n"                        /* 6 unknown unit */
    "," EMP ",Giang,," CCCD ",01/2025,\n"                    /* 7 unit = tax code */
    EMP ",,Hà,," CCCD ",,\n"                                 /* 8 no from month */
    EMP ",,Hà,," CCCD ",13/2025,\n";                         /* 9 bad month */

static void
test_si(void **state)
{
    struct fx *f = *state;
    const struct input_file *in;
    const struct si_rec *s;

    assert_int_equal(load(f, "si.csv", si_text, KIND_SI), SIRECON_OK);
    in = &f->ds.files[0];
    assert_int_equal(in->read, 8);
    assert_int_equal(in->loaded, 5);
    assert_int_equal(in->rejected, 3);
    assert_accounts(in);
    assert_reject(&f->ds, 0, 4, "BAD_SPAN", "to_month");
    assert_reject(&f->ds, 0, 8, "MISSING_VALUE", "from_month");
    assert_reject(&f->ds, 0, 9, "BAD_MONTH", "from_month");

    s = &f->ds.si[0];
    assert_string_equal(s->emp, EMP);
    assert_string_equal(s->unit_code, "TA0001");
    assert_string_equal(idt(ids_get(&s->ids, IDK_SI)), "0123456789");
    assert_string_equal(idt(ids_get(&s->ids, IDK_PERSONAL)), CCCD);
    assert_int_equal(s->from_month, YM(2025, 1));
    assert_int_equal(s->to_month, YM(2025, 6));
    assert_int_equal(s->line, 2);
    s = &f->ds.si[1];
    assert_int_equal(s->from_month, YM(2025, 3));
    assert_int_equal(s->to_month, MONTH_OPEN);
    /* Rows with only a unit code wait for load_resolve_units(). */
    assert_null(f->ds.si[2].emp);
    assert_string_equal(f->ds.si[2].unit_code, "TA0001");
    assert_null(f->ds.si[3].emp);
    assert_null(f->ds.si[4].emp);
}

static void
test_resolve_units(void **state)
{
    struct fx *f = *state;
    const struct input_file *in;

    assert_int_equal(load(f, "si.csv", si_text, KIND_SI), SIRECON_OK);
    assert_int_equal(load(f, "reg.csv",
                          "employer_tax_id,employer_name,unit_code,wage_region\n"
                          "0300588569,Công ty B,TB0002,Vùng I\n"
                          EMP ",Công ty A,TA0001,Vùng II\n",
                          KIND_EMPLOYERS),
                     SIRECON_OK);
    assert_int_equal(f->ds.nsi, 5);
    size_t before = f->ds.nrejects;

    assert_int_equal(load_resolve_units(&f->ds), 1);
    in = &f->ds.files[0];
    assert_int_equal(f->ds.nsi, 4);
    assert_int_equal(in->loaded, 4);
    assert_int_equal(in->rejected, 4);
    assert_accounts(in);
    assert_int_equal(f->ds.nrejects, before + 1);
    assert_reject(&f->ds, 0, 6, "UNKNOWN_UNIT_CODE", "unit_code");
    for (size_t i = 0; i < f->ds.nsi; i++) {
        const struct si_rec *s = &f->ds.si[i];
        assert_non_null(s->emp);
        assert_true(s->line != 6);
        if (s->line == 5) /* through the registry */
            assert_string_equal(s->emp, EMP);
        if (s->line == 7) /* the unit code is itself a valid tax code */
            assert_string_equal(s->emp, EMP);
    }
    /* Nothing left to resolve: a second call changes nothing. */
    assert_int_equal(load_resolve_units(&f->ds), 0);
    assert_int_equal(f->ds.nsi, 4);
}

/* ---- registry and identities -------------------------------------------- */

static void
test_registry(void **state)
{
    struct fx *f = *state;
    const struct input_file *in;

    assert_int_equal(load(f, "reg.csv",
                          "employer_tax_id,employer_name,unit_code,area,wage_region\n"
                          EMP ",Công ty A,TA0001,Đông Hưng,Vùng II\n"
                          "0300588569,Công ty B,TB0002,,1\n"
                          "0100233488-001,Chi nhánh A,TA0003,,vung iv\n"
                          "0300588569,Công ty C,TB0004,,Vùng V\n"
                          "0100233487,Công ty D,TB0005,,3\n",
                          KIND_EMPLOYERS),
                     SIRECON_OK);
    in = &f->ds.files[0];
    assert_int_equal(f->ds.nemps, 4);
    assert_string_equal(f->ds.emps[0].emp, EMP);
    assert_string_equal(f->ds.emps[0].area, "Đông Hưng");
    assert_string_equal(f->ds.emps[0].unit_code, "TA0001");
    assert_int_equal(f->ds.emps[0].wage_region, 2);
    assert_int_equal(f->ds.emps[1].wage_region, 1);
    assert_string_equal(f->ds.emps[2].emp, "0100233488001");
    assert_int_equal(f->ds.emps[2].wage_region, 4);
    assert_reject(&f->ds, 0, 5, "BAD_WAGE_REGION", "wage_region");
    /* A bad check digit is kept (flagged in ids), not rejected. */
    assert_string_equal(f->ds.emps[3].emp, "0100233487");
    assert_int_equal(f->ds.emps[3].wage_region, 3);
    assert_accounts(in);
}

static void
test_identities(void **state)
{
    struct fx *f = *state;
    const struct input_file *in;

    assert_int_equal(load(f, "ids.csv",
                          "id_number,employee_tax_id,cmnd,si_number\n"
                          CCCD ",,,\n"                  /* 2 one id */
                          CCCD ",,,0123456789\n"        /* 3 two ids */
                          "3.41E+11,,,0123456789\n"     /* 4 one usable id */
                          ",8001234567,123456789,\n",   /* 5 two ids */
                          KIND_IDENTITIES),
                     SIRECON_OK);
    in = &f->ds.files[0];
    assert_int_equal(in->read, 4);
    assert_int_equal(in->loaded, 2);
    assert_int_equal(in->rejected, 2);
    assert_accounts(in);
    assert_reject(&f->ds, 0, 2, "TOO_FEW_IDS", "");
    assert_reject(&f->ds, 0, 4, "TOO_FEW_IDS", "");
    assert_int_equal(f->ds.nidents, 2);
    assert_string_equal(idt(ids_get(&f->ds.idents[0].ids, IDK_PERSONAL)), CCCD);
    assert_string_equal(idt(ids_get(&f->ds.idents[0].ids, IDK_SI)), "0123456789");
    assert_int_equal(f->ds.idents[0].line, 3);
    assert_string_equal(idt(ids_get(&f->ds.idents[1].ids, IDK_CMND)), "123456789");
    assert_int_equal(f->ds.idents[1].line, 5);
}


int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_tax_values),     T(test_tax_accounting), T(test_tax_streaming),
        T(test_tax_kind_guessed), T(test_missing_column), T(test_missing_file),
        T(test_empty_file),     T(test_si),             T(test_resolve_units),
        T(test_registry),       T(test_identities),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
