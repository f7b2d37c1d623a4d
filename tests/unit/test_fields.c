/*
 * test_fields.c - canonical field and kind names, and which fields belong
 * to which kind of input (docs/inputs.md, "Fields").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sirecon/fields.h"

static void
test_field_names(void **state)
{
    for (int f = 0; f < F_COUNT; f++) {
        const char *s = fields_name((field_id)f);
        assert_non_null(s);
        assert_true(s[0] != '\0');
        /* lower-case snake case: these are CSV/JSON column names */
        for (const char *p = s; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
        for (int g = 0; g < f; g++)
            assert_string_not_equal(s, fields_name((field_id)g));
    }
    assert_string_equal(fields_name(F_EMPLOYER_TAX_ID), "employer_tax_id");
    assert_string_equal(fields_name(F_EMPLOYEE_TAX_ID), "employee_tax_id");
    assert_string_equal(fields_name(F_INSURANCE_DEDUCTION), "insurance_deduction");
    assert_string_equal(fields_name(F_SI_NUMBER), "si_number");
    assert_string_equal(fields_name(F_TO_MONTH), "to_month");
    assert_string_equal(fields_name(F_CMND), "cmnd");
    assert_string_equal(fields_name(F_COUNT), "?");
}

static void
test_kinds(void **state)
{
    static const char *const names[KIND_COUNT] = {"tax", "si", "employers", "identities"};

    for (int k = 0; k < KIND_COUNT; k++) {
        assert_string_equal(fields_kind_name((file_kind)k), names[k]);
        assert_int_equal(fields_kind_from_name(names[k]), k);
    }
    assert_string_equal(fields_kind_name(KIND_COUNT), "?");
    assert_int_equal(fields_kind_from_name(""), KIND_COUNT);
    assert_int_equal(fields_kind_from_name("taxes"), KIND_COUNT);
    assert_int_equal(fields_kind_from_name("ta"), KIND_COUNT);
    assert_int_equal(fields_kind_from_name("?"), KIND_COUNT);
}

/* The tables of docs/inputs.md, "Fields", field by field. */
static void
test_in_kind(void **state)
{
    static const field_id tax[] = {
        F_EMPLOYER_TAX_ID, F_EMPLOYER_NAME, F_FULL_NAME, F_EMPLOYEE_TAX_ID, F_ID_NUMBER,
        F_BIRTH_DATE, F_TAX_YEAR, F_INCOME_MONTHS, F_TAXABLE_INCOME,
        F_INSURANCE_DEDUCTION, F_TAX_WITHHELD, F_SCHEDULE, F_NON_RESIDENT,
        F_SI_NUMBER, /* read when a tax list carries it */
    };
    static const field_id si[] = {
        F_EMPLOYER_TAX_ID, F_UNIT_CODE, F_FULL_NAME, F_SI_NUMBER, F_ID_NUMBER,
        F_BIRTH_DATE, F_SALARY, F_FROM_MONTH, F_TO_MONTH, F_PLAN_CODE,
        F_EMPLOYEE_TAX_ID, /* only by a label that says it is the person's */
    };
    static const field_id emps[] = {
        F_EMPLOYER_TAX_ID, F_EMPLOYER_NAME, F_UNIT_CODE, F_AREA, F_WAGE_REGION, F_ADDRESS,
    };
    static const field_id idents[] = {F_ID_NUMBER, F_EMPLOYEE_TAX_ID, F_CMND, F_SI_NUMBER};
    /* fields that must not be read from a kind */
    static const field_id not_tax[] = {
        F_UNIT_CODE, F_SALARY, F_FROM_MONTH, F_TO_MONTH, F_PLAN_CODE,
        F_AREA, F_WAGE_REGION, F_ADDRESS, F_CMND,
    };
    static const field_id not_si[] = {
        F_TAX_YEAR, F_INCOME_MONTHS, F_TAXABLE_INCOME,
        F_INSURANCE_DEDUCTION, F_TAX_WITHHELD, F_SCHEDULE, F_NON_RESIDENT, F_AREA,
        F_WAGE_REGION, F_ADDRESS, F_CMND,
    };
    static const field_id not_emps[] = {
        F_FULL_NAME, F_EMPLOYEE_TAX_ID, F_ID_NUMBER, F_BIRTH_DATE, F_TAX_YEAR,
        F_TAXABLE_INCOME, F_SI_NUMBER, F_SALARY, F_FROM_MONTH, F_CMND,
    };
    static const field_id not_idents[] = {
        F_EMPLOYER_TAX_ID, F_TAXABLE_INCOME, F_SALARY, F_FROM_MONTH, F_TO_MONTH,
        F_UNIT_CODE, F_AREA, F_SCHEDULE,
    };
#define ALL_IN(k, a)                                                  \
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)                \
        if (!fields_in_kind(k, a[i]))                                  \
            fail_msg("%s should be in %s", fields_name(a[i]), fields_kind_name(k));
#define NONE_IN(k, a)                                                 \
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)                \
        if (fields_in_kind(k, a[i]))                                   \
            fail_msg("%s should not be in %s", fields_name(a[i]), fields_kind_name(k));
    ALL_IN(KIND_TAX, tax);
    ALL_IN(KIND_SI, si);
    ALL_IN(KIND_EMPLOYERS, emps);
    ALL_IN(KIND_IDENTITIES, idents);
    NONE_IN(KIND_TAX, not_tax);
    NONE_IN(KIND_SI, not_si);
    NONE_IN(KIND_EMPLOYERS, not_emps);
    NONE_IN(KIND_IDENTITIES, not_idents);
    /* exactly the tax table: 13 fields */
    int n = 0;
    for (int f = 0; f < F_COUNT; f++)
        n += fields_in_kind(KIND_TAX, (field_id)f) != 0;
    assert_int_equal(n, sizeof tax / sizeof tax[0]);
    /* every field belongs to some kind */
    for (int f = 0; f < F_COUNT; f++) {
        int any = 0;
        for (int k = 0; k < KIND_COUNT; k++)
            any |= fields_in_kind((file_kind)k, (field_id)f);
        assert_true(any);
    }
    /* out of range */
    assert_int_equal(fields_in_kind(KIND_COUNT, F_FULL_NAME), 0);
    assert_int_equal(fields_in_kind(KIND_TAX, F_COUNT), 0);
    assert_int_equal(fields_in_kind((file_kind)-1, F_FULL_NAME), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_names),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_in_kind),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
