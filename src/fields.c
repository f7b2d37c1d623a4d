/*
 * fields.c - names of the canonical fields and kinds, and which fields
 * belong to which kind (docs/inputs.md, "Fields").
 */
#include <string.h>
#include "sirecon/fields.h"

static const char *const field_names[F_COUNT] = {
    "employer_tax_id", "employer_name", "full_name", "employee_tax_id",
    "id_number", "birth_date", "tax_year", "income_months", "taxable_income",
    "insurance_deduction", "tax_withheld", "schedule", "non_resident",
    "unit_code", "si_number", "salary", "from_month", "to_month", "plan_code",
    "area", "wage_region", "address", "cmnd", "change_type",
};

static const char *const kind_names[KIND_COUNT] = {
    "tax", "si", "employers", "identities",
};

/* Bit per field, per kind. */
#define B(f) (1ul << (f))
static const unsigned long kind_fields[KIND_COUNT] = {
    [KIND_TAX] = B(F_EMPLOYER_TAX_ID) | B(F_EMPLOYER_NAME) | B(F_FULL_NAME) |
        B(F_EMPLOYEE_TAX_ID) | B(F_ID_NUMBER) | B(F_BIRTH_DATE) | B(F_TAX_YEAR) |
        B(F_INCOME_MONTHS) | B(F_TAXABLE_INCOME) | B(F_INSURANCE_DEDUCTION) |
        B(F_TAX_WITHHELD) | B(F_SCHEDULE) | B(F_NON_RESIDENT) | B(F_SI_NUMBER),
    [KIND_SI] = B(F_EMPLOYER_TAX_ID) | B(F_EMPLOYER_NAME) | B(F_UNIT_CODE) |
        B(F_FULL_NAME) | B(F_SI_NUMBER) | B(F_ID_NUMBER) | B(F_BIRTH_DATE) |
        B(F_SALARY) | B(F_FROM_MONTH) | B(F_TO_MONTH) | B(F_PLAN_CODE) |
        B(F_EMPLOYEE_TAX_ID) | B(F_CHANGE_TYPE),
    [KIND_EMPLOYERS] = B(F_EMPLOYER_TAX_ID) | B(F_EMPLOYER_NAME) | B(F_UNIT_CODE) |
        B(F_AREA) | B(F_WAGE_REGION) | B(F_ADDRESS),
    [KIND_IDENTITIES] = B(F_ID_NUMBER) | B(F_EMPLOYEE_TAX_ID) | B(F_CMND) |
        B(F_SI_NUMBER) | B(F_FULL_NAME) | B(F_BIRTH_DATE),
};

const char *
fields_name(field_id f)
{
    return (unsigned)f < F_COUNT ? field_names[f] : "?";
}

const char *
fields_kind_name(file_kind k)
{
    return (unsigned)k < KIND_COUNT ? kind_names[k] : "?";
}

file_kind
fields_kind_from_name(const char *s)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return (file_kind)k;
    return KIND_COUNT;
}

int
fields_in_kind(file_kind k, field_id f)
{
    if ((unsigned)k >= KIND_COUNT || (unsigned)f >= F_COUNT)
        return 0;
    return (kind_fields[k] & B(f)) != 0;
}
