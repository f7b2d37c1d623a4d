/*
 * test_report_table.c - the output tables defined once (report_table.h)
 * and the sheet layer's small parts (sheet.h): identifiers are text with
 * their zeros, masked when asked; a record's person_id and id_kind always
 * agree (the CSV and the workbook used to disagree here); codes, numbers,
 * dates and flags come out as their column's type says; sheet part names
 * and row positions; display widths in characters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "sirecon/report_table.h"
#include "sirecon/sheet.h"
#include "sirecon/ids.h"

static const struct report_col *
col(const struct report_table *t, const char *key)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].key, key) == 0)
            return &t->cols[c];
    fail_msg("no column %s", key);
    return NULL;
}

static struct report_cell
get(const struct run_info *ri, const struct report_table *t, const char *key, size_t row,
    char *buf)
{
    struct report_cell v = {"", 0, 0, 0};

    col(t, key)->get(ri, row, &v, buf);
    return v;
}

static void
test_employee_columns(void **state)
{
    struct dataset ds;
    struct result res;
    struct run_info ri;
    struct input_file *in;
    struct tax_rec *t;
    char buf[REPORT_CELL_BUF];
    const struct report_table *tb = &report_employees_table;

    dataset_init(&ds);
    memset(&res, 0, sizeof res);
    memset(&ri, 0, sizeof ri);
    ri.ds = &ds;
    ri.res = &res;
    in = dataset_add_file(&ds);
    in->path = "tax.csv";
    in->kind = KIND_TAX;
    /* pid_kind names an SI number the record does not have: the shown ID
     * is the personal ID, and its kind says so */
    t = dataset_add_tax(&ds);
    t->emp = "0100233488";
    t->emp_name = "Cty A";
    t->name = names_pname(&ds.a, "Nguyễn Văn An", strlen("Nguyễn Văn An"));
    ids_put(&ds.a, &t->ids, ids_key(IDK_PERSONAL, "001085012345"));
    t->pid_kind = IDK_SI;
    t->birth = 19850312;
    t->schedule = 2;
    t->taxable_income = 120000000;
    t->status = ST_NOT_ENROLLED;
    t->reason = RS_NO_SI_RECORD_AT_EMPLOYER;
    t->flags = RF_LEADING_ZERO_RESTORED | RF_DEDUCTED_NOT_ENROLLED;
    t->line = 7;

    assert_int_equal(col(tb, "person_id")->type, RC_ID);
    assert_int_equal(col(tb, "employer_tax_id")->type, RC_ID);
    assert_string_equal(get(&ri, tb, "person_id", 0, buf).s, "001085012345");
    assert_string_equal(get(&ri, tb, "id_kind", 0, buf).s, "personal_id");
    assert_string_equal(get(&ri, tb, "employer_tax_id", 0, buf).s, "0100233488");
    assert_string_equal(get(&ri, tb, "schedule", 0, buf).s, "05-2");
    assert_int_equal(get(&ri, tb, "taxable_income", 0, buf).i, 120000000);
    assert_int_equal(get(&ri, tb, "birth_date", 0, buf).date, 19850312);
    assert_string_equal(get(&ri, tb, "status", 0, buf).s, "NOT_ENROLLED");
    assert_string_equal(get(&ri, tb, "reason", 0, buf).s, "NO_SI_RECORD_AT_EMPLOYER");
    assert_string_equal(get(&ri, tb, "rule", 0, buf).s, "");
    assert_string_equal(get(&ri, tb, "flags", 0, buf).s,
                        "LEADING_ZERO_RESTORED|DEDUCTED_NOT_ENROLLED");
    assert_string_equal(get(&ri, tb, "source", 0, buf).s, "tax.csv:7");
    assert_string_equal(get(&ri, tb, "other_employer_tax_id", 0, buf).s, "");
    /* masked */
    ri.mask_ids = true;
    assert_string_equal(get(&ri, tb, "person_id", 0, buf).s, "********2345");
    /* no identifier: no kind either */
    t->ids = (struct person_ids){{0, 0}};
    ri.mask_ids = false;
    assert_string_equal(get(&ri, tb, "person_id", 0, buf).s, "");
    assert_string_equal(get(&ri, tb, "id_kind", 0, buf).s, "");
    dataset_free(&ds);
}

static void
test_employer_and_reject_columns(void **state)
{
    struct dataset ds;
    struct result res;
    struct run_info ri;
    struct employer_sum e;
    struct input_file *in;
    char buf[REPORT_CELL_BUF];

    dataset_init(&ds);
    memset(&res, 0, sizeof res);
    memset(&ri, 0, sizeof ri);
    memset(&e, 0, sizeof e);
    ri.ds = &ds;
    ri.res = &res;
    e.emp = "0100233488";
    e.rank = 3;
    e.finding = FIND_UNDER_ENROLLMENT;
    e.coverage_pct = 62.5;
    e.est_arrears = 28800000;
    e.trend = "ONGOING (2 months)";
    res.emps = &e;
    res.nemps = res.nlisted = 1;
    const struct report_table *tb = &report_employers_table;
    assert_int_equal(get(&ri, tb, "rank", 0, buf).i, 3);
    assert_string_equal(get(&ri, tb, "finding", 0, buf).s, "UNDER_ENROLLMENT");
    assert_int_equal(col(tb, "finding")->type, RC_CODE);
    assert_string_equal(col(tb, "finding")->label, "finding.");
    assert_true(get(&ri, tb, "coverage_pct", 0, buf).d == 62.5);
    assert_int_equal(get(&ri, tb, "est_arrears", 0, buf).i, 28800000);
    assert_int_equal(col(tb, "trend")->type, RC_TREND);
    assert_string_equal(get(&ri, tb, "trend", 0, buf).s, "ONGOING (2 months)");

    in = dataset_add_file(&ds);
    in->path = "si.csv";
    in->kind = KIND_SI;
    dataset_add_reject(&ds, 0, 12, "BAD_MONTH", "from_month", "not a month");
    tb = &report_rejects_table;
    assert_string_equal(get(&ri, tb, "file", 0, buf).s, "si.csv");
    assert_int_equal(get(&ri, tb, "line", 0, buf).i, 12);
    assert_string_equal(get(&ri, tb, "kind", 0, buf).s, "si");
    assert_string_equal(get(&ri, tb, "reason", 0, buf).s, "BAD_MONTH");
    assert_string_equal(get(&ri, tb, "column", 0, buf).s, "from_month");
    dataset_free(&ds);
}

static void
test_sheet_parts(void **state)
{
    char name[64];
    int part;
    uint32_t row;

    sheet_part_name("Employees", 1, name, sizeof name);
    assert_string_equal(name, "Employees");
    sheet_part_name("Employees", 3, name, sizeof name);
    assert_string_equal(name, "Employees (3)");
    /* XLSX_MAX_ROWS is 1000 in the test build: 999 data rows a part */
    sheet_table_pos(0, &part, &row);
    assert_int_equal(part, 1);
    assert_int_equal(row, 1);
    sheet_table_pos(999, &part, &row);
    assert_int_equal(part, 2);
    assert_int_equal(row, 1);
    assert_true(sheet_text_width("Nguyễn") == 6);
    assert_true(sheet_widths_total((double[]){1, 100}, 2) == XLSX_WIDTH_MIN + XLSX_WIDTH_MAX);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_employee_columns),
        cmocka_unit_test(test_employer_and_reject_columns),
        cmocka_unit_test(test_sheet_parts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
